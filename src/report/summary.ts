import type { Finding, Level } from '../core/types.js';
import type { ReportInput } from './types.js';

export interface FindingCounts {
  total: number;
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

/** Counts of active (unsuppressed) findings by level, and of suppressed ones. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { total: 0, error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const finding of findings) {
    if (finding.suppression) {
      counts.suppressed++;
      continue;
    }
    counts.total++;
    counts[finding.level satisfies Level]++;
  }
  return counts;
}

/** Active (unsuppressed) findings by baseline state, and the baseline entries no finding matched. */
export function countBaselineStates(input: Pick<ReportInput, 'findings' | 'baseline'>): { new: number; unchanged: number; absent: number } {
  const counts = { new: 0, unchanged: 0, absent: input.baseline?.absent.length ?? 0 };
  input.findings.forEach((finding, i) => {
    const state = input.baseline?.states[i];
    if (!finding.suppression && state) counts[state]++;
  });
  return counts;
}
