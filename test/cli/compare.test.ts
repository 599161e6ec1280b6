import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, makeGitRepo, SHOP_SERVICE, writeFile } from './git-repo.js';
import { makeTree, runCli } from './support.js';

const ROLE_GUARD = [
  'function requireRole(role) {',
  '  return (req, res, next) => {',
  "    if (!req.user || !req.user.roles.includes(role)) return res.status(403).end();",
  '    return next();',
  '  };',
  '}',
  '',
  'module.exports.requireRole = requireRole;',
  '',
].join('\n');

const BASE: Record<string, string> = {
  ...SHOP_SERVICE,
  'src/middleware/roles.js': ROLE_GUARD,
  'src/routes/orders.js': SHOP_SERVICE['src/routes/orders.js']!.replace(
    'module.exports = orders;',
    "const { requireRole } = require('../middleware/roles');\norders.delete('/:id', requireAuth, requireRole('admin'), (req, res) => res.status(204).end());\nmodule.exports = orders;",
  ),
};

/** The pull request: a new export route without authentication, the role check dropped from DELETE, the legacy report removed. */
function changeExposure(root: string): void {
  writeFile(root, 'src/app.js', BASE['src/app.js']!.replace('app.listen(3000);', "app.post('/api/exports', (req, res) => res.status(202).end());\napp.listen(3000);"));
  writeFile(root, 'src/routes/orders.js', BASE['src/routes/orders.js']!.replace("requireAuth, requireRole('admin'), ", 'requireAuth, '));
  writeFile(root, 'src/routes/legacy.js', BASE['src/routes/legacy.js']!.replace("legacy.get('/report', (req, res) => res.json({ owner: req.user }));\n", ''));
}

const EXPECTED_TEXT = [
  'This change adds 1 route, 1 without authentication (POST /api/exports); weakens the protection of 1 route (DELETE /orders/:id); removes 1 route.',
  '',
  'Added',
  '  + POST /api/exports  authentication none  src/app.js:10',
  '',
  'Protection changed',
  '  ! DELETE /orders/:id  src/routes/orders.js:8',
  "      authorization step removed: requireRole('admin')",
  '',
  'Removed',
  '  - GET /legacy/report  src/routes/legacy.js:4',
  '',
].join('\n');

describe('authlint routes --compare', () => {
  it('diffs the exposure against a git ref: added, weakened and removed routes', async () => {
    const root = makeGitRepo(BASE);
    changeExposure(root);
    const run = await runCli(['routes', '--compare', 'HEAD'], { cwd: root });
    expect(run).toEqual({ code: 0, stdout: EXPECTED_TEXT, stderr: '' });
  });

  it('compares with an inventory file from an earlier run, in JSON and Markdown', async () => {
    const root = makeTree(BASE);
    expect((await runCli(['routes', '--format', 'json', '--output', 'base-routes.json'], { cwd: root })).code).toBe(0);
    changeExposure(root);
    const text = await runCli(['routes', '--compare', 'base-routes.json'], { cwd: root });
    expect(text.stdout).toBe(EXPECTED_TEXT);
    const json = JSON.parse((await runCli(['routes', '--compare', 'base-routes.json', '--format', 'json'], { cwd: root })).stdout) as Record<string, unknown>;
    expect(json['summary']).toEqual({
      added: 1,
      addedWithoutAuthentication: 1,
      removed: 1,
      changed: 1,
      weakened: 1,
      text: EXPECTED_TEXT.split('\n')[0],
    });
    expect(json['changed']).toEqual([
      { method: 'DELETE', path: '/orders/:id', file: 'src/routes/orders.js', line: 8, changes: [{ kind: 'authorization-removed', from: "requireRole('admin')", to: '', weakens: true }] },
    ]);
    const markdown = await runCli(['routes', '--compare', 'base-routes.json', '--format', 'markdown'], { cwd: root });
    expect(markdown.stdout).toContain('| POST `/api/exports` | none | - | src/app.js:10 |');
    expect(markdown.stdout).toContain("| ⚠️ DELETE `/orders/:id` | authorization step removed: requireRole('admin') | src/routes/orders.js:8 |");
  });

  it('reports an authentication middleware that stopped checking as weakened routes, and a clean diff as such', async () => {
    const root = makeGitRepo(BASE);
    expect((await runCli(['routes', '--compare', 'HEAD'], { cwd: root })).stdout).toBe('No route exposure changes since HEAD.\n');
    writeFile(root, 'src/middleware/auth.js', 'function requireAuth(req, res, next) {\n  return next();\n}\n\nmodule.exports = { requireAuth };\n');
    commitAll(root, 'open up');
    const run = await runCli(['routes', '--compare', 'HEAD~1'], { cwd: root });
    expect(run.stdout.split('\n')[0]).toBe('This change weakens the protection of 3 routes (GET /orders, DELETE /orders/:id, POST /orders/:id/cancel).');
    expect(run.stdout).toContain('      authentication requireAuth → none\n');
  });

  it('analyses only the scanned folder of a monorepo at the ref, and treats a folder new since the ref as all added', async () => {
    const files: Record<string, string> = {};
    for (const [rel, text] of Object.entries(BASE)) files[`services/shop/${rel}`] = text;
    const root = makeGitRepo({ ...files, 'services/other/app.js': "const app = require('express')();\napp.get('/x', (q, s) => s.end());\n" });
    changeExposure(path.join(root, 'services/shop'));
    expect((await runCli(['routes', 'services/shop', '--compare', 'HEAD'], { cwd: root })).stdout).toBe(EXPECTED_TEXT);
    writeFile(root, 'services/new/app.js', "const express = require('express');\nconst app = express();\napp.get('/y', (q, s) => s.end());\n");
    expect((await runCli(['routes', 'services/new', '--compare', 'HEAD'], { cwd: root })).stdout.split('\n')[0]).toBe(
      'This change adds 1 route, 1 without authentication (GET /y).',
    );
  });

  it('exits 2 for an unknown ref, a folder outside git, or a file that is not an inventory', async () => {
    const root = makeGitRepo(BASE);
    const unknown = await runCli(['routes', '--compare', 'release-9'], { cwd: root });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^authlint: --compare: unknown git ref 'release-9'/);
    const plain = makeTree({ 'app.js': "require('express')().get('/', (q, s) => s.end());\n", 'report.json': '{"version":1,"findings":[]}' });
    expect((await runCli(['routes', '--compare', 'main'], { cwd: plain })).stderr).toMatch(/^authlint: --compare needs a git checkout/);
    expect(await runCli(['routes', '--compare', 'report.json'], { cwd: plain })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'authlint: --compare report.json: not a route inventory (the output of authlint routes --format json, version 1)\n',
    });
    expect(fs.readdirSync(plain)).toEqual(['app.js', 'report.json']);
  });
});
