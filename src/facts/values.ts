import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { indexedNodes, walk } from '../core/walk.js';
import { RecordingMap, RecordingWeakMap, recordOwn } from '../core/reads.js';
import { inheritEntries } from '../core/project-memo.js';
import { IDENTITY_FUNCTIONS, LOCAL_MERGE_FUNCTION_NAME, OBJECT_MERGE_FUNCTIONS, type ObjectMergeModel } from '../models/object-merge.js';
import { getRequireSpecifier, resolveExport, resolveImportedName, type ResolvedSymbol } from './imports.js';
import { findDeclaration, getBindingPath, getPropertyName, skipOuterExpressions } from './scope.js';

/**
 * Where an expression comes from, as a path of steps from a package export or a global:
 * `jwt.verify` with `import jwt from 'jsonwebtoken'` is external jsonwebtoken ['default', 'verify'];
 * a call result adds '()', a `new` adds 'new', an injected instance adds '#instance'.
 */
export type Origin =
  | { kind: 'external'; module: string; path: string[] }
  | { kind: 'global'; path: string[] }
  | { kind: 'local'; file: SourceFileInfo; node: ts.Node; path: string[] }
  | { kind: 'unknown' };

export interface Located {
  node: ts.Node;
  file: SourceFileInfo;
}

export type Value = Located &
  (
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null' }
    | { kind: 'undefined' }
    | { kind: 'object'; props: Map<string, Value>; complete: boolean }
    | { kind: 'array'; items: Value[]; complete: boolean }
    /** `process.env.X`, a config lookup, with its literal fallback when one is written. */
    | { kind: 'env'; name: string | undefined; fallback?: Value }
    /** `callSites`: the options are the arguments a parameter receives at that many call sites in the repository. */
    | { kind: 'union'; options: Value[]; callSites?: number }
    | { kind: 'call'; origin: Origin; args: readonly ts.Expression[]; call: ts.CallExpression | ts.NewExpression }
    | { kind: 'function'; fn: ts.FunctionLikeDeclaration }
    /** A package export used as a value (`import { secret } from '@acme/keys'`). */
    | { kind: 'import'; origin: Origin }
    /** A repository module as an object of its exports, read on demand. */
    | { kind: 'module'; module: SourceFileInfo; project: AnalysisProject }
    | { kind: 'unknown' }
  );

const GLOBALS = new Set([
  'Buffer', 'JSON', 'atob', 'btoa', 'TextEncoder', 'TextDecoder', 'crypto', 'process', 'fetch', 'URL', 'Object', 'Array', 'String',
  'Number', 'Promise', 'console', 'require', 'module', 'exports', 'globalThis', 'window', 'Math', 'Date', 'Headers', 'Request',
]);

const MAX_DEPTH = 24;
/** Following calls and call sites makes longer chains (main.ts → bootstrap → store → getter → module). */
const MAX_FLOW_DEPTH = 64;

interface Walk {
  project: AnalysisProject;
  depth: number;
  seen: Set<ts.Node>;
  /** Present when values are followed through repository functions (`followCalls`). */
  flow?: Flow;
}

interface Flow {
  /** Parameters of the functions being followed, bound to the arguments of the call that entered them. */
  bindings: ReadonlyMap<ts.Node, Binding>;
}

interface Binding {
  file: SourceFileInfo;
  args: readonly ts.Expression[];
  index: number;
  rest: boolean;
  /** The bindings in force where the call was written. */
  outer: ReadonlyMap<ts.Node, Binding>;
}

export interface EvaluateOptions {
  /**
   * Follow values through the repository's own functions: a call evaluates to what the function returns (its
   * parameters bound to the call's arguments), a parameter read elsewhere to the union of the arguments at its
   * call sites, a module-level store to every value written into it (assignments, `Object.assign`, merges).
   */
  followCalls?: boolean;
}

export function stripDefault(path: readonly string[]): string[] {
  return path[0] === 'default' || path[0] === '*' ? path.slice(1) : [...path];
}

/** The origin of an expression: which package export, global or local declaration it is built from. */
export function resolveOrigin(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): Origin {
  return copyOrigin(memoisedOrigin(project, file, expr));
}

/**
 * Origins of top-level requests (a fresh walk), memoised per node: several rules and facts ask for
 * the origin of the same callee. Dropped when the project's revision changes (a file was added).
 */
const originMemo = new WeakMap<AnalysisProject, { revision: number; nodes: RecordingWeakMap<ts.Node, { file: SourceFileInfo; origin: Origin }> }>();

function memoisedOrigin(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): Origin {
  let memo = originMemo.get(project);
  if (!memo || memo.revision !== project.revision) {
    memo = { revision: project.revision, nodes: new RecordingWeakMap() };
    inheritEntries(memo.nodes, project, (parent) => {
      const theirs = originMemo.get(parent);
      return theirs?.revision === parent.revision ? theirs.nodes : undefined;
    });
    originMemo.set(project, memo);
  }
  const known = memo.nodes.get(expr);
  if (known && known.file === file) return known.origin;
  const nodes = memo.nodes;
  return recordOwn(() => {
    const origin = originOf({ project, depth: 0, seen: new Set() }, file, expr);
    if (!known) nodes.set(expr, { file, origin });
    return origin;
  });
}

/** Callers get their own path array, so the memo cannot be changed through a result. */
function copyOrigin(origin: Origin): Origin {
  return origin.kind === 'unknown' ? { kind: 'unknown' } : withPath(origin, [...origin.path]);
}

