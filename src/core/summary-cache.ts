import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { computeFileIndex, FILE_INDEX_VERSION } from './file-index.js';
import { claimBatch, EXTRACT_BATCH_FILES, getJobBatches, type ExtractBatch, type ExtractJob, type FedFile, type FilePlan } from './file-plan.js';
import type { FileSummary, StoredFacts } from './file-summary.js';
import type { AnalysisProject, FileFact } from './project.js';
import { readSourceFile, type ReadOutcome } from './read.js';
import { cacheNote, checksum, describeError, getBuildKey, hashText, replaceFileAtomically } from './scan-cache.js';
import type { Notification } from './types.js';

/**
 * The per-file part of the scan cache: each scanned file's `FileSummary` but its text index (the import specifiers,
 * the syntax errors, the portable fact values) stored under its path and content hash, so that a scan that misses the whole-output
 * cache (one file edited) takes every unchanged file's summary from here and parses only what the analysis still asks
 * trees for.
 *
 * Sound because a summary is a function of the file's text, its path (the parser's language comes from the extension)
 * and the code that computed it: an entry is used only for the same relative path (under the same scan root) and the
 * same content hash, and the file is keyed by authlint's version and code digest, TypeScript's and Node.js's versions,
 * the text index's version and the names of the portable facts. Nothing else goes in: a portable fact reads nothing
 * but the file's own text and tree (`FileFact.portable`), not the configuration, other files or the project.
 *
 * The text index is left out: the thread that reads a file computes it with the hash anyway, and it is four fifths of
 * the data (on ever-gauzy 12.6 MB with it, 2.9 MB without; reading it back 520 ms against 58 ms).
 */

const FORMAT = 'authlint-summary-cache';
const FORMAT_VERSION = 3;

/** What decides how a summary is computed from a text, compared as a whole. */
export interface SummaryKey {
  authlint: string;
  code: string;
  typescript: string;
  node: string;
  fileIndex: number;
  /** The names of the portable facts, in the order they are listed. */
  facts: string[];
}

export function getSummaryKey(portableFacts: readonly string[]): SummaryKey {
  return {
    ...getBuildKey(),
    fileIndex: FILE_INDEX_VERSION,
    facts: [...portableFacts],
  };
}

/** The summary file of a scan's root, paths and exclusions, inside the cache folder. */
export function getSummaryFile(location: string, plan: Pick<FilePlan, 'root' | 'discover'>): string {
  const slot = { root: plan.root, paths: plan.discover.paths ?? [], exclude: plan.discover.exclude ?? [] };
  return path.join(location, `summaries-${createHash('sha256').update(JSON.stringify(slot)).digest('hex').slice(0, 24)}.bin`);
}

/**
 * What is stored of a file: its summary without the text index, the portable fact values kept serialized, so that a
 * scan decodes only the files whose facts it asks for, and writes the others back as they were read.
 */
export type StoredSummary = Omit<FileSummary, 'index' | 'facts' | 'storedFacts'> & {
  facts?: StoredFacts;
  /** The lines the report counts (a final line break ends the last line), so a rescan can leave the file unread. */
  lines?: number;
};

/** The portable fact values of a stored summary. */
export function decodeStoredFacts(facts: StoredFacts): Record<string, unknown> {
  return v8.deserialize(facts.bytes) as Record<string, unknown>;
}

/** Portable fact values as the summary cache keeps them. */
export function encodeStoredFacts(facts: Readonly<Record<string, unknown>>): StoredFacts {
  return { names: Object.keys(facts), bytes: v8.serialize(facts) };
}

/** The stored summaries by relative path, and why the file could not be used. */
export interface StoredSummaries {
  summaries: Map<string, StoredSummary>;
  notification?: Notification;
}

/**
 * Reads the summary file. A missing file, or one written by another authlint, TypeScript or Node.js version or for
 * other portable facts, is a quiet miss (the whole-output cache says so already when its key differs); a corrupt,
 * truncated or foreign one a miss with a note.
 */
export function loadSummaries(file: string, key: SummaryKey): StoredSummaries {
  const none = new Map<string, StoredSummary>();
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return { summaries: none };
    return { summaries: none, notification: cacheNote(`Could not read the summary cache file ${file} (${describeError(error)}); scanned without it.`) };
  }
  const body = parseSummaryFile(raw, key);
  if (body === undefined) return { summaries: none };
  if (typeof body === 'string') return { summaries: none, notification: cacheNote(`Ignored the summary cache file ${file}: ${body}; it is rewritten after this scan.`) };
  return { summaries: body };
}

