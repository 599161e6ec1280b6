import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { walk } from '../../core/walk.js';
import { defineProjectMemo } from '../../core/project-memo.js';
import { innerTable, recordOwn } from '../../core/reads.js';
import {
  ACCESS_CHECK_NAME,
  ACCESS_DECISION_NAME,
  ASSERTION_CALLS,
  CONTEXT_PRINCIPAL_KEYS,
  CONTEXT_PRINCIPAL_MEMBERS,
  CONTEXT_REQUEST_MEMBERS,
  CREDENTIAL_INPUT,
  HOLDER_PRINCIPAL_MEMBERS,
  IDENTITY_HEADER,
  KIND_OR_PRIVILEGE_MEMBER,
  PASS_THROUGH_FUNCTIONS,
  PASS_THROUGH_METHODS,
  PRINCIPAL_HOLDERS,
  PRINCIPAL_MEMBERS,
  PRIVILEGE_INPUT_KEY,
  PRIVILEGE_LEVEL,
  PRIVILEGE_MEMBER,
  REJECTION_NAMES,
  REQUEST_INPUT_MEMBERS,
  REQUEST_CONTEXT_STORES,
  REQUEST_INPUT_METHODS,
  SECRET_MEMBER,
  TIME_MEMBER,
} from '../../models/request-identity.js';
import { POLICY_ENGINES, POLICY_FUNCTIONS } from '../../models/policy-engines.js';
import { OWNER_FIELD, QUERY_FILTER_OPERATORS } from '../../models/data-access.js';
import { LOOKUP_CALL_WORDS } from '../../models/route-patterns.js';
import { getWords } from '../routes/exposure.js';
import { findDeclaration, getBindingPath, getLetReassignments, getPropertyName, skipOuterExpressions } from '../scope.js';
import { followLocalModule, resolveOrigin, stripDefault } from '../values.js';
import { getReturnedExpressions, resolveFunction } from '../routes/classify.js';
import type { SourceLocation } from '../routes/types.js';
import { recognizeDataAccess } from './data-access.js';
import { mentionsHttpClient, OUTBOUND_HTTP_CALLS, type OutboundCall } from '../outbound-http.js';
import { getPermissionRequestSignal, getPolicyDecisionEvidence } from '../permission-calls.js';
import type { AuthorizationEvidence, ClientDecision, ResourceAccess } from './types.js';

/**
 * Labels of a value: `req`, `res`, a holder (`session`, `state`, `locals`), `principal`, request input
 * `input:<part>` / `input:<part>:<key>`, and `entity` / `entity:input` for records loaded from the database
 * (`entity:input` when the query was keyed by request input).
 */
export type Labels = ReadonlySet<string>;

/** Marks the answer of an access check given the caller (`const allowed = await canEdit(tid, req.uid)`). */
const ACCESS_DECISION = 'decision';

/** Marks a request object that also holds the variables middleware set (Hono's context: `c.get('workspace')`). */
export const CONTEXT_VARIABLES = 'vars';

const EMPTY: Labels = new Set();
const MAX_DEPTH = 4;

export interface FlowFindings {
  accesses: ResourceAccess[];
  evidence: AuthorizationEvidence[];
  unknowns: Array<SourceLocation & { reason: string }>;
  decisions: ClientDecision[];
}

interface Frame {
  file: SourceFileInfo;
  fn: ts.FunctionLikeDeclaration;
  params: Map<ts.ParameterDeclaration, Labels>;
  depth: number;
  memo: Map<ts.Node, Labels>;
  /** Data-access calls of this frame, by node, with the labels their result gets. */
  results: Map<ts.Node, Labels>;
}

function union(...sets: Labels[]): Labels {
  const out = new Set<string>();
  for (const s of sets) for (const l of s) out.add(l);
  return out;
}