function extend(origin: Origin, ...steps: string[]): Origin {
  if (origin.kind === 'unknown') return origin;
  return withPath(origin, [...origin.path, ...steps]);
}

/** The node kinds of the local origins built without their file's tree (see lazyLocalOrigin). */
const lazyKinds = new WeakMap<Origin, ts.SyntaxKind>();

/** A local origin whose node is found in its file's tree only when read, so building it parses nothing. */
function lazyLocalOrigin(file: SourceFileInfo, kind: ts.SyntaxKind, getNode: () => ts.Node, path: string[]): Origin {
  const origin: Origin = {
    kind: 'local',
    file,
    path,
    get node(): ts.Node {
      return getNode();
    },
  };
  lazyKinds.set(origin, kind);
  return origin;
}

function withPath(origin: Exclude<Origin, { kind: 'unknown' }>, path: string[]): Origin {
  const lazy = origin.kind === 'local' ? lazyKinds.get(origin) : undefined;
  if (origin.kind === 'local' && lazy !== undefined) return lazyLocalOrigin(origin.file, lazy, () => origin.node, path);
  return { ...origin, path } as Origin;
}

/** The kind of a local origin's node, known without parsing its file when the origin was built from a summary. */
export function getLocalOriginKind(origin: Extract<Origin, { kind: 'local' }>): ts.SyntaxKind {
  return lazyKinds.get(origin) ?? origin.node.kind;
}

/** Declarations that end an origin walk as a local origin of their own (see originOfDeclaration). */
const TERMINAL_DECLARATIONS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.SourceFile]);

function fromResolved(w: Walk, resolved: ResolvedSymbol): Origin {
  if (resolved.kind === 'external') return { kind: 'external', module: resolved.module, path: resolved.path };
  if (resolved.kind === 'expression') return originOf(w, resolved.file, resolved.node);
  if (resolved.kind === 'declaration') {
    // No node of a file not parsed yet can be in w.seen, so originOfDeclaration's answer for such a declaration is known
    // without its tree: the file is parsed only if a caller reads the origin's node.
    if (!resolved.file.isParsed && TERMINAL_DECLARATIONS.has(resolved.at.kind)) {
      if (w.depth++ > MAX_DEPTH) return { kind: 'unknown' };
      return lazyLocalOrigin(resolved.file, resolved.at.kind, () => resolved.node, []);
    }
    return originOfDeclaration(w, resolved.file, resolved.node);
  }
  return { kind: 'unknown' };
}

function originOfDeclaration(w: Walk, file: SourceFileInfo, decl: ts.Node): Origin {
  if (w.depth++ > MAX_DEPTH || w.seen.has(decl)) return { kind: 'unknown' };
  w.seen.add(decl);
  if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
    const local = ts.isImportClause(decl) ? decl.name?.text : decl.name.text;
    const resolved = local ? resolveImportedName(w.project, file, local) : undefined;
    return resolved ? fromResolved(w, resolved) : { kind: 'unknown' };
  }
  if (ts.isVariableDeclaration(decl)) {
    const specifier = getRequireSpecifier(decl.initializer);
    if (specifier !== undefined) {
      const target = w.project.resolveImport(file, specifier);
      return target ? lazyLocalOrigin(target, ts.SyntaxKind.SourceFile, () => target.sourceFile, []) : { kind: 'external', module: specifier, path: ['*'] };
    }
    if (decl.initializer) return originOf(w, file, decl.initializer);
    if (decl.type) return originOfType(w, file, decl.type);
    return { kind: 'local', file, node: decl, path: [] };
  }
  if (ts.isBindingElement(decl)) {
    const bound = getBindingPath(decl);
    if (!bound) return { kind: 'unknown' };
    const base = ts.isVariableDeclaration(bound.declaration) ? originOfDeclaration(w, file, bound.declaration) : originOfDeclaration(w, file, bound.declaration);
    return extend(base, ...bound.path.map(String));
  }
  if (ts.isParameter(decl)) {
    if (decl.type) return originOfType(w, file, decl.type);
    return { kind: 'local', file, node: decl, path: [] };
  }
  if (ts.isSourceFile(decl)) return { kind: 'local', file, node: decl, path: [] };
  return { kind: 'local', file, node: decl, path: [] };
}

/** `jwtService: JwtService` → the instance of the class the type names. */
function originOfType(w: Walk, file: SourceFileInfo, type: ts.TypeNode): Origin {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName;
    if (ts.isIdentifier(name)) {
      const decl = findDeclaration(type, name.text);
      if (decl) return extend(originOfDeclaration(w, file, decl), '#instance');
    } else if (ts.isQualifiedName(name) && ts.isIdentifier(name.left)) {
      const decl = findDeclaration(type, name.left.text);
      if (decl) return extend(originOfDeclaration(w, file, decl), name.right.text, '#instance');
    }
  }
  return { kind: 'unknown' };
}

function originOfThisMember(w: Walk, file: SourceFileInfo, access: ts.PropertyAccessExpression): Origin {
  const cls = findEnclosingClass(access);
  if (!cls) return { kind: 'unknown' };
  const name = access.name.text;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && getPropertyName(member.name) === name) {
      if (member.initializer) return originOf(w, file, member.initializer);
      if (member.type) return originOfType(w, file, member.type);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && parameter.type) return originOfType(w, file, parameter.type);
      }
      const assigned = findThisAssignment(member, name);
      if (assigned) return originOf(w, file, assigned);
    }
  }
  return { kind: 'unknown' };
}