/** The summaries of the file, undefined when it was written with another key, or why it cannot be used. */
function parseSummaryFile(raw: Buffer, key: SummaryKey): Map<string, StoredSummary> | undefined | string {
  const newline = raw.indexOf(10);
  if (newline === -1) return 'it is not an authlint summary cache file or is truncated';
  let header: { format?: unknown; version?: unknown; key?: unknown; crc32?: unknown; length?: unknown; listLength?: unknown };
  try {
    header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as typeof header;
  } catch {
    return 'it is not an authlint summary cache file';
  }
  if (header === null || typeof header !== 'object' || header.format !== FORMAT) return 'it is not an authlint summary cache file';
  if (header.version !== FORMAT_VERSION) return `its format version ${String(header.version)} is not ${FORMAT_VERSION}`;
  if (JSON.stringify(header.key) !== JSON.stringify(key)) return undefined;
  const payload = raw.subarray(newline + 1);
  if (payload.length !== header.length) return 'it is truncated';
  if (checksum(payload) !== header.crc32) return 'its checksum does not match (corrupt)';
  const listLength = header.listLength;
  if (typeof listLength !== 'number' || listLength < 0 || listLength > payload.length) return 'its content is incomplete';
  let entries: unknown;
  try {
    entries = v8.deserialize(payload.subarray(0, listLength));
  } catch {
    return 'its content cannot be read';
  }
  const values = payload.subarray(listLength);
  if (!Array.isArray(entries) || !entries.every((entry) => isEntry(entry, values.length))) return 'its content is incomplete';
  return new Map(
    entries.map(([relPath, { facts, ...rest }]) => [relPath, facts ? { ...rest, facts: { names: facts.names, bytes: values.subarray(facts.start, facts.end) } } : rest]),
  );
}

/**
 * How a summary is listed in the file: its portable fact values are a range of the bytes after the list, so that
 * writing copies the ranges of files whose facts nobody decoded, and reading makes no object of them.
 */
type ListedSummary = Omit<StoredSummary, 'facts'> & { facts?: { names: string[]; start: number; end: number } };

function isEntry(entry: unknown, valuesLength: number): entry is [string, ListedSummary] {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return false;
  const summary = entry[1] as Partial<ListedSummary> | null;
  if (summary === null || typeof summary !== 'object' || typeof summary.hash !== 'string') return false;
  const facts = summary.facts;
  return (
    facts === undefined ||
    (Array.isArray(facts.names) && Number.isInteger(facts.start) && Number.isInteger(facts.end) && 0 <= facts.start && facts.start <= facts.end && facts.end <= valuesLength)
  );
}

/**
 * Writes the summaries atomically (a file of its own, renamed over the old one), so concurrent scans see and leave a
 * whole file, the last one renamed.
 */
export function writeSummaries(file: string, key: SummaryKey, summaries: ReadonlyMap<string, StoredSummary>): Notification | undefined {
  const values: Uint8Array[] = [];
  let end = 0;
  const listed = [...summaries].map(([relPath, { facts, ...rest }]): [string, ListedSummary] => {
    if (!facts) return [relPath, rest];
    values.push(facts.bytes);
    const start = end;
    end += facts.bytes.length;
    return [relPath, { ...rest, facts: { names: facts.names, start, end } }];
  });
  const list = v8.serialize(listed);
  const payload = Buffer.concat([list, ...values]);
  // For the extraction threads (`openSummaries`): the files whose summary is complete, with their hashes.
  const complete = [...summaries].filter(([, summary]) => isComplete(summary, key.facts)).map(([relPath, summary]) => [relPath, summary.hash]);
  const header = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, key, crc32: checksum(payload), length: payload.length, listLength: list.length, complete });
  try {
    replaceFileAtomically(file, Buffer.concat([Buffer.from(`${header}\n`), payload]));
    return undefined;
  } catch (error) {
    return cacheNote(`Could not write the summary cache file ${file} (${describeError(error)}); the next scan extracts every file again.`);
  }
}

/**
 * A file's summary with what the cache knows of the same text added: the stored parts that `summary` lacks (the
 * syntax errors, the import specifiers, portable facts). `summary` is what a thread computed from the text now.
 */
export function completeSummary(summary: FileSummary, stored: StoredSummary | undefined): FileSummary {
  if (!stored || stored.hash !== summary.hash) return summary;
  // The facts computed now (`summary.facts`) are taken first; the stored ones only for the facts they lack.
  const { facts: storedFacts, ...rest } = stored;
  return { ...rest, ...summary, ...(storedFacts ? { storedFacts } : {}) };
}


/** What `collectSummaries` stores besides what the project knows of each file. */
export interface CollectOptions {
  /** The stored portable facts each file was added with (written back as they were when nobody decoded them). */
  stored?: ReadonlyMap<string, StoredFacts>;
  /** Each file's line count (`StoredSummary.lines`). */
  lines?: ReadonlyMap<string, number>;
  /** The facts kept in plain form (`STORED_TEXT_FACTS`): each value memoised or handed over is stored (a primitive or a list of strings). */
  textFacts?: readonly FileFact<unknown>[];
}

