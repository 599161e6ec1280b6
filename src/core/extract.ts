import { claimBatch, getJobBatches, EXTRACT_BATCH_FILES, type ExtractBatch, type ExtractHere, type ExtractJob, type FedFile } from './file-plan.js';
import { summarizeText, type FileSummary } from './file-summary.js';
import { parseSource, summarizeDiagnostics } from './parse.js';
import path from 'node:path';
import { AnalysisProject, computeImportSpecifiers, NO_NEIGHBOURS, type FileFact } from './project.js';
import { readForExtraction, type ReuseSummary } from './summary-cache.js';

/**
 * Summarises a text as the scan would compute each part, parsing it as the scan does for its syntax errors (the tree
 * is dropped); throws what the parser throws (a RangeError on a nesting deeper than the thread's stack).
 */
export function summarizeFile(absPath: string, text: string, portable: readonly FileFact<unknown>[] = [], relPath?: string): FileSummary {
  const parsed = parseSource(absPath, text, { link: portable.length > 0 });
  const parse = summarizeDiagnostics(parsed.diagnostics);
  const summary: FileSummary = { ...summarizeText(text), importSpecifiers: computeImportSpecifiers(text), parse };
  if (portable.length > 0) summary.facts = computePortableFacts(absPath, relPath, text, summary, parsed, portable);
  return summary;
}

/**
 * The portable facts of one file, computed on a project of that file alone (a portable fact reads nothing but the
 * file's own text and tree). The root is the scan root when the relative path is known, so relative paths agree.
 */
function computePortableFacts(
  absPath: string,
  relPath: string | undefined,
  text: string,
  summary: FileSummary,
  parsed: ReturnType<typeof parseSource>,
  portable: readonly FileFact<unknown>[],
): Record<string, unknown> {
  const root = relPath !== undefined && absPath.endsWith(relPath) ? absPath.slice(0, absPath.length - relPath.length) || '/' : path.dirname(absPath);
  const project = new AnalysisProject(root, {}, NO_NEIGHBOURS);
  const file = project.addFile(absPath, text, { parsed, index: summary.index, ...(summary.parse ? { parseSummary: summary.parse } : {}) });
  const facts: Record<string, unknown> = {};
  for (const fact of portable) facts[fact.name] = project.fileFact(fact, file);
  return facts;
}

/**
 * Whether the scan thread reads a file's tree whatever the extraction hands over (its rules walk the file itself): such
 * a file is read but not parsed by the extraction, and the scan thread parses it once, as soon as it takes it, instead
 * of parsing it a second time later (trees cannot cross threads). A wrong answer costs time, never a result.
 */
export type ScanTreeTest = (text: string) => boolean;

/**
 * An extraction thread's work: reads each of its files as the scan would (`readSourceFile`, the same size limit) and
 * summarises it; stops when `send` returns false. A file whose reading or parsing throws (a nesting deeper than this
 * thread's stack) goes without a summary, or as null, so that the scan thread does that file itself.
 */
export function extractBatches(
  job: ExtractJob,
  send: (batch: ExtractBatch) => boolean,
  portable: readonly FileFact<unknown>[] = [],
  reuse?: ReuseSummary,
  /** Batches of this thread already sent (`sendKnownBatches`). */
  skip = 0,
  scanTree?: ScanTreeTest,
): void {
  const claims = job.claims && new Int32Array(job.claims);
  for (const batch of getJobBatches(job).slice(skip)) {
    // The scan thread extracted it itself rather than wait.
    if (!claimBatch(claims, batch, job.worker)) continue;
    const files = job.files.slice(batch * EXTRACT_BATCH_FILES, (batch + 1) * EXTRACT_BATCH_FILES).map((file) => extractFile(file.path, file.relPath, job, portable, reuse, scanTree));
    if (!send({ batch, files })) return;
  }
}

/**
 * The scan thread's own share of a pool's batches (`receivePool`): each file read and summarised as an extraction
 * thread does it, so the summary is the same whichever thread computed it.
 */
export function extractHere(job: Pick<ExtractJob, 'maxFileSize'>, portable: readonly FileFact<unknown>[], scanTree?: ScanTreeTest): ExtractHere {
  return (files) => files.map((file) => extractFile(file.path, file.relPath, job, portable, undefined, scanTree));
}

function extractFile(
  absPath: string,
  relPath: string,
  job: Pick<ExtractJob, 'maxFileSize'>,
  portable: readonly FileFact<unknown>[],
  reuse: ReuseSummary | undefined,
  scanTree: ScanTreeTest | undefined,
): FedFile | null {
  const outcome = readForExtraction(absPath, relPath, job);
  if (!outcome || outcome.text === undefined) return outcome;
  const known = reuse?.(relPath, outcome.text);
  if (known) return { ...outcome, summary: known };
  if (scanTree?.(outcome.text)) return { ...outcome, parseHere: true };
  try {
    return { ...outcome, summary: summarizeFile(absPath, outcome.text, portable, relPath) };
  } catch {
    return outcome;
  }
}
