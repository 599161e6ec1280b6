import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { defineProjectMemo, inheritEntries } from '../../core/project-memo.js';
import { walk } from '../../core/walk.js';
import { innerTable, RecordingWeakMap, recordOwn } from '../../core/reads.js';
import {
  ANONYMOUS_STRATEGIES,
  AUTHENTICATION_NAME_WORDS,
  AUTHORIZATION_CALL_NAMES,
  AUTHORIZATION_NAME_WORDS,
  CONSTANT_TIME_COMPARISONS,
  CREDENTIAL_VERIFIERS,
  DIGEST_FACTORIES,
  DIGEST_SECRET_WORDS,
  isTelemetryPackage,
  KEYED_DECODERS,
  LOGIN_STRATEGIES,
  MIDDLEWARE_MODELS,
  MIDDLEWARE_WRAPPERS,
  PASSPORT_MODULES,
  PRIVILEGE_PROPERTY_WORDS,
  SIGN_IN_FLOW_CALLS,
  VERIFY_METHOD_NAMES,
  type MiddlewareModel,
} from '../../models/middleware.js';
import { resolveImportedName } from '../imports.js';
import { findDeclaration, getBindingPath, getLetReassignments, getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, findEnclosingClass, getAlternatives, getMember, resolveOrigin, stripDefault, type Origin, type Value } from '../values.js';
import { CAPABILITY_INPUT_WORDS, CAPTCHA_WORDS, CREDENTIAL_INPUT_NAMES, CREDENTIAL_PART_READ, LOOKUP_CALL_WORDS, REQUEST_CREDENTIAL_READ } from '../../models/route-patterns.js';
import { isPromisifyExport, PROMISIFY_FUNCTIONS } from '../../models/object-merge.js';
import { getWords } from './exposure.js';
import { findCallers } from './registrations.js';
import type { ChainStep, ChainStepKind, ChainStepScope, ClassificationSource, StepExemption } from './types.js';

/** What one middleware, hook or guard does for access control, and why we think so. */
export interface Classification {
  kind: ChainStepKind;
  reason: string;
  source: ClassificationSource;
  library?: string;
  optional?: boolean;
  authorizes?: boolean;
  login?: boolean;
  hint?: 'authentication' | 'authorization';
  exemption?: StepExemption;
}

export interface ClassifyOptions {
  /** Nest guards: `return false` rejects the request. */
  falseRejects?: boolean;
  /**
   * Parameters of the factory that made the middleware, bound to the literal arguments of the call that made it
   * (`authenticate('jwt', false)` of `authenticate = (type, isStrict) => (req, res, next) => …`).
   */
  bound?: Readonly<Record<string, string | boolean>>;
}

const MAX_FOLLOW = 4;
const cache = new WeakMap<AnalysisProject, RecordingWeakMap<ts.Node, Classification>>();

/** Short display text of a middleware expression: `requireRole('admin')`, `auth.required`. */
export function getStepName(file: SourceFileInfo, expr: ts.Node): string {
  const node = ts.isExpression(expr) ? skipOuterExpressions(expr) : expr;
  if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
    return node.name ? node.name.text : 'inline function';
  }
  const text = node.getText(file.sourceFile).replace(/\s+/g, ' ');
  if (text.length <= 48) return text;
  if (ts.isCallExpression(node)) {
    const args = node.arguments.map((a) => (ts.isStringLiteralLike(a) || ts.isIdentifier(a) ? a.getText(file.sourceFile) : ts.isObjectLiteralExpression(a) ? '{…}' : '…'));
    const call = `${getStepName(file, node.expression)}(${args.join(', ')})`;
    if (call.length <= 60) return call;
  }
  return `${text.slice(0, 47)}…`;
}

/** Builds a chain step from a classification. */
export function toChainStep(
  classification: Classification,
  at: { name: string; file: SourceFileInfo; node: ts.Node; scope: ChainStepScope; phase?: string },
): ChainStep {
  const step: ChainStep = {
    name: at.name,
    kind: classification.kind,
    reason: classification.reason,
    source: classification.source,
    file: at.file.relPath,
    start: at.node.getStart(at.file.sourceFile),
    end: at.node.getEnd(),
    scope: at.scope,
  };
  if (classification.library) step.library = classification.library;
  if (classification.optional) step.optional = true;
  if (classification.authorizes) step.authorizes = true;
  if (classification.login) step.login = true;
  if (classification.hint) step.hint = classification.hint;
  if (classification.exemption) step.exemption = classification.exemption;
  if (at.phase) step.phase = at.phase;
  return step;
}

/**
 * Classifies a middleware/hook/guard expression: configured names first, then known library
 * exports (by import, never by local name), then what a local function's body does.
 */
export function classifyMiddleware(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, options: ClassifyOptions = {}): Classification {
  let memo = cache.get(project);
  if (!memo) {
    memo = new RecordingWeakMap();
    inheritEntries(memo, project, (parent) => cache.get(parent));
    cache.set(project, memo);
  }
  const known = memo.get(expr);
  if (known) return known;
  const table = memo;
  return recordOwn(() => {
    const result = classifyIn(project, file, expr, options, 0);
    table.set(expr, result);
    return result;
  });
}

/**
 * True when classifyMiddleware classifies `expr` from the body of the one function it denotes (an inline function, or a
 * name or member that evaluates to a repository function) and no configured name matches: the classification's source
 * is then 'body' or 'unresolved', never 'library' or 'configured'. Follows classifyIn's own order of decisions, so a
 * caller that needs only library or configured answers (or a body answer under a cheaper precondition) can skip the
 * body scan — route handlers are most of a service's code.
 */
export function classifiesByBodyOnly(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression): boolean {
  const expr = skipOuterExpressions(input);
  if (classifyConfigured(project, file, expr)) return false;
  if (ts.isFunctionExpression(expr) || ts.isArrowFunction(expr)) return true;
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return false;
  if (resolveOrigin(project, file, expr).kind === 'external') return false;
  const value = evaluate(project, file, expr);
  return value.kind === 'function' && resolveFunction(project, file, expr, value) !== undefined;
}

function classifyIn(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, options: ClassifyOptions, depth: number): Classification {
  const expr = skipOuterExpressions(input);
  const configured = classifyConfigured(project, file, expr);
  if (configured) return configured;
  if (depth > MAX_FOLLOW) return { kind: 'unknown', reason: 'middleware nested too deeply to follow', source: 'unresolved', ...hintOf(getStepName(file, expr)) };

  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'unless') {
    const inner = classifyIn(project, file, expr.expression.expression, options, depth + 1);
    return { ...inner, exemption: readExemption(project, file, expr.arguments[0]) };
  }
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'bind') {
    return classifyIn(project, file, expr.expression.expression, options, depth + 1);
  }
  if (ts.isFunctionExpression(expr) || ts.isArrowFunction(expr)) return classifyFunction(project, file, expr, options, depth);

  const origin = resolveOrigin(project, file, expr);
  if (origin.kind === 'external' && ts.isIdentifier(expr)) {
    // `const optional = expressjwt({ credentialsRequired: false })`: the options are on the call the name holds.
    const decl = findDeclaration(expr, expr.text);
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
    if (init && ts.isCallExpression(init)) return classifyIn(project, file, init, options, depth + 1);
  }
  if (origin.kind === 'external') {
    const library = classifyLibrary(project, file, expr, origin);
    if (library) return library;
    const wrapped = ts.isCallExpression(expr) ? getWrappedMiddleware(origin, expr) : undefined;
    if (wrapped) return classifyIn(project, file, wrapped, options, depth + 1);
    if (isTelemetryPackage(origin.module)) return { kind: 'neutral', reason: `'${origin.module}' reports errors, traces or metrics; it checks no credential`, source: 'library', library: origin.module };
  }

  if (ts.isArrayLiteralExpression(expr)) {
    return combine(expr.elements.filter((e) => !ts.isSpreadElement(e)).map((e) => classifyIn(project, file, e, options, depth + 1)));
  }
  const value = evaluate(project, file, expr);
  if (value.kind === 'array') {
    return combine(value.items.map((item) => classifyIn(project, item.file, item.node as ts.Expression, options, depth + 1)));
  }

  if ((value.kind === 'call' || value.kind === 'unknown') && value.node !== expr && ts.isExpression(value.node) && (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr))) {
    return classifyIn(project, value.file, value.node, options, depth + 1);
  }
  const forwarded = ts.isCallExpression(expr) ? getForwardedMiddleware(project, file, expr) : undefined;
  if (forwarded) {
    // `asyncHandler(auth.jwt)`: the wrapper runs the middleware it was given with the request, and may check more itself.
    const own = classifyFunction(project, forwarded.wrapper.file, forwarded.wrapper.fn, options, depth);
    return combine([classifyIn(project, file, forwarded.middleware, options, depth + 1), own]);
  }
  const fn = resolveFunction(project, file, expr, value);
  if (fn) return classifyFunction(project, fn.file, fn.fn, options, depth);

  if (ts.isCallExpression(expr)) {
    const factory = resolveFunction(project, file, expr.expression, evaluate(project, file, expr.expression));
    if (factory) {
      const returned = getReturnedExpressions(factory.fn);
      if (returned.length > 0) {
        const bound = getBoundArguments(project, file, factory.fn, expr);
        const result = combine(
          returned.map((r) => {
            const made = bound ? resolveFunction(project, factory.file, r) : undefined;
            return made && isNestedIn(made.fn, factory.fn) ? classifyFunction(project, made.file, made.fn, { ...options, bound }, depth) : classifyIn(project, factory.file, r, options, depth + 1);
          }),
        );
        // `auth()` of `auth = (...requiredRights) => …`: the required rights come from the arguments, and none are given.
        const rest = factory.fn.parameters.find((p) => p.dotDotDotToken && ts.isIdentifier(p.name));
        if (result.authorizes && expr.arguments.length === 0 && rest) return { ...result, authorizes: undefined };
        if (result.kind === 'authentication' && !result.optional) {
          // `auth({ optional: true })`: the call's options choose the branch of the factory's catch that lets the failure pass.
          for (const sw of getOptionalSwitches(factory.fn)) {
            const value = readOption(project, file, expr.arguments[sw.index], sw.option);
            if (value && getAlternatives(value).some((v) => v.kind === 'boolean' && v.value === sw.equals)) {
              return { kind: 'authentication', optional: true, source: result.source, reason: `${result.reason}, but ${sw.option}: ${String(sw.equals)} lets requests without valid credentials through` };
            }
          }
        }
        return result;
      }
    }
  }

  const name = getStepName(file, expr);
  if (origin.kind === 'external') {
    return { kind: 'unknown', reason: `'${origin.module}' is not a known middleware package`, source: 'unresolved', library: origin.module, ...hintOf(name) };
  }
  const passed = classifyPassedMiddleware(project, file, expr, options, depth);
  if (passed) return passed;
  return { kind: 'unknown', reason: 'could not resolve the middleware to its definition', source: 'unresolved', ...hintOf(name) };
}

/** Calls of functions passing a parameter on followed to find what it holds (`addCoreRoutes(app, router, middleware)`). */
const MAX_PASSED_HOPS = 4;

/**
 * `middleware.ensureLoggedIn` where `middleware` is a parameter of the function the route is registered in
 * (`module.exports = function (app, middleware) { … }`): the member of what every caller passes for it, followed through
 * callers that pass a parameter of their own on. Undefined unless every caller's argument resolves and all of them
 * classify alike.
 */
function classifyPassedMiddleware(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, options: ClassifyOptions, depth: number): Classification | undefined {
  const values = getPassedValues(project, file, expr, 0);
  if (!values || values.length === 0 || values.some((value) => value.kind !== 'function' && !ts.isExpression(value.node))) return undefined;
  const results = values.map((value) =>
    value.kind === 'function' ? classifyFunction(project, value.file, value.fn, options, depth) : classifyIn(project, value.file, value.node as ts.Expression, options, depth + 1),
  );
  const [first] = results;
  if (!first || results.some((r) => r.kind !== first.kind || r.optional !== first.optional)) return undefined;
  return combine(results);
}

/**
 * The one repository function a parameter-rooted expression denotes at every call site of its function
 * (`controllers.accounts.settings.unsubscribePost` in `_mounts.main = (app, middleware, controllers) => …`).
 */
