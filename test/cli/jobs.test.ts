import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ensureBuilt } from './build.js';
import { makeTree } from './support.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/authlint.js');

beforeAll(() => ensureBuilt(), 240_000);

/** Every fixture service of the repository in one tree, plus files the scan can only report on. */
function buildWideTree(): string {
  const root = makeTree({ 'authlint.config.json': JSON.stringify({ maxFileSize: 256 * 1024 }) });
  fs.chmodSync(root, 0o755);
  fs.cpSync(path.join(REPO, 'fixtures'), path.join(root, 'services'), { recursive: true });
  const odd = path.join(root, 'services/odd');
  fs.mkdirSync(odd);
  const depth = 50_000;
  const files: Record<string, string | Buffer> = {
    'half-written.ts': "import jwt from 'jsonwebtoken';\nexport function f( {\n  return jwt.decode(token);\n}\n",
    'unclosed.tsx': 'export const View = () => <div><span>;\n',
    'logo.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    'latin1.ts': Buffer.from('export const name = "caf\xe9";\n', 'latin1'),
    'oversized.ts': `export const big = '${'x'.repeat(300 * 1024)}';\n`,
    'minified.js': `var a=${'1+'.repeat(12_000)}1;`,
    'old-mac.js': "const jwt = require('jsonwebtoken');\rjwt.sign({ a: 1 }, 'hardcoded-secret-value');\r",
    'separators.ts': 'export const a = 1;\u2028export const b = 2;\u2029',
    'empty.ts': '',
    'deep.ts': `export const v = ${'(\n'.repeat(depth)}1${')\n'.repeat(depth)};\n`,
    // Too deep for an extraction thread: the scan thread computes its portable facts (the JWT library it imports) itself.
    'deep-signer.ts': `import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 1 }, 'hardcoded-secret-value');\nexport const v = ${'(\n'.repeat(depth)}1${')\n'.repeat(depth)};\n`,
    'secret.ts': "export const key = 'unreadable';\n",
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(odd, name), content);
  fs.chmodSync(path.join(odd, 'secret.ts'), 0o000);
  return root;
}

function authlint(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  // root reads any file, so scan as `nobody` to get a real permission error for the unreadable file.
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', AUTHLINT_DEBUG: '' },
    timeout: 200_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: run.status ?? -1, stdout: String(run.stdout), stderr: String(run.stderr) };
}

describe('--jobs', () => {
  it('gives byte-identical JSON reports and route inventories for any number of extraction threads', { timeout: 600_000 }, () => {
    const root = buildWideTree();
    const scans = [1, 2, 4].map((jobs) => authlint(['scan', '.', '--format', 'json', '--fail-on', 'none', '--jobs', String(jobs)], root));
    for (const run of scans) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(scans[0]?.stdout ?? '') as JsonReport;
    expect(report.summary.files).toBeGreaterThan(300);
    expect(report.findings.length).toBeGreaterThan(50);
    const odd = report.notifications.filter((n) => n.file?.startsWith('services/odd/')).map((n) => [n.file, n.kind, n.level]);
    expect(odd).toEqual([
      ['services/odd/half-written.ts', 'parse-error', 'warning'],
      ['services/odd/latin1.ts', 'encoding', 'warning'],
      ['services/odd/logo.ts', 'binary-file', 'warning'],
      ['services/odd/minified.js', 'minified', 'note'],
      ['services/odd/oversized.ts', 'too-large', 'warning'],
      ['services/odd/secret.ts', 'unreadable', 'error'],
      ['services/odd/unclosed.tsx', 'parse-error', 'warning'],
    ]);
    expect(report.findings.some((f) => f.file === 'services/odd/old-mac.js')).toBe(true);
    expect(report.findings.filter((f) => f.file === 'services/odd/deep-signer.ts').map((f) => f.ruleId)).toContain('jwt-no-hardcoded-secret');
    expect(scans[1]?.stdout).toBe(scans[0]?.stdout);
    expect(scans[2]?.stdout).toBe(scans[0]?.stdout);

    const routes = [1, 4].map((jobs) => authlint(['routes', '.', '--format', 'json', '--jobs', String(jobs)], root));
    expect(routes[0]).toMatchObject({ code: 0, stderr: 'authlint: 1 file was not analysed; the inventory may be incomplete (authlint scan lists them).\n' });
    expect((JSON.parse(routes[0]?.stdout ?? '') as { routes: unknown[] }).routes.length).toBeGreaterThan(20);
    expect(routes[1]).toEqual(routes[0]);
  });

  it('rejects a number of threads that is not a whole number of at least 1', { timeout: 60_000 }, () => {
    const root = makeTree({ 'src/app.ts': 'export const a = 1;\n' });
    fs.chmodSync(root, 0o755);
    for (const jobs of ['0', '-2', '1.5', 'all']) {
      expect(authlint(['scan', '.', '--jobs', jobs], root)).toEqual({
        code: 2,
        stdout: '',
        stderr: `authlint: option '--jobs <n>' argument '${jobs}' is invalid. expected a whole number of at least 1.\n`,
      });
    }
  });
});
