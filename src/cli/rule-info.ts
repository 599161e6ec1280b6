import fs from 'node:fs';
import path from 'node:path';
import { getPackageRoot } from '../core/package-root.js';
import type { AnyRule } from '../core/rule.js';
import type { RuleDescriptor } from '../report/types.js';

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
