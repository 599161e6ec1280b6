import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { walk } from '../core/walk.js';
import { defineProjectMemo } from '../core/project-memo.js';
import { innerTable, recordOwn } from '../core/reads.js';
import {
  BASE64_ENCODINGS,
  BASE64_FUNCTIONS,
  BUFFER_MODULES,
  SIGNATURE_APIS,
  type Base64Direction,
  type SignatureApi,
} from '../models/encoding.js';
import { findDeclaration, getBindingPath, skipOuterExpressions } from './scope.js';
import { evaluate, findEnclosingClass, followLocalModule, getStringAlternatives, resolveOrigin, stripDefault, type Origin } from './values.js';

/** A string split into its dot-separated segments: `token.split('.')`. */
export interface DotSplit {
  call: ts.CallExpression;
  subject: ts.Expression;
}

/** What a value is derived from: a segment of a dot split, or the parameter of a helper being analysed. */
export interface SegmentTrace {
  split: DotSplit | undefined;
  /** Segment index when known (0 header, 1 payload, 2 signature). */
  index: number | undefined;
  /** Passed through a base64 decoding on the way. */
  decoded: boolean;
}

export interface FlowContext {
  project: AnalysisProject;
  file: SourceFileInfo;
  /** While analysing a helper: its input parameter, traced like a segment. */
  param?: ts.ParameterDeclaration;
  depth: number;
}

const MAX_DEPTH = 12;
const PASS_THROUGH_METHODS = new Set([
  'replace', 'replaceAll', 'padEnd', 'padStart', 'concat', 'trim', 'trimEnd', 'trimStart', 'toString', 'normalize', 'slice', 'substring', 'substr',
]);
const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap']);
const GLOBAL_PREFIXES = new Set(['window', 'globalThis', 'self']);

export function createFlowContext(project: AnalysisProject, file: SourceFileInfo): FlowContext {
  return { project, file, depth: 0 };
}

function deeper(ctx: FlowContext): FlowContext {
  return { ...ctx, depth: ctx.depth + 1 };
}

/** An origin as module + export path; globals use the module `'#global'`. */
export function normalizeOrigin(origin: Origin): { module: string; path: string[] } | undefined {
  if (origin.kind === 'external') return { module: origin.module, path: stripDefault(origin.path) };
  if (origin.kind === 'global') {
    const path = origin.path.length > 1 && GLOBAL_PREFIXES.has(origin.path[0] as string) ? origin.path.slice(1) : origin.path;
    return { module: '#global', path };
  }
  return undefined;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

function isDotSeparator(ctx: FlowContext, arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  if (ts.isRegularExpressionLiteral(arg)) return arg.text === '/\\./' || arg.text === '/[.]/';
  return getStringAlternatives(evaluate(ctx.project, ctx.file, arg)).includes('.');
}

/** `x.split('.')` itself, a variable holding it, or a `slice(0, n)` of it. */
export function getDotSplit(ctx: FlowContext, input: ts.Expression): DotSplit | undefined {
  if (ctx.depth > MAX_DEPTH) return undefined;
  const expr = skipOuterExpressions(input);
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression)) {
    const method = expr.expression.name.text;
    if (method === 'split' && isDotSeparator(ctx, expr.arguments[0])) return { call: expr, subject: expr.expression.expression };
    if (method === 'slice' && expr.arguments[0] && ts.isNumericLiteral(expr.arguments[0]) && expr.arguments[0].text === '0') {
      return getDotSplit(deeper(ctx), expr.expression.expression);
    }
    return undefined;
  }
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) return getDotSplit(deeper(ctx), decl.initializer);
  }
  return undefined;
}

function segment(split: DotSplit | undefined, index: number | undefined): SegmentTrace {
  return { split, index, decoded: false };
}

