import { workerData } from 'node:worker_threads';
import { postBounded, produceFiles } from '../core/file-plan.js';
import { WARM_UP_MIN_FILES, warmUpTextSummary } from '../core/warm-up.js';
import type { ReaderInput } from './run-scan.js';

// Discovers and reads the files of a scan while the scan thread loads TypeScript and the rules, and sends them to it
// in discovery order. A thread of its own (rather than the main thread) so that the texts it held are freed when it
// ends instead of staying in the main thread's heap for the whole scan. Messages sent before close() still arrive.
/** Batches of up to 64 files or a million characters each: a few megabytes queued ahead of the parser. */
const MESSAGES_AHEAD = 4;
const input = workerData as ReaderInput;
const counter = new Int32Array(input.signal);
produceFiles(input.options, (message) => {
  const sent = postBounded(input.port, counter, message, MESSAGES_AHEAD);
  // Once the scan thread has the file list: the texts' summaries are computed many times only in a large scan.
  if (message.type === 'discovered' && message.result.files.length >= WARM_UP_MIN_FILES) warmUpTextSummary();
  return sent;
}, input.discovered, input.unchanged);
input.port.close();
