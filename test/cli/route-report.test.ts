import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from './support.js';
import { prepareMultitool, validateSarif } from './sarif-validator.js';

/** An Express service whose POST /orders is registered by two calls, and whose /reports route has an unknown step. */
const SERVICE = {
  'src/auth.ts': [
    "import { expressjwt } from 'express-jwt';",
    "export const requireUser = expressjwt({ secret: process.env.KEY!, algorithms: ['RS256'] });",
    '',
  ].join('\n'),
  'src/server.ts': [
    "import express from 'express';",
    "import { requireUser } from './auth.js';",
    'const app = express();',
    "app.get('/me', requireUser, (req, res) => res.json(req.auth));",
    "app.post('/orders', (req, res, next) => (req.body ? next() : res.sendStatus(400)));",
    "app.post('/orders', (req, res) => res.status(201).json({ created: true }));",
    '',
  ].join('\n'),
};

interface JsonFinding {
  ruleId: string;
  line: number;
  related: Array<{ file: string; line: number; message: string }>;
}

describe('a route registered by several calls', () => {
  it('is one finding with the other registration as a related location in JSON, SARIF and text', async () => {
    const root = makeTree(SERVICE);
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as { findings: JsonFinding[] };
    const routeFindings = json.findings.filter((f) => f.ruleId === 'route-require-authentication');
    expect(routeFindings.map((f) => [f.line, f.related])).toEqual([[5, [{ file: 'src/server.ts', line: 6, column: 1, endLine: 6, endColumn: 75, message: "'POST /orders' is also registered here." }]]]);

    const sarif = JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: root })).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; relatedLocations?: Array<{ physicalLocation: { region: { startLine: number } }; message: { text: string } }> }> }>;
    };
    const results = sarif.runs[0]?.results.filter((r) => r.ruleId === 'route-require-authentication') ?? [];
    expect(results.map((r) => r.relatedLocations?.map((l) => [l.physicalLocation.region.startLine, l.message.text]))).toEqual([
      [[6, "'POST /orders' is also registered here."]],
    ]);

    const text = (await runCli(['scan'], { cwd: root })).stdout;
    expect(text.match(/Route 'POST \/orders'/g)).toHaveLength(1);
    expect(text).toContain("related: src/server.ts:6:1 'POST /orders' is also registered here.");
  });

  it('is one row of the inventory when both registrations give it the same protection, naming the other call', async () => {
    const root = makeTree(SERVICE);
    const json = JSON.parse((await runCli(['routes', '--format', 'json'], { cwd: root })).stdout) as {
      summary: { total: number };
      routes: Array<{ method: string; path: string; line: number; registrations?: Array<{ file: string; line: number }> }>;
    };
    expect(json.summary.total).toBe(2);
    expect(json.routes.filter((r) => r.path === '/orders')).toMatchObject([{ method: 'POST', line: 5, registrations: [{ file: 'src/server.ts', line: 6 }] }]);
    expect((await runCli(['routes'], { cwd: root })).stdout).toMatch(/POST\s+\/orders\s+none\s+none\s+-\s+src\/server\.ts:5\s+also registered at src\/server\.ts:6\n/);
  });

  it('keeps apart registrations whose protection differs, each naming the other', async () => {
    const root = makeTree({
      ...SERVICE,
      'src/server.ts': [
        "import express from 'express';",
        "import { requireUser } from './auth.js';",
        'const app = express();',
        "app.get('/orders', (req, res) => res.json([]));",
        "app.get('/orders', requireUser, (req, res) => res.json([]));",
        '',
      ].join('\n'),
    });
    const table = (await runCli(['routes'], { cwd: root })).stdout;
    expect(table).toMatch(/GET\s+\/orders\s+none\s.*src\/server\.ts:4\s+also registered at src\/server\.ts:5\n/);
    expect(table).toMatch(/GET\s+\/orders\s+requireUser\s.*src\/server\.ts:5\s+also registered at src\/server\.ts:4\n/);
  });

  it('shows a middleware-only registration in front of the handler registration as part of that row', async () => {
    const root = makeTree({
      ...SERVICE,
      'src/server.ts': [
        "import express from 'express';",
        "import { requireUser } from './auth.js';",
        'const app = express();',
        "app.put('/orders/:id', requireUser);",
        "app.put('/orders/:id', (req, res) => res.json({ updated: req.params.id }));",
        '',
      ].join('\n'),
    });
    const json = JSON.parse((await runCli(['routes', '--format', 'json'], { cwd: root })).stdout) as {
      routes: Array<{ method: string; line: number; authentication: string; registrations?: Array<{ line: number }> }>;
    };
    expect(json.routes).toMatchObject([{ method: 'PUT', line: 5, authentication: 'present', registrations: [{ line: 4 }] }]);
  });

  it('writes SARIF with related registrations that the SARIF multitool accepts (Gh;Sarif, no errors or warnings)', async () => {
    prepareMultitool();
    const root = makeTree(SERVICE);
    await runCli(['scan', '--format', 'sarif', '--output', 'out.sarif'], { cwd: root });
    expect(validateSarif(path.join(root, 'out.sarif'))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'out.sarif'))).toBe(true);
  });
});

