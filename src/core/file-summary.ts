import { getJobBatches, EXTRACT_BATCH_FILES, type ExtractBatch, type ExtractJob, type FedFile } from './file-plan.js';
import { parseSource, summarizeDiagnostics, type ParseSummary } from './parse.js';
import { readSourceFile } from './read.js';
import { hashText } from './scan-cache.js';

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * Plain data about one file, computed wherever the file was parsed (an extraction thread of the CLI) and handed to
 * the scan with the file's text, so that the scan does not parse the file only to report its syntax errors.
 */
export interface FileSummary {
  /** The content hash of the scan cache (`hashText`: SHA-256 of the text as UTF-8), so the cache need not hash again. */
  hash: string;
  /** The lines the scan counts (see `countLines`). */
  lines: number;
  parse: ParseSummary;
}

/** Parses the text as the scan does and keeps only plain data; throws what the parser throws (a RangeError on a too-deep nesting). */
export function summarizeFile(absPath: string, text: string): FileSummary {
  const { diagnostics } = parseSource(absPath, text, { link: false });
  return { hash: hashText(text), lines: countLines(text), parse: summarizeDiagnostics(diagnostics) };
}

/**
 * Line breaks as TypeScript's line map counts them (CR LF, CR, LF, U+2028, U+2029). A final line break ends the last
 * line; it does not start another one (wc -l semantics, plus an unterminated last line).
 */
export function countLines(text: string): number {
  const starts = (text.match(LINE_BREAKS)?.length ?? 0) + 1;
  return starts - (/\r?\n$|\r$/.test(text) || text === '' ? 1 : 0);
}

/**
 * An extraction thread's work: reads each of its files as the scan would (`readSourceFile`, the same size limit) and
 * summarises it; stops when `send` returns false. A file whose reading or parsing throws (a nesting deeper than this
 * thread's stack) goes without a summary, or as null, so that the scan thread does that file itself.
 */
export function extractBatches(job: ExtractJob, send: (batch: ExtractBatch) => boolean): void {
  for (const batch of getJobBatches(job)) {
    const files = job.files.slice(batch * EXTRACT_BATCH_FILES, (batch + 1) * EXTRACT_BATCH_FILES).map((file) => extractFile(file.path, file.relPath, job.maxFileSize));
    if (!send({ batch, files })) return;
  }
}

function extractFile(absPath: string, relPath: string, maxFileSize: number): FedFile | null {
  let outcome: FedFile;
  try {
    outcome = readSourceFile(absPath, relPath, maxFileSize);
  } catch {
    return null;
  }
  if (outcome.text === undefined) return outcome;
  try {
    return { ...outcome, summary: summarizeFile(absPath, outcome.text) };
  } catch {
    return outcome;
  }
}
