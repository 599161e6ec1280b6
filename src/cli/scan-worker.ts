import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { consumeFiles, type FeedMessage, type FileFeed } from '../core/file-plan.js';
import type { ScanProgress } from '../scan.js';
import { scanHere, serializeError, type WorkerInput, type WorkerMessage } from './run-scan.js';

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
    const feed = input.feed ? receiveFeed(input.feed.port, new Int32Array(input.feed.signal)) : undefined;
    post({ type: 'result', outcome: await scanHere({ ...input.options, ...(feed ? { feed } : {}) }, input.task, onProgress) });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}

/** The files the main thread discovers and reads, received synchronously: the scan itself is synchronous. */
function receiveFeed(port: MessagePort, counter: Int32Array): FileFeed {
  return consumeFiles((): FeedMessage => {
    for (;;) {
      const seen = Atomics.load(counter, 0);
      const received = receiveMessageOnPort(port);
      if (received) return received.message as FeedMessage;
      // The main thread increments the counter after each message; a message that arrived since `seen` wakes us at once.
      Atomics.wait(counter, 0, seen, 1000);
    }
  });
}
