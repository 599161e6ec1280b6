import { createHash } from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import type { AnalysisProject, FileFact, SourceFileInfo } from './project.js';
import { DeferredAnswer, getFileFactByName } from './project.js';
import { getReadCheck, ReadFrame, recordReads, type ReadCheck, type ReadFact } from './reads.js';
import { cacheNote, checksum, describeError, isSameSourceAnswers, replaceFileAtomically, type CacheKey, type ScanCacheEntry, type ScanInputs, type SourceAnswers } from './scan-cache.js';
import { DISK_TEXT_SOURCE } from './text-source.js';
import type { Notification } from './types.js';

/**
 * The part of the scan cache that makes a rescan after an edit cheap: the output of each entry point of the last scan
 * (one file's rules, the project rules, the route notification, what the caller collected) stored with what it read,
 * as the editor's snapshots record it (reads.ts). A scan that misses the whole-output cache because some files changed
 * reuses every stored output whose reads those files leave as they were, and runs the others.
 *
 * What an output read is kept as a graph of frames (the memoised answers it took in share their frames), each naming
 * by file number:
 * - files read whole (text, tree): a changed one voids it;
 * - local file facts read of some files: voided when the fact's value for a changed file differs (kept as the value
 *   itself when it is a primitive, as a digest of its serialisation when it is plain data; a value that holds tree
 *   nodes is not kept, so a change to its file voids every reader);
 * - word queries: voided when a changed file starts or stops mentioning the words;
 * - yes/no questions over many files (text tests, import reachability): voided when a changed file's answer differs;
 * - the import graph: voided when a changed file imports other specifiers;
 * - reads nothing recorded (a memo filled outside any frame) or of a file that is not scanned: never reused.
 *
 * Used only when the scan is the same in everything but the contents of some scanned files: the same key (authlint's
 * build, configuration, rules, caller), the same discovered and reported files, and the same answers from the
 * project's TextSource (neighbours, tsconfig and package.json files, existence checks). Anything else is a full scan.
 */

const FORMAT = 'authlint-run-cache';
const FORMAT_VERSION = 3;

/**
 * The frames as flat numbers, so that a store of a hundred thousand frames loads as a few arrays rather than as
 * objects: frame `i` starts at `offsets[i]` in `data` and holds, in order, its flags (1: read something no later scan
 * can check, 2: read the import graph), the files it read whole, the local facts it read (fact, then the files), the
 * word queries, the questions over many files and the frames it took in, each list preceded by its length.
 */
export interface FrameTable {
  offsets: Int32Array;
  data: Int32Array;
  /** The project fact each frame computed, where one did (for reports on what voided an output). */
  names: Array<[frame: number, name: string]>;
}

/** Answers by file for one fact or question: parallel file numbers and indexes into `RunStore.values`. */
export interface ValueTable {
  files: Int32Array;
  values: Int32Array;
}

const UNUSABLE = 1;
const IMPORT_GRAPH = 2;

export interface RunStore {
  key: CacheKey;
  /** The discovered files' relative paths and read outcomes (hashes), in discovery order; the reported files. */
  inputs: { paths: string[]; outcomes: string[]; reported: string[] | null };
  /** The TextSource's answers (neighbours, existence checks). */
  answers: { reads: string[]; hashes: Array<string | null>; checked: string[]; exists: Uint8Array };
  /** The scanned files' relative paths (file numbers index this) and digests of their import specifiers. */
  paths: string[];
  imports: string[];
  /** Every encoded value (see `encodeValue`), once. */
  values: string[];
  facts: string[];
  /** Each fact's value by file; a file not listed was not read. */
  factValues: ValueTable[];
  words: string[];
  /** Each word query's answer: the files that mention one of its words. */
  wordFiles: Int32Array[];
  checks: string[];
  /** Each question's answer by file; a file not listed was not asked. */
  checkValues: ValueTable[];
  frames: FrameTable;
  /** Each entry point's name and frame; the outputs that are not an empty rule result, by run. */
  runs: { names: string[]; frames: Int32Array; outputs: Array<[run: number, output: unknown]> };
  /**
   * The plain project facts and units the scan computed, with their frames (AnalysisProject.getPlainAnswers). Their
   * values are kept in groups, each an array serialized (v8) as a whole, so that values sharing objects share them
   * again when read back: a rescan decodes a group when one of its values is asked for, and stores the groups it did
   * not decode again as they were read (see `collectPlain`).
   */
  plain: {
    groups: Uint8Array[];
    facts: Array<[name: string, frame: number, group: number, index: number]>;
    units: Array<[kind: string, key: string, frame: number, group: number, index: number]>;
  };
}

/** An encoded value that never equals another: an answer that was asked but cannot be compared. */
const UNCOMPARABLE = '?';

/** The run file of a scan, beside its output cache file. */
export function getRunFile(outputFile: string): string {
  return outputFile.replace(/\.json$/, '') + '.runs.bin';
}