function location(file: SourceFileInfo, node: ts.Node): SourceLocation {
  return { file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

export function isInput(label: string): boolean {
  return label.startsWith('input:');
}

/** `input:params:id` → `params.id`. */
export function describeInput(label: string): string {
  return label.slice('input:'.length).replace(':', '.');
}

/** The labels of `x.name` given the labels of `x`. */
export function memberLabels(labels: Labels, name: string): Labels {
  const out = new Set<string>();
  for (const label of labels) {
    if (label === 'req') {
      const input = REQUEST_INPUT_MEMBERS[name];
      if (input) out.add(`input:${input}`);
      else if (PRINCIPAL_MEMBERS.test(name)) out.add('principal');
      else if (PRINCIPAL_HOLDERS.has(name)) out.add(name);
      else if (name === 'request' || name === 'req' || name === 'raw' || name === 'var') out.add(name === 'var' ? 'state' : 'req');
    } else if (label === 'res') {
      if (name === 'locals') out.add('locals');
    } else if (PRINCIPAL_HOLDERS.has(label)) {
      if (HOLDER_PRINCIPAL_MEMBERS.test(name)) out.add('principal');
    } else if (label === 'principal') {
      out.add('principal');
    } else if (isInput(label)) {
      out.add(label.split(':').length === 2 ? `${label}:${name}` : label);
    } else if (label === 'context') {
      // What a request-scoped store holds: the request, the caller, or more context.
      out.add(CONTEXT_PRINCIPAL_MEMBERS.test(name) ? 'principal' : CONTEXT_REQUEST_MEMBERS.test(name) ? 'req' : 'context');
    } else if (label === 'entity:principal') {
      // The caller's own record (`User.findById(req.session.userId)`): its fields are the principal's.
      out.add('principal');
    } else if (label.startsWith('entity')) {
      out.add(label);
    } else if (label === `has:${name}`) {
      out.add('principal');
    }
  }
  return out;
}

function stringArg(call: ts.CallExpression, index = 0): string | undefined {
  const arg = call.arguments[index];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

export interface FlowContext {
  project: AnalysisProject;
  findings: FlowFindings;
  /** Functions already analysed with the same entry labels. */
  visited: Set<string>;
  authorizationFunctions: readonly string[];
  /**
   * Request input that a step before the handler overwrote (`req.body.UserId = <id from the token>`),
   * by label (`input:body:UserId`), with the labels of the value the server wrote there. The client's
   * value never reaches the handler, so the handler reads the server's.
   */
  overwritten?: ReadonlyMap<string, Labels>;
  /** Request members the route's authentication writes from a verified token (`req.id = decoded.id`): the principal. */
  principalMembers?: ReadonlySet<string>;
}

function labelsKey(params: Map<ts.ParameterDeclaration, Labels>): string {
  return [...params.entries()].map(([p, l]) => `${p.pos}=${[...l].sort().join(',')}`).join(';');
}

/** Analyses one function with the labels of its parameters; follows repository calls a few levels deep. */
export function analyseFunction(ctx: FlowContext, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, params: Map<ts.ParameterDeclaration, Labels>, depth: number): Labels {
  const key = `${file.path}:${fn.pos}:${labelsKey(params)}`;
  if (ctx.visited.has(key) || !fn.body) return EMPTY;
  ctx.visited.add(key);
  const frame: Frame = { file, fn, params, depth, memo: new Map(), results: new Map() };
  const returned: Labels[] = [];
  walk(fn.body, (node) => {
    if (ts.isCallExpression(node)) {
      visitCall(ctx, frame, node);
      const asserted = getAssertedCondition(node);
      if (asserted) visitCondition(ctx, frame, asserted, undefined, true);
    } else if (ts.isIfStatement(node)) visitCondition(ctx, frame, node.expression, node);
    else if (ts.isConditionalExpression(node)) visitCondition(ctx, frame, node.condition, undefined);
    else if (ts.isReturnStatement(node) && node.expression && enclosingFunction(node) === fn) returned.push(labelsOf(ctx, frame, node.expression));
  });
  if (!ts.isBlock(fn.body)) returned.push(labelsOf(ctx, frame, fn.body));
  return union(...returned);
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}

/** The labels of an expression in a frame. */
export function labelsOf(ctx: FlowContext, frame: Frame, input: ts.Expression): Labels {
  const expr = skipOuterExpressions(input);
  const known = frame.memo.get(expr);
  if (known) return known;
  frame.memo.set(expr, EMPTY);
  const labels = computeLabels(ctx, frame, expr);
  frame.memo.set(expr, labels);
  return labels;
}

function computeLabels(ctx: FlowContext, frame: Frame, expr: ts.Expression): Labels {
  if (ts.isAwaitExpression(expr)) return labelsOf(ctx, frame, expr.expression);
  if (ts.isIdentifier(expr)) return identifierLabels(ctx, frame, expr);
  if (ts.isPropertyAccessExpression(expr)) {
    const base = labelsOf(ctx, frame, expr.expression);
    const labels = memberLabels(base, expr.name.text);
    if (labels.size === 0 && base.has('req') && ctx.principalMembers?.has(expr.name.text)) return new Set(['principal']);
    return applyOverwrites(ctx, labels);
  }
  if (ts.isElementAccessExpression(expr)) {
    const base = labelsOf(ctx, frame, expr.expression);
    const arg = expr.argumentExpression;
    return applyOverwrites(ctx, ts.isStringLiteralLike(arg) ? memberLabels(base, arg.text) : memberLabels(base, '*'));
  }
  if (ts.isCallExpression(expr)) return callLabels(ctx, frame, expr);
  if (ts.isNewExpression(expr)) return union(...(expr.arguments ?? []).map((a) => labelsOf(ctx, frame, a)));
  if (ts.isObjectLiteralExpression(expr)) {
    const parts: Labels[] = [];
    for (const property of expr.properties) {
      if (ts.isPropertyAssignment(property)) parts.push(labelsOf(ctx, frame, property.initializer));
      else if (ts.isShorthandPropertyAssignment(property)) parts.push(identifierLabels(ctx, frame, property.name));
      else if (ts.isSpreadAssignment(property)) parts.push(labelsOf(ctx, frame, property.expression));
    }
    return union(...parts);
  }
  if (ts.isArrayLiteralExpression(expr)) return union(...expr.elements.map((e) => (ts.isSpreadElement(e) ? labelsOf(ctx, frame, e.expression) : ts.isOmittedExpression(e) ? EMPTY : labelsOf(ctx, frame, e))));
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
      return union(labelsOf(ctx, frame, expr.left), labelsOf(ctx, frame, expr.right));
    }
    if (op === ts.SyntaxKind.EqualsToken) return labelsOf(ctx, frame, expr.right);
    return EMPTY;
  }
  if (ts.isConditionalExpression(expr)) return union(labelsOf(ctx, frame, expr.whenTrue), labelsOf(ctx, frame, expr.whenFalse));
  if (ts.isTemplateExpression(expr)) return union(...expr.templateSpans.map((s) => labelsOf(ctx, frame, s.expression)));
  return EMPTY;
}

/** Replaces request input that a step before the handler overwrote by what the server wrote there. */
function applyOverwrites(ctx: FlowContext, labels: Labels): Labels {
  const overwritten = ctx.overwritten;
  if (!overwritten || overwritten.size === 0 || ![...labels].some((l) => overwritten.has(l))) return labels;
  return union(...[...labels].map((l) => overwritten.get(l) ?? new Set([l])));
}

/**
 * A lookup keyed by the caller's credential (`tokenMap[jwtFrom(req)].data.id`, `sessions.get(req.cookies.sid)`):
 * the record a store keeps for the presented token is the caller's. The key is followed through the
 * repository's helpers (`jwtFrom` reads the Authorization header).
 */
function readsCredentialStore(ctx: FlowContext, frame: Frame, value: ts.Expression, depth = 0): boolean {
  let found = false;
  walk(value, (node) => {
    if (found || ts.isFunctionLike(node)) return false;
    const key = ts.isElementAccessExpression(node) ? node.argumentExpression : ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'get' ? node.arguments[0] : undefined;
    if (key && [...labelsOf(ctx, frame, key)].some((l) => CREDENTIAL_INPUT.test(l))) found = true;
    // `const user = tokenMap[token]; req.body.owner = user.data.id`: the variable's value.
    if (ts.isIdentifier(node) && depth < 3) {
      const decl = findDeclaration(node, node.text);
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= frame.fn.pos && decl.end <= frame.fn.end) found = readsCredentialStore(ctx, frame, decl.initializer, depth + 1);
    }
    return undefined;
  });
  return found;
}

/**
 * Request input a middleware overwrites before the handler runs: `req.body.UserId = …` in a step
 * whose first parameter is the request. The written value is the principal when its labels say so, or
 * when it is read from a store keyed by the request's credential; otherwise it is server data with no
 * label (not the client's, not known to be the caller's).
 */
export function findRequestOverwrites(ctx: FlowContext, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, params: Map<ts.ParameterDeclaration, Labels>): Map<string, Labels> {
  const out = new Map<string, Labels>();
  if (!fn.body) return out;
  const frame: Frame = { file, fn, params, depth: 1, memo: new Map(), results: new Map() };
  walk(fn.body, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = skipOuterExpressions(node.left);
    if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
    const target = labelsOf({ ...ctx, overwritten: undefined }, frame, left);
    const inputs = [...target].filter((l) => isInput(l) && l.split(':').length === 3);
    if (inputs.length === 0) return;
    const plain: FlowContext = { ...ctx, overwritten: undefined };
    const value = labelsOf(plain, frame, node.right);
    const written: Labels = value.has('principal') || readsCredentialStore(plain, frame, node.right) ? new Set(['principal']) : [...value].some(isInput) ? value : EMPTY;
    for (const label of inputs) out.set(label, written);
  });
  return out;
}

/**
 * Request members an authentication step sets from a verified token (`req.id = decoded.id` after
 * `jwt.verify`, `req.userId = payload.sub` in its callback) that are not already known request members.
 */
export function findPrincipalWrites(fn: ts.FunctionLikeDeclaration, verifyCalls: ReadonlySet<ts.Node>, params: Map<ts.ParameterDeclaration, Labels>): Set<string> {
  const out = new Set<string>();
  if (!fn.body || verifyCalls.size === 0) return out;
  walk(fn.body, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = skipOuterExpressions(node.left);
    if (!ts.isPropertyAccessExpression(left) || memberLabels(new Set(['req']), left.name.text).size > 0) return;
    const holder = skipOuterExpressions(left.expression);
    const holderDecl = ts.isIdentifier(holder) ? findDeclaration(holder, holder.text) : undefined;
    if (!holderDecl || !ts.isParameter(holderDecl) || !params.get(holderDecl)?.has('req')) return;
    const root = rootIdentifier(node.right);
    if (root && comesFromVerification(root, verifyCalls)) out.add(left.name.text);
  });
  return out;
}