export function findThisAssignment(ctor: ts.ConstructorDeclaration, name: string): ts.Expression | undefined {
  for (const statement of ctor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, right, operatorToken } = statement.expression;
    if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) {
      return right;
    }
  }
  return undefined;
}

export function findEnclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    current = current.parent;
  }
  return undefined;
}

function originOf(w: Walk, file: SourceFileInfo, input: ts.Expression): Origin {
  if (w.depth++ > MAX_DEPTH) return { kind: 'unknown' };
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return originOf(w, file, expr.expression);
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    if (decl) return originOfDeclaration(w, file, decl);
    if (GLOBALS.has(expr.text)) return { kind: 'global', path: [expr.text] };
    return { kind: 'unknown' };
  }
  if (ts.isPropertyAccessExpression(expr)) {
    if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) return originOfThisMember(w, file, expr);
    return extend(originOf(w, file, expr.expression), expr.name.text);
  }
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) {
    return extend(originOf(w, file, expr.expression), expr.argumentExpression.text);
  }
  if (ts.isCallExpression(expr)) {
    const specifier = getRequireSpecifier(expr);
    if (specifier !== undefined) {
      const target = w.project.resolveImport(file, specifier);
      return target ? lazyLocalOrigin(target, ts.SyntaxKind.SourceFile, () => target.sourceFile, []) : { kind: 'external', module: specifier, path: ['*'] };
    }
    return extend(originOf(w, file, expr.expression), '()');
  }
  if (ts.isNewExpression(expr)) return extend(originOf(w, file, expr.expression), 'new');
  if (ts.isFunctionLike(expr)) return { kind: 'local', file, node: expr, path: [] };
  return { kind: 'unknown' };
}

/** Follows a local origin that names a module (`import * as x from './x'`) to the export it reaches. */
export function followLocalModule(project: AnalysisProject, origin: Origin): Origin {
  if (origin.kind !== 'local' || getLocalOriginKind(origin) !== ts.SyntaxKind.SourceFile || origin.path.length === 0) return origin;
  const [first, ...rest] = origin.path;
  const resolved = resolveExport(project, origin.file, first as string);
  const base = fromResolved({ project, depth: 0, seen: new Set() }, resolved);
  return extend(base, ...rest);
}

// ---------------------------------------------------------------------------------------------
// Static evaluation

/** Evaluates an expression statically where it is built from constants, across repository files. */
export function evaluate(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, options: EvaluateOptions = {}): Value {
  return evaluateIn({ project, depth: 0, seen: new Set(), ...(options.followCalls ? { flow: { bindings: new Map() } } : {}) }, file, expr);
}

function unknown(file: SourceFileInfo, node: ts.Node): Value {
  return { kind: 'unknown', node, file };
}

function evaluateIn(w: Walk, file: SourceFileInfo, input: ts.Expression): Value {
  if (w.depth > (w.flow ? MAX_FLOW_DEPTH : MAX_DEPTH)) return unknown(file, input);
  w.depth++;
  try {
    return evaluateInner(w, file, input);
  } finally {
    w.depth--;
  }
}

