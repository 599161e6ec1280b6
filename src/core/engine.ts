import { ts } from '@ts-morph/common';
import { formatMessage, type AnyRule, type ReportDescriptor, type RuleContext, type RuleListeners } from './rule.js';
import type { AnalysisProject, SourceFileInfo } from './project.js';
import type { ReadFrame } from './reads.js';
import { applySuppressions } from './suppressions.js';
import type { Finding, Level, Notification } from './types.js';
import { INDEXED_KINDS, indexedNodesOfKinds, walk } from './walk.js';

export interface ActiveRule {
  rule: AnyRule;
  level: Level;
  options: unknown;
}

export interface EngineResult {
  findings: Finding[];
  notifications: Notification[];
}

interface Dispatch {
  kinds: Map<ts.SyntaxKind, Array<{ index: number; fn: (node: ts.Node) => void }>>;
}

function createContext(
  project: AnalysisProject,
  active: ActiveRule,
  file: SourceFileInfo | undefined,
  sink: Finding[],
  focus?: ReadonlySet<string>,
): RuleContext<string> {
  return {
    ruleId: active.rule.id,
    project,
    settings: project.settings,
    file,
    ...(focus ? { focus } : {}),
    report(descriptor: ReportDescriptor<string>) {
      const target = descriptor.file ?? file;
      if (!target) throw new Error(`Rule '${active.rule.id}' reported without a file`);
      const start = descriptor.node ? descriptor.node.getStart(target.sourceFile) : (descriptor.range?.start ?? 0);
      const end = descriptor.node ? descriptor.node.getEnd() : (descriptor.range?.end ?? start);
      const template = active.rule.messages[descriptor.messageId];
      if (template === undefined) throw new Error(`Rule '${active.rule.id}' has no message '${descriptor.messageId}'`);
      const data = descriptor.data ?? {};
      sink.push({
        ruleId: active.rule.id,
        messageId: descriptor.messageId,
        message: formatMessage(template, data),
        data,
        file: target.relPath,
        start,
        end,
        level: capLevel(descriptor.level, active.level),
        ...(descriptor.related && descriptor.related.length > 0 ? { related: descriptor.related } : {}),
      });
    },
  };
}

const SUPPRESSION_WORDS = ['authlint', 'eslint'];

const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/** The finding's own level when the rule lowers it, never above the configured level. */
function capLevel(own: Level | undefined, configured: Level): Level {
  return own !== undefined && LEVEL_RANK[own] < LEVEL_RANK[configured] ? own : configured;
}

function ruleError(ruleId: string, file: string | undefined, error: unknown): Notification {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    kind: 'rule-error',
    level: 'error',
    ruleId,
    ...(file ? { file } : {}),
    message: `Rule '${ruleId}' failed${file ? ` on ${file}` : ''}: ${reason}`,
  };
}

const KIND_BY_NAME = new Map<string, ts.SyntaxKind>();
for (const [name, value] of Object.entries(ts.SyntaxKind)) {
  if (typeof value === 'number' && !KIND_BY_NAME.has(name)) KIND_BY_NAME.set(name, value);
}

/**
 * The file rules that may report on each file (RuleDefinition.appliesTo): a function from a file to the rules to run
 * on it. Every file rule for every file when the project does not select.
 */
export function selectFileRules(project: AnalysisProject, rules: readonly ActiveRule[]): (file: SourceFileInfo) => ActiveRule[] {
  const fileRules = rules.filter((r) => r.rule.meta.scope === 'file');
  const applies = (active: ActiveRule, file: SourceFileInfo): boolean => {
    if (!project.selects || !active.rule.appliesTo) return true;
    try {
      return active.rule.appliesTo(file, project, active.options);
    } catch {
      // A rule whose selection fails runs on the file, where its own failure is reported.
      return true;
    }
  };
  return (file) => fileRules.filter((active) => applies(active, file));
}

/** Runs every file rule over one file in a single walk of its compiler nodes. */
export function runFileRules(project: AnalysisProject, file: SourceFileInfo, rules: readonly ActiveRule[], frame?: ReadFrame): EngineResult {
  return project.entry(() => runFileRulesIn(project, file, rules), frame);
}

