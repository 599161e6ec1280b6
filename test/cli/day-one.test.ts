import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RouteInventory } from '../../src/core/inventory.js';
import type { JsonReport } from '../../src/report/json.js';
import { git, makeGitRepo, writeFile } from './git-repo.js';
import { makeTree, runCli } from './support.js';
import { TEST_RULES } from './test-rules.js';

const rules = TEST_RULES;
const MAYBE_TWICE = { 'src/session.ts': 'export const a = maybeTrust(cookie);\nexport const b = maybeTrust(header);\n' };

/** An Express service whose guard and app live in files other than the routers. */
const MOUNTED_SERVICE = {
  'src/app.ts': [
    "import express from 'express';",
    "import { requireAuth } from './auth';",
    "import { adminRouter } from './admin';",
    "import { postsRouter } from './posts';",
    '',
    'const app = express();',
    "app.use('/posts', postsRouter);",
    "app.use('/admin', requireAuth, adminRouter);",
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/auth.ts': [
    "import jwt from 'jsonwebtoken';",
    '',
    'export function requireAuth(req, res, next) {',
    "  req.user = jwt.verify(req.headers.authorization, process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'] });",
    '  next();',
    '}',
    '',
  ].join('\n'),
  'src/admin.ts': "import express from 'express';\n\nexport const adminRouter = express.Router();\nadminRouter.get('/users', (req, res) => res.json([]));\n",
  'src/posts.ts': "import express from 'express';\n\nexport const postsRouter = express.Router();\npostsRouter.delete('/:id', (req, res) => res.json({ deleted: req.params.id }));\n",
};

describe('authlint scan --include', () => {
  it('narrows what is reported, not the project model: a guard and an app in other files still judge the included routes', async () => {
    const root = makeTree(MOUNTED_SERVICE);
    const routes = await runCli(['routes', '.', '--format', 'json', '--include', 'src/admin.ts', '--include', 'src/posts.ts'], { cwd: root });
    const inventory = JSON.parse(routes.stdout) as RouteInventory;
    expect(inventory.routes.map((r) => [r.method, r.path, r.authentication, r.authenticationStep?.file])).toEqual([
      ['GET', '/admin/users', 'present', 'src/app.ts'],
      ['DELETE', '/posts/:id', 'none', undefined],
    ]);
    const scan = await runCli(['scan', '.', '--format', 'json', '--include', 'src/posts.ts'], { cwd: root });
    const report = JSON.parse(scan.stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['route-require-authentication src/posts.ts:4']);
    expect(report.summary).toMatchObject({ files: 1 });
    expect(scan.code).toBe(1);
  });

  it('lists only the routes registered in included files', async () => {
    const root = makeTree(MOUNTED_SERVICE);
    const routes = await runCli(['routes', '.', '--format', 'json', '--include', 'src/admin.ts'], { cwd: root });
    expect((JSON.parse(routes.stdout) as RouteInventory).routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /admin/users']);
  });

  it('exits 2 naming a glob that matches no file', async () => {
    const root = makeTree(MAYBE_TWICE);
    expect(await runCli(['scan', '.', '--include', 'src/**/*.ts', '--include', 'lib/**'], { cwd: root, rules })).toEqual({
      code: 2,
      stdout: '',
      stderr: "authlint: --include 'lib/**' matches no JavaScript or TypeScript file\n",
    });
    expect((await runCli(['routes', '.', '--include', 'scr/**'], { cwd: root, rules })).stderr).toBe(
      "authlint: --include 'scr/**' matches no JavaScript or TypeScript file\n",
    );
  });
});

describe('authlint scan: levels, --max-warnings, --print-config', () => {
  it('reads "warn" as "warning" in --fail-on and in the config', async () => {
    const root = makeTree(MAYBE_TWICE);
    expect((await runCli(['scan', '--fail-on', 'warn'], { cwd: root, rules })).code).toBe(1);
    const downgraded = makeTree({ 'src/auth.ts': 'trustBlindly(t);\n', 'authlint.config.json': '{ "rules": { "test-no-blind-trust": "warn" } }' });
    const run = await runCli(['scan', '--format', 'json'], { cwd: downgraded, rules });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.level)).toEqual(['warning']);
  });

  it('exits 1 with more warnings than --max-warnings, and names the count', async () => {
    const root = makeTree(MAYBE_TWICE);
    expect(await runCli(['scan', '--max-warnings', '2', '--quiet'], { cwd: root, rules })).toEqual({ code: 0, stdout: '', stderr: '' });
    const over = await runCli(['scan', '--max-warnings', '1', '--quiet'], { cwd: root, rules });
    expect(over).toEqual({ code: 1, stdout: '', stderr: 'authlint: 2 warnings, more than --max-warnings 1.\n' });
    const suppressed = makeTree({ 'src/session.ts': '// authlint-disable-next-line test-prefer-verify -- signed cookie\nexport const a = maybeTrust(cookie);\n' });
    expect((await runCli(['scan', '--max-warnings', '0'], { cwd: suppressed, rules })).code).toBe(0);
    expect((await runCli(['scan', '--max-warnings', 'many'], { cwd: root, rules })).stderr).toMatch(/--max-warnings <n>' argument 'many' is invalid/);
  });

  it('prints the effective configuration as JSON and scans nothing', async () => {
    const root = makeTree({
      ...MAYBE_TWICE,
      'authlint.config.json': '{ "exclude": ["scripts/**"], "rules": { "test-prefer-verify": "warn", "test-throws-on-explode": "off" }, "project": { "publicRoutes": ["GET /health"] } }',
    });
    const run = await runCli(['scan', '--print-config', '--include', 'src/**'], { cwd: root, rules });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      root: '.',
      configFile: 'authlint.config.json',
      include: ['src/**'],
      exclude: ['scripts/**'],
      maxFileSize: 1048576,
      project: { publicRoutes: ['GET /health'] },
      rules: { 'test-no-blind-trust': ['error', {}], 'test-prefer-verify': ['warning', {}], 'test-throws-on-explode': 'off' },
    });
    const broken = makeTree({ 'authlint.config.json': '{ "rules": { "test-prefer-verfy": "warn" } }' });
    expect(await runCli(['scan', '--print-config'], { cwd: broken, rules })).toEqual({
      code: 2,
      stdout: '',
      stderr: "authlint: invalid configuration in authlint.config.json: 'rules.test-prefer-verfy' is not a known rule; did you mean 'test-prefer-verify'?\n",
    });
  });
});

