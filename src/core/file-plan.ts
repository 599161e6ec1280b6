import fs from 'node:fs';
import path from 'node:path';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, type AuthlintConfig, type LoadedConfig } from './config.js';
import { discoverFiles, PathNotFoundError, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { readSourceFile, type ReadOutcome } from './read.js';

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

/**
 * Discovery and reading done ahead by another thread with the same plan (the CLI's main thread, while the scan thread
 * is still loading the compiler). `discovered()` is undefined when that thread could not plan the scan (the scan then
 * does it itself and reports the error); `read(i)` is the outcome for the i-th discovered file, undefined when the
 * scan must read it itself. Both block until the answer is there.
 */
export interface FileFeed {
  discovered(): DiscoverResult | undefined;
  read(index: number): ReadOutcome | undefined;
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
  return cwd;
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

/** A message from the thread that discovers and reads to the thread that scans, in this order. */
export type FeedMessage =
  | { type: 'discovered'; result: DiscoverResult }
  | { type: 'read'; outcomes: ReadOutcome[] }
  /** Planning failed: the scanning thread does everything itself. */
  | { type: 'unavailable' };

const BATCH_FILES = 64;
const BATCH_CHARS = 1 << 20;

/** Plans, discovers and reads every file in discovery order, handing them on in batches; never throws. Stops when `send` returns false. */
export function produceFiles(options: FileSelection, send: (message: FeedMessage) => boolean | void): void {
  let plan: FilePlan;
  let discovered: DiscoverResult;
  try {
    plan = planFiles(options);
    discovered = discoverFiles(plan.discover);
  } catch {
    send({ type: 'unavailable' });
    return;
  }
  if (send({ type: 'discovered', result: discovered }) === false) return;
  let batch: ReadOutcome[] = [];
  let chars = 0;
  for (const file of discovered.files) {
    const outcome = readSourceFile(file.path, file.relPath, plan.maxFileSize);
    batch.push(outcome);
    chars += outcome.text?.length ?? 0;
    if (batch.length >= BATCH_FILES || chars >= BATCH_CHARS) {
      if (send({ type: 'read', outcomes: batch }) === false) return;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) send({ type: 'read', outcomes: batch });
}

/** The receiving side of `produceFiles`: `next()` blocks until the next message. */
export function consumeFiles(next: () => FeedMessage): FileFeed {
  let discovered: DiscoverResult | undefined | null = null;
  const outcomes: Array<ReadOutcome | undefined> = [];
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
 * The reading thread's side of `receiveFiles`: everything `produceFiles` gives, counted in `counter[0]`. With `ahead`,
 * it waits while that many messages are unreceived (`counter[2]` counts received ones): texts queued far ahead of the
 * parser would sit in native memory that the process keeps after they are freed. It stops as soon as `counter[3]` is 1
 * (the scan ended, for instance with an error, and takes nothing more).
 */
export function sendFiles(options: FileSelection, port: MessagePort, counter: Int32Array, ahead = Infinity): void {
  produceFiles(options, (message) => {
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
  });
}

/** Tells a reading thread blocked in `sendFiles` that the scan takes nothing more. */
export function cancelSending(counter: Int32Array): void {
  Atomics.store(counter, 3, 1);
  Atomics.notify(counter, 2);
}

/**
 * The feed of a scan thread, received synchronously (the scan itself is synchronous) from the port the reading thread
 * sends to. `counter[0]` goes up after each message sent and `counter[2]` after each received; `counter[1]` becomes 1
 * when the reading thread has ended, after which whatever did not arrive is read by the scan itself.
 */
export function receiveFiles(port: MessagePort, counter: Int32Array): FileFeed {
  return consumeFiles((): FeedMessage => {
    for (;;) {
      const seen = Atomics.load(counter, 0);
      const ended = Atomics.load(counter, 1) === 1;
      const received = receiveMessageOnPort(port);
      if (received) {
        Atomics.add(counter, 2, 1);
        Atomics.notify(counter, 2);
        return received.message as FeedMessage;
      }
      if (ended) return { type: 'unavailable' };
      // A message sent since `seen` changed the counter, so this returns at once; the timeout only bounds a lost wake-up.
      Atomics.wait(counter, 0, seen, 1000);
    }
  });
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
