import { ts } from '@ts-morph/common';
import { defineFileFact, defineTextTest, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { findAll, indexedNodes } from '../../core/walk.js';
import { IMPORTS, isBindingAt, resolveExport, type ResolvedSymbol } from '../imports.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from '../scope.js';

/**
 * How a name a file writes is bound there: to an import (its module, export name, and the properties read after it),
 * or to something declared in the file that may stand for anything (`local`). Whether an import reaches a Nest export
 * is decided when the project is linked, through the repository's modules (`mayNameExport`).
 */
export type NestRef = { kind: 'import'; module: string; imported: string; path: string[] } | { kind: 'local' };

/**
 * What a file may add to the Nest application model (nestjs.ts), read from its own tree as plain data, so that the
 * CLI's extraction threads compute it while they parse the file and the Nest extraction parses only the files that
 * may declare a module, a controller, an APP_GUARD provider, app-level settings or a module decorator factory.
 * Each part is a superset of what the extraction's own walk of the tree acts on.
 */
export interface NestFileSummary {
  /** `x.setGlobalPrefix(p)`, `x.enableVersioning()`, `x.forRoutes()`, `x.useGlobalGuards()`, and `app.use()`/`app.listen()` in a file naming NestFactory. */
  appCalls: boolean;
  /** Receivers of `x.register(arg)`: `RouterModule.register([...])`. */
  registers: NestRef[];
  /** Values of `provide:` properties: `{ provide: APP_GUARD, useClass }`. */
  provides: NestRef[];
  /** Callees of the decorators of top-level classes; `options` when the first argument is an object literal (module metadata). */
  classDecorators: Array<{ callee: NestRef; options: boolean }>;
  /** Exported top-level functions of a file that writes `Module(`, with the callees of their calls (a factory applying `Module`). */
  factories: Array<{ name: string; callees: NestRef[] }>;
}

/** Files that import from a Nest package (or mention one): the only ones whose own classes and calls are read. */
export const isNestFile = defineTextTest('nest-file', (file: SourceFileInfo): boolean => file.text.includes('@nestjs/'));

/** A file that may call `Module(...)`, so may export a function applying it. */
export const mayCallModule = defineTextTest('nest-module-call', (file: SourceFileInfo): boolean => file.text.includes('@nestjs/') && /\bModule\s*\(/.test(file.text));

export function getDecorators(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

export function decoratorCallee(decorator: ts.Decorator): { callee: ts.Expression; args: readonly ts.Expression[] } {
  const expr = skipOuterExpressions(decorator.expression);
  if (ts.isCallExpression(expr)) return { callee: expr.expression, args: expr.arguments };
  return { callee: expr, args: [] };
}

export function getFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) return node;
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const init = skipOuterExpressions(node.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** Exported top-level functions: declarations and variables initialised with a function. */
export function getExportedFunctions(sourceFile: ts.SourceFile): Array<{ name: string; fn: ts.FunctionLikeDeclaration }> {
  const found: Array<{ name: string; fn: ts.FunctionLikeDeclaration }> = [];
  for (const statement of sourceFile.statements) {
    const exported = ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) found.push({ name: statement.name.text, fn: statement });
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const fn = getFunction(decl);
        if (fn && ts.isIdentifier(decl.name)) found.push({ name: decl.name.text, fn });
      }
    }
  }
  return found;
}

const APP_CALLS = new Set(['setGlobalPrefix', 'enableVersioning', 'forRoutes', 'useGlobalGuards']);
const APP_INSTANCE_CALLS = new Set(['use', 'listen']);

/**
 * The binding of an expression's root name, as `resolveOrigin` would start from it; undefined when the expression can
 * never be a package export (a literal, a call's result, a global or undeclared name).
 */
