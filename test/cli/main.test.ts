import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/core/rule.js';
import type { JsonReport } from '../../src/report/json.js';
import { makeTree, runCli } from './support.js';
import { TEST_RULES } from './test-rules.js';

const rules = TEST_RULES;
const CLEAN = { 'src/app.ts': 'export const port = 8080;\n' };
const BLIND = { 'src/auth.ts': 'export function login(t: string) {\n  return trustBlindly(t);\n}\n' };
const MAYBE = { 'src/session.ts': 'export const s = maybeTrust(cookie);\n' };

async function scanJson(root: string, extra: string[] = []): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', '.', '--format', 'json', ...extra], { cwd: root, rules });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

describe('authlint scan: exit codes', () => {
  it('exits 0 when nothing is at or above --fail-on', async () => {
    const run = await runCli(['scan'], { cwd: makeTree(CLEAN), rules });
    expect(run).toEqual({ code: 0, stdout: '0 findings (0 errors, 0 warnings, 0 notes) in 1 file (1 line).\n', stderr: '' });
  });

  it('exits 1 for an error finding and prints it with a code frame', async () => {
    const run = await runCli(['scan', '.'], { cwd: makeTree(BLIND), rules });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'src/auth.ts',
        "  2:10  error  The call 'trustBlindly()' trusts its input without verification.  test-no-blind-trust",
        '    2 |   return trustBlindly(t);',
        '      |          ^^^^^^^^^^^^^^^',
        '',
        '1 finding (1 error, 0 warnings, 0 notes) in 1 file (3 lines).',
        '',
      ].join('\n'),
    );
  });

  it('follows --fail-on', async () => {
    const root = makeTree(MAYBE);
    expect((await runCli(['scan'], { cwd: root, rules })).code).toBe(0);
    expect((await runCli(['scan', '--fail-on', 'warning'], { cwd: root, rules })).code).toBe(1);
    expect((await runCli(['scan', '--fail-on', 'note'], { cwd: root, rules })).code).toBe(1);
    expect((await runCli(['scan', '--fail-on', 'none'], { cwd: makeTree(BLIND), rules })).code).toBe(0);
    const bad = await runCli(['scan', '--fail-on', 'critical'], { cwd: root, rules });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^authlint: option '--fail-on <level>' argument 'critical' is invalid/);
  });

  it('does not fail on suppressed findings, which stay in the JSON report', async () => {
    const root = makeTree({ 'src/auth.ts': '// authlint-disable-next-line test-no-blind-trust -- tokens come from the mTLS proxy\ntrustBlindly(t);\n' });
    const { code, report } = await scanJson(root);
    expect(code).toBe(0);
    expect(report.findings).toMatchObject([{ ruleId: 'test-no-blind-trust', line: 2, suppressed: { kind: 'inSource', justification: 'tokens come from the mTLS proxy' } }]);
    expect(report.summary).toMatchObject({ findings: 0, suppressed: 1 });
  });

  it('reports unused suppressions', async () => {
    const root = makeTree({ 'src/a.ts': '// authlint-disable-next-line test-no-blind-trust -- stale\nconst ok = 1;\n' });
    const { report } = await scanJson(root);
    expect(report.notifications).toMatchObject([{ kind: 'unused-suppression', file: 'src/a.ts', line: 1, column: 1 }]);
  });
});

