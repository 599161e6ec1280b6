import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RuleCase, RuleCases } from '../../../test/support/rule-cases.js';

export const RULE_TESTS_DIR = path.resolve(import.meta.dirname, '../../../test/rules');

/** Every shared case table, by rule id: test/rules/<id>.cases.ts. */
export async function loadCaseTables(): Promise<Array<{ ruleId: string; cases: RuleCases }>> {
  const tables: Array<{ ruleId: string; cases: RuleCases }> = [];
  for (const name of fs.readdirSync(RULE_TESTS_DIR).filter((f) => f.endsWith('.cases.ts')).sort()) {
    const mod = (await import(path.join(RULE_TESTS_DIR, name))) as { cases: RuleCases };
    tables.push({ ruleId: name.slice(0, -'.cases.ts'.length), cases: mod.cases });
  }
  return tables;
}

/**
 * Writes a case's mini repository to disk the way the engine tests build it in memory (package.json,
 * the `files`, the `project` settings as authlint.config.json); the linted file itself stays off disk,
 * so the adapter has to use ESLint's text for it.
 */
export function writeCaseRepository(parent: string, c: RuleCase): { root: string; filename: string } {
  const root = fs.mkdtempSync(path.join(parent, 'case-'));
  const write = (rel: string, text: string) => {
    const target = path.join(root, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  };
  write('package.json', '{"name":"case"}');
  if (c.settings) write('authlint.config.json', JSON.stringify({ project: c.settings }));
  for (const [rel, text] of Object.entries(c.files ?? {})) write(rel, text);
  return { root, filename: path.join(root, c.filename ?? 'src/index.ts') };
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
