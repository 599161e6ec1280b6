import type { Finding, Notification } from './types.js';
import type { SourceFileInfo } from './project.js';

export interface SuppressionDirective {
  kind: 'next-line' | 'line' | 'file';
  /** Empty means every rule. */
  rules: string[];
  justification?: string;
  start: number;
  end: number;
  /** 0-based line the directive applies to; -1 for the whole file. */
  line: number;
  used: Set<string>;
}

const DIRECTIVE = /\/[/*]\s*authlint-disable(-next-line|-line|-file)\b([^\n]*)/g;

export function parseSuppressions(file: SourceFileInfo): SuppressionDirective[] {
  if (!file.text.includes('authlint-disable')) return [];
  const directives: SuppressionDirective[] = [];
  for (const match of file.text.matchAll(DIRECTIVE)) {
    const start = match.index;
    let body = match[2] ?? '';
    if (match[0].startsWith('/*')) body = body.split('*/')[0] ?? '';
    const [ruleText = '', ...reasonParts] = body.split(/\s--\s?/);
    const reason = reasonParts.join(' -- ').trim();
    const rules = ruleText
      .split(/[\s,]+/)
      .map((r) => r.trim().replace(/^authlint\//, ''))
      .filter(Boolean);
    const kindText = match[1];
    const line = file.sourceFile.getLineAndCharacterOfPosition(start).line;
    const kind = kindText === '-next-line' ? 'next-line' : kindText === '-line' ? 'line' : 'file';
    directives.push({
      kind,
      rules,
      ...(reason ? { justification: reason } : {}),
      start,
      end: start + match[0].length,
      line: kind === 'next-line' ? line + 1 : kind === 'line' ? line : -1,
      used: new Set(),
    });
  }
  return directives;
}

/** Marks suppressed findings (they stay in the output) and reports directives that matched nothing. */
export function applySuppressions(
  file: SourceFileInfo,
  findings: Finding[],
  activeRuleIds: ReadonlySet<string>,
): Notification[] {
  const directives = parseSuppressions(file);
  if (directives.length === 0) return [];
  for (const finding of findings) {
    const line = file.sourceFile.getLineAndCharacterOfPosition(finding.start).line;
    const directive = directives.find(
      (d) => (d.line === -1 || d.line === line) && (d.rules.length === 0 || d.rules.includes(finding.ruleId)),
    );
    if (!directive) continue;
    directive.used.add(finding.ruleId);
    finding.suppression = {
      kind: 'inSource',
      ...(directive.justification ? { justification: directive.justification } : {}),
      start: directive.start,
      end: directive.end,
    };
  }
  const notifications: Notification[] = [];
  for (const directive of directives) {
    const unknown = directive.rules.filter((r) => !activeRuleIds.has(r));
    const unused = directive.rules.filter((r) => activeRuleIds.has(r) && !directive.used.has(r));
    const nothingMatched = directive.rules.length === 0 && directive.used.size === 0;
    if (unused.length === 0 && !nothingMatched && unknown.length === 0) continue;
    const names = unused.length > 0 ? unused : unknown;
    const message =
      unknown.length > 0 && unused.length === 0
        ? `Suppression names unknown or disabled rule ${names.map((r) => `'${r}'`).join(', ')}.`
        : nothingMatched
          ? 'Unused suppression: no finding to suppress.'
          : `Unused suppression for ${names.map((r) => `'${r}'`).join(', ')}: no such finding on the line it covers.`;
    notifications.push({ kind: 'unused-suppression', level: 'warning', message, file: file.relPath, start: directive.start, end: directive.end });
  }
  return notifications;
}