/** Three routes the rules cannot judge, one per reason, beside one they judge. */
const UNJUDGED = {
  'src/server.ts': [
    "import express from 'express';",
    "import { authenticate } from '@acme/session';",
    "import { requireUser } from './auth.js';",
    "import { reports } from './reports.js';",
    'const app = express();',
    "app.get('/me', requireUser, (req, res) => res.json(req.auth));",
    "app.get('/invoices', authenticate(), (req, res) => res.json([]));",
    'app.use(process.env.REPORTS_PREFIX, reports);',
    '',
  ].join('\n'),
  'src/auth.ts': SERVICE['src/auth.ts'],
  'src/reports.ts': ["import { Router } from 'express';", 'export const reports = Router();', "reports.post('/run', (req, res) => res.json({}));", ''].join('\n'),
  'src/orphan.ts': ["import { Router } from 'express';", 'const orphan = Router();', "orphan.delete('/cache', (req, res) => res.sendStatus(204));", ''].join('\n'),
};

describe('routes the rules cannot judge', () => {
  it('are counted by reason in one notification and in the text summary line', async () => {
    const root = makeTree(UNJUDGED);
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as {
      notifications: Array<{ kind: string; level: string; count?: number; message: string }>;
    };
    const notes = json.notifications.filter((n) => n.kind === 'routes-not-judged');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', count: 3 });
    expect(notes[0]?.message).toBe(
      '3 routes not judged: the route rules cannot tell whether they require authentication, so no finding does not mean protected: ' +
        "1 behind unclassified middleware that may authenticate (GET /invoices at src/server.ts:7 behind 'authenticate()'); " +
        '1 with a path part known only at run time (POST /<unresolved>/run at src/reports.ts:3); ' +
        '1 declared on a router or controller that no resolved application reaches (DELETE /<unresolved>/cache at src/orphan.ts:3). ' +
        "Name in-house middleware in project.authenticationMiddleware or project.authorizationMiddleware; 'authlint routes' lists them.",
    );
    const text = (await runCli(['scan'], { cwd: root })).stdout;
    expect(text).toMatch(/in 4 files \(\d+ lines\); 3 routes not judged \(see notifications\)\.\n$/);
    expect(text).toContain('warning  3 routes not judged');
  });

  it('are a SARIF tool execution notification that the multitool accepts', async () => {
    prepareMultitool();
    const root = makeTree(UNJUDGED);
    await runCli(['scan', '--format', 'sarif', '--output', 'out.sarif'], { cwd: root });
    const log = JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')) as {
      runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; descriptor: { id: string }; message: { text: string } }> }> }>;
    };
    const notes = log.runs[0]?.invocations[0]?.toolExecutionNotifications.filter((n) => n.descriptor.id === 'routes-not-judged');
    expect(notes?.map((n) => [n.level, n.message.text.slice(0, 20)])).toEqual([['warning', '3 routes not judged:']]);
    expect(validateSarif(path.join(root, 'out.sarif'))).toEqual([]);
  });

  it('stay one short notification with two examples per reason however many routes there are', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `app.get('/reports/${i}', authenticate(), (req, res) => res.json([]));`);
    const root = makeTree({ ...UNJUDGED, 'src/many.ts': ["import express from 'express';", "import { authenticate } from '@acme/session';", 'const app = express();', ...lines, ''].join('\n') });
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as { notifications: Array<{ kind: string; count?: number; message: string }> };
    const note = json.notifications.find((n) => n.kind === 'routes-not-judged');
    expect(note?.count).toBe(203);
    expect(note?.message).toContain("201 behind unclassified middleware that may authenticate (GET /reports/0 at src/many.ts:4 behind 'authenticate()', GET /reports/1 at src/many.ts:5 behind 'authenticate()', …)");
    expect(note?.message.length).toBeLessThan(800);
  });

  it('are not counted when no route rule runs', async () => {
    const root = makeTree({ ...UNJUDGED, 'authlint.config.json': JSON.stringify({ rules: { 'route-require-authentication': 'off', 'route-no-unprotected-internal': 'off', 'route-require-authorization': 'off' } }) });
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as { notifications: Array<{ kind: string }> };
    expect(json.notifications.filter((n) => n.kind === 'routes-not-judged')).toEqual([]);
  });
});

