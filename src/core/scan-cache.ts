import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { discoverFiles, type DiscoverResult } from './discover.js';
import { getReportedFiles, planFiles, type FedFile, type FilePlan, type FileSelection, type UnchangedFiles } from './file-plan.js';
import { getPackageVersion } from './package-root.js';
import { readSourceFile, type FileStamp } from './read.js';
import { DISK_TEXT_SOURCE, type TextSource } from './text-source.js';
import type { Finding, Level, Notification } from './types.js';

/**
 * The scan cache: a scan's output stored with everything it was computed from, reused when all of it is unchanged.
 *
 * Sound by construction: a scan reads the outside world only through its configuration, discovery, the reading of
 * the discovered files, and the project's TextSource (neighbours loaded on demand, tsconfig and package.json files,
 * existence checks during import resolution). The cache records each of them (content hashes, the TextSource's
 * every answer) with authlint's code, TypeScript's version and the rule set, and the stored output is reused only
 * when every recorded answer is the same again. Anything else, one changed byte in any of them included, is a full
 * scan that rewrites the file.
 */

/** Where the CLI keeps the cache unless told otherwise, relative to the working directory. */
export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'authlint');

const FORMAT = 'authlint-scan-cache';
const FORMAT_VERSION = 2;

/** Everything that decides how a scan judges its inputs, compared as a whole. */
export interface CacheKey {
  authlint: string;
  /** Digest of authlint's own code (src and rules, compiled or not). */
  code: string;
  /** Versions of ts-morph and of the TypeScript it bundles (@ts-morph/common). */
  typescript: string;
  node: string;
  /** What the caller computes besides the findings (the CLI's task). */
  purpose: string;
  config: unknown;
  /** authlint's own rules (then a function of the configuration and the code), or the rules a caller gave. */
  rules: 'authlint' | Array<{ id: string; level: string; options: unknown; code: string }>;
}

/** What the scan read, in order: each discovered file with its content hash or why it was skipped, and the reported files. */
export interface ScanInputs {
  files: Array<[relPath: string, outcome: string]>;
  reported: string[] | null;
}

/** What the project's TextSource answered during the scan. */
export interface SourceAnswers {
  reads: Array<[absPath: string, hash: string | null]>;
  exists: Array<[absPath: string, exists: boolean]>;
}

/** The stored output of one scan. */
export interface CachedOutput {
  /** The rules that ran, with their levels. */
  rules: Array<{ id: string; level: Level }>;
  findings: Finding[];
  notifications: Notification[];
  filesScanned: number;
  linesScanned: number;
  collected?: unknown;
}

interface CacheBody {
  key: CacheKey;
  inputs: ScanInputs;
  answers: SourceAnswers;
  output: CachedOutput;
  /** Each discovered file's stamp when it was read (`inputs.files`' order), null where none was taken. */
  stamps?: Array<FileStamp | null>;
}

/**
 * How long before a stamp was taken a file must have last changed for the stamp to be trusted: a file changed again
 * within the same tick of a coarse file-system clock (a second on some, two on FAT) after it was read keeps its
 * modification time, so a stamp taken that close to the file's last change proves nothing (git's "racily clean").
 */
export const STAMP_MARGIN_MS = 2000;

/**
 * Whether a file whose stamp the cache kept is unchanged by what the file system says of it now, without reading it:
 * the same size, modification and change times and inode, and both times well before the stamp was taken. The change
 * time catches a tool that restores the modification time after writing (the kernel sets it, nobody can).
 */
export function isStampTrusted(stored: FileStamp | null | undefined, now: fs.Stats): boolean {
  if (!stored) return false;
  const [size, mtimeMs, ctimeMs, ino, seenMs] = stored;
  return (
    now.isFile() &&
    size === now.size &&
    mtimeMs === now.mtimeMs &&
    ctimeMs === now.ctimeMs &&
    ino === now.ino &&
    mtimeMs < seenMs - STAMP_MARGIN_MS &&
    ctimeMs < seenMs - STAMP_MARGIN_MS
  );
}