function refOf(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression): NestRef | undefined {
  const path: string[] = [];
  let expr = skipOuterExpressions(input);
  for (;;) {
    if (ts.isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
    else if (ts.isPropertyAccessExpression(expr) && expr.expression.kind !== ts.SyntaxKind.ThisKeyword) {
      path.unshift(expr.name.text);
      expr = skipOuterExpressions(expr.expression);
    } else if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) {
      path.unshift(expr.argumentExpression.text);
      expr = skipOuterExpressions(expr.expression);
    } else break;
  }
  if (ts.isIdentifier(expr)) {
    const binding = project.fileFact(IMPORTS, file).get(expr.text);
    const decl = findDeclaration(expr, expr.text);
    if (!binding) return decl ? { kind: 'local' } : undefined;
    return !decl || isBindingAt(binding, decl) ? { kind: 'import', module: binding.module, imported: binding.imported, path } : { kind: 'local' };
  }
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require' && expr.arguments[0] && ts.isStringLiteralLike(expr.arguments[0])) {
    return { kind: 'import', module: expr.arguments[0].text, imported: '*', path };
  }
  if (ts.isCallExpression(expr) && expr.expression.kind === ts.SyntaxKind.ImportKeyword) return { kind: 'local' };
  if (ts.isCallExpression(expr) || ts.isNewExpression(expr) || ts.isLiteralExpression(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return undefined;
  if (ts.isTemplateExpression(expr) || ts.isObjectLiteralExpression(expr) || ts.isArrayLiteralExpression(expr)) return undefined;
  return { kind: 'local' };
}

/** Adds a reference once, in the order the file first writes it. */
function addRef<T>(list: T[], seen: Set<string>, item: T | undefined): void {
  if (item === undefined) return;
  const key = JSON.stringify(item);
  if (seen.has(key)) return;
  seen.add(key);
  list.push(item);
}

function computeSummary(file: SourceFileInfo, project: AnalysisProject): NestFileSummary {
  const summary: NestFileSummary = { appCalls: false, registers: [], provides: [], classDecorators: [], factories: [] };
  const sourceFile = file.sourceFile;
  const decorators = new Set<string>();
  for (const cls of sourceFile.statements.filter(ts.isClassDeclaration)) {
    for (const decorator of getDecorators(cls)) {
      const { callee, args } = decoratorCallee(decorator);
      const ref = refOf(project, file, callee);
      const options = args[0] !== undefined && ts.isObjectLiteralExpression(skipOuterExpressions(args[0]));
      addRef(summary.classDecorators, decorators, ref && { callee: ref, options });
    }
  }
  if (!isNestFile(file)) return summary;
  const namesNestFactory = file.text.includes('NestFactory');
  const registers = new Set<string>();
  for (const call of indexedNodes(sourceFile, ts.isCallExpression)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const name = callee.name.text;
    if (APP_CALLS.has(name) && (name !== 'setGlobalPrefix' || call.arguments[0])) summary.appCalls = true;
    else if (APP_INSTANCE_CALLS.has(name) && namesNestFactory && ts.isIdentifier(skipOuterExpressions(callee.expression))) summary.appCalls = true;
    else if (name === 'register' && call.arguments[0]) addRef(summary.registers, registers, refOf(project, file, callee.expression));
  }
  const provides = new Set<string>();
  for (const literal of findAll(sourceFile, ts.isObjectLiteralExpression)) {
    for (const p of literal.properties) {
      if (ts.isPropertyAssignment(p) && getPropertyName(p.name) === 'provide') addRef(summary.provides, provides, refOf(project, file, p.initializer));
    }
  }
  if (!mayCallModule(file)) return summary;
  for (const { name, fn } of getExportedFunctions(sourceFile)) {
    if (!fn.body) continue;
    const callees: NestRef[] = [];
    const seen = new Set<string>();
    for (const call of findAll(fn.body, ts.isCallExpression)) addRef(callees, seen, refOf(project, file, call.expression));
    if (callees.length > 0) summary.factories.push({ name, callees });
  }
  return summary;
}

/** See `NestFileSummary`; portable (plain data), so the extraction threads compute it. */
export const NEST_FILE_SUMMARY = defineFileFact('nest-file-summary', computeSummary, { portable: true });

function namesOnly(path: readonly string[], name: string): boolean {
  const start = path[0] === 'default' || path[0] === '*' ? 1 : 0;
  return path.length === start + 1 && path[start] === name;
}

type RefTarget = { kind: 'external'; module: string; path: string[] } | { kind: 'class' | 'function' | 'other' } | { kind: 'none' };

/**
 * Where an import leads, through the repository's own modules and re-exports (a superset of `resolveOrigin`): a
 * package export, a class or function the repository declares, something else declared there (which may alias
 * anything), or nothing.
 */
function resolveRef(project: AnalysisProject, file: SourceFileInfo, ref: NestRef): RefTarget {
  if (ref.kind === 'local') return { kind: 'other' };
  const target = project.resolveImport(file, ref.module);
  if (!target) return { kind: 'external', module: ref.module, path: [ref.imported, ...ref.path] };
  if (ref.imported === '*') return { kind: 'other' };
  const resolved = resolveExport(project, target, ref.imported);
  if (resolved.kind === 'external') return { kind: 'external', module: resolved.module, path: [...resolved.path, ...ref.path] };
  if (resolved.kind === 'unknown') return { kind: 'none' };
  const kind = resolved.kind === 'declaration' ? getDefinitionKind(resolved) : 'other';
  // A member of a class or function (`Base.decorate`) is no package export and no function declared on its own.
  return kind === 'other' ? { kind } : ref.path.length === 0 ? { kind } : { kind: 'none' };
}

/** Whether a repository declaration is a class, a function, or something that may alias anything. */
function getDefinitionKind(resolved: Extract<ResolvedSymbol, { kind: 'declaration' }>): 'class' | 'function' | 'other' {
  if (resolved.at.kind === ts.SyntaxKind.ClassDeclaration) return 'class';
  if (resolved.at.kind === ts.SyntaxKind.FunctionDeclaration) return 'function';
  // `export const Public = () => SetMetadata(…)`: only the declaring file's tree tells whether it is a function.
  if (resolved.at.kind === ts.SyntaxKind.VariableDeclaration && getFunction(resolved.node)) return 'function';
  return 'other';
}

/** Whether a reference may stand for the export `name` of the package `module` (what `getNestExport` answers). */
export function mayNameExport(project: AnalysisProject, file: SourceFileInfo, ref: NestRef, module: string, name: string): boolean {
  const target = resolveRef(project, file, ref);
  return target.kind === 'other' || (target.kind === 'external' && target.module === module && namesOnly(target.path, name));
}

/** Whether a reference may stand for a function the repository declares (a decorator factory applying `Module`). */
export function mayNameFunction(project: AnalysisProject, file: SourceFileInfo, ref: NestRef): boolean {
  const target = resolveRef(project, file, ref);
  return target.kind === 'other' || target.kind === 'function';
}

/**
 * Whether some reference passes `test`, asking first about the ones bound to packages (no file is read for them) and
 * only then about imports from the repository, whose resolution reads its barrels.
 */
export function someRef(project: AnalysisProject, file: SourceFileInfo, refs: readonly NestRef[], test: (ref: NestRef) => boolean): boolean {
  const repository: NestRef[] = [];
  for (const ref of refs) {
    if (ref.kind === 'import' && project.resolveImport(file, ref.module)) repository.push(ref);
    else if (test(ref)) return true;
  }
  return repository.some(test);
}