function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  const inner = skipOuterExpressions(expr);
  if (ts.isIdentifier(inner)) return inner;
  if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) return rootIdentifier(inner.expression);
  return undefined;
}

/** `const decoded = (await) jwt.verify(…)`, or the result parameter of the callback given to `jwt.verify`. */
function comesFromVerification(id: ts.Identifier, verifyCalls: ReadonlySet<ts.Node>): boolean {
  const decl = findDeclaration(id, id.text);
  if (!decl) return false;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    return verifyCalls.has(ts.isAwaitExpression(init) ? skipOuterExpressions(init.expression) : init);
  }
  if (ts.isParameter(decl) && ts.isFunctionLike(decl.parent)) {
    const call = decl.parent.parent;
    return ts.isCallExpression(call) && verifyCalls.has(call) && decl.parent.parameters.indexOf(decl) === 1;
  }
  return false;
}

function identifierLabels(ctx: FlowContext, frame: Frame, id: ts.Identifier): Labels {
  const decl = findDeclaration(id, id.text);
  if (!decl) return EMPTY;
  return declarationLabels(ctx, frame, decl);
}

function declarationLabels(ctx: FlowContext, frame: Frame, decl: ts.Node): Labels {
  if (ts.isParameter(decl)) {
    const own = frame.params.get(decl);
    if (own) return own;
    return callbackParameterLabels(ctx, frame, decl);
  }
  if (ts.isBindingElement(decl)) {
    const bound = getBindingPath(decl);
    if (!bound) return EMPTY;
    // `const [allowed, post] = await Promise.all([canEdit(uid), getPost(id)])`: each name is its own element.
    const [first, ...rest] = bound.path;
    const element = typeof first === 'number' ? getArrayElement(bound.declaration, first) : undefined;
    let labels = element ? labelsOf(ctx, frame, element) : declarationLabels(ctx, frame, bound.declaration);
    for (const step of element ? rest : bound.path) labels = typeof step === 'number' ? labels : memberLabels(labels, step);
    // `let { token } = req.body || {}; if (!token) token = req.headers['x-actual-token'];`
    return union(labels, ...getLetReassignments(decl).map((e) => labelsOf(ctx, frame, e)));
  }
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const parent = decl.parent.parent;
    // `for (const item of list)`: an element of the list.
    if (ts.isForOfStatement(parent)) return labelsOf(ctx, frame, parent.expression);
    return union(labelsOf(ctx, frame, decl.initializer), ...getLetReassignments(decl).map((e) => labelsOf(ctx, frame, e)), completedMembers(ctx, frame, decl));
  }
  if (ts.isVariableDeclaration(decl)) return union(...getLetReassignments(decl).map((e) => labelsOf(ctx, frame, e)));
  return EMPTY;
}

/**
 * `const payload = { ...data }; setDefaultPostData(caller, payload);`: a record built in the function and handed to a
 * repository function whose body writes the caller into one of its members (`data.uid = req.uid`) holds the caller
 * there: `has:<member>` labels (memberLabels turns them into the principal). Only calls made as statements, whose
 * purpose is that write, are read.
 */
function completedMembers(ctx: FlowContext, frame: Frame, decl: ts.VariableDeclaration): Labels {
  const init = decl.initializer && skipOuterExpressions(decl.initializer);
  if (!init || !ts.isObjectLiteralExpression(init) || !ts.isIdentifier(decl.name) || frame.depth >= MAX_DEPTH) return EMPTY;
  const name = decl.name.text;
  const block = decl.parent.parent.parent;
  if (!block || !ts.isBlock(block)) return EMPTY;
  const out = new Set<string>();
  for (const statement of block.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = skipOuterExpressions(statement.expression);
    if (!ts.isCallExpression(call)) continue;
    const index = call.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === name && findDeclaration(a, name) === decl);
    const target = index >= 0 ? resolveCallTarget(ctx.project, frame.file, call.expression) : undefined;
    const parameter = target?.fn.parameters[index];
    if (!target?.fn.body || !parameter || !ts.isIdentifier(parameter.name)) continue;
    const params = new Map<ts.ParameterDeclaration, Labels>();
    target.fn.parameters.forEach((p, i) => {
      const arg = call.arguments[i];
      if (arg && i !== index && !p.dotDotDotToken) params.set(p, labelsOf(ctx, frame, arg));
    });
    const callee: Frame = { file: target.file, fn: target.fn, params, depth: frame.depth + 1, memo: new Map(), results: new Map() };
    const param = parameter.name.text;
    walk(target.fn.body, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(node.left)) return undefined;
      const receiver = skipOuterExpressions(node.left.expression);
      if (!ts.isIdentifier(receiver) || receiver.text !== param || findDeclaration(receiver, param) !== parameter) return undefined;
      if (labelsOf(scratchContext(ctx.project), callee, node.right).has('principal')) out.add(`has:${node.left.name.text}`);
      return undefined;
    });
  }
  return out;
}

/** Element `index` of an array literal a declaration is initialised with, directly or through `await Promise.all([…])`. */
function getArrayElement(decl: ts.VariableDeclaration | ts.ParameterDeclaration, index: number): ts.Expression | undefined {
  if (!ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  let init = skipOuterExpressions(decl.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuterExpressions(init.expression);
  if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.getText() === 'Promise.all' && init.arguments[0]) init = skipOuterExpressions(init.arguments[0]);
  if (!ts.isArrayLiteralExpression(init) || init.elements.some((e) => ts.isSpreadElement(e))) return undefined;
  const element = init.elements[index];
  return element && !ts.isOmittedExpression(element) ? element : undefined;
}

/** `Model.findById(id, (err, doc) => …)`, `query.then((order) => …)`: the callback's value is the query's result. */
function callbackParameterLabels(ctx: FlowContext, frame: Frame, parameter: ts.ParameterDeclaration): Labels {
  const fn = parameter.parent;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return EMPTY;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn)) return EMPTY;
  const index = fn.parameters.indexOf(parameter);
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && index === 0) return labelsOf(ctx, frame, callee.expression);
  if (ts.isPropertyAccessExpression(callee) && ['map', 'forEach', 'filter', 'find', 'some', 'every'].includes(callee.name.text) && index === 0) {
    return labelsOf(ctx, frame, callee.expression);
  }
  const result = frame.results.get(call) ?? (recognizeDataAccess(ctx.project, frame.file, call) ? callLabels(ctx, frame, call) : undefined);
  if (result && index === fn.parameters.length - 1 && index > 0) return result;
  return EMPTY;
}

/**
 * The labels of a call's result; a function named like an access decision (`canEdit`, `isAdminOrMod`, `hasPermission`)
 * given the caller answers whether the caller may act: its result is also a `decision`.
 */