/**
 * The checksum of a cache file's payload (CRC-32), checked on reading: it finds a file damaged on disk or written in
 * part, which is all it is for (whoever can write the cache folder can write a matching checksum anyway). A SHA-256
 * of the three cache files' hundred-odd megabytes on ever-gauzy cost about 0.15 s of each rescan.
 */
export function checksum(payload: string | Uint8Array): number {
  return zlib.crc32(payload);
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** One read's part of the inputs: the content hash, or the reason it was skipped (a changed reason is a change). */
export function describeReadOutcome(outcome: FedFile): string {
  const note = outcome.notification ? `${outcome.notification.kind}:${outcome.notification.message}` : '';
  // An extraction thread (--jobs) hashed the text already.
  if (outcome.unread) return outcome.hash;
  return outcome.text === undefined ? `!${note}` : `${outcome.summary?.hash ?? hashText(outcome.text)}${note ? ` ${note}` : ''}`;
}

/** A TextSource that remembers every answer it gave, for the cache to ask the same questions again on the next scan. */
export class RecordingTextSource implements TextSource {
  private readonly reads = new Map<string, string | null>();
  private readonly existence = new Map<string, boolean>();

  constructor(private readonly inner: TextSource) {}

  read(absPath: string): string | undefined {
    const text = this.inner.read(absPath);
    if (!this.reads.has(absPath)) this.reads.set(absPath, text === undefined ? null : hashText(text));
    return text;
  }

  exists(absPath: string): boolean {
    const found = this.inner.exists(absPath);
    if (!this.existence.has(absPath)) this.existence.set(absPath, found);
    return found;
  }

  answers(): SourceAnswers {
    return { reads: [...this.reads], exists: [...this.existence] };
  }
}

let codeDigest: string | undefined;

/** A digest of authlint's own code: the folder of this module's parent (src or dist/src) and the rules beside it. */
export function getCodeDigest(): string {
  if (codeDigest !== undefined) return codeDigest;
  const src = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  for (const dir of [src, path.join(path.dirname(src), 'rules')]) {
    const files = listFiles(dir).filter((f) => /\.(m?js|ts|json|md)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.map')).sort();
    for (const file of files) hash.update(`${path.relative(dir, file)}\u0000`).update(fs.readFileSync(file)).update('\u0000');
  }
  codeDigest = hash.digest('base64url');
  return codeDigest;
}

function listFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

let typescriptVersion: string | undefined;

/** ts-morph's version and its compiler's (read from the packages, so that a cache hit never loads the compiler). */
export function getTypeScriptVersion(): string {
  if (typescriptVersion !== undefined) return typescriptVersion;
  const versions: string[] = [];
  let from = fileURLToPath(import.meta.url);
  for (const name of ['ts-morph', '@ts-morph/common']) {
    try {
      const main = createRequire(from).resolve(name);
      const pkg = findPackageJson(main, name);
      versions.push(`${name}@${pkg?.version ?? 'unknown'}`);
      from = main;
    } catch {
      versions.push(`${name}@missing`);
    }
  }
  typescriptVersion = versions.join(' ');
  return typescriptVersion;
}

function findPackageJson(file: string, name: string): { version?: string } | undefined {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg;
    } catch {
      // not here: one folder up
    }
  }
  return undefined;
}

/** The parts of a scan that decide the cache file and the key: everything but the files' contents. */
export interface ScanCacheRequest {
  location: string;
  /** Names what the caller collects (`ScanOptions.collect`); without it, the code of `collect` stands for it. */
  purpose?: string;
  collect?: unknown;
  skipRules?: boolean;
  /** False: the scan without file selection (tests), kept apart although its output is meant to be the same. */
  selectFiles?: boolean;
  include?: readonly string[];
  rules: CacheKey['rules'];
}

/** Where the cache of a scan is, its key, and its inputs. */
export interface ScanCacheEntry {
  file: string;
  key: CacheKey;
  inputs: ScanInputs;
}

