import fs from 'node:fs';
import path from 'node:path';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, type AuthlintConfig, type LoadedConfig } from './config.js';
import { getDefaultScanRoot } from './scan-root.js';
import { discoverFiles, IncludeMatchesNothingError, PathNotFoundError, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { summarizeText, type FileSummary } from './file-summary.js';
import { scanImportSpecifiers } from './import-specifiers.js';
import { readSourceFile, type FileStamp, type ReadOutcome } from './read.js';

/** What decides which files a scan reads (a subset of the scan options). */
export interface FileSelection {
  paths?: string[];
  root?: string;
  configFile?: string;
  config?: AuthlintConfig;
  include?: string[];
  exclude?: string[];
}

/** The root, the configuration and the discovery options of a scan. Loads no compiler, so any thread can compute it. */
export interface FilePlan {
  root: string;
  loaded: LoadedConfig;
  discover: Omit<DiscoverOptions, 'include'>;
  maxFileSize: number;
}

/** A file read ahead, with what the thread that read it computed from its text; or a file the cache knows unchanged. */
export type FedFile =
  | (ReadOutcome & {
      summary?: FileSummary;
      /**
       * Left unparsed by the extraction because the scan thread reads the file's tree whatever it is handed
       * (`ExtractOptions.scanTree`): the scan parses it as soon as it is read, not a second time later.
       */
      parseHere?: boolean;
      unread?: undefined;
    })
  | UnreadFile;

/**
 * A file left unread because the scan cache knows it unchanged by its stamp (`isStampTrusted`): the content hash the
 * cache stored stands for its text, which the scan reads only if its analysis asks for it.
 */
export interface UnreadFile {
  unread: true;
  hash: string;
  stamp: FileStamp;
  text?: undefined;
  notification?: undefined;
  summary?: undefined;
  parseHere?: undefined;
}

/** By discovered file: the stored hash and stamp of each file the cache knows unchanged, null for the others. */
export type UnchangedFiles = ReadonlyArray<{ hash: string; stamp: FileStamp } | null>;

/**
 * Discovery and reading done ahead by other threads with the same plan (the CLI's reading or extraction threads,
 * while the scan thread is still loading the compiler). `discovered()` is undefined when that thread could not plan
 * the scan (the scan then does it itself and reports the error); `read(i)` is the outcome for the i-th discovered
 * file, undefined when the scan must read it itself. Both block until the answer is there.
 */
export interface FileFeed {
  discovered(): DiscoverResult | undefined;
  read(index: number): FedFile | undefined;
}

export function getScanRoot(paths: string[], cwd: string): string {
  if (paths.length === 1) {
    const only = path.resolve(cwd, paths[0] as string);
    try {
      if (fs.statSync(only).isDirectory()) return only;
    } catch {
      throw new PathNotFoundError(paths[0] as string);
    }
  }
  return getDefaultScanRoot(paths.map((p) => path.resolve(cwd, p)), cwd);
}

/** Throws PathNotFoundError for a missing path and ConfigError for a bad configuration. */
export function planFiles(options: FileSelection, cwd: string = process.cwd()): FilePlan {
  const givenPaths = options.paths && options.paths.length > 0 ? options.paths : [options.root ?? '.'];
  for (const p of givenPaths) {
    if (!fs.existsSync(path.resolve(cwd, p)) && !isLink(path.resolve(cwd, p))) throw new PathNotFoundError(p);
  }
  const root = path.resolve(options.root ?? getScanRoot(givenPaths, cwd));
  const loaded = options.config ? { config: options.config } : loadConfig(root, options.configFile);
  const config = loaded.config;
  return {
    root,
    loaded,
    // Every source file is read (include globs narrow what is reported, not the project model).
    discover: { root, paths: givenPaths.map((p) => path.resolve(cwd, p)), exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])] },
    maxFileSize: config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
  };
}

/** The files the include globs select (undefined: every file is reported); a command-line glob that selects none throws. */
export function getReportedFiles(where: Omit<DiscoverOptions, 'include'>, fromConfig: readonly string[], fromCommandLine: readonly string[]): Set<string> | undefined {
  if (fromConfig.length === 0 && fromCommandLine.length === 0) return undefined;
  const reported = new Set<string>();
  for (const pattern of fromConfig) for (const file of discoverFiles({ ...where, include: [pattern] }).files) reported.add(file.relPath);
  for (const pattern of fromCommandLine) {
    const files = discoverFiles({ ...where, include: [pattern] }).files;
    if (files.length === 0) throw new IncludeMatchesNothingError(pattern);
    for (const file of files) reported.add(file.relPath);
  }
  return reported;
}

