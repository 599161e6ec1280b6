import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { discoverFiles, type DiscoverResult } from '../core/discover.js';
import { cancelSending, EXTRACT_BATCH_FILES, markEnded, planFiles, postBounded, type BoundedChannel, type ExtractJob, type FeedMessage, type FileSelection } from '../core/file-plan.js';
import { getSummaryFile } from '../core/summary-cache.js';

/** What an extraction thread (extract-worker.ts) gets: its end of the channel to the scan thread. */
export interface ExtractorInput {
  port: MessagePort;
  signal: SharedArrayBuffer;
  /** Load the compiler at once, before the job arrives (every file will be parsed: no scan cache). */
  preload?: boolean;
}

/** The scan thread's ends of the pool's channels (see `receivePool`), one per extraction thread: shares 1 to jobs - 1. */
export interface PoolFeedInput {
  control: BoundedChannel;
  workers: BoundedChannel[];
}

/**
 * `--jobs` when not given. 1 for now: the extraction computes every portable fact of every file, and the scan thread
 * cannot start the rules before every file is in, so that work adds to the analysis instead of overlapping it
 * (ever-gauzy on 2 cores, docs/performance.md Round 6 of issue 14: `--jobs 2` still costs about a third more CPU than
 * `--jobs 1`; identical output). One per processor once the rules overlap the extraction or it costs less.
 */
export function getDefaultJobs(): number {
  return 1;
}

/** The pool as the main thread holds it: the scan thread's ends to hand over, discovery, and the end of the scan. */
export interface ExtractionPool {
  feed: PoolFeedInput;
  /** The ports in `feed`, for the scan thread's transfer list. */
  transfer: MessagePort[];
  /** Plans and discovers the files, tells the scan thread, and hands every extraction thread its share (and the cache's summaries). */
  discover(options: FileSelection & { cache?: { location: string } }, known?: DiscoverResult): void;
  /** The scan has ended (or failed): the extraction threads stop. */
  stop(): void;
}

/**
 * Starts `jobs - 1` extraction threads, each sending the files of its batches straight to the scan thread, which
 * extracts the remaining share itself (share 0, see `receivePool`): `jobs` threads read and parse, none waits idle for
 * the others, and no more copies of the compiler are loaded than threads working. A thread that cannot start, crashes
 * or ends early is marked ended, so that the scan thread reads and parses its remaining files itself instead of
 * waiting; its error is not printed (the scan reports on those files as on any other).
 */
export function startExtractionPool(url: URL, jobs: number, options: { preload?: boolean } = {}): ExtractionPool {
  const control = new MessageChannel();
  const controlSignal = new SharedArrayBuffer(16);
  const channels = Array.from({ length: jobs - 1 }, () => ({ channel: new MessageChannel(), signal: new SharedArrayBuffer(16) }));
  const workers = channels.map(({ channel, signal }) => {
    const counter = new Int32Array(signal);
    try {
      const input: ExtractorInput = { port: channel.port1, signal, ...(options.preload ? { preload: true } : {}) };
      const worker = new Worker(url, { workerData: input, transferList: [channel.port1] });
      worker.unref();
      worker.on('error', () => undefined);
      worker.on('exit', () => markEnded(counter));
      return worker;
    } catch {
      markEnded(counter);
      return undefined;
    }
  });
  return {
    feed: { control: { port: control.port2, signal: controlSignal }, workers: channels.map(({ channel, signal }) => ({ port: channel.port2, signal })) },
    transfer: [control.port2, ...channels.map(({ channel }) => channel.port2)],
    discover(options, known) {
      let message: FeedMessage;
      let job: Omit<ExtractJob, 'worker'> | undefined;
      try {
        const plan = planFiles(options);
        const result = known ?? discoverFiles(plan.discover);
        // Without the scan cache the scan thread extracts the threads' batches they have not started, rather than wait.
        const claims = options.cache ? undefined : new SharedArrayBuffer(4 * Math.ceil(result.files.length / EXTRACT_BATCH_FILES));
        message = { type: 'discovered', result, ...(claims ? { claims } : {}) };
        job = {
          files: result.files.map((f) => ({ path: f.path, relPath: f.relPath })),
          maxFileSize: plan.maxFileSize,
          jobs,
          ...(options.cache ? { summaries: getSummaryFile(options.cache.location, plan) } : { claims }),
        };
      } catch {
        // The scan plans again itself and reports the error.
        message = { type: 'unavailable' };
      }
      const counter = new Int32Array(controlSignal);
      postBounded(control.port1, counter, message);
      markEnded(counter);
      workers.forEach((worker, index) => {
        if (job) worker?.postMessage({ ...job, worker: index + 1 } satisfies ExtractJob);
        else void worker?.terminate();
      });
    },
    stop() {
      for (const { signal } of channels) cancelSending(new Int32Array(signal));
      for (const worker of workers) void worker?.terminate();
    },
  };
}
