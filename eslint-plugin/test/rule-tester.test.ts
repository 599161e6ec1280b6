import fs from 'node:fs';
import path from 'node:path';
import * as espree from 'espree';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import type { RuleCase } from '../../test/support/rule-cases.js';
import { loadCaseTables, makeTempDir, writeCaseRepository } from './support/case-files.js';
import { sourcePlugin } from './support/source-plugin.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

type Options = [Record<string, unknown>?];

const tables = await loadCaseTables();
const tempRoot = makeTempDir('authlint-rule-tester-');
afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

/** .js/.mjs/.cjs go through ESLint's default parser, everything else through @typescript-eslint/parser. */
function toEslintCase(c: RuleCase): ValidTestCase<Options> {
  const { root, filename } = writeCaseRepository(tempRoot, c);
  const ext = path.extname(filename);
  const plainJs = ['.js', '.mjs', '.cjs'].includes(ext);
  return {
    name: c.name,
    code: c.code,
    filename,
    ...(c.options ? { options: [c.options] } : {}),
    settings: { authlint: { root } },
    ...(plainJs
      ? {
          languageOptions: {
            parser: espree,
            parserOptions: { ecmaFeatures: { jsx: true } },
          },
        }
      : {}),
  };
}

const ruleTester = new RuleTester();

describe('authlint case tables through ESLint', () => {
  it('has case tables', () => {
    if (tables.length === 0) throw new Error('no test/rules/*.cases.ts found');
  });
  for (const { ruleId, cases } of tables) {
    const rule = sourcePlugin.rules[ruleId];
    if (!rule) continue;
    // @typescript-eslint/rule-tester pins its own copy of @typescript-eslint/utils: same shapes, different type identities.
    ruleTester.run(ruleId, rule as unknown as Parameters<RuleTester['run']>[1], {
      valid: cases.valid.map(toEslintCase),
      invalid: cases.invalid.map(
        (c): InvalidTestCase<string, Options> => ({
          ...toEslintCase(c),
          errors: c.errors.map(({ messageId, line, column }) => ({ messageId, line, column })),
        }),
      ),
    });
  }
});
