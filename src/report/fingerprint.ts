import { createHash } from 'node:crypto';
import type { Finding } from '../core/types.js';
import type { SourceIndex } from './positions.js';

/** Version of the fingerprint recipe; part of the SARIF partialFingerprints key. */
export const FINGERPRINT_KEY = 'authlint/v1';

function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/**
 * Stable identities for findings: a hash of the rule, the file, the whitespace-normalised text of the
 * line a finding starts on and its occurrence index among identical (rule, file, line text) triples.
 * Inserting unrelated lines above a finding changes its line number but not its fingerprint.
 * `findings` must be in the reporters' sorted order.
 */
export function computeFingerprints(findings: readonly Finding[], index: SourceIndex): string[] {
  const occurrences = new Map<string, number>();
  return findings.map((finding) => {
    const lines = index.get(finding.file);
    const lineText = lines ? normalizeLine(lines.lineText(lines.position(finding.start).line)) : `@${finding.start}`;
    const key = `${finding.ruleId}\u0000${finding.file}\u0000${lineText}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** The fingerprints the CLI computed before narrowing the findings, or fresh ones. */
export function getFingerprints(input: { findings: readonly Finding[]; fingerprints?: readonly string[] }, index: SourceIndex): readonly string[] {
  return input.fingerprints ?? computeFingerprints(input.findings, index);
}