function evaluateInner(w: Walk, file: SourceFileInfo, input: ts.Expression): Value {
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return evaluateIn(w, file, expr.expression);
  if (ts.isStringLiteralLike(expr)) return { kind: 'string', value: expr.text, node: expr, file };
  if (ts.isNumericLiteral(expr)) return { kind: 'number', value: Number(expr.text), node: expr, file };
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'boolean', value: true, node: expr, file };
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'boolean', value: false, node: expr, file };
  if (expr.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null', node: expr, file };
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(expr.operand)) {
    return { kind: 'number', value: -Number(expr.operand.text), node: expr, file };
  }
  if (ts.isTemplateExpression(expr)) {
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const part = evaluateIn(w, file, span.expression);
      if (part.kind === 'string' || part.kind === 'number') text += String(part.value);
      else return unknown(file, expr);
      text += span.literal.text;
    }
    return { kind: 'string', value: text, node: expr, file };
  }
  if (ts.isIdentifier(expr)) {
    if (expr.text === 'undefined') return { kind: 'undefined', node: expr, file };
    const decl = findDeclaration(expr, expr.text);
    if (!decl) return unknown(file, expr);
    return evaluateDeclaration(w, file, decl, expr);
  }
  if (ts.isObjectLiteralExpression(expr)) return evaluateObject(w, file, expr);
  if (ts.isArrayLiteralExpression(expr)) {
    const items: Value[] = [];
    let complete = true;
    for (const element of expr.elements) {
      if (ts.isSpreadElement(element)) {
        const spread = evaluateIn(w, file, element.expression);
        if (spread.kind === 'array') {
          items.push(...spread.items);
          complete &&= spread.complete;
        } else if (w.flow && spread.kind === 'union') {
          // One of several lists (the plugins of each call site): every item may be there.
          for (const option of getAlternatives(spread)) if (option.kind === 'array') items.push(...option.items);
          complete = false;
        } else complete = false;
      } else if (!ts.isOmittedExpression(element)) {
        items.push(evaluateIn(w, file, element));
      }
    }
    return { kind: 'array', items, complete, node: expr, file };
  }
  if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
    const key = ts.isPropertyAccessExpression(expr)
      ? expr.name.text
      : ts.isStringLiteralLike(expr.argumentExpression) || ts.isNumericLiteral(expr.argumentExpression)
        ? expr.argumentExpression.text
        : undefined;
    if (isProcessEnv(expr.expression)) return { kind: 'env', name: key, node: expr, file };
    if (key === undefined) return unknown(file, expr);
    const base = evaluateIn(w, file, expr.expression);
    return getMember(base, key) ?? memberOfUnknown(w, file, expr, base);
  }
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      const left = evaluateIn(w, file, expr.left);
      const right = evaluateIn(w, file, expr.right);
      if (left.kind === 'env' && left.fallback === undefined) return { ...left, fallback: right, node: expr };
      if (isStaticallyKnown(left)) {
        const taken = op === ts.SyntaxKind.BarBarToken ? isTruthy(left) : left.kind !== 'null' && left.kind !== 'undefined';
        return taken ? left : right;
      }
      return { kind: 'union', options: [left, right], node: expr, file };
    }
    if (op === ts.SyntaxKind.PlusToken) {
      const left = evaluateIn(w, file, expr.left);
      const right = evaluateIn(w, file, expr.right);
      if ((left.kind === 'string' || left.kind === 'number') && (right.kind === 'string' || right.kind === 'number')) {
        if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: left.value + right.value, node: expr, file };
        return { kind: 'string', value: String(left.value) + String(right.value), node: expr, file };
      }
      return unknown(file, expr);
    }
    return unknown(file, expr);
  }
  if (ts.isConditionalExpression(expr)) {
    return { kind: 'union', options: [evaluateIn(w, file, expr.whenTrue), evaluateIn(w, file, expr.whenFalse)], node: expr, file };
  }
  if (ts.isCallExpression(expr) && getRequireSpecifier(expr) !== undefined) {
    const module = evaluateModule(w, file, expr);
    if (module.kind !== 'unknown') return module;
  }
  if (ts.isCallExpression(expr) || ts.isNewExpression(expr)) {
    const origin = resolveOrigin(w.project, file, expr.expression);
    if (origin.kind === 'global' && origin.path.join('.') === 'Object.assign' && ts.isCallExpression(expr) && !w.flow) return evaluateObjectAssign(w, file, expr);
    const called: Value = { kind: 'call', origin, args: expr.arguments ?? [], call: expr, node: expr, file };
    return (w.flow && ts.isCallExpression(expr) && evaluateCallFlow(w, file, expr, origin, called)) || called;
  }
  if (ts.isFunctionExpression(expr) || ts.isArrowFunction(expr)) return { kind: 'function', fn: expr, node: expr, file };
  return unknown(file, expr);
}

/** `Object.assign(target, ...sources)`: later sources override earlier ones, as with object spreads. */
function evaluateObjectAssign(w: Walk, file: SourceFileInfo, expr: ts.CallExpression): Value {
  const props = new Map<string, Value>();
  let complete = true;
  for (const arg of expr.arguments) {
    const source = ts.isSpreadElement(arg) ? undefined : evaluateIn(w, file, arg);
    if (source?.kind === 'object') {
      for (const [k, v] of source.props) props.set(k, v);
      complete &&= source.complete;
    } else complete = false;
  }
  return { kind: 'object', props, complete, node: expr, file };
}

const LATER_ASSIGNMENTS = new WeakMap<ts.VariableDeclaration, ts.Expression[]>();

/** Values a `let`/`var` is given by plain assignments (`secret = '…'`) after its declaration, in the scope it is declared in. */
function getLaterAssignments(decl: ts.VariableDeclaration): ts.Expression[] {
  const memo = LATER_ASSIGNMENTS.get(decl);
  if (memo) return memo;
  const found: ts.Expression[] = [];
  const list = decl.parent;
  const name = decl.name;
  if (ts.isIdentifier(name) && ts.isVariableDeclarationList(list) && !(list.flags & ts.NodeFlags.Const)) {
    let scope: ts.Node = list;
    while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
    walk(scope, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = skipOuterExpressions(node.left);
      if (ts.isIdentifier(left) && left.text === name.text && findDeclaration(left, left.text) === decl) found.push(node.right);
    });
  }
  LATER_ASSIGNMENTS.set(decl, found);
  return found;
}

const MEMBER_ASSIGNMENTS = new WeakMap<ts.VariableDeclaration, Array<{ key: string; value: ts.Expression }>>();

/**
 * `const mounts = { user: … }; mounts.main = (app) => …`: members given to an object literal's variable by statements
 * that follow its declaration in the same statement list (straight-line code, so each runs once, in order).
 */
function getMemberAssignments(decl: ts.VariableDeclaration): Array<{ key: string; value: ts.Expression }> {
  const memo = MEMBER_ASSIGNMENTS.get(decl);
  if (memo) return memo;
  const found: Array<{ key: string; value: ts.Expression }> = [];
  const statement = decl.parent.parent;
  const container = statement?.parent;
  if (ts.isIdentifier(decl.name) && statement && ts.isVariableStatement(statement) && container && (ts.isSourceFile(container) || ts.isBlock(container) || ts.isModuleBlock(container))) {
    const statements = container.statements;
    for (let i = statements.indexOf(statement) + 1; i < statements.length; i++) {
      const next = statements[i] as ts.Statement;
      if (!ts.isExpressionStatement(next) || !ts.isBinaryExpression(next.expression) || next.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = skipOuterExpressions(next.expression.left);
      if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) continue;
      const key = getAccessKey(left);
      const target = skipOuterExpressions(left.expression);
      if (key !== undefined && ts.isIdentifier(target) && target.text === decl.name.text) found.push({ key, value: next.expression.right });
    }
  }
  MEMBER_ASSIGNMENTS.set(decl, found);
  return found;
}

