import { Worker } from 'node:worker_threads';
import { ConfigError } from '../core/config.js';
import { PathNotFoundError, scan, type ScanOptions, type ScanProgress, type ScanResult } from '../scan.js';

/** Stack for the scan thread: TypeScript's parser recurses once per nesting level. */
export const SCAN_STACK_MB = 256;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  key?: string;
  path?: string;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'result'; result: ScanResult }
  | { type: 'error'; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error instanceof ConfigError && error.file ? { file: error.file } : {}),
    ...(error instanceof ConfigError && error.key ? { key: error.key } : {}),
    ...(error instanceof PathNotFoundError ? { path: error.path } : {}),
  };
}

export function deserializeError(error: SerializedError): Error {
  let result: Error;
  if (error.name === 'ConfigError') result = new ConfigError(error.message, error.file, error.key);
  else if (error.name === 'PathNotFoundError' && error.path !== undefined) result = new PathNotFoundError(error.path);
  else {
    result = new Error(error.message);
    result.name = error.name;
  }
  if (error.stack) result.stack = error.stack;
  return result;
}

export type WorkerScanOptions = Omit<ScanOptions, 'rules' | 'onProgress'>;

/** Where the compiled worker lives; undefined when running from TypeScript sources (tests), which cannot start one. */
function getWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  return new URL('./scan-worker.js', import.meta.url);
}

/**
 * Runs `scan` on a worker thread with a large stack and transfers the plain result back.
 * Falls back to the current thread when custom rules are given (functions cannot cross threads)
 * or when no compiled worker exists.
 */
export async function runScan(options: ScanOptions, onProgress?: (progress: ScanProgress) => void): Promise<ScanResult> {
  const url = getWorkerUrl();
  if (options.rules || !url) {
    return scan({ ...options, ...(onProgress ? { onProgress } : {}) });
  }
  const data: WorkerScanOptions = {
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  };
  return new Promise<ScanResult>((resolve, reject) => {
    const worker = new Worker(url, { workerData: data, resourceLimits: { stackSizeMb: SCAN_STACK_MB } });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(deserializeError(message.error));
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the scan thread stopped unexpectedly (exit code ${code})`));
    });
  });
}
