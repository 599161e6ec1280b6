import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ts } from '@ts-morph/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stampOf, type FileStamp } from '../../src/core/read.js';
import { defineRule } from '../../src/core/rule.js';
import { isStampTrusted, STAMP_MARGIN_MS } from '../../src/core/scan-cache.js';
import { scan, type ScanOptions, type ScanResult } from '../../src/scan.js';
import { edit, shown, write } from '../support/edits.js';
import { GUARDED_NOTES_SERVICE, OPEN_GATE } from '../support/services.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(REPO, 'fixtures');
const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cache-')));
  created.push(dir);
  return dir;
}

/** A copy of a fixture service in a temporary folder, and an empty cache folder beside it. */
function copyService(fixture: string): { root: string; cache: string } {
  const dir = tempDir();
  const root = path.join(dir, 'service');
  fs.cpSync(path.join(FIXTURES, fixture), root, { recursive: true });
  return { root, cache: path.join(dir, 'cache') };
}

function cachedScan(root: string, cache: string, options: ScanOptions = {}): ScanResult {
  return scan({ root, cache: { location: cache }, ...options });
}

function cacheFiles(cache: string): string[] {
  return fs.readdirSync(cache).map((name) => path.join(cache, name));
}

/** Scans with the cache after a change and checks the result against a scan without it; returns the cached one. */
function expectSameAsUncached(root: string, cache: string): ScanResult {
  const withCache = cachedScan(root, cache);
  expect(withCache.cached).toBe(false);
  expect(shown(withCache)).toEqual(shown(scan({ root })));
  return withCache;
}

const messages = (result: ScanResult) => result.findings.map((f) => `${f.file} ${f.ruleId}`);

