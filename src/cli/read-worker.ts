import { workerData } from 'node:worker_threads';
import { sendFiles } from '../core/file-plan.js';
import { warmUpTextSummary } from '../core/warm-up.js';
import type { ReaderInput } from './run-scan.js';

// Discovers and reads the files of a scan while the scan thread loads TypeScript and the rules, and sends them to it
// in discovery order. A thread of its own (rather than the main thread) so that the texts it held are freed when it
// ends instead of staying in the main thread's heap for the whole scan. Messages sent before close() still arrive.
/** Batches of up to 64 files or a million characters each: a few megabytes queued ahead of the parser. */
const MESSAGES_AHEAD = 4;
const input = workerData as ReaderInput;
warmUpTextSummary();
sendFiles(input.options, input.port, new Int32Array(input.signal), MESSAGES_AHEAD);
input.port.close();