function traceIdentifier(ctx: FlowContext, expr: ts.Identifier): SegmentTrace | undefined {
  const decl = findDeclaration(expr, expr.text);
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) return decl.initializer ? traceSegment(deeper(ctx), decl.initializer) : undefined;
  if (ts.isBindingElement(decl)) {
    const bound = getBindingPath(decl);
    if (!bound || !ts.isVariableDeclaration(bound.declaration) || !bound.declaration.initializer) return undefined;
    const [index, ...rest] = bound.path;
    if (typeof index !== 'number' || rest.length > 0) return undefined;
    const split = getDotSplit(deeper(ctx), bound.declaration.initializer);
    if (split) return segment(split, index);
    const list = skipOuterExpressions(bound.declaration.initializer);
    if (ts.isArrayLiteralExpression(list) && list.elements[index]) return traceSegment(deeper(ctx), list.elements[index]);
    return undefined;
  }
  if (ts.isParameter(decl)) {
    if (decl === ctx.param) return segment(undefined, undefined);
    return traceIterationParameter(ctx, decl);
  }
  return undefined;
}

/** `token.split('.').map((part) => …)`: the callback's first parameter is a segment. */
function traceIterationParameter(ctx: FlowContext, param: ts.ParameterDeclaration): SegmentTrace | undefined {
  const fn = param.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== param) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== fn || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  if (!ITERATION_METHODS.has(call.expression.name.text)) return undefined;
  const receiver = call.expression.expression;
  const split = getDotSplit(deeper(ctx), receiver);
  if (split) return segment(split, undefined);
  const list = skipOuterExpressions(receiver);
  if (ts.isArrayLiteralExpression(list)) {
    for (const element of list.elements) {
      const traced = traceSegment(deeper(ctx), element);
      if (traced) return { ...traced, index: undefined };
    }
  }
  return undefined;
}

/** Whether `expr` is derived from a segment of a dot-split string (or from `ctx.param`), following local variables. */
export function traceSegment(ctx: FlowContext, input: ts.Expression): SegmentTrace | undefined {
  if (ctx.depth > MAX_DEPTH) return undefined;
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return traceSegment(deeper(ctx), expr.expression);
  if (ts.isElementAccessExpression(expr)) {
    const split = getDotSplit(deeper(ctx), expr.expression);
    if (!split) return undefined;
    return segment(split, ts.isNumericLiteral(expr.argumentExpression) ? Number(expr.argumentExpression.text) : undefined);
  }
  if (ts.isIdentifier(expr)) return traceIdentifier(ctx, expr);
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return traceSegment(deeper(ctx), expr.left) ?? traceSegment(deeper(ctx), expr.right);
    }
    return undefined;
  }
  if (ts.isTemplateExpression(expr)) {
    for (const span of expr.templateSpans) {
      const traced = traceSegment(deeper(ctx), span.expression);
      if (traced) return traced;
    }
    return undefined;
  }
  if (ts.isConditionalExpression(expr)) return traceSegment(deeper(ctx), expr.whenTrue) ?? traceSegment(deeper(ctx), expr.whenFalse);
  if (ts.isCallExpression(expr) || ts.isNewExpression(expr)) return traceCall(ctx, expr);
  return undefined;
}

function traceCall(ctx: FlowContext, call: ts.CallExpression | ts.NewExpression): SegmentTrace | undefined {
  const callee = call.expression;
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (method === 'at' && call.arguments[0] && ts.isNumericLiteral(call.arguments[0])) {
      const split = getDotSplit(deeper(ctx), callee.expression);
      if (split) return segment(split, Number(call.arguments[0].text));
    }
    if (PASS_THROUGH_METHODS.has(method)) {
      const traced = traceSegment(deeper(ctx), callee.expression);
      if (traced) return traced;
    }
  }
  const base64 = getBase64Call(ctx, call);
  if (base64) {
    const traced = traceSegment(deeper(ctx), base64.input);
    if (!traced) return undefined;
    return base64.direction === 'decode' ? { ...traced, decoded: true } : traced;
  }
  for (const arg of call.arguments ?? []) {
    const traced = traceSegment(deeper(ctx), arg);
    if (traced) return traced;
  }
  return undefined;
}

export interface Base64Call {
  direction: Base64Direction;
  input: ts.Expression;
  label: string;
}