describe('authlint rules <id>', () => {
  it("prints the rule's documentation", async () => {
    const run = await runCli(['rules', 'jwt-no-none-algorithm'], { cwd: makeTree() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^jwt-no-none-algorithm: Disallow .+\nlevel error, file rule, precision [a-z-]+, CWE-\d+/);
    expect(run.stdout).toContain('\n# jwt-no-none-algorithm\n');
    expect(run.stdout).toContain('## Known limitations');
  });

  it('exits 2 for an unknown id, with the closest one', async () => {
    expect(await runCli(['rules', 'jwt-no-none-algoritm'], { cwd: makeTree() })).toEqual({
      code: 2,
      stdout: '',
      stderr: "authlint: unknown rule 'jwt-no-none-algoritm'; did you mean 'jwt-no-none-algorithm'? (authlint rules lists them)\n",
    });
    expect((await runCli(['rules', 'authlint/route-require-authorization'], { cwd: makeTree() })).stderr).toContain("did you mean 'route-require-authorization'?");
  });
});

describe('authlint scan --format sarif inside a git checkout', () => {
  /** Runs the CLI with version-control facts read from .git, as a real run does. */
  async function scanSarif(cwd: string, target: string): Promise<Log> {
    let stdout = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, cwd, env: {}, rules };
    await main(['scan', target, '--format', 'sarif'], io);
    return JSON.parse(stdout) as Log;
  }

  it('makes %SRCROOT% the scan root for a folder the checkout ignores, so no URI points into that repository', async () => {
    const repo = makeGitRepo({ '.gitignore': 'scratch/\n', 'services/api/src/auth.ts': 'trustBlindly(t);\n' });
    git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/platform.git');
    writeFile(repo, 'scratch/copied-service/src/auth.ts', 'trustBlindly(t);\n');
    const ignored = (await scanSarif(repo, 'scratch/copied-service')).runs[0]!;
    expect(ignored.versionControlProvenance).toBeUndefined();
    expect(ignored.originalUriBaseIds).toEqual({ '%SRCROOT%': { description: { text: 'The folder authlint scanned.' } } });
    expect(ignored.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation)).toEqual([{ uri: 'src/auth.ts', uriBaseId: '%SRCROOT%' }]);

    const tracked = (await scanSarif(repo, 'services/api')).runs[0]!;
    expect(tracked.versionControlProvenance).toMatchObject([{ repositoryUri: 'https://github.com/acme/platform.git', branch: 'main' }]);
    expect(tracked.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual(['services/api/src/auth.ts']);
  });
});