describe('authlint scan: formats and outputs', () => {
  it('writes SARIF to a file and text to the terminal in one run', async () => {
    const root = makeTree(BLIND);
    const run = await runCli(['scan', '--format', 'sarif:reports/authlint.sarif', '--format', 'text'], { cwd: root, rules });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('test-no-blind-trust');
    const sarif = JSON.parse(fs.readFileSync(path.join(root, 'reports/authlint.sarif'), 'utf8')) as { runs: Array<{ results: unknown[] }> };
    expect(sarif.runs[0]!.results).toHaveLength(1);
  });

  it('sends --output to the first format without a file', async () => {
    const root = makeTree(BLIND);
    const run = await runCli(['scan', '--format', 'json', '--output', 'out.json', '--format', 'text'], { cwd: root, rules });
    expect(run.stdout).toContain('1 finding');
    expect((JSON.parse(fs.readFileSync(path.join(root, 'out.json'), 'utf8')) as JsonReport).findings).toHaveLength(1);
    const only = await runCli(['scan', '--output', 'report.txt'], { cwd: root, rules });
    expect(only.stdout).toBe('');
    expect(fs.readFileSync(path.join(root, 'report.txt'), 'utf8')).toContain('1 finding');
  });

  it('refuses two formats on standard output, unknown formats and unwritable files', async () => {
    const root = makeTree(CLEAN);
    const two = await runCli(['scan', '--format', 'json', '--format', 'sarif'], { cwd: root, rules });
    expect(two).toMatchObject({ code: 2, stdout: '' });
    expect(two.stderr).toBe(
      'authlint: only one format can go to standard output (got json and sarif); write the others to files with --format NAME:FILE or --output FILE\n',
    );
    const unknown = await runCli(['scan', '--format', 'html'], { cwd: root, rules });
    expect(unknown.stderr).toBe("authlint: unknown format 'html' (expected text, json, sarif, markdown, gitlab, github, optionally as NAME:FILE)\n");
    fs.writeFileSync(path.join(root, 'file'), '');
    const unwritable = await runCli(['scan', '--format', 'sarif:file/out.sarif'], { cwd: root, rules });
    expect(unwritable).toMatchObject({ code: 2, stderr: expect.stringMatching(/^authlint: cannot write file\/out\.sarif: E(EXIST|NOTDIR)\n$/) });
  });

  it('uses colour only on a terminal and honours NO_COLOR', async () => {
    const root = makeTree(BLIND);
    expect((await runCli(['scan'], { cwd: root, rules })).stdout).not.toContain('\u001b[');
    expect((await runCli(['scan'], { cwd: root, rules, tty: true })).stdout).toContain('\u001b[31m');
    expect((await runCli(['scan'], { cwd: root, rules, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('prints nothing with --quiet when nothing reaches --fail-on', async () => {
    const run = await runCli(['scan', '--quiet'], { cwd: makeTree({ ...CLEAN, ...MAYBE }), rules });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('honours --include and --exclude', async () => {
    const root = makeTree({ ...BLIND, 'scripts/seed.ts': 'trustBlindly(x);\n' });
    const excluded = await scanJson(root, ['--exclude', 'scripts/**']);
    expect(excluded.report.findings.map((f) => f.file)).toEqual(['src/auth.ts']);
    const included = await scanJson(root, ['--include', 'scripts/**/*.ts']);
    expect(included.report.findings.map((f) => f.file)).toEqual(['scripts/seed.ts']);
  });

  it('reports paths relative to the single folder scanned', async () => {
    const root = makeTree({ 'services/api/src/auth.ts': 'trustBlindly(t);\n' });
    const run = await runCli(['scan', 'services/api', '--format', 'json'], { cwd: root, rules });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.root).toBe('services/api');
    expect(report.findings[0]!.file).toBe('src/auth.ts');
  });
});

describe('authlint scan: several paths outside the working directory', () => {
  it('scans them from the deepest folder they share and reports paths relative to it', async () => {
    const root = makeTree({ 'wiki/server/auth.ts': 'trustBlindly(t);\n', 'wiki/plugins/sso/login.ts': 'maybeTrust(cookie);\n', 'wiki/app/ui.ts': 'trustBlindly(t);\n' });
    const elsewhere = makeTree(CLEAN);
    const run = await runCli(['scan', path.join(root, 'wiki/server'), path.join(root, 'wiki/plugins'), '--format', 'json'], { cwd: elsewhere, rules });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(run.stderr).toBe('');
    expect(report.findings.map((f) => f.file)).toEqual(['plugins/sso/login.ts', 'server/auth.ts']);
  });
});

describe('authlint scan: bad input gives a clear report, loses nothing and does not crash', () => {
  it('names a path that does not exist (exit 2)', async () => {
    const run = await runCli(['scan', 'src', 'no/such/dir'], { cwd: makeTree(CLEAN), rules });
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'authlint: path does not exist: no/such/dir\n' });
  });

  it('says there were no files in an empty folder (exit 0)', async () => {
    const run = await runCli(['scan'], { cwd: makeTree(), rules });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No JavaScript or TypeScript files found to scan.\n\n0 findings (0 errors, 0 warnings, 0 notes) in 0 files (0 lines).\n');
  });

  it('analyses a file with syntax errors as far as the parser recovers, and notes it', async () => {
    const root = makeTree({ 'src/broken.ts': 'const half = (;\nexport function f() {\n  return trustBlindly(t);\n}\n' });
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(report.findings).toMatchObject([{ file: 'src/broken.ts', line: 3 }]);
    expect(report.notifications).toMatchObject([{ kind: 'parse-error', level: 'warning', file: 'src/broken.ts', line: 1, column: 15 }]);
    expect(report.notifications[0]!.message).toMatch(/^src\/broken\.ts has syntax errors \(1; first: Expression expected\.\)/);
  });

  it('skips a binary file with a source extension', async () => {
    const root = makeTree({ ...BLIND, 'assets/logo.ts': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) });
    const { report } = await scanJson(root);
    expect(report.findings).toHaveLength(1);
    expect(report.notifications).toEqual([{ kind: 'binary-file', level: 'warning', file: 'assets/logo.ts', message: 'Skipped assets/logo.ts: binary content in a source file.' }]);
  });

  it('skips a file over the size limit', async () => {
    const root = makeTree({ ...BLIND, 'src/generated.ts': `export const table = [${'1,'.repeat(400)}];\n`, 'authlint.config.json': '{ "maxFileSize": 500 }' });
    const { report } = await scanJson(root);
    expect(report.findings).toHaveLength(1);
    expect(report.notifications).toMatchObject([{ kind: 'too-large', file: 'src/generated.ts', message: 'Skipped src/generated.ts: 825 bytes is over the 500-byte limit (maxFileSize).' }]);
  });

  it('analyses a non-UTF-8 file with replaced bytes and notes it', async () => {
    const latin1 = Buffer.concat([Buffer.from('// Gr'), Buffer.from([0xfc]), Buffer.from('\u00dfe\ntrustBlindly(t);\n', 'latin1')]);
    const { report } = await scanJson(makeTree({ 'src/legacy.js': latin1 }));
    expect(report.findings).toMatchObject([{ file: 'src/legacy.js', line: 2, column: 1 }]);
    expect(report.notifications).toMatchObject([{ kind: 'encoding', file: 'src/legacy.js' }]);
  });

  it('reports a file it may not read (permission denied) when not running as root', async (context) => {
    // root reads chmod-000 files anyway; the spawned-binary test covers this case by running as `nobody`.
    if (process.getuid?.() === 0) context.skip();
    const root = makeTree({ ...BLIND, 'src/secret.ts': 'export const k = 1;\n' });
    fs.chmodSync(path.join(root, 'src/secret.ts'), 0o000);
    const { report } = await scanJson(root);
    expect(report.findings).toHaveLength(1);
    expect(report.notifications).toEqual([{ kind: 'unreadable', level: 'error', file: 'src/secret.ts', message: 'Could not read src/secret.ts: permission denied.' }]);
    expect(report.summary.successful).toBe(false);
  });

  it('reports a FIFO named like a source file instead of blocking on it', async () => {
    const root = makeTree(BLIND);
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(root, 'src/pipe.ts')]);
    const { report } = await scanJson(root);
    expect(report.findings).toHaveLength(1);
    expect(report.notifications).toEqual([{ kind: 'unreadable', level: 'error', file: 'src/pipe.ts', message: 'Could not read src/pipe.ts: not a regular file.' }]);
  });

  it('survives a broken symlink and a symlink loop', async () => {
    const root = makeTree(BLIND);
    fs.symlinkSync('missing.ts', path.join(root, 'src/dangling.ts'));
    fs.symlinkSync('loop-b.ts', path.join(root, 'src/loop-a.ts'));
    fs.symlinkSync('loop-a.ts', path.join(root, 'src/loop-b.ts'));
    fs.symlinkSync('..', path.join(root, 'src/parent'));
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.notifications).toEqual([
      { kind: 'symlink', level: 'warning', file: 'src/dangling.ts', message: 'Skipped src/dangling.ts: broken symbolic link.' },
      { kind: 'symlink', level: 'warning', file: 'src/loop-a.ts', message: 'Skipped src/loop-a.ts: symbolic link loop.' },
      { kind: 'symlink', level: 'warning', file: 'src/loop-b.ts', message: 'Skipped src/loop-b.ts: symbolic link loop.' },
    ]);
  });

  it('keeps the other rules and files when a rule throws on one file, and marks the run unsuccessful', async () => {
    const root = makeTree({ ...BLIND, 'src/boom.ts': 'explode();\ntrustBlindly(x);\n', ...MAYBE });
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([
      'src/auth.ts test-no-blind-trust',
      'src/boom.ts test-no-blind-trust',
      'src/session.ts test-prefer-verify',
    ]);
    expect(report.notifications).toEqual([
      { kind: 'rule-error', level: 'error', file: 'src/boom.ts', ruleId: 'test-throws-on-explode', message: "Rule 'test-throws-on-explode' failed on src/boom.ts: cannot handle src/boom.ts" },
    ]);
    expect(report.summary.successful).toBe(false);
    const text = await runCli(['scan'], { cwd: root, rules });
    expect(text.stdout).toContain('The run was incomplete: 1 rule failure (see notifications).');
  });
});

describe('authlint scan: configuration errors (exit 2 with the file, the key and what is wrong)', () => {
  it('invalid JSON', async () => {
    const root = makeTree({ ...CLEAN, 'authlint.config.json': '{\n  "rules": {\n    "test-no-blind-trust": "error",\n  }\n}\n' });
    const run = await runCli(['scan'], { cwd: root, rules });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^authlint: invalid configuration in authlint\.config\.json(:4:3)?: invalid JSON: .+\n$/);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it.each([
    ['an unknown level', '{ "rules": { "test-no-blind-trust": "fatal" } }', `'rules.test-no-blind-trust' must be one of "off", "note", "warning", "warn", "error"`],
    ['a wrong type', '{ "maxFileSize": "1MB" }', "'maxFileSize' must be integer"],
    ['an unknown setting', '{ "project": { "tokenContract": { "algorithm": ["RS256"] } } }', "'project.tokenContract.algorithm' is not a known setting; did you mean 'algorithms'?"],
    ['an unknown rule', '{ "rules": { "jwt-no-such-rule": "off" } }', "'rules.jwt-no-such-rule' is not a known rule"],
  ])('a config with %s', async (_name, config, problem) => {
    const root = makeTree({ ...CLEAN, '.authlintrc.json': config });
    const run = await runCli(['scan'], { cwd: root, rules });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `authlint: invalid configuration in .authlintrc.json: ${problem}\n` });
  });

  it('a --config file that does not exist', async () => {
    const run = await runCli(['scan', '--config', 'ci/authlint.json'], { cwd: makeTree(CLEAN), rules });
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'authlint: invalid configuration in ci/authlint.json: cannot read config: ENOENT\n' });
  });

  it('reads --config and applies its rule levels', async () => {
    const root = makeTree({ ...MAYBE, 'ci/strict.json': '{ "rules": { "test-prefer-verify": "error" } }' });
    expect((await runCli(['scan', '--config', 'ci/strict.json'], { cwd: root, rules })).code).toBe(1);
  });
});

