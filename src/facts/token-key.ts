import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { KEY_HEADER_PARAMETERS } from '../models/jwt/index.js';
import { getJwtCalls, type JwtCall, type JwtKey } from './jwt.js';
import { isSameToken } from './jwt-flow.js';
import { walk } from '../core/walk.js';
import { findDeclaration, skipOuterExpressions } from './scope.js';

/** A verification whose key is built from the token's own header (`importJWK(header.jwk)`, a key fetched from `header.jku`). */
export interface TokenSuppliedKey {
  call: JwtCall;
  key: JwtKey;
  /** The header parameter the key comes from: `jwk`, `jku` or `x5u`. */
  parameter: string;
  /** The read of that parameter. */
  read: ts.Expression;
}

const CHECK_METHODS = new Set(['includes', 'has', 'startsWith', 'some', 'indexOf', 'test', 'match', 'find']);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);
const MAX_DEPTH = 10;

function memberName(expr: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  return undefined;
}

/** The function a parameter belongs to is the key argument of a verifying call: jsonwebtoken `getKey(header, cb)`, jose `(protectedHeader) => …`. */
function isKeyCallbackHeader(project: AnalysisProject, file: SourceFileInfo, parameter: ts.ParameterDeclaration): boolean {
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || fn.parameters[0] !== parameter) return false;
  const name = ts.isFunctionDeclaration(fn) && fn.name ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  return getJwtCalls(project, file).some((call) =>
    call.verifies &&
    call.keys.some((key) => {
      const node = ts.isExpression(key.node) ? skipOuterExpressions(key.node) : key.node;
      return node === fn || (name !== undefined && ts.isIdentifier(node) && node.text === name);
    }),
  );
}

interface Trace {
  project: AnalysisProject;
  file: SourceFileInfo;
  /** The token the verify call checks. */
  token: ts.Expression | undefined;
}

/**
 * The expression is the header of the token being verified, read without verification: a decode-only call
 * (`decodeProtectedHeader`, `decode(t, { complete })`), any other reading of that token (`this.parse(token)`,
 * `JSON.parse(…token.split('.')[0]…)`), or the header handed to a key callback.
 */
function isHeaderSource(t: Trace, expr: ts.Expression, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(inner)) return isHeaderSource(t, inner.expression, depth + 1);
  if (ts.isCallExpression(inner)) {
    const call = getJwtCalls(t.project, t.file).find((c) => c.node === inner);
    if (call) return call.decodeOnly;
    return inner.arguments.some((arg) => readsToken(t, arg)) || isHeaderSource(t, inner.expression, depth + 1);
  }
  const name = memberName(inner);
  if (name !== undefined && (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner))) return isHeaderSource(t, inner.expression, depth + 1);
  if (!ts.isIdentifier(inner)) return false;
  if (readsToken(t, inner)) return true;
  const decl = findDeclaration(inner, inner.text);
  if (!decl) return false;
  if (ts.isParameter(decl)) return isKeyCallbackHeader(t.project, t.file, decl);
  if (ts.isVariableDeclaration(decl) && decl.initializer) return isHeaderSource(t, decl.initializer, depth + 1);
  if (ts.isBindingElement(decl)) {
    let root: ts.Node = decl;
    while (!ts.isVariableDeclaration(root) && !ts.isParameter(root) && root.parent) root = root.parent;
    if (ts.isVariableDeclaration(root) && root.initializer) return isHeaderSource(t, root.initializer, depth + 1);
    if (ts.isParameter(root)) return isKeyCallbackHeader(t.project, t.file, root);
  }
  return false;
}

