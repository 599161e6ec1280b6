import { PROFILE_VERSION, type ServiceProfile } from '../core/profile.js';
import type { Finding, Level, Notification, NotificationKind } from '../core/types.js';
import { getFingerprints } from './fingerprint.js';
import { SourceIndex, type Region } from './positions.js';
import { countBaselineStates, countFindings } from './summary.js';
import type { BaselineState, ReportInput } from './types.js';

/** Version of the JSON report shape (docs/json-format.md); bumped on any incompatible change. */
export const JSON_REPORT_VERSION = 1;

export interface JsonRelatedLocation extends Region {
  file: string;
  message: string;
}

export interface JsonFinding extends Region {
  ruleId: string;
  level: Level;
  message: string;
  file: string;
  related: JsonRelatedLocation[];
  fingerprint: string;
  /** Present when the run compared against a baseline (`scan --baseline`). */
  baselineState?: BaselineState;
  suppressed?: { kind: 'inSource'; justification?: string };
}

export interface JsonNotification {
  kind: NotificationKind;
  level: Level;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  ruleId?: string;
  /** `routes-not-judged`: how many routes. */
  count?: number;
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  root: string;
  repository?: { uri: string; revision?: string; branch?: string; root: string };
  findings: JsonFinding[];
  /** Baseline findings no current finding matches (fixed, or their line or file changed); only with `--baseline`. */
  absent?: Array<{ ruleId: string; level: Level; message: string; file: string; fingerprint: string }>;
  notifications: JsonNotification[];
  summary: {
    files: number;
    lines: number;
    findings: number;
    errors: number;
    warnings: number;
    notes: number;
    suppressed: number;
    notifications: number;
    successful: boolean;
    /** Only with `--baseline`: active findings not in the baseline, in it, and baseline entries gone. */
    baseline?: { new: number; unchanged: number; absent: number };
  };
  /** Version of the `services` shape (added within report version 1). */
  profileVersion?: typeof PROFILE_VERSION;
  services?: ServiceProfile[];
}

export function buildJsonReport(input: ReportInput): JsonReport {
  const index = new SourceIndex(input.sources);
  const fingerprints = getFingerprints(input, index);
  const states = input.baseline?.states;
  const counts = countFindings(input.findings);
  const vcs = input.run.versionControl;
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: input.run.toolName, version: input.run.toolVersion },
    root: input.run.root,
    ...(vcs?.repositoryUri
      ? {
          repository: {
            uri: vcs.repositoryUri,
            ...(vcs.revisionId ? { revision: vcs.revisionId } : {}),
            ...(vcs.branch ? { branch: vcs.branch } : {}),
            root: vcs.rootInRepository,
          },
        }
      : {}),
    findings: input.findings.map((finding, i) => toJsonFinding(finding, fingerprints[i] as string, index, states?.[i])),
    ...(input.baseline ? { absent: input.baseline.absent.map((a) => ({ ...a })) } : {}),
    notifications: input.notifications.map((n) => toJsonNotification(n, index)),
    summary: {
      files: input.run.filesScanned,
      lines: input.run.linesScanned,
      findings: counts.total,
      errors: counts.error,
      warnings: counts.warning,
      notes: counts.note,
      suppressed: counts.suppressed,
      notifications: input.notifications.length,
      successful: input.run.successful,
      ...(states ? { baseline: countBaselineStates(input) } : {}),
    },
    ...(input.services ? { profileVersion: PROFILE_VERSION, services: [...input.services] } : {}),
  };
}

function toJsonFinding(finding: Finding, fingerprint: string, index: SourceIndex, baselineState: BaselineState | undefined): JsonFinding {
  return {
    ruleId: finding.ruleId,
    level: finding.level,
    message: finding.message,
    file: finding.file,
    ...index.region(finding.file, finding.start, finding.end),
    related: (finding.related ?? []).map((r) => ({ file: r.file, ...index.region(r.file, r.start, r.end), message: r.message })),
    fingerprint,
    ...(baselineState ? { baselineState } : {}),
    ...(finding.suppression
      ? {
          suppressed: {
            kind: finding.suppression.kind,
            ...(finding.suppression.justification ? { justification: finding.suppression.justification } : {}),
          },
        }
      : {}),
  };
}

function toJsonNotification(notification: Notification, index: SourceIndex): JsonNotification {
  const position =
    notification.file !== undefined && notification.start !== undefined
      ? index.get(notification.file)?.position(notification.start)
      : undefined;
  return {
    kind: notification.kind,
    level: notification.level,
    message: notification.message,
    ...(notification.file !== undefined ? { file: notification.file } : {}),
    ...(position ? { line: position.line, column: position.column } : {}),
    ...(notification.ruleId !== undefined ? { ruleId: notification.ruleId } : {}),
    ...(notification.count !== undefined ? { count: notification.count } : {}),
  };
}

/** The JSON report: one object, two-space indented, newline-terminated. */
export function formatJson(input: ReportInput): string {
  return `${JSON.stringify(buildJsonReport(input), null, 2)}\n`;
}
