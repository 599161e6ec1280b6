import { ts } from '@ts-morph/common';
import { computeFileIndex } from '../core/file-index.js';
import { getNodeAt, isNodeAt, toNodeRef, type NodeRef } from '../core/node-ref.js';
import { defineFileFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { isRecording, RecordingMap, recordOwn } from '../core/reads.js';

/**
 * A local name bound to something a module exports. `imported` is an export name, 'default' or '*'; `at` is the
 * binding's node (import clause, specifier, namespace import, `import x = require`, the require's declaration or
 * binding element).
 */
export interface ImportBinding {
  local: string;
  module: string;
  imported: string;
  at: NodeRef;
}

/** Whether `node` is the node of an import binding (by position: the binding holds no tree node). */
export function isBindingAt(binding: ImportBinding | undefined, node: ts.Node): boolean {
  return binding !== undefined && isNodeAt(node, binding.at);
}

export type ExportTarget =
  | { kind: 'local'; name: string; at: NodeRef }
  | { kind: 'expression'; at: NodeRef }
  | { kind: 'reexport'; module: string; imported: string; at: NodeRef };

export interface ModuleExports {
  named: Map<string, ExportTarget>;
  /** `export * from '…'` targets. */
  stars: Array<{ module: string; at: NodeRef }>;
  /**
   * The first top-level variable, function or class declaration of each name a `local` target exports (what
   * resolveExport follows such a name to when no import binds it).
   */
  declarations: Map<string, NodeRef>;
  /**
   * Calls that hand the module's exports object to a function of another module which adds members to it
   * (`const middleware = module.exports; require('./user')(middleware)`): the required module, or the local name the
   * callee is imported under, and the position of the exports object among the arguments.
   */
  mixins: Array<{ module?: string; local?: string; index: number }>;
  /**
   * Members the module's own CommonJS or default export, a function, adds to one of its parameters in straight-line
   * statements of its body (`module.exports = function (middleware) { middleware.ensureLoggedIn = … }`).
   */
  parameterMembers: Array<{ index: number; name: string; at: NodeRef }>;
}

/**
 * A word every file importing or requiring `specifier` contains (the specifier's string is in the file, so its words are
 * in the file's index): its longest word. `filesMentioning(specifiers.map(getSpecifierWord))` holds every such file.
 */
export function getSpecifierWord(specifier: string): string {
  return computeFileIndex(specifier).words.reduce((best, word) => (word.length > best.length ? word : best), '');
}

/** The scanned files that may import or require one of `specifiers` (a superset: files mentioning their words). */
export function filesMayImport(project: AnalysisProject, specifiers: Iterable<string>): readonly SourceFileInfo[] {
  return project.filesMentioning([...new Set([...specifiers].map(getSpecifierWord))]);
}

const reexportsAll = new WeakMap<SourceFileInfo, boolean>();

/** Whether a file's text may hold `export * from` or `export * as x from` (a superset, read without a parse; memoised). */
export function mayReexportAll(file: SourceFileInfo): boolean {
  let found = reexportsAll.get(file);
  if (found === undefined) {
    found = findExportStar(file.text);
    reexportsAll.set(file, found);
  }
  return found;
}

function findExportStar(text: string): boolean {
  for (let at = text.indexOf('export'); at !== -1; at = text.indexOf('export', at + 6)) {
    let i = at + 6;
    // Blanks and comments may stand between `export` and `*`.
    for (;;) {
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text.startsWith('/*', i)) {
        const close = text.indexOf('*/', i + 2);
        if (close === -1) return true;
        i = close + 2;
      } else if (text.startsWith('//', i)) {
        const close = text.indexOf('\n', i + 2);
        if (close === -1) break;
        i = close + 1;
      } else {
        break;
      }
    }
    if (text[i] === '*') return true;
  }
  return false;
}

/** Whether a module specifier names a package rather than a repository file (relative, tsconfig `paths` or `baseUrl`). */
export function isPackageImport(project: AnalysisProject, from: SourceFileInfo, module: string): boolean {
  return !module.startsWith('.') && !module.startsWith('/') && project.resolveImport(from, module) === undefined;
}