/** A value as compared across scans: primitives as they are, plain data by a digest, anything else unknown. */
export function encodeValue(value: unknown, plain: boolean): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
    case 'number':
    case 'bigint':
      return `${typeof value}:${String(value)}`;
    case 'string':
      return `string:${value}`;
    case 'object':
      if (!plain) return undefined;
      try {
        return `data:${createHash('sha256').update(canonical(value)).digest('base64url')}`;
      } catch {
        // A cycle (not plain data after all) or nesting deeper than the stack: unknown, never reused.
        return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * Plain data as text, equal for values `isSameData` finds equal (reads.ts): object keys sorted, Map and Set entries in
 * order, a shared object written out at each place (structured clone keeps sharing, which two computations of an equal
 * value need not share alike).
 */
function canonical(value: unknown): string {
  const parts: string[] = [];
  const open = new Set<object>();
  const write = (item: unknown): void => {
    if (item === null || typeof item !== 'object') {
      parts.push(typeof item === 'string' ? JSON.stringify(item) : `${typeof item}:${String(item)}`);
      return;
    }
    if (open.has(item)) throw new Error('cyclic value');
    open.add(item);
    writeObject(item);
    open.delete(item);
  };
  const writeObject = (item: object): void => {
    if (Array.isArray(item)) {
      parts.push('[');
      for (const element of item) {
        write(element);
        parts.push(',');
      }
      parts.push(']');
    } else if (item instanceof Map) {
      parts.push('M{');
      for (const [key, element] of item) {
        write(key);
        parts.push(':');
        write(element);
        parts.push(',');
      }
      parts.push('}');
    } else if (item instanceof Set) {
      parts.push('S{');
      for (const element of item) {
        write(element);
        parts.push(',');
      }
      parts.push('}');
    } else {
      parts.push('{');
      for (const key of Object.keys(item).sort()) {
        parts.push(JSON.stringify(key), ':');
        write((item as Record<string, unknown>)[key]);
        parts.push(',');
      }
      parts.push('}');
    }
  };
  write(value);
  return parts.join('');
}

/** The signature of a file's import specifiers (what `importGraph` reads). */
export function encodeImports(file: SourceFileInfo): string {
  return createHash('sha256').update(file.importSpecifiers.join('\u0000')).digest('base64url').slice(0, 22);
}

/** Reads the run file: the store, or undefined when there is none or it is unusable (with a note when damaged). */
export function loadRuns(file: string): { store?: RunStore; notification?: Notification } {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return {};
    return { notification: cacheNote(`Could not read the cache file ${file} (${describeError(error)}); scanned without it.`) };
  }
  const ignored = (why: string): { notification: Notification } => ({ notification: cacheNote(`Ignored the cache file ${file}: ${why}; it is rewritten after this scan.`) });
  const newline = raw.indexOf(10);
  if (newline === -1) return ignored('it is not an authlint cache file or is truncated');
  let header: { format?: unknown; version?: unknown; crc32?: unknown; length?: unknown } | null;
  try {
    header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as typeof header;
  } catch {
    return ignored('it is not an authlint cache file');
  }
  if (header === null || typeof header !== 'object' || header.format !== FORMAT) return ignored('it is not an authlint cache file');
  if (header.version !== FORMAT_VERSION) return ignored(`its format version ${String(header.version)} is not ${FORMAT_VERSION}`);
  const payload = raw.subarray(newline + 1);
  if (payload.length !== header.length) return ignored('it is truncated');
  if (checksum(payload) !== header.crc32) return ignored('its checksum does not match (corrupt)');
  let store: RunStore;
  try {
    store = v8.deserialize(payload) as RunStore;
  } catch {
    return ignored('its content cannot be read');
  }
  if (!isStore(store)) return ignored('its content is incomplete');
  return { store };
}

function isStore(value: unknown): value is RunStore {
  const store = value as Partial<RunStore> | null;
  return (
    store !== null &&
    typeof store === 'object' &&
    typeof store.inputs === 'object' &&
    store.inputs !== null &&
    Array.isArray(store.inputs.paths) &&
    Array.isArray(store.inputs.outcomes) &&
    typeof store.answers === 'object' &&
    store.answers !== null &&
    Array.isArray(store.answers.reads) &&
    store.answers.exists instanceof Uint8Array &&
    Array.isArray(store.paths) &&
    Array.isArray(store.imports) &&
    Array.isArray(store.values) &&
    Array.isArray(store.facts) &&
    Array.isArray(store.factValues) &&
    Array.isArray(store.words) &&
    Array.isArray(store.wordFiles) &&
    Array.isArray(store.checks) &&
    Array.isArray(store.checkValues) &&
    typeof store.frames === 'object' &&
    store.frames !== null &&
    store.frames.offsets instanceof Int32Array &&
    store.frames.data instanceof Int32Array &&
    typeof store.runs === 'object' &&
    store.runs !== null &&
    Array.isArray(store.runs.names) &&
    store.runs.frames instanceof Int32Array &&
    typeof store.plain === 'object' &&
    store.plain !== null &&
    Array.isArray(store.plain.groups) &&
    store.plain.groups.every((group) => group instanceof Uint8Array) &&
    Array.isArray(store.plain.facts) &&
    Array.isArray(store.plain.units)
  );
}

/** Writes the run file atomically (see replaceFileAtomically). */
export function writeRuns(file: string, store: RunStore): Notification | undefined {
  try {
    const payload = v8.serialize(store);
    const header = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, crc32: checksum(payload), length: payload.length });
    replaceFileAtomically(file, Buffer.concat([Buffer.from(`${header}\n`), payload]));
    return undefined;
  } catch (error) {
    return cacheNote(`Could not write the cache file ${file} (${describeError(error)}); the next scan after an edit runs every rule again.`);
  }
}

