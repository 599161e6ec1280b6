import type { Finding, Level } from '../core/types.js';

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