/** A value `StoredSummary.textFacts` keeps: a primitive or a list of strings. */
function isStorableText(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function') || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

/**
 * What the scan knows of each scanned file at its end, to store: the parts known without another parse (the syntax
 * errors once a rule or the report asked for them, each portable fact memoised or handed over), plus the portable
 * facts the file's tree, when it is still kept, gives at little cost.
 */
export function collectSummaries(
  project: AnalysisProject,
  hashes: ReadonlyMap<string, string>,
  portable: readonly FileFact<unknown>[],
  known: CollectOptions = {},
): Map<string, StoredSummary> {
  const { stored = new Map<string, StoredFacts>(), lines = new Map<string, number>(), textFacts = [] } = known;
  const summaries = new Map<string, StoredSummary>();
  for (const file of project.files()) {
    const hash = hashes.get(file.relPath);
    if (hash === undefined) continue;
    const count = lines.get(file.relPath);
    const texts: Record<string, unknown> = {};
    for (const fact of textFacts) {
      const memo = project.memoisedFileFact(fact, file);
      if (memo && isStorableText(memo.value)) texts[fact.name] = memo.value;
    }
    const base = {
      hash,
      importSpecifiers: [...file.importSpecifiers],
      ...(file.hasParseSummary ? { parse: file.parseSummary } : {}),
      ...(count !== undefined ? { lines: count } : {}),
      ...(Object.keys(texts).length > 0 ? { textFacts: texts } : {}),
    };
    // Stored facts nobody asked for are written back as they were read, unless the file's tree gives the missing ones.
    const kept = project.hasUndecodedFacts(file) ? stored.get(file.relPath) : undefined;
    if (kept && (!file.isParsed || portable.every((fact) => kept.names.includes(fact.name)))) {
      summaries.set(file.relPath, { ...base, facts: kept });
      continue;
    }
    const facts: Record<string, unknown> = {};
    for (const fact of portable) {
      if (!project.hasFileFact(fact, file) && !file.isParsed) continue;
      try {
        facts[fact.name] = project.fileFact(fact, file);
      } catch {
        // left to the next scan, which computes it when asked
      }
    }
    summaries.set(file.relPath, { ...base, ...(Object.keys(facts).length > 0 ? { facts: encodeStoredFacts(facts) } : {}) });
  }
  return summaries;
}

/** For a file the cache knows completely with this text: its hash and text index (a thread computes no more); else undefined. */
export type ReuseSummary = (relPath: string, text: string) => FileSummary | undefined;

/**
 * For an extraction thread, which loads no fact module: which files the cache knows completely (the syntax errors, the
 * import specifiers and every portable fact), read from the file's first line only, when the file was written by this
 * build of authlint (its code digest covers the list of portable facts). Such a file is not parsed: the thread sends
 * its hash and index, and the scan thread adds the rest from the same file, which it reads and checks whole (an entry
 * whose hash differs there is computed when asked). Quiet when unusable: the scan thread notes a damaged file.
 */
export function openSummaries(file: string): ReuseSummary | undefined {
  let header: { format?: unknown; version?: unknown; key?: { facts?: unknown }; complete?: unknown } | null;
  try {
    const raw = fs.readFileSync(file);
    header = JSON.parse(raw.subarray(0, raw.indexOf(10)).toString('utf8')) as typeof header;
  } catch {
    return undefined;
  }
  const facts = header?.key?.facts;
  if (header?.format !== FORMAT || header.version !== FORMAT_VERSION || !Array.isArray(facts) || !facts.every((name) => typeof name === 'string')) return undefined;
  if (JSON.stringify(header.key) !== JSON.stringify(getSummaryKey(facts)) || !Array.isArray(header.complete)) return undefined;
  const complete = new Map(header.complete.filter((entry): entry is [string, string] => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string'));
  return (relPath, text) => {
    const hash = hashText(text);
    return complete.get(relPath) === hash ? { hash, index: computeFileIndex(text) } : undefined;
  };
}

function isComplete(summary: StoredSummary, facts: readonly string[]): boolean {
  return summary.parse !== undefined && summary.importSpecifiers !== undefined && facts.every((name) => summary.facts?.names.includes(name) === true);
}

/**
 * Sends an extraction thread's batches while the cache knows every file of the batch; returns how many were sent when
 * a file must be parsed (the rest is `extractBatches`'s, from there), undefined when all were sent or the scan stopped.
 */
export function sendKnownBatches(job: ExtractJob, reuse: ReuseSummary, send: (batch: ExtractBatch) => boolean): number | undefined {
  const batches = getJobBatches(job);
  const claims = job.claims && new Int32Array(job.claims);
  for (const [sent, batch] of batches.entries()) {
    if (!claimBatch(claims, batch, job.worker)) continue;
    const files: Array<FedFile | null> = [];
    for (const file of job.files.slice(batch * EXTRACT_BATCH_FILES, (batch + 1) * EXTRACT_BATCH_FILES)) {
      const outcome = readForExtraction(file.path, file.relPath, job);
      const known = outcome?.text === undefined ? undefined : reuse(file.relPath, outcome.text);
      if (outcome?.text !== undefined && !known) return sent;
      files.push(known && outcome ? { ...outcome, summary: known } : outcome);
    }
    if (!send({ batch, files })) return undefined;
  }
  return undefined;
}

/** Reads a file as the scan would (`readSourceFile`, the same size limit); null when reading throws, for the scan to do it. */
export function readForExtraction(absPath: string, relPath: string, job: Pick<ExtractJob, 'maxFileSize'>): ReadOutcome | null {
  try {
    return readSourceFile(absPath, relPath, job.maxFileSize);
  } catch {
    return null;
  }
}
