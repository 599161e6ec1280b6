import type { Finding, Level } from '../core/types.js';
import { SourceIndex } from './positions.js';
import { countBaselineStates, countFindings } from './summary.js';
import { LEVEL_RANK, type ReportInput, type VersionControlInfo } from './types.js';

/** How many findings the Markdown report lists; the rest are counted in the table above it. */
export const MARKDOWN_TOP_FINDINGS = 20;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/**
 * A browsable URL of a file at the scanned revision, for GitHub and GitLab remotes; undefined for
 * other hosts or without a revision.
 */
export function getBlobUrl(vcs: VersionControlInfo | undefined, file: string, line: number): string | undefined {
  if (!vcs?.repositoryUri || !vcs.revisionId) return undefined;
  let url: URL;
  try {
    url = new URL(vcs.repositoryUri);
  } catch {
    return undefined;
  }
  const host = url.hostname;
  const separator = host === 'github.com' ? 'blob' : host.includes('gitlab') ? '-/blob' : undefined;
  if (separator === undefined) return undefined;
  const repoPath = url.pathname.replace(/\.git$/, '').replace(/\/$/, '');
  const inRepository = vcs.rootInRepository ? `${vcs.rootInRepository}/${file}` : file;
  const encoded = inRepository.split('/').map(encodeURIComponent).join('/');
  return `https://${host}${repoPath}/${separator}/${vcs.revisionId}/${encoded}#L${line}`;
}

/**
 * A Markdown report for pull-request comments and CI step summaries: counts by rule and level, then
 * the most severe findings (new ones first when a baseline was given) with links to their lines.
 */
export function formatMarkdown(input: ReportInput): string {
  const index = new SourceIndex(input.sources);
  const counts = countFindings(input.findings);
  const active = input.findings.map((finding, i) => ({ finding, state: input.baseline?.states[i] })).filter((f) => !f.finding.suppression);
  const out: string[] = ['### authlint', ''];
  const suppressed = counts.suppressed > 0 ? `, ${counts.suppressed} suppressed` : '';
  out.push(
    `**${plural(counts.total, 'finding')}** (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')})${suppressed} in ${plural(input.run.filesScanned, 'file')}.`,
  );
  if (input.baseline) {
    const b = countBaselineStates(input);
    out.push('', `Baseline \`${cell(input.baseline.file)}\`: ${b.new} new, ${b.unchanged} already in the baseline, ${b.absent} gone.`);
  }
  const incomplete = input.notifications.filter((n) => n.level === 'error').length;
  if (incomplete > 0) out.push('', `⚠️ The run was incomplete: ${plural(incomplete, 'error notification')} (files not analysed or rules that failed).`);
  if (active.length === 0) return `${out.join('\n')}\n`;

  const byRule = new Map<string, Record<Level, number>>();
  for (const { finding } of active) {
    const row = byRule.get(finding.ruleId) ?? { error: 0, warning: 0, note: 0 };
    row[finding.level]++;
    byRule.set(finding.ruleId, row);
  }
  out.push('', '| Rule | Errors | Warnings | Notes |', '| --- | ---: | ---: | ---: |');
  for (const [ruleId, row] of [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`| \`${ruleId}\` | ${row.error} | ${row.warning} | ${row.note} |`);
  }

  const ranked = [...active].sort(
    (a, b) => Number(a.state === 'unchanged') - Number(b.state === 'unchanged') || LEVEL_RANK[b.finding.level] - LEVEL_RANK[a.finding.level],
  );
  const top = ranked.slice(0, MARKDOWN_TOP_FINDINGS);
  out.push('', input.baseline ? '| Level | Baseline | Rule | Location | Message |' : '| Level | Rule | Location | Message |');
  out.push(input.baseline ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |');
  for (const { finding, state } of top) out.push(findingRow(finding, state, index, input));
  if (ranked.length > top.length) out.push('', `…and ${ranked.length - top.length} more (see the SARIF or JSON report).`);
  return `${out.join('\n')}\n`;
}

function findingRow(finding: Finding, state: string | undefined, index: SourceIndex, input: ReportInput): string {
  const line = index.region(finding.file, finding.start, finding.end).line;
  const place = `${finding.file}:${line}`;
  const url = getBlobUrl(input.run.versionControl, finding.file, line);
  const location = url ? `[${cell(place)}](${url})` : cell(place);
  const cells = [finding.level, ...(input.baseline ? [state ?? 'new'] : []), `\`${finding.ruleId}\``, location, cell(finding.message)];
  return `| ${cells.join(' | ')} |`;
}