/** A base64/base64url decode or encode: globals, Buffer, helper packages, and the repository's own helpers. */
export function getBase64Call(ctx: FlowContext, call: ts.CallExpression | ts.NewExpression): Base64Call | undefined {
  const callee = call.expression;
  const args = call.arguments ?? [];
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'toString' && args[0]) {
    if (isBase64Encoding(ctx, args[0])) return { direction: 'encode', input: callee.expression, label: `toString('base64')` };
    return undefined;
  }
  const target = normalizeOrigin(resolveOrigin(ctx.project, ctx.file, callee));
  const input = args[0];
  if (target && input) {
    const isBufferFrom = ts.isNewExpression(call)
      ? samePath(target.path, ['Buffer']) && (target.module === '#global' || BUFFER_MODULES.includes(target.module))
      : samePath(target.path, ['Buffer', 'from']) && (target.module === '#global' || BUFFER_MODULES.includes(target.module));
    if (isBufferFrom) {
      return args[1] && isBase64Encoding(ctx, args[1]) ? { direction: 'decode', input, label: 'Buffer.from(…, base64)' } : undefined;
    }
    const known = BASE64_FUNCTIONS.find((f) => f.modules.includes(target.module) && samePath(f.path, target.path));
    if (known) return { direction: known.direction, input, label: known.label };
  }
  if (!ts.isCallExpression(call) || !input || ctx.depth > MAX_DEPTH) return undefined;
  const helper = getRepositoryFunction(ctx, callee);
  if (!helper) return undefined;
  const direction = getCodecHelperDirection(ctx.project, helper.file, helper.fn, ctx.depth + 1);
  return direction ? { direction, input, label: callee.getText(ctx.file.sourceFile) } : undefined;
}

/** A function passed by reference that base64-decodes its argument: `parts.map(atob)`, `.map(base64url.decode)`. */
export function getDecoderReference(ctx: FlowContext, ref: ts.Expression): string | undefined {
  const target = normalizeOrigin(resolveOrigin(ctx.project, ctx.file, ref));
  const known = target && BASE64_FUNCTIONS.find((f) => f.modules.includes(target.module) && samePath(f.path, target.path));
  if (known) return known.direction === 'decode' ? known.label : undefined;
  const helper = getRepositoryFunction(ctx, ref);
  if (!helper) return undefined;
  return getCodecHelperDirection(ctx.project, helper.file, helper.fn, ctx.depth + 1) === 'decode' ? ref.getText(ctx.file.sourceFile) : undefined;
}

function isBase64Encoding(ctx: FlowContext, arg: ts.Expression): boolean {
  return getStringAlternatives(evaluate(ctx.project, ctx.file, arg)).some((e) => BASE64_ENCODINGS.includes(e));
}

export interface RepositoryFunction {
  fn: ts.FunctionLikeDeclaration;
  file: SourceFileInfo;
}

/** The repository function a callee names: local or imported functions, class methods through `this`/static access. */
export function getRepositoryFunction(ctx: FlowContext, callee: ts.Expression): RepositoryFunction | undefined {
  const expr = skipOuterExpressions(callee);
  if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = findEnclosingClass(expr);
    const method = cls ? getMethod(cls, expr.name.text) : undefined;
    return method ? { fn: method, file: ctx.file } : undefined;
  }
  const origin = followLocalModule(ctx.project, resolveOrigin(ctx.project, ctx.file, expr));
  if (origin.kind !== 'local') return undefined;
  let node: ts.Node = origin.node;
  if (ts.isVariableDeclaration(node) && node.initializer) node = skipOuterExpressions(node.initializer);
  const member = origin.path.length === 1 ? origin.path[0] : origin.path.length === 2 && origin.path[0] === '#instance' ? origin.path[1] : undefined;
  if (member !== undefined && ts.isClassDeclaration(node)) {
    const method = getMethod(node, member);
    return method ? { fn: method, file: origin.file } : undefined;
  }
  if (origin.path.length > 0) return undefined;
  if (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) {
    return node.body ? { fn: node, file: origin.file } : undefined;
  }
  return undefined;
}

function getMethod(cls: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  return cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && m.name.text === name);
}