/** The TextSource's answers as stored. */
function storeAnswers(answers: SourceAnswers): RunStore['answers'] {
  return {
    reads: answers.reads.map(([absPath]) => absPath),
    hashes: answers.reads.map(([, hash]) => hash),
    checked: answers.exists.map(([absPath]) => absPath),
    exists: Uint8Array.from(answers.exists, ([, found]) => (found ? 1 : 0)),
  };
}

/** The stored TextSource answers, as the output cache keeps them. */
function readAnswers(answers: RunStore['answers']): SourceAnswers {
  return {
    reads: answers.reads.map((absPath, index) => [absPath, answers.hashes[index] ?? null]),
    exists: answers.checked.map((absPath, index) => [absPath, answers.exists[index] === 1]),
  };
}

/** The frames each frame took in, without reading the rest (the walk that marks invalid frames). */
function readTakenIn(table: FrameTable, index: number): Int32Array {
  const data = table.data;
  let at = (table.offsets[index] as number) + 1;
  at += 1 + (data[at] as number);
  const factCount = data[at++] as number;
  for (let i = 0; i < factCount; i++) at += 2 + (data[at + 1] as number);
  at += 1 + (data[at] as number);
  at += 1 + (data[at] as number);
  return data.subarray(at + 1, at + 1 + (data[at] as number));
}

/**
 * The stored runs whose reads the changed files leave as they were, by name, with their outputs and frames (as
 * ReadFrames of this project, for the next store); the plain facts and units still valid are installed in the
 * project. `changed` are file numbers of the store (the same files as the project's, in the same order).
 */
export function findReusableRuns(store: RunStore, project: AnalysisProject, files: readonly SourceFileInfo[], changed: ReadonlySet<number>): Map<string, { output: unknown; frame: ReadFrame }> {
  const reusable = new Map<string, { output: unknown; frame: ReadFrame }>();
  const invalid = findInvalidFrames(store, project, files, changed);
  const rebuilt = new Map<number, ReadFrame>();
  const outputs = new Map(store.runs.outputs);
  store.runs.names.forEach((name, run) => {
    const frame = store.runs.frames[run] as number;
    if (invalid[frame] === 1) return;
    reusable.set(name, { output: outputs.has(run) ? outputs.get(run) : emptyResult(), frame: rebuildFrame(store, frame, rebuilt) });
  });
  // The plain facts and units still valid are answered from the store when a run computed here asks for them.
  const groups = store.plain.groups.map((encoded) => new PlainGroup(encoded));
  const deferred = (group: number, index: number) => {
    const kept = groups[group];
    return kept ? new DeferredAnswer({ group: kept, index } satisfies PlainOrigin, () => kept.values()[index]) : undefined;
  };
  const facts = store.plain.facts.flatMap(([name, frame, group, index]) => {
    const value = invalid[frame] === 1 ? undefined : deferred(group, index);
    return value ? [{ name, value, frame: rebuildFrame(store, frame, rebuilt) }] : [];
  });
  const units = store.plain.units.flatMap(([kind, key, frame, group, index]) => {
    const value = invalid[frame] === 1 ? undefined : deferred(group, index);
    return value ? [{ kind, key, value, frame: rebuildFrame(store, frame, rebuilt) }] : [];
  });
  project.installPlainAnswers(facts, units);
  project.stats.runs = { reused: 0, ran: [], facts: facts.length, units: units.length };
  return reusable;
}

/** What a file's rules found when they found nothing (most runs: not stored one by one). */
function emptyResult(): { findings: never[]; notifications: never[] } {
  return { findings: [], notifications: [] };
}

function isEmptyResult(output: unknown): boolean {
  if (typeof output !== 'object' || output === null) return false;
  const keys = Object.keys(output);
  const result = output as { findings?: unknown; notifications?: unknown };
  return keys.length === 2 && Array.isArray(result.findings) && result.findings.length === 0 && Array.isArray(result.notifications) && result.notifications.length === 0;
}

