import type * as Sarif from 'sarif';
import type { Finding, Notification, RelatedLocation } from '../core/types.js';
import { FINGERPRINT_KEY, getFingerprints } from './fingerprint.js';
import { SourceIndex } from './positions.js';
import type { AbsentFinding, BaselineState, ReportInput, RuleDescriptor } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0 for GitHub code scanning and other dashboards; byte-identical for the same input. */
export function formatSarif(input: ReportInput): string {
  return `${JSON.stringify(buildSarifLog(input), null, 2)}\n`;
}

export function buildSarifLog(input: ReportInput): Sarif.Log {
  const index = new SourceIndex(input.sources);
  const ruleIndex = new Map(input.rules.map((rule, i) => [rule.id, i]));
  const fingerprints = getFingerprints(input, index);
  const vcs = input.run.versionControl;
  // GitHub code scanning resolves URIs against the repository root, so inside a git checkout
  // %SRCROOT% is the checkout root and paths carry the scan root's place in it.
  const context: LocationContext = { index, prefix: vcs?.rootInRepository ? `${vcs.rootInRepository}/` : '' };

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: input.run.toolName,
        semanticVersion: input.run.toolVersion,
        version: input.run.toolVersion,
        informationUri: input.run.informationUri,
        rules: input.rules.map(toReportingDescriptor),
      },
    },
    ...(input.run.category ? { automationDetails: { id: automationId(input.run.category) } } : {}),
    ...(vcs?.repositoryUri
      ? {
          versionControlProvenance: [
            {
              repositoryUri: vcs.repositoryUri,
              ...(vcs.revisionId ? { revisionId: vcs.revisionId } : {}),
              ...(vcs.branch ? { branch: vcs.branch } : {}),
              mappedTo: { uriBaseId: SRCROOT },
            },
          ],
        }
      : {}),
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: vcs ? 'The root of the git checkout that contains the scanned folder.' : 'The folder authlint scanned.' } },
    },
    invocations: [
      {
        executionSuccessful: input.run.successful,
        toolExecutionNotifications: input.notifications.map((n) => toNotification(n, context, ruleIndex)),
      },
    ],
    results: [
      ...input.findings.map((finding, i) => toResult(finding, fingerprints[i] as string, context, ruleIndex, input.baseline?.states[i])),
      ...(input.baseline?.absent ?? []).map((absent) => toAbsentResult(absent, context, ruleIndex)),
    ],
    columnKind: 'utf16CodeUnits',
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

interface LocationContext {
  index: SourceIndex;
  /** Prepended to scan-root-relative paths: the scan root inside the checkout, with a final slash, or ''. */
  prefix: string;
}

function automationId(category: string): string {
  return category.endsWith('/') ? category : `${category}/`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function toReportingDescriptor(rule: RuleDescriptor): Sarif.ReportingDescriptor {
  const markdown = rule.docMarkdown ?? `# ${rule.id}\n\n${sentence(rule.description)}\n`;
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: sentence(rule.description) },
    fullDescription: { text: sentence(rule.fullDescription ?? rule.description) },
    help: { text: markdownToText(markdown), markdown },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.level, ...(rule.enabledByDefault === false ? { enabled: false } : {}) },
    properties: {
      tags: ['security', rule.category, ...rule.cwe.map((n) => `external/cwe/cwe-${n}`)],
      precision: rule.precision,
      'security-severity': rule.securitySeverity.toFixed(1),
      'problem.severity': rule.level === 'note' ? 'recommendation' : rule.level,
    },
  };
}