export function resolvePassedFunction(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): ResolvedFunction | undefined {
  const values = getPassedValues(project, file, expr, 0);
  const [only] = values ?? [];
  if (!values || values.length !== 1 || !only) return undefined;
  if (only.kind === 'function') return only.fn.body ? { file: only.file, fn: only.fn } : undefined;
  return ts.isExpression(only.node) && !ts.isIdentifier(only.node) ? resolveFunction(project, only.file, only.node) : undefined;
}

/** The values a parameter-rooted access (`p`, `p.a.b`) takes at the function's call sites, one per distinct node. */
function getPassedValues(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, hops: number): Value[] | undefined {
  const path: string[] = [];
  let root = skipOuterExpressions(input);
  while (ts.isPropertyAccessExpression(root)) {
    path.unshift(root.name.text);
    root = skipOuterExpressions(root.expression);
  }
  if (!ts.isIdentifier(root) || hops > MAX_PASSED_HOPS) return undefined;
  let parameter = findDeclaration(root, root.text);
  // `Auth.middleware.applyCSRF` after `Auth.initialize = function (app, middleware) { Auth.middleware = middleware }`.
  const stored = parameter && !ts.isParameter(parameter) && path[0] !== undefined ? getStoredParameter(file, parameter, path[0]) : undefined;
  if (stored) {
    parameter = stored;
    path.shift();
  }
  if (!parameter || !ts.isParameter(parameter) || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken || !ts.isFunctionLike(parameter.parent)) return undefined;
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  const sites = findCallers(project, file, fn);
  if (sites.length === 0) return undefined;
  const found = new Map<ts.Node, Value>();
  for (const site of sites) {
    const arg = site.call.arguments[index];
    if (!arg || ts.isSpreadElement(arg)) return undefined;
    let values: Value[] | undefined;
    const outer = getPassedValues(project, site.file, arg, hops + 1);
    if (outer) {
      values = [];
      for (const value of outer) {
        const member = path.reduce<Value | undefined>((v, key) => (v ? getMember(v, key) : undefined), value);
        if (!member) return undefined;
        values.push(member);
      }
    } else {
      const member = path.reduce<Value | undefined>((v, key) => (v ? getMember(v, key) : undefined), evaluate(project, site.file, arg));
      if (!member) return undefined;
      values = [member];
    }
    for (const value of values) {
      if (value.kind === 'unknown') return undefined;
      found.set(value.kind === 'function' ? value.fn : value.node, value);
    }
  }
  return [...found.values()];
}

const STORED_PARAMETERS = new WeakMap<ts.Node, Map<string, Array<ts.ParameterDeclaration | undefined>>>();

/**
 * The parameter a function of the file stores as a member of a file-level object (`Auth.middleware = middleware` in
 * `Auth.initialize = function (app, middleware) { … }`, called once at start-up): the member holds what the function's
 * callers pass. Undefined unless the member is assigned exactly once in the file, from a parameter.
 */
function getStoredParameter(file: SourceFileInfo, holder: ts.Node, key: string): ts.ParameterDeclaration | undefined {
  let byKey = STORED_PARAMETERS.get(holder);
  if (!byKey) {
    byKey = new Map();
    const assignments = byKey;
    walk(file.sourceFile, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(node.left)) return undefined;
      const target = skipOuterExpressions(node.left.expression);
      if (!ts.isIdentifier(target) || findDeclaration(target, target.text) !== holder) return undefined;
      const value = skipOuterExpressions(node.right);
      const declaration = ts.isIdentifier(value) ? findDeclaration(value, value.text) : undefined;
      const list = assignments.get(node.left.name.text) ?? [];
      // Anything else assigned to the member (a value, a second parameter) makes it ambiguous.
      list.push(declaration && ts.isParameter(declaration) ? declaration : undefined);
      assignments.set(node.left.name.text, list);
      return undefined;
    });
    STORED_PARAMETERS.set(holder, byKey);
  }
  const list = byKey.get(key);
  return list?.length === 1 ? list[0] : undefined;
}

/**
 * A repository wrapper around a middleware (`asyncHandler(auth.jwt)` of `asyncHandler = (fn) => (...args) =>
 * Promise.resolve(fn(...args)).catch(args[args.length - 1])`): the function the factory returns calls one of the factory's
 * parameters with the request it receives, so the argument given for that parameter is the middleware that runs.
 */
function getForwardedMiddleware(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): { middleware: ts.Expression; wrapper: ResolvedFunction } | undefined {
  const factory = resolveFunction(project, file, call.expression);
  if (!factory) return undefined;
  for (const returned of getReturnedExpressions(factory.fn)) {
    const inner = resolveFunction(project, factory.file, returned);
    if (!inner?.fn.body || inner.fn === factory.fn) continue;
    const index = getForwardingParameter(factory.fn, inner.fn);
    const middleware = index === undefined ? undefined : call.arguments[index];
    if (middleware && !ts.isSpreadElement(middleware)) return { middleware, wrapper: inner };
  }
  return undefined;
}

/** The index of the factory parameter that `inner` calls with its own request parameters (`fn(req, res, next)`, `fn(...args)`). */
function getForwardingParameter(factory: ts.FunctionLikeDeclaration, inner: ts.FunctionLikeDeclaration): number | undefined {
  const own = new Set(inner.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  if (own.size === 0 || !inner.body) return undefined;
  const names = factory.parameters.map((p) => (ts.isIdentifier(p.name) && !p.dotDotDotToken ? p.name.text : undefined));
  let found: number | undefined;
  walk(inner.body, (node) => {
    if (found !== undefined) return false;
    if (node !== inner.body && ts.isFunctionLike(node)) return false;
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || own.has(node.expression.text)) return undefined;
    const index = names.indexOf(node.expression.text);
    const passesRequest = node.arguments.length > 0 && node.arguments.every((a) => {
      const arg = ts.isSpreadElement(a) ? a.expression : a;
      return ts.isIdentifier(arg) && own.has(arg.text);
    });
    if (index >= 0 && passesRequest) found = index;
    return undefined;
  });
  return found;
}

/** The factory's parameters whose argument at `call` is a string or boolean literal, by name; undefined when none is. */
function getBoundArguments(project: AnalysisProject, file: SourceFileInfo, factory: ts.FunctionLikeDeclaration, call: ts.CallExpression): Record<string, string | boolean> | undefined {
  let bound: Record<string, string | boolean> | undefined;
  factory.parameters.forEach((parameter, index) => {
    const arg = call.arguments[index];
    if (!arg || ts.isSpreadElement(arg) || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
    const value = evaluate(project, file, arg);
    if (value.kind === 'string' || value.kind === 'boolean') (bound ??= {})[parameter.name.text] = value.value;
  });
  return bound;
}

function isNestedIn(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** What a condition is when the factory parameters it reads are bound (`!user && isStrict` with isStrict false); undefined when that is not known. */
function evaluateBoundCondition(expr: ts.Expression, bound: Readonly<Record<string, string | boolean>>): string | boolean | undefined {
  const node = skipOuterExpressions(expr);
  if (ts.isIdentifier(node)) return Object.hasOwn(bound, node.text) ? bound[node.text] : undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = evaluateBoundCondition(node.operand, bound);
    return operand === undefined ? undefined : !operand;
  }
  if (!ts.isBinaryExpression(node)) return undefined;
  const left = evaluateBoundCondition(node.left, bound);
  const right = evaluateBoundCondition(node.right, bound);
  switch (node.operatorToken.kind) {
    case ts.SyntaxKind.AmpersandAmpersandToken:
      if (left === undefined || right === undefined) return left === undefined ? (right === undefined || right ? undefined : false) : left ? right : false;
      return Boolean(left) && Boolean(right);
    case ts.SyntaxKind.BarBarToken:
      if (left === undefined || right === undefined) return left === undefined ? (right === undefined || !right ? undefined : true) : left ? true : right;
      return Boolean(left) || Boolean(right);
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      return left === undefined || right === undefined ? undefined : left === right;
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      return left === undefined || right === undefined ? undefined : left !== right;
    default:
      return undefined;
  }
}

/** The branch of an `if`, `?:` or `&&`/`||` that never runs with the factory's arguments bound. */
function getDeadBranch(node: ts.Node, bound: Readonly<Record<string, string | boolean>>): ts.Node | undefined {
  if (ts.isIfStatement(node)) {
    const test = evaluateBoundCondition(node.expression, bound);
    return test === undefined ? undefined : test ? node.elseStatement : node.thenStatement;
  }
  if (ts.isConditionalExpression(node)) {
    const test = evaluateBoundCondition(node.condition, bound);
    return test === undefined ? undefined : test ? node.whenFalse : node.whenTrue;
  }
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const test = evaluateBoundCondition(node.left, bound);
    if (test === undefined) return undefined;
    return (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) === Boolean(test) ? undefined : node.right;
  }
  return undefined;
}

/** Whether a function answers 401 on every path: a statement of its body, outside any branch, does (`res.status(401).send(message)`). */
function answers401Always(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return answers401(body);
  return body.statements.some((statement) => (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) && answers401(statement));
}

/** Whether a subtree answers 401 (a status code, an Unauthorized error or message). */
function answers401(node: ts.Node): boolean {
  let found = false;
  walk(node, (inner) => {
    if (found) return false;
    if (ts.isNumericLiteral(inner) && inner.text === '401') found = true;
    else if (ts.isIdentifier(inner) && (getNameClass(inner.text) & NAME_401) !== 0) found = true;
    else if (ts.isStringLiteralLike(inner) && (getStringClass(inner.text) & NAME_401) !== 0) found = true;
    return undefined;
  });
  return found;
}

/**
 * Options of a repository middleware factory that make the middleware it returns let a failed check pass: in a `catch`,
 * `if (options.optional) { ctx.state.auth = {} } else { throw err }` (or `const { optional } = options`, a destructured
 * parameter, `!options.required` with the branches the other way round). `equals` is the option value that swallows.
 */
function getOptionalSwitches(factory: ts.FunctionLikeDeclaration): Array<{ index: number; option: string; equals: boolean }> {
  const objects = new Map<string, number>();
  const names = new Map<string, { index: number; option: string }>();
  factory.parameters.forEach((parameter, index) => {
    if (ts.isIdentifier(parameter.name)) objects.set(parameter.name.text, index);
    else if (ts.isObjectBindingPattern(parameter.name)) {
      for (const element of parameter.name.elements) {
        const key = element.propertyName ? getPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
        if (key && ts.isIdentifier(element.name)) names.set(element.name.text, { index, option: key });
      }
    }
  });
  if (!factory.body || (objects.size === 0 && names.size === 0)) return [];
  const readSwitch = (input: ts.Expression): { index: number; option: string; negated: boolean } | undefined => {
    let expr = skipOuterExpressions(input);
    let negated = false;
    while (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) {
      negated = !negated;
      expr = skipOuterExpressions(expr.operand);
    }
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && !negated) return readSwitch(expr.left);
    if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
      const index = objects.get(expr.expression.text);
      if (index !== undefined) return { index, option: expr.name.text, negated };
    }
    if (ts.isIdentifier(expr)) {
      const named = names.get(expr.text);
      if (named) return { ...named, negated };
    }
    return undefined;
  };
  const switches: Array<{ index: number; option: string; equals: boolean }> = [];
  walk(factory.body, (node) => {
    if (!ts.isCatchClause(node)) return undefined;
    walk(node.block, (inner) => {
      if (!ts.isIfStatement(inner)) return undefined;
      const sw = readSwitch(inner.expression);
      if (!sw) return undefined;
      const thenRejects = branchRethrows(inner.thenStatement);
      // Without `else`, what follows the `if` in the catch is the other branch (`if (!optional) throw error; ctx.state.auth = {}`).
      const rest = inner.elseStatement ?? (ts.isBlock(inner.parent) ? inner.parent.statements.slice(inner.parent.statements.indexOf(inner) + 1) : []);
      const elseRejects = Array.isArray(rest) ? rest.some(branchRethrows) : branchRethrows(rest as ts.Statement);
      if (!thenRejects && elseRejects) switches.push({ index: sw.index, option: sw.option, equals: !sw.negated });
      else if (thenRejects && !elseRejects) switches.push({ index: sw.index, option: sw.option, equals: sw.negated });
      return undefined;
    });
    return false;
  });
  return switches;
}

