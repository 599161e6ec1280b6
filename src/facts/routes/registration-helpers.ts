import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { walk } from '../../core/walk.js';
import { findDeclaration, skipOuterExpressions } from '../scope.js';
import { evaluate, getStringAlternatives } from '../values.js';

/**
 * Registrations made by the repository's own helper functions (`setupPageRoute(router, '/login', [mw], controller)`,
 * `function mount(app, prefix, router) { app.use(prefix, router) }`): a registration inside a function whose path or
 * method comes from the function's parameters is made once per call of the function, with the arguments of that call.
 * These functions bind the parameters of such a helper, and the local variables it computes from them in straight-line
 * code, to the argument expressions of one call site, so that the registration search reads the path, the method, the
 * receiver and the middleware of each call as if they were written there.
 */

/** An argument expression and the bindings in force where it is written (the caller is itself a helper). */
export interface BoundExpr {
  file: SourceFileInfo;
  expr: ts.Expression;
  env?: HelperEnv;
}

/** A rest parameter or an array built from arguments: the expressions it holds, in order. */
export interface BoundList {
  list: BoundExpr[];
}

export type Bound = BoundExpr | BoundList;

/** Names of a helper's parameters and locals, bound for one call site. */
export type HelperEnv = ReadonlyMap<string, Bound>;

export function isBoundList(bound: Bound): bound is BoundList {
  return 'list' in bound;
}

/** A call site of a helper: the call, where it is, and the bindings of the function it is written in. */
export interface HelperCall {
  file: SourceFileInfo;
  call: ts.CallExpression;
  env?: HelperEnv;
}

/** The nearest function a node is written in, unless it is a callback written as a call's argument (nothing calls it by name). */
export function getEnclosingHelper(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const fn = current as ts.FunctionLikeDeclaration;
    const parent = fn.parent;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments ?? []).some((a) => a === fn)) return undefined;
    return fn.body ? fn : undefined;
  }
  return undefined;
}

/**
 * Whether an expression reads a parameter of `fn`, or a variable declared inside it whose value is read from one
 * (`const [router, name] = args`): what a caller can change from one call to the next.
 */
export function readsScopeOf(fn: ts.FunctionLikeDeclaration, expr: ts.Node, depth = 0): boolean {
  let found = false;
  const visit = (node: ts.Node): boolean | undefined => {
    if (found) return false;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const decl = findDeclaration(node, node.text);
      if (decl && isDeclaredIn(decl, fn) && isParameterDerived(fn, decl, depth)) found = true;
    }
    return undefined;
  };
  visit(expr);
  walk(expr, visit);
  return found;
}

function isDeclaredIn(decl: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let node: ts.Node | undefined = decl; node; node = node.parent) {
    if (node === fn) return true;
    if (ts.isFunctionLike(node) && node !== decl) return false;
  }
  return false;
}

function isParameterDerived(fn: ts.FunctionLikeDeclaration, decl: ts.Node, depth: number): boolean {
  let root: ts.Node = decl;
  while (ts.isBindingElement(root)) root = root.parent.parent;
  if (ts.isParameter(root)) return root.parent === fn;
  if (!ts.isVariableDeclaration(root) || depth > 4) return false;
  if (root.initializer && readsScopeOf(fn, root.initializer, depth + 1)) return true;
  // `let middlewares = …; middlewares = [...]`: a later assignment in the helper's own statements.
  const body = fn.body;
  if (!body || !ts.isBlock(body) || !ts.isIdentifier(root.name)) return false;
  const name = root.name.text;
  return body.statements.some((statement) => {
    if (!ts.isExpressionStatement(statement)) return false;
    const expr = skipOuterExpressions(statement.expression);
    return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuterExpressions(expr.left)) && (skipOuterExpressions(expr.left) as ts.Identifier).text === name && readsScopeOf(fn, expr.right, depth + 1);
  });
}

/**
 * The bindings of `fn`'s parameters for one call, then of the variables its top-level statements before `at` compute
 * from them (`const [router, name] = args`, `let mw = args.length > 3 ? args[args.length - 2] : []`, `mw = [a, ...mw]`),
 * each reassignment replacing the earlier value. A name bound to something not read from the arguments is left unbound.
 */
