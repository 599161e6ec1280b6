import type { AnyRule } from './rule.js';

export const LEVEL_REF = { $ref: '#/definitions/level' };

/** A rule setting: a level, `[level]`, or `[level, options]` whose options follow `options`. */
export function getRuleSettingSchema(options: Record<string, unknown>): Record<string, unknown> {
  return {
    anyOf: [
      LEVEL_REF,
      { type: 'array', items: [LEVEL_REF], minItems: 1, additionalItems: false },
      { type: 'array', items: [LEVEL_REF, options], minItems: 2, additionalItems: false },
    ],
  };
}

function describeDefault(rule: AnyRule): string {
  return rule.meta.enabledByDefault === false ? 'off unless configured' : `default ${rule.meta.level}`;
}

/**
 * The `rules` property of the published configuration schema, generated from the rule definitions so
 * that editors complete rule ids and option names and reject unknown ones, as the CLI does.
 */
export function getRulesSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    type: 'object',
    description: 'Rule levels and options by rule id: "off" | "note" | "warning" (or "warn") | "error", or [level, options].',
    properties: Object.fromEntries(
      sorted.map((rule) => [rule.id, { description: `${rule.meta.description} (${describeDefault(rule)}).`, ...getRuleSettingSchema(rule.schema) }]),
    ),
    additionalProperties: false,
  };
}

/** The published schema with its `rules` property regenerated from `rules`. */
export function withGeneratedRules(schema: Record<string, unknown>, rules: readonly AnyRule[]): Record<string, unknown> {
  const properties = schema['properties'] as Record<string, unknown>;
  return { ...schema, properties: { ...properties, rules: getRulesSchema(rules) } };
}

/** The published schema with `rules` open to any rule id: the rule set is checked by resolveRules, which also knows custom rules. */
export function withOpenRules(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema['properties'] as Record<string, unknown>;
  const rules = properties['rules'] as Record<string, unknown>;
  return {
    ...schema,
    properties: { ...properties, rules: { type: 'object', description: rules['description'], additionalProperties: getRuleSettingSchema({ type: 'object' }) } },
  };
}

export function formatSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