function memberOfUnknown(w: Walk, file: SourceFileInfo, expr: ts.Expression, base: Value): Value {
  if (base.kind === 'env' && base.name === undefined) return { kind: 'env', name: getAccessKey(expr), node: expr, file };
  return unknown(file, expr);
}

function getAccessKey(expr: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  return undefined;
}

function isProcessEnv(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  return (
    (ts.isPropertyAccessExpression(inner) && inner.name.text === 'env' && ts.isIdentifier(inner.expression) && inner.expression.text === 'process') ||
    (ts.isPropertyAccessExpression(inner) && inner.name.text === 'env' && ts.isMetaProperty(inner.expression))
  );
}

function evaluateDeclaration(w: Walk, file: SourceFileInfo, decl: ts.Node, at: ts.Node): Value {
  if (w.seen.has(decl)) return unknown(file, at);
  w.seen.add(decl);
  try {
    if (ts.isVariableDeclaration(decl)) {
      const assigned = w.flow ? [...getLaterAssignments(decl), ...getMergesInto(decl).filter((call) => isMergeInPlace(w.project, file, call))] : getLaterAssignments(decl);
      if (!decl.initializer) {
        if (assigned.length === 0) return unknown(file, at);
        const values = assigned.map((a) => evaluateIn(w, file, a));
        return values.length === 1 ? (values[0] as Value) : { kind: 'union', options: values, node: decl, file };
      }
      if (isProcessEnv(decl.initializer)) return { kind: 'env', name: undefined, node: decl.initializer, file };
      if (getRequireSpecifier(decl.initializer) !== undefined) return evaluateModule(w, file, decl.initializer);
      let initial = evaluateIn(w, file, decl.initializer);
      if (initial.kind === 'object' && ts.isObjectLiteralExpression(skipOuterExpressions(decl.initializer))) {
        const members = getMemberAssignments(decl);
        if (members.length > 0) {
          const props = new Map(initial.props);
          for (const member of members) props.set(member.key, evaluateIn(w, file, member.value));
          initial = { ...initial, props };
        }
      }
      if (assigned.length === 0) return initial;
      // `let secret = process.env.JWT_SECRET; if (!secret) secret = 'dev';`: the variable may hold any of them.
      return { kind: 'union', options: [initial, ...assigned.map((a) => evaluateIn(w, file, a))], node: decl, file };
    }
    if (ts.isBindingElement(decl)) {
      const bound = getBindingPath(decl);
      if (w.flow && bound && ts.isParameter(bound.declaration)) {
        let value: Value = evaluateParameter(w, file, bound.declaration, at);
        for (const key of bound.path) value = getMember(value, String(key)) ?? unknown(file, at);
        return value;
      }
      if (!bound || !ts.isVariableDeclaration(bound.declaration) || !bound.declaration.initializer) return unknown(file, at);
      const init = bound.declaration.initializer;
      let value: Value = isProcessEnv(init)
        ? { kind: 'env', name: undefined, node: init, file }
        : getRequireSpecifier(init) !== undefined
          ? evaluateModule(w, file, init)
          : evaluateIn(w, file, init);
      for (const key of bound.path) {
        value = (value.kind === 'env' && value.name === undefined ? { kind: 'env', name: String(key), node: decl, file } : getMember(value, String(key))) ?? unknown(file, at);
      }
      if (decl.initializer) {
        const fallback = evaluateIn(w, file, decl.initializer);
        if (value.kind === 'env' && value.fallback === undefined) return { ...value, fallback };
        if (value.kind === 'unknown') return { kind: 'union', options: [value, fallback], node: decl, file };
      }
      return value;
    }
    if (ts.isParameter(decl) && w.flow) return evaluateParameter(w, file, decl, at);
    // A class stands for itself: its declaration is where a module list or a registry points.
    if (ts.isClassDeclaration(decl) && w.flow) return unknown(file, decl);
    if (ts.isParameter(decl)) {
      if (decl.initializer) return { kind: 'union', options: [unknown(file, decl), evaluateIn(w, file, decl.initializer)], node: decl, file };
      return unknown(file, at);
    }
    if (ts.isFunctionDeclaration(decl)) return { kind: 'function', fn: decl, node: decl, file };
    if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
      const local = ts.isImportClause(decl) ? decl.name?.text : decl.name.text;
      const resolved = local ? resolveImportedName(w.project, file, local) : undefined;
      if (!resolved) return unknown(file, at);
      if (resolved.kind === 'expression') return evaluateIn(w, resolved.file, resolved.node);
      if (resolved.kind === 'declaration') {
        if (resolved.at.kind === ts.SyntaxKind.SourceFile) return moduleObject(w, resolved.file);
        return evaluateUnparsedDeclaration(w, resolved, () => at) ?? evaluateDeclaration(w, resolved.file, resolved.node, at);
      }
      if (resolved.kind === 'external') {
        return { kind: 'import', origin: { kind: 'external', module: resolved.module, path: resolved.path }, node: at, file };
      }
      return unknown(file, at);
    }
    return unknown(file, at);
  } finally {
    w.seen.delete(decl);
  }
}

/**
 * What evaluateDeclaration gives a class or function declaration of a file not parsed yet (no node of it can be in
 * w.seen), without its tree: the value's nodes are found when read, so a value that only passes through parses nothing.
 */