export function bindHelperCall(project: AnalysisProject, fnFile: SourceFileInfo, fn: ts.FunctionLikeDeclaration, site: HelperCall, at: ts.Node): HelperEnv {
  const env = new Map<string, Bound>();
  const args = site.call.arguments;
  const outer = site.env;
  const spreadAt = args.findIndex((a) => ts.isSpreadElement(a));
  fn.parameters.forEach((parameter, index) => {
    if (spreadAt >= 0 && index >= spreadAt) return;
    if (parameter.dotDotDotToken) {
      if (ts.isIdentifier(parameter.name)) env.set(parameter.name.text, { list: args.slice(index).map((expr) => bind(site.file, expr, outer)) });
      return;
    }
    const arg = args[index];
    if (!arg) return;
    bindPattern(env, parameter.name, bind(site.file, arg, outer));
  });
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return env;
  const reader = new HelperReader(project, fnFile);
  for (const statement of body.statements) {
    if (statement.pos <= at.pos && at.end <= statement.end) break;
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (decl.initializer && readsBound(decl.initializer, env)) bindPattern(env, decl.name, reader.interpret(decl.initializer, env));
      }
    } else if (ts.isExpressionStatement(statement)) {
      const expr = skipOuterExpressions(statement.expression);
      if (!ts.isBinaryExpression(expr) || expr.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = skipOuterExpressions(expr.left);
      if (ts.isIdentifier(left) && env.has(left.text)) env.set(left.text, reader.interpret(expr.right, env));
    }
  }
  return env;
}

function bind(file: SourceFileInfo, expr: ts.Expression, env: HelperEnv | undefined): BoundExpr {
  return env && env.size > 0 ? { file, expr, env } : { file, expr };
}

/** Binds the names of a parameter or variable pattern: an array pattern takes a list's items, an object pattern an object literal's properties. */
function bindPattern(env: Map<string, Bound>, name: ts.BindingName, value: Bound): void {
  if (ts.isIdentifier(name)) {
    env.set(name.text, value);
    return;
  }
  if (ts.isArrayBindingPattern(name)) {
    if (!isBoundList(value)) return;
    name.elements.forEach((element, index) => {
      if (ts.isOmittedExpression(element) || element.dotDotDotToken) return;
      const item = value.list[index];
      if (item) bindPattern(env, element.name, item);
    });
    return;
  }
  if (isBoundList(value)) return;
  const object = skipOuterExpressions(value.expr);
  if (!ts.isObjectLiteralExpression(object)) return;
  for (const element of name.elements) {
    if (element.dotDotDotToken) continue;
    const key = element.propertyName ?? element.name;
    if (!ts.isIdentifier(key)) continue;
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key.text) bindPattern(env, element.name, { ...value, expr: property.initializer });
      else if (ts.isShorthandPropertyAssignment(property) && property.name.text === key.text) bindPattern(env, element.name, { ...value, expr: property.name });
    }
  }
}

function readsBound(expr: ts.Expression, env: HelperEnv): boolean {
  let found = false;
  const visit = (node: ts.Node): boolean | undefined => {
    if (found) return false;
    if (ts.isIdentifier(node) && env.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) found = true;
    return undefined;
  };
  visit(expr);
  walk(expr, visit);
  return found;
}

type Scalar = string | number | boolean | undefined;

/** Reads a helper's expressions under the bindings of one call. */
class HelperReader {
  constructor(
    private readonly project: AnalysisProject,
    private readonly file: SourceFileInfo,
  ) {}

  /** What an expression holds: a bound name, a list built from arguments, a list item picked by a computed index, or the expression itself. */
  interpret(input: ts.Expression, env: HelperEnv): Bound {
    const expr = skipOuterExpressions(input);
    if (ts.isIdentifier(expr)) return env.get(expr.text) ?? bind(this.file, expr, env);
    if (ts.isArrayLiteralExpression(expr)) {
      const list: BoundExpr[] = [];
      for (const element of expr.elements) {
        if (ts.isOmittedExpression(element)) continue;
        if (!ts.isSpreadElement(element)) {
          list.push(bind(this.file, element, env));
          continue;
        }
        const spread = this.interpret(element.expression, env);
        if (isBoundList(spread)) list.push(...spread.list);
        else list.push(spread.file === this.file && spread.expr === skipOuterExpressions(element.expression) ? bind(this.file, element.expression, env) : spread);
      }
      return { list };
    }
    if (ts.isConditionalExpression(expr)) {
      const condition = this.scalar(expr.condition, env);
      if (condition !== undefined) return this.interpret(condition ? expr.whenTrue : expr.whenFalse, env);
    }
    if (ts.isElementAccessExpression(expr)) {
      const list = this.interpret(expr.expression, env);
      const index = this.scalar(expr.argumentExpression, env);
      if (isBoundList(list) && typeof index === 'number') {
        const item = list.list[index];
        if (item) return item;
      }
    }
    return bind(this.file, expr, env);
  }

