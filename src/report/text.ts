import type { Finding, Level, Notification } from '../core/types.js';
import { SourceIndex } from './positions.js';
import { countBaselineStates, countFindings } from './summary.js';
import { LEVEL_RANK, type ReportInput } from './types.js';

export interface TextOptions {
  /** ANSI colours; the CLI turns them on only when the output is a terminal. */
  color?: boolean;
  /** Only findings at or above `failOn`, only error notifications, nothing at all for a clean run. */
  quiet?: boolean;
  failOn?: Level | 'none';
}

const MAX_FRAME_WIDTH = 200;

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  level(level: Level, s: string): string;
}

const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, level: (_l, s) => s };
const ANSI: Paint = {
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  level: (level, s) => `\u001b[${level === 'error' ? 31 : level === 'warning' ? 33 : 36}m${s}\u001b[39m`,
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Human-readable report: findings grouped by file with a one-line code frame, then notifications and counts. */
export function formatText(input: ReportInput, options: TextOptions = {}): string {
  const paint = options.color ? ANSI : PLAIN;
  const index = new SourceIndex(input.sources);
  const threshold = options.quiet && options.failOn && options.failOn !== 'none' ? LEVEL_RANK[options.failOn] : 0;
  const states = new Map(input.findings.map((f, i) => [f, input.baseline?.states[i]]));
  // --quiet keeps what fails the run: with a baseline, only new findings do.
  const shown = input.findings.filter((f) => !f.suppression && LEVEL_RANK[f.level] >= threshold && !(options.quiet && states.get(f) === 'unchanged'));
  const out: string[] = [];

  let currentFile: string | undefined;
  for (const finding of shown) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) out.push('');
      currentFile = finding.file;
      out.push(paint.bold(finding.file));
    }
    out.push(...formatFinding(finding, index, paint, states.get(finding) === 'unchanged'));
  }

  const noFiles = input.notifications.find((n) => n.kind === 'no-files');
  const listed = input.notifications.filter((n) => n.kind !== 'no-files' && (!options.quiet || n.level === 'error'));
  if (listed.length > 0) {
    if (out.length > 0) out.push('');
    out.push(paint.bold('Notifications'));
    for (const n of listed) out.push(`  ${paint.level(n.level, n.level.padEnd(7))}  ${formatNotificationPlace(n, index)}${n.message}`);
  }
  if (noFiles) {
    if (out.length > 0) out.push('');
    out.push(noFiles.message);
  }

  if (options.quiet && out.length === 0) return '';
  if (out.length > 0) out.push('');
  out.push(summaryLine(input, paint));
  if (input.baseline) out.push(baselineLine(input));
  const incomplete = incompleteLine(input.notifications);
  if (incomplete) out.push(paint.level('error', incomplete));
  return `${out.join('\n')}\n`;
}

function formatFinding(finding: Finding, index: SourceIndex, paint: Paint, baselined: boolean): string[] {
  const region = index.region(finding.file, finding.start, finding.end);
  const level = baselined ? `${paint.level(finding.level, finding.level)} ${paint.dim('(baseline)')}` : paint.level(finding.level, finding.level);
  const lines = [`  ${paint.dim(`${region.line}:${region.column}`)}  ${level}  ${finding.message}  ${paint.dim(finding.ruleId)}`];
  const source = index.get(finding.file);
  if (source) {
    const text = source.lineText(region.line);
    const shownText = text.length > MAX_FRAME_WIDTH ? `${text.slice(0, MAX_FRAME_WIDTH)}…` : text;
    const gutter = String(region.line);
    const startCol = Math.min(region.column - 1, shownText.length);
    const endCol = region.endLine === region.line ? Math.min(region.endColumn - 1, shownText.length) : shownText.length;
    const padding = shownText.slice(0, startCol).replace(/[^\t]/g, ' ');
    const carets = '^'.repeat(Math.max(1, endCol - startCol));
    lines.push(`    ${paint.dim(`${gutter} |`)} ${shownText}`);
    lines.push(`    ${paint.dim(`${' '.repeat(gutter.length)} |`)} ${padding}${paint.level(finding.level, carets)}`);
  }
  for (const related of finding.related ?? []) {
    const r = index.region(related.file, related.start, related.end);
    lines.push(`    ${paint.dim(`related: ${related.file}:${r.line}:${r.column}`)} ${related.message}`);
  }
  return lines;
}

function formatNotificationPlace(n: Notification, index: SourceIndex): string {
  if (n.file === undefined) return '';
  if (n.start === undefined) return `${n.file}  `;
  const position = index.get(n.file)?.position(n.start);
  return position ? `${n.file}:${position.line}:${position.column}  ` : `${n.file}  `;
}

function summaryLine(input: ReportInput, paint: Paint): string {
  const counts = countFindings(input.findings);
  const levels = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}`;
  const suppressed = counts.suppressed > 0 ? `, ${counts.suppressed} suppressed` : '';
  const scanned = `${plural(input.run.filesScanned, 'file')} (${plural(input.run.linesScanned, 'line')})`;
  const unjudged = input.notifications.filter((n) => n.kind === 'routes-not-judged').reduce((sum, n) => sum + (n.count ?? 0), 0);
  const notJudged = unjudged > 0 ? `; ${plural(unjudged, 'route')} not judged (see notifications)` : '';
  const head = `${plural(counts.total, 'finding')} (${levels})${suppressed} in ${scanned}${notJudged}.`;
  const worst: Level | undefined = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : counts.note > 0 ? 'note' : undefined;
  return worst ? paint.bold(paint.level(worst, head)) : paint.bold(head);
}

function baselineLine(input: ReportInput): string {
  const counts = countBaselineStates(input);
  const fixed = counts.absent > 0 ? `; ${counts.absent} baseline ${counts.absent === 1 ? 'finding is' : 'findings are'} gone (fixed, or the flagged line or file changed)` : '';
  return `Baseline ${input.baseline?.file ?? ''}: ${counts.new} new, ${plural(counts.unchanged, 'finding')} already in the baseline${fixed}.`;
}

function incompleteLine(notifications: readonly Notification[]): string | undefined {
  const ruleFailures = notifications.filter((n) => n.kind === 'rule-error').length;
  const unanalysed = notifications.filter((n) => n.kind === 'unreadable' || (n.kind === 'parse-error' && n.level === 'error')).length;
  if (ruleFailures === 0 && unanalysed === 0) return undefined;
  const parts = [
    ...(ruleFailures > 0 ? [plural(ruleFailures, 'rule failure')] : []),
    ...(unanalysed > 0 ? [`${plural(unanalysed, 'file')} not analysed`] : []),
  ];
  return `The run was incomplete: ${parts.join(', ')} (see notifications).`;
}
