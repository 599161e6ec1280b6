import { ts } from '@ts-morph/common';
import type { Finding, Notification } from './types.js';
import { getLineOfPosition, type SourceFileInfo } from './project.js';
import { didYouMean } from './suggest.js';

export interface SuppressionDirective {
  /** `range`: an ESLint block `eslint-disable … eslint-enable` (to the end of the file without an enable). */
  kind: 'next-line' | 'line' | 'file' | 'range';
  /** Empty means every rule. */
  rules: string[];
  justification?: string;
  start: number;
  end: number;
  /** 0-based line the directive applies to; -1 for the whole file. */
  line: number;
  /** For `range`: the last 0-based line it covers; for `next-line` above a decorator: the line of the decorated declaration's name. */
  endLine?: number;
  /** An ESLint directive rather than an authlint one. */
  eslint?: boolean;
  used: Set<string>;
}

/**
 * ESLint's own directives, honoured for the authlint rules they name (`authlint/<id>`), so a
 * suppression written by the editor's quick fix also holds in the CLI. Bare ones (no rule) are left
 * to ESLint: they silence every ESLint rule, which is not a decision about authlint's.
 */
const ESLINT_DIRECTIVE = /\/([/*])\s*eslint-(disable|enable)(-next-line|-line)?(?=\s)([^\n]*)/g;

function parseRuleList(text: string): { rules: string[]; justification?: string } {
  const [ruleText = '', ...reasonParts] = text.split(/\s--\s?/);
  const reason = reasonParts.join(' -- ').trim();
  const rules = ruleText
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter((r) => r.startsWith('authlint/'))
    .map((r) => r.slice('authlint/'.length));
  return { rules, ...(reason ? { justification: reason } : {}) };
}

function parseEslintDirectives(file: SourceFileInfo): SuppressionDirective[] {
  if (!file.text.includes('eslint-')) return [];
  const directives: SuppressionDirective[] = [];
  const open: SuppressionDirective[] = [];
  const lineOf = (offset: number) => getLineOfPosition(file, offset);
  for (const match of file.text.matchAll(ESLINT_DIRECTIVE)) {
    const [text, commentKind, verb, suffix, rest = ''] = match;
    const body = commentKind === '*' ? (rest.split('*/')[0] ?? '') : rest;
    const { rules, justification } = parseRuleList(body);
    const start = match.index;
    const line = lineOf(start);
    if (verb === 'enable') {
      // An enable naming no rule closes every open block; one naming rules closes the blocks of those rules.
      for (const d of open.splice(0)) {
        if (rules.length > 0 && !d.rules.some((r) => rules.includes(r))) open.push(d);
        else d.endLine = line;
      }
      continue;
    }
    if (rules.length === 0) continue;
    if (suffix === undefined && commentKind !== '*') continue;
    const kind = suffix === '-next-line' ? 'next-line' : suffix === '-line' ? 'line' : 'range';
    const directive: SuppressionDirective = {
      kind,
      rules,
      ...(justification ? { justification } : {}),
      start,
      end: start + text.length,
      line: kind === 'next-line' ? line + 1 : line,
      used: new Set(),
      eslint: true,
    };
    if (kind === 'range') open.push(directive);
    directives.push(directive);
  }
  return directives;
}

function covers(directive: SuppressionDirective, line: number): boolean {
  if (directive.line === -1) return true;
  if (directive.kind === 'range') return line >= directive.line && line <= (directive.endLine ?? Number.MAX_SAFE_INTEGER);
  if (directive.kind === 'next-line' && directive.endLine !== undefined) return line >= directive.line && line <= directive.endLine;
  return directive.line === line;
}

/**
 * When `line` starts with a decorator, the 0-based line of the decorated declaration's name: a
 * `next-line` suppression above a decorator stack (`@ApiOperation(…)` above `@Get()`) covers the
 * stack and the declaration's head, where route findings of the decorated method are reported.
 */
