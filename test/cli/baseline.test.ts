import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { SHOP_SERVICE, writeFile } from './git-repo.js';
import { prepareMultitool, validateSarif } from './sarif-validator.js';
import { makeTree, runCli } from './support.js';

const TOKEN_HELPER = "const jwt = require('jsonwebtoken');\n\nmodule.exports = (t) => jwt.verify(t, 'hard-coded-secret');\n";
const LEGACY_SERVICE = { ...SHOP_SERVICE, 'src/legacy-token.js': TOKEN_HELPER };

async function scanJson(root: string, extra: string[] = []): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', '.', '--format', 'json', ...extra], { cwd: root });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

async function recordBaseline(root: string): Promise<string> {
  const run = await runCli(['baseline'], { cwd: root });
  expect(run).toMatchObject({ code: 0, stdout: '' });
  return fs.readFileSync(path.join(root, '.authlint-baseline.json'), 'utf8');
}

function states(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.baselineState ?? '-'}`);
}

describe('authlint baseline', () => {
  it('records every unsuppressed finding once per line, sorted, without line numbers, byte-identical across runs', async () => {
    const root = makeTree({
      ...LEGACY_SERVICE,
      'src/suppressed.js': "const jwt = require('jsonwebtoken');\n// authlint-disable-next-line -- test double\nmodule.exports = (t) => jwt.verify(t, 'test-secret');\n",
    });
    const run = await runCli(['baseline'], { cwd: root });
    expect(run.stderr).toBe('authlint: recorded 5 findings in .authlint-baseline.json.\n');
    const text = fs.readFileSync(path.join(root, '.authlint-baseline.json'), 'utf8');
    const data = JSON.parse(text) as { version: number; fingerprintKey: string; findings: Array<Record<string, string>> };
    expect(data.version).toBe(1);
    expect(data.fingerprintKey).toBe('authlint/v1');
    expect(data.findings.map((f) => `${f['file']} ${f['ruleId']}`)).toEqual([
      'src/legacy-token.js jwt-no-hardcoded-secret',
      'src/legacy-token.js jwt-no-symmetric-algorithm',
      'src/legacy-token.js jwt-require-algorithm-allowlist',
      'src/legacy-token.js jwt-require-claim-checks',
      'src/routes/legacy.js route-require-authentication',
    ]);
    expect(Object.keys(data.findings[0]!).sort()).toEqual(['file', 'fingerprint', 'level', 'message', 'ruleId']);
    // One finding per line, so that a fixed or new finding is a one-line diff.
    expect(text.split('\n').filter((line) => line.includes('"fingerprint"'))).toHaveLength(5);
    expect(await recordBaseline(root)).toBe(text);
  });

  it('writes to --output and says so', async () => {
    const root = makeTree(LEGACY_SERVICE);
    const run = await runCli(['baseline', '.', '--output', 'ci/authlint-baseline.json'], { cwd: root });
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'authlint: recorded 5 findings in ci/authlint-baseline.json.\n' });
    expect(fs.existsSync(path.join(root, 'ci/authlint-baseline.json'))).toBe(true);
  });
});

describe('authlint scan --baseline', () => {
  it('passes when every finding is in the baseline, and keeps them visible as unchanged', async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    const { code, report } = await scanJson(root, ['--baseline', '.authlint-baseline.json']);
    expect(code).toBe(0);
    expect(report.findings).toHaveLength(5);
    expect(report.findings.every((f) => f.baselineState === 'unchanged')).toBe(true);
    expect(report.absent).toEqual([]);
    expect(report.summary.baseline).toEqual({ new: 0, unchanged: 5, absent: 0 });
    expect((await scanJson(root)).code).toBe(1);
  });

  it('keeps the match when lines are inserted above a finding and unrelated code changes, and fails on a new finding', async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    writeFile(root, 'src/legacy-token.js', `// Kept for the v1 mobile clients.\n\n${TOKEN_HELPER}\nmodule.exports.version = 2;\n`);
    writeFile(root, 'src/routes/legacy.js', `${SHOP_SERVICE['src/routes/legacy.js']!}legacy.get('/export', (req, res) => res.json(req.user));\n`);
    const { code, report } = await scanJson(root, ['--baseline', '.authlint-baseline.json']);
    expect(code).toBe(1);
    expect(states(report)).toEqual([
      'src/legacy-token.js:5 jwt-no-symmetric-algorithm unchanged',
      'src/legacy-token.js:5 jwt-require-algorithm-allowlist unchanged',
      'src/legacy-token.js:5 jwt-require-claim-checks unchanged',
      'src/legacy-token.js:5 jwt-no-hardcoded-secret unchanged',
      'src/routes/legacy.js:4 route-require-authentication unchanged',
      'src/routes/legacy.js:6 route-require-authentication new',
    ]);
    expect(report.summary.baseline).toEqual({ new: 1, unchanged: 5, absent: 0 });
  });

  it('marks baselined findings in the text report and counts new, unchanged and gone ones', async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    writeFile(root, 'src/legacy-token.js', "const jwt = require('jsonwebtoken');\n\nmodule.exports = (t) => jwt.verify(t, process.env.LEGACY_KEY, { algorithms: ['RS256'], issuer: 'https://id.example.com', audience: 'shop' });\n");
    const run = await runCli(['scan', '--baseline', '.authlint-baseline.json'], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  4:1  error (baseline)  Route 'GET /legacy/report' has no authentication: the handler reads the caller's identity (reads req.user at src/routes/legacy.js:4), which is then missing or forged. Add authentication, or declare an intended public route in project.publicRoutes.  route-require-authentication\n");
    expect(run.stdout).toContain(
      'Baseline .authlint-baseline.json: 0 new, 1 finding already in the baseline; 4 baseline findings are gone (fixed, or the flagged line or file changed).\n',
    );
    const quiet = await runCli(['scan', '--baseline', '.authlint-baseline.json', '--quiet'], { cwd: root });
    expect(quiet.stdout).not.toContain('(baseline)');
  });

  it('reports fixed baseline findings as absent', async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    fs.rmSync(path.join(root, 'src/legacy-token.js'));
    const { code, report } = await scanJson(root, ['--baseline', '.authlint-baseline.json']);
    expect(code).toBe(0);
    expect(report.absent?.map((a) => `${a.file} ${a.ruleId}`)).toEqual([
      'src/legacy-token.js jwt-no-hardcoded-secret',
      'src/legacy-token.js jwt-no-symmetric-algorithm',
      'src/legacy-token.js jwt-require-algorithm-allowlist',
      'src/legacy-token.js jwt-require-claim-checks',
    ]);
  });

  it('loses the match when the flagged line is edited or the file renamed (documented)', async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    writeFile(root, 'src/routes/legacy.js', SHOP_SERVICE['src/routes/legacy.js']!.replace("legacy.get('/report',", "legacy.get('/report',  "));
    expect(states((await scanJson(root, ['--baseline', '.authlint-baseline.json'])).report)).toContain('src/routes/legacy.js:4 route-require-authentication unchanged');
    writeFile(root, 'src/routes/legacy.js', SHOP_SERVICE['src/routes/legacy.js']!.replace("'/report'", "'/reports'"));
    const edited = await scanJson(root, ['--baseline', '.authlint-baseline.json']);
    expect(states(edited.report)).toContain('src/routes/legacy.js:4 route-require-authentication new');
    expect(edited.report.absent?.map((a) => a.ruleId)).toEqual(['route-require-authentication']);
    fs.renameSync(path.join(root, 'src/legacy-token.js'), path.join(root, 'src/token.js'));
    const renamed = await scanJson(root, ['--baseline', '.authlint-baseline.json']);
    expect(renamed.report.findings.filter((f) => f.file === 'src/token.js').map((f) => f.baselineState)).toEqual(['new', 'new', 'new', 'new']);
  });

  it('exits 2 with a clear message for a missing, malformed or foreign baseline', async () => {
    const root = makeTree({ ...LEGACY_SERVICE, 'not-json.json': '{', 'other.json': '{"version":1,"fingerprintKey":"authlint/v0","findings":[]}', 'bad-entry.json': '{"version":1,"fingerprintKey":"authlint/v1","findings":[{"ruleId":"x"}]}' });
    const cases: Array<[string, string | RegExp]> = [
      ['missing.json', 'authlint: baseline file not found: missing.json (create it with authlint baseline --output missing.json)\n'],
      ['not-json.json', /^authlint: baseline not-json.json is not valid JSON: .+\n$/],
      ['other.json', "authlint: baseline other.json was recorded with fingerprints 'authlint/v0', this authlint computes 'authlint/v1'; record it again with authlint baseline\n"],
      ['bad-entry.json', 'authlint: baseline bad-entry.json: findings[0] needs ruleId, level, message, file and fingerprint\n'],
    ];
    for (const [file, stderr] of cases) {
      expect(await runCli(['scan', '--baseline', file], { cwd: root })).toEqual({ code: 2, stdout: '', stderr: typeof stderr === 'string' ? stderr : expect.stringMatching(stderr) });
    }
  });
});

