import type { Finding } from '../core/types.js';
import { computeFingerprints } from '../report/fingerprint.js';
import { SourceIndex } from '../report/positions.js';
import type { BaselineComparison } from '../report/types.js';
import type { ScanResult } from '../scan.js';
import { resolveScanPaths } from './analysis.js';
import { compareWithBaseline, readBaseline, type BaselineFile } from './baseline.js';
import { getChangedFiles, indexRouteDependencies, touchesChangedFiles } from './changed.js';
import type { CliIo } from './io.js';
import type { ScanOutcome } from './run-scan.js';
import { addSources, readSources } from './sources.js';

/** The findings of a run with their fingerprints and the text of the files they point into. */
export interface PreparedFindings {
  findings: Finding[];
  /** Parallel to `findings`; computed over the whole run so narrowing never shifts occurrence numbers. */
  fingerprints: string[];
  sources: Map<string, string>;
}

export function prepareFindings(result: Pick<ScanResult, 'root' | 'findings' | 'notifications'>): PreparedFindings {
  const sources = readSources(result.root, result.findings, result.notifications);
  return { findings: result.findings, fingerprints: computeFingerprints(result.findings, new SourceIndex(sources)), sources };
}

export interface RolloutOptions {
  /** The `--baseline` file as given and its content (read before the scan, so a bad file fails fast). */
  baseline?: { file: string; content: BaselineFile };
  /** Files changed since the `--changed-since` ref, relative to the scan root (read before the scan, so a bad ref fails fast). */
  changed?: ReadonlySet<string>;
}

export interface RolloutFindings extends PreparedFindings {
  baseline?: BaselineComparison;
  /** With `--changed-since`: how many findings were left out because they touch no changed file. */
  unchangedHidden?: number;
}

/**
 * Applies `--baseline` (each finding new or unchanged, baseline entries without a finding absent) and
 * `--changed-since` (only findings that touch changed files). The baseline is compared with the whole
 * run first, so a narrowed report never calls a baseline finding absent just because it was left out.
 */
export function applyRolloutOptions(outcome: ScanOutcome, options: RolloutOptions): RolloutFindings {
  const prepared = prepareFindings(outcome.result);
  let baseline = options.baseline ? compareWithBaseline(prepared.fingerprints, options.baseline.content, options.baseline.file) : undefined;
  if (baseline) addSources(prepared.sources, outcome.result.root, baseline.absent.map((a) => a.file));
  const changed = options.changed;
  if (changed === undefined) return { ...prepared, ...(baseline ? { baseline } : {}) };

  const routes = indexRouteDependencies(outcome.routeDependencies ?? []);
  const keep = prepared.findings.map((f) => touchesChangedFiles(f, changed, routes));
  const pick = <T>(list: readonly T[]): T[] => list.filter((_, i) => keep[i]);
  if (baseline) baseline = { ...baseline, states: pick(baseline.states) };
  const findings = pick(prepared.findings);
  return {
    findings,
    fingerprints: pick(prepared.fingerprints),
    sources: prepared.sources,
    ...(baseline ? { baseline } : {}),
    unchangedHidden: prepared.findings.filter((f) => !f.suppression).length - findings.filter((f) => !f.suppression).length,
  };
}

/** Reads `--baseline` and the files changed since `--changed-since` before the scan, so a bad file or ref fails in seconds. */
export function readRolloutOptions(io: CliIo, paths: readonly string[], options: { baseline?: string; changedSince?: string }): RolloutOptions {
  const baseline = options.baseline !== undefined ? { file: options.baseline, content: readBaseline(options.baseline, io.cwd) } : undefined;
  const changed = options.changedSince !== undefined ? getChangedFiles(resolveScanPaths(io, paths).root, options.changedSince) : undefined;
  return { ...(baseline ? { baseline } : {}), ...(changed ? { changed } : {}) };
}

/** Says on stderr what `--changed-since` left out, so a short report is not mistaken for a clean project. */
export function reportNarrowing(io: CliIo, shown: RolloutFindings, ref: string | undefined): void {
  if (ref === undefined || shown.unchangedHidden === undefined) return;
  const hidden = shown.unchangedHidden;
  io.stderr.write(
    `authlint: --changed-since ${ref}: reporting findings that touch changed files; ${hidden} ${hidden === 1 ? 'finding' : 'findings'} elsewhere not shown.\n`,
  );
}
