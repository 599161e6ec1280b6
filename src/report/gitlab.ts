import type { Level } from '../core/types.js';
import { getFingerprints } from './fingerprint.js';
import { SourceIndex } from './positions.js';
import type { ReportInput } from './types.js';

/** GitLab Code Quality severities, weakest first. */
export type GitLabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

const SEVERITY: Record<Level, GitLabSeverity> = { note: 'minor', warning: 'major', error: 'critical' };

export interface GitLabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitLabSeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * GitLab Code Quality JSON (`artifacts:reports:codequality`): one issue per unsuppressed finding.
 * Paths are relative to the repository root, as GitLab resolves them (like SARIF's %SRCROOT%).
 */
export function formatGitLab(input: ReportInput): string {
  const index = new SourceIndex(input.sources);
  const fingerprints = getFingerprints(input, index);
  const vcs = input.run.versionControl;
  const prefix = vcs?.rootInRepository ? `${vcs.rootInRepository}/` : '';
  const issues: GitLabIssue[] = input.findings.flatMap((finding, i) =>
    finding.suppression
      ? []
      : [
          {
            description: finding.message,
            check_name: finding.ruleId,
            fingerprint: fingerprints[i] as string,
            severity: SEVERITY[finding.level],
            location: { path: prefix + finding.file, lines: { begin: index.region(finding.file, finding.start, finding.end).line } },
          },
        ],
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}