function callLabels(ctx: FlowContext, frame: Frame, call: ts.CallExpression): Labels {
  const labels = resultLabels(ctx, frame, call);
  if (isAccessDecisionCall(ctx, frame, call)) return union(labels, DECISION_LABELS);
  return isCredentialLookupCall(ctx, frame, call) ? union(labels, PRINCIPAL_LABELS) : labels;
}

const PRINCIPAL_LABELS: Labels = new Set(['principal']);

/**
 * `getSession(token)` with the request's token, `sessions.findByToken(req.headers['x-session-token'])`: what a lookup
 * (LOOKUP_CALL_WORDS) keyed by the caller's credential finds is the caller's record, as a store read by it is.
 */
function isCredentialLookupCall(ctx: FlowContext, frame: Frame, call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === undefined || !getWords(name).some((w) => LOOKUP_CALL_WORDS.has(w))) return false;
  return call.arguments.some((a) => [...labelsOf(ctx, frame, a)].some((l) => CREDENTIAL_INPUT.test(l)));
}

const DECISION_LABELS: Labels = new Set([ACCESS_DECISION]);

function isAccessDecisionCall(ctx: FlowContext, frame: Frame, call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === undefined || !ACCESS_DECISION_NAME.test(name)) return false;
  return call.arguments.some((a) => {
    const labels = labelsOf(ctx, frame, a);
    return labels.has('principal') || labels.has('req');
  });
}

function resultLabels(ctx: FlowContext, frame: Frame, call: ts.CallExpression): Labels {
  const known = frame.results.get(call);
  if (known) return known;
  const callee = skipOuterExpressions(call.expression);
  const argLabels = () => union(...call.arguments.map((a) => labelsOf(ctx, frame, a)));
  if (ts.isIdentifier(callee) && (PASS_THROUGH_FUNCTIONS.has(callee.text) || QUERY_FILTER_OPERATORS.has(callee.text))) return argLabels();
  const nested = ts.isIdentifier(callee) ? getNestedFunction(frame, callee) : undefined;
  if (nested) return union(...getReturnedExpressions(nested).map((e) => labelsOf(ctx, frame, e)));
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (PASS_THROUGH_FUNCTIONS.has(callee.getText(frame.file.sourceFile))) return argLabels();
    const receiver = labelsOf(ctx, frame, callee.expression);
    if (PASS_THROUGH_METHODS.has(name)) return receiver;
    if (receiver.has('req')) {
      const key = stringArg(call);
      // Express and Koa `req.get(name)` read a header; Hono's `c.get(key)` reads a variable a middleware set.
      if (name === 'get' && key !== undefined && receiver.has(CONTEXT_VARIABLES)) return CONTEXT_PRINCIPAL_KEYS.test(key) ? new Set(['principal']) : memberLabels(new Set(['context']), key);
      if (name === 'get' && key !== undefined) return new Set([CONTEXT_PRINCIPAL_KEYS.test(key) ? 'principal' : `input:headers:${key.toLowerCase()}`]);
      const part = REQUEST_INPUT_METHODS[name];
      if (part) return new Set([key !== undefined ? `input:${part}:${part === 'headers' ? key.toLowerCase() : key}` : `input:${part}`]);
      if (name === 'valid' && key !== undefined) return new Set([`input:${key === 'param' ? 'params' : key === 'json' || key === 'form' ? 'body' : key}`]);
    }
    if (name === 'get' && [...receiver].some((l) => isInput(l)) && stringArg(call) !== undefined) return memberLabels(receiver, (stringArg(call) as string).toLowerCase());
    // Nest's `context.switchToHttp().getRequest()`, Fastify's `reply.request`: the request itself.
    if (name === 'getRequest' && ts.isCallExpression(skipOuterExpressions(callee.expression))) return new Set(['req']);
    const store = contextStoreRead(ctx.project, frame.file, callee);
    if (store) return store === 'get' && stringArg(call) !== undefined ? memberLabels(new Set(['context']), stringArg(call) as string) : new Set(['context']);
  }
  if (call.arguments.length === 0 || call.arguments.every((a) => labelsOf(ctx, frame, a).size === 0)) return ambientLabels(ctx, frame, callee);
  return returnedLabels(ctx, frame, call, callee);
}

/**
 * What a repository function returns given the call's values (`jwtFrom(req)` returns the Authorization
 * header's token), analysed on the side so that its queries are not recorded twice. Memoised per function, entry
 * labels and depth: the depth decides how far the calls inside are followed, so an answer computed deeper (cut
 * shorter) must not be served to a shallower caller, nor the reverse, or a route's result would depend on which
 * route was analysed first. Each nested answer is one level deeper, so none is asked for while it is computed.
 */
function returnedLabels(ctx: FlowContext, frame: Frame, call: ts.CallExpression, callee: ts.Expression): Labels {
  if (frame.depth >= MAX_DEPTH) return EMPTY;
  const target = resolveCallTarget(ctx.project, frame.file, callee);
  if (!target?.fn.body) return EMPTY;
  const params = new Map<ts.ParameterDeclaration, Labels>();
  target.fn.parameters.forEach((p, i) => {
    const arg = call.arguments[i];
    const labels = arg ? labelsOf(ctx, frame, arg) : EMPTY;
    if (labels.size > 0 && !p.dotDotDotToken) params.set(p, labels);
  });
  const depth = frame.depth + 1;
  const key = `${depth}|${labelsKey(params)}`;
  const memo = innerTable(returnedMemo(ctx.project), target.fn);
  const known = memo.get(key);
  if (known) return known;
  return recordOwn(() => {
    const labels: Labels = new Set([...analyseFunction(scratchContext(ctx.project), target.file, target.fn, params, depth)].filter((l) => !l.startsWith('entity')));
    memo.set(key, labels);
    return labels;
  });
}

/** A context whose findings are dropped: for what a function returns, not what it does. */
function scratchContext(project: AnalysisProject): FlowContext {
  return { project, findings: { accesses: [], evidence: [], unknowns: [], decisions: [] }, visited: new Set(), authorizationFunctions: [] };
}

const returnedMemo = defineProjectMemo<ts.Node, Map<string, Labels>>();

/** `cls.get(…)`, `namespace.get(…)`, `storage.getStore()` on a request-scoped context store: the method read, or undefined. */
function contextStoreRead(project: AnalysisProject, file: SourceFileInfo, callee: ts.PropertyAccessExpression): string | undefined {
  const method = callee.name.text;
  const stores = REQUEST_CONTEXT_STORES.filter((s) => s.methods.has(method));
  if (stores.length === 0) return undefined;
  const origin = resolveOrigin(project, file, callee.expression);
  const module = origin.kind === 'external' ? origin.module : getDeclaredTypeModule(project, file, callee.expression);
  return module !== undefined && stores.some((s) => s.packages.includes(module)) ? method : undefined;
}

/** The package of a class member's declared type (`protected static clsService: ClsService`), when it is imported from one. */
function getDeclaredTypeModule(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const cls = findClassOf(project, file, e.expression);
  const member = cls?.members.find((m) => ts.isPropertyDeclaration(m) && m.name && getPropertyName(m.name) === e.name.text);
  const type = member && ts.isPropertyDeclaration(member) ? member.type : undefined;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const origin = resolveOrigin(project, file, type.typeName);
  return origin.kind === 'external' ? origin.module : undefined;
}