/**
 * Codec helpers by function and depth: the depth bounds how far the helper's own calls are traced, so an answer is
 * served only at the depth it was computed at (a file's findings must not depend on which file was linted first).
 */
const HELPER_DIRECTIONS = defineProjectMemo<ts.Node, Map<number, Base64Direction | null>>();

/** Whether a repository function base64-decodes or -encodes its first parameter (one helper level at a time). */
function getCodecHelperDirection(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, depth: number): Base64Direction | undefined {
  const param = fn.parameters[0];
  if (!param || !ts.isIdentifier(param.name) || !fn.body || depth > 4) return undefined;
  const memo = innerTable(HELPER_DIRECTIONS(project), fn);
  const known = memo.get(depth);
  if (known !== undefined) return known ?? undefined;
  // Every helper this one calls is asked one level deeper, so this answer is never asked for while it is computed.
  const ctx: FlowContext = { project, file, param, depth };
  const body = fn.body;
  return recordOwn(() => {
    let found: Base64Direction | undefined;
    walk(body, (node) => {
      if (found === 'decode') return false;
      if (node !== body && ts.isFunctionLike(node)) return false;
      if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
      const call = getBase64Call(ctx, node);
      const traced = call ? traceSegment(deeper(ctx), call.input) : undefined;
      if (call && traced && !traced.split) found = call.direction === 'decode' ? 'decode' : (found ?? 'encode');
    });
    memo.set(depth, found ?? null);
    return found;
  });
}

export interface SignatureCall {
  api: SignatureApi;
  data: ts.Expression;
  label: string;
}

/** A MAC/sign/verify primitive call and its data argument. */
export function getSignatureCall(ctx: FlowContext, call: ts.CallExpression): SignatureCall | undefined {
  const target = normalizeOrigin(resolveOrigin(ctx.project, ctx.file, call.expression));
  if (!target) return undefined;
  const api = SIGNATURE_APIS.find((a) => a.modules.includes(target.module) && samePath(a.path, target.path));
  const data = api ? call.arguments[api.dataArg] : undefined;
  return api && data ? { api, data, label: api.label } : undefined;
}

const SIGNATURE_HELPERS = defineProjectMemo<ts.Node, boolean>();

/** Whether a repository function MACs or signs its first parameter. */
export function isSignatureHelper(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): boolean {
  const memo = SIGNATURE_HELPERS(project).get(fn);
  if (memo !== undefined) return memo;
  SIGNATURE_HELPERS(project).set(fn, false);
  const param = fn.parameters[0];
  if (!param || !ts.isIdentifier(param.name) || !fn.body) return false;
  const ctx: FlowContext = { project, file, param, depth: 1 };
  let found = false;
  walk(fn.body, (node) => {
    if (found || (node !== fn.body && ts.isFunctionLike(node))) return false;
    if (!ts.isCallExpression(node)) return;
    const signature = getSignatureCall(ctx, node);
    const traced = signature ? traceSegment(ctx, signature.data) : undefined;
    if (traced && !traced.split) found = true;
  });
  SIGNATURE_HELPERS(project).set(fn, found);
  return found;
}

export interface SigningInput {
  /** The split token when the input is rebuilt from a received token (verification side). */
  split: DotSplit | undefined;
}