/** For each frame, 1 when its own reads, or those of a frame it took in, the changed files change. */
function findInvalidFrames(store: RunStore, project: AnalysisProject, files: readonly SourceFileInfo[], changed: ReadonlySet<number>): Uint8Array {
  const changedList = [...changed];
  const factChanged = new Map<string, boolean>();
  const wordChanged = new Map<number, boolean>();
  const checkChanged = new Map<number, boolean>();
  const lookup = (table: ValueTable | undefined): Map<number, string> => {
    const found = new Map<number, string>();
    if (!table) return found;
    // Only the changed files' answers are ever looked up.
    for (let i = 0; i < table.files.length; i++) {
      const file = table.files[i] as number;
      if (changed.has(file)) found.set(file, store.values[table.values[i] as number] as string);
    }
    return found;
  };
  const factValues = new Map<number, Map<number, string>>();
  const checkValues = new Map<number, Map<number, string>>();
  let graphChanged: boolean | undefined;
  // What is computed here of the changed files (their facts, answers) is read inside a frame of its own, so that the
  // memos it fills are not opaque to the runs that read them later.
  const frame = new ReadFrame();
  const inFrame = <T>(compute: () => T): T => recordReads(frame, compute);
  const isFactChanged = (factIndex: number, file: number): boolean => {
    const key = `${factIndex}\u0000${file}`;
    let answer = factChanged.get(key);
    if (answer === undefined) {
      let values = factValues.get(factIndex);
      if (!values) factValues.set(factIndex, (values = lookup(store.factValues[factIndex])));
      const old = values.get(file);
      const fact = getFileFactByName(store.facts[factIndex] as string);
      answer = old === undefined || old === UNCOMPARABLE || fact === undefined || inFrame(() => encodeFact(project, fact, files[file] as SourceFileInfo)) !== old;
      factChanged.set(key, answer);
    }
    return answer;
  };
  const isWordChanged = (word: number): boolean => {
    let answer = wordChanged.get(word);
    if (answer === undefined) {
      const list = (store.words[word] as string).split('\u0000');
      const before = new Set(store.wordFiles[word]);
      answer = changedList.some((file) => before.has(file) !== inFrame(() => project.indexMentions(files[file] as SourceFileInfo, list)));
      wordChanged.set(word, answer);
    }
    return answer;
  };
  const isCheckChanged = (checkIndex: number): boolean => {
    let answer = checkChanged.get(checkIndex);
    if (answer === undefined) {
      const check = getReadCheck(store.checks[checkIndex] as string);
      let values = checkValues.get(checkIndex);
      if (!values) checkValues.set(checkIndex, (values = lookup(store.checkValues[checkIndex])));
      const known = values;
      // A file the last scan did not ask the question of: its answer decided nothing then.
      answer = check === undefined || changedList.some((file) => {
        const old = known.get(file);
        return old !== undefined && (old === UNCOMPARABLE || inFrame(() => encodeCheck(project, check, files[file] as SourceFileInfo)) !== old);
      });
      checkChanged.set(checkIndex, answer);
    }
    return answer;
  };
  const isGraphChanged = (): boolean => (graphChanged ??= changedList.some((file) => store.imports[file] !== encodeImports(files[file] as SourceFileInfo)));
  // Read in place (a hundred thousand frames, most reading none of the changed files): see FrameTable for the layout.
  const data = store.frames.data;
  const ownChanged = (index: number): boolean => {
    let at = store.frames.offsets[index] as number;
    const flags = data[at++] as number;
    if (flags & UNUSABLE) return true;
    const fileCount = data[at++] as number;
    for (let end = at + fileCount; at < end; at++) if (changed.has(data[at] as number)) return true;
    const factCount = data[at++] as number;
    for (let i = 0; i < factCount; i++) {
      const fact = data[at++] as number;
      const length = data[at++] as number;
      for (let end = at + length; at < end; at++) {
        const file = data[at] as number;
        if (changed.has(file) && isFactChanged(fact, file)) return true;
      }
    }
    const wordCount = data[at++] as number;
    for (let end = at + wordCount; at < end; at++) if (isWordChanged(data[at] as number)) return true;
    const checkCount = data[at++] as number;
    for (let end = at + checkCount; at < end; at++) if (isCheckChanged(data[at] as number)) return true;
    return (flags & IMPORT_GRAPH) !== 0 && isGraphChanged();
  };
  const count = store.frames.offsets.length - 1;
  // The frames that took each frame in (compressed rows), to mark every frame that reaches a changed one.
  const takenCount = new Int32Array(count + 1);
  for (let index = 0; index < count; index++) for (const inner of readTakenIn(store.frames, index)) takenCount[inner + 1] = (takenCount[inner + 1] as number) + 1;
  for (let index = 0; index < count; index++) takenCount[index + 1] = (takenCount[index + 1] as number) + (takenCount[index] as number);
  const takenBy = new Int32Array(takenCount[count] as number);
  const filled = takenCount.slice(0, count);
  for (let index = 0; index < count; index++) for (const inner of readTakenIn(store.frames, index)) {
      const at = filled[inner] as number;
      takenBy[at] = index;
      filled[inner] = at + 1;
    }
  const invalid = new Uint8Array(count);
  const pending: number[] = [];
  for (let index = 0; index < count; index++) {
    if (ownChanged(index)) {
      invalid[index] = 1;
      pending.push(index);
    }
  }
  while (pending.length > 0) {
    const next = pending.pop() as number;
    for (let at = takenCount[next] as number; at < (takenCount[next + 1] as number); at++) {
      const outer = takenBy[at] as number;
      if (invalid[outer] === 1) continue;
      invalid[outer] = 1;
      pending.push(outer);
    }
  }
  return invalid;
}

/**
 * A stored frame as a ReadFrame of this project: a stand-in that names the frame in the store (`ReadFrame.stored`),
 * without its reads, which only the next store needs (collectRuns copies them from this store). One per stored frame.
 */
function rebuildFrame(store: RunStore, index: number, rebuilt: Map<number, ReadFrame>): ReadFrame {
  let frame = rebuilt.get(index);
  if (!frame) {
    frame = new ReadFrame();
    frame.stored = { store, index, family: rebuilt };
    rebuilt.set(index, frame);
  }
  return frame;
}

function encodeFact(project: AnalysisProject, fact: FileFact<unknown>, file: SourceFileInfo): string | undefined {
  try {
    return encodeValue(project.fileFact(fact, file), fact.portable === true);
  } catch {
    return undefined;
  }
}

function encodeCheck(project: AnalysisProject, check: ReadCheck, file: SourceFileInfo): string | undefined {
  if (!check.signature) return undefined;
  try {
    return encodeValue((check.signature as (file: SourceFileInfo, project: AnalysisProject) => unknown)(file, project), true);
  } catch {
    return undefined;
  }
}

