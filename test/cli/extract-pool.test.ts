import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { discoverFiles } from '../../src/core/discover.js';
import { extractHere } from '../../src/core/extract.js';
import { markEnded, planFiles, postBounded, receivePool, type ExtractJob } from '../../src/core/file-plan.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';
import { startExtractionPool } from '../../src/cli/extract-pool.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { ensureBuilt } from './build.js';
import { makeTree } from './support.js';

const REPO = path.resolve(import.meta.dirname, '../..');
// The compiled thread, as the CLI starts it (threads cannot run the TypeScript sources).
const EXTRACT_WORKER = new URL(`file://${path.join(REPO, 'dist/src/cli/extract-worker.js')}`);

beforeAll(() => ensureBuilt(), 240_000);

const comparable = (result: ScanResult) => ({ ...result, durationMs: 0 });

function buildTree(): string {
  const root = makeTree({
    'src/auth.ts': "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.decode(t);\n",
    'src/half-written.ts': 'export function f( {\n  return 1;\n}\n',
  });
  for (let i = 0; i < 350; i++) fs.writeFileSync(path.join(root, `src/m${i}.ts`), `export const v${i} = ${i};\n`);
  return root;
}

describe('extraction threads that fail', () => {
  it('lose no file when one is stopped in the middle of its work: the scan does the rest itself', { timeout: 120_000 }, async () => {
    const root = buildTree();
    const direct = scan({ root });
    const plan = planFiles({ root });
    const discovered = discoverFiles(plan.discover);
    const control = new MessageChannel();
    const controlSignal = new SharedArrayBuffer(16);
    postBounded(control.port1, new Int32Array(controlSignal), { type: 'discovered', result: discovered });
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(16);
    const counter = new Int32Array(signal);
    const worker = new Worker(EXTRACT_WORKER, { workerData: { port: channel.port1, signal }, transferList: [channel.port1] });
    const job: ExtractJob = { files: discovered.files.map((f) => ({ path: f.path, relPath: f.relPath })), maxFileSize: plan.maxFileSize, worker: 0, jobs: 1 };
    worker.postMessage(job);
    // It sends sixteen batches, then waits for the scan to take them; stop it there.
    await vi.waitFor(() => expect(Atomics.load(counter, 0)).toBe(16), { timeout: 60_000, interval: 20 });
    await worker.terminate();
    markEnded(counter);
    const result = scan({ root, feed: receivePool({ port: control.port2, signal: controlSignal }, [{ port: channel.port2, signal }]) });
    expect(Atomics.load(counter, 2)).toBe(16);
    expect(comparable(result)).toEqual(comparable(direct));
    expect(direct.filesScanned).toBe(352);
  });

  it('are not waited for when they cannot start', { timeout: 120_000 }, async () => {
    const root = buildTree();
    const pool = startExtractionPool(new URL(`file://${path.join(REPO, 'dist/no-such-worker.js')}`), 3);
    pool.discover({ root });
    const signals = pool.feed.workers.map((w) => new Int32Array(w.signal));
    await vi.waitFor(() => expect(signals.map((s) => Atomics.load(s, 1))).toEqual([1, 1]), { timeout: 60_000, interval: 20 });
    const here = extractHere({ maxFileSize: planFiles({ root }).maxFileSize }, PORTABLE_FACTS);
    expect(comparable(scan({ root, feed: receivePool(pool.feed.control, pool.feed.workers, here) }))).toEqual(comparable(scan({ root })));
    pool.stop();
  });

  it('give every file with its summary when they work, with the scan thread extracting its own share', { timeout: 120_000 }, async () => {
    const root = buildTree();
    const pool = startExtractionPool(EXTRACT_WORKER, 3);
    expect(pool.feed.workers).toHaveLength(2);
    pool.discover({ root });
    const feed = receivePool(pool.feed.control, pool.feed.workers, extractHere({ maxFileSize: planFiles({ root }).maxFileSize }, PORTABLE_FACTS));
    const files = feed.discovered()?.files ?? [];
    const fed = files.map((_, i) => feed.read(i));
    expect(fed.length).toBe(352);
    expect(fed.every((f) => f?.summary?.hash !== undefined)).toBe(true);
    expect(files.filter((_, i) => fed[i]?.summary?.parse?.first).map((f) => f.relPath)).toEqual(['src/half-written.ts']);
    pool.stop();
  });
});
