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

  it('writes SARIF with related registrations that the SARIF multitool accepts (Gh;Sarif, no errors or warnings)', async () => {
    prepareMultitool();
    const root = makeTree(SERVICE);
    await runCli(['scan', '--format', 'sarif', '--output', 'out.sarif'], { cwd: root });
    expect(validateSarif(path.join(root, 'out.sarif'))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'out.sarif'))).toBe(true);
  });
});
