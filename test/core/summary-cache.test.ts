import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisProject } from '../../src/core/project.js';
import { summarizeFile } from '../../src/core/extract.js';
import { countLines, summarizeText, type FileSummary } from '../../src/core/file-summary.js';
import { collectSummaries, completeSummary, decodeStoredFacts, encodeStoredFacts, getSummaryKey, loadSummaries, openSummaries } from '../../src/core/summary-cache.js';
import { PORTABLE_FACTS, STORED_TEXT_FACTS } from '../../src/facts/portable.js';
import { scan, type ScanOptions, type ScanResult } from '../../src/scan.js';
import { FIXTURES, GUARDED_NOTES_SERVICE, OPEN_GATE, scannedFixtures } from '../support/services.js';

const SOURCE = /\.(ts|tsx|js|jsx|mts|cts|mjs|cjs)$/;
const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-summaries-')));
  created.push(dir);
  return dir;
}

function tree(files: Record<string, string>): { root: string; cache: string } {
  const dir = tempDir();
  const root = path.join(dir, 'service');
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return { root, cache: path.join(dir, 'cache') };
}

/** A fact of `STORED_TEXT_FACTS` computed afresh on a project of the one file. */
function freshTextFact(root: string, rel: string, text: string, name: string): unknown {
  const project = new AnalysisProject(root);
  const info = project.addFile(path.join(root, rel), text);
  const fact = STORED_TEXT_FACTS.find((f) => f.name === name);
  return fact ? project.fileFact(fact, info) : `${name} is not a stored text fact`;
}

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** What a report shows of a scan: everything but its duration and whether it came from the cache. */
function shown(result: ScanResult): unknown {
  const { durationMs: _duration, cached: _cached, ...rest } = result;
  return JSON.parse(JSON.stringify(rest));
}

function summaryFile(cache: string): string {
  const name = fs.readdirSync(cache).find((f) => f.startsWith('summaries-'));
  expect(name).toBeDefined();
  return path.join(cache, name as string);
}

const KEY = () => getSummaryKey(PORTABLE_FACTS.map((f) => f.name));

function firstSourceFile(root: string): string {
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => SOURCE.test(f) && !f.includes('node_modules')).sort();
  expect(files.length).toBeGreaterThan(0);
  return files[0] as string;
}

/** Three files that each import a JWT package, so the portable fact `jwt-libraries-of-file` parses each of them. */
const JWT_FILES = {
  'src/sign.ts': "import jwt from 'jsonwebtoken';\nexport const sign = (sub: string) => jwt.sign({ sub }, process.env.KEY as string, { algorithm: 'RS256' });\n",
  'src/verify.ts': "import { jwtVerify } from 'jose';\nexport const verify = (token: string, key: CryptoKey) => jwtVerify(token, key);\n",
  'src/decode.ts': "import { jwtDecode } from 'jwt-decode';\nexport const peek = (token: string) => jwtDecode(token);\n",
};

/** A scan without rules that asks every portable fact of every file at the end, with the counters of what it parsed. */
function scanAskingFacts(root: string, options: ScanOptions): { result: ScanResult; facts: unknown; stats: unknown } {
  let facts: unknown;
  let stats: unknown;
  const result = scan({
    root,
    skipRules: true,
    ...options,
    onProject: (project: AnalysisProject) => {
      facts = project.files().map((file) => [file.relPath, PORTABLE_FACTS.map((fact) => project.fileFact(fact, file))]);
      const { parsed, parsedForDiagnostics, parsedForSummaries } = project.stats;
      stats = { parsed, parsedForDiagnostics, parsedForSummaries };
    },
  });
  return { result, facts, stats };
}

