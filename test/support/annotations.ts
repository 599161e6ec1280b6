import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type { Finding } from '../../src/core/types.js';

export type AnnotationKind = 'expect' | 'ok' | 'known-missing' | 'known-spurious';

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  file: string;
  /** 1-based line of the comment. */
  line: number;
}

const ANNOTATION = /(?:\/\/|\/\*|\{\/\*)\s*(expect|ok|known-missing|known-spurious):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

/** Reads `// expect: rule-id`, `// ok: rule-id`, `// known-missing: rule-id`, `// known-spurious: rule-id` comments. */
export function readAnnotations(root: string): Annotation[] {
  const files = fg.sync('**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', { cwd: root, dot: true, ignore: ['**/node_modules/**'] }).sort();
  const annotations: Annotation[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(ANNOTATION)) {
        for (const ruleId of (match[2] ?? '').split(',').map((r) => r.trim())) {
          annotations.push({ kind: match[1] as AnnotationKind, ruleId, file, line: index + 1 });
        }
      }
    });
  }
  return annotations;
}

export interface FindingLine {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

/**
 * Compares findings with annotations: every `expect`/`known-spurious` line must be reported,
 * nothing else may be reported for the checked rules, and `known-missing`/`ok` lines must stay quiet.
 */
export function compareWithAnnotations(annotations: Annotation[], findings: FindingLine[], checkedRules: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const key = (a: { ruleId: string; file: string; line: number }) => `${a.file}:${a.line} ${a.ruleId}`;
  const reported = new Map<string, FindingLine>();
  for (const f of findings) if (checkedRules.has(f.ruleId)) reported.set(key(f), f);
  const annotated = new Map<string, Annotation>();
  for (const a of annotations) annotated.set(key(a), a);
  for (const a of annotations) {
    const hit = reported.has(key(a));
    if ((a.kind === 'expect' || a.kind === 'known-spurious') && !hit) problems.push(`missing: ${key(a)} (annotated ${a.kind})`);
    if ((a.kind === 'ok' || a.kind === 'known-missing') && hit) {
      problems.push(`unexpected: ${key(a)} (annotated ${a.kind}): ${reported.get(key(a))?.message}`);
    }
  }
  for (const [k, f] of reported) {
    if (!annotated.has(k)) problems.push(`unexpected: ${k}: ${f.message}`);
  }
  return problems.sort();
}

export function toFindingLines(findings: readonly Finding[], lineOf: (f: Finding) => number): FindingLine[] {
  return findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: lineOf(f), message: f.message }));
}