/** Whether the project asked `check` of the file (a check that cannot tell counts every file as asked). */
function wasAsked(project: AnalysisProject, check: ReadCheck, file: SourceFileInfo): boolean {
  return check.asked ? (check.asked as (file: SourceFileInfo, project: AnalysisProject) => boolean)(file, project) : true;
}

/**
 * The store of this scan: each run's output with its frame, and the tables its frames index. `previous` (the store the
 * runs reused here came from) gives the answers this project did not compute, for the files that did not change
 * (`changed` are their numbers).
 */
export function collectRuns(
  project: AnalysisProject,
  files: readonly SourceFileInfo[],
  runs: ReadonlyArray<{ name: string; frame: ReadFrame; output: unknown }>,
  head: { key: CacheKey; inputs: ScanInputs; answers: SourceAnswers },
  previous?: { store: RunStore; changed: ReadonlySet<number> },
): RunStore {
  const fileNumbers = new Map<string, number>();
  files.forEach((file, index) => fileNumbers.set(file.path, index));
  const frameNumbers = new Map<ReadFrame, number>();
  /** The frames to write, in number order: a frame of this scan, or a frame of the last store (reused) by its number there. */
  const frameList: Array<ReadFrame | { store: RunStore; index: number }> = [];
  const facts = new Interned<ReadFact>((fact) => fact.name);
  const words = new Interned<string>((word) => word);
  const checks = new Interned<ReadCheck>((check) => check.name);
  const values = new Interned<string>((value) => value);
  /** The files each fact was read of. */
  const factFiles = new Map<number, Set<number>>();
  // For each earlier store frames are taken from: the numbers its frames got here (-1: none yet), and its fact, word
  // and check numbers here (-1: not interned yet), so that a copied frame costs a few array reads per item.
  const remaps = new Map<RunStore, { numbers: Int32Array; facts: Int32Array; words: Int32Array; checks: Int32Array }>();
  const remapOf = (store: RunStore) => {
    let remap = remaps.get(store);
    if (!remap) {
      const fresh = (length: number) => new Int32Array(length).fill(-1);
      remap = { numbers: fresh(store.frames.offsets.length - 1), facts: fresh(store.facts.length), words: fresh(store.words.length), checks: fresh(store.checks.length) };
      remaps.set(store, remap);
    }
    return remap;
  };
  const numberStored = (store: RunStore, inner: number): number => {
    const remap = remapOf(store);
    let index = remap.numbers[inner] as number;
    if (index < 0) {
      index = frameList.length;
      remap.numbers[inner] = index;
      frameList.push({ store, index: inner });
    }
    return index;
  };
  const number = (frame: ReadFrame): number => {
    const stored = frame.stored as { store: RunStore; index: number } | undefined;
    if (stored) return numberStored(stored.store, stored.index);
    let index = frameNumbers.get(frame);
    if (index === undefined) {
      index = frameList.length;
      frameNumbers.set(frame, index);
      frameList.push(frame);
    }
    return index;
  };
  const runFrames = Int32Array.from(runs, (run) => number(run.frame));
  const outputs: Array<[number, unknown]> = [];
  runs.forEach((run, index) => {
    if (!isEmptyResult(run.output)) outputs.push([index, run.output]);
  });
  const answers = project.getPlainAnswers();
  const placed = placePlainValues([...answers.facts.map(({ value }) => value), ...answers.units.map(({ value }) => value)]);
  const plain: RunStore['plain'] = { groups: placed.groups, facts: [], units: [] };
  answers.facts.forEach(({ name, frame }, index) => {
    const place = placed.places[index];
    if (place) plain.facts.push([name, number(frame), place[0], place[1]]);
  });
  answers.units.forEach(({ kind, key, frame }, index) => {
    const place = placed.places[answers.facts.length + index];
    if (place) plain.units.push([kind, key, number(frame), place[0], place[1]]);
  });
  const data: number[] = [];
  const offsets: number[] = [];
  const names: Array<[number, string]> = [];
  // Frames are numbered as they are met: the list grows while it is written out.
  for (let index = 0; index < frameList.length; index++) {
    const entry = frameList[index] as ReadFrame | { store: RunStore; index: number };
    offsets.push(data.length);
    if (!(entry instanceof ReadFrame)) {
      // A frame of the last scan whose output was reused: its reads copied from that store, renumbered (see FrameTable).
      const { store } = entry;
      const remap = remapOf(store);
      const source = store.frames.data;
      let at = store.frames.offsets[entry.index] as number;
      const copyList = (map?: (item: number) => number): void => {
        const length = source[at++] as number;
        data.push(length);
        for (const end = at + length; at < end; at++) data.push(map ? map(source[at] as number) : (source[at] as number));
      };
      data.push(source[at++] as number);
      copyList();
      const factCount = source[at++] as number;
      data.push(factCount);
      for (let i = 0; i < factCount; i++) {
        const old = source[at++] as number;
        let factIndex = remap.facts[old] as number;
        if (factIndex < 0) {
          const name = store.facts[old] as string;
          remap.facts[old] = factIndex = facts.add(getFileFactByName(name) ?? { name });
        }
        let read = factFiles.get(factIndex);
        if (!read) factFiles.set(factIndex, (read = new Set()));
        const into = read;
        data.push(factIndex);
        copyList((file) => {
          into.add(file);
          return file;
        });
      }
      copyList((word) => {
        let mapped = remap.words[word] as number;
        if (mapped < 0) remap.words[word] = mapped = words.add(store.words[word] as string);
        return mapped;
      });
      copyList((check) => {
        let mapped = remap.checks[check] as number;
        if (mapped < 0) {
          const name = store.checks[check] as string;
          remap.checks[check] = mapped = checks.add(getReadCheck(name) ?? unknownCheck(name));
        }
        return mapped;
      });
      copyList((inner) => numberStored(store, inner));
      const name = storedNames(store).get(entry.index);
      if (name !== undefined) names.push([index, name]);
      continue;
    }
    const frame = entry;
    const flagsAt = data.length;
    data.push(0);
    let unusable = frame.opaque || frame.onDemand;
    const fileList = (paths: Iterable<string>, then?: (file: number) => void): void => {
      const lengthAt = data.length;
      data.push(0);
      for (const filePath of paths) {
        const file = fileNumbers.get(filePath);
        if (file === undefined) unusable = true;
        else {
          data.push(file);
          then?.(file);
        }
      }
      data[lengthAt] = data.length - lengthAt - 1;
    };
    fileList(frame.files);
    data.push(frame.facts.size);
    for (const [fact, paths] of frame.facts) {
      const factIndex = facts.add(fact);
      let read = factFiles.get(factIndex);
      if (!read) factFiles.set(factIndex, (read = new Set()));
      const into = read;
      data.push(factIndex);
      fileList(paths, (file) => into.add(file));
    }
    data.push(frame.words.size);
    for (const word of frame.words) data.push(words.add(word));
    data.push(frame.checks.size);
    for (const check of frame.checks) data.push(checks.add(check));
    data.push(frame.frames.size);
    for (const inner of frame.frames) data.push(number(inner));
    data[flagsAt] = (unusable ? UNUSABLE : 0) | (frame.importGraph ? IMPORT_GRAPH : 0);
    if (frame.factName !== undefined) names.push([index, frame.factName]);
  }
  offsets.push(data.length);
  const old = previous ? tablesOf(previous.store) : undefined;
  const table = (entries: Array<[number, string]>): ValueTable => ({
    files: Int32Array.from(entries, ([file]) => file),
    values: Int32Array.from(entries, ([, value]) => values.add(value)),
  });
  const factValues = facts.items.map((fact, factIndex) => {
    const entries: Array<[number, string]> = [];
    const definition = getFileFactByName(fact.name);
    const before = old?.facts.get(fact.name);
    for (const file of factFiles.get(factIndex) ?? []) {
      const info = files[file] as SourceFileInfo;
      // An unchanged file's value is the one the last scan stored (encoding every value again costs a second per scan).
      let value = before && !previous?.changed.has(file) ? before.get(file) : undefined;
      if (value === undefined && definition && project.hasFileFact(definition, info)) value = encodeFact(project, definition, info) ?? UNCOMPARABLE;
      if (value !== undefined) entries.push([file, value]);
    }
    return table(entries);
  });
  const checkValues = checks.items.map((check) => {
    const entries: Array<[number, string]> = [];
    const before = old?.checks.get(check.name);
    files.forEach((info, file) => {
      // Asked here, or asked by the last scan of a file that did not change (an answer reused with its output).
      let value = before && !previous?.changed.has(file) ? before.get(file) : undefined;
      if (value === undefined && wasAsked(project, check, info)) value = encodeCheck(project, check, info) ?? UNCOMPARABLE;
      if (value !== undefined) entries.push([file, value]);
    });
    return table(entries);
  });
  // Every word query answered, also outside the frames (the suppressions' directive words): the next scan's answers.
  for (const key of project.answeredWordQueries()) words.add(key);
  const numbers = new Map(files.map((file, index) => [file, index]));
  const oldWords = previous && new Map(previous.store.words.map((key, index) => [key, index]));
  const wordFiles = words.items.map((key) => {
    const list = key.split('\u0000');
    const before = oldWords?.get(key);
    if (previous && before !== undefined) {
      // The last scan's answer, corrected for the changed files: the project's postings would read every file's text.
      const mentioning = new Set(previous.store.wordFiles[before]);
      for (const file of previous.changed) {
        if (project.indexMentions(files[file] as SourceFileInfo, list)) mentioning.add(file);
        else mentioning.delete(file);
      }
      return Int32Array.from([...mentioning].sort((a, b) => a - b));
    }
    return Int32Array.from(project.filesMentioning(list), (file) => numbers.get(file) as number);
  });
  return {
    key: head.key,
    inputs: { paths: head.inputs.files.map(([relPath]) => relPath), outcomes: head.inputs.files.map(([, outcome]) => outcome), reported: head.inputs.reported },
    answers: storeAnswers(head.answers),
    paths: files.map((file) => file.relPath),
    imports: files.map((file, index) => (previous && !previous.changed.has(index) ? (previous.store.imports[index] as string) : encodeImports(file))),
    values: values.items,
    facts: facts.items.map((fact) => fact.name),
    factValues,
    words: words.items,
    wordFiles,
    checks: checks.items.map((check) => check.name),
    checkValues,
    frames: { offsets: Int32Array.from(offsets), data: Int32Array.from(data), names },
    runs: { names: runs.map((run) => run.name), frames: runFrames, outputs },
    plain,
  };
}

