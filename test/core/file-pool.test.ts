import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/core/discover.js';
import {
  EXTRACT_BATCH_FILES,
  getJobBatches,
  markEnded,
  planFiles,
  postBounded,
  receivePool,
  type BoundedChannel,
  type ExtractBatch,
  type ExtractHere,
  type ExtractJob,
  type FedFile,
} from '../../src/core/file-plan.js';
import { extractBatches, extractHere, summarizeFile } from '../../src/core/extract.js';
import { computeFileIndex } from '../../src/core/file-index.js';
import { summarizeText } from '../../src/core/file-summary.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { makeTree } from '../cli/support.js';

const SAMPLE = path.resolve(import.meta.dirname, '../../fixtures/sample-service');

const comparable = (result: ScanResult) => ({ ...result, durationMs: 0 });

/** The sample service, padded with small modules to span many batches, plus files the scan reports on. */
function buildTree(): string {
  const root = makeTree();
  fs.cpSync(SAMPLE, root, { recursive: true });
  fs.mkdirSync(path.join(root, 'src/pad'));
  for (let i = 0; i < 70; i++) fs.writeFileSync(path.join(root, `src/pad/m${i}.ts`), `export const v${i} = ${i};\n`);
  fs.writeFileSync(path.join(root, 'src/half-written.ts'), 'export function f( {\n  return 1;\n}\n');
  fs.writeFileSync(path.join(root, 'src/logo.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  fs.writeFileSync(path.join(root, 'src/latin1.ts'), Buffer.from('export const name = "caf\xe9";\n', 'latin1'));
  return root;
}

/**
 * Every batch of a pool of `jobs` extraction threads, as each would send it, before any is received. With `here`, the
 * pool is as the CLI starts it: `jobs - 1` threads, and share 0 extracted by the scan thread with `here`.
 */
function extractAll(root: string, jobs: number, keep: (worker: number, batch: ExtractBatch) => boolean = () => true, here?: (maxFileSize: number) => ExtractHere) {
  const plan = planFiles({ root });
  const discovered = discoverFiles(plan.discover);
  const control = channel();
  postBounded(control.sender, control.counter, { type: 'discovered', result: discovered });
  markEnded(control.counter);
  const workers = Array.from({ length: here ? jobs - 1 : jobs }, (_, thread) => {
    const worker = here ? thread + 1 : thread;
    const c = channel();
    const job: ExtractJob = { files: discovered.files.map((f) => ({ path: f.path, relPath: f.relPath })), maxFileSize: plan.maxFileSize, worker, jobs };
    let stopped = false;
    extractBatches(job, (batch) => {
      stopped ||= !keep(worker, batch);
      return stopped ? false : postBounded(c.sender, c.counter, batch);
    });
    markEnded(c.counter);
    return c.receiver;
  });
  return { discovered, feed: receivePool(control.receiver, workers, here?.(plan.maxFileSize)) };
}

function channel(): { sender: MessageChannel['port1']; counter: Int32Array; receiver: BoundedChannel } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(16);
  return { sender: port1, counter: new Int32Array(signal), receiver: { port: port2, signal } };
}

describe('files read and summarised by a pool of extraction threads', () => {
  it('give the scan every file in discovery order with its summary, and the same result as a scan on its own', () => {
    const root = buildTree();
    const direct = scan({ root });
    for (const jobs of [1, 3]) {
      const { discovered, feed } = extractAll(root, jobs);
      expect(discovered.files.length).toBeGreaterThan(4 * EXTRACT_BATCH_FILES);
      const fed = discovered.files.map((_, i) => feed.read(i));
      expect(fed.filter((f) => f?.summary).length).toBe(discovered.files.length - 1); // all but the binary file
      expect(fed.map((f) => f?.notification?.kind).filter(Boolean).sort()).toEqual(['binary-file', 'encoding']);
      const again = extractAll(root, jobs);
      expect(comparable(scan({ root, feed: again.feed }))).toEqual(comparable(direct));
    }
    expect(direct.notifications.map((n) => n.kind)).toEqual(expect.arrayContaining(['parse-error', 'binary-file', 'encoding']));
  });

  it('share the batches with the scan thread, which extracts its own share as the threads do theirs', () => {
    const root = buildTree();
    const direct = scan({ root });
    const threads = extractAll(root, 3);
    const expected = threads.discovered.files.map((_, i) => threads.feed.read(i));
    for (const jobs of [1, 2, 3]) {
      const { discovered, feed } = extractAll(root, jobs, undefined, (maxFileSize) => extractHere({ maxFileSize }, []));
      const fed = discovered.files.map((_, i) => feed.read(i));
      expect(withoutStamps(fed)).toEqual(withoutStamps(expected));
      const again = extractAll(root, jobs, undefined, (maxFileSize) => extractHere({ maxFileSize }, []));
      expect(comparable(scan({ root, feed: again.feed }))).toEqual(comparable(direct));
    }
    // A share the scan thread leaves to the scan (the scan cache reads those files itself): the same result.
    const left = extractAll(root, 2, undefined, () => () => undefined);
    const fed = left.discovered.files.map((_, i) => left.feed.read(i));
    expect(fed.slice(0, EXTRACT_BATCH_FILES).every((f) => f === undefined)).toBe(true);
    expect(fed.slice(EXTRACT_BATCH_FILES, 2 * EXTRACT_BATCH_FILES).every((f) => f !== undefined)).toBe(true);
    expect(comparable(scan({ root, feed: extractAll(root, 2, undefined, () => () => undefined).feed }))).toEqual(comparable(direct));
  });

  it('do not hold the scan up with batches no thread has started: the scan thread claims and extracts them itself', () => {
    const root = buildTree();
    const plan = planFiles({ root });
    const discovered = discoverFiles(plan.discover);
    const batches = Math.ceil(discovered.files.length / EXTRACT_BATCH_FILES);
    const claims = new SharedArrayBuffer(4 * batches);
    const control = channel();
    postBounded(control.sender, control.counter, { type: 'discovered', result: discovered, claims });
    // A thread that is alive (not ended) but has not sent anything: waiting for it would never end.
    const idle = channel();
    const here = extractHere({ maxFileSize: plan.maxFileSize }, []);
    const feed = receivePool(control.receiver, [idle.receiver], here);
    const fed = discovered.files.map((_, i) => feed.read(i));
    expect(fed.every((f) => f !== undefined)).toBe(true);
    expect(new Set(new Int32Array(claims))).toEqual(new Set([1]));
    // The thread then skips every batch: the scan thread took them.
    const job: ExtractJob = { files: discovered.files.map((f) => ({ path: f.path, relPath: f.relPath })), maxFileSize: plan.maxFileSize, worker: 1, jobs: 2, claims };
    const sent: number[] = [];
    extractBatches(job, (batch) => sent.push(batch.batch) > 0);
    expect(sent).toEqual([]);
    const again = channel();
    postBounded(again.sender, again.counter, { type: 'discovered', result: discovered, claims: new SharedArrayBuffer(4 * batches) });
    expect(comparable(scan({ root, feed: receivePool(again.receiver, [channel().receiver], here) }))).toEqual(comparable(scan({ root })));
  });

  it('give the scan the batches a thread claimed first, and extract here the ones nobody claimed', () => {
    const root = buildTree();
    const plan = planFiles({ root });
    const discovered = discoverFiles(plan.discover);
    const claims = new SharedArrayBuffer(4 * Math.ceil(discovered.files.length / EXTRACT_BATCH_FILES));
    const control = channel();
    postBounded(control.sender, control.counter, { type: 'discovered', result: discovered, claims });
    const thread = channel();
    const job: ExtractJob = { files: discovered.files.map((f) => ({ path: f.path, relPath: f.relPath })), maxFileSize: plan.maxFileSize, worker: 1, jobs: 2, claims };
    // The thread claims and sends the first two batches, then stops without ending.
    extractBatches(job, (batch) => postBounded(thread.sender, thread.counter, batch) && batch.batch < 1);
    const feed = receivePool(control.receiver, [thread.receiver], extractHere({ maxFileSize: plan.maxFileSize }, []));
    const fed = discovered.files.map((_, i) => feed.read(i));
    const threads = extractAll(root, 2);
    expect(withoutStamps(fed)).toEqual(withoutStamps(discovered.files.map((_, i) => threads.feed.read(i))));
    // Claimed by share + 1: the scan thread is share 0, the thread share 1.
    const owners = [...new Int32Array(claims)];
    expect(owners.length).toBeGreaterThan(4);
    expect(owners).toEqual(owners.map((_, batch) => (batch <= 1 ? 2 : 1)));
  });

  it('take the syntax-error notification from the summary: the scan does not parse a file for its diagnostics', () => {
    const root = makeTree({ 'src/broken.ts': 'export function f( {\n  return 1;\n}\n', 'src/ok.ts': 'export const a = 1;\n' });
    const { discovered, feed } = extractAll(root, 2);
    const broken = discovered.files.findIndex((f) => f.relPath === 'src/broken.ts');
    const summaries = discovered.files.map((_, i) => feed.read(i));
    const forged = summaries.map((file, i) => (i === broken && file?.summary ? { ...file, summary: { ...file.summary, parse: { count: 0 } } } : file));
    const result = scan({ root, feed: { discovered: () => discovered, read: (i) => forged[i] } });
    expect(result.notifications).toEqual([]);
    expect(scan({ root }).notifications.map((n) => n.kind)).toEqual(['parse-error']);
  });

  it('leave to the scan the files of a thread that ended early or never started, and files it could not parse', () => {
    const root = buildTree();
    const depth = 20_000;
    // Deeper than this thread's stack for TypeScript's recursive parser: the extraction skips the summary.
    fs.writeFileSync(path.join(root, 'src/deep.ts'), `export const v = ${'(\n'.repeat(depth)}1${')\n'.repeat(depth)};\n`);
    const direct = scan({ root });
    // Thread 0 stops after its first batch (a crash), thread 1 sends nothing (it could not start).
    const { discovered, feed } = extractAll(root, 3, (worker, batch) => (worker === 0 ? batch.batch === 0 : worker !== 1));
    const result = scan({ root, feed });
    expect(comparable(result)).toEqual(comparable(direct));
    const deep = extractAll(root, 1);
    const index = discovered.files.findIndex((f) => f.relPath === 'src/deep.ts');
    const fed = discovered.files.map((_, i) => deep.feed.read(i))[index];
    expect(fed?.text).toBeDefined();
    expect(fed?.summary).toBeUndefined();
  });

  it('stop taking from a thread whose batches arrive out of step', () => {
    const root = buildTree();
    const plan = planFiles({ root });
    const discovered = discoverFiles(plan.discover);
    const control = channel();
    postBounded(control.sender, control.counter, { type: 'discovered', result: discovered });
    const stray = channel();
    postBounded(stray.sender, stray.counter, { batch: 5, files: [] } satisfies ExtractBatch);
    markEnded(stray.counter);
    expect(comparable(scan({ root, feed: receivePool(control.receiver, [stray.receiver]) }))).toEqual(comparable(scan({ root })));
  });
});

describe('files whose tree the scan reads anyway', () => {
  const NEST = path.resolve(import.meta.dirname, '../../fixtures/route-require-authentication/nest-global-prefix-from-config');
  const isNestEntry = (text: string) => /@(?:Controller|Module)\(/.test(text);

  it('are read but not parsed by the extraction, parsed once by the scan as it takes them, with the same result', () => {
    const root = buildTree();
    fs.cpSync(NEST, path.join(root, 'nest'), { recursive: true });
    const plan = planFiles({ root });
    const discovered = discoverFiles(plan.discover);
    const direct = scan({ root });
    const pool = () => {
      const control = channel();
      postBounded(control.sender, control.counter, { type: 'discovered', result: discovered });
      markEnded(control.counter);
      const thread = channel();
      const job: ExtractJob = { files: discovered.files.map((f) => ({ path: f.path, relPath: f.relPath })), maxFileSize: plan.maxFileSize, worker: 1, jobs: 2 };
      extractBatches(job, (batch) => postBounded(thread.sender, thread.counter, batch), [], undefined, 0, isNestEntry);
      markEnded(thread.counter);
      return receivePool(control.receiver, [thread.receiver], extractHere({ maxFileSize: plan.maxFileSize }, [], isNestEntry));
    };
    const feed = pool();
    const fed = discovered.files.map((file, i) => ({ rel: file.relPath, outcome: feed.read(i) }));
    const left = fed.filter((f) => f.outcome?.parseHere).map((f) => f.rel);
    expect(left.sort()).toEqual(['nest/src/app.module.ts', 'nest/src/invoices/invoices.controller.ts', 'nest/src/session/session.controller.ts']);
    expect(fed.filter((f) => f.outcome?.parseHere).every((f) => f.outcome?.summary === undefined && f.outcome?.text !== undefined)).toBe(true);
    expect(fed.filter((f) => f.outcome?.text !== undefined && !f.outcome?.parseHere).every((f) => f.outcome?.summary?.parse !== undefined)).toBe(true);
    expect(comparable(scan({ root, feed: pool() }))).toEqual(comparable(direct));
    // With no rule to ask for a tree, exactly those files are parsed: as the scan took them.
    let parsed: string[] = [];
    scan({ root, feed: pool(), skipRules: true, onProject: (project) => void (parsed = project.files().filter((f) => f.isParsed).map((f) => f.relPath)) });
    expect(parsed.sort()).toEqual(left);
  });
});

describe('the batches of an extraction thread', () => {
  it('are every jobs-th batch from its own number, covering every file once', () => {
    const files = Array.from({ length: 5 * EXTRACT_BATCH_FILES + 1 }, (_, i) => ({ path: `/r/${i}.ts`, relPath: `${i}.ts` }));
    expect(getJobBatches({ files, worker: 0, jobs: 2 })).toEqual([0, 2, 4]);
    expect(getJobBatches({ files, worker: 1, jobs: 2 })).toEqual([1, 3, 5]);
    expect(getJobBatches({ files, worker: 3, jobs: 4 })).toEqual([3]);
    expect(getJobBatches({ files: files.slice(0, 3), worker: 1, jobs: 2 })).toEqual([]);
  });

  it('are every batch, in order, when the pool claims them (each thread extracts those it claims first)', () => {
    const files = Array.from({ length: 5 * EXTRACT_BATCH_FILES + 1 }, (_, i) => ({ path: `/r/${i}.ts`, relPath: `${i}.ts` }));
    expect(getJobBatches({ files, worker: 1, jobs: 2, claims: new SharedArrayBuffer(24) })).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('a file summary', () => {
  it('holds the content hash, the text index, the import specifiers and, when parsed, the syntax errors', () => {
    const text = "import jwt from 'jsonwebtoken';\nexport const a = 1;\n";
    // sha256sum of the same bytes, in base64url.
    const hash = Buffer.from('ffcc1bbde579c6e4c8b559acd47cdb17128f9bc748461df39ac394702eeb5138', 'hex').toString('base64url');
    expect(summarizeText(text)).toEqual({ hash, index: computeFileIndex(text) });
    expect(summarizeFile('/r/a.ts', text)).toEqual({ hash, index: computeFileIndex(text), importSpecifiers: ['jsonwebtoken'], parse: { count: 0 } });
    expect(summarizeFile('/r/b.ts', 'export function f( {\n').parse).toEqual({ count: 1, first: { start: 21, length: 0, message: "'}' expected." } });
  });
});

/** Read outcomes without their stamps (which say when each was read). */
function withoutStamps(outcomes: ReadonlyArray<FedFile | null | undefined>): unknown[] {
  return outcomes.map((outcome) => {
    if (!outcome) return outcome;
    const { stamp: _stamp, ...rest } = outcome;
    return rest;
  });
}