/** A message from the thread that discovers and reads to the thread that scans, in this order. */
export type FeedMessage =
  /** With `claims` (an extraction pool's, see `claimBatch`), the scan thread may extract a thread's batch it has not started. */
  | { type: 'discovered'; result: DiscoverResult; claims?: SharedArrayBuffer }
  | { type: 'read'; outcomes: FedFile[] }
  /** Planning failed: the scanning thread does everything itself. */
  | { type: 'unavailable' };

const BATCH_FILES = 64;
const BATCH_CHARS = 1 << 20;

/**
 * Plans, discovers (unless the files are `known` from the same plan) and reads every file in discovery order, handing
 * them on in batches; never throws. Stops when `send` returns false. The files `unchanged` lists are not read: each is
 * handed on as an `UnreadFile`.
 */
export function produceFiles(options: FileSelection, send: (message: FeedMessage) => boolean | void, known?: DiscoverResult, unchanged?: UnchangedFiles): void {
  let plan: FilePlan;
  let discovered: DiscoverResult;
  try {
    plan = planFiles(options);
    discovered = known ?? discoverFiles(plan.discover);
  } catch {
    send({ type: 'unavailable' });
    return;
  }
  if (send({ type: 'discovered', result: discovered }) === false) return;
  let batch: FedFile[] = [];
  let chars = 0;
  for (const [index, file] of discovered.files.entries()) {
    const same = unchanged?.[index];
    if (same) {
      batch.push({ unread: true, hash: same.hash, stamp: same.stamp });
      continue;
    }
    const outcome = readSourceFile(file.path, file.relPath, plan.maxFileSize);
    batch.push(outcome.text === undefined ? outcome : { ...outcome, summary: summarizeForScan(outcome.text) });
    chars += outcome.text?.length ?? 0;
    if (batch.length >= BATCH_FILES || chars >= BATCH_CHARS) {
      if (send({ type: 'read', outcomes: batch }) === false) return;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) send({ type: 'read', outcomes: batch });
}

/**
 * What the reading thread computes of a text for the scan thread: the summary, with the import specifiers when no
 * compiler is needed for them (nearly always; the scan thread computes the others when asked).
 */
function summarizeForScan(text: string): FileSummary {
  const summary = summarizeText(text);
  const { specifiers, exact } = scanImportSpecifiers(text);
  if (!exact) summary.importSpecifiers = specifiers;
  return summary;
}

/** The receiving side of `produceFiles`: `next()` blocks until the next message. */
export function consumeFiles(next: () => FeedMessage): FileFeed {
  let discovered: DiscoverResult | undefined | null = null;
  const outcomes: Array<FedFile | undefined> = [];
  return {
    discovered() {
      if (discovered === null) {
        const first = next();
        discovered = first.type === 'discovered' ? first.result : undefined;
      }
      return discovered;
    },
    read(index) {
      if (!this.discovered()) return undefined;
      while (outcomes.length <= index) {
        const message = next();
        if (message.type !== 'read') return undefined;
        outcomes.push(...message.outcomes);
      }
      const outcome = outcomes[index];
      // The scan asks for each file once, in order: drop the text here so that only the project holds it.
      outcomes[index] = undefined;
      return outcome;
    },
  };
}

/**
 * The reading thread's side of `receiveFiles`: everything `produceFiles` gives, sent with `postBounded`, at most
 * `ahead` messages unreceived: texts queued far ahead of the parser would sit in native memory that the process keeps
 * after they are freed.
 */
export function sendFiles(options: FileSelection, port: MessagePort, counter: Int32Array, ahead = Infinity): void {
  produceFiles(options, (message) => postBounded(port, counter, message, ahead));
}

/**
 * Posts a message for `receiveBounded`. The counters of a channel: `counter[0]` goes up after each message sent, so
 * that the receiver can wait for the next one without returning to its event loop; `counter[1]` is set when the
 * sending thread has ended; `counter[2]` goes up after each message received, so that the sender waits while `ahead`
 * messages are unreceived; `counter[3]` is set when the receiver takes nothing more, and then this returns false.
 */
export function postBounded(port: MessagePort, counter: Int32Array, message: unknown, ahead = Infinity): boolean {
  for (;;) {
    if (Atomics.load(counter, 3) === 1) return false;
    const received = Atomics.load(counter, 2);
    if (Atomics.load(counter, 0) - received < ahead) break;
    Atomics.wait(counter, 2, received, 1000);
  }
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  return true;
}

/** The next message sent with `postBounded`, waiting for it; undefined once the sender has ended and nothing is left. */
export function receiveBounded(port: MessagePort, counter: Int32Array): unknown {
  for (;;) {
    const seen = Atomics.load(counter, 0);
    const ended = Atomics.load(counter, 1) === 1;
    const received = pollBounded(port, counter);
    if (received) return received.message;
    if (ended) return undefined;
    // A message sent since `seen` changed the counter, so this returns at once; the timeout only bounds a lost wake-up.
    Atomics.wait(counter, 0, seen, 1000);
  }
}

/** The next message sent with `postBounded` if one has arrived, without waiting. */
export function pollBounded(port: MessagePort, counter: Int32Array): { message: unknown } | undefined {
  const received = receiveMessageOnPort(port);
  if (!received) return undefined;
  Atomics.add(counter, 2, 1);
  Atomics.notify(counter, 2);
  return received;
}

/** Tells a thread blocked in `postBounded` that the receiver takes nothing more. */
export function cancelSending(counter: Int32Array): void {
  Atomics.store(counter, 3, 1);
  Atomics.notify(counter, 2);
}

/** Tells a thread blocked in `receiveBounded` that the sender has ended (what it sent before still arrives). */
export function markEnded(counter: Int32Array): void {
  Atomics.store(counter, 1, 1);
  Atomics.notify(counter, 0);
}

/**
 * The feed of a scan thread, received synchronously (the scan itself is synchronous) from the port the reading thread
 * sends to; once the reading thread has ended, whatever did not arrive is read by the scan itself.
 */
export function receiveFiles(port: MessagePort, counter: Int32Array): FileFeed {
  return consumeFiles(() => (receiveBounded(port, counter) as FeedMessage | undefined) ?? { type: 'unavailable' });
}

/** One end of a channel used with `postBounded` / `receiveBounded`, and its four counters. */
export interface BoundedChannel {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Files of one batch (the last may be shorter): batch b of the discovered files goes to extraction thread b mod jobs. */
export const EXTRACT_BATCH_FILES = 16;

/** What each extraction thread gets once discovery is done: every discovered file, of which it takes its batches. */
export interface ExtractJob {
  files: Array<{ path: string; relPath: string }>;
  maxFileSize: number;
  /** This thread's share, from 0, and the number of shares (the scan thread's own share is 0; see `receivePool`). */
  worker: number;
  jobs: number;
  /** The scan cache's summary file (`--cache`): a file it knows with the same text is not parsed (see summary-cache.ts). */
  summaries?: string;
  /** The pool's claims of its batches (see `claimBatch`): a batch the scan thread took is skipped. */
  claims?: SharedArrayBuffer;
}

/**
 * Takes a batch for one share of the pool (0 is the scan thread's): true when no other share took it first. Without
 * claims (the scan thread takes none of the threads' batches) every batch is its static share's.
 */
export function claimBatch(claims: Int32Array | undefined, batch: number, share: number): boolean {
  if (claims === undefined) return true;
  const before = Atomics.compareExchange(claims, batch, 0, share + 1);
  return before === 0 || before === share + 1;
}

/** One batch of an extraction thread: each file read and summarised, or null when the scan must do it itself. */
export interface ExtractBatch {
  batch: number;
  files: Array<FedFile | null>;
}

/**
 * The batches `job` assigns to its thread, in order: its share (every jobs-th batch from its number), or, with claims,
 * every batch, of which the thread extracts those it claims first (`claimBatch`).
 */
export function getJobBatches(job: Pick<ExtractJob, 'files' | 'worker' | 'jobs' | 'claims'>): number[] {
  const batches: number[] = [];
  const step = job.claims ? 1 : job.jobs;
  for (let b = job.claims ? 0 : job.worker; b * EXTRACT_BATCH_FILES < job.files.length; b += step) batches.push(b);
  return batches;
}

/**
 * The scan thread's own share of a pool's batches: the files of one batch, read and summarised as an extraction thread
 * would (null, or undefined for the whole batch, where the scan must do it itself).
 */
export type ExtractHere = (files: ReadonlyArray<{ path: string; relPath: string }>) => Array<FedFile | null> | undefined;

/**
 * The feed of a scan thread from a pool of extraction threads: the discovery from `control` (a `FeedMessage`, sent
 * by the CLI's main thread), then batch b of the files from `workers[b mod jobs]`, whose batches arrive in order. So
 * the scan takes the files in discovery order whichever thread finished first. From a thread that ended (it crashed,
 * or could not start) or sent something out of step, nothing more is taken: the scan reads and parses the rest of
 * its files itself. With `here`, the scan thread takes a share of its own (share 0 of jobs = workers + 1: batch b with
 * b mod jobs = 0), which it extracts when it reaches it instead of waiting idle for the other threads. With the pool's
 * claims (`claimBatch`) there are no fixed shares: every thread takes the lowest batch nobody took, and the scan thread
 * takes the next batch itself when nobody did, and while a thread's batch it needs has not arrived, extracts the lowest
 * batches nobody took, so that no thread waits while there is work left.
 */
export function receivePool(control: BoundedChannel, workers: readonly BoundedChannel[], here?: ExtractHere): FileFeed {
  const controlCounter = new Int32Array(control.signal);
  const counters = workers.map((w) => new Int32Array(w.signal));
  const failed = workers.map(() => false);
  const shares = workers.length + (here ? 1 : 0);
  let discovered: DiscoverResult | undefined | null = null;
  let claims: Int32Array | undefined;
  let current: ExtractBatch = { batch: -1, files: [] };
  /** Batches of the threads extracted here ahead, while waiting for an earlier one. */
  const taken = new Map<number, Array<FedFile | null>>();
  let lowestFree = 0;
  const extract = (all: DiscoverResult['files'], batch: number) => (here?.(all.slice(batch * EXTRACT_BATCH_FILES, (batch + 1) * EXTRACT_BATCH_FILES)) ?? []);
  /** Batch `batch` from thread `w`; with claims, the lowest batches nobody took are extracted here until it arrives. */
  const fromThread = (all: DiscoverResult['files'], w: number, batch: number): Array<FedFile | null> => {
    if (failed[w]) return [];
    const port = (workers[w] as BoundedChannel).port;
    const counter = counters[w] as Int32Array;
    let received = pollBounded(port, counter);
    for (lowestFree = Math.max(lowestFree, batch + 1); !received && here && claims && lowestFree * EXTRACT_BATCH_FILES < all.length; lowestFree++) {
      if (!claimBatch(claims, lowestFree, 0)) continue;
      taken.set(lowestFree, extract(all, lowestFree));
      received = pollBounded(port, counter);
    }
    const message = (received ? received.message : receiveBounded(port, counter)) as ExtractBatch | undefined;
    if (message?.batch === batch) return message.files;
    failed[w] = true;
    return [];
  };
  /** Batch `batch` by the claims: extracted here if nobody took it, else from the thread that did. */
  const claimed = (all: DiscoverResult['files'], claims: Int32Array, batch: number): Array<FedFile | null> =>
    claimBatch(claims, batch, 0) ? extract(all, batch) : fromThread(all, Atomics.load(claims, batch) - 2, batch);
  return {
    discovered() {
      if (discovered === null) {
        const first = receiveBounded(control.port, controlCounter) as FeedMessage | undefined;
        discovered = first?.type === 'discovered' ? first.result : undefined;
        if (first?.type === 'discovered' && first.claims) claims = new Int32Array(first.claims);
      }
      return discovered;
    },
    read(index) {
      const files = this.discovered()?.files;
      if (!files || shares === 0) return undefined;
      const batch = Math.floor(index / EXTRACT_BATCH_FILES);
      if (current.batch !== batch) {
        const share = batch % shares;
        const early = taken.get(batch);
        taken.delete(batch);
        if (early) current = { batch, files: early };
        else if (here && claims) current = { batch, files: claimed(files, claims, batch) };
        else current = { batch, files: here && share === 0 ? extract(files, batch) : fromThread(files, here ? share - 1 : share, batch) };
      }
      const offset = index - batch * EXTRACT_BATCH_FILES;
      const file = current.files[offset] ?? undefined;
      // Only the project holds the text from here on.
      current.files[offset] = null;
      return file;
    },
  };
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
