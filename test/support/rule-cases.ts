import { expect, it } from 'vitest';
import path from 'node:path';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { finalizeFindings, runFileRules, runProjectRules, type ActiveRule } from '../../src/core/engine.js';
import { mergeOptions } from '../../src/core/config.js';
import type { AnyRule } from '../../src/core/rule.js';
import type { Level, ProjectSettings } from '../../src/core/types.js';

/** One literal case: `code` is the linted file; `files` are other files of the same mini repository. */
export interface RuleCase {
  name: string;
  code: string;
  /** Path of the linted file inside the mini repository; default `src/index.ts`. */
  filename?: string;
  files?: Record<string, string>;
  options?: Record<string, unknown>;
  /** The `project` section of authlint.config.json. */
  settings?: ProjectSettings;
}

export interface InvalidRuleCase extends RuleCase {
  errors: Array<{ messageId: string; line: number; column: number; data?: Record<string, string | number>; level?: Level }>;
}

/** Shared by the engine tests and the ESLint plugin's RuleTester tests. */
export interface RuleCases {
  valid: RuleCase[];
  invalid: InvalidRuleCase[];
}

export const CASE_ROOT = '/repo';

export function buildCaseProject(c: RuleCase): { project: AnalysisProject; file: string } {
  const filename = path.posix.join(CASE_ROOT, c.filename ?? 'src/index.ts');
  const files: Record<string, string> = { [path.posix.join(CASE_ROOT, 'package.json')]: '{"name":"case"}' };
  for (const [p, text] of Object.entries(c.files ?? {})) files[path.posix.join(CASE_ROOT, p)] = text;
  files[filename] = c.code;
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject(CASE_ROOT, c.settings ?? {}, source);
  for (const p of Object.keys(files)) if (/\.[cm]?[jt]sx?$/.test(p)) project.addFile(p, files[p] as string);
  return { project, file: filename };
}

/** Runs one rule over a case the way `authlint scan` would, returning 1-based positions of the linted file. */
export function runCase(rule: AnyRule, c: RuleCase) {
  const { project, file } = buildCaseProject(c);
  const active: ActiveRule[] = [{ rule, level: rule.meta.level, options: mergeOptions(rule.defaultOptions, c.options) }];
  const findings = [];
  const notifications = [];
  for (const info of project.files()) {
    const r = runFileRules(project, info, active);
    findings.push(...r.findings);
    notifications.push(...r.notifications);
  }
  const p = runProjectRules(project, active);
  findings.push(...p.findings, ...[]);
  notifications.push(...p.notifications);
  // The editor runs project rules for the linted file alone (a focus), and a rule may skip work for other files: each
  // file's findings must be what the whole run gives for it.
  for (const info of project.files()) {
    const focused = runProjectRules(project, active, { focus: new Set([info.relPath]) });
    expect(focused.findings, `project findings with the focus on ${info.relPath}`).toEqual(p.findings.filter((f) => f.file === info.relPath));
  }
  const final = finalizeFindings(project, findings, active);
  const target = project.getFile(file);
  if (!target) throw new Error('case file missing');
  const own = final.findings.filter((f) => f.file === target.relPath && !f.suppression);
  return {
    notifications,
    errors: own.map((f) => {
      const { line, character } = target.sourceFile.getLineAndCharacterOfPosition(f.start);
      return { messageId: f.messageId, line: line + 1, column: character + 1, message: f.message, data: f.data, level: f.level };
    }),
  };
}

/** Registers one vitest case per table entry. */
export function testRuleCases(rule: AnyRule, cases: RuleCases): void {
  it.each(cases.valid)('valid: $name', (c) => {
    const result = runCase(rule, c);
    expect(result.notifications).toEqual([]);
    expect(result.errors).toEqual([]);
  });
  it.each(cases.invalid)('invalid: $name', (c) => {
    const result = runCase(rule, c);
    expect(result.notifications).toEqual([]);
    expect(result.errors.map(({ messageId, line, column }) => ({ messageId, line, column }))).toEqual(
      c.errors.map(({ messageId, line, column }) => ({ messageId, line, column })),
    );
    for (const [i, e] of c.errors.entries()) {
      if (e.data) expect(result.errors[i]?.data).toMatchObject(e.data);
      if (e.level) expect(result.errors[i]?.level).toBe(e.level);
    }
  });
}