describe('the per-file summary cache', () => {
  it('after one file is edited, parses that file alone for its syntax errors and portable facts, with the same values as without the cache', () => {
    const { root, cache } = tree(JWT_FILES);
    const cold = scanAskingFacts(root, { cache: { location: cache } });
    // Each file parsed once for its syntax errors (the report asks first) and once for its portable facts (the tree kept).
    expect(cold.stats).toEqual({ parsed: 3, parsedForDiagnostics: 3, parsedForSummaries: 0 });

    write(root, 'src/verify.ts', `${JWT_FILES['src/verify.ts']}export const again = verify;\n`);
    const warm = scanAskingFacts(root, { cache: { location: cache } });
    expect(warm.result.cached).toBe(false);
    expect(warm.stats).toEqual({ parsed: 1, parsedForDiagnostics: 1, parsedForSummaries: 0 });
    const uncached = scanAskingFacts(root, {});
    expect(warm.facts).toEqual(uncached.facts);
    expect(shown(warm.result)).toEqual(shown(uncached.result));
  });

  it('takes a stored summary only for the same path and the same text: two files that swap their texts keep their own syntax errors', () => {
    const broken = 'export function half( {\n  return 1;\n}\n';
    const clean = 'export function half(n: number) {\n  return n / 2;\n}\n';
    const { root, cache } = tree({ 'src/a.ts': broken, 'src/b.ts': clean, 'src/c.js': broken });
    const errorsIn = (result: ScanResult) => result.notifications.filter((n) => n.kind === 'parse-error').map((n) => n.file);
    expect(errorsIn(scan({ root, cache: { location: cache } }))).toEqual(['src/a.ts', 'src/c.js']);
    write(root, 'src/a.ts', clean);
    write(root, 'src/b.ts', broken);
    const swapped = scan({ root, cache: { location: cache } });
    expect(swapped.cached).toBe(false);
    expect(errorsIn(swapped)).toEqual(['src/b.ts', 'src/c.js']);
    expect(shown(swapped)).toEqual(shown(scan({ root })));
  });

  it('re-judges the routes of another file when the guard they use is edited, with every other summary taken from the cache', () => {
    const { root, cache } = tree(GUARDED_NOTES_SERVICE);
    const flagged = (result: ScanResult) => result.findings.filter((f) => f.ruleId === 'route-require-authentication').map((f) => f.file);
    expect(flagged(scan({ root, cache: { location: cache } }))).toEqual([]);
    const stored = loadSummaries(summaryFile(cache), KEY());
    expect([...stored.summaries.keys()].sort()).toEqual(['src/app.ts', 'src/db.ts', 'src/gate.ts', 'src/notes.ts']);
    expect(stored.summaries.get('src/notes.ts')?.parse).toEqual({ count: 0 });

    write(root, 'src/gate.ts', OPEN_GATE);
    const after = scan({ root, cache: { location: cache } });
    expect(after.cached).toBe(false);
    expect(flagged(after)).toEqual(['src/notes.ts']);
    expect(after.notifications.filter((n) => n.kind === 'cache')).toEqual([]);
    expect(shown(after)).toEqual(shown(scan({ root })));
  });

  it.each([
    ['corrupt', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, bytes.length - 3), Buffer.from('xyz')]), 'checksum does not match'],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length * 0.7)), 'truncated'],
    ['foreign', () => Buffer.from('{"hello":"world"}\n{}'), 'not an authlint summary cache file'],
    ['of another format version', (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace('"version":3', '"version":7'), 'latin1'), 'format version 7'],
    ['empty', () => Buffer.alloc(0), 'not an authlint summary cache file or is truncated'],
  ])('ignores a summary cache file that is %s, with a notice, gives the result of a scan without the cache, and rewrites it', (_what, damage, reason) => {
    const dir = tempDir();
    const root = path.join(dir, 'service');
    const cache = path.join(dir, 'cache');
    fs.cpSync(path.join(FIXTURES, 'sample-service'), root, { recursive: true });
    scan({ root, cache: { location: cache } });
    const file = summaryFile(cache);
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    // An edit, so that the whole-output cache misses and the summaries are read.
    fs.appendFileSync(path.join(root, 'src/server.ts'), '\n// edited\n');
    const result = scan({ root, cache: { location: cache } });
    expect(result.cached).toBe(false);
    const notes = result.notifications.filter((n) => n.kind === 'cache');
    expect(notes).toEqual([expect.objectContaining({ level: 'note', message: expect.stringContaining(reason) as unknown })]);
    expect(notes[0]?.message).toContain('summary cache file');
    expect(shown({ ...result, notifications: result.notifications.filter((n) => n.kind !== 'cache') })).toEqual(shown(scan({ root })));
    const rewritten = loadSummaries(file, KEY());
    expect(rewritten.notification).toBeUndefined();
    expect(rewritten.summaries.has('src/server.ts')).toBe(true);
  });

  it('is a quiet miss when written by another authlint or for other portable facts', () => {
    const { root, cache } = tree(JWT_FILES);
    scan({ root, cache: { location: cache } });
    const file = summaryFile(cache);
    expect(loadSummaries(file, KEY()).summaries.size).toBe(3);
    const other = loadSummaries(file, { ...KEY(), facts: [...KEY().facts, 'another-portable-fact'] });
    expect(other).toEqual({ summaries: new Map() });
    expect(loadSummaries(file, { ...KEY(), code: 'another build' })).toEqual({ summaries: new Map() });
  });

  it('lets an extraction thread skip the parse of a file whose text is unchanged: the scan thread completes its summary from the cache into what the thread would compute', () => {
    const dir = tempDir();
    const root = path.join(dir, 'service');
    const cache = path.join(dir, 'cache');
    fs.cpSync(path.join(FIXTURES, 'sample-service'), root, { recursive: true });
    for (const [rel, text] of Object.entries(JWT_FILES)) write(root, `src/jwt/${rel.slice(4)}`, text);
    scanAskingFacts(root, { cache: { location: cache } });
    const reuse = openSummaries(summaryFile(cache));
    const stored = loadSummaries(summaryFile(cache), KEY()).summaries;
    expect(reuse).toBeDefined();
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => SOURCE.test(f)).sort();
    expect(files.length).toBeGreaterThan(10);
    let textFactsSeen = 0;
    for (const rel of files) {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const handed = reuse?.(rel, text);
      expect(handed).toEqual(summarizeText(text));
      const { storedFacts, lines, textFacts, ...rest } = completeSummary(handed as FileSummary, stored.get(rel)) as FileSummary & { lines?: number };
      // What a rescan needs of a file it leaves unread: its line count and the facts kept in plain form, as computed now.
      expect({ rel, lines }).toEqual({ rel, lines: countLines(text, summarizeText(text).index.lineStarts) });
      textFactsSeen += Object.keys(textFacts ?? {}).length;
      for (const [name, value] of Object.entries(textFacts ?? {})) expect({ rel, name, value }).toEqual({ rel, name, value: freshTextFact(root, rel, text, name) });
      // The stored facts stay serialized until asked for: decoded here, under the facts computed now.
      const completed = structuredClone(storedFacts ? { ...rest, facts: { ...decodeStoredFacts(storedFacts), ...rest.facts } } : rest);
      expect({ rel, completed }).toEqual({ rel, completed: summarizeFile(path.join(root, rel), text, PORTABLE_FACTS, rel) });
      expect(reuse?.(rel, `${text}\n// edited\n`)).toBeUndefined();
    }
    expect(textFactsSeen).toBeGreaterThan(0);
    expect(reuse?.('src/elsewhere.ts', fs.readFileSync(path.join(root, files[0] as string), 'utf8'))).toBeUndefined();
  });

  it('lets an extraction thread skip only files whose summary is complete', () => {
    const { root, cache } = tree(JWT_FILES);
    // Without rules nothing asks the portable facts: only the syntax errors are known at the end.
    scan({ root, skipRules: true, cache: { location: cache } });
    expect(openSummaries(summaryFile(cache))?.('src/sign.ts', JWT_FILES['src/sign.ts'])).toBeUndefined();
    write(root, 'src/sign.ts', `${JWT_FILES['src/sign.ts']}// edited\n`);
    scanAskingFacts(root, { cache: { location: cache } });
    expect(openSummaries(summaryFile(cache))?.('src/verify.ts', JWT_FILES['src/verify.ts'])).toEqual(summarizeText(JWT_FILES['src/verify.ts']));
  });

  it('hands an extraction thread nothing from a summary file written by another build, foreign, or cut in its first line (a damaged rest is the scan thread\'s to notice)', () => {
    const { root, cache } = tree(JWT_FILES);
    scanAskingFacts(root, { cache: { location: cache } });
    const file = summaryFile(cache);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.from(bytes.toString('latin1').replace(/"code":"[^"]*"/, '"code":"another build"'), 'latin1'));
    expect(openSummaries(file)).toBeUndefined();
    fs.writeFileSync(file, bytes.subarray(0, 40));
    expect(openSummaries(file)).toBeUndefined();
    fs.writeFileSync(file, '{"hello":"world"}\n{}');
    expect(openSummaries(file)).toBeUndefined();
    fs.writeFileSync(file, bytes);
    expect(openSummaries(file)?.('src/sign.ts', JWT_FILES['src/sign.ts'])).toBeDefined();
  });

  it.each(scannedFixtures().map((dir) => ({ name: path.relative(FIXTURES, dir), dir })))(
    'gives $name the result of a scan without the cache after a file is edited, its other files summarised from the cache',
    ({ dir }) => {
      const work = tempDir();
      const root = path.join(work, 'service');
      const cache = path.join(work, 'cache');
      fs.cpSync(dir, root, { recursive: true });
      const cold = scan({ root, cache: { location: cache } });
      expect(shown(cold)).toEqual(shown(scan({ root })));
      fs.appendFileSync(path.join(root, firstSourceFile(root)), '\n// edited\n');
      const edited = scan({ root, cache: { location: cache } });
      expect(edited.cached).toBe(false);
      expect(shown(edited)).toEqual(shown(scan({ root })));
    },
  );
});

