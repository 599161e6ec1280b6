import { parentPort, workerData } from 'node:worker_threads';
import { postBounded, type ExtractBatch, type ExtractJob } from '../core/file-plan.js';
import { openSummaries, sendKnownBatches } from '../core/summary-cache.js';
import { keepMemosOnTrees } from '../core/tree-memo.js';
import type { ExtractorInput } from './extract-pool.js';

// One of the CLI's extraction threads: reads and parses its share of the files (batch b of the discovery goes to
// share b mod jobs) and sends each file's text and plain summary straight to the scan thread, batches ahead.
// The trees are dropped here; the scan thread takes the batches in discovery order. With the scan cache, the batches
// whose every file the cache knows with the same text go first without the compiler, which is loaded only for the
// first file that must be parsed (a rescan of an unchanged tree loads none); without it, the compiler loads while the
// main thread discovers the files.
/**
 * Batches of 16 files: 256 files at most queued ahead of the scan per thread. The scan thread extracts every other
 * batch itself (--jobs 2), so a short queue stalled this thread whenever the scan thread met a slow batch of its own.
 */
const BATCHES_AHEAD = 16;
const input = workerData as ExtractorInput;
const counter = new Int32Array(input.signal);
const loadExtraction = () => Promise.all([import('../core/extract.js'), import('../facts/portable.js'), import('../core/parser-warm-up.js'), import('../core/warm-up.js')]);
const preloaded = input.preload ? loadExtraction() : undefined;
parentPort?.once('message', (job: ExtractJob) => void extract(job));

async function extract(job: ExtractJob): Promise<void> {
  // This thread parses each file and drops its tree: memos about a tree die with it (see defineTreeMemo).
  keepMemosOnTrees();
  const send = (batch: ExtractBatch) => postBounded(input.port, counter, batch, BATCHES_AHEAD);
  const reuse = job.summaries === undefined ? undefined : openSummaries(job.summaries);
  const sent = reuse ? sendKnownBatches(job, reuse, send) : 0;
  if (sent !== undefined) {
    const [{ extractBatches }, { isTreeReadByScan, PORTABLE_FACTS }, { warmUpParser }, { warmUpTextSummary, WARM_UP_MIN_FILES }] = await (preloaded ?? loadExtraction());
    if (job.files.length >= WARM_UP_MIN_FILES) {
      warmUpTextSummary();
      warmUpParser();
    }
    extractBatches(job, send, PORTABLE_FACTS, reuse, sent, isTreeReadByScan);
  }
  input.port.close();
}
