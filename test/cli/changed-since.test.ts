import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { commitAll, git, makeGitRepo, OPEN_AUTH_MIDDLEWARE, SHOP_SERVICE, writeFile } from './git-repo.js';
import { makeTree, runCli } from './support.js';

const TOKEN_HELPER = "const jwt = require('jsonwebtoken');\n\nmodule.exports = (t) => jwt.verify(t, 'hard-coded-secret');\n";

async function changedSince(root: string, ref: string, extra: string[] = []): Promise<{ code: number; findings: string[]; stderr: string }> {
  const run = await runCli(['scan', '.', '--format', 'json', '--changed-since', ref, ...extra], { cwd: root });
  const report = run.stdout ? (JSON.parse(run.stdout) as JsonReport) : undefined;
  return { code: run.code, findings: (report?.findings ?? []).map((f) => `${f.file}:${f.line} ${f.ruleId}`), stderr: run.stderr };
}

/** The shop service with a legacy token helper on main, and a feature branch checked out. */
function makeFeatureBranch(): string {
  const root = makeGitRepo({ ...SHOP_SERVICE, 'src/legacy-token.js': TOKEN_HELPER });
  git(root, 'checkout', '-q', '-b', 'feature');
  return root;
}

describe('authlint scan --changed-since', () => {
  it('reports nothing on a branch without changes, and says how many findings it left out', async () => {
    const root = makeFeatureBranch();
    expect(await changedSince(root, 'main')).toEqual({
      code: 0,
      findings: [],
      stderr: 'authlint: --changed-since main: reporting findings that touch changed files; 5 findings elsewhere not shown.\n',
    });
  });

  it('reports the routes a middleware edit unprotects although their files are untouched', async () => {
    const root = makeFeatureBranch();
    writeFile(root, 'src/middleware/auth.js', OPEN_AUTH_MIDDLEWARE);
    commitAll(root, 'skip token checks');
    const run = await changedSince(root, 'main');
    expect(run.code).toBe(1);
    expect(run.findings).toEqual(['src/routes/orders.js:5 route-require-authentication', 'src/routes/orders.js:6 route-require-authentication']);
  });

  it('reports a finding whose related location (the mount) is in a changed file', async () => {
    const root = makeFeatureBranch();
    writeFile(root, 'src/app.js', SHOP_SERVICE['src/app.js']!.replace("app.use('/legacy', legacy);", "app.use('/legacy/v2', legacy);"));
    const run = await changedSince(root, 'main');
    expect(run.findings).toEqual(['src/routes/legacy.js:4 route-require-authentication']);
  });

  it('counts uncommitted and untracked files as changed, and reads the diff from where the branch left the ref', async () => {
    const root = makeFeatureBranch();
    writeFile(root, 'src/legacy-token.js', `// still used by v1\n${TOKEN_HELPER}`);
    expect((await changedSince(root, 'main')).findings).toHaveLength(4);
    git(root, 'checkout', '-q', '--', 'src/legacy-token.js');
    writeFile(root, 'src/new-token.js', TOKEN_HELPER);
    expect((await changedSince(root, 'main')).findings.every((f) => f.startsWith('src/new-token.js:3 '))).toBe(true);
    fs.rmSync(path.join(root, 'src/new-token.js'));
    // A later commit on main touching the helper is not a change of this branch.
    git(root, 'checkout', '-q', 'main');
    writeFile(root, 'src/legacy-token.js', `${TOKEN_HELPER}// main moved on\n`);
    commitAll(root, 'main moves on');
    git(root, 'checkout', '-q', 'feature');
    expect((await changedSince(root, 'main')).findings).toEqual([]);
  });

  it('reports only changed files below a scan root inside the checkout', async () => {
    const root = makeGitRepo({ 'README.md': 'monorepo\n', 'services/shop/src/token.js': TOKEN_HELPER, 'services/other/src/token.js': TOKEN_HELPER });
    writeFile(root, 'services/other/src/token.js', `// touched\n${TOKEN_HELPER}`);
    const scanShop = async () =>
      (JSON.parse((await runCli(['scan', 'services/shop', '--format', 'json', '--changed-since', 'HEAD'], { cwd: root })).stdout) as JsonReport).findings.map((f) => f.file);
    expect(await scanShop()).toEqual([]);
    writeFile(root, 'services/shop/src/token.js', `// touched\n${TOKEN_HELPER}`);
    expect(await scanShop()).toEqual(['src/token.js', 'src/token.js', 'src/token.js', 'src/token.js']);
  });

  it('exits 2 for an unknown ref or outside a git checkout', async () => {
    const root = makeFeatureBranch();
    expect(await changedSince(root, 'no-such-branch')).toEqual({
      code: 2,
      findings: [],
      stderr: "authlint: --changed-since: unknown git ref 'no-such-branch' (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0, or git fetch origin no-such-branch)\n",
    });
    expect((await changedSince(root, '--output=x')).code).toBe(2);
    const plain = makeTree({ 'src/token.js': TOKEN_HELPER });
    const outside = await changedSince(plain, 'main');
    expect(outside).toMatchObject({ code: 2, findings: [] });
    expect(outside.stderr).toMatch(/^authlint: --changed-since needs a git checkout, and .+ is not inside one\n$/);
  });

  it('exits 2 when git is not installed', async () => {
    const root = makeFeatureBranch();
    const savedPath = process.env['PATH'];
    process.env['PATH'] = path.join(root, 'no-bin');
    try {
      expect(await changedSince(root, 'main')).toEqual({ code: 2, findings: [], stderr: 'authlint: --changed-since needs git, which is not installed or not on PATH\n' });
    } finally {
      process.env['PATH'] = savedPath;
    }
  });
});