/** A branch that throws or passes an error on. */
function branchRethrows(branch: ts.Statement): boolean {
  let found = false;
  walk(branch, (node) => {
    if (found || ts.isFunctionLike(node)) return false;
    if (ts.isThrowStatement(node)) found = true;
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^(?:next|done|reject)$/.test(node.expression.text) && node.arguments.length > 0) found = true;
    return undefined;
  });
  return found;
}

/** `createMiddleware(async (c, next) => …)`: the function inside the wrapper. */
function getWrappedMiddleware(origin: Extract<Origin, { kind: 'external' }>, call: ts.CallExpression): ts.Expression | undefined {
  const stripped = stripDefault(origin.path);
  const wrapper = MIDDLEWARE_WRAPPERS.find((w) => w.module === origin.module && w.last.every((p, i) => stripped[stripped.length - w.last.length + i] === p));
  return wrapper ? call.arguments[0] : undefined;
}

function hintOf(name: string): Pick<Classification, 'hint'> {
  const words = getWords(name.replace(/\(.*$/s, ''));
  if (words.some((w) => AUTHORIZATION_NAME_WORDS.has(w))) return { hint: 'authorization' };
  if (words.some((w) => AUTHENTICATION_NAME_WORDS.has(w))) return { hint: 'authentication' };
  return {};
}

function getConfiguredCandidates(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): string[] {
  const candidates = new Set<string>();
  const text = expr.getText(file.sourceFile).replace(/\s+/g, '');
  candidates.add(text);
  let callee: ts.Expression = expr;
  while (ts.isCallExpression(callee)) callee = skipOuterExpressions(callee.expression);
  const calleeText = callee.getText(file.sourceFile).replace(/\s+/g, '');
  candidates.add(calleeText);
  const last = calleeText.split('.').pop();
  if (last) candidates.add(last);
  if (ts.isIdentifier(callee)) {
    const binding = resolveImportedName(project, file, callee.text);
    if (binding?.kind === 'external') {
      candidates.add(binding.module);
      candidates.add(`${binding.module}#${binding.path.join('.')}`);
    }
  }
  return [...candidates];
}

function classifyConfigured(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): Classification | undefined {
  const authn = project.settings.authenticationMiddleware ?? [];
  const authz = project.settings.authorizationMiddleware ?? [];
  if (authn.length === 0 && authz.length === 0) return undefined;
  const candidates = getConfiguredCandidates(project, file, expr);
  const inAuthn = candidates.find((c) => authn.includes(c));
  if (inAuthn) return { kind: 'authentication', reason: `'${inAuthn}' is configured as authentication middleware`, source: 'configured' };
  const inAuthz = candidates.find((c) => authz.includes(c));
  if (inAuthz) return { kind: 'authorization', reason: `'${inAuthz}' is configured as authorization middleware`, source: 'configured' };
  return undefined;
}

function matchesModel(model: MiddlewareModel, stripped: readonly string[]): boolean {
  return model.exports.some((exp) => {
    const path = exp === '' ? [] : exp.split('.');
    if (model.chain) return path.every((p, i) => stripped[i] === p) && stripped.length >= path.length;
    const expected = model.form === 'factory' ? [...path, '()'] : path;
    return expected.length === stripped.length && expected.every((p, i) => stripped[i] === p);
  });
}

/** A call of a package export that a middleware model knows as neutral: `contentSecurityPolicy()` of koa-helmet sets a header, whatever its name says. */
function isNeutralLibraryCall(origin: Origin): boolean {
  if (origin.kind !== 'external') return false;
  const called = [...stripDefault(origin.path), '()'];
  return MIDDLEWARE_MODELS.some((m) => m.kind === 'neutral' && m.modules.includes(origin.module) && matchesModel(m, called));
}

function getCallArguments(expr: ts.Expression): readonly ts.Expression[] {
  return ts.isCallExpression(expr) ? expr.arguments : [];
}

function readOption(project: AnalysisProject, file: SourceFileInfo, arg: ts.Expression | undefined, option: string): Value | undefined {
  if (!arg) return undefined;
  const value = evaluate(project, file, arg);
  return getMember(value, option);
}

function classifyLibrary(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, origin: Extract<Origin, { kind: 'external' }>): Classification | undefined {
  const stripped = stripDefault(origin.path);
  const model = MIDDLEWARE_MODELS.find((m) => m.modules.includes(origin.module) && matchesModel(m, stripped));
  if (!model) return undefined;
  const base: Classification = {
    kind: model.kind,
    reason: model.description,
    source: 'library',
    library: origin.module,
    ...(model.login ? { login: true } : {}),
    ...(model.optional ? { optional: true } : {}),
  };
  const args = getCallArguments(expr);
  if (model.strategyArgument) return classifyPassport(project, file, args, base);
  for (const sw of model.optionalWhen ?? []) {
    const value = readOption(project, file, args[model.optionsArgument ?? 0], sw.option);
    if (value && getAlternatives(value).some((v) => v.kind === 'boolean' && v.value === sw.equals)) {
      return { ...base, optional: true, reason: `${model.description}, but ${sw.option}: ${String(sw.equals)} lets requests without credentials through` };
    }
  }
  return base;
}

function classifyPassport(project: AnalysisProject, file: SourceFileInfo, args: readonly ts.Expression[], base: Classification): Classification {
  const first = args[0];
  const strategies: string[] = [];
  if (first) {
    const value = evaluate(project, file, first);
    const items = value.kind === 'array' ? value.items : [value];
    for (const item of items) for (const alt of getAlternatives(item)) if (alt.kind === 'string') strategies.push(alt.value);
  }
  const label = strategies.length > 0 ? strategies.map((s) => `'${s}'`).join(', ') : 'unresolved';
  if (strategies.some((s) => ANONYMOUS_STRATEGIES.has(s))) {
    return { ...base, optional: true, reason: `passport strategies ${label} include 'anonymous', so requests without credentials pass` };
  }
  if (strategies.length > 0 && strategies.every((s) => LOGIN_STRATEGIES.has(s))) {
    return { ...base, kind: 'neutral', login: true, reason: `passport strategy ${label} checks login credentials on a login endpoint; it does not gate other routes` };
  }
  return { ...base, reason: `passport.authenticate with strategy ${label}` };
}

function readExemption(project: AnalysisProject, file: SourceFileInfo, arg: ts.Expression | undefined): StepExemption {
  const exemption: StepExemption = { paths: [], patterns: [], methods: [], partial: false };
  if (!arg) return exemption;
  const value = evaluate(project, file, arg);
  if (value.kind !== 'object') return { ...exemption, partial: true };
  if (!value.complete || value.props.has('custom') || value.props.has('ext')) exemption.partial = true;
  const collect = (entry: Value | undefined, into: 'paths' | 'methods'): void => {
    if (!entry) return;
    const items = entry.kind === 'array' ? entry.items : [entry];
    if (entry.kind === 'array' && !entry.complete) exemption.partial = true;
    for (const item of items) {
      const alternatives = getAlternatives(item);
      for (const alt of alternatives) {
        if (alt.kind === 'string') exemption[into].push(into === 'methods' ? alt.value.toUpperCase() : alt.value);
        else if (alt.kind === 'object' && into === 'paths') {
          const url = alt.props.get('url');
          const methods = alt.props.get('methods') ?? alt.props.get('method');
          if (url?.kind === 'string' && methods === undefined) exemption.paths.push(url.value);
          else exemption.partial = true;
        } else if (alt.kind === 'unknown' && ts.isRegularExpressionLiteral(alt.node)) {
          const text = alt.node.text;
          exemption.patterns.push(text.slice(1, text.lastIndexOf('/')));
        } else exemption.partial = true;
      }
    }
  };
  collect(value.props.get('path'), 'paths');
  collect(value.props.get('method'), 'methods');
  return exemption;
}

/** Whether an exemption skips the step for this request. Partial exemptions never count as skipping. */
export function isExempted(exemption: StepExemption | undefined, method: string, routePath: string): boolean {
  if (!exemption) return false;
  if (exemption.methods.includes(method)) return true;
  if (exemption.paths.some((p) => p === routePath)) return true;
  return exemption.patterns.some((source) => {
    try {
      return new RegExp(source).test(routePath);
    } catch {
      return false;
    }
  });
}

interface ResolvedFunction {
  file: SourceFileInfo;
  fn: ts.FunctionLikeDeclaration;
}

function isFunctionLikeDeclaration(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

/** Follows an identifier, property or import to the function it names (across files, object members, class methods). */
/** The call a name stands for (`export const registerUser = asyncHandler(async (req, res) => …)`), to unwrap it like the call itself. */
export function resolveNamedCall(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): { file: SourceFileInfo; call: ts.CallExpression } | undefined {
  const value = evaluate(project, file, expr);
  return value.kind === 'call' && ts.isCallExpression(value.call) && value.call !== skipOuterExpressions(expr) ? { file: value.file, call: value.call } : undefined;
}

export function resolveFunction(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, value?: Value): ResolvedFunction | undefined {
  const expr = skipOuterExpressions(input);
  if (isFunctionLikeDeclaration(expr)) return { file, fn: expr };
  const v = value ?? evaluate(project, file, expr);
  if (v.kind === 'function') return { file: v.file, fn: v.fn };
  const promisified = getPromisifiedFunction(project, file, expr);
  if (promisified) return promisified;
  if (ts.isPropertyAccessExpression(expr)) {
    const cls = resolveClass(project, file, expr.expression);
    if (cls) {
      const member = cls.node.members.find((m) => m.name && getPropertyName(m.name) === expr.name.text);
      if (member && isFunctionLikeDeclaration(member) && member.body) return { file: cls.file, fn: member };
      if (member && ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) {
        return { file: cls.file, fn: member.initializer };
      }
    }
    const ctor = resolveConstructedFunction(project, file, expr.expression, 0);
    if (ctor) return findThisAssignment(ctor, expr.name.text);
  }
  return undefined;
}

/** `const verifyAsync = util.promisify((token, cb) => jwt.verify(token, secret, cb))`: the function Node's promisify wraps runs. */
function getPromisifiedFunction(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): ResolvedFunction | undefined {
  let call: ts.Expression = expr;
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
    call = skipOuterExpressions(decl.initializer);
  }
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  const origin = resolveOrigin(project, file, call.expression);
  if (origin.kind !== 'external' || !isPromisifyExport(origin.module, stripDefault(origin.path).join('.'))) return undefined;
  const inner = skipOuterExpressions(call.arguments[0] as ts.Expression);
  return isFunctionLikeDeclaration(inner) ? (inner.body ? { file, fn: inner } : undefined) : resolveFunction(project, file, inner);
}

/** `new SessionHandler(db)` (directly or through a variable) where `SessionHandler` is a constructor function, not a class. */
function resolveConstructedFunction(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth: number): ResolvedFunction | undefined {
  const expr = skipOuterExpressions(input);
  if (depth > 3) return undefined;
  if (ts.isNewExpression(expr)) {
    const target = resolveFunction(project, file, expr.expression);
    return target && (ts.isFunctionDeclaration(target.fn) || ts.isFunctionExpression(target.fn)) ? target : undefined;
  }
  if (!ts.isIdentifier(expr)) return undefined;
  const decl = findDeclaration(expr, expr.text);
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return resolveConstructedFunction(project, file, decl.initializer, depth + 1);
  return undefined;
}

/** `this.isLoggedInMiddleware = (req, res, next) => …` in a constructor function's body. */
function findThisAssignment(ctor: ResolvedFunction, name: string): ResolvedFunction | undefined {
  const body = ctor.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const assignment = skipOuterExpressions(statement.expression);
    if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = skipOuterExpressions(assignment.left);
    if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword || left.name.text !== name) continue;
    const right = skipOuterExpressions(assignment.right);
    if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) return { file: ctor.file, fn: right };
  }
  return undefined;
}