function evaluateUnparsedDeclaration(w: Walk, resolved: Extract<ResolvedSymbol, { kind: 'declaration' }>, at: () => ts.Node): Value | undefined {
  const file = resolved.file;
  if (file.isParsed) return undefined;
  if (resolved.at.kind === ts.SyntaxKind.FunctionDeclaration) {
    return {
      kind: 'function',
      file,
      get fn(): ts.FunctionDeclaration {
        return resolved.node as ts.FunctionDeclaration;
      },
      get node(): ts.Node {
        return resolved.node;
      },
    };
  }
  if (resolved.at.kind !== ts.SyntaxKind.ClassDeclaration) return undefined;
  // A class stands for itself when values are followed (see evaluateDeclaration), else for the place it was asked at.
  const node = w.flow ? () => resolved.node : at;
  return {
    kind: 'unknown',
    file,
    get node(): ts.Node {
      return node();
    },
  };
}

function evaluateModule(w: Walk, file: SourceFileInfo, requireCall: ts.Expression): Value {
  const specifier = getRequireSpecifier(requireCall);
  const target = specifier !== undefined ? w.project.resolveImport(file, specifier) : undefined;
  if (!target) return unknown(file, requireCall);
  return moduleObject(w, target);
}

/** A repository module seen as an object of its exports (for `import * as config` / `require('./config')`). */
function moduleObject(w: Walk, target: SourceFileInfo): Value {
  const exportsFact = resolveExport(w.project, target, '*');
  if (exportsFact.kind === 'expression') return evaluateIn(w, exportsFact.file, exportsFact.node);
  // The module's tree is parsed only if its node is read: its exports are resolved from the portable summaries.
  return {
    kind: 'module',
    module: target,
    project: w.project,
    file: target,
    get node(): ts.Node {
      return target.sourceFile;
    },
  };
}

function evaluateObject(w: Walk, file: SourceFileInfo, expr: ts.ObjectLiteralExpression): Value {
  const props = new Map<string, Value>();
  let complete = true;
  for (const property of expr.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = getPropertyName(property.name);
      if (name === undefined) complete = false;
      else props.set(name, evaluateIn(w, file, property.initializer));
    } else if (ts.isShorthandPropertyAssignment(property)) {
      props.set(property.name.text, evaluateIn(w, file, property.name));
    } else if (ts.isSpreadAssignment(property)) {
      const spread = evaluateIn(w, file, property.expression);
      if (spread.kind === 'object') {
        for (const [k, v] of spread.props) props.set(k, v);
        complete &&= spread.complete;
      } else if (w.flow && spread.kind === 'union') {
        spreadAlternatives(props, spread);
        complete = false;
      } else complete = false;
    } else if (ts.isMethodDeclaration(property) || ts.isGetAccessorDeclaration(property)) {
      const name = getPropertyName(property.name);
      if (name !== undefined) props.set(name, { kind: 'function', fn: property, node: property, file });
    }
  }
  return { kind: 'object', props, complete, node: expr, file };
}

/** A property of an evaluated object or module; undefined when it cannot be known. */
export function getMember(value: Value, key: string): Value | undefined {
  if (value.kind === 'object') return value.props.get(key);
  if (value.kind === 'module') {
    const resolved = resolveExport(value.project, value.module, key);
    const w: Walk = { project: value.project, depth: 0, seen: new Set() };
    if (resolved.kind === 'expression') return evaluateIn(w, resolved.file, resolved.node);
    if (resolved.kind === 'declaration') {
      if (resolved.at.kind === ts.SyntaxKind.SourceFile) return moduleObject(w, resolved.file);
      return evaluateUnparsedDeclaration(w, resolved, () => resolved.node) ?? evaluateDeclaration(w, resolved.file, resolved.node, resolved.node);
    }
    return undefined;
  }
  if (value.kind === 'array' && /^\d+$/.test(key)) return value.items[Number(key)];
  if (value.kind === 'union') {
    const options = value.options.map((o) => getMember(o, key)).filter((o): o is Value => o !== undefined);
    return options.length > 0 ? { kind: 'union', options, node: value.node, file: value.file } : undefined;
  }
  return undefined;
}

export function isStaticallyKnown(value: Value): boolean {
  return ['string', 'number', 'boolean', 'null', 'undefined', 'object', 'array', 'function', 'module'].includes(value.kind);
}

export function isTruthy(value: Value): boolean {
  switch (value.kind) {
    case 'string':
      return value.value !== '';
    case 'number':
      return value.value !== 0;
    case 'boolean':
      return value.value;
    case 'null':
    case 'undefined':
      return false;
    default:
      return true;
  }
}

/** Every alternative a value may take: unions flattened, env fallbacks included. */
export function getAlternatives(value: Value): Value[] {
  if (value.kind === 'union') return value.options.flatMap(getAlternatives);
  return [value];
}

/** The string values an expression may statically take (all union alternatives and env fallbacks). */
export function getStringAlternatives(value: Value): string[] {
  return getAlternatives(value).flatMap((v) => {
    if (v.kind === 'string') return [v.value];
    if (v.kind === 'env' && v.fallback) return getStringAlternatives(v.fallback);
    return [];
  });
}

// ---------------------------------------------------------------------------------------------
// Value flow through repository functions (`followCalls`)