export function describeScanForCache(
  request: ScanCacheRequest,
  plan: FilePlan,
  discovered: DiscoverResult,
  outcomes: readonly FedFile[],
  reported: ReadonlySet<string> | undefined,
): ScanCacheEntry {
  const slot = describeCacheSlot(request, plan);
  return { ...slot, inputs: describeInputs(discovered, outcomes.map((outcome) => describeReadOutcome(outcome)), reported) };
}

/** The cache file of a scan and its key: everything but the files' contents. */
export function describeCacheSlot(request: ScanCacheRequest, plan: FilePlan): Omit<ScanCacheEntry, 'inputs'> {
  const caller = `${request.purpose ?? 'api'}${request.skipRules ? ' without rules' : ''}${request.selectFiles === false ? ' without selection' : ''}`;
  const key: CacheKey = {
    ...getBuildKey(),
    purpose: request.purpose !== undefined ? caller : `${caller} ${hashText(String(request.collect ?? ''))}`,
    config: plan.loaded.config,
    rules: request.rules,
  };
  const slot = { root: plan.root, paths: plan.discover.paths, exclude: plan.discover.exclude, include: request.include ?? [], configFile: plan.loaded.file ?? null, caller };
  return { file: getCacheFile(request.location, slot), key };
}

function describeInputs(discovered: DiscoverResult, outcomes: readonly string[], reported: ReadonlySet<string> | undefined): ScanInputs {
  return {
    files: discovered.files.map((file, index) => [file.relPath, outcomes[index] as string]),
    reported: reported ? [...reported].sort() : null,
  };
}

/** What a scan found in the cache before loading the analysis: the output, or why it missed (for `ScanOptions.cacheChecked`). */
export type EarlyLookup =
  | { kind: 'hit'; output: CachedOutput; root: string; configFile?: string; filesRead: number }
  /**
   * `discovered`: the files this lookup discovered, for the scan to take rather than discover them again; `unchanged`:
   * those the stored stamps say are unchanged, for the scan to leave unread (see `UnreadFile`).
   */
  | { kind: 'miss'; checked: { notification?: Notification; unchanged?: UnchangedFiles }; filesRead: number; discovered?: DiscoverResult };

/**
 * Looks a scan up in the cache without loading the compiler or the rules, and without reading the files the cache
 * knows by their stamps (`isStampTrusted`): a file is read and hashed only when what the file system says of it
 * changed (or changed too close to when it was last read). So a scan of an unchanged tree discovers the files, asks
 * the file system about each, and reads the stored output. On a hit that had to read files whose stamps were not
 * trusted, the stamps are stored again, so the next lookup trusts them.
 */
export function lookupScanEarly(options: FileSelection & { skipRules?: boolean }, request: Omit<ScanCacheRequest, 'include'>): EarlyLookup {
  const plan = planFiles(options);
  const discovered = discoverFiles(plan.discover);
  const reported = getReportedFiles(plan.discover, plan.loaded.config.include ?? [], options.include ?? []);
  const lookup = lookupByStamps({ ...request, include: options.include ?? [], ...(options.skipRules ? { skipRules: true } : {}) }, plan, discovered, reported);
  return lookup.kind === 'miss' ? { ...lookup, discovered } : lookup;
}