function resolveClass(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression): { file: SourceFileInfo; node: ts.ClassLikeDeclaration } | undefined {
  const expr = skipOuterExpressions(input);
  if (ts.isNewExpression(expr)) return resolveClass(project, file, expr.expression);
  if (!ts.isIdentifier(expr)) return undefined;
  const decl = findDeclaration(expr, expr.text);
  if (!decl) return undefined;
  if (ts.isClassDeclaration(decl)) return { file, node: decl };
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isClassExpression(init)) return { file, node: init };
    if (ts.isNewExpression(init) || ts.isIdentifier(init)) return resolveClass(project, file, init);
    return undefined;
  }
  if (ts.isImportClause(decl) || ts.isImportSpecifier(decl)) {
    const resolved = resolveImportedName(project, file, expr.text);
    if (resolved?.kind === 'declaration' && ts.isClassDeclaration(resolved.node)) return { file: resolved.file, node: resolved.node };
    // `class Subscription …; export default Subscription`, imported through a barrel's `export { default as … }`.
    if (resolved?.kind === 'expression' && ts.isIdentifier(resolved.node) && resolved.node !== expr) return resolveClass(project, resolved.file, resolved.node);
    if (resolved?.kind === 'declaration' && ts.isVariableDeclaration(resolved.node) && resolved.node.initializer) {
      const init = skipOuterExpressions(resolved.node.initializer);
      if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) return resolveClass(project, resolved.file, init.expression);
    }
  }
  return undefined;
}

/** Expressions a function returns (arrow expression body or `return` statements outside nested functions). */
export function getReturnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returned: ts.Expression[] = [];
  walk(fn.body, (node) => {
    if (node !== fn.body && ts.isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    return undefined;
  });
  return returned;
}

const PRIORITY: Array<(c: Classification) => boolean> = [
  (c) => c.kind === 'authentication' && !c.optional,
  (c) => c.kind === 'authorization',
  (c) => c.kind === 'authentication',
  (c) => c.kind === 'unknown' && c.hint !== undefined,
  (c) => c.kind === 'unknown',
  (c) => c.login === true,
];

/** The strongest of several alternatives (array elements, factory returns). */
function combine(results: Classification[]): Classification {
  if (results.length === 0) return { kind: 'neutral', reason: 'empty middleware list', source: 'body' };
  for (const test of PRIORITY) {
    const found = results.find(test);
    if (found) {
      const authorizes = found.kind === 'authentication' && results.some((r) => r.kind === 'authorization' || r.authorizes);
      return authorizes ? { ...found, authorizes: true } : found;
    }
  }
  return results[0] as Classification;
}

interface BodySignals {
  verifies?: string;
  /** The verification is of a token or session credential (not a password hash comparison, which is a login). */
  tokenVerified: boolean;
  /** Assigns the request's principal (`request.user = …`, `ctx.state.user = …`). */
  setsPrincipal: boolean;
  /**
   * Keeps what a verification found for later steps: a request member assigned (`req.decoded = …`), a store filled with
   * the verified payload, or a library verifier that decorates the request itself (`await request.jwtVerify()`).
   */
  recordsIdentity: boolean;
  /** The request's credential looked up in a store or compared with a stored secret (`tokenMap.get(req.cookies.token)`). */
  credentialLookup?: string;
  /**
   * A comparison of the request's credential with a stored secret decides what the handler answers (`tokenIsValid ?
   * value : null`). A lookup or verification whose result only adjusts the answer (a `liked` flag) does not count.
   */
  gatesOnCredential: boolean;
  /** The request is rejected when that lookup finds nothing (`if (!user) return next(new Error(…))`, a catch that answers 401). */
  lookupRejects: boolean;
  principalCheck: boolean;
  credentialRead: boolean;
  privilegeCheck: boolean;
  reject401: boolean;
  reject403: boolean;
  rejects: boolean;
  failOpen: boolean;
  /** A verifier that throws on a bad credential, or a helper that rejects, called outside `try`. */
  failsClosed: boolean;
  ipCheck: boolean;
  /** Checks a CAPTCHA (`req.body.captcha`, `verifyCaptcha()`): it tells people from bots, not who is calling. */
  captcha: boolean;
  authCalls: string[];
  /**
   * Places that verify or look the credential up (directly, or a helper that does), and those of them inside a `try`
   * whose `catch` lets the failure pass.
   */
  verifySites: number;
  swallowedVerifySites: number;
  /**
   * Those of them that run only when the request carries a credential: inside `if (req.headers.authorization)` (no
   * `else` that rejects), or a helper whose own verifications all do.
   */
  credentialOnlyVerifySites: number;
  /** Loads the OpenID provider's sign-in interaction of the request (`provider.interactionDetails(req, res)`). */
  signInFlow?: string;
  /** HTTP methods the check is skipped for (`if (req.method === 'GET') return next()`). */
  skippedMethods: Set<string>;
  /** Calls passport.authenticate only with login strategies (`'local'`, an OAuth provider): the step checks login credentials. */
  loginStrategy?: string;
  /** The factory's arguments switch off the branch that answers 401 (`if (!user && isStrict) throw …` with isStrict false). */
  rejectionSwitchedOff?: boolean;
  /** A condition reads a privilege of the request's principal (`if (req.user.admin) return next()`). */
  principalPrivilege?: boolean;
}

const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
const METHOD_TEST = /\.method\s*(===|!==|==|!=)\s*['"]([A-Za-z]+)['"]|['"]([A-Za-z]+)['"]\s*(===|!==|==|!=)\s*\w+(?:\.\w+)*\.method\b/;

/** The request method read directly (`req.method`, `c.req.method`) or through a local bound to it (`const method = c.req.method`). */
function isMethodRead(input: ts.Expression): boolean {
  const expr = skipOuterExpressions(input);
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text === 'method';
  if (!ts.isIdentifier(expr)) return false;
  const decl = findDeclaration(expr, expr.text);
  const init = decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
  return init !== undefined && ts.isPropertyAccessExpression(init) && init.name.text === 'method';
}

/**
 * The methods a condition made only of method comparisons names, and whether it holds for them (`method === 'GET' ||
 * method === 'HEAD'`: GET and HEAD, holds) or for the others (`req.method !== 'GET' && req.method !== 'HEAD'`).
 */
function getMethodCondition(input: ts.Expression): { methods: string[]; equal: boolean } | undefined {
  const expr = skipOuterExpressions(input);
  if (!ts.isBinaryExpression(expr)) return undefined;
  const operator = expr.operatorToken.kind;
  if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = getMethodCondition(expr.left);
    const right = getMethodCondition(expr.right);
    const equal = operator === ts.SyntaxKind.BarBarToken;
    return left && right && left.equal === equal && right.equal === equal ? { methods: [...left.methods, ...right.methods], equal } : undefined;
  }
  if (!EQUALITY.has(operator)) return undefined;
  const [read, literal] = ts.isStringLiteralLike(expr.right) ? [expr.left, expr.right] : [expr.right, expr.left];
  if (!ts.isStringLiteralLike(literal) || !isMethodRead(read)) return undefined;
  const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
  return { methods: [literal.text.toUpperCase()], equal };
}

/** The methods a branch runs for, when the `if` tests the request method; undefined otherwise. */
function getBranchMethods(statement: ts.IfStatement, inThen: boolean, file: SourceFileInfo): string[] | undefined {
  const condition = getMethodCondition(statement.expression);
  if (condition) return condition.equal === inThen ? condition.methods : HTTP_METHODS.filter((m) => !condition.methods.includes(m));
  const match = METHOD_TEST.exec(statement.expression.getText(file.sourceFile));
  if (!match) return undefined;
  const operator = match[1] ?? match[4] ?? '';
  const method = (match[2] ?? match[3] ?? '').toUpperCase();
  const equal = operator === '===' || operator === '==';
  return equal === inThen ? [method] : HTTP_METHODS.filter((m) => m !== method);
}

/** Methods for which a node inside the body does not run, from the method tests around it. */
function getSkippedMethods(node: ts.Node, body: ts.Node, file: SourceFileInfo): string[] {
  let runs = new Set(HTTP_METHODS);
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== body.parent; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression) {
      const methods = getBranchMethods(current, child === current.thenStatement, file);
      if (methods) runs = new Set([...runs].filter((m) => methods.includes(m)));
    }
  }
  return HTTP_METHODS.filter((m) => !runs.has(m));
}

/** Answering inside a `catch` ends the request: the credential check fails closed. */
const RESPONSE_METHODS = new Set(['send', 'code', 'status', 'sendStatus', 'json', 'end', 'redirect', 'text', 'body']);

/** Password hash comparisons: a handler calling them checks login credentials, it does not authenticate a request. */
const PASSWORD_HASH_MODULES = new Set(['bcrypt', 'bcryptjs', 'argon2']);

const THROWING_VERIFIER_MODULES = new Set(['jsonwebtoken', 'jose', '@nestjs/jwt', 'hono/jwt', 'hono/utils/jwt', 'fast-jwt', 'aws-jwt-verify', '@clerk/backend', 'google-auth-library', 'passport', 'koa-passport']);
const THROWING_VERIFY_METHODS = new Set(['jwtVerify', 'verifyIdToken', 'verifySessionCookie', 'verifyAccessToken']);

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.InKeyword,
]);
const MEMBERSHIP_CALLS = new Set(['includes', 'some', 'every', 'indexOf', 'has', 'find', 'intersection', 'filter']);

/** A value read to decide something: in a condition, a comparison or a membership test. */
function isInCondition(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && !ts.isBlock(current) && !ts.isSourceFile(current); child = current, current = current.parent) {
    if (ts.isIfStatement(current)) return current.expression === child;
    if (ts.isConditionalExpression(current)) return current.condition === child;
    if (ts.isBinaryExpression(current) && COMPARISONS.has(current.operatorToken.kind)) return true;
    if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isCallExpression(current)) {
      const name = calleeName(current);
      return name !== undefined && (MEMBERSHIP_CALLS.has(name) || AUTHORIZATION_CALL_NAMES.has(name));
    }
    if (ts.isSwitchStatement(current)) return current.expression === child;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

function isInsideTry(node: ts.Node, stop: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== stop; child = current, current = current.parent) {
    if (ts.isTryStatement(current) && current.tryBlock === child) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** Inside the `try` block of a statement whose `catch` neither throws nor returns: a failure falls through to what follows. */
function isInsideSwallowingTry(node: ts.Node, stop: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== stop; child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (!ts.isTryStatement(current) || current.tryBlock !== child || !current.catchClause) continue;
    let exits = false;
    walk(current.catchClause.block, (inner) => {
      if (exits || ts.isFunctionLike(inner)) return false;
      if (ts.isThrowStatement(inner) || ts.isReturnStatement(inner)) exits = true;
      return undefined;
    });
    return !exits;
  }
  return false;
}

/** A verifier call that throws on failure (no Node-style callback as last argument). */
function isThrowingVerifierCall(call: ts.CallExpression, origin: Origin, name: string | undefined): boolean {
  const last = call.arguments[call.arguments.length - 1];
  if (last && ts.isFunctionLike(last)) return false;
  if (origin.kind === 'external') return THROWING_VERIFIER_MODULES.has(origin.module);
  return name !== undefined && THROWING_VERIFY_METHODS.has(name);
}

const PRINCIPAL_PATTERN = /\b(?:req|request|ctx|context)\s*\.\s*(?:user|auth|principal|currentUser|session\s*\.\s*(?:\w*(?:user|User|id|Id|auth|Auth)\w*|(?:is_?)?[lL]ogged_?[iI]n)|state\s*\.\s*(?:user|auth|jwt\w*))\b|\bc\s*\.\s*get\(\s*['"](?:user|jwtPayload|session|auth)['"]|isAuthenticated\s*\(/;
/** Where a step stores the authenticated principal (`request.user = …`). */
const PRINCIPAL_TARGET = /^(?:req|request|ctx|context)\s*\.\s*(?:user|principal|auth|state\s*\.\s*user)$/;
/** A condition about roles, rights, permissions, scopes or privileges (`!hasRequiredRights`, `user.role !== 'admin'`). */
const PRIVILEGE_CONDITION = /(?:roles?|rights?|permissions?|scopes?|privileges?|isAdmin)\b/i;
/** A branch that answers 403 or raises a Forbidden error. */
const FORBIDDEN_ANSWER = /\b403\b|\bFORBIDDEN\b|\bForbidden(?:Error|Exception)?\b/;
const CREDENTIAL_HEADER = /^(?:authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-internal-token|x-service-token|token|access_token|accessToken|jwt)$/i;
const FAIL_OPEN_CONDITION = /token|authori[sz]ation|header|bearer|cookie|session|api[-_]?key|credential|user|auth/i;

/** Where a step keeps what it verified for later steps: a member of the request, its context or `res.locals`. */
const IDENTITY_TARGET = /^(?:req|request|ctx|context)\s*\.|^res\s*\.\s*locals\b/;
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);
/** Calls that keep a verified value in a store (`authenticatedUsers.put(token, decoded)`). */
const RECORDING_CALLS = new Set(['put', 'set', 'add', 'store', 'save', 'setUser', 'login', 'logIn']);
const VERIFIED_VALUE_NAMES = /^(?:decoded\w*|payload|claims|verified\w*|user|principal|identity|session)$/i;

/** A value assigned to a member of the request or `res.locals`, directly or as a property of the object assigned (`req.user = { ...user, admin: isAdmin(user) }`). */
function isKeptOnRequest(node: ts.Node, file: SourceFileInfo): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current) || ts.isObjectLiteralExpression(current)) continue;
    if (ts.isPropertyAssignment(current) && current.initializer === child) continue;
    return ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken && current.right === child && IDENTITY_TARGET.test(current.left.getText(file.sourceFile));
  }
  return false;
}