/** The class `this` or a class name refers to. */
function findClassOf(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): ts.ClassLikeDeclaration | undefined {
  const e = skipOuterExpressions(expr);
  if (e.kind === ts.SyntaxKind.ThisKeyword) {
    let current: ts.Node | undefined = e.parent;
    while (current && !ts.isClassLike(current)) current = current.parent;
    return current;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const origin = resolveOrigin(project, file, e);
  return origin.kind === 'local' && ts.isClassLike(origin.node) && origin.path.length === 0 ? origin.node : undefined;
}

const ambientMemo = defineProjectMemo<ts.Node, Map<number, Labels>>();

/**
 * What a repository function called without request values returns when it reads the caller from a
 * request-scoped context (ever-gauzy's `RequestContext.currentTenantId()`, `getCurrentUser()` over an
 * AsyncLocalStorage): the principal, as a parameter given `req.user` would be. Memoised per function and depth
 * (see returnedLabels).
 */
function ambientLabels(ctx: FlowContext, frame: Frame, callee: ts.Expression): Labels {
  if (frame.depth >= MAX_DEPTH + 2) return EMPTY;
  const target = resolveCallTarget(ctx.project, frame.file, callee);
  if (!target?.fn.body || target.fn.parameters.some((p) => frame.params.has(p))) return EMPTY;
  const depth = frame.depth + 1;
  const memo = innerTable(ambientMemo(ctx.project), target.fn);
  const known = memo.get(depth);
  if (known) return known;
  return recordOwn(() => {
    const returned = analyseFunction(scratchContext(ctx.project), target.file, target.fn, new Map(), depth);
    const labels: Labels = new Set([...returned].filter((l) => l === 'principal' || l === 'context'));
    memo.set(depth, labels);
    return labels;
  });
}

/** Records what a call does: a query, a policy decision, a repository function to follow, an unresolved access check. */
function visitCall(ctx: FlowContext, frame: Frame, call: ts.CallExpression): void {
  const { project } = ctx;
  const file = frame.file;
  const callee = skipOuterExpressions(call.expression);
  const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const args = call.arguments.map((a) => labelsOf(ctx, frame, a));
  const anyArg = union(...args);

  if (calleeName && ctx.authorizationFunctions.includes(calleeName)) {
    ctx.findings.evidence.push({ ...location(file, call), kind: 'policy-call', reason: `calls '${calleeName}', configured as an authorization function` });
    return;
  }
  const engine = getPolicyEngine(project, file, callee);
  if (engine) {
    ctx.findings.evidence.push({ ...location(file, call), kind: 'policy-call', reason: `${engine} decides access (${callee.getText(file.sourceFile)})` });
    recordPrivilegeArguments(ctx, file, call, args);
    return;
  }
  // `enforcer.addPolicy(...)`, `oso.loadFiles(...)`: configuring an engine decides nothing, and is no unresolved check either.
  if (isPolicyEngineMember(project, file, callee)) return;
  const service = getPolicyServiceReason(project, file, call);
  if (service) {
    ctx.findings.evidence.push({ ...location(file, call), kind: 'policy-call', reason: service });
    recordPrivilegeArguments(ctx, file, call, args);
    return;
  }
  if (isPermissionRequest(project, file, call)) recordPrivilegeArguments(ctx, file, call, args);

  const access = recognizeDataAccess(project, file, call);
  if (access) {
    const filterLabels = union(...access.filters.map((f) => labelsOf(ctx, frame, f)));
    const keyedBy = [...filterLabels].filter((l) => isInput(l) && isIdKey(l)).map(describeInput);
    const ownerKey = access.filters.flatMap((f) => ownerFieldInputs(ctx, frame, f))[0];
    const principalBound = filterLabels.has('principal');
    const link = access.method.operation === 'update' ? linksOnlyCaller(ctx, frame, call) : undefined;
    const record: ResourceAccess = {
      ...location(file, call),
      operation: access.method.operation,
      library: access.library,
      account: access.entity?.account ?? false,
      keyedBy: [...new Set(keyedBy)],
      principalBound,
      covered: principalBound || link !== undefined,
      bulk: access.bulk,
      constantFilter: access.filters.every(isConstantExpression),
      ...(access.entity ? { entity: access.entity.name } : {}),
      ...(access.entity?.fields ? { owned: access.entity.ownerField !== undefined } : {}),
      ...(access.entity?.ownerField ? { ownerField: access.entity.ownerField } : {}),
      ...(ownerKey ? { ownerKeyFromRequest: ownerKey } : {}),
      ...(link ? { callerLink: link } : {}),
    };
    ctx.findings.accesses.push(record);
    if (principalBound) ctx.findings.evidence.push({ ...location(file, call), kind: 'ownership-filter', reason: `the principal is part of the ${access.library} filter` });
    else if (link) ctx.findings.evidence.push({ ...location(file, call), kind: 'caller-link', reason: `the ${access.library} update only ${link}` });
    const headerIdentity = [...filterLabels].find((l) => l.startsWith('input:headers:') && IDENTITY_HEADER.test(l.split(':')[2] ?? ''));
    if (headerIdentity) ctx.findings.decisions.push({ ...location(file, call), input: `header ${headerIdentity.split(':')[2]}`, kind: 'identity-header' });
    frame.results.set(call, new Set([keyedBy.length > 0 ? 'entity:input' : principalBound ? 'entity:principal' : 'entity']));
    return;
  }

  // Calls given nothing from the request are followed near the handler only (`benefitsDAO.getAllNonAdminUsers(cb)`):
  // what they load is not named by the request, but it can list other accounts or read the caller from a context.
  if (anyArg.size === 0 && !isThisCall(callee) && frame.depth >= 1) return;
  const target = frame.depth < MAX_DEPTH ? resolveCallTarget(project, file, callee) : undefined;
  if (target) {
    const params = new Map<ts.ParameterDeclaration, Labels>();
    target.fn.parameters.forEach((p, i) => {
      const labels = args[i];
      if (labels && labels.size > 0 && !p.dotDotDotToken) params.set(p, labels);
    });
    const result = analyseFunction(ctx, target.file, target.fn, params, frame.depth + 1);
    if (result.size > 0) frame.results.set(call, result);
    return;
  }
  const handsOverIdentity = anyArg.has('req') || anyArg.has('principal');
  if (handsOverIdentity && calleeName && ACCESS_CHECK_NAME.test(calleeName)) {
    ctx.findings.unknowns.push({ ...location(file, call), reason: `'${calleeName}' is given the ${anyArg.has('req') ? 'request' : 'principal'} but could not be followed` });
  }
}

/** A function declared inside the analysed function (`const criteria = () => ({ userId })`): it sees the same values. */
function getNestedFunction(frame: Frame, id: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const decl = findDeclaration(id, id.text);
  if (!decl || decl.pos < frame.fn.pos || decl.end > frame.fn.end) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** The object literals a filter expression is built from: itself, a variable's initializer, what a nested helper returns. */
function filterObjects(frame: Frame, input: ts.Expression, depth = 0): ts.ObjectLiteralExpression[] {
  const expr = skipOuterExpressions(input);
  if (depth > 3) return [];
  if (ts.isObjectLiteralExpression(expr)) return [expr];
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? filterObjects(frame, decl.initializer, depth + 1) : [];
  }
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
    const nested = getNestedFunction(frame, expr.expression);
    return nested ? getReturnedExpressions(nested).flatMap((e) => filterObjects(frame, e, depth + 1)) : [];
  }
  return [];
}

