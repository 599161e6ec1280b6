import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import type { Notification } from './types.js';

/**
 * What the file system said of a file just before it was read: size, modification and change times (ms), inode, and
 * when it said so (ms since the epoch). The scan cache keeps it to trust a stored hash without reading the file again
 * (`isStampTrusted` in scan-cache.ts).
 */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, seenMs: number];

export type ReadOutcome = ({ text: string; notification?: Notification } | { text?: undefined; notification: Notification }) & { stamp?: FileStamp };

const MINIFIED_LINE_LENGTH = 10_000;

/** Reads a source file defensively: size, binary content, encoding and minified bundles are reported, never thrown. */
export function readSourceFile(absPath: string, relPath: string, maxFileSize: number): ReadOutcome {
  let stat: fs.Stats;
  const seen = Date.now();
  try {
    stat = fs.statSync(absPath);
  } catch (error) {
    return { notification: unreadable(relPath, error) };
  }
  const outcome = readStatedFile(absPath, relPath, maxFileSize, stat);
  outcome.stamp = stampOf(stat, seen);
  return outcome;
}

/** Stamps a file: its stat and the time just before it was taken. */
export function stampOf(stat: fs.Stats, seenMs: number): FileStamp {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, seenMs];
}

function readStatedFile(absPath: string, relPath: string, maxFileSize: number, stat: fs.Stats): ReadOutcome {
  // A FIFO or device named like a source file would block the read forever.
  if (!stat.isFile()) {
    return { notification: { kind: 'unreadable', level: 'error', file: relPath, message: `Could not read ${relPath}: not a regular file.` } };
  }
  const size = stat.size;
  if (size > maxFileSize) {
    return {
      notification: {
        kind: 'too-large',
        level: 'warning',
        file: relPath,
        message: `Skipped ${relPath}: ${size} bytes is over the ${maxFileSize}-byte limit (maxFileSize).`,
      },
    };
  }
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(absPath);
  } catch (error) {
    return { notification: unreadable(relPath, error) };
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    return { notification: { kind: 'binary-file', level: 'warning', file: relPath, message: `Skipped ${relPath}: binary content in a source file.` } };
  }
  let text: string;
  let notification: Notification | undefined;
  if (isUtf8(buffer)) {
    // The native validator plus toString is several times faster than a fatal TextDecoder; the BOM is dropped as
    // the decoder would.
    text = buffer.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } else {
    text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    notification = {
      kind: 'encoding',
      level: 'warning',
      file: relPath,
      message: `${relPath} is not valid UTF-8; invalid bytes were replaced and the file was analysed as far as possible.`,
    };
  }
  if (isMinified(text)) {
    return { notification: { kind: 'minified', level: 'note', file: relPath, message: `Skipped ${relPath}: looks like a minified bundle.` } };
  }
  return notification ? { text, notification } : { text };
}

function isMinified(text: string): boolean {
  if (text.length < 2 * MINIFIED_LINE_LENGTH) return false;
  let lineStart = 0;
  let longest = 0;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const end = i === -1 ? text.length : i;
    longest = Math.max(longest, end - lineStart);
    if (longest > MINIFIED_LINE_LENGTH) return true;
    if (i === -1) return false;
    lineStart = i + 1;
  }
}

function unreadable(relPath: string, error: unknown): Notification {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (error as Error).message);
  return { kind: 'unreadable', level: 'error', file: relPath, message: `Could not read ${relPath}: ${reason}.` };
}