function lineOf(file: SourceFileInfo, node: ts.Node): string {
  return `${file.relPath}:${file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1}`;
}

function isLiteralLike(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  if (ts.isLiteralExpression(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isTypeOfExpression(inner)) return true;
  if (inner.kind === ts.SyntaxKind.NullKeyword || inner.kind === ts.SyntaxKind.TrueKeyword || inner.kind === ts.SyntaxKind.FalseKeyword) return true;
  return ts.isIdentifier(inner) && inner.text === 'undefined';
}

/**
 * Whether an expression holds the request's credential: read from the request (`req.cookies.token`, the Authorization
 * header), a name bound to one (a parameter the caller passed it in, a local initialised from one), a piece of one
 * (`header.split(' ')[1]`), or what a repository helper returns from the request's headers (`jwtFrom(req)`).
 */
function isCredentialExpression(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, names: ReadonlySet<string>, depth: number): boolean {
  const expr = skipOuterExpressions(input);
  if (depth > 4) return false;
  const text = expr.getText(file.sourceFile);
  if (REQUEST_CREDENTIAL_READ.test(text)) return true;
  // `({ headers }) => headers.authorization`: the request taken apart in the parameter list.
  if ((ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) && /^(?:headers|cookies)\b/.test(text) && CREDENTIAL_PART_READ.test(text)) return true;
  if (ts.isIdentifier(expr)) {
    if (names.has(expr.text)) return true;
    const decl = findDeclaration(expr, expr.text);
    if (decl === undefined || decl.getSourceFile() !== file.sourceFile) return false;
    // `let { token } = req.body || {}; if (!token) token = req.headers['x-actual-token'];`
    if (ts.isBindingElement(decl)) return isCredentialField(file, decl) || getLetReassignments(decl).some((v) => isCredentialExpression(project, file, v, names, depth + 1));
    if (!ts.isVariableDeclaration(decl)) return false;
    return (decl.initializer !== undefined && isCredentialExpression(project, file, decl.initializer, names, depth + 1)) || getLetReassignments(decl).some((v) => isCredentialExpression(project, file, v, names, depth + 1));
  }
  if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return isCredentialExpression(project, file, expr.expression, names, depth + 1);
  // `headers.authorization ? headers.authorization.substr(7) : null`, `req.cookies.token || header`
  if (ts.isConditionalExpression(expr)) return [expr.whenTrue, expr.whenFalse].some((e) => isCredentialExpression(project, file, e, names, depth + 1));
  if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(expr.operatorToken.kind)) {
    return [expr.left, expr.right].some((e) => isCredentialExpression(project, file, e, names, depth + 1));
  }
  if (ts.isCallExpression(expr)) {
    const callee = skipOuterExpressions(expr.expression);
    // `header.replace('Bearer ', '')`, `parts.split(' ')`: a piece of the credential is the credential.
    if (ts.isPropertyAccessExpression(callee) && ['replace', 'split', 'slice', 'substring', 'substr', 'trim', 'toString'].includes(callee.name.text)) {
      return isCredentialExpression(project, file, callee.expression, names, depth + 1);
    }
    const passesRequest = expr.arguments.some((a) => ts.isIdentifier(a) && /^(?:req|request|ctx|context|headers)$/.test(a.text));
    if (!passesRequest) return false;
    const helper = resolveFunction(project, file, callee);
    return helper !== undefined && helper.fn.body !== undefined && CREDENTIAL_PART_READ.test(helper.fn.body.getText(helper.file.sourceFile));
  }
  return false;
}

/**
 * A header named like a credential taken apart from the request's headers: `const { token } = req.headers`. A `token`
 * from the body or the query is left out: it is as often a link's code (an emailed confirmation, an RSS feed's per-user
 * token), which counts only when compared with a digest keyed by a secret of the service (getSignedCodeCheck).
 */
function isCredentialField(file: SourceFileInfo, element: ts.BindingElement): boolean {
  const bound = getBindingPath(element);
  const key = bound?.path.at(-1);
  if (!bound || bound.path.length !== 1 || typeof key !== 'string' || !CREDENTIAL_INPUT_NAMES.test(key) || !ts.isVariableDeclaration(bound.declaration) || !bound.declaration.initializer) return false;
  let init = skipOuterExpressions(bound.declaration.initializer);
  // `req.body || {}`
  if (ts.isBinaryExpression(init) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(init.operatorToken.kind)) init = skipOuterExpressions(init.left);
  return /^(?:req|request|ctx|context)\.(?:request\.)?headers$/.test(init.getText(file.sourceFile).replace(/\s+/g, ''));
}

/**
 * Where a handler reads request input by name: `req.params`, `request.query`, `ctx.request.body`, the input a validation
 * step put on the request (`ctx.input.query`), or `params` taken from the request.
 */
const REQUEST_INPUT_CONTAINER = /^(?:(?:req|request|ctx|context)\.(?:\w+\.)?)?(?:params|query|body)$/;
const INPUT_DECORATORS = new Set(['Param', 'Query', 'Body']);

function isCapabilityName(name: string): boolean {
  return getWords(name).some((w) => CAPABILITY_INPUT_WORDS.has(w));
}

/**
 * The name of the request input an expression holds when that name says it is a code the caller holds
 * (`params.continueCode`, `const { inviteCode } = req.params`, `@Param('token') token`); undefined otherwise.
 */
function getCapabilityInputName(file: SourceFileInfo, input: ts.Expression, depth: number): string | undefined {
  const expr = skipOuterExpressions(input);
  if (depth > 3) return undefined;
  if (ts.isPropertyAccessExpression(expr) || (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression))) {
    const name = ts.isPropertyAccessExpression(expr) ? expr.name.text : (expr.argumentExpression as ts.StringLiteralLike).text;
    const container = skipOuterExpressions(expr.expression).getText(file.sourceFile).replace(/\s+/g, '');
    return REQUEST_INPUT_CONTAINER.test(container) && isCapabilityName(name) ? name : undefined;
  }
  // `ctx.input.body.token ?? ctx.input.query.token`: the code from either place.
  if (ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return getCapabilityInputName(file, expr.left, depth + 1) ?? getCapabilityInputName(file, expr.right, depth + 1);
  }
  if (!ts.isIdentifier(expr)) return undefined;
  const decl = findDeclaration(expr, expr.text);
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) return decl.initializer ? getCapabilityInputName(file, decl.initializer, depth + 1) : undefined;
  if (ts.isBindingElement(decl)) {
    const binding = getBindingPath(decl);
    const key = binding?.path.at(-1);
    const owner = binding?.declaration;
    if (!owner || typeof key !== 'string' || binding.path.length !== 1 || !ts.isVariableDeclaration(owner) || !owner.initializer) return undefined;
    const container = skipOuterExpressions(owner.initializer).getText(file.sourceFile).replace(/\s+/g, '');
    return REQUEST_INPUT_CONTAINER.test(container) && isCapabilityName(key) ? key : undefined;
  }
  if (ts.isParameter(decl)) {
    for (const decorator of ts.canHaveDecorators(decl) ? (ts.getDecorators(decl) ?? []) : []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !INPUT_DECORATORS.has(call.expression.text)) continue;
      const key = call.arguments[0];
      if (key && ts.isStringLiteralLike(key) && isCapabilityName(key.text)) return key.text;
    }
  }
  return undefined;
}

/**
 * A decoder keyed by a secret of the service reading a request code (`hashids.decode(params.continueCode)` on
 * `new Hashids(salt)`): the code is a bearer capability the service issued. Returns the lookup's reason, or undefined.
 */
function getCapabilityDecode(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, origin: Origin): string | undefined {
  if (origin.kind !== 'external' || call.arguments.length === 0) return undefined;
  const stripped = stripDefault(origin.path);
  const decoder = KEYED_DECODERS.find((d) => d.modules.includes(origin.module) && d.path.length === stripped.length && d.path.every((p, i) => stripped[i] === p));
  if (!decoder) return undefined;
  let keyArguments: readonly ts.Expression[] = call.arguments;
  if (decoder.form === 'instance') {
    const callee = skipOuterExpressions(call.expression);
    const made = ts.isPropertyAccessExpression(callee) ? evaluate(project, file, callee.expression) : undefined;
    if (made?.kind !== 'call') return undefined;
    keyArguments = made.args;
  }
  const key = keyArguments[decoder.key];
  // Without a secret (`new Hashids()`, an empty salt) anyone can make the code: it identifies, it does not authorize.
  if (!key || (ts.isStringLiteralLike(skipOuterExpressions(key)) && (skipOuterExpressions(key) as ts.StringLiteralLike).text === '')) return undefined;
  const input = getCapabilityInputName(file, call.arguments[0] as ts.Expression, 0);
  if (!input) return undefined;
  return `decodes the request's code '${input}' with ${origin.module} ${decoder.path.filter((p) => p !== 'new').join('.')}(), keyed by a secret (${lineOf(file, call)})`;
}

/**
 * A signed link checked (`safeEqual(token, createHmac('sha256', secret).update(id).digest('hex'))`, `code ===
 * expected`): a request code is compared with a digest the service computes with a secret of its own, so only a caller
 * the service gave the code to can present it. The comparison is a constant-time one (a library's, or a repository
 * helper calling one) or an equality. The presented side must be a code the request names (query, body or path), not
 * a header echoing a cookie: an anti-forgery check compares the browser's own cookie with its copy, which any caller
 * holds. Returns the check's reason, or undefined.
 */
function getSignedCodeCheck(project: AnalysisProject, file: SourceFileInfo, node: ts.Node, a: ts.Expression, b: ts.Expression, origin?: Origin): string | undefined {
  const left = unwrapBuffer(a);
  const right = unwrapBuffer(b);
  const leftInput = getCapabilityInputName(file, left, 0);
  const input = leftInput ?? getCapabilityInputName(file, right, 0);
  if (!input) return undefined;
  const expected = leftInput ? right : left;
  if (!isKeyedDigest(project, file, expected, 0)) return undefined;
  if (ts.isCallExpression(node) && (!origin || !isConstantTimeComparison(project, file, node, origin))) return undefined;
  return `compares the request's code '${input}' with a digest keyed by a secret of the service (${lineOf(file, node)})`;
}

/** `Buffer.from(value)` / `Buffer.from(value, 'hex')`: the bytes of the value compared. */
function unwrapBuffer(input: ts.Expression): ts.Expression {
  const expr = skipOuterExpressions(input);
  if (!ts.isCallExpression(expr) || expr.arguments.length === 0) return expr;
  const callee = skipOuterExpressions(expr.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer' ? skipOuterExpressions(expr.arguments[0] as ts.Expression) : expr;
}

function isConstantTimeOrigin(origin: Origin): boolean {
  if (origin.kind !== 'external') return false;
  const stripped = stripDefault(origin.path);
  return CONSTANT_TIME_COMPARISONS.some((c) => c.module === origin.module && c.path.length === stripped.length && c.path.every((p, i) => stripped[i] === p));
}

/** A constant-time comparison, or a repository function that makes one (`safeEqual(a, b)` around `timingSafeEqual`). */
function isConstantTimeComparison(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, origin: Origin): boolean {
  if (isConstantTimeOrigin(origin)) return true;
  if (origin.kind !== 'local') return false;
  const helper = resolveFunction(project, file, call.expression);
  if (!helper?.fn.body) return false;
  let found = false;
  walk(helper.fn.body, (inner) => {
    if (found) return false;
    if (ts.isCallExpression(inner) && isConstantTimeOrigin(resolveOrigin(project, helper.file, inner.expression))) found = true;
    return undefined;
  });
  return found;
}

/**
 * A digest only the service can compute: an HMAC (`createHmac(alg, key)…digest()`, the key being no empty literal), or a
 * hash whose data includes a secret (`createHash('sha256').update(`${id}-${env.SECRET_KEY}`).digest('hex')`), directly,
 * through a local variable, or returned by a repository function or static method.
 */
function isKeyedDigest(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth: number): boolean {
  const expr = unwrapBuffer(input);
  if (depth > 3) return false;
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && isKeyedDigest(project, file, decl.initializer, depth + 1);
  }
  if (ts.isAwaitExpression(expr)) return isKeyedDigest(project, file, expr.expression, depth + 1);
  if (!ts.isCallExpression(expr)) return false;
  const callee = skipOuterExpressions(expr.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'digest') return isKeyedHasher(project, file, callee.expression, 0);
  const helper = resolveFunction(project, file, callee);
  return helper !== undefined && getReturnedExpressions(helper.fn).some((e) => isKeyedDigest(project, helper.file, e, depth + 1));
}