describe('SARIF with baseline states', () => {
  beforeAll(() => prepareMultitool());

  it('marks results new or unchanged, adds fixed ones as absent passing results, and validates with the SARIF multitool', { timeout: 240_000 }, async () => {
    const root = makeTree(LEGACY_SERVICE);
    await recordBaseline(root);
    // Baseline entries whose file is gone, and one whose file is still there (its line was edited).
    writeFile(root, 'src/routes/legacy.js', `${SHOP_SERVICE['src/routes/legacy.js']!.replace("'/report'", "'/reports'")}legacy.get('/export', (req, res) => res.json(req.user));\n`);
    fs.rmSync(path.join(root, 'src/legacy-token.js'));
    writeFile(root, 'src/tokens/v2.js', TOKEN_HELPER.replace('hard-coded-secret', 'another-secret'));
    const run = await runCli(['scan', '--baseline', '.authlint-baseline.json', '--format', 'sarif:out.sarif'], { cwd: root });
    expect(run.code).toBe(1);
    const file = path.join(root, 'out.sarif');
    const sarif = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string; kind?: string; level?: string }> }> };
    const summary = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.baselineState} ${r.kind ?? 'fail'} ${r.level}`);
    expect(summary.filter((s) => s.includes(' absent '))).toEqual([
      'jwt-no-hardcoded-secret absent pass none',
      'jwt-no-symmetric-algorithm absent pass none',
      'jwt-require-algorithm-allowlist absent pass none',
      'jwt-require-claim-checks absent pass none',
      'route-require-authentication absent pass none',
    ]);
    expect(summary.filter((s) => s.startsWith('route-require-authentication') && !s.includes(' absent '))).toEqual([
      'route-require-authentication new fail error',
      'route-require-authentication new fail error',
    ]);
    expect(summary.filter((s) => s.includes(' new ') && s.startsWith('jwt-'))).toHaveLength(4);
    expect(validateSarif(file)).toEqual([]);
  });
});