export function getRequireSpecifier(node: ts.Node | undefined): string | undefined {
  let expr = node;
  while (expr && (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr))) expr = expr.expression;
  if (!expr || !ts.isCallExpression(expr)) return undefined;
  const [arg] = expr.arguments;
  if (!arg || !ts.isStringLiteralLike(arg)) return undefined;
  if (ts.isIdentifier(expr.expression) && expr.expression.text === 'require') return arg.text;
  if (expr.expression.kind === ts.SyntaxKind.ImportKeyword) return arg.text;
  return undefined;
}

function bindingName(name: ts.PropertyName | ts.ModuleExportName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function addRequireBindings(decl: ts.VariableDeclaration, bindings: Map<string, ImportBinding>): void {
  let init = decl.initializer;
  const members: string[] = [];
  while (init && ts.isPropertyAccessExpression(init)) {
    members.unshift(init.name.text);
    init = init.expression;
  }
  const module = getRequireSpecifier(init);
  if (module === undefined) return;
  if (ts.isIdentifier(decl.name)) {
    const imported = members.length === 0 ? '*' : (members[0] as string);
    if (members.length <= 1) bindings.set(decl.name.text, { local: decl.name.text, module, imported, at: toNodeRef(decl) });
    return;
  }
  if (ts.isObjectBindingPattern(decl.name) && members.length === 0) {
    for (const element of decl.name.elements) {
      if (!ts.isIdentifier(element.name)) continue;
      const imported = element.propertyName ? bindingName(element.propertyName) : element.name.text;
      if (imported) bindings.set(element.name.text, { local: element.name.text, module, imported, at: toNodeRef(element) });
    }
  }
}

/** Import declarations and `require` calls of a file, by local name (plain data: portable). */
export const IMPORTS = defineFileFact('imports', (file: SourceFileInfo): Map<string, ImportBinding> => {
  const bindings = new Map<string, ImportBinding>();
  const visit = (statements: ts.NodeArray<ts.Statement>, depth: number): void => {
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const module = statement.moduleSpecifier.text;
        const clause = statement.importClause;
        if (!clause) continue;
        if (clause.name) bindings.set(clause.name.text, { local: clause.name.text, module, imported: 'default', at: toNodeRef(clause) });
        const named = clause.namedBindings;
        if (named && ts.isNamespaceImport(named)) {
          bindings.set(named.name.text, { local: named.name.text, module, imported: '*', at: toNodeRef(named) });
        } else if (named) {
          for (const element of named.elements) {
            const imported = element.propertyName ? bindingName(element.propertyName) : element.name.text;
            if (imported) bindings.set(element.name.text, { local: element.name.text, module, imported, at: toNodeRef(element) });
          }
        }
      } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
        const ref = statement.moduleReference.expression;
        if (ts.isStringLiteral(ref)) bindings.set(statement.name.text, { local: statement.name.text, module: ref.text, imported: '*', at: toNodeRef(statement) });
      } else if (ts.isVariableStatement(statement)) {
        for (const decl of statement.declarationList.declarations) addRequireBindings(decl, bindings);
      } else if (depth < 2 && (ts.isFunctionDeclaration(statement) || ts.isExpressionStatement(statement)) ) {
        const body = ts.isFunctionDeclaration(statement) ? statement.body : undefined;
        if (body) visit(body.statements, depth + 1);
      }
    }
  };
  visit(file.sourceFile.statements, 0);
  return bindings;
}, { portable: true });

