import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProjectStats } from '../../src/core/project.js';
import { loadRuns } from '../../src/core/run-cache.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { edit, shown, write } from '../support/edits.js';
import { GUARDED_NOTES_SERVICE, OPEN_GATE } from '../support/services.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function service(files: Readonly<Record<string, string>> | string): { root: string; cache: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-runs-')));
  created.push(dir);
  const root = path.join(dir, 'service');
  if (typeof files === 'string') fs.cpSync(path.join(FIXTURES, files), root, { recursive: true });
  else for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return { root, cache: path.join(dir, 'cache') };
}

/** A scan with the cache, checked against one without it, and what it reused of the last scan (ProjectStats.runs). */
function rescan(root: string, cache: string): { result: ScanResult; runs: ProjectStats['runs'] } {
  let runs: ProjectStats['runs'];
  const result = scan({ root, cache: { location: cache }, onProject: (project) => (runs = project.stats.runs) });
  expect(result.cached).toBe(false);
  expect(shown(result)).toEqual(shown(scan({ root })));
  return { result, runs };
}

const messages = (result: ScanResult) => result.findings.map((f) => `${f.file} ${f.ruleId}`);

describe('the scan cache after an edit (stored rule runs)', () => {
  it('runs again only the edited file\'s rules and what read that file, and reuses the rest with the stored route facts', () => {
    const { root, cache } = service('sample-service');
    const cold = scan({ root, cache: { location: cache } });
    expect(cold.findings.length).toBeGreaterThan(0);
    edit(root, 'src/routes/legacy.ts', 'import', '// a comment\nimport');
    const { runs } = rescan(root, cache);
    expect(runs?.ran).toContain('file:src/routes/legacy.ts');
    expect(runs?.ran).not.toContain('file:src/auth/tokens.ts');
    expect(runs?.reused).toBeGreaterThanOrEqual(5);
    // The route model's stored facts and units whose reads the edit left alone are answered from the store.
    expect(runs?.units).toBeGreaterThan(0);
  });

  it('after a rescan that changed two files, an edit of one of them runs again only what reads it', () => {
    const { root, cache } = service('sample-service');
    write(root, 'src/util/format.ts', 'export const upper = (s: string) => s.toUpperCase();\n');
    scan({ root, cache: { location: cache } });
    // Both at once: the route rules run again, their word queries answered from the last scan's and asked again of the
    // two changed files. That second asking is the query's read, not a read of the files' whole texts.
    edit(root, 'src/routes/orders.ts', "ordersRouter.get('/:id'", "ordersRouter.get('/:id/summary'");
    write(root, 'src/util/format.ts', 'export const upper = (s: string) => s.toUpperCase().trim();\n');
    const both = rescan(root, cache);
    expect(both.runs?.ran).toContain('project:route-require-authentication');
    write(root, 'src/util/format.ts', 'export const upper = (s: string) => s.trim().toUpperCase();\n');
    const one = rescan(root, cache);
    expect(one.runs?.ran).toEqual(['file:src/util/format.ts']);
    expect(shown(one.result)).toEqual(shown(scan({ root })));
  });

  it('decodes only the groups of stored plain answers that a rerun asks for, and stores the others again as read', () => {
    const { root, cache } = service('sample-service');
    // A file of its own that no route, guard or token code reads.
    write(root, 'src/util/format.ts', 'export const upper = (s: string) => s.toUpperCase();\n');
    scan({ root, cache: { location: cache } });
    const runFile = () => fs.readdirSync(cache).map((name) => path.join(cache, name)).find((file) => file.endsWith('.runs.bin')) as string;
    const store = () => loadRuns(runFile()).store;
    const groupOf = (name: string) => {
      const plain = store()?.plain;
      const entry = plain?.facts.find(([fact]) => fact === name);
      return entry ? plain?.groups[entry[2]] : undefined;
    };
    // The routes and their analyses share objects (each route): one group. The JWT facts share nothing with them.
    const routes = groupOf('routes');
    const jwt = groupOf('jwt-libraries-used');
    if (!routes || !jwt) throw new Error('stored route and JWT facts expected');
    expect(Buffer.from(routes).equals(Buffer.from(jwt))).toBe(false);
    const decodes = vi.spyOn(v8, 'deserialize');
    const decoded = (group: Uint8Array) => decodes.mock.calls.some(([bytes]) => Buffer.from(bytes as Uint8Array).equals(Buffer.from(group)));
    try {
      // Its file rules run again and ask the JWT facts, never the routes: that group is stored again as it was read.
      edit(root, 'src/util/format.ts', 'upper', 'shout');
      rescan(root, cache);
      expect(decoded(jwt)).toBe(true);
      expect(decoded(routes)).toBe(false);
      expect(store()?.plain.groups.some((group) => Buffer.from(group).equals(Buffer.from(routes)))).toBe(true);
      expect(groupOf('routes')).toEqual(routes);
    } finally {
      decodes.mockRestore();
    }
    // A middleware removed: the routes are judged again (other findings), still as by a scan without the cache.
    const before = messages(scan({ root }));
    edit(root, 'src/server.ts', "app.use('/api', requireUser);", '');
    expect(messages(rescan(root, cache).result)).not.toEqual(before);
  });

  it('re-judges the route of another file when the guard it uses is edited', () => {
    const { root, cache } = service(GUARDED_NOTES_SERVICE);
    const before = scan({ root, cache: { location: cache } });
    expect(messages(before)).not.toContain('src/notes.ts route-require-authentication');
    write(root, 'src/gate.ts', OPEN_GATE);
    const { result, runs } = rescan(root, cache);
    expect(messages(result)).toContain('src/notes.ts route-require-authentication');
    expect(runs?.ran).toContain('project:route-require-authentication');
    expect(runs?.ran).toContain('file:src/gate.ts');
    // And back: the guard restored is seen again, from the store the last rescan wrote.
    write(root, 'src/gate.ts', GUARDED_NOTES_SERVICE['src/gate.ts'] as string);
    expect(messages(rescan(root, cache).result)).not.toContain('src/notes.ts route-require-authentication');
  });

  it('follows a secret moved into another file, and a removed middleware, over several edits in a row', () => {
    const { root, cache } = service('sample-service');
    scan({ root, cache: { location: cache } });
    write(root, 'src/config/defaults.ts', "export const DEV_SECRET = 'orders-dev-secret';\n");
    // A new file: the files scanned are not the same, so nothing is reused (and the result is still right).
    expect(rescan(root, cache).runs?.reused ?? 0).toBe(0);
    edit(root, 'src/config/index.ts', "process.env.JWT_SECRET || 'orders-dev-secret'", 'process.env.JWT_SECRET || DEV_SECRET');
    edit(root, 'src/config/index.ts', 'export const config', "import { DEV_SECRET } from './defaults';\n\nexport const config");
    const moved = rescan(root, cache);
    expect(moved.runs?.reused).toBeGreaterThan(0);
    expect(messages(moved.result)).toContain('src/config/defaults.ts jwt-no-hardcoded-secret');
    edit(root, 'src/server.ts', "app.use('/api', requireUser);", '');
    const open = rescan(root, cache);
    expect(open.runs?.ran).toContain('project:route-require-authentication');
    expect(messages(open.result)).not.toEqual(messages(moved.result));
  });

  it('reuses nothing when a file outside the scanned ones that the analysis read changes (tsconfig paths)', () => {
    const { root, cache } = service('sample-service');
    write(root, 'tsconfig.json', '{ "compilerOptions": { "baseUrl": "." } }\n');
    scan({ root, cache: { location: cache } });
    write(root, 'tsconfig.json', '{ "compilerOptions": { "baseUrl": "src" } }\n');
    expect(rescan(root, cache).runs).toBeUndefined();
  });

  it.each([
    ['corrupt', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, bytes.length - 10), Buffer.from('0123456789')]), 'checksum does not match'],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated'],
    ['foreign', () => Buffer.from('{"hello":"world"}\n{}'), 'not an authlint cache file'],
  ])('ignores a run file that is %s, with a notice, and gives the right result', (_what, damage, reason) => {
    const { root, cache } = service('sample-service');
    scan({ root, cache: { location: cache } });
    const file = fs.readdirSync(cache).find((name) => name.endsWith('.runs.bin'));
    expect(file).toBeDefined();
    const runFile = path.join(cache, file as string);
    fs.writeFileSync(runFile, damage(fs.readFileSync(runFile)));
    edit(root, 'src/routes/legacy.ts', 'import', '// a comment\nimport');
    const result = scan({ root, cache: { location: cache } });
    const notes = result.notifications.filter((n) => n.kind === 'cache');
    expect(notes.map((n) => n.message)).toEqual([expect.stringContaining(reason)]);
    expect(shown({ ...result, notifications: result.notifications.filter((n) => n.kind !== 'cache') })).toEqual(shown(scan({ root })));
    // Rewritten whole.
    expect(loadRuns(runFile).store?.runs.names.length).toBeGreaterThan(0);
  });
});