describe('stored portable facts', () => {
  it('are decoded when a fact of their file is first asked for, never replace a value known already, and are written back as read while nobody asked', () => {
    const [first, second] = PORTABLE_FACTS;
    if (!first || !second) throw new Error('two portable facts expected');
    const project = new AnalysisProject('/repo');
    // Values no computation would give, so that the test sees where each answer came from.
    const stored = encodeStoredFacts({ [first.name]: 'stored first', [second.name]: 'stored second' });
    let decoded = 0;
    const lazyFacts = () => {
      decoded++;
      return decodeStoredFacts(stored);
    };
    const a = project.addFile('/repo/a.ts', 'export const a = 1;\n', { facts: { [first.name]: 'computed first' }, lazyFacts });
    const b = project.addFile('/repo/b.ts', 'export const b = 2;\n', { lazyFacts });
    const hashes = new Map([['a.ts', 'hash-a'], ['b.ts', 'hash-b']]);
    const storedByPath = new Map([['a.ts', stored], ['b.ts', stored]]);

    // Nothing asked: both files' stored facts go back as the same bytes, and nothing was decoded.
    const untouched = collectSummaries(project, hashes, PORTABLE_FACTS, { stored: storedByPath });
    expect(untouched.get('a.ts')?.facts).toBe(stored);
    expect(untouched.get('b.ts')?.facts).toBe(stored);
    expect(decoded).toBe(0);

    expect(project.fileFact(second, a)).toBe('stored second');
    expect(project.fileFact(first, a)).toBe('computed first');
    expect(project.fileFact(second, a)).toBe('stored second');
    expect(decoded).toBe(1);
    expect(project.hasUndecodedFacts(a)).toBe(false);
    expect(project.hasUndecodedFacts(b)).toBe(true);

    // a's facts are written from what the project knows now; b's still as read.
    const after = collectSummaries(project, hashes, PORTABLE_FACTS, { stored: storedByPath });
    const written = after.get('a.ts')?.facts;
    expect(written).not.toBe(stored);
    expect(decodeStoredFacts(written as NonNullable<typeof written>)).toEqual({ [first.name]: 'computed first', [second.name]: 'stored second' });
    expect(after.get('b.ts')?.facts).toBe(stored);
    expect(project.hasFileFact(first, b)).toBe(true);
    expect(decoded).toBe(2);
  });

  it('give a rescan after an edit the result of a scan without the cache (every fourth fixture service, its facts all stored)', () => {
    const fixtures = scannedFixtures().filter((_, index) => index % 4 === 0);
    expect(fixtures.length).toBeGreaterThan(10);
    for (const fixture of fixtures) {
      const dir = tempDir();
      const root = path.join(dir, 'service');
      const cache = path.join(dir, 'cache');
      fs.cpSync(fixture, root, { recursive: true });
      scanAskingFacts(root, { cache: { location: cache } });
      fs.appendFileSync(path.join(root, firstSourceFile(root)), '\n// edited\n');
      const again = scan({ root, cache: { location: cache } });
      expect(again.cached).toBe(false);
      expect({ fixture, shown: shown(again) }).toEqual({ fixture, shown: shown(scan({ root })) });
    }
  });
});