function isModuleExports(expr: ts.Expression): boolean {
  return (
    ts.isPropertyAccessExpression(expr) &&
    ts.isIdentifier(expr.expression) &&
    expr.expression.text === 'module' &&
    expr.name.text === 'exports'
  );
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** What a repository module exports, ES and CommonJS forms (plain data: portable). */
export const EXPORTS = defineFileFact('exports', (file: SourceFileInfo): ModuleExports => {
  const named = new Map<string, ExportTarget>();
  const stars: ModuleExports['stars'] = [];
  const mixins: ModuleExports['mixins'] = [];
  const functions = new Map<string, ts.FunctionLikeDeclaration>();
  let own: ts.Node | undefined;
  // `const helpers = module.exports;` then `helpers.tryRoute = …`: members of the alias are exports.
  const aliases = new Set<string>();
  for (const statement of file.sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.initializer && isModuleExports(decl.initializer)) aliases.add(decl.name.text);
        const init = decl.initializer && skipParentheses(decl.initializer);
        if (ts.isIdentifier(decl.name) && init && (ts.isFunctionExpression(init) || ts.isArrowFunction(init))) functions.set(decl.name.text, init);
      }
    }
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) functions.set(statement.name.text, statement);
    const isExportsObject = (expr: ts.Expression): boolean => {
      const inner = skipParentheses(expr);
      return isModuleExports(inner) || (ts.isIdentifier(inner) && (inner.text === 'exports' || aliases.has(inner.text)));
    };
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (module) stars.push({ module, at: toNodeRef(statement) });
      } else if (ts.isNamespaceExport(clause)) {
        if (module) named.set(clause.name.text, { kind: 'reexport', module, imported: '*', at: toNodeRef(clause) });
      } else {
        for (const element of clause.elements) {
          const exported = bindingName(element.name);
          const source = element.propertyName ? bindingName(element.propertyName) : exported;
          if (!exported || !source) continue;
          named.set(exported, module ? { kind: 'reexport', module, imported: source, at: toNodeRef(element) } : { kind: 'local', name: source, at: toNodeRef(element) });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      named.set(statement.isExportEquals ? '*' : 'default', { kind: 'expression', at: toNodeRef(statement.expression) });
      own = statement.expression;
    } else if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name)) named.set(decl.name.text, { kind: 'local', name: decl.name.text, at: toNodeRef(decl) });
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && hasExportModifier(statement)) {
      const key = hasDefaultModifier(statement) ? 'default' : statement.name?.text;
      if (key) named.set(key, { kind: 'local', name: statement.name?.text ?? key, at: toNodeRef(statement) });
      if (key === 'default') own = statement;
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      if (isModuleExports(left)) {
        named.set('*', { kind: 'expression', at: toNodeRef(right) });
        own = right;
        // `module.exports = { buildHeader, check: … }`: each member is an export of its own name too.
        const object = skipParentheses(right);
        if (ts.isObjectLiteralExpression(object)) addObjectMembers(object, named);
      } else if (ts.isPropertyAccessExpression(left)) {
        if (isExportsObject(left.expression)) named.set(left.name.text, { kind: 'expression', at: toNodeRef(right) });
      }
    } else if (ts.isExpressionStatement(statement) && ts.isCallExpression(skipParentheses(statement.expression))) {
      addExportsCall(skipParentheses(statement.expression) as ts.CallExpression, isExportsObject, functions, named, stars, mixins);
    }
  }
  const ownExpression = own && ts.isExpression(own) ? skipParentheses(own) : undefined;
  const parameterMembers = getParameterMembers(ownExpression && ts.isIdentifier(ownExpression) ? functions.get(ownExpression.text) : own);
  return { named, stars, declarations: findDeclarations(file.sourceFile, named), mixins, parameterMembers };
}, { portable: true });

function skipParentheses(expr: ts.Expression): ts.Expression {
  let inner = expr;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
  return inner;
}

/**
 * A top-level call given the module's exports object: `Object.assign(exports, { admin: require('./admin'),
 * ...require('./header') })` adds the object's members (a spread `require` passes every export of that module on), and
 * `require('./user')(middleware)` or `addUser(middleware)` lets the function add its own (a function of this file's
 * adds them here; one imported is followed when a name is resolved).
 */
function addExportsCall(
  call: ts.CallExpression,
  isExportsObject: (expr: ts.Expression) => boolean,
  functions: ReadonlyMap<string, ts.FunctionLikeDeclaration>,
  named: Map<string, ExportTarget>,
  stars: ModuleExports['stars'],
  mixins: ModuleExports['mixins'],
): void {
  const callee = skipParentheses(call.expression);
  const [first] = call.arguments;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign') {
    if (!first || !isExportsObject(first)) return;
    for (const source of call.arguments.slice(1)) {
      const object = skipParentheses(source);
      if (!ts.isObjectLiteralExpression(object)) continue;
      addObjectMembers(object, named);
      for (const property of object.properties) {
        const module = ts.isSpreadAssignment(property) ? getRequireSpecifier(property.expression) : undefined;
        if (module !== undefined) stars.push({ module, at: toNodeRef(property) });
      }
    }
    return;
  }
  const index = call.arguments.findIndex((arg) => isExportsObject(arg));
  if (index < 0) return;
  const module = getRequireSpecifier(callee);
  if (module !== undefined) {
    mixins.push({ module, index });
    return;
  }
  if (!ts.isIdentifier(callee)) return;
  const local = functions.get(callee.text);
  if (local) {
    for (const member of getParameterMembers(local)) if (member.index === index) named.set(member.name, { kind: 'expression', at: member.at });
    return;
  }
  mixins.push({ local: callee.text, index });
}