/** `lookupScanEarly` of a scan planned and discovered already. */
export function lookupByStamps(request: ScanCacheRequest, plan: FilePlan, discovered: DiscoverResult, reported: ReadonlySet<string> | undefined): EarlyLookup {
  const slot = describeCacheSlot(request, plan);
  const stored = readCacheBody(slot.file, slot.key);
  if (stored.kind === 'miss') return { kind: 'miss', checked: stored.notification ? { notification: stored.notification } : {}, filesRead: 0 };
  const { body } = stored;
  const stamps: Array<FileStamp | null> = [];
  const unchanged: Array<{ hash: string; stamp: FileStamp } | null> = [];
  let filesRead = 0;
  const storedIndex = new Map(body.inputs.files.map(([relPath], index) => [relPath, index]));
  const outcomes = discovered.files.map((file) => {
    const index = storedIndex.get(file.relPath);
    const storedOutcome = index === undefined ? undefined : body.inputs.files[index]?.[1];
    const storedStamp = index === undefined ? undefined : body.stamps?.[index];
    if (storedStamp && storedOutcome !== undefined) {
      const now = statQuietly(file.path);
      if (now && isStampTrusted(storedStamp, now)) {
        stamps.push(storedStamp);
        // A file read whole before (an outcome that is a bare hash, no note): the scan may leave it unread.
        unchanged.push(/^[\w-]+$/.test(storedOutcome) ? { hash: storedOutcome, stamp: storedStamp } : null);
        return storedOutcome;
      }
    }
    unchanged.push(null);
    filesRead++;
    const outcome = readSourceFile(file.path, file.relPath, plan.maxFileSize);
    stamps.push(outcome.stamp ?? null);
    return describeReadOutcome(outcome);
  });
  const inputs = describeInputs(discovered, outcomes, reported);
  if (!isSameJson(body.inputs, inputs) || !isSameSourceAnswers(body.answers, DISK_TEXT_SOURCE)) return { kind: 'miss', checked: { unchanged }, filesRead };
  // Quiet when it fails: the output is right either way, the next lookup reads those files again.
  if (filesRead > 0) writeCache(slot.file, body.key, body.inputs, body.answers, body.output, stamps);
  return { kind: 'hit', output: body.output, root: plan.root, ...(plan.loaded.file ? { configFile: plan.loaded.file } : {}), filesRead };
}

function statQuietly(file: string): fs.Stats | undefined {
  return fs.statSync(file, { throwIfNoEntry: false });
}

/** The cache file of one scan (root, paths, selection, configuration file and purpose) inside the cache folder. */
export function getCacheFile(location: string, slot: unknown): string {
  return path.join(location, `scan-${createHash('sha256').update(JSON.stringify(slot)).digest('hex').slice(0, 24)}.json`);
}

export type CacheLookup =
  | { kind: 'hit'; output: CachedOutput }
  | { kind: 'miss'; notification?: Notification };

/**
 * Reads the cache file and returns its output when the key, the inputs and every recorded TextSource answer are the
 * same now; a missing file is a quiet miss, a corrupt, truncated, foreign or differently keyed one a miss with a note.
 */
export function lookupCache(file: string, key: CacheKey, inputs: ScanInputs, source: TextSource): CacheLookup {
  const stored = readCacheBody(file, key);
  if (stored.kind === 'miss') return stored;
  const { body } = stored;
  if (!isSameJson(body.inputs, inputs) || !isSameSourceAnswers(body.answers, source)) return { kind: 'miss' };
  return { kind: 'hit', output: body.output };
}

/** The cache file's body when it is readable, whole and written with `key`; else a miss, with a note unless quiet. */
function readCacheBody(file: string, key: CacheKey): { kind: 'body'; body: CacheBody } | { kind: 'miss'; notification?: Notification } {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    // No cache yet (or no folder: writing it says what is wrong).
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return { kind: 'miss' };
    return { kind: 'miss', notification: cacheNote(`Could not read the cache file ${file} (${describeError(error)}); scanned without it.`) };
  }
  const body = parseCacheText(raw);
  if (typeof body === 'string') return { kind: 'miss', notification: cacheNote(`Ignored the cache file ${file}: ${body}; it is rewritten after this scan.`) };
  if (!isSameJson(body.key, key)) {
    const what = body.key.authlint !== key.authlint || body.key.code !== key.code || body.key.typescript !== key.typescript || body.key.node !== key.node
      ? 'another version of authlint or Node.js'
      : 'another configuration or rule set';
    return { kind: 'miss', notification: cacheNote(`Ignored the cache file ${file}: it was written by ${what}; it is rewritten after this scan.`) };
  }
  return { kind: 'body', body };
}