function isThisCall(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** Path parameters name a resource whatever they are called; body and query fields only when they look like ids. */
function isIdKey(label: string): boolean {
  const [, part, key] = label.split(':');
  if (part === 'params') return true;
  if (!key) return false;
  return /^(?:id|_id|uuid|slug|key)$|(?:Id|_id|ID|Uuid|_uuid)$/.test(key);
}

/** `{ userId: req.body.userId }`: request input used as the owner key of a filter. */
function ownerFieldInputs(ctx: FlowContext, frame: Frame, filter: ts.Expression): string[] {
  const out: string[] = [];
  for (const property of filterObjects(frame, filter).flatMap((o) => [...o.properties])) {
    const name = property.name ? getPropertyName(property.name) : undefined;
    if (name === 'where' && ts.isPropertyAssignment(property)) out.push(...ownerFieldInputs(ctx, frame, property.initializer));
    if (!name || !OWNER_FIELD.test(name)) continue;
    const labels = ts.isPropertyAssignment(property) ? labelsOf(ctx, frame, property.initializer) : ts.isShorthandPropertyAssignment(property) ? identifierLabels(ctx, frame, property.name) : EMPTY;
    if (labels.has('principal')) continue;
    const input = [...labels].find(isInput);
    if (input) out.push(describeInput(input));
  }
  return out;
}

function getPolicyEngine(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) {
    const engine = POLICY_FUNCTIONS[callee.text];
    if (!engine) return undefined;
    const origin = resolveOrigin(project, file, callee);
    return origin.kind === 'external' ? POLICY_ENGINES.find((e) => e.packages.includes(origin.module))?.name : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const candidates = POLICY_ENGINES.filter((e) => e.methods.has(method));
  if (candidates.length === 0) return undefined;
  const origin = resolveOrigin(project, file, callee.expression);
  if (origin.kind === 'external') return candidates.find((e) => e.packages.includes(origin.module))?.name;
  let receiver: ts.Expression = skipOuterExpressions(callee.expression);
  // `ForbiddenError.from(ability).throwUnlessCan(...)`, `ac.can(role).updateOwn(...)`
  if (ts.isCallExpression(receiver)) receiver = receiver.arguments[0] ?? receiver.expression;
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : '';
  return candidates.find((e) => e.receiverName.test(name))?.name;
}

/**
 * A Prisma update whose only change connects or disconnects the caller in a relation
 * (`data: { favoritedBy: { connect: { id: user.id } } }`: favouriting, following): it changes the
 * caller's membership, not the record the request names. Returns what it links, for the evidence.
 */
function linksOnlyCaller(ctx: FlowContext, frame: Frame, call: ts.CallExpression): string | undefined {
  const options = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const data = options.properties.find((p) => p.name && getPropertyName(p.name) === 'data');
  if (!data || !ts.isPropertyAssignment(data)) return undefined;
  const links: string[] = [];
  let other = false;
  walk(data.initializer, (node) => {
    if (!ts.isPropertyAssignment(node) && !ts.isShorthandPropertyAssignment(node)) return undefined;
    const name = node.name ? getPropertyName(node.name) : undefined;
    if (name === 'connect' || name === 'disconnect') {
      const labels = ts.isPropertyAssignment(node) ? labelsOf(ctx, frame, node.initializer) : identifierLabels(ctx, frame, node.name);
      const relation = ts.isPropertyAssignment(node.parent.parent) && node.parent.parent.name ? getPropertyName(node.parent.parent.name) : undefined;
      if (labels.has('principal')) links.push(`${name}s the caller${relation ? ` in '${relation}'` : ''}`);
      else other = true;
      return false;
    }
    const value = ts.isPropertyAssignment(node) ? skipOuterExpressions(node.initializer) : undefined;
    if (!value || !ts.isObjectLiteralExpression(value)) other = true;
    return undefined;
  });
  return links.length > 0 && !other ? `${links.join(' and ')}: it changes the caller's membership, not the record the request names` : undefined;
}

/** A role or permission the client sent, handed to a policy engine or decision service as the subject's. */
function recordPrivilegeArguments(ctx: FlowContext, file: SourceFileInfo, call: ts.CallExpression, args: Labels[]): void {
  for (const [i, labels] of args.entries()) {
    const input = [...labels].find((l) => isInput(l) && PRIVILEGE_INPUT_KEY.test(l.split(':')[2] ?? ''));
    if (input) ctx.findings.decisions.push({ ...location(file, call.arguments[i] as ts.Node), input: describeInput(input), kind: 'privilege' });
  }
}

/** A filter made of literals only (`{}`, `{ isAdmin: { $ne: true } }`): it names no one. */
function isConstantExpression(expr: ts.Expression): boolean {
  let constant = true;
  walk(expr, (node) => {
    if (!constant) return false;
    if (ts.isIdentifier(node) && node.text !== 'undefined' && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) constant = false;
    else if (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isShorthandPropertyAssignment(node) || ts.isSpreadAssignment(node)) constant = false;
    return undefined;
  });
  return constant;
}

function isPolicyEngineMember(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const origin = resolveOrigin(project, file, callee.expression);
  return origin.kind === 'external' && POLICY_ENGINES.some((e) => e.packages.includes(origin.module));
}

/**
 * An HTTP request that asks a policy decision point (an OPA sidecar on localhost, a permission service)
 * whether to allow: the decision is made, wherever it is made (authz-no-remote-check judges where).
 */
function getPolicyServiceReason(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): string | undefined {
  const outbound = getOutboundCall(project, file, call);
  const evidence = outbound && getPolicyDecisionEvidence(project, file, outbound, call, project.settings);
  return outbound && evidence ? `asks a policy decision point (${outbound.target.display || outbound.callee}) because ${evidence}` : undefined;
}

function isPermissionRequest(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): boolean {
  const outbound = getOutboundCall(project, file, call);
  return outbound !== undefined && getPermissionRequestSignal(project, file, outbound, call, project.settings) !== undefined;
}

function getOutboundCall(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): OutboundCall | undefined {
  if (!mentionsHttpClient(project, file)) return undefined;
  const start = call.getStart(file.sourceFile);
  return project.fileFact(OUTBOUND_HTTP_CALLS, file).find((c) => c.start === start);
}

/** The repository function a call reaches: a local function, an imported one, a method of an injected or constructed class. */
export function resolveCallTarget(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  const direct = resolveFunction(project, file, callee);
  if (direct?.fn.body) return direct;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  // `super.countBy(...)`: the method of the class this one extends.
  if (callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
    let cls: ts.Node | undefined = callee.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const base = cls && ts.isClassLike(cls) ? cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression : undefined;
    const parent = base ? resolveFunctionClass(project, file, base) : undefined;
    return parent ? findMethod(project, parent.file, parent.node, callee.name.text) : undefined;
  }
  const origin = followLocalModule(project, resolveOrigin(project, file, callee));
  if (origin.kind !== 'local') return undefined;
  const steps = stripDefault(origin.path);
  const name = steps[steps.length - 1];
  let holder: ts.Node = origin.node;
  if (!name) return undefined;
  const head = steps.slice(0, -1);
  const instance = head.length === 0 || (head.length === 1 && (head[0] === '#instance' || head[0] === 'new'));
  if (!instance) return undefined;
  if (ts.isVariableDeclaration(holder) && holder.initializer) {
    const init = skipOuterExpressions(holder.initializer);
    if (ts.isNewExpression(init) && head.length === 0) {
      const cls = resolveFunctionClass(project, origin.file, init.expression);
      if (cls) return findMethod(project, cls.file, cls.node, name);
    }
    if (ts.isFunctionExpression(init) || ts.isClassExpression(init)) holder = init;
  }
  if (ts.isClassLike(holder)) return findMethod(project, origin.file, holder, name);
  // `function AllocationsDAO(db) { this.getByUserId = (userId) => … }` constructed with `new`.
  if ((ts.isFunctionDeclaration(holder) || ts.isFunctionExpression(holder)) && head[0] === 'new') return findThisMethod(origin.file, holder, name);
  return undefined;
}

function findThisMethod(file: SourceFileInfo, fn: ts.FunctionDeclaration | ts.FunctionExpression, name: string): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  for (const statement of fn.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, right } = statement.expression;
    const value = skipOuterExpressions(right);
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) {
      return { file, fn: value };
    }
  }
  return undefined;
}