/** The expression reads the verified token somewhere inside (`token`, `token.split('.')[0]`, `Buffer.from(part)` of it). */
function readsToken(t: Trace, expr: ts.Expression): boolean {
  const token = t.token;
  if (!token || !ts.isIdentifier(skipOuterExpressions(token))) return false;
  let found = false;
  walk(expr, (node) => {
    if (found) return false;
    if (!ts.isIdentifier(node) || (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) return;
    if (isSameToken(node, token)) found = true;
  });
  return found;
}

/** A read of a key-carrying header parameter (`header.jwk`, `{ jku } = header`) that the expression is built from. */
function findHeaderRead(t: Trace, expr: ts.Node, depth: number, seen: Set<ts.Node>): { parameter: string; read: ts.Expression } | undefined {
  if (depth > MAX_DEPTH || seen.has(expr)) return undefined;
  seen.add(expr);
  const node = ts.isExpression(expr) ? skipOuterExpressions(expr) : expr;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const name = memberName(node);
    if (name !== undefined && KEY_HEADER_PARAMETERS.includes(name) && isHeaderSource(t, node.expression, 0)) return { parameter: name, read: node };
    return findHeaderRead(t, node.expression, depth + 1, seen);
  }
  if (ts.isIdentifier(node)) {
    const decl = findDeclaration(node, node.text);
    if (!decl) return undefined;
    if (ts.isVariableDeclaration(decl) && decl.initializer) return findHeaderRead(t, decl.initializer, depth + 1, seen);
    if (ts.isBindingElement(decl)) {
      const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : node.text;
      const pattern = decl.parent;
      const owner = pattern.parent;
      if (KEY_HEADER_PARAMETERS.includes(key) && ts.isVariableDeclaration(owner) && owner.initializer && isHeaderSource(t, owner.initializer, 0)) {
        return { parameter: key, read: node };
      }
    }
    if (ts.isFunctionDeclaration(decl)) return findInBody(t, decl, depth, seen);
    return undefined;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return findInBody(t, node, depth, seen);
  let found: { parameter: string; read: ts.Expression } | undefined;
  node.forEachChild((child) => {
    found ??= findHeaderRead(t, child, depth + 1, seen);
  });
  return found;
}

/** A key callback: what it returns or passes to its callback. */
function findInBody(t: Trace, fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>) {
  return fn.body ? findHeaderRead(t, fn.body, depth + 1, seen) : undefined;
}

/** The header parameter (or a variable holding it) is compared with or looked up in a trusted list in the function that reads it; a null check is not one. */
function isCheckedAgainstAllowlist(read: ts.Expression, parameter: string): boolean {
  let scope: ts.Node = read;
  while (scope.parent && !ts.isFunctionLike(scope)) scope = scope.parent;
  const names = new Set([parameter]);
  let holder: ts.Node = read;
  while (holder.parent && (ts.isParenthesizedExpression(holder.parent) || ts.isNonNullExpression(holder.parent) || ts.isAsExpression(holder.parent))) holder = holder.parent;
  if (holder.parent && ts.isVariableDeclaration(holder.parent) && ts.isIdentifier(holder.parent.name)) names.add(holder.parent.name.text);
  let checked = false;
  const visit = (node: ts.Node): void => {
    if (checked) return;
    const isRead = ts.isExpression(node) && (names.has(memberName(node) ?? '') || (ts.isIdentifier(node) && names.has(node.text) && !ts.isPropertyAccessExpression(node.parent)));
    if (isRead && isInCheck(node as ts.Expression)) {
      checked = true;
      return;
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return checked;
}

function isNullish(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined');
}

/** `read === trusted`, `TRUSTED.includes(read)`, `read.startsWith('https://id.example.com/')`; a null check is not one. */
function isInCheck(read: ts.Expression): boolean {
  let operand: ts.Node = read;
  while (operand.parent && (ts.isParenthesizedExpression(operand.parent) || ts.isNonNullExpression(operand.parent) || ts.isAsExpression(operand.parent))) operand = operand.parent;
  const parent = operand.parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && COMPARISONS.has(parent.operatorToken.kind)) return !isNullish(parent.left === operand ? parent.right : parent.left);
  if (ts.isCallExpression(parent) && parent.arguments.includes(operand as ts.Expression)) {
    const callee = parent.expression;
    return ts.isPropertyAccessExpression(callee) && CHECK_METHODS.has(callee.name.text);
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === operand && CHECK_METHODS.has(parent.name.text)) return ts.isCallExpression(parent.parent);
  return false;
}

/** Verifications of a file whose key the token picks through its own header, with no allowlist check of that parameter. */
export function getTokenSuppliedKeys(project: AnalysisProject, file: SourceFileInfo): TokenSuppliedKey[] {
  if (!/\b(jwk|jku|x5u)\b/.test(file.text)) return [];
  const found: TokenSuppliedKey[] = [];
  for (const call of getJwtCalls(project, file)) {
    if (!call.verifies || call.operation === 'configure') continue;
    for (const key of call.keys) {
      const read = findHeaderRead({ project, file, token: call.token }, key.node, 0, new Set());
      if (read && !isCheckedAgainstAllowlist(read.read, read.parameter)) found.push({ call, key, ...read });
    }
  }
  return found;
}
