import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSourceFile } from '../../src/core/read.js';
import { DISK_TEXT_SOURCE } from '../../src/core/text-source.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('readSourceFile', () => {
  it('reads UTF-8 text as is, multi-byte characters included', () => {
    const file = write('plain.ts', "export const greeting = 'grüß dich — ✓';\n");
    const stat = fs.statSync(file);
    // With the stamp the scan cache keeps: what the file system said of the file just before it was read, and when.
    expect(readSourceFile(file, 'plain.ts', 1_000_000)).toEqual({
      text: "export const greeting = 'grüß dich — ✓';\n",
      stamp: [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, expect.any(Number)],
    });
  });

  it('drops a UTF-8 byte order mark, as a decoder does, so offsets match the code', () => {
    const file = write('bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;\n')]));
    const outcome = readSourceFile(file, 'bom.ts', 1_000_000);
    expect(outcome.text).toBe('const a = 1;\n');
    expect(outcome.notification).toBeUndefined();
  });

  it('keeps a byte order mark that is not at the start', () => {
    const file = write('inner.ts', "const s = '\uFEFF';\n");
    expect(readSourceFile(file, 'inner.ts', 1_000_000).text).toBe("const s = '\uFEFF';\n");
  });

  it('replaces invalid UTF-8 and says so', () => {
    const file = write('latin1.ts', Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x3b, 0x0a]));
    const outcome = readSourceFile(file, 'latin1.ts', 1_000_000);
    expect(outcome.text).toBe("const x = '\uFFFD';\n");
    expect(outcome.notification?.kind).toBe('encoding');
  });
});

describe('DISK_TEXT_SOURCE.exists', () => {
  it('is true for a file only: a missing path, a path under a file and a folder are not files', () => {
    const file = write('exists.ts', 'export {};\n');
    expect(DISK_TEXT_SOURCE.exists(file)).toBe(true);
    expect(DISK_TEXT_SOURCE.exists(path.join(dir, 'missing.ts'))).toBe(false);
    expect(DISK_TEXT_SOURCE.exists(path.join(file, 'index.ts'))).toBe(false);
    expect(DISK_TEXT_SOURCE.exists(dir)).toBe(false);
  });
});