function resolveFunctionClass(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): { file: SourceFileInfo; node: ts.ClassLikeDeclaration } | undefined {
  const origin = resolveOrigin(project, file, expr);
  return origin.kind === 'local' && ts.isClassLike(origin.node) && origin.path.length === 0 ? { file: origin.file, node: origin.node } : undefined;
}

function findMethod(project: AnalysisProject, file: SourceFileInfo, cls: ts.ClassLikeDeclaration, name: string, depth = 0): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  for (const member of cls.members) {
    if (!member.name || getPropertyName(member.name) !== name) continue;
    if ((ts.isMethodDeclaration(member) || ts.isGetAccessor(member)) && member.body) return { file, fn: member };
    if (ts.isPropertyDeclaration(member) && member.initializer) {
      const init = skipOuterExpressions(member.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { file, fn: init };
    }
  }
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (base && depth < 3) {
    const parent = resolveFunctionClass(project, file, base);
    if (parent) return findMethod(project, parent.file, parent.node, name, depth + 1);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Conditions: owner comparisons, role checks, decisions on client input

/** Whether a branch rejects the request; `strict`: by throwing or answering an error, not by any early return. */
function rejects(statement: ts.Statement | undefined, strict = false): boolean {
  if (!statement) return false;
  let found = false;
  walk(statement, (node) => {
    if (found || (node !== statement && ts.isFunctionLike(node))) return false;
    if (ts.isThrowStatement(node) || (!strict && ts.isReturnStatement(node))) found = true;
    else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const first = node.arguments[0];
      if (['status', 'sendStatus', 'code', 'throw'].includes(name) && first && ts.isNumericLiteral(first) && /^4\d\d$/.test(first.text)) found = true;
      if (name === 'next' && first) found = true;
      if (REJECTION_NAMES.test(name)) found = true;
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && REJECTION_NAMES.test(node.expression.text)) found = true;
    return undefined;
  });
  return found;
}

function isLiteral(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isArrayLiteralExpression(e) || (ts.isPropertyAccessExpression(e) && /^[A-Z]/.test(e.expression.getText()));
}

/** `'admin'`, `UserType.OWNER`, `['admin', 'owner']`: a constant that names a privilege level. */
function namesPrivilegeLevel(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isStringLiteralLike(e)) return PRIVILEGE_LEVEL.test(e.text);
  if (ts.isPropertyAccessExpression(e)) return PRIVILEGE_LEVEL.test(e.name.text);
  return ts.isArrayLiteralExpression(e) && e.elements.some((item) => namesPrivilegeLevel(item));
}

/** Members that count what a value holds (`tokens.length`, `roles.size`): comparing them decides no privilege. */
const SIZE_MEMBERS = new Set(['length', 'size']);

/** `roles` in `req.user.roles.length`. */
function getCountedMember(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  return ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) ? lastMemberName(e.expression) : undefined;
}

function isAbsentValue(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}

function lastMemberName(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && PASS_THROUGH_METHODS.has(e.expression.name.text)) return lastMemberName(e.expression.expression);
  return undefined;
}

/** Request input naming a privilege, read as a whole (`req.query.isAdmin`, not `dto.role.id`). */
function privilegeInput(labels: Labels, expr: ts.Expression): string | undefined {
  const member = lastMemberName(expr);
  for (const l of labels) {
    if (!isInput(l)) continue;
    const [, part, key] = l.split(':');
    if (!key) continue;
    if (part === 'headers') {
      if (IDENTITY_HEADER.test(key) || /role|admin|permission|scope/.test(key)) return l;
      continue;
    }
    // A bare variable decides on a privilege when it is named like one (`const { role } = req.body`), not when it merely holds an object carrying one (`response === 409`).
    const bare = skipOuterExpressions(expr);
    if (PRIVILEGE_INPUT_KEY.test(key) && (member === undefined ? ts.isIdentifier(bare) && PRIVILEGE_NAME.test(bare.text) : PRIVILEGE_INPUT_KEY.test(member))) return l;
  }
  return undefined;
}

/** Request input keys that name a user the operation is about (`userId`, `memberId`, `targetUserId`). */
const NAMED_USER_KEY = /^(?:target_?)?(?:user|member|account|collaborator|principal)_?id$|^(?:target|member|collaborator)(?:User)?Id$/i;

/** Variable names that hold a privilege (`role`, `isAdminParam`, `userPermissions`). */
const PRIVILEGE_NAME = /admin|role|permission|perms|scope|privilege|superuser|staff|owner|authori[sz]ed|access_?level/i;

/** Flags that grant by being truthy (`if (req.query.isAdmin)`); a role or permission needs a comparison. */
const PRIVILEGE_FLAG = /^(?:is_?admin|admin|is_?super_?user|superuser|is_?staff|is_?owner|authorized|is_?authorized)$/i;

/** The condition of an assertion call (`ctx.assert(article.author === user.id, 403)`), which rejects when it is falsy. */
function getAssertedCondition(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const receiver = ts.isPropertyAccessExpression(callee) ? lastMemberName(callee.expression) ?? (ts.isIdentifier(callee.expression) ? callee.expression.text : undefined) : undefined;
  const known = ASSERTION_CALLS.some((a) => a.callee === name && (!a.receiver || (receiver !== undefined && a.receiver.test(receiver))));
  return known ? call.arguments[0] : undefined;
}

