import { computeFileIndex, type FileIndex } from './file-index.js';
import type { ParseSummary } from './parse.js';
import { hashText } from './scan-cache.js';

/**
 * Plain data about one file, computed from its text by another thread (the CLI's reading or extraction threads) and
 * handed to the scan with the text, so that the scan thread does not compute it: what `AnalysisProject.addFile` takes
 * as known. Loads no compiler (the reading thread computes the first two parts; see `extract.ts` for the rest).
 */
export interface FileSummary {
  /** The content hash of the scan cache (`hashText`: SHA-256 of the text as UTF-8), so the cache need not hash again. */
  hash: string;
  index: FileIndex;
  /** The module specifiers (`computeImportSpecifiers`), from an extraction thread. */
  importSpecifiers?: string[];
  /** The syntax errors, from an extraction thread that parsed the file (the scan then does not parse it only for those). */
  parse?: ParseSummary;
  /** Values of the portable file facts (`FileFact.portable`) by name, from an extraction thread that parsed the file. */
  facts?: Record<string, unknown>;
  /** More portable fact values, from the scan cache, still serialized: decoded when a fact of the file is first asked. */
  storedFacts?: StoredFacts;
  /** Values of the facts the scan cache keeps in plain form (`STORED_TEXT_FACTS`), from the scan cache. */
  textFacts?: Record<string, unknown>;
}

/** Portable fact values of one file as the summary cache keeps them: their names, and the values serialized (v8). */
export interface StoredFacts {
  names: string[];
  bytes: Uint8Array;
}

/**
 * The lines the report counts in a text whose index counts `lineStarts`: a final line break ends the last line, it does
 * not start another one (wc -l semantics, plus an unterminated last line).
 */
export function countLines(text: string, lineStarts: number): number {
  return lineStarts - (/\r?\n$|\r$/.test(text) || text === '' ? 1 : 0);
}

/** What a text says without a compiler. */
export function summarizeText(text: string): FileSummary {
  return { hash: hashText(text), index: computeFileIndex(text) };
}