describe('the scan cache', () => {
  it.each(['sample-service', 'route-require-authentication/nest-global-app-guard-with-public-health', 'route-require-authentication/express-orders-late-auth-and-bleeding'])(
    'gives %s the same findings and notifications cold, warm and without the cache',
    (fixture) => {
      const { root, cache } = copyService(fixture);
      const uncached = scan({ root });
      const cold = cachedScan(root, cache);
      const warm = cachedScan(root, cache);
      expect(cold.cached).toBe(false);
      expect(warm.cached).toBe(true);
      expect(uncached.findings.length).toBeGreaterThan(0);
      expect(shown(cold)).toEqual(shown(uncached));
      expect(shown(warm)).toEqual(shown(uncached));
    },
  );

  it('keeps what the caller collects from the project, and never mixes callers that collect different things', () => {
    const { root, cache } = copyService('sample-service');
    const collect = (project: { files(): readonly { relPath: string }[] }) => project.files().map((f) => f.relPath);
    const cold = cachedScan(root, cache, { collect });
    const warm = cachedScan(root, cache, { collect });
    expect(warm.cached).toBe(true);
    expect(warm.collected).toEqual(cold.collected);
    expect(cold.collected).toContain('src/server.ts');
    const other = cachedScan(root, cache, { collect: (project) => project.files().length });
    expect(other.cached).toBe(false);
    expect(other.collected).toBe((cold.collected as string[]).length);
  });

  it('re-judges the routes of another file when the middleware guarding them is edited', () => {
    const dir = tempDir();
    const root = path.join(dir, 'service');
    const cache = path.join(dir, 'cache');
    for (const [rel, text] of Object.entries(GUARDED_NOTES_SERVICE)) write(root, rel, text);

    const before = cachedScan(root, cache);
    expect(messages(before)).not.toContain('src/notes.ts route-require-authentication');
    expect(cachedScan(root, cache).cached).toBe(true);
    write(root, 'src/gate.ts', OPEN_GATE);
    const after = expectSameAsUncached(root, cache);
    expect(messages(after)).toContain('src/notes.ts route-require-authentication');
  });

  it('follows a hard-coded secret moved to another file', () => {
    const { root, cache } = copyService('sample-service');
    expect(messages(cachedScan(root, cache))).toContain('src/config/index.ts jwt-no-hardcoded-secret');
    edit(root, 'src/config/index.ts', "process.env.JWT_SECRET || 'orders-dev-secret'", 'process.env.JWT_SECRET || DEV_SECRET');
    edit(root, 'src/config/index.ts', 'export const config', "import { DEV_SECRET } from './defaults';\n\nexport const config");
    write(root, 'src/config/defaults.ts', "export const DEV_SECRET = 'orders-dev-secret';\n");
    const moved = expectSameAsUncached(root, cache);
    expect(messages(moved)).toContain('src/config/defaults.ts jwt-no-hardcoded-secret');
    expect(messages(moved)).not.toContain('src/config/index.ts jwt-no-hardcoded-secret');
  });

  it('notices a file deleted, added or renamed', () => {
    const { root, cache } = copyService('sample-service');
    const first = cachedScan(root, cache);
    expect(messages(first)).toContain('src/routes/legacy.ts route-require-authentication');

    fs.rmSync(path.join(root, 'src/routes/legacy.ts'));
    expect(messages(expectSameAsUncached(root, cache))).not.toContain('src/routes/legacy.ts route-require-authentication');

    write(root, 'src/tools/sign.ts', "import jwt from 'jsonwebtoken';\nexport const sign = (sub: string) => jwt.sign({ sub }, 'a-hard-coded-signing-key', { algorithm: 'HS256' });\n");
    expect(messages(expectSameAsUncached(root, cache))).toContain('src/tools/sign.ts jwt-no-hardcoded-secret');

    fs.renameSync(path.join(root, 'src/routes/internal.ts'), path.join(root, 'src/routes/internal-api.ts'));
    edit(root, 'src/server.ts', "from './routes/internal'", "from './routes/internal-api'");
    const renamed = expectSameAsUncached(root, cache);
    expect(messages(renamed)).toContain('src/routes/internal-api.ts route-no-unprotected-internal');
    expect(messages(renamed)).not.toContain('src/routes/internal.ts route-no-unprotected-internal');
  });

  it('notices a neighbour outside the scanned paths, read on demand, when it changes', () => {
    const { root, cache } = copyService('sample-service');
    // Only src/auth is scanned; the secret lives in src/config, loaded on demand through the import.
    const options = { paths: [path.join(root, 'src/auth')] };
    const first = cachedScan(root, cache, options);
    expect(first.findings.some((f) => f.ruleId === 'jwt-no-symmetric-algorithm')).toBe(true);
    expect(cachedScan(root, cache, options).cached).toBe(true);
    edit(root, 'src/config/index.ts', "process.env.JWT_SECRET || 'orders-dev-secret'", 'fs.readFileSync(process.env.JWT_PUBLIC_KEY_FILE as string)');
    const after = cachedScan(root, cache, options);
    expect(after.cached).toBe(false);
    expect(shown(after)).toEqual(shown(scan({ root, ...options })));
    expect(shown(after)).not.toEqual(shown(first));
  });

  it('is not reused after a configuration change', () => {
    const { root, cache } = copyService('sample-service');
    const first = cachedScan(root, cache);
    expect(messages(first)).toContain('src/config/index.ts jwt-no-hardcoded-secret');
    const config = JSON.parse(fs.readFileSync(path.join(root, 'authlint.config.json'), 'utf8')) as { rules?: Record<string, unknown> };
    config.rules = { ...config.rules, 'jwt-no-hardcoded-secret': 'off' };
    fs.writeFileSync(path.join(root, 'authlint.config.json'), JSON.stringify(config));
    const changed = cachedScan(root, cache);
    expect(changed.cached).toBe(false);
    expect(messages(changed)).not.toContain('src/config/index.ts jwt-no-hardcoded-secret');
    const note = changed.notifications.find((n) => n.kind === 'cache');
    expect(note?.message).toContain('another configuration or rule set');
    expect(shown({ ...changed, notifications: changed.notifications.filter((n) => n.kind !== 'cache') })).toEqual(shown(scan({ root })));
    expect(cachedScan(root, cache).cached).toBe(true);
  });

  it.each([
    ['corrupt', (text: string) => text.replace('src/server.ts', 'src/servex.ts'), 'checksum does not match'],
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2)), 'truncated'],
    ['foreign', () => '{"hello":"world"}\n{}', 'not an authlint cache file'],
    ['of another format version', (text: string) => text.replace('"version":2', '"version":99'), 'format version 99'],
    ['empty', () => '', 'not an authlint cache file or is truncated'],
  ])('ignores a cache file that is %s, with a notice, and gives the right result', (_what, damage, reason) => {
    const { root, cache } = copyService('sample-service');
    const uncached = scan({ root });
    cachedScan(root, cache);
    const [file] = cacheFiles(cache);
    expect(file).toBeDefined();
    fs.writeFileSync(file as string, damage(fs.readFileSync(file as string, 'utf8')));
    const result = cachedScan(root, cache);
    expect(result.cached).toBe(false);
    const notes = result.notifications.filter((n) => n.kind === 'cache');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.level).toBe('note');
    expect(notes[0]?.message).toContain(reason);
    expect(shown({ ...result, notifications: result.notifications.filter((n) => n.kind !== 'cache') })).toEqual(shown(uncached));
    // Rewritten: the next scan takes it.
    expect(cachedScan(root, cache).cached).toBe(true);
  });

  it('scans on with a notice when the cache cannot be written', () => {
    const { root, cache } = copyService('sample-service');
    fs.writeFileSync(cache, 'a file where the cache folder should be');
    const result = cachedScan(root, cache);
    expect(result.notifications.filter((n) => n.kind === 'cache').map((n) => n.message)).toEqual([expect.stringContaining('Could not write the cache file')]);
    expect(result.findings).toEqual(scan({ root }).findings);
  });

  it('stores no failed scan', () => {
    const { root, cache } = copyService('sample-service');
    const rules = [
      defineRule({
        id: 'always-fails',
        meta: { description: 'Fail', category: 'jwt', level: 'error', precision: 'high', securitySeverity: 1, cwe: [1], scope: 'file', recommended: true },
        messages: { broken: 'Broken.' },
        schema: {},
        defaultOptions: {},
        create: () => {
          throw new Error('broken');
        },
      }),
    ];
    const result = cachedScan(root, cache, { rules });
    expect(result.successful).toBe(false);
    expect(fs.existsSync(cache) ? cacheFiles(cache) : []).toEqual([]);
  });

  it('knows an unchanged tree by its stamps without reading its files, and notices a change whose size and time were restored', async () => {
    const { root, cache } = copyService('sample-service');
    const sources = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(`${root}${path.sep}`) && /\.[cm]?[jt]sx?$/.test(file));
    // A whole second in the past, so that the test can set it back exactly after editing.
    const file = path.join(root, 'src/config/index.ts');
    const lastChange = Math.floor(Date.now() / 1000) - 60;
    fs.utimesSync(file, lastChange, lastChange);
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      // Copied just now: the first scan's stamps were taken too close to the files' last change to be trusted.
      expect(cachedScan(root, cache).cached).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, STAMP_MARGIN_MS + 100));
      reads.mockClear();
      const second = cachedScan(root, cache);
      expect(second.cached).toBe(true);
      expect(sources(reads).length).toBeGreaterThan(5);
      // The hit stored the stamps it took: now every file is known without a read.
      reads.mockClear();
      const third = cachedScan(root, cache);
      expect(third.cached).toBe(true);
      expect(sources(reads)).toEqual([]);
      expect(shown(third)).toEqual(shown(scan({ root })));

      // The same number of bytes and the old modification time: only the change time (set by the kernel) tells.
      const before = fs.statSync(file);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain("'orders-dev-secret'");
      fs.writeFileSync(file, text.replace("'orders-dev-secret'", "process.env.JWT_SEC"));
      fs.utimesSync(file, lastChange, lastChange);
      expect(fs.statSync(file).size).toBe(before.size);
      expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
      reads.mockClear();
      const changed = cachedScan(root, cache);
      expect(changed.cached).toBe(false);
      expect(messages(changed)).not.toContain('src/config/index.ts jwt-no-hardcoded-secret');
      expect(shown(changed)).toEqual(shown(scan({ root })));
    } finally {
      reads.mockRestore();
    }
  });

  /**
   * A fixture service with four files that nothing else reaches (`src/util/format-N.ts`), scanned with the cache until
   * the stamps are trusted; `sources` lists the source files a spy on readFileSync saw read, relative to the root.
   */
  async function settledService(fixture: string): Promise<{ root: string; cache: string; sources: (spy: { mock: { calls: unknown[][] } }) => string[] }> {
    const { root, cache } = copyService(fixture);
    for (let i = 0; i < 4; i++) write(root, `src/util/format-${i}.ts`, `export const format${i} = (value: number): string => value.toFixed(${i});\n`);
    const sources = (spy: { mock: { calls: unknown[][] } }) =>
      [...new Set(spy.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(`${root}${path.sep}`) && /\.[cm]?[jt]sx?$/.test(file)))]
        .map((file) => path.relative(root, file).split(path.sep).join('/'))
        .sort();
    expect(cachedScan(root, cache).cached).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, STAMP_MARGIN_MS + 100));
    // A hit: it stores the stamps, now trusted (the files last changed long enough before).
    expect(cachedScan(root, cache).cached).toBe(true);
    return { root, cache, sources };
  }

  it('after an edit reads the edited file and only the files its analysis asks about, unless the stored summaries are missing', async () => {
    const { root, cache, sources } = await settledService('sample-service');
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      edit(root, 'src/util/format-0.ts', 'toFixed(0)', 'toFixed(1)');
      const leaf = cachedScan(root, cache);
      expect(leaf.cached).toBe(false);
      expect(shown(leaf)).toEqual(shown(scan({ root })));
      // The files edited in this test changed within the stamp margin of their last read: they are read again each time
      // (their stamps prove nothing yet). The others are not.
      const recent = (files: string[], ...edited: string[]) => files.filter((file) => !edited.includes(file));
      reads.mockClear();
      edit(root, 'src/util/format-1.ts', 'toFixed(1)', 'toFixed(2)');
      const second = cachedScan(root, cache);
      expect(recent(sources(reads), 'src/util/format-0.ts')).toEqual(['src/util/format-1.ts']);
      expect(shown(second)).toEqual(shown(scan({ root })));

      // A route file: what its rules and the route analyses ask about is read, and nothing they do not reach.
      reads.mockClear();
      edit(root, 'src/routes/orders.ts', "ordersRouter.get('/:id'", "ordersRouter.get('/:id/summary'");
      const routes = cachedScan(root, cache);
      expect(sources(reads)).toContain('src/routes/orders.ts');
      expect(recent(sources(reads), 'src/util/format-0.ts', 'src/util/format-1.ts').filter((file) => file.startsWith('src/util/'))).toEqual([]);
      expect(sources(reads).length).toBeLessThan(8);
      expect(shown(routes)).toEqual(shown(scan({ root })));

      // Without the stored summaries nothing is known of the unread files: every file is read again.
      for (const file of cacheFiles(cache)) if (path.basename(file).startsWith('summaries-')) fs.rmSync(file);
      reads.mockClear();
      edit(root, 'src/util/format-2.ts', 'toFixed(2)', 'toFixed(3)');
      const unknown = cachedScan(root, cache);
      expect(sources(reads)).toEqual(expect.arrayContaining(['src/util/format-0.ts', 'src/util/format-3.ts', 'src/server.ts']));
      expect(shown(unknown)).toEqual(shown(scan({ root })));
    } finally {
      reads.mockRestore();
    }
  });

  it('after an edit of a NestJS controller answers the text tests of the unchanged files from the last scan, without reading them', async () => {
    const { root, cache, sources } = await settledService('route-require-authentication/nest-global-app-guard-with-public-health');
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      // The application model asks every file whether it may declare a module or configure the app (text tests).
      edit(root, 'src/catalog/catalog.controller.ts', "@Get(':sku')", "@Get(':sku/details')");
      const after = cachedScan(root, cache);
      expect(after.cached).toBe(false);
      expect(sources(reads)).toContain('src/catalog/catalog.controller.ts');
      expect(sources(reads).filter((file) => file.startsWith('src/util/'))).toEqual([]);
      expect(shown(after)).toEqual(shown(scan({ root })));
    } finally {
      reads.mockRestore();
    }
  });

  it('trusts a stamp only when size, times and inode are the same and the file last changed well before it was taken', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'export const a = 1;\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const now = fs.statSync(file);
    // Taken long after the last change (a minute on from the change time, which utimes set to now).
    const stamp = stampOf(now, now.ctimeMs + 60_000);
    expect(isStampTrusted(stamp, now)).toBe(true);
    const changed = (index: number, by: number): FileStamp => stamp.map((value, i) => (i === index ? value + by : value)) as FileStamp;
    expect(isStampTrusted(changed(0, 1), now)).toBe(false); // size
    expect(isStampTrusted(changed(1, 1), now)).toBe(false); // modification time
    expect(isStampTrusted(changed(2, 1), now)).toBe(false); // change time
    expect(isStampTrusted(changed(3, 1), now)).toBe(false); // inode
    // Taken within the margin after the last change: a change in the same clock tick could have followed unseen.
    expect(isStampTrusted(stampOf(now, now.ctimeMs + STAMP_MARGIN_MS / 2), now)).toBe(false);
    expect(isStampTrusted(null, now)).toBe(false);
    expect(isStampTrusted(stamp, fs.statSync(dir))).toBe(false);
  });

  it('is sound only while the analysis reads the outside world through what the cache records: no file, clock, randomness or environment of its own', () => {
    // The cache records the scanned files, the project's TextSource answers, the configuration and authlint's code;
    // a fact or rule that read a file, the clock or the environment itself would make a cached result silently stale.
    const IO_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'os', 'node:os', 'child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net']);
    const FORBIDDEN_READS = new Set(['process.env', 'process.cwd', 'process.argv', 'Date.now', 'Math.random', 'performance.now']);
    const analysis = [
      ...['src/facts', 'src/models', 'rules'].flatMap((dir) => listTs(path.join(REPO, dir))),
      ...['project', 'parse', 'walk', 'engine', 'suppressions', 'file-index', 'rule', 'extract'].map((name) => path.join(REPO, 'src/core', `${name}.ts`)),
    ];
    expect(analysis.length).toBeGreaterThan(50);
    const offences: string[] = [];
    for (const file of analysis) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const where = (node: ts.Node) => `${path.relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && IO_MODULES.has(node.moduleSpecifier.text)) {
          offences.push(`${where(node)} imports ${node.moduleSpecifier.text}`);
        }
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') offences.push(`${where(node)} calls require`);
        if (ts.isPropertyAccessExpression(node) && FORBIDDEN_READS.has(node.getText(source))) offences.push(`${where(node)} reads ${node.getText(source)}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offences).toEqual([]);
  });
});

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}
