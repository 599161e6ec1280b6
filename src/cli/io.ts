import type { AnyRule } from '../core/rule.js';

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Rules to run instead of authlint's own (tests); scans then run on the current thread. */
  rules?: readonly AnyRule[];
  /** Version-control facts are read from `.git` unless this is false (tests that snapshot SARIF). */
  readVersionControl?: boolean;
}

export function getDefaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