  /** A number, string or boolean the expression statically has under the bindings (list lengths, arithmetic, comparisons, `set.has(x)`). */
  scalar(input: ts.Expression, env: HelperEnv): Scalar {
    const expr = skipOuterExpressions(input);
    if (ts.isNumericLiteral(expr)) return Number(expr.text);
    if (ts.isStringLiteralLike(expr)) return expr.text;
    if (ts.isIdentifier(expr) && env.has(expr.text)) return boundScalar(this.project, env.get(expr.text) as Bound);
    if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'length') {
      const list = this.interpret(expr.expression, env);
      return isBoundList(list) ? list.list.length : undefined;
    }
    if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) {
      const operand = this.scalar(expr.operand, env);
      return operand === undefined ? undefined : !operand;
    }
    if (ts.isBinaryExpression(expr)) return this.binary(expr, env);
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && ['has', 'includes'].includes(expr.expression.name.text) && expr.arguments.length === 1) {
      const needle = this.scalar(expr.arguments[0] as ts.Expression, env);
      const members = this.stringMembers(expr.expression.expression);
      return typeof needle === 'string' && members ? members.includes(needle) : undefined;
    }
    return undefined;
  }

  private binary(expr: ts.BinaryExpression, env: HelperEnv): Scalar {
    const left = this.scalar(expr.left, env);
    const right = this.scalar(expr.right, env);
    if (left === undefined || right === undefined) return undefined;
    switch (expr.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return typeof left === 'number' && typeof right === 'number' ? left + right : typeof left === 'boolean' || typeof right === 'boolean' ? undefined : `${left}${right}`;
      case ts.SyntaxKind.MinusToken:
        return typeof left === 'number' && typeof right === 'number' ? left - right : undefined;
      case ts.SyntaxKind.GreaterThanToken:
        return left > right;
      case ts.SyntaxKind.GreaterThanEqualsToken:
        return left >= right;
      case ts.SyntaxKind.LessThanToken:
        return left < right;
      case ts.SyntaxKind.LessThanEqualsToken:
        return left <= right;
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
      case ts.SyntaxKind.EqualsEqualsToken:
        return left === right;
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsToken:
        return left !== right;
      default:
        return undefined;
    }
  }

  /** The strings of a constant list or set of string literals (`new Set(['post', 'put'])`, `['post', 'put']`). */
  private stringMembers(input: ts.Expression): string[] | undefined {
    let expr = skipOuterExpressions(input);
    if (ts.isIdentifier(expr)) {
      const decl = findDeclaration(expr, expr.text);
      if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
      expr = skipOuterExpressions(decl.initializer);
    }
    if (ts.isNewExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'Set' && expr.arguments?.length === 1) expr = skipOuterExpressions(expr.arguments[0] as ts.Expression);
    if (!ts.isArrayLiteralExpression(expr) || !expr.elements.every((e) => ts.isStringLiteralLike(e))) return undefined;
    return expr.elements.map((e) => (e as ts.StringLiteralLike).text);
  }
}

/** The scalar an argument expression has where it is written. */
function boundScalar(project: AnalysisProject, bound: Bound): Scalar {
  if (isBoundList(bound)) return undefined;
  if (bound.env) {
    const inner = skipOuterExpressions(bound.expr);
    if (ts.isIdentifier(inner) && bound.env.has(inner.text)) return boundScalar(project, bound.env.get(inner.text) as Bound);
  }
  const values = getStringAlternatives(evaluate(project, bound.file, bound.expr));
  if (values.length === 1) return values[0];
  const value = evaluate(project, bound.file, bound.expr);
  return value.kind === 'number' || value.kind === 'boolean' ? value.value : undefined;
}