/** The named members of an object literal the module exports: property values and shorthand names, by position. */
function addObjectMembers(object: ts.ObjectLiteralExpression, named: Map<string, ExportTarget>): void {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = bindingName(property.name);
      if (name !== undefined) named.set(name, { kind: 'expression', at: toNodeRef(property.initializer) });
    } else if (ts.isShorthandPropertyAssignment(property)) {
      named.set(property.name.text, { kind: 'expression', at: toNodeRef(property.name) });
    }
  }
}

/** The members a function adds to its parameters in the top-level statements of its body: `p.name = value`. */
function getParameterMembers(fn: ts.Node | undefined): ModuleExports['parameterMembers'] {
  const found: ModuleExports['parameterMembers'] = [];
  const inner = fn && ts.isExpression(fn) ? skipParentheses(fn) : fn;
  if (!inner || !(ts.isFunctionDeclaration(inner) || ts.isFunctionExpression(inner) || ts.isArrowFunction(inner)) || !inner.body || !ts.isBlock(inner.body)) return found;
  const parameters = new Map<string, number>();
  inner.parameters.forEach((parameter, index) => {
    if (ts.isIdentifier(parameter.name)) parameters.set(parameter.name.text, index);
  });
  for (const statement of inner.body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, right, operatorToken } = statement.expression;
    if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression)) continue;
    const index = parameters.get(left.expression.text);
    if (index !== undefined) found.push({ index, name: left.name.text, at: toNodeRef(right) });
  }
  return found;
}

/**
 * The names a module exports and its `export *` specifiers, in order, as one string (a yes/no or a string is compared
 * by value when the file changes: see AnalysisProject.inheritAnswers): what resolveExportIn needs of a file that does
 * not export the name it looks for.
 */
const EXPORT_KEYS = defineFileFact(
  'export-keys',
  (file: SourceFileInfo, project: AnalysisProject): string => {
    const exports = project.fileFact(EXPORTS, file);
    return `${[...exports.named.keys()].join('\u0000')}\u0001${exports.stars.map((star) => star.module).join('\u0000')}\u0001${exports.mixins.length > 0 ? 'mixins' : ''}`;
  },
  { local: true },
);

/** EXPORT_KEYS read back, by file version. */
const PARSED_KEYS = new WeakMap<SourceFileInfo, { names: Set<string>; stars: string[]; mixins: boolean }>();

function getExportKeys(project: AnalysisProject, file: SourceFileInfo): { names: Set<string>; stars: string[]; mixins: boolean } {
  const text = project.fileFact(EXPORT_KEYS, file);
  let parsed = PARSED_KEYS.get(file);
  if (!parsed) {
    const [names = '', stars = '', mixins = ''] = text.split('\u0001');
    parsed = { names: new Set(names === '' ? [] : names.split('\u0000')), stars: stars === '' ? [] : stars.split('\u0000'), mixins: mixins !== '' };
    PARSED_KEYS.set(file, parsed);
  }
  return parsed;
}

/** The first top-level declaration of each name a `local` export target names (see ModuleExports.declarations). */
function findDeclarations(sourceFile: ts.SourceFile, named: ReadonlyMap<string, ExportTarget>): Map<string, NodeRef> {
  const wanted = new Set<string>();
  for (const target of named.values()) if (target.kind === 'local') wanted.add(target.name);
  const declarations = new Map<string, NodeRef>();
  const add = (name: string, node: ts.Node): void => {
    if (wanted.has(name) && !declarations.has(name)) declarations.set(name, toNodeRef(node));
  };
  if (wanted.size === 0) return declarations;
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name)) add(decl.name.text, decl);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      add(statement.name.text, statement);
    }
  }
  return declarations;
}

