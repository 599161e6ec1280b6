import type { RuleDescriptor } from './types.js';

/** The README's rule table: id (linked to its doc), default level, CWE, scope, description. */
export function formatRulesTable(rules: readonly RuleDescriptor[], docBase = 'rules'): string {
  const rows = rules.map((rule) => {
    const cwe = rule.cwe.map((n) => `CWE-${n}`).join(', ') || '—';
    return `| [\`${rule.id}\`](${docBase}/${rule.id}.md) | ${rule.level} | ${cwe} | ${rule.scope} | ${rule.description} |`;
  });
  return ['| rule | default level | CWE | scope | what it flags |', '|---|---|---|---|---|', ...rows].join('\n');
}