/** The hasher a `.digest()` is called on: its factory call, and the data given to `update()` along the way. */
function isKeyedHasher(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth: number): boolean {
  const data: ts.Expression[] = [];
  let expr = skipOuterExpressions(input);
  for (let steps = 0; steps < 8; steps++) {
    if (ts.isCallExpression(expr)) {
      const callee = skipOuterExpressions(expr.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'update') {
        data.push(...expr.arguments);
        expr = skipOuterExpressions(callee.expression);
        continue;
      }
      const origin = resolveOrigin(project, file, callee);
      const factory = origin.kind === 'external' ? DIGEST_FACTORIES.find((f) => f.modules.includes(origin.module) && stripDefault(origin.path).join('.') === f.name) : undefined;
      if (!factory) return false;
      if (factory.keyed) {
        const key = expr.arguments[1] && skipOuterExpressions(expr.arguments[1]);
        return key !== undefined && !(ts.isStringLiteralLike(key) && key.text === '');
      }
      return data.some((d) => mentionsSecret(file, d));
    }
    if (!ts.isIdentifier(expr) || depth > 0) return false;
    // `const hash = createHash('sha256'); hash.update(…); return hash.digest('hex')`
    const name = expr.text;
    const decl = findDeclaration(expr, name);
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    let scope: ts.Node = decl;
    while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    walk(scope, (inner) => {
      if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'update' && ts.isIdentifier(inner.expression.expression) && inner.expression.expression.text === name) {
        data.push(...inner.arguments);
      }
      return undefined;
    });
    expr = skipOuterExpressions(decl.initializer);
    depth += 1;
  }
  return false;
}

/** A name in hashed data that says it is a secret (`env.SECRET_KEY`, `this.appSecret`), not read from the request. */
function mentionsSecret(file: SourceFileInfo, data: ts.Expression): boolean {
  let found = false;
  walk(data, (inner) => {
    if (found) return false;
    const name = ts.isIdentifier(inner) ? inner : undefined;
    if (name && getWords(name.text).some((w) => DIGEST_SECRET_WORDS.has(w))) {
      const read = ts.isPropertyAccessExpression(name.parent) && name.parent.name === name ? name.parent : name;
      if (!/^(?:req|request|ctx|context)/.test(read.getText(file.sourceFile))) found = true;
    }
    return undefined;
  });
  return found;
}

/** The check's outcome chooses a branch: it is (or initialises a variable that is) the condition of an `if` or `?:`. */
function decidesAnswer(node: ts.Node, body: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== body; child = current, current = current.parent) {
    if (ts.isIfStatement(current)) return current.expression === child;
    if (ts.isConditionalExpression(current)) return current.condition === child;
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) {
      // `const loggedInUser = store.get(token); if (!loggedInUser) …`: the variable is tested by a later condition.
      const mention = new RegExp(`(?:^|[^\\w.$])${current.name.text}(?![\\w$])`);
      let used = false;
      walk(body, (inner) => {
        if (used) return false;
        const condition = ts.isIfStatement(inner) ? inner.expression : ts.isConditionalExpression(inner) ? inner.condition : undefined;
        if (condition && mention.test(condition.getText())) used = true;
        return undefined;
      });
      return used;
    }
    if (ts.isExpressionStatement(current) || ts.isBlock(current) || ts.isReturnStatement(current)) return false;
  }
  return false;
}

/**
 * Whether a missing lookup result stops the request: a later `if` tests the variable it initialises and its branch throws,
 * passes an error to `next`, or answers with an error status; or the lookup sits in a `try` whose `catch` does so.
 */
function rejectsWhenMissing(node: ts.Node, body: ts.Node): boolean {
  const rejecting = (branch: ts.Node): boolean => {
    let found = false;
    walk(branch, (inner) => {
      if (found) return false;
      if (ts.isThrowStatement(inner)) found = true;
      else if (ts.isCallExpression(inner)) {
        const name = calleeName(inner);
        if (name === 'next' && inner.arguments.length > 0) found = true;
        if ((name === 'status' || name === 'sendStatus' || name === 'code') && inner.arguments[0] && ts.isNumericLiteral(inner.arguments[0]) && Number(inner.arguments[0].text) >= 400) found = true;
      }
      return undefined;
    });
    return found;
  };
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== body.parent; child = current, current = current.parent) {
    if (ts.isTryStatement(current) && current.tryBlock === child && current.catchClause && rejecting(current.catchClause.block)) return true;
    if (ts.isIfStatement(current) && current.expression === child) return rejecting(current.thenStatement) || (current.elseStatement !== undefined && rejecting(current.elseStatement));
    if (ts.isVariableDeclaration(current)) {
      // `const [teamId] = decode(code)`: any name the declaration binds stands for the result.
      const names = getBoundNames(current.name);
      if (names.length === 0) break;
      const mention = new RegExp(`(?:^|[^\\w.$])(?:${names.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`);
      let found = false;
      walk(body, (inner) => {
        if (found) return false;
        if (ts.isIfStatement(inner) && mention.test(inner.expression.getText()) && (rejecting(inner.thenStatement) || (inner.elseStatement !== undefined && rejecting(inner.elseStatement)))) found = true;
        return undefined;
      });
      if (found) return true;
    }
    if (ts.isFunctionLike(current)) break;
  }
  return false;
}

function getBoundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : getBoundNames(element.name)));
}

/** `await request.jwtVerify()` / `req.authenticate()`: a verifier called on the request decorates it with the caller. */
function recordsOnRequest(call: ts.CallExpression, file: SourceFileInfo): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(?:req|request|ctx|context|c)$/.test(callee.expression.getText(file.sourceFile))) return false;
  let parent = call.parent;
  while (parent && (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent))) parent = parent.parent;
  return parent !== undefined && ts.isExpressionStatement(parent);
}

/** Parameters of a Nest handler that receive a credential from the request (`@Query('token') token`, `@Headers('x-api-key') key`). */
function getCredentialParameters(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  for (const parameter of fn.parameters) {
    if (!ts.isIdentifier(parameter.name)) continue;
    for (const decorator of ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !['Query', 'Headers', 'Param', 'Body', 'Cookies'].includes(call.expression.text)) continue;
      const key = call.arguments[0];
      if (key && ts.isStringLiteralLike(key) && CREDENTIAL_INPUT_NAMES.test(key.text)) names.add(parameter.name.text);
    }
  }
  return names;
}

/** The callee's parameters that receive the caller's credential (`this.service.check(token)` → `check(token)`). */
function getPassedCredentials(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, target: ts.FunctionLikeDeclaration, names: ReadonlySet<string>): Set<string> {
  const passed = new Set<string>();
  call.arguments.forEach((arg, index) => {
    const parameter = target.parameters[index];
    if (parameter && ts.isIdentifier(parameter.name) && isCredentialExpression(project, file, arg, names, 0)) passed.add(parameter.name.text);
  });
  return passed;
}

/** A method of an injected or constructed service (`this.infraConfigService.getOnboardingConfig`), or of the own class. */
export function resolveServiceMethod(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): ResolvedFunction | undefined {
  const expr = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(expr)) return undefined;
  if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const own = findEnclosingClass(expr)?.members.find((m) => m.name !== undefined && getPropertyName(m.name) === expr.name.text);
    if (own && ts.isMethodDeclaration(own) && own.body) return { file, fn: own };
  }
  const origin = resolveOrigin(project, file, expr);
  if (origin.kind !== 'local' || !ts.isClassDeclaration(origin.node)) return undefined;
  const [instance, name, ...rest] = origin.path;
  if (instance !== '#instance' || name === undefined || rest.length > 0) return undefined;
  const member = origin.node.members.find((m) => m.name !== undefined && getPropertyName(m.name) === name);
  if (member && ts.isMethodDeclaration(member) && member.body) return { file: origin.file, fn: member };
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function isInsideCatch(node: ts.Node, stop: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== stop; child = current, current = current.parent) {
    if (ts.isCatchClause(current)) return true;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'catch' && current.arguments.some((a) => a === child)) return true;
  }
  return false;
}

const CREDENTIAL_PRESENCE = /authori[sz]ation|bearer|token|api[-_]?key|credential/i;
const ELSE_REJECTS = /\b40[13]\b|\bthrow\b|Unauthori[sz]ed|Forbidden|\bnext\(\s*\w/;

/**
 * Whether `node` runs only when the request carries a credential: it is in the `then` branch of an `if` whose condition
 * tests for one without negation (`if (req.headers.authorization)`), and no `else` of that `if` rejects.
 */
function isInCredentialBranch(node: ts.Node, body: ts.Node, file: SourceFileInfo): boolean {
  let child = node;
  for (let current = node.parent; current && current !== body; child = current, current = current.parent) {
    if (!ts.isIfStatement(current) || current.thenStatement !== child) continue;
    const condition = current.expression.getText(file.sourceFile);
    if (/^\s*!/.test(condition) || /[!=]==?|<|>/.test(condition) || !CREDENTIAL_PRESENCE.test(condition)) continue;
    if (current.elseStatement && ELSE_REJECTS.test(current.elseStatement.getText(file.sourceFile))) continue;
    return true;
  }
  return false;
}

function isBareNextCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'next' && node.arguments.length === 0;
}

/** `passport.authenticate(type, …)` whose strategy is a literal or a bound factory argument naming only login strategies. */
function getLoginStrategy(origin: Origin, call: ts.CallExpression, bound: Readonly<Record<string, string | boolean>> | undefined): string | undefined {
  if (origin.kind !== 'external' || !PASSPORT_MODULES.includes(origin.module)) return undefined;
  const path = stripDefault(origin.path).join('.');
  // `passport.authenticate(type, callback)(req, res, next)`: the strategy is on the inner call.
  const authenticate = path === 'authenticate.()' && ts.isCallExpression(call.expression) ? call.expression : path === 'authenticate' ? call : undefined;
  const first = authenticate?.arguments[0];
  const strategy = first && bound ? evaluateBoundCondition(first, bound) : first && ts.isStringLiteralLike(first) ? first.text : undefined;
  return typeof strategy === 'string' && LOGIN_STRATEGIES.has(strategy) ? `the login strategy '${strategy}'` : undefined;
}

function matchesVerifier(origin: Origin): string | undefined {
  if (origin.kind !== 'external') return undefined;
  const stripped = stripDefault(origin.path);
  if (PASSPORT_MODULES.includes(origin.module) && stripped[0] === 'authenticate') return 'calls passport.authenticate';
  const found = CREDENTIAL_VERIFIERS.find((v) => v.module === origin.module && v.path.every((p, i) => stripped[i] === p));
  return found ? `calls ${origin.module} ${found.path.filter((p) => p !== '()' && p !== 'new' && p !== '#instance').join('.')}` : undefined;
}

/**
 * Signals of a function body by the arguments of `scanBody` (per project): a service method called from many route
 * handlers is scanned once for each depth and set of credential parameters, not once per handler (on ever-gauzy 1,747
 * distinct scans of 5,433). The result depends on nothing else: the body, the facts it reads and those arguments.
 */
const bodySignalsMemo = defineProjectMemo<ts.Node, Map<string, { file: SourceFileInfo; signals: Readonly<BodySignals> }>>();