describe('where a route finding points', () => {
  const CHAINED = {
    'src/auth.ts': SERVICE['src/auth.ts'],
    'src/users.ts': [
      "import { Router } from 'express';",
      "import { requireUser } from './auth.js';",
      'export const users = Router();',
      "users.get('/me', requireUser, (req, res) => res.json(req.auth));",
      'users',
      "  .route('/')",
      '  .post((req, res) => res.status(201).json({}))',
      '  .get((req, res) => res.json([]));',
      'users.put(',
      "  '/:id/avatar',",
      '  (req, res, next) => next(),',
      '  (req, res) => res.json({}),',
      ');',
      '',
    ].join('\n'),
    'src/app.ts': ["import express from 'express';", "import { users } from './users.js';", 'const app = express();', "app.use('/users', users);", ''].join('\n'),
  };

  it('is the method of a .route() chain, not the router variable, and a multi-line registration is framed with its handler', async () => {
    const root = makeTree(CHAINED);
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: root })).stdout) as { findings: Array<JsonFinding & { column: number; endLine: number; message: string }> };
    expect(json.findings.filter((f) => f.ruleId === 'route-require-authentication').map((f) => `${f.line}:${f.column}-${f.endLine} ${f.message.slice(0, f.message.indexOf(' has'))}`)).toEqual([
      "7:4-7 Route 'POST /users'",
      "8:4-8 Route 'GET /users'",
      "9:1-12 Route 'PUT /users/:id/avatar'",
    ]);
    const text = (await runCli(['scan'], { cwd: root })).stdout;
    expect(text).toContain(['    7 |   .post((req, res) => res.status(201).json({}))', '      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^'].join('\n'));
    expect(text).toContain(['     9 | users.put(', '       | ^^^^^^^^^^', '       | …', '    12 |   (req, res) => res.json({}),', '       |   ^^^^^^^^^^^^^^^^^^^^^^^^^^'].join('\n'));
    const routes = (await runCli(['routes'], { cwd: root })).stdout;
    expect(routes).toMatch(/POST\s+\/users\s.*src\/users\.ts:7\n/);
    expect(routes).toMatch(/GET\s+\/users\s.*src\/users\.ts:8\n/);
  });
});
