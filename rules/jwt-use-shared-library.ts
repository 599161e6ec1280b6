import ignore from 'ignore';
import { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import { getRequireSpecifier } from '../src/facts/imports.js';
import { getJwtPackageOf } from '../src/models/jwt-packages.js';

export type Options = Record<string, never>;
export type MessageId = 'directImport';

function isUnder(specifier: string, packages: readonly string[]): boolean {
  return packages.some((pkg) => specifier === pkg || specifier.startsWith(`${pkg}/`));
}

/** Imports whose every binding is a type carry no validation code. */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

export default defineRule<Options, MessageId>({
  id: 'jwt-use-shared-library',
  meta: {
    description: 'Require token validation through the approved shared library instead of direct JWT library imports',
    category: 'jwt',
    level: 'warning',
    precision: 'very-high',
    securitySeverity: 4.0,
    cwe: [1104],
    scope: 'file',
    recommended: true,
    enabledByDefault: false,
  },
  messages: {
    directImport:
      "'{{module}}' is imported directly instead of through the approved shared library {{approved}}. Validate and issue tokens with {{approved}}.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    const file = context.file;
    const shared = context.settings.sharedLibrary;
    if (!file || !shared || shared.packages.length === 0) return {};
    if (file.isTestFile && !context.settings.reportTestFiles) return {};
    const allowed = shared.allowedPaths ?? [];
    if (allowed.length > 0 && !file.relPath.startsWith('../') && ignore().add(allowed).ignores(file.relPath)) return {};
    const approved = shared.packages.map((p) => `'${p}'`).join(' or ');

    const check = (node: ts.Node, specifier: string) => {
      if (isUnder(specifier, shared.packages)) return;
      const pkg = getJwtPackageOf(specifier);
      if (pkg) context.report({ node, messageId: 'directImport', data: { module: specifier, library: pkg, approved } });
    };

    return {
      ImportDeclaration(node) {
        const decl = node as ts.ImportDeclaration;
        if (ts.isStringLiteral(decl.moduleSpecifier) && !isTypeOnly(decl)) check(decl, decl.moduleSpecifier.text);
      },
      ExportDeclaration(node) {
        const decl = node as ts.ExportDeclaration;
        if (decl.moduleSpecifier && ts.isStringLiteral(decl.moduleSpecifier) && !isTypeOnly(decl)) check(decl, decl.moduleSpecifier.text);
      },
      ImportEqualsDeclaration(node) {
        const decl = node as ts.ImportEqualsDeclaration;
        const ref = decl.moduleReference;
        if (!decl.isTypeOnly && ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) check(decl, ref.expression.text);
      },
      CallExpression(node) {
        const specifier = getRequireSpecifier(node);
        if (specifier !== undefined) check(node, specifier);
      },
    };
  },
});
