import { ts } from '@ts-morph/common';
import { defineRule, type AnyRule } from '../../src/core/rule.js';

/** Flags every call of `trustBlindly(…)`: a stand-in for a real rule in CLI tests. */
export const NO_BLIND_TRUST = defineRule<Record<string, never>, 'blind'>({
  id: 'test-no-blind-trust',
  meta: {
    description: 'Disallow calls of trustBlindly',
    category: 'jwt',
    level: 'error',
    precision: 'high',
    securitySeverity: 7.0,
    cwe: [287],
    scope: 'file',
    recommended: true,
  },
  messages: { blind: "The call '{{name}}()' trusts its input without verification." },
  schema: { type: 'object', additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        if (ts.isIdentifier(call.expression) && call.expression.text === 'trustBlindly') {
          context.report({ node: call, messageId: 'blind', data: { name: call.expression.text } });
        }
      },
    };
  },
});

/** Reports `maybeTrust(…)` as a warning. */
export const PREFER_VERIFY = defineRule<Record<string, never>, 'maybe'>({
  id: 'test-prefer-verify',
  meta: { ...NO_BLIND_TRUST.meta, description: 'Require verification before maybeTrust', level: 'warning', cwe: [345] },
  messages: { maybe: "The call 'maybeTrust()' may trust unverified input." },
  schema: { type: 'object', additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        if (ts.isIdentifier(call.expression) && call.expression.text === 'maybeTrust') context.report({ node: call, messageId: 'maybe' });
      },
    };
  },
});

/** Throws on any file that mentions `explode`. */
export const THROWS_ON_EXPLODE = defineRule<Record<string, never>, 'never'>({
  id: 'test-throws-on-explode',
  meta: { ...NO_BLIND_TRUST.meta, description: 'Disallow nothing; crash on explode', cwe: [703] },
  messages: { never: 'Never reported.' },
  schema: { type: 'object', additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      Identifier(node) {
        if ((node as ts.Identifier).text === 'explode') throw new Error(`cannot handle ${context.file?.relPath ?? 'a file'}`);
      },
    };
  },
});

export const TEST_RULES: readonly AnyRule[] = [NO_BLIND_TRUST, PREFER_VERIFY, THROWS_ON_EXPLODE];