/** `let config = …; export function defineConfig(c) { config = merge(config, c) }`: how a value enters a module-level store. */
function evaluateCallFlow(w: Walk, file: SourceFileInfo, call: ts.CallExpression, origin: Origin, called: Value): Value | undefined {
  const merge = getMergeModel(w.project, origin);
  if (merge) return mergeValues(call.arguments.map((arg) => (ts.isSpreadElement(arg) ? unknown(file, arg) : evaluateIn(w, file, arg))), merge, call, file);
  if (isIdentityCall(origin)) return call.arguments[0] ? evaluateIn(w, file, call.arguments[0]) : undefined;
  const target = getCalledFunction(w.project, origin);
  if (!target || !target.fn.body || w.seen.has(target.fn)) return undefined;
  const bindings = new Map(w.flow?.bindings);
  const outer = w.flow?.bindings ?? new Map<ts.Node, Binding>();
  target.fn.parameters.forEach((parameter, index) => bindings.set(parameter, { file, args: call.arguments, index, rest: parameter.dotDotDotToken !== undefined, outer }));
  const inner: Walk = { project: w.project, depth: w.depth, seen: w.seen, flow: { bindings } };
  w.seen.add(target.fn);
  try {
    const returned = getReturnedExpressions(target.fn).map((ret) => evaluateIn(inner, target.file, ret));
    const known = returned.filter((v) => v.kind !== 'unknown');
    if (known.length === 0) return undefined;
    // A return that cannot be read keeps the call itself as one alternative.
    const options = known.length < returned.length ? [...known, called] : known;
    return options.length === 1 ? options[0] : { kind: 'union', options, node: call, file };
  } finally {
    w.seen.delete(target.fn);
  }
}

/** A parameter: the argument of the call being followed, else the union of the arguments at the function's call sites. */
function evaluateParameter(w: Walk, file: SourceFileInfo, parameter: ts.ParameterDeclaration, at: ts.Node): Value {
  const bound = w.flow?.bindings.get(parameter);
  const fallback = parameter.initializer;
  if (bound) {
    const caller: Walk = { project: w.project, depth: w.depth, seen: w.seen, flow: { bindings: bound.outer } };
    if (bound.rest) {
      const items = bound.args.slice(bound.index).map((arg) => evaluateIn(caller, bound.file, arg));
      return { kind: 'array', items, complete: true, node: parameter, file };
    }
    const arg = bound.args[bound.index];
    if (arg && !ts.isSpreadElement(arg)) return evaluateIn(caller, bound.file, arg);
    return fallback ? evaluateIn(w, file, fallback) : { kind: 'undefined', node: parameter, file };
  }
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  const sites = findCallSites(w.project, file, fn);
  if (sites.length === 0 || parameter.dotDotDotToken) return fallback ? { kind: 'union', options: [unknown(file, at), evaluateIn(w, file, fallback)], node: parameter, file } : unknown(file, at);
  const outside: Walk = { project: w.project, depth: w.depth, seen: w.seen, flow: { bindings: new Map() } };
  const options = sites.map((site): Value => {
    const arg = site.call.arguments[index];
    if (arg && !ts.isSpreadElement(arg)) return evaluateIn(outside, site.file, arg);
    return fallback ? evaluateIn(w, file, fallback) : { kind: 'undefined', node: site.call, file: site.file };
  });
  return { kind: 'union', options, callSites: sites.length, node: parameter, file };
}

/** `{ ...store }` where the store holds one of several objects: each key may come from any of them. */
function spreadAlternatives(props: Map<string, Value>, spread: Value & { kind: 'union' }): void {
  const objects = getAlternatives(spread).filter((o): o is Value & { kind: 'object' } => o.kind === 'object');
  const keys = new Set(objects.flatMap((o) => [...o.props.keys()]));
  for (const key of keys) {
    const values = objects.flatMap((o) => {
      const value = o.props.get(key);
      return value ? [value] : [];
    });
    const earlier = props.get(key);
    if (values.length < objects.length && earlier) values.unshift(earlier);
    props.set(key, values.length === 1 ? (values[0] as Value) : { kind: 'union', options: values, node: spread.node, file: spread.file });
  }
}

function getMergeModel(project: AnalysisProject, origin: Origin): ObjectMergeModel | undefined {
  if (origin.kind === 'global') {
    const name = origin.path.join('.');
    return OBJECT_MERGE_FUNCTIONS.find((m) => m.modules.includes('global') && m.exports.includes(name));
  }
  if (origin.kind === 'external') {
    const name = stripDefault(origin.path).join('.');
    return OBJECT_MERGE_FUNCTIONS.find((m) => m.modules.includes(origin.module) && m.exports.includes(name));
  }
  const target = getCalledFunction(project, origin);
  const name = target && getFunctionName(target.fn);
  return name !== undefined && LOCAL_MERGE_FUNCTION_NAME.test(name) ? { modules: [], exports: [], wins: 'later', deep: true, mutatesTarget: false } : undefined;
}

function isMergeInPlace(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): boolean {
  return getMergeModel(project, resolveOrigin(project, file, call.expression))?.mutatesTarget === true;
}

function isIdentityCall(origin: Origin): boolean {
  if (origin.kind !== 'global' && origin.kind !== 'external') return false;
  const module = origin.kind === 'global' ? 'global' : origin.module;
  const name = origin.kind === 'global' ? origin.path.join('.') : stripDefault(origin.path).join('.');
  return IDENTITY_FUNCTIONS.some((f) => f.module === module && f.export === name);
}

