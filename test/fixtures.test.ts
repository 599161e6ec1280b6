import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';
import { ALL_RULES } from '../rules/index.js';
import { compareWithAnnotations, readAnnotations } from './support/annotations.js';
import { lineOfOffset } from './support/lines.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const RULE_IDS = new Set(ALL_RULES.map((r) => r.id));

function scenarios(): Array<{ ruleId: string; name: string; dir: string }> {
  const list: Array<{ ruleId: string; name: string; dir: string }> = [];
  for (const ruleId of fs.readdirSync(FIXTURES).sort()) {
    if (!RULE_IDS.has(ruleId)) continue;
    for (const name of fs.readdirSync(path.join(FIXTURES, ruleId)).sort()) {
      const dir = path.join(FIXTURES, ruleId, name);
      if (fs.statSync(dir).isDirectory()) list.push({ ruleId, name, dir });
    }
  }
  return list;
}

describe('annotated fixture services', () => {
  const all = scenarios();
  it('has fixtures', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  it.each(all)('$ruleId / $name', ({ ruleId, dir }) => {
    const annotations = readAnnotations(dir);
    const checked = new Set([ruleId, ...annotations.map((a) => a.ruleId)]);
    for (const id of checked) expect(RULE_IDS, `annotation names unknown rule '${id}'`).toContain(id);
    const result = scan({ paths: [dir], root: dir });
    const lines = result.findings
      .filter((f) => !f.suppression)
      .map((f) => ({ ruleId: f.ruleId, file: f.file, line: lineOfOffset(path.join(dir, f.file), f.start), message: f.message }));
    expect(compareWithAnnotations(annotations, lines, checked)).toEqual([]);
    expect(result.notifications.filter((n) => n.kind === 'rule-error')).toEqual([]);
  });
});
