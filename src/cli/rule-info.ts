import fs from 'node:fs';
import path from 'node:path';
import { getPackageRoot } from '../core/package-root.js';
import type { AnyRule } from '../core/rule.js';
import { didYouMean } from '../core/suggest.js';
import type { RuleDescriptor } from '../report/types.js';
import { UsageError } from './formats.js';

export const INFORMATION_URI = 'https://github.com/authlint/authlint';

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The paragraph right after the `# <id>` heading of a rule doc. */
export function getFirstParagraph(markdown: string): string | undefined {
  const body = markdown.replace(/^\s*#[^\n]*\n/, '');
  const paragraph = body.trim().split(/\n\s*\n/)[0];
  if (!paragraph || paragraph.startsWith('#')) return undefined;
  return paragraph.replace(/\s*\n\s*/g, ' ').trim();
}

function readDoc(id: string): string | undefined {
  try {
    return fs.readFileSync(path.join(getPackageRoot(), 'rules', `${id}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

/** Rule metadata as plain data for the reporters, with each rule's doc (rules/<id>.md) when it has one. */
export function describeRules(rules: readonly AnyRule[], version: string): RuleDescriptor[] {
  return [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rule) => {
      const doc = readDoc(rule.id);
      const fullDescription = doc ? getFirstParagraph(doc) : undefined;
      return {
        id: rule.id,
        name: pascalCase(rule.id),
        description: rule.meta.description,
        ...(fullDescription ? { fullDescription } : {}),
        ...(doc ? { docMarkdown: doc } : {}),
        helpUri: `${INFORMATION_URI}/blob/v${version}/rules/${rule.id}.md`,
        level: rule.meta.level,
        category: rule.meta.category,
        precision: rule.meta.precision,
        securitySeverity: rule.meta.securitySeverity,
        cwe: rule.meta.cwe,
        scope: rule.meta.scope,
        ...(rule.meta.enabledByDefault === false ? { enabledByDefault: false } : {}),
      };
    });
}

/** The documentation of one rule (`authlint rules <id>`): its doc file, else a summary of its metadata. */
export function formatRuleDoc(rules: readonly AnyRule[], id: string): string {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new UsageError(`unknown rule '${id}'${didYouMean(id, rules.map((r) => r.id))} (authlint rules lists them)`);
  const doc = readDoc(rule.id);
  const header = [
    `${rule.id}: ${rule.meta.description}`,
    `level ${rule.meta.enabledByDefault === false ? `${rule.meta.level} (off unless configured)` : rule.meta.level}, ${rule.meta.scope} rule, precision ${rule.meta.precision}${rule.meta.cwe.length > 0 ? `, ${rule.meta.cwe.map((n) => `CWE-${n}`).join(', ')}` : ''}`,
  ].join('\n');
  return doc ? `${header}\n\n${doc.endsWith('\n') ? doc : `${doc}\n`}` : `${header}\n`;
}
