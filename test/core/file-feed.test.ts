import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/core/config.js';
import { cancelSending, consumeFiles, produceFiles, receiveFiles, sendFiles, type FeedMessage, type FileSelection } from '../../src/core/file-plan.js';
import { lookupScanEarly, STAMP_MARGIN_MS } from '../../src/core/scan-cache.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { makeTree } from '../cli/support.js';

const SAMPLE = path.resolve(import.meta.dirname, '../../fixtures/sample-service');

/** The files as the CLI's main thread hands them to the scan thread, through a queue instead of a port. */
function fed(selection: FileSelection): { messages: FeedMessage[]; feed: ReturnType<typeof consumeFiles> } {
  const messages: FeedMessage[] = [];
  produceFiles(selection, (m) => {
    messages.push(structuredClone(m));
  });
  let next = 0;
  return {
    messages,
    feed: consumeFiles(() => {
      const message = messages[next++];
      if (!message) throw new Error('read past the last message');
      return message;
    }),
  };
}

const comparable = (result: ScanResult) => ({ ...result, durationMs: 0 });

describe('files discovered and read by another thread', () => {
  it('give the same scan as reading them in the scan itself, notifications included', () => {
    const root = makeTree();
    fs.cpSync(SAMPLE, root, { recursive: true });
    fs.writeFileSync(path.join(root, 'src/half-written.ts'), 'export function f( {\n  return 1;\n}\n');
    fs.writeFileSync(path.join(root, 'src/logo.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    fs.writeFileSync(path.join(root, 'src/latin1.ts'), Buffer.from('export const name = "caf\xe9";\n', 'latin1'));
    const direct = scan({ root });
    const { messages, feed } = fed({ root });
    expect(messages[0]?.type).toBe('discovered');
    expect(messages.filter((m) => m.type === 'read').length).toBeGreaterThan(0);
    // The scan must take the texts from the feed, not from the disk: the disk now differs.
    fs.writeFileSync(path.join(root, 'src/half-written.ts'), 'export const fixed = 1;\n');
    const viaFeed = scan({ root, feed });
    expect(direct.findings.length).toBeGreaterThan(0);
    expect(direct.notifications.map((n) => n.kind)).toEqual(expect.arrayContaining(['parse-error', 'binary-file', 'encoding']));
    expect(comparable(viaFeed)).toEqual(comparable(direct));
  });

  it('leave the files the cache knows unchanged unread, and the scan takes them from the cache as the CLI does', async () => {
    const root = makeTree();
    fs.cpSync(SAMPLE, root, { recursive: true });
    const cache = path.join(makeTree(), 'cache');
    expect(scan({ root, cache: { location: cache } }).cached).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, STAMP_MARGIN_MS + 100));
    // A hit, which stores the stamps now that they can be trusted.
    expect(scan({ root, cache: { location: cache } }).cached).toBe(true);
    const edited = path.join(root, 'src/routes/legacy.ts');
    fs.appendFileSync(edited, '\n// edited\n');
    const lookup = lookupScanEarly({ root }, { location: cache, rules: 'authlint' });
    if (lookup.kind !== 'miss' || !lookup.discovered) throw new Error('expected a miss that discovered the files');
    const unchanged = lookup.checked.unchanged ?? [];
    const editedAt = lookup.discovered.files.findIndex((file) => file.path === edited);
    expect(unchanged[editedAt]).toBeNull();
    expect(unchanged.filter(Boolean).length).toBe(lookup.discovered.files.length - 1);
    const messages: FeedMessage[] = [];
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      produceFiles({ root }, (m) => {
        messages.push(structuredClone(m));
      }, lookup.discovered, unchanged);
      expect(reads.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(root) && file.endsWith('.ts'))).toEqual([edited]);
    } finally {
      reads.mockRestore();
    }
    const outcomes = messages.flatMap((m) => (m.type === 'read' ? m.outcomes : []));
    expect(outcomes.filter((o) => o.unread).length).toBe(lookup.discovered.files.length - 1);
    expect(outcomes[editedAt]?.text).toContain('// edited');
    let next = 0;
    const feed = consumeFiles(() => messages[next++] as FeedMessage);
    const viaFeed = scan({ root, cache: { location: cache }, feed, cacheChecked: lookup.checked });
    expect(viaFeed.cached).toBe(false);
    expect({ ...comparable(viaFeed), cached: undefined }).toEqual({ ...comparable(scan({ root })), cached: undefined });
  });

  it('leave the scan to do everything itself when the other thread cannot plan it, so errors are reported as before', () => {
    const root = makeTree({ 'authlint.config.json': '{ "rules": { "no-such-rule": "error" ', 'src/app.ts': 'export const a = 1;\n' });
    const { messages, feed } = fed({ root });
    expect(messages).toEqual([{ type: 'unavailable' }]);
    expect(() => scan({ root, feed })).toThrow(ConfigError);
    const good = makeTree({ 'src/app.ts': 'export const a = 1;\n' });
    const unavailable = consumeFiles(() => ({ type: 'unavailable' }));
    expect(comparable(scan({ root: good, feed: unavailable }))).toEqual(comparable(scan({ root: good })));
  });

  it('let the scan read the rest itself when the texts stop coming', () => {
    const root = makeTree({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
    const { messages } = fed({ root });
    const discovered = messages.filter((m) => m.type === 'discovered');
    let next = 0;
    const truncated = [...discovered, { type: 'unavailable' } as const];
    const feed = consumeFiles(() => truncated[next++] ?? { type: 'unavailable' });
    expect(comparable(scan({ root, feed }))).toEqual(comparable(scan({ root })));
  });
});

describe('files sent over a port by a reading thread', () => {
  it('arrive in order and give the same scan; once the reader has ended, what did not arrive is read by the scan', () => {
    const root = makeTree({ 'src/a.ts': "import jwt from 'jsonwebtoken';\njwt.decode(token);\n", 'src/b.ts': 'export const b = 2;\n' });
    const direct = scan({ root });
    const sent = new MessageChannel();
    const counter = new Int32Array(new SharedArrayBuffer(16));
    sendFiles({ root }, sent.port1, counter);
    expect(counter[0]).toBe(2); // discovered + one batch
    Atomics.store(counter, 1, 1);
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
    expect(comparable(scan({ root, feed: receiveFiles(sent.port2, counter) }))).toEqual(comparable(direct));
    expect(counter[2]).toBe(2);

    // A reader that ended before sending anything: the scan discovers and reads everything itself.
    const silent = new MessageChannel();
    const ended = new Int32Array(new SharedArrayBuffer(16));
    Atomics.store(ended, 1, 1);
    expect(comparable(scan({ root, feed: receiveFiles(silent.port2, ended) }))).toEqual(comparable(scan({ root })));
    sent.port1.close();
    silent.port1.close();
  });
});

describe('a reading thread whose scan has ended', () => {
  it('sends nothing more once told', () => {
    const root = makeTree({ 'src/a.ts': 'export const a = 1;\n' });
    const channel = new MessageChannel();
    const counter = new Int32Array(new SharedArrayBuffer(16));
    cancelSending(counter);
    sendFiles({ root }, channel.port1, counter, 4);
    expect(counter[0]).toBe(0);
    channel.port1.close();
  });
});