/** `${header}.${payload}` built from a split token or from base64url-encoded parts. */
export function getSigningInput(ctx: FlowContext, input: ts.Expression): SigningInput | undefined {
  if (ctx.depth > MAX_DEPTH) return undefined;
  const expr = skipOuterExpressions(input);
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? getSigningInput(deeper(ctx), decl.initializer) : undefined;
  }
  if (ts.isTemplateExpression(expr) && expr.head.text === '' && expr.templateSpans.length === 2) {
    const [first, second] = expr.templateSpans as unknown as [ts.TemplateSpan, ts.TemplateSpan];
    if (first.literal.text === '.' && second.literal.text === '') return joinParts(ctx, first.expression, second.expression);
    return undefined;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = skipOuterExpressions(expr.left);
    if (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken && isDotLiteral(left.right)) return joinParts(ctx, left.left, expr.right);
    return undefined;
  }
  if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr)) return undefined;
  const callee = expr.expression;
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (method === 'join' && isDotLiteral(expr.arguments[0])) {
      const split = getDotSplit(deeper(ctx), callee.expression);
      if (split) return { split };
      const list = skipOuterExpressions(callee.expression);
      if (ts.isArrayLiteralExpression(list) && list.elements.length === 2) return joinParts(ctx, list.elements[0] as ts.Expression, list.elements[1] as ts.Expression);
      return undefined;
    }
    // `value.slice(0, value.lastIndexOf('.'))` also unsigns `value.signature` cookies: only a token-named value counts.
    if ((method === 'slice' || method === 'substring' || method === 'substr') && isLastDotIndex(expr.arguments[1]) && TOKEN_NAME.test(callee.expression.getText())) {
      return { split: { call: expr, subject: callee.expression } };
    }
  }
  const [first] = expr.arguments ?? [];
  return first && !getBase64Call(ctx, expr) ? getSigningInput(deeper(ctx), first) : undefined;
}

function isDotLiteral(expr: ts.Expression | undefined): boolean {
  return !!expr && ts.isStringLiteralLike(expr) && expr.text === '.';
}

function isLastDotIndex(expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const inner = skipOuterExpressions(expr);
  return ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'lastIndexOf' && isDotLiteral(inner.arguments[0]);
}

function joinParts(ctx: FlowContext, a: ts.Expression, b: ts.Expression): SigningInput | undefined {
  const first = getPart(deeper(ctx), a);
  const second = getPart(deeper(ctx), b);
  if (!first || !second) return undefined;
  return { split: first.split ?? second.split };
}

function getPart(ctx: FlowContext, expr: ts.Expression): { split: DotSplit | undefined } | undefined {
  const traced = traceSegment(ctx, expr);
  if (traced?.split) return traced.index === undefined || traced.index < 2 ? { split: traced.split } : undefined;
  return isEncodedPart(ctx, expr) ? { split: undefined } : undefined;
}

/** A base64/base64url encoding result, through replace chains and local variables. */
function isEncodedPart(ctx: FlowContext, input: ts.Expression): boolean {
  if (ctx.depth > MAX_DEPTH) return false;
  const expr = skipOuterExpressions(input);
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && isEncodedPart(deeper(ctx), decl.initializer);
  }
  if (!ts.isCallExpression(expr)) return false;
  if (getBase64Call(ctx, expr)?.direction === 'encode') return true;
  return ts.isPropertyAccessExpression(expr.expression) && PASS_THROUGH_METHODS.has(expr.expression.name.text) && isEncodedPart(deeper(ctx), expr.expression.expression);
}

/** Whether the split's result is used as a two-part `value.signature` format (signed cookies), not a JWT. */
export function isTwoPartFormat(split: DotSplit): boolean {
  const parent = split.call.parent;
  if (!ts.isVariableDeclaration(parent)) return false;
  if (ts.isArrayBindingPattern(parent.name)) {
    const elements = parent.name.elements;
    const last = elements[elements.length - 1];
    if (elements.length === 3 && last && ts.isBindingElement(last) && ts.isIdentifier(last.name)) return rejectsWhenPresent(findScope(parent), last.name);
    return elements.length === 2 && !!last && ts.isBindingElement(last) && ts.isIdentifier(last.name) && /^(sig|signature|mac|hmac|digest|hash)$/i.test(last.name.text);
  }
  if (!ts.isIdentifier(parent.name)) return false;
  const name = parent.name.text;
  return comparesLength(findScope(parent), name, '2');
}

/**
 * `const [id, secret, extra] = value.split('.')` then `if (!id || extra !== undefined) return`: a third part makes the
 * value invalid, so the format has exactly two parts (logto's `id.secret` device credential), never a JWT's three.
 */
