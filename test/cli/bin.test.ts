import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Each test spawns node (and the .NET multitool); give them room on a loaded CI machine.
const SLOW = { timeout: 240_000 };
import type { JsonReport } from '../../src/report/json.js';
import { ensureBuilt } from './build.js';
import { prepareMultitool, validateSarif } from './sarif-validator.js';
import { makeTree, runCli } from './support.js';
import { TEST_RULES } from './test-rules.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/authlint.js');
const SAMPLE = path.join(REPO, 'fixtures/sample-service');

beforeAll(() => {
  ensureBuilt();
  prepareMultitool();
}, 240_000);

function authlint(args: string[], options: SpawnSyncOptions = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AUTHLINT_DEBUG: '' }, ...options });
  return { code: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

/** The sample service inside a git checkout, with a suppressed finding, an unused suppression and files that cannot be analysed. */
function buildNotificationFixture(): { checkout: string; root: string } {
  const checkout = makeTree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/refs/heads/main': `${SHA}\n`,
    '.git/config': '[remote "origin"]\n\turl = https://ci:token@github.com/acme/shop.git\n',
  });
  const root = path.join(checkout, 'services/sample');
  fs.cpSync(SAMPLE, root, { recursive: true });
  const first = (JSON.parse(authlint(['scan', root, '--format', 'json']).stdout) as JsonReport).findings[0];
  if (!first) throw new Error('the sample service has no findings to suppress');
  const file = path.join(root, first.file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const indent = /^\s*/.exec(lines[first.line - 1] ?? '')?.[0] ?? '';
  lines.splice(first.line - 1, 0, `${indent}// authlint-disable-next-line ${first.ruleId} -- legacy clients, removed in Q3`);
  fs.writeFileSync(file, lines.join('\n'));
  fs.writeFileSync(path.join(root, 'src/half-written.ts'), 'export function f( {\n  return 1;\n}\n');
  fs.writeFileSync(path.join(root, 'src/logo.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  fs.writeFileSync(path.join(root, 'src/stale.ts'), `// authlint-disable-next-line ${first.ruleId} -- fixed long ago\nexport const x = 1;\n`);
  fs.symlinkSync('nowhere.ts', path.join(root, 'src/dangling.ts'));
  return { checkout, root };
}

describe('bin/authlint.js', () => {
  it('prints its version', SLOW, () => {
    const run = authlint(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n` });
  });

  it('exits 0, 1 and 2 as documented', SLOW, () => {
    const clean = makeTree({ 'src/app.ts': 'export const port = 8080;\n' });
    expect(authlint(['scan', clean]).code).toBe(0);
    expect(authlint(['scan', SAMPLE]).code).toBe(1);
    expect(authlint(['scan', SAMPLE, '--fail-on', 'none']).code).toBe(0);
    const missing = authlint(['scan', 'no-such-folder'], { cwd: clean });
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'authlint: path does not exist: no-such-folder\n' });
  });

  it('does not overflow the stack on 50,000 nested parentheses (the scan runs on a large-stack thread)', SLOW, () => {
    const depth = 50_000;
    const root = makeTree({
      'src/deep.ts': `export const v = ${'(\n'.repeat(depth)}1${')\n'.repeat(depth)};\n`,
      'src/deep-logic.js': `module.exports = ${'a && (\n'.repeat(depth)}b${')\n'.repeat(depth)};\n`,
    });
    const run = authlint(['scan', root, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary).toMatchObject({ files: 2, successful: true });
    expect(report.notifications.filter((n) => n.level === 'error')).toEqual([]);
  });

  it('reports permission denied for an unreadable file, even when the tests run as root', SLOW, () => {
    const root = makeTree({ 'src/app.ts': 'export const port = 8080;\n', 'src/secret.ts': 'export const key = 1;\n' });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, 'src/secret.ts'), 0o000);
    // root reads any file, so run the scan as `nobody` to get a real EACCES.
    const asRoot = process.getuid?.() === 0;
    const run = authlint(['scan', root, '--format', 'json'], asRoot ? { uid: 65534, gid: 65534, cwd: root } : {});
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.notifications).toEqual([{ kind: 'unreadable', level: 'error', file: 'src/secret.ts', message: 'Could not read src/secret.ts: permission denied.' }]);
    expect(report.summary).toMatchObject({ files: 1, successful: false });
  });

  it('writes byte-identical SARIF, JSON and text across runs', SLOW, () => {
    const out = makeTree();
    for (const n of [1, 2]) {
      authlint(['scan', SAMPLE, '--format', `sarif:${out}/${n}.sarif`, '--format', `json:${out}/${n}.json`, '--format', `text:${out}/${n}.txt`]);
    }
    for (const ext of ['sarif', 'json', 'txt']) {
      expect(fs.readFileSync(path.join(out, `2.${ext}`), 'utf8')).toBe(fs.readFileSync(path.join(out, `1.${ext}`), 'utf8'));
    }
  });
});

describe('SARIF validation with the SARIF multitool (rule kinds Gh;Sarif)', () => {
  it('finds problems in a broken log, so a clean result means something', SLOW, () => {
    const dir = makeTree({ 'broken.sarif': JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///abs/x.ts', uriBaseId: '%SRCROOT%' } } }] }] }] }) });
    expect(validateSarif(path.join(dir, 'broken.sarif')).length).toBeGreaterThan(0);
  });

  it('accepts the SARIF of the sample service with zero errors and warnings', SLOW, () => {
    const out = makeTree();
    const run = authlint(['scan', SAMPLE, '--format', `sarif:${out}/sample.sarif`]);
    expect(run.code).toBe(1);
    expect(validateSarif(path.join(out, 'sample.sarif'))).toEqual([]);
  });

  it('accepts the SARIF of a run with suppressions, notifications, a category and a scan root below the git checkout root', SLOW, () => {
    const { checkout, root } = buildNotificationFixture();
    const run = authlint(['scan', 'services/sample', '--format', 'sarif:sample.sarif', '--category', 'sample-service'], { cwd: checkout });
    expect(run.stderr).toBe('');
    const file = path.join(checkout, 'sample.sarif');
    const log = JSON.parse(fs.readFileSync(file, 'utf8')) as import('sarif').Log;
    const sarifRun = log.runs[0]!;
    expect(sarifRun.results!.some((r) => r.suppressions?.[0]?.justification === 'legacy clients, removed in Q3')).toBe(true);
    const kinds = sarifRun.invocations![0]!.toolExecutionNotifications!.map((n) => n.descriptor!.id);
    expect(kinds).toEqual(expect.arrayContaining(['parse-error', 'binary-file', 'unused-suppression', 'symlink']));
    expect(sarifRun.automationDetails).toEqual({ id: 'sample-service/' });
    expect(sarifRun.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/shop.git', revisionId: SHA, branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    for (const result of sarifRun.results!) expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).toMatch(/^services\/sample\/src\//);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(root);
    expect(validateSarif(file)).toEqual([]);
  });

  it('accepts the SARIF of an unsuccessful run (a rule that throws)', SLOW, async () => {
    const root = makeTree({ 'src/auth.ts': 'trustBlindly(t);\n', 'src/boom.ts': 'explode();\n' });
    await runCli(['scan', '--format', 'sarif:out.sarif'], { cwd: root, rules: TEST_RULES });
    const log = JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')) as import('sarif').Log;
    expect(log.runs[0]!.invocations![0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', descriptor: { id: 'rule-error' }, associatedRule: { id: 'test-throws-on-explode', index: 2 } }],
    });
    expect(validateSarif(path.join(root, 'out.sarif'))).toEqual([]);
  });
});