describe('suppressions above a NestJS decorator stack', () => {
  const controller = (comment: string) =>
    [
      "import { Controller, Delete, Param } from '@nestjs/common';",
      "import { ApiOperation } from '@nestjs/swagger';",
      '',
      "@Controller('orders')",
      'export class OrdersController {',
      comment,
      "  @ApiOperation({ summary: 'Delete an order' })",
      "  @Delete(':id')",
      "  remove(@Param('id') id: string) {",
      '    return this.orders.remove(id);',
      '  }',
      '}',
      '',
    ].join('\n');
  const service = (comment: string) => ({
    'src/orders.controller.ts': controller(comment),
    'src/profile.controller.ts': [
      "import { Controller, Get, UseGuards } from '@nestjs/common';",
      "import { AuthGuard } from '@nestjs/passport';",
      '',
      "@Controller('profile')",
      "@UseGuards(AuthGuard('jwt'))",
      'export class ProfileController {',
      '  @Get()',
      '  get() {',
      '    return {};',
      '  }',
      '}',
      '',
    ].join('\n'),
    'src/app.module.ts': [
      "import { Module } from '@nestjs/common';",
      "import { OrdersController } from './orders.controller';",
      "import { ProfileController } from './profile.controller';",
      '',
      '@Module({ controllers: [OrdersController, ProfileController] })',
      'export class AppModule {}',
      '',
    ].join('\n'),
  });

  it.each([
    ['authlint-disable-next-line', '  // authlint-disable-next-line route-require-authentication -- the gateway allows only the back office'],
    ['eslint-disable-next-line', '  // eslint-disable-next-line authlint/route-require-authentication -- the gateway allows only the back office'],
  ])('%s above @ApiOperation(...) above @Delete() suppresses the route finding', async (_kind, comment) => {
    const open = JSON.parse((await runCli(['scan', '.', '--format', 'json'], { cwd: makeTree(service('  // reviewed')) })).stdout) as JsonReport;
    expect(open.findings.map((f) => `${f.ruleId} ${f.line} ${f.suppressed ? 'suppressed' : 'active'}`)).toEqual(['route-require-authentication 8 active']);
    const run = await runCli(['scan', '.', '--format', 'json'], { cwd: makeTree(service(comment)) });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(run.code).toBe(0);
    expect(report.findings.map((f) => `${f.ruleId} ${f.line} ${f.suppressed?.justification ?? 'active'}`)).toEqual([
      'route-require-authentication 8 the gateway allows only the back office',
    ]);
    expect(report.notifications.filter((n) => n.kind === 'unused-suppression')).toEqual([]);
  });
});

describe('route locations and GitHub annotations', () => {
  it("locates each method of a route('/path') chain at its own line, not at the chain's first line", async () => {
    const root = makeTree({
      ...MOUNTED_SERVICE,
      'src/posts.ts': [
        "import express from 'express';",
        "import { requireAuth } from './auth';",
        '',
        'export const postsRouter = express.Router();',
        'postsRouter',
        "  .route('/:id')",
        '  .get(requireAuth, (req, res) => res.json({}))',
        '  .delete((req, res) => res.json({ deleted: req.params.id }));',
        '',
      ].join('\n'),
    });
    const inventory = JSON.parse((await runCli(['routes', '.', '--format', 'json'], { cwd: root })).stdout) as RouteInventory;
    expect(inventory.routes.filter((r) => r.file === 'src/posts.ts').map((r) => `${r.method} ${r.path} ${r.line}:${r.column}`)).toEqual([
      'DELETE /posts/:id 8:4',
      'GET /posts/:id 7:4',
    ]);
    const report = JSON.parse((await runCli(['scan', '.', '--format', 'json', '--include', 'src/posts.ts'], { cwd: root })).stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.ruleId} ${f.line}`)).toEqual(['route-require-authentication 8']);
  });

  it("locates each route of a Fastify instance chain at its own line, in the inventory and in findings", async () => {
    const root = makeTree({
      'src/app.js': [
        "const fastify = require('fastify')();",
        "fastify.decorate('authenticate', async (request) => { await request.jwtVerify(); });",
        'fastify',
        "  .get('/me', { onRequest: [fastify.authenticate] }, async (request) => request.user)",
        "  .post('/follow', async (request) => ({ followed: request.body.userId }));",
        '',
      ].join('\n'),
    });
    const inventory = JSON.parse((await runCli(['routes', '.', '--format', 'json'], { cwd: root })).stdout) as RouteInventory;
    expect(inventory.routes.map((r) => `${r.method} ${r.path} ${r.line}:${r.column}`)).toEqual(['POST /follow 5:4', 'GET /me 4:4']);
    const report = JSON.parse((await runCli(['scan', '.', '--format', 'json'], { cwd: root })).stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.ruleId} ${f.line}:${f.column}`)).toEqual(['route-require-authentication 5:4']);
  });

  it('writes GitHub workflow-command annotations with --format github', async () => {
    const root = makeTree({ 'src/auth.ts': 'export function login(t: string) {\n  return trustBlindly(t);\n}\n', ...MAYBE_TWICE });
    const run = await runCli(['scan', '.', '--format', 'github'], { cwd: root, rules });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "::error file=src/auth.ts,line=2,col=10,endLine=2,endColumn=25,title=authlint test-no-blind-trust::The call 'trustBlindly()' trusts its input without verification.",
        "::warning file=src/session.ts,line=1,col=18,endLine=1,endColumn=36,title=authlint test-prefer-verify::The call 'maybeTrust()' may trust unverified input.",
        "::warning file=src/session.ts,line=2,col=18,endLine=2,endColumn=36,title=authlint test-prefer-verify::The call 'maybeTrust()' may trust unverified input.",
        '',
      ].join('\n'),
    );
  });
});
