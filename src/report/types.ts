import type { ServiceProfile } from '../core/profile.js';
import type { Finding, Level, Notification } from '../core/types.js';

/** What a reporter knows about a rule: plain data built by the CLI from the rule and its doc. */
export interface RuleDescriptor {
  id: string;
  /** PascalCase form of the id, for SARIF `name`. */
  name: string;
  /** "Require …" / "Disallow …", no final period. */
  description: string;
  /** The first paragraph of the rule doc: what goes wrong and how it is exploited. */
  fullDescription?: string;
  /** The rule doc (rules/<id>.md) as Markdown. */
  docMarkdown?: string;
  helpUri?: string;
  level: Level;
  category: string;
  precision: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity: number;
  cwe: readonly number[];
  scope: 'file' | 'project';
  /** False for rules that run only when configured (SARIF `defaultConfiguration.enabled`). */
  enabledByDefault?: boolean;
}

/** The git checkout the scan root belongs to, read from `.git` as data. */
export interface VersionControlInfo {
  /** The `origin` remote without credentials; undefined for a checkout without remotes. */
  repositoryUri?: string;
  revisionId?: string;
  branch?: string;
  /** The scan root relative to the checkout root, POSIX, '' when they are the same folder. */
  rootInRepository: string;
}

export interface RunInfo {
  toolName: string;
  toolVersion: string;
  informationUri: string;
  /** The scan root as shown to users: relative to the working directory, POSIX separators. */
  root: string;
  /** `--category`: SARIF automationDetails.id, for several uploads per repository. */
  category?: string;
  versionControl?: VersionControlInfo;
  successful: boolean;
  filesScanned: number;
  linesScanned: number;
}

export interface ReportInput {
  findings: readonly Finding[];
  notifications: readonly Notification[];
  /** Every rule authlint knows, in id order (SARIF lists them all). */
  rules: readonly RuleDescriptor[];
  /** Text of the files that findings, related locations and notifications point into, by relative path. */
  sources: ReadonlyMap<string, string>;
  run: RunInfo;
  /** Fingerprints of `findings` (same order), when the CLI computed them before narrowing the findings. */
  fingerprints?: readonly string[];
  /** The comparison with a baseline file (`scan --baseline`). */
  baseline?: BaselineComparison;
  /** The auth profile of every service in the scan (JSON report `services`). */
  services?: readonly ServiceProfile[];
}

/** `new`: not in the baseline; `unchanged`: recorded in it. Fixed baseline findings are `absent` entries. */
export type BaselineState = 'new' | 'unchanged';

/** A baseline entry that no current finding matches: the finding was fixed (or its line or file changed). */
export interface AbsentFinding {
  ruleId: string;
  level: Level;
  message: string;
  file: string;
  fingerprint: string;
}

export interface BaselineComparison {
  /** The baseline file as given on the command line. */
  file: string;
  /** One state per finding, in the order of `findings`. */
  states: readonly BaselineState[];
  absent: readonly AbsentFinding[];
}

export const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };
