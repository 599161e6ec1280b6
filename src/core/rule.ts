import type { ts } from '@ts-morph/common';
import type { Level, ProjectSettings, Range, RelatedLocation } from './types.js';
import type { AnalysisProject, SourceFileInfo } from './project.js';

export type JsonSchema = Record<string, unknown>;

export interface RuleMeta {
  /** "Require …" / "Disallow …", no final period. */
  description: string;
  category: 'jwt' | 'route' | 'authorization' | 'service' | 'architecture';
  level: Level;
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** CVSS-like score 0.0–10.0 used by GitHub code scanning. */
  securitySeverity: number;
  cwe: number[];
  scope: 'file' | 'project';
  recommended: boolean;
  /** A rule that needs configuration to make sense can be off unless enabled. */
  enabledByDefault?: boolean;
}

export interface ReportDescriptor<MessageId extends string> {
  node?: ts.Node;
  range?: Range;
  /** Absolute path; defaults to the file being analysed. Project rules always set it. */
  file?: SourceFileInfo;
  messageId: MessageId;
  data?: Record<string, string | number>;
  related?: RelatedLocation[];
  /** A lower level for this finding than the rule's (evidence-ranked rules); the configured level stays the ceiling. */
  level?: Level;
}

export interface RuleContext<MessageId extends string> {
  readonly ruleId: string;
  readonly project: AnalysisProject;
  readonly settings: ProjectSettings;
  /** The file being analysed; undefined inside a project rule's `project` hook. */
  readonly file: SourceFileInfo | undefined;
  /**
   * Project rules: when set (the editor linting one file), only findings in these files (relative paths) are wanted,
   * so a rule may skip work whose findings could only land in other files. Findings elsewhere are dropped anyway.
   */
  readonly focus?: ReadonlySet<string>;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

type KindListeners = {
  [K in keyof typeof import('@ts-morph/common').ts.SyntaxKind]?: (node: ts.Node) => void;
};

export interface RuleListeners extends KindListeners {
  /** Called once per file after the walk. */
  'SourceFile:exit'?: (file: SourceFileInfo) => void;
  /** Project rules: called once after every file has been walked. */
  project?: () => void;
}

export interface RuleDefinition<Options = unknown, MessageId extends string = string> {
  id: string;
  meta: RuleMeta;
  messages: Record<MessageId, string>;
  /** JSON schema of the options object. */
  schema: JsonSchema;
  defaultOptions: Options;
  /**
   * File rules: whether this rule's per-file pass may report on the file, asked of each file before the rule runs on
   * it (every file when absent). The engine runs the rule on no other file, so a file nothing asks for is never parsed.
   * It must be sound: a file left out must be one where `create` and the listeners would report nothing. A test of
   * one file, so that what a file's rules are depends on that file alone (the scan cache reuses a file's findings when
   * its reads are unchanged).
   */
  appliesTo?(file: SourceFileInfo, project: AnalysisProject, options: Options): boolean;
  create(context: RuleContext<MessageId>, options: Options): RuleListeners;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a rule table holds rules of every options type
export type AnyRule = RuleDefinition<any, string>;

export function defineRule<Options, MessageId extends string>(
  rule: RuleDefinition<Options, MessageId>,
): RuleDefinition<Options, MessageId> {
  return rule;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : whole,
  );
}