function getDecoratedHeadLine(file: SourceFileInfo, line: number): number | undefined {
  if (file.lineStarts[line] === undefined) return undefined;
  const offset = getLineIndent(file, line);
  if (file.text[offset] !== '@') return undefined;
  const sourceFile = file.sourceFile;
  let declaration: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (declaration || offset < node.pos || offset >= node.end) return;
    if (ts.canHaveDecorators(node) && ts.getDecorators(node)?.some((d) => d.getStart(sourceFile) === offset)) {
      declaration = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  if (!declaration) return undefined;
  const name = (declaration as ts.Node & { name?: ts.Node }).name;
  const head = name ? name.getStart(sourceFile) : declaration.getStart(sourceFile);
  return sourceFile.getLineAndCharacterOfPosition(head).line;
}

/** The offset of the first non-blank character of a 0-based line. */
function getLineIndent(file: SourceFileInfo, line: number): number {
  const start = file.lineStarts[line] ?? 0;
  return start + (/^[ \t]*/.exec(file.text.slice(start, start + 200))?.[0].length ?? 0);
}

function extendOverDecorators(file: SourceFileInfo, directives: SuppressionDirective[]): SuppressionDirective[] {
  for (const directive of directives) {
    if (directive.kind !== 'next-line') continue;
    const head = getDecoratedHeadLine(file, directive.line);
    if (head !== undefined && head > directive.line) directive.endLine = head;
  }
  return directives;
}

const DIRECTIVE = /\/[/*]\s*authlint-disable(-next-line|-line|-file)\b([^\n]*)/g;

export function parseSuppressions(file: SourceFileInfo): SuppressionDirective[] {
  const directives = parseEslintDirectives(file);
  if (!file.text.includes('authlint-disable')) return extendOverDecorators(file, directives);
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
    const line = getLineOfPosition(file, start);
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
  return extendOverDecorators(file, directives);
}

/**
 * For a front end that sees one rule's findings at a time (the ESLint adapter): report only what that
 * rule can know, unused suppressions naming `ruleId` and, when `reportUnknown`, names of unknown rules.
 * Directives naming no rule and ESLint's own directives are left out: ESLint reports its own unused ones.
 */
export interface SuppressionScope {
  ruleId: string;
  reportUnknown: boolean;
}

/** Marks suppressed findings (they stay in the output) and reports directives that matched nothing. */
export function applySuppressions(
  file: SourceFileInfo,
  findings: Finding[],
  activeRuleIds: ReadonlySet<string>,
  scope?: SuppressionScope,
): Notification[] {
  const directives = parseSuppressions(file);
  if (directives.length === 0) return [];
  for (const finding of findings) {
    const line = getLineOfPosition(file, finding.start);
    const directive = directives.find(
      (d) => covers(d, line) && (d.rules.length === 0 || d.rules.includes(finding.ruleId)),
    );
    if (!directive) continue;
    directive.used.add(finding.ruleId);
    finding.suppression = {
      kind: 'inSource',
      ...(directive.justification ? { justification: directive.justification } : {}),
      ...(directive.eslint ? { eslint: true } : {}),
      ...(directive.eslint && directive.kind === 'next-line' && line !== directive.line ? { eslintAt: getLineIndent(file, directive.line) } : {}),
      start: directive.start,
      end: directive.end,
    };
  }
  const notifications: Notification[] = [];
  for (const directive of directives) {
    if (scope && (directive.eslint || directive.rules.length === 0)) continue;
    const named = scope ? directive.rules.filter((r) => r === scope.ruleId || (scope.reportUnknown && !activeRuleIds.has(r))) : directive.rules;
    const unknown = named.filter((r) => !activeRuleIds.has(r));
    const unused = named.filter((r) => activeRuleIds.has(r) && !directive.used.has(r));
    const nothingMatched = directive.rules.length === 0 && directive.used.size === 0;
    if (unused.length === 0 && !nothingMatched && unknown.length === 0) continue;
    const names = unused.length > 0 ? unused : unknown;
    const message =
      unknown.length > 0 && unused.length === 0
        ? `Suppression names unknown or disabled rule ${names.map((r) => `'${r}'`).join(', ')}${names.length === 1 ? didYouMean(names[0]!, activeRuleIds) || '.' : '.'}`
        : nothingMatched
          ? 'Unused suppression: no finding to suppress.'
          : `Unused suppression for ${names.map((r) => `'${r}'`).join(', ')}: no such finding on the line it covers.`;
    notifications.push({ kind: 'unused-suppression', level: 'warning', message, file: file.relPath, start: directive.start, end: directive.end });
  }
  return notifications;
}