function mergeValues(values: Value[], model: ObjectMergeModel, node: ts.Node, file: SourceFileInfo): Value {
  const ordered = model.wins === 'later' ? values : [...values].reverse();
  let result: Value & { kind: 'object' } = { kind: 'object', props: new Map(), complete: true, node, file };
  for (const input of ordered) {
    const value = input.kind === 'union' ? unionAsObject(input) : input;
    if (value.kind === 'undefined' || value.kind === 'null') continue;
    if (value.kind !== 'object') {
      result.complete = false;
      continue;
    }
    result = mergeObjects(result, value, model.deep);
  }
  return result;
}

/** One of several objects (a parameter's value at each call site), as one object whose keys may come from any of them. */
function unionAsObject(union: Value & { kind: 'union' }): Value {
  if (!getAlternatives(union).some((o) => o.kind === 'object')) return union;
  const props = new Map<string, Value>();
  spreadAlternatives(props, union);
  return { kind: 'object', props, complete: false, node: union.node, file: union.file };
}

function mergeObjects(base: Value & { kind: 'object' }, next: Value & { kind: 'object' }, deep: boolean): Value & { kind: 'object' } {
  const props = new Map(base.props);
  for (const [key, value] of next.props) {
    const earlier = props.get(key);
    props.set(key, deep && earlier?.kind === 'object' && value.kind === 'object' ? mergeObjects(earlier, value, deep) : value);
  }
  return { ...base, props, complete: base.complete && next.complete };
}

interface CalledFunction {
  fn: ts.FunctionLikeDeclaration;
  file: SourceFileInfo;
}

/** The repository function a call reaches: a function, a function-valued constant, or a static method (`PluginModule.init()`). */
function getCalledFunction(project: AnalysisProject, input: Origin): CalledFunction | undefined {
  const origin = input.kind === 'local' && ts.isSourceFile(input.node) ? followLocalModule(project, input) : input;
  if (origin.kind !== 'local') return undefined;
  const { node, file, path } = origin;
  if (path.length === 0 && (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node))) return { fn: node, file };
  if (path.length === 1 && ts.isClassLike(node)) {
    for (const member of node.members) {
      const isStatic = ts.getModifiers(member as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) === true;
      if (!isStatic || !member.name || getPropertyName(member.name) !== path[0]) continue;
      if (ts.isMethodDeclaration(member)) return { fn: member, file };
      const init = ts.isPropertyDeclaration(member) && member.initializer ? skipOuterExpressions(member.initializer) : undefined;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return { fn: init, file };
    }
  }
  return undefined;
}

function getFunctionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return getPropertyName(fn.name);
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** The expressions a function returns (its own `return`s, not those of nested functions). */
export function getReturnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const found: ts.Expression[] = [];
  walk(fn.body, (node) => {
    if (ts.isReturnStatement(node) && node.expression && getEnclosingFunction(node) === fn) found.push(node.expression);
  });
  return found;
}

function getEnclosingFunction(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}

const MERGES_INTO = new WeakMap<ts.VariableDeclaration, ts.CallExpression[]>();

/** Calls that take a variable as their first argument in its scope: candidates for merges in place (`Object.assign(config, provided)`). */
function getMergesInto(decl: ts.VariableDeclaration): ts.CallExpression[] {
  const memo = MERGES_INTO.get(decl);
  if (memo) return memo;
  const found: ts.CallExpression[] = [];
  const name = decl.name;
  if (ts.isIdentifier(name)) {
    let scope: ts.Node = decl.parent;
    while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
    walk(scope, (node) => {
      if (!ts.isCallExpression(node)) return;
      const [first] = node.arguments;
      const target = first && skipOuterExpressions(first);
      if (target && ts.isIdentifier(target) && target.text === name.text && findDeclaration(target, target.text) === decl) found.push(node);
    });
  }
  MERGES_INTO.set(decl, found);
  return found;
}

interface CallSite {
  file: SourceFileInfo;
  call: ts.CallExpression;
}

const CALL_SITES = new WeakMap<AnalysisProject, { revision: number; sites: Map<ts.Node, CallSite[]> }>();

/**
 * The calls of a repository function in the scanned files, found by its name and confirmed by resolving
 * each callee; test files count only for a function declared in one.
 */
export function findCallSites(project: AnalysisProject, file: SourceFileInfo, fn: ts.SignatureDeclaration): readonly CallSite[] {
  let memo = CALL_SITES.get(project);
  if (!memo || memo.revision !== project.revision) {
    memo = { revision: project.revision, sites: new RecordingMap() };
    CALL_SITES.set(project, memo);
  }
  const known = memo.sites.get(fn);
  if (known) return known;
  const table = memo.sites;
  return recordOwn(() => collectCallSites(project, file, fn, table));
}

function collectCallSites(project: AnalysisProject, file: SourceFileInfo, fn: ts.SignatureDeclaration, table: Map<ts.Node, CallSite[]>): CallSite[] {
  const sites: CallSite[] = [];
  table.set(fn, sites);
  const name = getFunctionName(fn);
  if (name === undefined || !ts.isFunctionLike(fn) || !('body' in fn)) return sites;
  // A call site names the function (`name(…)`, `x.name(…)`): only files with that word hold one.
  for (const candidate of project.filesMentioning([name])) {
    if (candidate.isTestFile && !file.isTestFile) continue;
    for (const call of indexedNodes(candidate.sourceFile, ts.isCallExpression)) {
      const callee = skipOuterExpressions(call.expression);
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (calleeName !== name) continue;
      const target = getCalledFunction(project, resolveOrigin(project, candidate, call.expression));
      if (target?.fn === fn) sites.push({ file: candidate, call });
    }
  }
  return sites;
}