function scanBody(
  project: AnalysisProject,
  file: SourceFileInfo,
  fn: ts.FunctionLikeDeclaration,
  options: ClassifyOptions,
  depth: number,
  credentialNames: ReadonlySet<string> = getCredentialParameters(fn),
): Readonly<BodySignals> {
  const memo = bodySignalsMemo(project);
  const byKey = innerTable(memo, fn);
  const key = `${depth}\u0000${JSON.stringify(options)}\u0000${[...credentialNames].sort().join('\u0000')}`;
  const known = byKey.get(key);
  if (known && known.file === file) return known.signals;
  return recordOwn(() => {
    // Frozen: every caller reads the signals of a memoised scan, none may change them.
    const signals = Object.freeze(computeBodySignals(project, file, fn, options, depth, credentialNames));
    if (!known) byKey.set(key, { file, signals });
    return signals;
  });
}

/** What an identifier's text alone tells a body scan (bits of `getNameClass`). */
const NAME_CAPTCHA = 1;
const NAME_401 = 2;
const NAME_403 = 4;
const NAME_PRIVILEGE = 8;
const NAME_IP = 16;
const NAME_CREDENTIAL_HEADER = 32;

/**
 * The tests a body scan makes of every identifier's text, once per text: the same names recur in every body. Cleared
 * when it grows past a bound, so that a long-lived process (the editor) stays bounded.
 */
const nameClasses = new Map<string, number>();

function getNameClass(text: string): number {
  let name = nameClasses.get(text);
  if (name !== undefined) return name;
  name = 0;
  if (getWords(text).some((w) => CAPTCHA_WORDS.has(w))) name |= NAME_CAPTCHA;
  if (/^(?:unauthori[sz]ed|unauthenticated|authenticationerror|notauthenticated|authenticationrequired)/i.test(text) || text === 'UNAUTHORIZED') name |= NAME_401;
  if (/^forbidden/i.test(text) || text === 'FORBIDDEN') name |= NAME_403;
  if (PRIVILEGE_PROPERTY_WORDS.has(text.toLowerCase())) name |= NAME_PRIVILEGE;
  if (['ip', 'ips', 'remoteAddress'].includes(text)) name |= NAME_IP;
  if (CREDENTIAL_HEADER.test(text)) name |= NAME_CREDENTIAL_HEADER;
  if (nameClasses.size >= 100_000) nameClasses.clear();
  nameClasses.set(text, name);
  return name;
}

/** The same for the text of a string literal, with the tests a body scan makes of strings. */
const stringClasses = new Map<string, number>();

function getStringClass(text: string): number {
  let string = stringClasses.get(text);
  if (string !== undefined) return string;
  string = 0;
  if (text === 'UNAUTHORIZED' || /^(?:unauthori[sz]ed|not authenticated|invalid token|missing token|authentication required)/i.test(text)) string |= NAME_401;
  if (text === 'FORBIDDEN' || /^forbidden/i.test(text)) string |= NAME_403;
  if (CREDENTIAL_HEADER.test(text)) string |= NAME_CREDENTIAL_HEADER;
  if (/^x-forwarded-for$|^x-real-ip$/i.test(text)) string |= NAME_IP;
  if (PRIVILEGE_PROPERTY_WORDS.has(text.toLowerCase())) string |= NAME_PRIVILEGE;
  if (stringClasses.size >= 100_000) stringClasses.clear();
  stringClasses.set(text, string);
  return string;
}

/** The parameter that continues the chain: Express/Koa `next`, the last parameter of a middleware named so. */
function getNextParameter(fn: ts.FunctionLikeDeclaration): string | undefined {
  const last = fn.parameters[fn.parameters.length - 1];
  return fn.parameters.length >= 2 && last && ts.isIdentifier(last.name) && /^next$/i.test(last.name.text) ? last.name.text : undefined;
}

/** `try { await next(); … }`: the block continues the chain first, so its `catch` sees only what failed after this step. */
function startsWithCall(block: ts.Block, name: string): boolean {
  const first = block.statements[0];
  const expr = first && (ts.isExpressionStatement(first) || ts.isReturnStatement(first)) && first.expression ? skipOuterExpressions(first.expression) : undefined;
  const call = expr && ts.isAwaitExpression(expr) ? skipOuterExpressions(expr.expression) : expr;
  return call !== undefined && ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === name;
}

function computeBodySignals(
  project: AnalysisProject,
  file: SourceFileInfo,
  fn: ts.FunctionLikeDeclaration,
  options: ClassifyOptions,
  depth: number,
  credentialNames: ReadonlySet<string>,
): BodySignals {
  const s: BodySignals = {
    tokenVerified: false,
    setsPrincipal: false,
    recordsIdentity: false,
    gatesOnCredential: false,
    lookupRejects: false,
    principalCheck: false,
    credentialRead: false,
    privilegeCheck: false,
    reject401: false,
    reject403: false,
    rejects: false,
    failOpen: false,
    failsClosed: false,
    ipCheck: false,
    captcha: false,
    authCalls: [],
    verifySites: 0,
    swallowedVerifySites: 0,
    credentialOnlyVerifySites: 0,
    skippedMethods: new Set(),
  };
  let guardSeen = false;
  const noteGuard = (node: ts.Node): void => {
    if (guardSeen || !fn.body) return;
    guardSeen = true;
    for (const m of getSkippedMethods(node, fn.body, file)) s.skippedMethods.add(m);
  };
  if (!fn.body) return s;
  const body = fn.body;
  const next = getNextParameter(fn);
  const noteVerifySite = (node: ts.Node, credentialOnly = false): void => {
    s.verifySites += 1;
    if (isInsideSwallowingTry(node, body)) s.swallowedVerifySites += 1;
    if (credentialOnly || isInCredentialBranch(node, body, file)) s.credentialOnlyVerifySites += 1;
  };
  const bound = options.bound;
  const dead = new Set<ts.Node>();
  walk(body, (node) => {
    if (dead.has(node)) {
      if (answers401(node)) s.rejectionSwitchedOff = true;
      return false;
    }
    const deadBranch = bound ? getDeadBranch(node, bound) : undefined;
    if (deadBranch) dead.add(deadBranch);
    // `try { await next() } catch (error) { … throw 401 … }`: what the error handler answers for the routes after it
    // failing is no check of this request.
    if (next && ts.isCatchClause(node) && ts.isTryStatement(node.parent) && startsWithCall(node.parent.tryBlock, next)) return false;
    if (ts.isNumericLiteral(node)) {
      if (node.text === '401') s.reject401 = true;
      if (node.text === '403') s.reject403 = true;
    } else if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const name = getNameClass(node.text);
      if (name & NAME_CAPTCHA) s.captcha = true;
      if (name & NAME_401) s.reject401 = true;
      else if (name & NAME_403) s.reject403 = true;
      else if ((name & NAME_PRIVILEGE) !== 0 && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node && isInCondition(node.parent)) {
        s.privilegeCheck = true;
        if (PRINCIPAL_PATTERN.test(node.parent.expression.getText(file.sourceFile))) s.principalPrivilege = true;
      }
      else if ((name & NAME_IP) !== 0 && ts.isPropertyAccessExpression(node.parent)) s.ipCheck = true;
      else if ((name & NAME_CREDENTIAL_HEADER) !== 0 && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) s.credentialRead = true;
    } else if (ts.isStringLiteralLike(node)) {
      const string = getStringClass(node.text);
      if (string & NAME_401) s.reject401 = true;
      else if (string & NAME_403) s.reject403 = true;
      else if (string & NAME_CREDENTIAL_HEADER) s.credentialRead = true;
      else if (string & NAME_IP) s.ipCheck = true;
      else if ((string & NAME_PRIVILEGE) !== 0 && ts.isElementAccessExpression(node.parent) && isInCondition(node.parent)) s.privilegeCheck = true;
    } else if (ts.isThrowStatement(node)) {
      s.rejects = true;
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && IDENTITY_TARGET.test(node.left.getText(file.sourceFile))) {
      s.recordsIdentity = true;
      if (PRINCIPAL_TARGET.test(node.left.getText(file.sourceFile))) s.setsPrincipal = true;
    } else if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      // `token === recoveryToken`: the request's credential compared with a stored secret.
      const [credential, other] = isCredentialExpression(project, file, node.left, credentialNames, 0) ? [node.left, node.right] : [node.right, node.left];
      if (!isLiteralLike(other) && isCredentialExpression(project, file, credential, credentialNames, 0)) {
        s.credentialLookup ??= `compares the request's credential with a stored value (${lineOf(file, node)})`;
        noteVerifySite(node);
        if (decidesAnswer(node, body)) s.gatesOnCredential = true;
      } else {
        const signed = getSignedCodeCheck(project, file, node, node.left, node.right);
        if (signed) {
          s.credentialLookup ??= signed;
          noteVerifySite(node);
          if (decidesAnswer(node, body)) s.gatesOnCredential = true;
        }
      }
    } else if (ts.isElementAccessExpression(node) && isCredentialExpression(project, file, node.argumentExpression, credentialNames, 0)) {
      // `tokenMap[jwtFrom(req)]`: a store keyed by the request's credential.
      s.credentialLookup ??= `looks the request's credential up in '${node.expression.getText(file.sourceFile).replace(/\s+/g, '')}' (${lineOf(file, node)})`;
      noteVerifySite(node);
      if (rejectsWhenMissing(node, body)) s.lookupRejects = true;
    } else if (options.falseRejects && ts.isReturnStatement(node) && node.expression?.kind === ts.SyntaxKind.FalseKeyword) {
      s.rejects = true;
    } else if (ts.isIfStatement(node) || ts.isConditionalExpression(node)) {
      const condition = ts.isIfStatement(node) ? node.expression : node.condition;
      const text = condition.getText(file.sourceFile);
      if (PRINCIPAL_PATTERN.test(text)) s.principalCheck = true;
      // `if (!hasRequiredRights && req.params.userId !== user.id) return reject(new ApiError(httpStatus.FORBIDDEN))`
      if (ts.isIfStatement(node) && PRIVILEGE_CONDITION.test(text) && FORBIDDEN_ANSWER.test(node.thenStatement.getText(file.sourceFile))) {
        s.privilegeCheck = s.reject403 = s.rejects = true;
      }
      const methods = ts.isIfStatement(node) ? getBranchMethods(node, true, file) : undefined;
      const bypass = ts.isIfStatement(node) && (methods !== undefined || (/^\s*!/.test(text) && FAIL_OPEN_CONDITION.test(text)));
      if (bypass) {
        let bareNext = false;
        walk(node.thenStatement, (inner) => {
          if (isBareNextCall(inner)) bareNext = true;
          return inner === node.thenStatement || !ts.isFunctionLike(inner);
        });
        if (bareNext && methods) for (const m of methods) s.skippedMethods.add(m);
        else if (bareNext) s.failOpen = true;
      }
    } else if (ts.isCallExpression(node)) {
      if (isBareNextCall(node) && isInsideCatch(node, body)) s.failOpen = true;
      if (ts.isIdentifier(node.expression) && node.expression.text === 'next' && node.arguments.length > 0 && !node.arguments.some((a) => ts.isStringLiteralLike(a))) s.rejects = true;
      const name = calleeName(node);
      if (name === 'throw' && ts.isPropertyAccessExpression(node.expression)) s.rejects = true;
      if (name === 'redirect' && ts.isPropertyAccessExpression(node.expression)) s.rejects = true;
      if (name === 'assert' && node.arguments[0] && PRINCIPAL_PATTERN.test(node.arguments[0].getText(file.sourceFile))) {
        s.principalCheck = true;
        s.rejects = true;
      }
      if (name && RESPONSE_METHODS.has(name) && ts.isPropertyAccessExpression(node.expression) && isInsideCatch(node, body)) s.rejects = true;
      const origin = resolveOrigin(project, file, node.expression);
      const login = getLoginStrategy(origin, node, bound);
      if (login) s.loginStrategy ??= login;
      const verifier = login ? undefined : matchesVerifier(origin);
      if (name && getWords(name).some((w) => LOOKUP_CALL_WORDS.has(w)) && node.arguments.some((a) => isCredentialExpression(project, file, a, credentialNames, 0))) {
        s.credentialLookup ??= `looks the request's credential up with ${name}() (${lineOf(file, node)})`;
        noteVerifySite(node);
        if (rejectsWhenMissing(node, body)) s.lookupRejects = true;
      }
      const capability = getCapabilityDecode(project, file, node, origin);
      if (capability) {
        s.credentialLookup ??= capability;
        noteVerifySite(node);
        if (rejectsWhenMissing(node, body)) s.lookupRejects = true;
      }
      // Only a repository function or a constant-time comparison can compare a signed code (the cheap test first).
      const comparable = node.arguments.length >= 2 && (origin.kind === 'local' || isConstantTimeOrigin(origin));
      const signed = comparable ? getSignedCodeCheck(project, file, node, node.arguments[0] as ts.Expression, node.arguments[1] as ts.Expression, origin) : undefined;
      if (signed) {
        s.credentialLookup ??= signed;
        noteVerifySite(node);
        if (decidesAnswer(node, body)) s.gatesOnCredential = true;
      }
      if (name && RECORDING_CALLS.has(name) && node.arguments.some((a) => ts.isIdentifier(a) && VERIFIED_VALUE_NAMES.test(a.text))) s.recordsIdentity = true;
      if ((verifier || (name && VERIFY_METHOD_NAMES.has(name))) && recordsOnRequest(node, file)) s.recordsIdentity = true;
      if (verifier || (name && VERIFY_METHOD_NAMES.has(name))) noteVerifySite(node);
      if (verifier) {
        s.verifies ??= verifier;
        if (origin.kind === 'external' && !PASSWORD_HASH_MODULES.has(origin.module)) s.tokenVerified = true;
        noteGuard(node);
      }
      if (!verifier && origin.kind === 'external') {
        const delegated = login ? undefined : classifyLibrary(project, file, node, origin);
        if (delegated?.kind === 'authentication' && !delegated.optional && !delegated.login) {
          s.verifies ??= `delegates to ${delegated.reason}`;
          noteVerifySite(node);
          s.tokenVerified = true;
          noteGuard(node);
          if (!isInsideTry(node, body)) s.failsClosed = true;
        }
      }
      else if (name && VERIFY_METHOD_NAMES.has(name)) {
        s.verifies ??= `calls ${name}()`;
        s.tokenVerified = true;
      }
      if ((verifier || (name && VERIFY_METHOD_NAMES.has(name))) && isThrowingVerifierCall(node, origin, name) && !isInsideTry(node, body)) s.failsClosed = true;
      if (name && AUTHORIZATION_CALL_NAMES.has(name)) s.privilegeCheck = true;
      if (name && SIGN_IN_FLOW_CALLS.has(name)) s.signInFlow ??= `calls ${name}()`;
      if (name === 'includes' && ts.isPropertyAccessExpression(node.expression) && /role|scope|permission|group/i.test(node.getText(file.sourceFile))) s.privilegeCheck = true;
      // A member of a local object that holds a repository module (`controllers.helpers.notAllowed(req, res)`) has no origin, but a value.
      // `jwtVerifyAsync(token)` of `const jwtVerifyAsync = util.promisify(…)`: its origin is Node's util, its body the repository's.
      const promisified = origin.kind === 'external' && PROMISIFY_FUNCTIONS.some((f) => f.module === origin.module) ? getPromisifiedFunction(project, file, node.expression) : undefined;
      if (!verifier && name && depth < MAX_FOLLOW && (promisified || origin.kind === 'local' || (origin.kind === 'unknown' && ts.isPropertyAccessExpression(node.expression)))) {
        const target = promisified ?? resolveFunction(project, file, node.expression) ?? resolveServiceMethod(project, file, node.expression);
        if (target && target.fn !== fn) {
          const passed = getPassedCredentials(project, file, node, target.fn, credentialNames);
          const found = scanBody(project, target.file, target.fn, bound ? { ...options, bound: undefined } : options, depth + 1, passed);
          // A helper that verifies only where a failure is swallowed (`try { getUserForJWT(token) } catch {}`, then
          // the client address instead) identifies a caller when it can and never turns one away: no verification.
          const inner = found.verifySites > 0 && found.swallowedVerifySites === found.verifySites ? { ...found, verifies: undefined, credentialLookup: undefined, tokenVerified: false, lookupRejects: false } : found;
          if (inner.verifies) {
            s.verifies ??= `calls ${name}(), which ${inner.verifies}`;
            noteVerifySite(node, inner.verifySites > 0 && inner.credentialOnlyVerifySites === inner.verifySites && !inner.principalCheck);
          }
          if (inner.credentialLookup) {
            s.credentialLookup ??= `calls ${name}(), which ${inner.credentialLookup}`;
            if (!inner.verifies) noteVerifySite(node);
          }
          if (inner.credentialLookup && (inner.lookupRejects || rejectsWhenMissing(node, body))) s.lookupRejects = true;
          s.gatesOnCredential ||= inner.gatesOnCredential;
          s.recordsIdentity ||= inner.recordsIdentity;
          s.tokenVerified ||= inner.tokenVerified;
          if (inner.verifies && (inner.failsClosed || inner.rejects || inner.reject401) && !isInsideTry(node, body)) s.failsClosed = true;
          // `res.locals.isAdmin = isAdmin(user)`: the answer is kept for later steps, it decides nothing here.
          s.privilegeCheck ||= inner.privilegeCheck && !isKeptOnRequest(node, file);
          // `reject(req, res, 'Logged in session not found')` of `function reject(req, res, message) { res.status(401).send(message) }`.
          const refuses = answers401Always(target.fn);
          s.reject401 ||= (inner.reject401 && (inner.rejects || inner.verifies !== undefined)) || refuses;
          s.rejects ||= refuses;
          s.reject403 ||= inner.reject403 && inner.rejects;
        }
      } else if (!verifier && name && origin.kind !== 'local' && origin.kind !== 'global' && !(origin.kind === 'external' && isTelemetryPackage(origin.module)) && !isNeutralLibraryCall(origin)) {
        const words = getWords(name);
        if (words.some((w) => AUTHENTICATION_NAME_WORDS.has(w) || AUTHORIZATION_NAME_WORDS.has(w))) s.authCalls.push(name);
      }
    }
    return undefined;
  });
  if (s.credentialLookup && !s.verifies) {
    s.verifies = s.credentialLookup;
    s.tokenVerified = true;
  }
  return s;
}

