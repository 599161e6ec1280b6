import { ts } from '@ts-morph/common';
import { defineRule, type AnyRule } from '../../../src/index.js';

/**
 * Two small rules that exercise the adapter independently of which real rules have landed: a file rule with
 * options, and a project rule whose finding in one file depends on the text of another file.
 */
export const flagCall = defineRule<{ names: string[] }, 'call'>({
  id: 'test-flag-call',
  meta: {
    description: 'Disallow calls to the configured functions',
    category: 'jwt',
    level: 'error',
    precision: 'high',
    securitySeverity: 5,
    cwe: [287],
    scope: 'file',
    recommended: true,
  },
  messages: { call: "Call to '{{name}}' is not allowed." },
  schema: {
    type: 'object',
    properties: { names: { type: 'array', items: { type: 'string' }, description: 'Function names to flag.' } },
    additionalProperties: false,
  },
  defaultOptions: { names: ['dangerous'] },
  create(context, options) {
    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        if (ts.isIdentifier(call.expression) && options.names.includes(call.expression.text)) {
          context.report({ node: call, messageId: 'call', data: { name: call.expression.text } });
        }
      },
    };
  },
});

export const flagVar = defineRule<Record<string, never>, 'variable'>({
  id: 'test-flag-var',
  meta: {
    description: 'Disallow var declarations',
    category: 'jwt',
    level: 'warning',
    precision: 'high',
    securitySeverity: 1,
    cwe: [1],
    scope: 'file',
    recommended: false,
  },
  messages: { variable: 'A var declaration.' },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      VariableDeclarationList(node) {
        if (!(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) context.report({ node, messageId: 'variable' });
      },
    };
  },
});

export const insecureImport = defineRule<Record<string, never>, 'insecureImport'>({
  id: 'test-insecure-import',
  meta: {
    description: 'Disallow importing modules marked INSECURE',
    category: 'route',
    level: 'error',
    precision: 'high',
    securitySeverity: 7,
    cwe: [306],
    scope: 'project',
    recommended: true,
  },
  messages: { insecureImport: "'{{module}}' is marked INSECURE." },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        for (const file of context.project.files()) {
          for (const statement of file.sourceFile.statements) {
            if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
            const target = context.project.resolveImport(file, statement.moduleSpecifier.text);
            if (target?.text.includes('INSECURE')) {
              context.report({ node: statement.moduleSpecifier, file, messageId: 'insecureImport', data: { module: statement.moduleSpecifier.text } });
            }
          }
        }
      },
    };
  },
});

export const SYNTHETIC_RULES: AnyRule[] = [flagCall, flagVar, insecureImport];