/**
 * What a name stands for. A declaration or expression in a repository file is given by position (`at`); its `node` is
 * found in the file's tree when first read, so resolving a name through barrels parses none of them, and only a caller
 * that reads `node` parses the declaring file. A namespace (`import * as m`, `require('./m')`) is the module's
 * SourceFile (`at.kind` is SyntaxKind.SourceFile).
 */
export type ResolvedSymbol =
  | { kind: 'external'; module: string; path: string[] }
  | { kind: 'declaration'; file: SourceFileInfo; at: NodeRef; readonly node: ts.Node }
  | { kind: 'expression'; file: SourceFileInfo; at: NodeRef; readonly node: ts.Expression }
  | { kind: 'unknown' };

function resolvedAt(kind: 'declaration' | 'expression', file: SourceFileInfo, at: NodeRef): ResolvedSymbol {
  let node: ts.Node | undefined;
  const get = (): ts.Node => (node ??= at.kind === ts.SyntaxKind.SourceFile ? file.sourceFile : getNodeAt(file, at));
  return kind === 'declaration'
    ? { kind, file, at, get node() { return get(); } }
    : { kind, file, at, get node() { return get() as ts.Expression; } };
}

/** Follows an export of a repository module (re-exports, `export *`, CommonJS) to where it is defined. Memoised like resolveImportedName. */
const MAX_EXPORT_VISITS = 4096;

export function resolveExport(project: AnalysisProject, file: SourceFileInfo, name: string): ResolvedSymbol {
  const byName = memoFor(project, file, 'exports');
  const resolved =
    byName.get(name) ??
    recordOwn(() => {
      const found = resolveExportIn(project, file, name, newVisits());
      byName.set(name, found);
      return found;
    });
  return copyOf(resolved);
}

/** The (file, name) pairs one resolution has visited, by file path, and how many: no key string per visit. */
interface Visits {
  byPath: Map<string, Set<string>>;
  size: number;
}

function newVisits(): Visits {
  return { byPath: new Map(), size: 0 };
}

function resolveExportIn(project: AnalysisProject, file: SourceFileInfo, name: string, seen: Visits): ResolvedSymbol {
  // A bound on the files visited, not on the depth: a large barrel (`export * from './lib/core'` before
  // `export * from './lib/shared'`) must be searched to its end for a name exported late.
  let names = seen.byPath.get(file.path);
  if (names?.has(name) || seen.size > MAX_EXPORT_VISITS) return { kind: 'unknown' };
  if (!names) seen.byPath.set(file.path, (names = new Set()));
  names.add(name);
  seen.size++;
  // While reads are recorded (the editor), a file that does not export the name is passed through by its export names
  // and `export *` specifiers alone (EXPORT_KEYS, which an edit inside a declaration leaves as it was), so a resolution
  // through a barrel depends on where the exports of the files it passes sit only for the file that exports the name.
  // The answer is the same either way; the CLI records nothing and reads the exports directly.
  const keys = isRecording() || project.records ? getExportKeys(project, file) : undefined;
  if (keys && !keys.names.has(name) && !keys.names.has('*') && !keys.mixins) {
    for (const module of keys.stars) {
      const resolved = resolveModuleMember(project, file, module, name, seen);
      if (resolved.kind !== 'unknown') return resolved;
    }
    return { kind: 'unknown' };
  }
  const exports = project.fileFact(EXPORTS, file);
  const target = exports.named.get(name) ?? (name === 'default' ? exports.named.get('*') : undefined);
  if (target) {
    if (target.kind === 'expression') return resolvedAt('expression', file, target.at);
    if (target.kind === 'local') return resolveLocalName(project, file, exports, target.name, target.at, seen);
    return resolveModuleMember(project, file, target.module, target.imported, seen);
  }
  const mixed = name === '*' ? undefined : resolveMixinMember(project, file, exports.mixins, name);
  if (mixed) return mixed;
  const cjs = exports.named.get('*');
  if (cjs && name !== '*') return resolvedAt('expression', file, cjs.at);
  for (const star of exports.stars) {
    const resolved = resolveModuleMember(project, file, star.module, name, seen);
    if (resolved.kind !== 'unknown') return resolved;
  }
  return { kind: 'unknown' };
}

