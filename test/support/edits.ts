import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ScanResult } from '../../src/scan.js';

/** Writes a file of a test tree, making its folders. */
export function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** Replaces the first `from` in a file of a test tree by `to` (and checks that `from` is there). */
export function edit(root: string, rel: string, from: string, to: string): void {
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(path.join(root, rel), text.replace(from, to));
}

/** What a report shows of a scan: everything but its duration and whether it came from the cache. */
export function shown(result: ScanResult): unknown {
  const { durationMs: _duration, cached: _cached, ...rest } = result;
  return JSON.parse(JSON.stringify(rest));
}