/** One stored group of plain values, decoded as a whole when one of them is first asked for. */
class PlainGroup {
  private decoded: unknown[] | undefined;

  constructor(readonly encoded: Uint8Array) {}

  values(): unknown[] {
    this.decoded ??= v8.deserialize(this.encoded) as unknown[];
    return this.decoded;
  }

  get isDecoded(): boolean {
    return this.decoded !== undefined;
  }
}

/** Where a `DeferredAnswer` of the run cache is kept. */
interface PlainOrigin {
  group: PlainGroup;
  index: number;
}

/**
 * The groups that keep `values`, and each value's group and index (undefined for a value that cannot be kept). A value
 * of a group nobody decoded keeps its place in that group, stored again as read: nothing in memory shares an object
 * with it. The other values (computed here, or of a group a run decoded) are grouped by the objects they share
 * (`groupBySharing`), so that values sharing objects share them again when read back, and a value that shares nothing
 * is decoded alone.
 */
function placePlainValues(values: readonly unknown[]): { groups: Uint8Array[]; places: Array<[group: number, index: number] | undefined> } {
  const origin = (value: unknown): PlainOrigin | undefined => (value instanceof DeferredAnswer ? (value.origin as PlainOrigin) : undefined);
  const encoded: Uint8Array[] = [];
  const keptGroups = new Map<PlainGroup, number>();
  const places: Array<[number, number] | undefined> = [];
  const fresh: number[] = [];
  values.forEach((value, index) => {
    const from = origin(value);
    if (from && !from.group.isDecoded) {
      let group = keptGroups.get(from.group);
      if (group === undefined) {
        group = encoded.length;
        encoded.push(from.group.encoded);
        keptGroups.set(from.group, group);
      }
      places[index] = [group, from.index];
    } else fresh.push(index);
  });
  const freshValues = fresh.map((index) => {
    const from = origin(values[index]);
    return from ? from.group.values()[from.index] : values[index];
  });
  for (const members of groupBySharing(freshValues)) {
    const group = serializeGroup(members.map((member) => freshValues[member]));
    if (!group.encoded) continue;
    const number = encoded.length;
    encoded.push(group.encoded);
    members.forEach((member, position) => {
      const index = group.indexes[position];
      if (index !== undefined) places[fresh[member] as number] = [number, index];
    });
  }
  return { groups: encoded, places: values.map((_, index) => places[index]) };
}

