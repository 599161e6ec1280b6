import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../rules/index.js';
import { describeRules } from '../src/cli/rule-info.js';
import { formatRulesTable } from '../src/report/rules-table.js';

const README = path.resolve(import.meta.dirname, '../README.md');
const START = '<!-- rules-table:start -->';
const END = '<!-- rules-table:end -->';

describe('README', () => {
  it('lists every rule in its generated table (UPDATE_README=1 rewrites it)', () => {
    const text = fs.readFileSync(README, 'utf8');
    const expected = `${START}\n${formatRulesTable(describeRules(ALL_RULES, '0.0.0'))}\n${END}`;
    const current = text.slice(text.indexOf(START), text.indexOf(END) + END.length);
    if (process.env['UPDATE_README'] === '1' && current !== expected) fs.writeFileSync(README, text.replace(current, expected));
    else expect(current).toBe(expected);
  });

  it('opens with the two fresh-machine commands', () => {
    const text = fs.readFileSync(README, 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    expect(block).toContain('npm ci && npm run sample');
    expect(block).toContain('npm ci && npm test');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['sample']).toContain('fixtures/sample-service');
  });
});
