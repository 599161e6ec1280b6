import { parentPort, workerData } from 'node:worker_threads';
import { extractHere } from '../core/extract.js';
import { planFiles, receiveFiles, receivePool, type ExtractHere, type FileFeed } from '../core/file-plan.js';
import { isTreeReadByScan, PORTABLE_FACTS } from '../facts/portable.js';
import { warmUpParser } from '../core/parser-warm-up.js';
import { WARM_UP_MIN_FILES } from '../core/warm-up.js';
import type { ScanProgress } from '../scan.js';
import { scanHere, serializeError, type WorkerInput, type WorkerMessage, type WorkerScanOptions } from './run-scan.js';

// Runs one scan on a thread with a large stack: TypeScript's recursive-descent parser needs it
// for deeply nested expressions (tens of thousands of levels).
const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message);
  let lastProgress = 0;
  const onProgress = (progress: ScanProgress) => {
    const now = Date.now();
    if (progress.phase === 'analyze' && now - lastProgress < 50) return;
    lastProgress = now;
    post({ type: 'progress', progress });
  };
  try {
    const input = workerData as WorkerInput;
    const received = input.pool
      ? receivePool(input.pool.control, input.pool.workers, getShareHere(input.options))
      : input.feed
        ? receiveFiles(input.feed.port, new Int32Array(input.feed.signal))
        : undefined;
    // Without the cache this thread parses files (with it, a hit parses none).
    const feed = received && !input.options.cache ? withWarmUp(received) : received;
    post({ type: 'result', outcome: await scanHere({ ...input.options, ...(feed ? { feed } : {}) }, input.task, onProgress) });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}


/**
 * The scan thread's own share of the pool's batches, extracted here while the extraction threads do theirs. With the
 * scan cache, the scan reads those files itself and takes what the cache knows of them; when the scan cannot be
 * planned, it reads them itself and reports why.
 */
function getShareHere(options: WorkerScanOptions): ExtractHere {
  if (options.cache) return () => undefined;
  try {
    return extractHere({ maxFileSize: planFiles(options).maxFileSize }, PORTABLE_FACTS, isTreeReadByScan);
  } catch {
    return () => undefined;
  }
}

/**
 * The feed, with the parser warmed up (`warmUpParser`) as soon as the discovery holds enough files for it to pay, while
 * the other threads still read them.
 */
function withWarmUp(feed: FileFeed): FileFeed {
  let warmed = false;
  return {
    discovered() {
      const result = feed.discovered();
      if (!warmed && result && result.files.length >= WARM_UP_MIN_FILES) {
        warmed = true;
        warmUpParser();
      }
      return result;
    },
    read: (index) => feed.read(index),
  };
}
