import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import type { PostureReport } from '../../src/report/posture.js';
import { makeTree, runCli } from './support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

const KOA_SERVICE = {
  'package.json': JSON.stringify({ name: 'inventory-api', dependencies: { koa: '2.15.3', 'koa-jwt': '4.0.4' } }),
  'src/app.js': [
    "const Koa = require('koa');",
    "const Router = require('@koa/router');",
    "const jwt = require('koa-jwt');",
    'const app = new Koa();',
    'const router = new Router();',
    "router.get('/items', (ctx) => { ctx.body = []; });",
    "app.use(jwt({ secret: process.env.JWT_SECRET, algorithms: ['HS256'] }));",
    'app.use(router.routes());',
    'app.listen(3000);',
    '',
  ].join('\n'),
};

async function scanToReport(dir: string): Promise<string> {
  const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(report.services?.map((s) => s.name)).toEqual(['inventory-api']);
  const file = path.join(makeTree(), 'inventory.json');
  fs.writeFileSync(file, run.stdout);
  return file;
}

describe('authlint posture', () => {
  it('mixes a scanned checkout and a JSON report from another repository', async () => {
    const reportFile = await scanToReport(makeTree(KOA_SERVICE));
    const run = await runCli(['posture', 'posture-org', reportFile, '--format', 'json'], { cwd: FIXTURES });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as PostureReport;
    expect(report.version).toBe(1);
    expect(report.services.map((s) => [s.id, s.source])).toEqual([
      ['@acme/billing', 'posture-org'],
      ['@acme/legacy-reports', 'posture-org'],
      ['@acme/orders', 'posture-org'],
      ['inventory-api', reportFile],
    ]);
    const inventory = report.services[3];
    expect(inventory?.profile.jwt).toMatchObject({ verifyLibraries: ['koa-jwt'], verifyAlgorithms: ['HS256'], keySources: ['secret-env'] });
    expect(inventory?.profile.routes).toMatchObject({ total: 1, authenticated: 1 });
    const legacy = report.services[1];
    expect(legacy?.findings.map((f) => `${f.ruleId} ${f.file}`)).toContain('jwt-no-hardcoded-secret services/legacy/src/auth.js');
    expect(legacy?.findings.every((f) => f.line > 0)).toBe(true);
    expect(report.checks.find((c) => c.id === 'key-source')?.deviating).toEqual(['@acme/billing', '@acme/legacy-reports', 'inventory-api']);
  });

  it('compares services with project.tokenContract from --config', async () => {
    const config = path.join(makeTree({ 'authlint.config.json': JSON.stringify({ project: { tokenContract: { algorithms: ['RS256'], issuer: 'https://id.acme.example' } } }) }), 'authlint.config.json');
    const run = await runCli(['posture', 'posture-org', '--format', 'json', '--config', config], { cwd: FIXTURES });
    const report = JSON.parse(run.stdout) as PostureReport;
    expect(report.contract.tokenContract?.algorithms).toEqual(['RS256']);
    expect(report.checks.find((c) => c.id === 'algorithms')).toMatchObject({ expected: 'contract: RS256', deviating: ['@acme/billing', '@acme/legacy-reports'] });
  });

  it('keeps going past bad inputs, names each, and exits 2', async () => {
    const dir = makeTree({
      'broken.json': '{ "version": 1, ',
      'old.json': JSON.stringify({ version: 1, tool: { name: 'authlint', version: '0.0.1' }, findings: [] }),
      'other.json': JSON.stringify({ runs: [] }),
    });
    const run = await runCli(['posture', 'broken.json', 'missing', 'old.json', 'other.json', path.join(FIXTURES, 'posture-org'), '--format', 'markdown'], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^authlint: broken\.json cannot be read as JSON: /);
    expect(lines.slice(1)).toEqual([
      'authlint: path does not exist: missing',
      'authlint: old.json has no service profiles (written by an authlint before profiles); scan the service again',
      'authlint: other.json is not an authlint JSON report (authlint scan --format json)',
    ]);
    expect(run.stdout).toContain('| [@acme/orders](#service-acme-orders-');
    expect(run.stdout).not.toContain('Error:');
  });

  it('exits 2 with a message when no input gives a service', async () => {
    const run = await runCli(['posture', 'nothing-here'], { cwd: makeTree() });
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'authlint: path does not exist: nothing-here\nauthlint: no service to report on.\n' });
  });

  it('writes the HTML report to --output', async () => {
    const out = path.join(makeTree(), 'reports', 'posture.html');
    const run = await runCli(['posture', 'posture-org', '--output', out], { cwd: FIXTURES });
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const html = fs.readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
  });
});