/** Classifies a local middleware/hook/guard function by what its body does. */
export function classifyFunction(
  project: AnalysisProject,
  file: SourceFileInfo,
  fn: ts.FunctionLikeDeclaration,
  options: ClassifyOptions = {},
  depth = 0,
): Classification {
  const s = scanBody(project, file, fn, options, depth);
  const result = classifySignals(s, file, fn);
  if (s.skippedMethods.size > 0 && result.kind !== 'neutral') {
    result.exemption = { paths: [], patterns: [], methods: [...s.skippedMethods], partial: false };
  }
  return result;
}

/**
 * Authentication performed by a route handler itself: it verifies a token or session credential (a password check is a
 * login, not authentication of the request) and rejects the request when verification fails. Undefined otherwise.
 */
export function classifyHandlerBody(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): Classification | undefined {
  const s = scanBody(project, file, fn, {}, 0);
  if (!s.verifies || !s.tokenVerified || s.failOpen) return undefined;
  // A lookup of the credential authenticates only when a missing entry stops the request; otherwise it personalises the answer.
  if (s.verifies === s.credentialLookup && !s.lookupRejects && !s.gatesOnCredential) return undefined;
  // Answering different data by the check's outcome (`tokenIsValid ? config.value : null`) is the handler's own gate.
  if (!s.failsClosed && !s.reject401 && !s.rejects && !s.gatesOnCredential && !s.lookupRejects) return undefined;
  const result = classifySignals({ ...s, rejects: s.rejects || s.gatesOnCredential || s.lookupRejects }, file, fn);
  return result.kind === 'authentication' && !result.optional ? { ...result, reason: `the handler ${result.reason}` } : undefined;
}

function classifySignals(s: BodySignals, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): Classification {
  const rejects = s.reject401 || s.reject403 || s.rejects;
  const where = `${file.relPath}:${file.sourceFile.getLineAndCharacterOfPosition(fn.getStart(file.sourceFile)).line + 1}`;
  // The routes behind it are the steps of the provider's sign-in flow, for callers who are signing in.
  if (s.signInFlow && !s.verifies && !s.principalCheck) {
    return { kind: 'neutral', login: true, reason: `${s.signInFlow} (${where}): a step of the OpenID provider's sign-in flow`, source: 'body' };
  }
  if (s.loginStrategy && !s.verifies) {
    return { kind: 'neutral', login: true, reason: `calls passport.authenticate with ${s.loginStrategy} (${where}): it checks login credentials, it does not gate other routes`, source: 'body' };
  }
  if (s.verifies && s.rejectionSwitchedOff && !s.reject401) {
    return { kind: 'authentication', optional: true, reason: `${s.verifies} (${where}) but the arguments it was made with switch off its 401 answer, so requests without a credential continue`, source: 'body' };
  }
  if (s.verifies) {
    const authorizes = s.privilegeCheck && s.reject403;
    if (!rejects && !s.failsClosed && !s.recordsIdentity && !s.setsPrincipal) {
      // A check that only watches tokens (juice-shop's `verify.jwtChallenges()`): nothing later can tell who called.
      return { kind: 'neutral', reason: `${s.verifies} (${where}) but neither rejects a request nor keeps the caller's identity: it does not authenticate`, source: 'body' };
    }
    if (s.verifySites > 0 && s.credentialOnlyVerifySites === s.verifySites && !s.principalCheck) {
      // NodeBB's authenticateRequest: `else if (req.headers.hasOwnProperty('authorization')) { …passport.authenticate… }`, a guest goes on.
      return { kind: 'authentication', optional: true, reason: `${s.verifies} (${where}) only when the request carries a credential, and lets requests without one continue`, source: 'body' };
    }
    if (!rejects && !s.failsClosed) {
      return { kind: 'authentication', optional: true, reason: `${s.verifies} (${where}) but never rejects a request`, source: 'body' };
    }
    if (s.failOpen) return { kind: 'authentication', optional: true, reason: `${s.verifies} (${where}) but lets requests without a valid credential continue`, source: 'body', ...(authorizes ? { authorizes } : {}) };
    return { kind: 'authentication', reason: `${s.verifies} (${where})`, source: 'body', ...(authorizes ? { authorizes } : {}) };
  }
  // Authorization is a 403 (or Forbidden error) on a decision about roles, scopes, permissions or
  // ownership; a 400/404/410 input or feature check next to a privilege word is not.
  if (s.privilegeCheck && s.reject403 && !s.reject401) {
    return { kind: 'authorization', reason: `compares roles, scopes or permissions and rejects with 403 (${where})`, source: 'body' };
  }
  if ((s.principalCheck || s.credentialRead || s.setsPrincipal) && rejects) {
    const what = s.principalCheck ? 'requires an authenticated principal' : s.credentialRead ? 'compares a credential header' : 'sets the request principal';
    if (s.failOpen) return { kind: 'authentication', optional: true, reason: `${what} but lets requests without one continue (${where})`, source: 'body' };
    // `if (req.user.admin) return next(); throw new CustomError('Unauthorized', 401)`: a privilege of the caller decides, whatever the status code.
    const authorizes = s.privilegeCheck && (s.reject403 || s.principalPrivilege === true);
    return { kind: 'authentication', reason: `${what} and rejects with 401 (${where})`, source: 'body', ...(authorizes ? { authorizes } : {}) };
  }
  if (s.privilegeCheck && s.reject403) {
    return { kind: 'authorization', reason: `compares roles, scopes or permissions and rejects with 403 (${where})`, source: 'body' };
  }
  if (s.captcha && !s.principalCheck && !s.credentialRead && !s.setsPrincipal) {
    return { kind: 'neutral', reason: `checks a CAPTCHA: it tells people from bots, not who is calling (${where})`, source: 'body' };
  }
  if (s.ipCheck && rejects) {
    return { kind: 'neutral', reason: `checks the client IP address: network placement, not authentication (${where})`, source: 'body' };
  }
  if (s.reject401) {
    return { kind: 'authentication', reason: `rejects with 401 (${where})`, source: 'body' };
  }
  if (s.authCalls.length > 0) {
    return { kind: 'unknown', reason: `calls ${s.authCalls[0]}(), which could not be resolved (${where})`, source: 'unresolved', hint: 'authentication' };
  }
  return { kind: 'neutral', reason: `checks no credential before continuing (${where})`, source: 'body' };
}