/** A plain-text rendering of a rule doc: headings and emphasis markers removed, code kept. */
function markdownToText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^```/.test(line))
    .map((line) => line.replace(/^#{1,6}\s+/, '').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)').replace(/\*\*([^*]+)\*\*/g, '$1'))
    .join('\n')
    .trim();
}

function encodePath(relPath: string): string {
  return relPath
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function artifactLocation(file: string, context: LocationContext): Sarif.ArtifactLocation {
  // A fetched document (a JWKS URL) is named by its absolute URI, not by a path under the scan root.
  if (/^https?:\/\//i.test(file)) return { uri: file };
  return { uri: encodePath(context.prefix + file), uriBaseId: SRCROOT };
}

function physicalLocation(file: string, start: number, end: number, context: LocationContext): Sarif.PhysicalLocation {
  const region = context.index.region(file, start, end);
  return {
    artifactLocation: artifactLocation(file, context),
    region: {
      startLine: region.line,
      startColumn: region.column,
      endLine: region.endLine,
      endColumn: region.endColumn,
      charOffset: start,
      charLength: Math.max(0, end - start),
    },
  };
}

function toRelated(related: RelatedLocation, id: number, context: LocationContext): Sarif.Location {
  return { id, physicalLocation: physicalLocation(related.file, related.start, related.end, context), message: { text: sentence(related.message) } };
}

function toResult(
  finding: Finding,
  fingerprint: string,
  context: LocationContext,
  ruleIndex: ReadonlyMap<string, number>,
  baselineState: BaselineState | undefined,
): Sarif.Result {
  const position = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(position !== undefined ? { ruleIndex: position } : {}),
    level: finding.level,
    message: { text: sentence(finding.message) },
    locations: [{ physicalLocation: physicalLocation(finding.file, finding.start, finding.end, context) }],
    ...(finding.related && finding.related.length > 0
      ? { relatedLocations: finding.related.map((r, i) => toRelated(r, i + 1, context)) }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(baselineState ? { baselineState } : {}),
    ...(finding.suppression
      ? {
          suppressions: [
            {
              kind: 'inSource',
              ...(finding.suppression.justification ? { justification: finding.suppression.justification } : {}),
              location: {
                physicalLocation: physicalLocation(finding.file, finding.suppression.start, finding.suppression.end, context),
              },
            },
          ],
        }
      : {}),
  };
}

/** The baseline records no line (lines move), so a fixed finding points at its whole file; at offset 0 when the file is gone. */
function wholeFileRegion(file: string, context: LocationContext): Sarif.Region {
  const lines = context.index.get(file);
  if (!lines) return { charOffset: 0, charLength: 0 };
  const last = lines.lineCount;
  return { startLine: 1, startColumn: 1, endLine: last, endColumn: lines.lineText(last).length + 1 };
}

/** A baseline finding that is gone: kept in the log as a passing result so dashboards can show it was fixed. */
function toAbsentResult(absent: AbsentFinding, context: LocationContext, ruleIndex: ReadonlyMap<string, number>): Sarif.Result {
  const position = ruleIndex.get(absent.ruleId);
  return {
    ruleId: absent.ruleId,
    ...(position !== undefined ? { ruleIndex: position } : {}),
    kind: 'pass',
    level: 'none',
    message: { text: sentence(absent.message) },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(absent.file, context), region: wholeFileRegion(absent.file, context) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: absent.fingerprint },
    baselineState: 'absent',
  };
}

function toNotification(n: Notification, context: LocationContext, ruleIndex: ReadonlyMap<string, number>): Sarif.Notification {
  const rulePosition = n.ruleId !== undefined ? ruleIndex.get(n.ruleId) : undefined;
  let location: Sarif.Location | undefined;
  if (n.file !== undefined) {
    location =
      n.start !== undefined
        ? { physicalLocation: physicalLocation(n.file, n.start, n.end ?? n.start, context) }
        : { physicalLocation: { artifactLocation: artifactLocation(n.file, context) } };
  }
  return {
    level: n.level,
    message: { text: sentence(n.message) },
    descriptor: { id: n.kind },
    ...(n.ruleId !== undefined ? { associatedRule: { id: n.ruleId, ...(rulePosition !== undefined ? { index: rulePosition } : {}) } } : {}),
    ...(location ? { locations: [location] } : {}),
  };
}
