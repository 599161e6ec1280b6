import { Ajv } from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/index.js';
import { formatSchema, withGeneratedRules } from '../../src/core/config-schema.js';
import { ConfigError, parseConfigText, resolveRules } from '../../src/core/config.js';

const SCHEMA_FILE = path.join(import.meta.dirname, '..', '..', 'schema', 'authlint.config.schema.json');
const schemaText = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(schemaText) as Record<string, unknown>;

/** What the CLI does with a config file's text: undefined when accepted, else the problem. */
function checkWithCli(text: string): string | undefined {
  try {
    resolveRules(parseConfigText(text, 'authlint.config.json'), ALL_RULES, 'authlint.config.json');
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

describe('schema/authlint.config.schema.json', () => {
  it('compiles in Ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('lists every rule with its options, as generated from the rule definitions (node scripts/gen-config-schema.mjs)', () => {
    expect(schemaText).toBe(formatSchema(withGeneratedRules(schema, ALL_RULES)));
    const rules = (schema['properties'] as Record<string, { properties: Record<string, unknown> }>)['rules']!;
    expect(Object.keys(rules.properties)).toEqual(ALL_RULES.map((r) => r.id));
  });

  it.each([
    ['a level', '{ "rules": { "jwt-no-none-algorithm": "error" } }', undefined],
    ['"warn" for "warning"', '{ "rules": { "jwt-no-none-algorithm": "warn" } }', undefined],
    ['[level]', '{ "rules": { "route-require-authorization": ["warn"] } }', undefined],
    ['[level, options]', '{ "rules": { "jwt-require-claim-checks": ["error", { "maxClockToleranceSeconds": 60 }] } }', undefined],
    ['an unknown rule id', '{ "rules": { "jwt-no-none-algoritm": "error" } }', "'rules.jwt-no-none-algoritm' is not a known rule; did you mean 'jwt-no-none-algorithm'?"],
    ['an ESLint-style rule id', '{ "rules": { "authlint/jwt-no-none-algorithm": "off" } }', "'rules.authlint/jwt-no-none-algorithm' is not a known rule; did you mean 'jwt-no-none-algorithm'?"],
    ['an unknown option', '{ "rules": { "jwt-require-claim-checks": ["error", { "maxClockTolerance": 60 }] } }', "'rules.jwt-require-claim-checks[1].maxClockTolerance' is not a known setting; did you mean 'maxClockToleranceSeconds'?"],
    ['an option of the wrong type', '{ "rules": { "jwt-require-claim-checks": ["error", { "maxClockToleranceSeconds": "60" }] } }', "'rules.jwt-require-claim-checks[1].maxClockToleranceSeconds' must be number"],
    ['options on a rule without any', '{ "rules": { "jwt-no-none-algorithm": ["error", { "strict": true }] } }', "'rules.jwt-no-none-algorithm[1].strict' is not a known setting"],
    ['a misspelt level', '{ "rules": { "jwt-no-none-algorithm": "eror" } }', `'rules.jwt-no-none-algorithm' must be one of "off", "note", "warning", "warn", "error"; did you mean "error"?`],
    ['three array items', '{ "rules": { "jwt-no-none-algorithm": ["error", {}, {}] } }', 'rules.jwt-no-none-algorithm'],
    ['an unknown top-level key', '{ "exlude": ["dist/**"] }', "'exlude' is not a known setting; did you mean 'exclude'?"],
  ])('the schema and the CLI agree on %s', (_name, text, problem) => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
    expect(validate(JSON.parse(text))).toBe(problem === undefined);
    if (problem === undefined) expect(checkWithCli(text)).toBeUndefined();
    else expect(checkWithCli(text)).toContain(problem);
  });
});
