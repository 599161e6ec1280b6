import type { Finding, Level, Notification } from '../core/types.js';
import { SourceIndex, type Region } from './positions.js';
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
/** Characters kept before the first caret when a long line is shown from its middle. */
const FRAME_CONTEXT = 40;

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
  let framedLine: number | undefined;
  for (const [i, finding] of shown.entries()) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) out.push('');
      currentFile = finding.file;
      framedLine = undefined;
      out.push(paint.bold(finding.file));
    }
    const region = index.region(finding.file, finding.start, finding.end);
    out.push(formatHeader(finding, region, paint, states.get(finding) === 'unchanged'));
    // One code frame per line: the findings that start on it are listed together under a single frame.
    if (framedLine !== region.line) {
      framedLine = region.line;
      const sameLine = [finding];
      for (const next of shown.slice(i + 1)) {
        if (next.file !== finding.file || index.region(next.file, next.start, next.end).line !== region.line) break;
        sameLine.push(next);
      }
      out.push(...formatFrame(sameLine, index, paint));
    }
    out.push(...formatRelated(finding, index, paint));
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

function formatHeader(finding: Finding, region: Region, paint: Paint, baselined: boolean): string {
  const level = baselined ? `${paint.level(finding.level, finding.level)} ${paint.dim('(baseline)')}` : paint.level(finding.level, finding.level);
  return `  ${paint.dim(`${region.line}:${region.column}`)}  ${level}  ${finding.message}  ${paint.dim(finding.ruleId)}`;
}

function formatRelated(finding: Finding, index: SourceIndex, paint: Paint): string[] {
  return (finding.related ?? []).map((related) => {
    const r = index.region(related.file, related.start, related.end);
    return `    ${paint.dim(`related: ${related.file}:${r.line}:${r.column}`)} ${related.message}`;
  });
}

/** Only closing brackets and separators: the end of a multi-line call says nothing. */
const CLOSING_ONLY = /^[\s)\]};,]*$/;

/**
 * The code frame of the findings starting on one line: the line once, carets under every finding's part of it (never
 * past its text), and for a finding that spans lines the line where it ends, unless that line only closes brackets
 * (a multi-line route registration shows its first line and the line of its handler).
 */
function formatFrame(findings: readonly Finding[], index: SourceIndex, paint: Paint): string[] {
  const first = findings[0];
  const source = first && index.get(first.file);
  if (!first || !source) return [];
  const regions = findings.map((f) => source.region(f.start, f.end));
  const line = (regions[0] as Region).line;
  const worst = findings.reduce<Level>((w, f) => (LEVEL_RANK[f.level] > LEVEL_RANK[w] ? f.level : w), 'note');
  const text = source.lineText(line);
  const spans = regions.map((r) => ({ start: r.column - 1, end: r.endLine === line ? r.endColumn - 1 : text.trimEnd().length }));
  const gutterWidth = String(Math.max(line, ...regions.map((r) => r.endLine))).length;
  const lines = frameLines(line, text, spans, gutterWidth, worst, paint);
  const spanning = regions.find((r) => r.endLine > line);
  if (spanning) {
    const endText = source.lineText(spanning.endLine);
    const shownEnd = endText.slice(0, spanning.endColumn - 1);
    if (!CLOSING_ONLY.test(shownEnd)) {
      if (spanning.endLine > line + 1) lines.push(`    ${paint.dim(`${' '.repeat(gutterWidth)} |`)} ${paint.dim('…')}`);
      const indent = endText.length - endText.trimStart().length;
      lines.push(...frameLines(spanning.endLine, endText, [{ start: indent, end: spanning.endColumn - 1 }], gutterWidth, worst, paint));
    }
  }
  return lines;
}

/** One source line (a window of it when long, so that the carets' start shows) and a caret row under the spans. */
function frameLines(line: number, text: string, spans: ReadonlyArray<{ start: number; end: number }>, gutterWidth: number, level: Level, paint: Paint): string[] {
  const firstStart = Math.min(...spans.map((s) => s.start));
  const from = text.length > MAX_FRAME_WIDTH && firstStart > MAX_FRAME_WIDTH - FRAME_CONTEXT ? firstStart - FRAME_CONTEXT : 0;
  const to = Math.min(text.length, from + MAX_FRAME_WIDTH);
  const window = text.slice(from, to);
  const marks = new Array<boolean>(window.length).fill(false);
  for (const span of spans) {
    // An empty or out-of-line span still gets one caret, on the nearest character of the line.
    const start = Math.max(0, Math.min(span.start, text.length - 1));
    const end = Math.max(start + 1, Math.min(span.end, text.length));
    for (let c = Math.max(start, from); c < Math.min(end, to); c++) marks[c - from] = true;
  }
  const lead = from > 0 ? '…' : '';
  const trail = to < text.length ? '…' : '';
  const last = marks.lastIndexOf(true);
  let carets = '';
  for (let c = 0; c <= last; c++) carets += marks[c] ? '^' : window[c] === '\t' ? '\t' : ' ';
  const caretRow = carets.replace(/\^+/g, (run) => paint.level(level, run));
  return [
    `    ${paint.dim(`${String(line).padStart(gutterWidth)} |`)} ${lead}${window}${trail}`,
    `    ${paint.dim(`${' '.repeat(gutterWidth)} |`)} ${lead === '' ? '' : ' '}${caretRow}`,
  ];
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