function rejectsWhenPresent(scope: ts.Node, name: ts.Identifier): boolean {
  let found = false;
  walk(scope, (node) => {
    if (found) return false;
    if (!ts.isIfStatement(node) || !exits(node.thenStatement)) return;
    const pending: ts.Expression[] = [node.expression];
    for (let expr = pending.pop(); expr && !found; expr = pending.pop()) {
      const inner = skipOuterExpressions(expr);
      if (!ts.isBinaryExpression(inner)) continue;
      const op = inner.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken) pending.push(inner.left, inner.right);
      else if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
        const [left, right] = [skipOuterExpressions(inner.left), skipOuterExpressions(inner.right)];
        found = (isAbsent(right) && isNamedBy(left, name)) || (isAbsent(left) && isNamedBy(right, name));
      }
    }
  });
  return found;
}

function isAbsent(expr: ts.Expression): boolean {
  return (ts.isIdentifier(expr) && expr.text === 'undefined') || expr.kind === ts.SyntaxKind.NullKeyword;
}

function isNamedBy(expr: ts.Expression, name: ts.Identifier): boolean {
  return ts.isIdentifier(expr) && expr.text === name.text && findDeclaration(expr, expr.text) === name.parent;
}

/** A branch that leaves the function: `return`, `throw`, or a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : undefined;
  return last !== undefined && exits(last);
}

const TOKEN_NAME = /token|jwt|bearer|auth|credential|assertion/i;

/**
 * Whether a decoded segment looks like part of a JWT rather than of another dotted format (`keyId.secret`):
 * the split string is named like a token, has three parts, or the decoded text is JSON-parsed.
 */
export function hasJwtEvidence(ctx: FlowContext, split: DotSplit, decoded: ts.Node): boolean {
  if (TOKEN_NAME.test(split.subject.getText(ctx.file.sourceFile))) return true;
  const parent = split.call.parent;
  if (ts.isVariableDeclaration(parent) && ts.isArrayBindingPattern(parent.name) && parent.name.elements.length >= 3) return true;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && comparesLength(findScope(parent), parent.name.text, '3')) return true;
  return isJsonParsed(ctx, decoded);
}

function comparesLength(scope: ts.Node, name: string, count: string): boolean {
  let found = false;
  walk(scope, (node) => {
    if (found) return false;
    if (ts.isBinaryExpression(node) && ts.isNumericLiteral(node.right) && node.right.text === count) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'length' && ts.isIdentifier(left.expression) && left.expression.text === name) found = true;
    }
  });
  return found;
}

function isJsonParseCall(ctx: FlowContext, node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const target = normalizeOrigin(resolveOrigin(ctx.project, ctx.file, node.expression));
  return target?.module === '#global' && samePath(target.path, ['JSON', 'parse']);
}

/** Follows a decoded value up through conversions and one local variable to a `JSON.parse`. */
function isJsonParsed(ctx: FlowContext, decoded: ts.Node): boolean {
  let current: ts.Node = decoded;
  for (let i = 0; i < 8; i++) {
    const parent: ts.Node = current.parent;
    if (isJsonParseCall(ctx, parent)) return true;
    if (ts.isPropertyAccessExpression(parent) && PASS_THROUGH_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent)) current = parent.parent;
    else if (ts.isCallExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent)) current = parent;
    else if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      let used = false;
      walk(findScope(parent), (node) => {
        if (used) return false;
        if (isJsonParseCall(ctx, node) && node.arguments[0] && getRootIdentifier(node.arguments[0], parent)) used = true;
      });
      return used;
    } else return false;
  }
  return false;
}

/** Whether `expr` is the variable declared by `decl`, possibly through conversions (`text.toString()`). */
function getRootIdentifier(input: ts.Expression, decl: ts.VariableDeclaration): boolean {
  let expr = skipOuterExpressions(input);
  while (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && PASS_THROUGH_METHODS.has(expr.expression.name.text)) {
    expr = skipOuterExpressions(expr.expression.expression);
  }
  return ts.isIdentifier(expr) && findDeclaration(expr, expr.text) === decl;
}

function findScope(node: ts.Node): ts.Node {
  let current: ts.Node | undefined = node.parent;
  while (current && !ts.isFunctionLike(current) && !ts.isSourceFile(current)) current = current.parent;
  return current ?? node.getSourceFile();
}