function runFileRulesIn(project: AnalysisProject, file: SourceFileInfo, rules: readonly ActiveRule[]): EngineResult {
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const dispatch: Dispatch = { kinds: new Map() };
  const exits: Array<{ index: number; fn: (f: SourceFileInfo) => void }> = [];
  const failed = new Set<number>();
  rules.forEach((active, index) => {
    if (active.rule.meta.scope !== 'file') return;
    let listeners: RuleListeners;
    try {
      listeners = active.rule.create(createContext(project, active, file, findings), active.options);
    } catch (error) {
      notifications.push(ruleError(active.rule.id, file.relPath, error));
      return;
    }
    for (const [name, fn] of Object.entries(listeners)) {
      if (typeof fn !== 'function') continue;
      if (name === 'SourceFile:exit') {
        exits.push({ index, fn: fn as (f: SourceFileInfo) => void });
        continue;
      }
      const kind = KIND_BY_NAME.get(name);
      if (kind === undefined) continue;
      const list = dispatch.kinds.get(kind) ?? [];
      list.push({ index, fn: fn as (node: ts.Node) => void });
      dispatch.kinds.set(kind, list);
    }
  });
  /** Runs one rule's listener; a rule that throws is reported once and not called again for this file. */
  const call = <T>(index: number, fn: (arg: T) => void, arg: T): void => {
    if (failed.has(index)) return;
    try {
      fn(arg);
    } catch (error) {
      failed.add(index);
      notifications.push(ruleError((rules[index] as ActiveRule).rule.id, file.relPath, error));
    }
  };
  const visit = (node: ts.Node): void => {
    for (const { index, fn } of dispatch.kinds.get(node.kind) ?? []) call(index, fn, node);
  };
  const kinds = new Set(dispatch.kinds.keys());
  if (kinds.size === 0) {
    // No listener of a node kind: the tree is not needed for the walk (a rule's exit handler may still ask for it).
  } else if ([...kinds].every((kind) => INDEXED_KINDS.has(kind))) {
    // The facts read the same per-file index of these kinds: one walk of the tree serves both.
    for (const node of indexedNodesOfKinds(file.sourceFile, kinds)) visit(node);
  } else {
    walk(file.sourceFile, visit);
  }
  for (const { index, fn } of exits) call(index, fn, file);
  const kept = findings.filter((f) => !failed.has(rules.findIndex((r) => r.rule.id === f.ruleId)));
  return { findings: kept, notifications };
}

/**
 * Runs the project rules once, after every file is known. With `focus` (relative paths), only the findings in those
 * files are returned, and rules may skip work for the others (RuleContext.focus).
 */
export function runProjectRules(project: AnalysisProject, rules: readonly ActiveRule[], options: { focus?: ReadonlySet<string>; frame?: ReadFrame } = {}): EngineResult {
  return project.entry(() => runProjectRulesIn(project, rules, options), options.frame);
}

function runProjectRulesIn(project: AnalysisProject, rules: readonly ActiveRule[], options: { focus?: ReadonlySet<string> }): EngineResult {
  const findings: Finding[] = [];
  const notifications: Notification[] = [];
  const { focus } = options;
  for (const active of rules) {
    if (active.rule.meta.scope !== 'project') continue;
    const own: Finding[] = [];
    try {
      const listeners = active.rule.create(createContext(project, active, undefined, own, focus), active.options);
      listeners.project?.();
      findings.push(...(focus ? own.filter((f) => focus.has(f.file)) : own));
    } catch (error) {
      notifications.push(ruleError(active.rule.id, undefined, error));
    }
  }
  return { findings, notifications };
}

/** Suppressions, de-duplication and the deterministic order every reporter relies on. */
export function finalizeFindings(
  project: AnalysisProject,
  findings: Finding[],
  rules: readonly ActiveRule[],
): { findings: Finding[]; notifications: Notification[] } {
  const unique = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.file}\u0000${f.start}\u0000${f.end}\u0000${f.ruleId}\u0000${f.message}`;
    if (!unique.has(key)) unique.set(key, f);
  }
  const deduped = sortFindings([...unique.values()]);
  const active = new Set(rules.map((r) => r.rule.id));
  const notifications: Notification[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of deduped) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  // A directive is a comment starting `authlint-disable…` or `eslint-disable…`/`eslint-enable…`: only files with one of
  // these words can hold one.
  for (const file of project.filesMentioning(SUPPRESSION_WORDS)) {
    notifications.push(...applySuppressions(file, byFile.get(file.relPath) ?? [], active));
  }
  return { findings: deduped, notifications };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareStrings(a.file, b.file) || a.start - b.start || compareStrings(a.ruleId, b.ruleId) || a.end - b.end || compareStrings(a.message, b.message),
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
