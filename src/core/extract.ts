import { getJobBatches, EXTRACT_BATCH_FILES, type ExtractBatch, type ExtractJob, type FedFile } from './file-plan.js';
import { summarizeText, type FileSummary } from './file-summary.js';
import { parseSource, summarizeDiagnostics } from './parse.js';
import { computeImportSpecifiers } from './project.js';
import { readSourceFile } from './read.js';

/**
 * Summarises a text as the scan would compute each part, parsing it as the scan does for its syntax errors (the tree
 * is dropped); throws what the parser throws (a RangeError on a nesting deeper than the thread's stack).
 */
export function summarizeFile(absPath: string, text: string): FileSummary {
  const parse = summarizeDiagnostics(parseSource(absPath, text, { link: false }).diagnostics);
  return { ...summarizeText(text), importSpecifiers: computeImportSpecifiers(text), parse };
}

/**
 * An extraction thread's work: reads each of its files as the scan would (`readSourceFile`, the same size limit) and
 * summarises it; stops when `send` returns false. A file whose reading or parsing throws (a nesting deeper than this
 * thread's stack) goes without a summary, or as null, so that the scan thread does that file itself.
 */
export function extractBatches(job: ExtractJob, send: (batch: ExtractBatch) => boolean): void {
  for (const batch of getJobBatches(job)) {
    const files = job.files.slice(batch * EXTRACT_BATCH_FILES, (batch + 1) * EXTRACT_BATCH_FILES).map((file) => extractFile(file.path, file.relPath, job));
    if (!send({ batch, files })) return;
  }
}

function extractFile(absPath: string, relPath: string, job: ExtractJob): FedFile | null {
  let outcome: FedFile;
  try {
    outcome = readSourceFile(absPath, relPath, job.maxFileSize);
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