describe('authlint: other commands and errors', () => {
  it('prints the version and help (exit 0)', async () => {
    const root = makeTree();
    const version = await runCli(['--version'], { cwd: root, rules });
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}\n`, stderr: '' });
    const help = await runCli(['--help'], { cwd: root, rules });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it or more warnings than --max-warnings, 2 usage, configuration or internal error.');
    const scanHelp = await runCli(['scan', '--help'], { cwd: root, rules });
    expect(scanHelp.stdout).toContain('--fail-on <level>');
  });

  it('exits 2 on usage errors', async () => {
    const root = makeTree();
    expect(await runCli(['scan', '--formt', 'json'], { cwd: root, rules })).toEqual({
      code: 2,
      stdout: '',
      stderr: "authlint: unknown option '--formt'\n(Did you mean --format?)\n",
    });
    expect((await runCli(['lint'], { cwd: root, rules })).code).toBe(2);
    const none = await runCli([], { cwd: root, rules });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: authlint');
  });

  it('lists rules with level, CWE and description', async () => {
    const run = await runCli(['rules'], { cwd: makeTree(), rules });
    expect(run.stdout).toBe(
      [
        'RULE                    LEVEL    CWE      DESCRIPTION',
        'test-no-blind-trust     error    CWE-287  Disallow calls of trustBlindly',
        'test-prefer-verify      warning  CWE-345  Require verification before maybeTrust',
        'test-throws-on-explode  error    CWE-703  Disallow nothing; crash on explode',
        '',
      ].join('\n'),
    );
    const json = await runCli(['rules', '--format', 'json'], { cwd: makeTree(), rules });
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ id: 'test-prefer-verify', level: 'warning', cwe: ['CWE-345'] }));
  });

  it('prints one line for an internal error, and the stack only with AUTHLINT_DEBUG=1', async () => {
    const broken = defineRule({ ...TEST_RULES[0]!, id: 'test-broken-schema', schema: { type: 'no-such-type' } });
    // Schemas are compiled only for options a user writes: the config gives the broken rule some.
    const root = makeTree({ ...CLEAN, 'authlint.config.json': JSON.stringify({ rules: { 'test-broken-schema': ['error', {}] } }) });
    const run = await runCli(['scan'], { cwd: root, rules: [broken] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^authlint: internal error: .*schema.* \(set AUTHLINT_DEBUG=1 for details\)\n$/);
    const debug = await runCli(['scan'], { cwd: root, rules: [broken], env: { AUTHLINT_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^authlint: internal error: .*\n.*Error.*\n\s+at /);
  });

  it('writes no progress when stderr is not a terminal', async () => {
    const run = await runCli(['scan'], { cwd: makeTree(BLIND), rules });
    expect(run.stderr).toBe('');
  });
});

describe('authlint routes', () => {
  const SERVICE = {
    'src/server.ts': [
      "import express from 'express';",
      "import { requireUser } from './auth.js';",
      'const app = express();',
      "app.get('/healthz', (req, res) => res.send('ok'));",
      'app.use(requireUser);',
      "app.get('/orders', (req, res) => res.json([]));",
      '',
    ].join('\n'),
    'src/auth.ts': [
      "import { expressjwt } from 'express-jwt';",
      "export const requireUser = expressjwt({ secret: process.env.KEY!, algorithms: ['RS256'] });",
      '',
    ].join('\n'),
  };

  it('prints the inventory as a table, JSON or Markdown', async () => {
    const root = makeTree(SERVICE);
    const table = await runCli(['routes'], { cwd: root });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^METHOD\s+PATH\s+AUTHENTICATION/);
    expect(table.stdout).toMatch(/GET\s+\/healthz\s+none/);
    const json = await runCli(['routes', '.', '--format', 'json'], { cwd: root });
    const inventory = JSON.parse(json.stdout) as { version: number; routes: Array<{ method: string; path: string; authentication: string; file: string; line: number }> };
    expect(inventory.version).toBe(1);
    expect(inventory.routes.map((r) => `${r.method} ${r.path} ${r.authentication} ${r.file}:${r.line}`)).toEqual([
      'GET /healthz none src/server.ts:4',
      'GET /orders present src/server.ts:6',
    ]);
    const markdown = await runCli(['routes', '--format', 'markdown', '--output', 'routes.md'], { cwd: root });
    expect(markdown.stdout).toBe('');
    expect(fs.readFileSync(path.join(root, 'routes.md'), 'utf8')).toContain('| GET | `/orders` |');
  });

  it('exits 2 for a folder that does not exist and for a broken config', async () => {
    expect(await runCli(['routes', 'services/missing'], { cwd: makeTree() })).toEqual({ code: 2, stdout: '', stderr: 'authlint: path does not exist: services/missing\n' });
    const run = await runCli(['routes'], { cwd: makeTree({ ...SERVICE, 'authlint.config.json': '{ "project": { "publicRoute": [] } }' }) });
    expect(run).toEqual({ code: 2, stdout: '', stderr: "authlint: invalid configuration in authlint.config.json: 'project.publicRoute' is not a known setting; did you mean 'publicRoutes'?\n" });
  });
});