function visitCondition(ctx: FlowContext, frame: Frame, condition: ts.Expression, statement: ts.IfStatement | undefined, asserted = false): void {
  const file = frame.file;
  const rejecting = asserted || (statement ? rejects(statement.thenStatement) || rejects(statement.elseStatement) : false);
  // A helper answering a question returns early too (`if (isAdmin) return false`): the answer of an access check decides only where it refuses.
  const refusing = asserted || (statement ? rejects(statement.thenStatement, true) || rejects(statement.elseStatement, true) : false);
  // A condition that also checks the principal (`req.body.role === 'owner' && req.user.role !== 'owner'`) guards what the input asks for.
  const decisionsBefore = ctx.findings.decisions.length;
  let checksPrincipal = false;
  let namesUser = false;
  const record = (kind: 'owner-comparison' | 'role-check' | 'policy-call', node: ts.Node, reason: string) => {
    checksPrincipal = true;
    if (kind === 'policy-call' ? refusing : rejecting) ctx.findings.evidence.push({ ...location(file, node), kind, reason });
  };
  const decide = (expr: ts.Expression, labels: Labels, truthiness: boolean) => {
    const input = privilegeInput(labels, expr);
    if (!input) return;
    const header = input.startsWith('input:headers:') ? input.split(':')[2] : undefined;
    if (truthiness && !header && !PRIVILEGE_FLAG.test(input.split(':')[2] ?? '')) return;
    ctx.findings.decisions.push({ ...location(file, condition), input: header ? `header ${header}` : describeInput(input), kind: header ? 'identity-header' : 'privilege' });
  };
  walk(condition, (node) => {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
      compare(node, node.left, node.right);
      return false;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const receiver = node.expression.expression;
      const arg = node.arguments[0];
      if ((name === 'equals' || name === 'includes' || name === 'some' || name === 'has' || name === 'indexOf') && arg) {
        compare(node, receiver, arg);
        return false;
      }
    }
    if ((ts.isIdentifier(node) || ts.isCallExpression(node)) && labelsOf(ctx, frame, node).has(ACCESS_DECISION)) {
      record('policy-call', node, `decides on the answer of '${ts.isIdentifier(node) ? node.text : node.expression.getText(file.sourceFile)}', an access check given the caller`);
      return false;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const labels = labelsOf(ctx, frame, node);
      const member = lastMemberName(node);
      if ([...labels].some((l) => isInput(l) && NAMED_USER_KEY.test(l.split(':')[2] ?? ''))) namesUser = true;
      if (labels.has('principal') && member && PRIVILEGE_MEMBER.test(member)) record('role-check', node, `checks the principal's '${member}'`);
      else decide(node, labels, true);
      return false;
    }
    return undefined;
  });
  // `dto.role !== Role.Owner && isUniqueOwner(spaceId, dto.userId)`: beside the user the request names, the role is the
  // one asked for that user (keep the last owner), not a privilege the caller claims for itself.
  if (checksPrincipal) ctx.findings.decisions.length = decisionsBefore;
  else if (namesUser) {
    const kept = ctx.findings.decisions.slice(decisionsBefore).filter((d) => d.kind !== 'privilege');
    ctx.findings.decisions.length = decisionsBefore;
    ctx.findings.decisions.push(...kept);
  }

  function compare(node: ts.Node, left: ts.Expression, right: ts.Expression): void {
    const l = labelsOf(ctx, frame, left);
    const r = labelsOf(ctx, frame, right);
    const lp = l.has('principal');
    const rp = r.has('principal');
    if (lp !== rp) {
      const principalSide = lp ? left : right;
      const other = lp ? right : left;
      const member = lastMemberName(principalSide);
      // `tokens.length === 0`, `user.profile === undefined`: how much the caller holds, or whether it is there, grants
      // nothing, unless what is counted is a privilege (`user.roles.length === 0`).
      if (isAbsentValue(other) || (member !== undefined && SIZE_MEMBERS.has(member) && !PRIVILEGE_MEMBER.test(getCountedMember(principalSide) ?? ''))) return;
      // `session.expires_at <= Date.now()`, `user.password !== hash(password)`: whether the credential is still valid, or
      // the caller knows its own secret, is authentication, not a privilege.
      if (member !== undefined && (TIME_MEMBER.test(member) || SECRET_MEMBER.test(member))) return;
      if (isLiteral(other) || (member !== undefined && PRIVILEGE_MEMBER.test(member))) record('role-check', node, `compares the principal's ${member ? `'${member}'` : 'identity'} with a constant`);
      else record('owner-comparison', node, `compares the principal with ${(lp ? r : l).size > 0 ? 'the resource or the requested id' : 'a value'} and rejects otherwise`);
      return;
    }
    if (lp && rp) return;
    for (const [side, labels, other] of [[left, l, right], [right, r, left]] as const) {
      const member = lastMemberName(side);
      if ([...labels].some((x) => x === 'entity:input') && member && PRIVILEGE_MEMBER.test(member) && isLiteral(other) && (!KIND_OR_PRIVILEGE_MEMBER.test(member) || namesPrivilegeLevel(other))) {
        ctx.findings.decisions.push({ ...location(file, condition), input: `'${member}' of a record loaded by request input`, kind: 'named-user-privilege' });
        return;
      }
      if (isLiteral(other) && privilegeInput(labels, side)) {
        decide(side, labels, false);
        return;
      }
    }
  }
}

/** Request methods that read input, and Nest `ExecutionContext` navigation: calling them identifies no one. */
const NOT_IDENTIFYING_REQUEST_METHODS = new Set(['get', 'header', 'getHeader', 'switchToHttp', 'switchToRpc', 'switchToWs', 'getRequest', 'getResponse', 'getHandler', 'getClass', 'getType', 'getArgs', 'getArgByIndex']);

/**
 * Whether a repository-written authentication step knows whose request it is: it reads the principal
 * (`req.session.userId`, `req.user`) or stores something on the request (`request.user = payload`).
 * A guard that only looks a bearer key up in a table (hoppscotch's `InfraTokenGuard`) identifies no user.
 */
export function identifiesCaller(ctx: FlowContext, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, params: Map<ts.ParameterDeclaration, Labels>): boolean {
  if (!fn.body) return true;
  const frame: Frame = { file, fn, params, depth: 1, memo: new Map(), results: new Map() };
  let found = false;
  walk(fn.body, (node) => {
    if (found) return false;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && labelsOf(ctx, frame, left.expression).has('req')) found = true;
    } else if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && labelsOf(ctx, frame, node).has('principal')) {
      found = true;
    } else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      // A helper given the request may identify the caller: assume it does. So does a method of the
      // request other than an input read (passport's `req.isAuthenticated()`, `request.jwtVerify()`).
      // Verifying a token (`verifyToken`, `jwt.verify`) names its subject, even when the step keeps nothing of it.
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (node.arguments.some((a) => labelsOf(ctx, frame, a).has('req')) || /verif|validat|decode/i.test(name)) found = true;
      else if (ts.isPropertyAccessExpression(callee) && labelsOf(ctx, frame, callee.expression).has('req')) found = !(name in REQUEST_INPUT_METHODS) && !NOT_IDENTIFYING_REQUEST_METHODS.has(name);
    }
    return undefined;
  });
  return found;
}