/** A member a function of another module adds to this module's exports object (ModuleExports.mixins); the last call wins. */
function resolveMixinMember(project: AnalysisProject, file: SourceFileInfo, mixins: ModuleExports['mixins'], name: string): ResolvedSymbol | undefined {
  for (let i = mixins.length - 1; i >= 0; i--) {
    const mixin = mixins[i] as ModuleExports['mixins'][number];
    const binding = mixin.local !== undefined ? project.fileFact(IMPORTS, file).get(mixin.local) : undefined;
    if (binding && binding.imported !== '*' && binding.imported !== 'default') continue;
    const module = mixin.module ?? binding?.module;
    const target = module !== undefined ? project.resolveImport(file, module) : undefined;
    if (!target) continue;
    const members = project.fileFact(EXPORTS, target).parameterMembers;
    for (let j = members.length - 1; j >= 0; j--) {
      const member = members[j] as ModuleExports['parameterMembers'][number];
      if (member.index === mixin.index && member.name === name) return resolvedAt('expression', target, member.at);
    }
  }
  return undefined;
}

function resolveModuleMember(
  project: AnalysisProject,
  from: SourceFileInfo,
  module: string,
  imported: string,
  seen: Visits,
): ResolvedSymbol {
  const target = project.resolveImport(from, module);
  if (!target) return { kind: 'external', module, path: [imported] };
  if (imported === '*') return resolvedAt('declaration', target, { pos: 0, end: target.text.length, kind: ts.SyntaxKind.SourceFile });
  return resolveExportIn(project, target, imported, seen);
}

function resolveLocalName(
  project: AnalysisProject,
  file: SourceFileInfo,
  exports: ModuleExports,
  name: string,
  fallback: NodeRef,
  seen: Visits,
): ResolvedSymbol {
  const binding = project.fileFact(IMPORTS, file).get(name);
  if (binding) return resolveModuleMember(project, file, binding.module, binding.imported, seen);
  return resolvedAt('declaration', file, exports.declarations.get(name) ?? fallback);
}

interface NameMemo {
  revision: number;
  imports: WeakMap<SourceFileInfo, Map<string, ResolvedSymbol | null>>;
  exports: WeakMap<SourceFileInfo, Map<string, ResolvedSymbol | null>>;
}

const nameMemos = new WeakMap<AnalysisProject, NameMemo>();

/** The memo of one file's resolved names for the project's current revision. */
function memoFor(project: AnalysisProject, file: SourceFileInfo, kind: 'imports' | 'exports'): Map<string, ResolvedSymbol | null> {
  let memo = nameMemos.get(project);
  if (!memo || memo.revision !== project.revision) {
    memo = { revision: project.revision, imports: new WeakMap(), exports: new WeakMap() };
    nameMemos.set(project, memo);
  }
  const table = memo[kind];
  let byName = table.get(file);
  if (!byName) {
    // Each answer keeps what it read (reads.ts): a name resolved through a barrel read the files on the way.
    byName = new RecordingMap();
    table.set(file, byName);
  }
  return byName;
}

/** Callers get their own member path. */
function copyOf(resolved: ResolvedSymbol): ResolvedSymbol {
  return resolved.kind === 'external' ? { ...resolved, path: [...resolved.path] } : resolved;
}

/**
 * Resolves an imported local name to the package export or repository declaration it stands for. Memoised per file
 * and name for the project's revision: the answer depends only on the files, and barrels (`export *` lists) make it
 * costly to recompute for every use of the name.
 */
export function resolveImportedName(project: AnalysisProject, file: SourceFileInfo, name: string): ResolvedSymbol | undefined {
  const byName = memoFor(project, file, 'imports');
  let resolved = byName.get(name);
  if (resolved === undefined) {
    resolved = recordOwn(() => {
      const binding = project.fileFact(IMPORTS, file).get(name);
      const found = binding ? resolveModuleMember(project, file, binding.module, binding.imported, newVisits()) : null;
      byName.set(name, found);
      return found;
    });
  }
  return resolved === null ? undefined : copyOf(resolved);
}
