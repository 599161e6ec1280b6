import type { Level } from '../core/types.js';
import { SourceIndex } from './positions.js';
import type { ReportInput } from './types.js';

const COMMAND: Record<Level, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escaping of workflow-command data (the message). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow-command properties (file, title), where ':' and ',' also separate. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the pull
 * request for runs that do not upload SARIF to code scanning. One per unsuppressed finding, except
 * those already in the baseline; paths are relative to the repository root, as GitHub resolves them.
 */
export function formatGitHub(input: ReportInput): string {
  const index = new SourceIndex(input.sources);
  const vcs = input.run.versionControl;
  const prefix = vcs?.rootInRepository ? `${vcs.rootInRepository}/` : '';
  const lines = input.findings.flatMap((finding, i) => {
    if (finding.suppression || input.baseline?.states[i] === 'unchanged') return [];
    const r = index.region(finding.file, finding.start, finding.end);
    const properties = [
      `file=${escapeProperty(prefix + finding.file)}`,
      `line=${r.line}`,
      `col=${r.column}`,
      `endLine=${r.endLine}`,
      `endColumn=${r.endColumn}`,
      `title=${escapeProperty(`authlint ${finding.ruleId}`)}`,
    ];
    return [`::${COMMAND[finding.level]} ${properties.join(',')}::${escapeData(finding.message)}`];
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
