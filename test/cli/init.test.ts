import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { makeTree, runCli } from './support.js';

/** A blog API: passport protects writes, an in-house session package guards the dashboard, articles are read without login. */
const BLOG: Record<string, string> = {
  'package.json': '{ "name": "blog", "private": true, "dependencies": { "express": "^4.21.0", "passport": "^0.7.0", "passport-jwt": "^4.0.1" } }\n',
  'src/app.js': [
    "const express = require('express');",
    "const passport = require('passport');",
    "const { ensureAuthenticated } = require('@acme/sessions');",
    "const { requireRole } = require('@acme/rbac');",
    '',
    'const app = express();',
    "const jwt = passport.authenticate('jwt', { session: false });",
    "app.post('/api/articles', jwt, (req, res) => res.status(201).end());",
    "app.get('/api/articles', (req, res) => res.json([]));",
    "app.get('/api/articles/:slug', (req, res) => res.json({}));",
    "app.get('/api/users/search/:name', (req, res) => res.json([]));",
    "app.delete('/api/articles/:slug', (req, res) => res.status(204).end());",
    "app.get('/dashboard', ensureAuthenticated, (req, res) => res.json({}));",
    "app.delete('/dashboard/widgets/:id', ensureAuthenticated, requireRole('owner'), (req, res) => res.status(204).end());",
    'app.listen(3000);',
    '',
  ].join('\n'),
};

/** The evidence route-require-authentication gives for a read-only route that touches no identity (reported as a note). */
const READ_ONLY =
  "it only reads and touches no identity or per-user data, so it may be public by design (project.requireAuthentication 'all' makes this an error). Add authentication, or declare an intended public route in project.publicRoutes";

async function routeFindings(root: string): Promise<string[]> {
  const report = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as JsonReport;
  return report.findings.filter((f) => f.ruleId === 'route-require-authentication').map((f) => f.message);
}

describe('authlint init', () => {
  it('writes a config with $schema, the unresolved auth-like middleware and public-content route patterns, and explains each', async () => {
    const root = makeTree(BLOG);
    const run = await runCli(['init'], { cwd: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'authlint.config.json'), 'utf8'))).toEqual({
      $schema: './node_modules/authlint/schema/authlint.config.schema.json',
      project: { authenticationMiddleware: ['ensureAuthenticated'], authorizationMiddleware: ['requireRole'], publicRoutes: ['GET /api/articles/**'] },
    });
    expect(run.stdout).toBe(
      [
        'Wrote authlint.config.json.',
        '',
        'Frameworks with routes: express.',
        'JWT libraries in package.json: passport-jwt.',
        '',
        'project.authenticationMiddleware: unresolved middleware whose name suggests authentication. Keep only what really rejects requests without valid credentials:',
        '  ensureAuthenticated  (guards 2 routes; first use src/app.js:13)',
        '',
        'project.authorizationMiddleware: unresolved middleware whose name suggests authorization. Keep only what really checks roles, scopes or ownership:',
        "  requireRole  (guards 1 route; first use src/app.js:14)",
        '',
        'project.publicRoutes: read-only routes without authentication that often serve public content. Remove any that must require login:',
        '  GET /api/articles/**  (GET /api/articles, GET /api/articles/:slug)',
        '',
        'Next: authlint routes (check the inventory), then authlint scan.',
        '',
      ].join('\n'),
    );
  });

  it('leaves the written public patterns method-bound: GET is public, DELETE and user search still flagged', async () => {
    const root = makeTree(BLOG);
    const before = await routeFindings(root);
    expect(before).toContain(`Route 'GET /api/articles' has no authentication: ${READ_ONLY}.`);
    await runCli(['init'], { cwd: root });
    expect(await routeFindings(root)).toEqual([
      "Route 'GET /api/users/search/:name' has no authentication: it reads or changes one user's data (path segment ':name' below 'users'). Add authentication, or declare an intended public route in project.publicRoutes.",
      "Route 'DELETE /api/articles/:slug' has no authentication: it changes state (DELETE) and is not a credential flow. Add authentication, or declare an intended public route in project.publicRoutes.",
    ]);
    const inventory = (await runCli(['routes'], { cwd: root })).stdout;
    expect(inventory).toMatch(/GET {5}\/api\/articles {7}.*matches configured public route 'GET \/api\/articles\/\*\*'/);
  });

  it('never overwrites an existing config without --force', async () => {
    const root = makeTree({ ...BLOG, 'authlint.config.json': '{ "rules": {} }\n' });
    expect(await runCli(['init'], { cwd: root })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'authlint: authlint.config.json already exists; authlint init never overwrites it without --force\n',
    });
    expect(fs.readFileSync(path.join(root, 'authlint.config.json'), 'utf8')).toBe('{ "rules": {} }\n');
    // --force replaces it, and an existing (even broken) configuration does not change the suggestions.
    fs.writeFileSync(path.join(root, 'authlint.config.json'), '{ "project": { "authenticationMiddleware": ["ensureAuthenticated"] }, "bogus": 1 }\n');
    const forced = await runCli(['init', '.', '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'authlint.config.json'), 'utf8'))).toMatchObject({ project: { authenticationMiddleware: ['ensureAuthenticated'] } });
  });

  it('writes just the $schema when there is nothing to suggest', async () => {
    const root = makeTree({ 'src/index.js': 'module.exports = 1;\n' });
    const run = await runCli(['init'], { cwd: root });
    expect(run.stdout).toContain('Nothing to configure was found');
    expect(JSON.parse(fs.readFileSync(path.join(root, 'authlint.config.json'), 'utf8'))).toEqual({ $schema: './node_modules/authlint/schema/authlint.config.schema.json' });
  });
});