/** The values' indexes, grouped so that values reaching a common object (through arrays, objects, maps, sets) are together. */
function groupBySharing(values: readonly unknown[]): number[][] {
  const parent = values.map((_, index) => index);
  const find = (index: number): number => {
    let at = index;
    while (parent[at] !== at) {
      parent[at] = parent[parent[at] as number] as number;
      at = parent[at] as number;
    }
    return at;
  };
  const owner = new Map<object, number>();
  values.forEach((value, index) => {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const item = stack.pop();
      if (item === null || typeof item !== 'object') continue;
      const seen = owner.get(item);
      if (seen !== undefined) {
        const a = find(seen);
        const b = find(index);
        if (a !== b) parent[a] = b;
        continue;
      }
      owner.set(item, index);
      if (item instanceof Map) for (const [key, entry] of item) stack.push(key, entry);
      else if (item instanceof Set) for (const entry of item) stack.push(entry);
      else if (!ArrayBuffer.isView(item) && !(item instanceof ArrayBuffer) && !(item instanceof Date) && !(item instanceof RegExp)) {
        for (const key of Object.keys(item)) stack.push((item as Record<string, unknown>)[key]);
      }
    }
  });
  const groups = new Map<number, number[]>();
  values.forEach((_, index) => {
    const root = find(index);
    let members = groups.get(root);
    if (!members) groups.set(root, (members = []));
    members.push(index);
  });
  return [...groups.values()];
}

/**
 * Serializes values as one array; a value that structured clone cannot copy (a fact declared plain that holds more)
 * is left out (computed again by the next scan). `indexes[i]` is value i's index in the group, undefined if left out.
 */
function serializeGroup(values: readonly unknown[]): { encoded?: Uint8Array; indexes: Array<number | undefined> } {
  if (values.length === 0) return { indexes: [] };
  try {
    return { encoded: v8.serialize(values), indexes: values.map((_, index) => index) };
  } catch {
    const cloneable = values.map((value) => {
      try {
        v8.serialize(value);
        return true;
      } catch {
        return false;
      }
    });
    const kept = values.filter((_, index) => cloneable[index]);
    if (kept.length === 0) return { indexes: cloneable.map(() => undefined) };
    let next = 0;
    return { encoded: v8.serialize(kept), indexes: cloneable.map((ok) => (ok ? next++ : undefined)) };
  }
}

function tablesOf(store: RunStore): { facts: Map<string, Map<number, string>>; checks: Map<string, Map<number, string>> } {
  const read = (table: ValueTable | undefined): Map<number, string> => {
    const found = new Map<number, string>();
    if (table) for (let i = 0; i < table.files.length; i++) found.set(table.files[i] as number, store.values[table.values[i] as number] as string);
    return found;
  };
  return {
    facts: new Map(store.facts.map((name, index) => [name, read(store.factValues[index])])),
    checks: new Map(store.checks.map((name, index) => [name, read(store.checkValues[index])])),
  };
}

/** A question no check of this build answers (a stored frame that reads it is never reused). */
function unknownCheck(name: string): ReadCheck {
  return { name, unchanged: () => false };
}