/** Whether the TextSource answers a stored scan got (file hashes, existence checks) are all the same now. */
export function isSameSourceAnswers(answers: SourceAnswers, source: TextSource): boolean {
  for (const [absPath, hash] of answers.reads) {
    const text = source.read(absPath);
    if ((text === undefined ? null : hashText(text)) !== hash) return false;
  }
  for (const [absPath, exists] of answers.exists) if (source.exists(absPath) !== exists) return false;
  return true;
}

/** A scan's result from its cached output (every stored scan was successful). */
export function resultFromCache(output: CachedOutput, configFile: string | undefined) {
  return {
    findings: output.findings,
    notifications: output.notifications,
    rules: output.rules,
    filesScanned: output.filesScanned,
    linesScanned: output.linesScanned,
    ...(configFile ? { configFile } : {}),
    successful: true,
    ...(output.collected !== undefined ? { collected: output.collected } : {}),
    cached: true as const,
  };
}

/**
 * Writes the cache file atomically: the whole text goes to a file of its own, then is renamed over the old one, so a
 * concurrent reader sees the old file or the new one, never a part; concurrent writers each rename a complete file.
 */
export function writeCache(
  file: string,
  key: CacheKey,
  inputs: ScanInputs,
  answers: SourceAnswers,
  output: CachedOutput,
  stamps?: ReadonlyArray<FileStamp | null>,
): Notification | undefined {
  const body = JSON.stringify({ key, inputs, answers, output, ...(stamps ? { stamps: [...stamps] } : {}) } satisfies CacheBody);
  const header = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, crc32: checksum(body), length: body.length });
  try {
    replaceFileAtomically(file, `${header}\n${body}`);
    return undefined;
  } catch (error) {
    return cacheNote(`Could not write the cache file ${file} (${describeError(error)}); the next scan starts without it.`);
  }
}

/**
 * Writes a cache file atomically: the whole content goes to a file of its own, then is renamed over the old one, so a
 * concurrent reader sees the old file or the new one, never a part, and concurrent writers each rename a complete
 * file. Throws what the file system throws, after removing its temporary file.
 */
export function replaceFileAtomically(file: string, content: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (error) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing more to do: the next scan starts without this file
    }
    throw error;
  }
}

/** What authlint's build is: a cache file written by another is not used. */
export function getBuildKey(): Pick<CacheKey, 'authlint' | 'code' | 'typescript' | 'node'> {
  return { authlint: getPackageVersion(), code: getCodeDigest(), typescript: getTypeScriptVersion(), node: process.version };
}

/** The body of a cache file, or why it cannot be used. */
function parseCacheText(raw: string): CacheBody | string {
  const newline = raw.indexOf('\n');
  if (newline === -1) return 'it is not an authlint cache file or is truncated';
  let header: { format?: unknown; version?: unknown; crc32?: unknown; length?: unknown };
  try {
    header = JSON.parse(raw.slice(0, newline)) as typeof header;
  } catch {
    return 'it is not an authlint cache file';
  }
  if (header === null || typeof header !== 'object' || header.format !== FORMAT) return 'it is not an authlint cache file';
  if (header.version !== FORMAT_VERSION) return `its format version ${String(header.version)} is not ${FORMAT_VERSION}`;
  const text = raw.slice(newline + 1);
  if (text.length !== header.length) return 'it is truncated';
  if (checksum(text) !== header.crc32) return 'its checksum does not match (corrupt)';
  try {
    const body = JSON.parse(text) as CacheBody;
    if (!body || typeof body !== 'object' || !body.key || !body.inputs || !body.answers || !body.output) return 'its content is incomplete';
    return body;
  } catch {
    return 'its content is not valid JSON';
  }
}

function isSameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An error of the file system as a note shows it: its code, else its message. */
export function describeError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

export function cacheNote(message: string): Notification {
  return { kind: 'cache', level: 'note', message };
}
