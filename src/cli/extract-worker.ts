import { parentPort, workerData } from 'node:worker_threads';
import { postBounded, type ExtractJob } from '../core/file-plan.js';
import { extractBatches } from '../core/extract.js';
import { PORTABLE_FACTS } from '../facts/portable.js';
import type { ExtractorInput } from './extract-pool.js';

// One of the CLI's extraction threads: reads and parses its share of the files (batch b of the discovery goes to
// thread b mod jobs) and sends each file's text and plain summary straight to the scan thread, a few batches ahead.
// The trees are dropped here; the scan thread takes the batches in discovery order.
/** Batches of 16 files: 64 files at most queued ahead of the scan per thread. */
const BATCHES_AHEAD = 4;
const input = workerData as ExtractorInput;
const counter = new Int32Array(input.signal);
parentPort?.once('message', (job: ExtractJob) => {
  extractBatches(job, (batch) => postBounded(input.port, counter, batch, BATCHES_AHEAD), PORTABLE_FACTS);
  input.port.close();
});