/** The project fact each stored frame computed, by frame. */
const namesOfStores = new WeakMap<RunStore, Map<number, string>>();

function storedNames(store: RunStore): Map<number, string> {
  let names = namesOfStores.get(store);
  if (!names) namesOfStores.set(store, (names = new Map(store.frames.names)));
  return names;
}

/** Items numbered in the order first added, one number per name. */
class Interned<T> {
  readonly items: T[] = [];
  private readonly numbers = new Map<string, number>();

  constructor(private readonly nameOf: (item: T) => string) {}

  add(item: T): number {
    const name = this.nameOf(item);
    let index = this.numbers.get(name);
    if (index === undefined) {
      index = this.items.length;
      this.items.push(item);
      this.numbers.set(name, index);
    }
    return index;
  }
}

/** Whether a stored run file was written for this scan: the same key, discovered and reported files and outside answers. */
export function isSameScan(store: RunStore, entry: ScanCacheEntry): boolean {
  const before = store.inputs;
  if (JSON.stringify(store.key) !== JSON.stringify(entry.key) || JSON.stringify(before.reported) !== JSON.stringify(entry.inputs.reported)) return false;
  if (before.paths.length !== entry.inputs.files.length || before.paths.some((relPath, index) => entry.inputs.files[index]?.[0] !== relPath)) return false;
  return isSameSourceAnswers(readAnswers(store.answers), DISK_TEXT_SOURCE);
}

/** The TextSource answers of this scan with those of the last one added (the questions the reused outputs asked). */
export function mergeAnswers(now: SourceAnswers, last: RunStore | undefined): SourceAnswers {
  if (!last) return now;
  const stored = readAnswers(last.answers);
  const reads = new Map(stored.reads);
  for (const [absPath, hash] of now.reads) reads.set(absPath, hash);
  const exists = new Map(stored.exists);
  for (const [absPath, found] of now.exists) exists.set(absPath, found);
  return { reads: [...reads], exists: [...exists] };
}

/**
 * The entry points of one scan: each runs, or takes the last scan's output when what that output read is unchanged,
 * and is kept with its frame for the next scan.
 */
export class RunRecorder {
  private readonly done: Array<{ name: string; frame: ReadFrame; output: unknown }> = [];
  private readonly reusable: Map<string, { output: unknown; frame: ReadFrame }> | undefined;
  private readonly changed: Set<number> | undefined;
  /** How many outputs were taken from the last scan. */
  reused = 0;

  constructor(
    private readonly last: RunStore | undefined,
    private readonly project: AnalysisProject,
    private readonly files: readonly SourceFileInfo[],
    inputs: ScanInputs,
  ) {
    // The same scanned files in the same order (an unreadable file, one more or one less: every entry point runs).
    if (!last || last.paths.length !== files.length || files.some((file, index) => file.relPath !== last.paths[index])) return;
    const before = new Map(last.inputs.paths.map((relPath, index) => [relPath, last.inputs.outcomes[index]]));
    const now = new Map(inputs.files);
    const changed = new Set<number>();
    files.forEach((file, index) => {
      if (before.get(file.relPath) !== now.get(file.relPath)) changed.add(index);
    });
    this.changed = changed;
    this.reusable = findReusableRuns(last, project, files, changed);
    // The last scan's word answers and text-test answers, for the unchanged files: asked again, they read no text.
    const changedFiles = [...changed].map((index) => files[index] as SourceFileInfo);
    project.seedWordAnswers(new Map(last.words.map((key, index) => [key, last.wordFiles[index] as Int32Array])), changedFiles);
    const checkIndexes = new Map(last.checks.map((name, index) => [name, index]));
    project.seedTextTests((name) => {
      const index = checkIndexes.get(name);
      const table = index === undefined ? undefined : last.checkValues[index];
      if (!table) return undefined;
      const answers = new Map<number, boolean>();
      for (let i = 0; i < table.files.length; i++) {
        const value = last.values[table.values[i] as number];
        if (value === 'boolean:true' || value === 'boolean:false') answers.set(table.files[i] as number, value === 'boolean:true');
      }
      return answers;
    }, new Set(changedFiles));
  }

  /** The output of the entry point `name`: the last scan's when it still holds, else `compute`'s, which reads in `frame`. */
  run<T>(name: string, compute: (frame: ReadFrame) => T): T {
    const known = this.reusable?.get(name);
    const stats = this.project.stats.runs;
    if (known) {
      this.reused++;
      if (stats) stats.reused++;
      this.done.push({ name, frame: known.frame, output: known.output });
      // A copy: the scan marks findings (suppressions) after the rules, and the stored output must stay as it ran.
      return structuredClone(known.output) as T;
    }
    stats?.ran.push(name);
    const frame = new ReadFrame();
    const output = compute(frame);
    this.done.push({ name, frame, output: isEmptyResult(output) ? output : structuredClone(output) });
    return output;
  }

  /** The store of this scan (see collectRuns). */
  collect(head: { key: CacheKey; inputs: ScanInputs; answers: SourceAnswers }): RunStore {
    return collectRuns(this.project, this.files, this.done, head, this.last && this.changed ? { store: this.last, changed: this.changed } : undefined);
  }

  /** Whether any output was taken from the last scan. */
  get reusedAny(): boolean {
    return this.reused > 0;
  }
}
