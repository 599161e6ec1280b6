import { ts } from 'ts-morph';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { KEY_HEADER_PARAMETERS } from '../models/jwt/index.js';
import { getJwtCalls, type JwtCall, type JwtKey } from './jwt.js';
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

/** The expression is a token header: decoded without verification (`decodeProtectedHeader`, `decode(t, { complete })`) or handed to a key callback. */
function isHeaderSource(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const inner = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(inner)) return isHeaderSource(project, file, inner.expression, depth + 1);
  if (ts.isCallExpression(inner)) return getJwtCalls(project, file).some((call) => call.node === inner && call.decodeOnly);
  const name = memberName(inner);
  if (name !== undefined && (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner))) return isHeaderSource(project, file, inner.expression, depth + 1);
  if (!ts.isIdentifier(inner)) return false;
  const decl = findDeclaration(inner, inner.text);
  if (!decl) return false;
  if (ts.isParameter(decl)) return isKeyCallbackHeader(project, file, decl);
  if (ts.isVariableDeclaration(decl) && decl.initializer) return isHeaderSource(project, file, decl.initializer, depth + 1);
  if (ts.isBindingElement(decl)) {
    let root: ts.Node = decl;
    while (!ts.isVariableDeclaration(root) && !ts.isParameter(root) && root.parent) root = root.parent;
    if (ts.isVariableDeclaration(root) && root.initializer) return isHeaderSource(project, file, root.initializer, depth + 1);
    if (ts.isParameter(root)) return isKeyCallbackHeader(project, file, root);
  }
  return false;
}

/** A read of a key-carrying header parameter (`header.jwk`, `{ jku } = header`) that the expression is built from. */
function findHeaderRead(project: AnalysisProject, file: SourceFileInfo, expr: ts.Node, depth: number, seen: Set<ts.Node>): { parameter: string; read: ts.Expression } | undefined {
  if (depth > MAX_DEPTH || seen.has(expr)) return undefined;
  seen.add(expr);
  const node = ts.isExpression(expr) ? skipOuterExpressions(expr) : expr;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const name = memberName(node);
    if (name !== undefined && KEY_HEADER_PARAMETERS.includes(name) && isHeaderSource(project, file, node.expression, 0)) return { parameter: name, read: node };
    return findHeaderRead(project, file, node.expression, depth + 1, seen);
  }
  if (ts.isIdentifier(node)) {
    const decl = findDeclaration(node, node.text);
    if (!decl) return undefined;
    if (ts.isVariableDeclaration(decl) && decl.initializer) return findHeaderRead(project, file, decl.initializer, depth + 1, seen);
    if (ts.isBindingElement(decl)) {
      const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : node.text;
      const pattern = decl.parent;
      const owner = pattern.parent;
      if (KEY_HEADER_PARAMETERS.includes(key) && ts.isVariableDeclaration(owner) && owner.initializer && isHeaderSource(project, file, owner.initializer, 0)) {
        return { parameter: key, read: node };
      }
    }
    if (ts.isFunctionDeclaration(decl)) return findInBody(project, file, decl, depth, seen);
    return undefined;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return findInBody(project, file, node, depth, seen);
  let found: { parameter: string; read: ts.Expression } | undefined;
  node.forEachChild((child) => {
    found ??= findHeaderRead(project, file, child, depth + 1, seen);
  });
  return found;
}

/** A key callback: what it returns or passes to its callback. */
function findInBody(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>) {
  return fn.body ? findHeaderRead(project, file, fn.body, depth + 1, seen) : undefined;
}

/** The header parameter is compared with or looked up in a trusted list somewhere in the function that reads it. */
function isCheckedAgainstAllowlist(read: ts.Expression, parameter: string): boolean {
  let scope: ts.Node = read;
  while (scope.parent && !ts.isFunctionLike(scope)) scope = scope.parent;
  let checked = false;
  const visit = (node: ts.Node): void => {
    if (checked) return;
    const name = ts.isExpression(node) ? memberName(node) : undefined;
    const isRead = name === parameter || (ts.isIdentifier(node) && node.text === parameter && node !== read);
    if (isRead && isInCheck(node as ts.Expression)) {
      checked = true;
      return;
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return checked;
}

function isInCheck(read: ts.Expression): boolean {
  for (let current: ts.Node = read; current.parent && !ts.isStatement(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isBinaryExpression(parent) && COMPARISONS.has(parent.operatorToken.kind)) return true;
    if (ts.isCallExpression(parent)) {
      const callee = parent.expression;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method !== undefined && CHECK_METHODS.has(method)) return true;
    }
    if (ts.isIfStatement(parent) && parent.expression === current) return true;
  }
  return false;
}

/** Verifications of a file whose key the token picks through its own header, with no allowlist check of that parameter. */
export function getTokenSuppliedKeys(project: AnalysisProject, file: SourceFileInfo): TokenSuppliedKey[] {
  if (!/\b(jwk|jku|x5u)\b/.test(file.text)) return [];
  const found: TokenSuppliedKey[] = [];
  for (const call of getJwtCalls(project, file)) {
    if (!call.verifies || call.operation === 'configure') continue;
    for (const key of call.keys) {
      const read = findHeaderRead(project, file, key.node, 0, new Set());
      if (read && !isCheckedAgainstAllowlist(read.read, read.parameter)) found.push({ call, key, ...read });
    }
  }
  return found;
}
