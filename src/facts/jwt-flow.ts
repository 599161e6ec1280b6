import { ts } from '@ts-morph/common';
import { defineFileFact, defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { indexedNodes, walk } from '../core/walk.js';
import { defineProjectMemo } from '../core/project-memo.js';
import { innerTable, recordOwn } from '../core/reads.js';
import { describeCall, getJwtCalls, lookupOption, mentionsJwtPackage, type JwtCall } from './jwt.js';
import { IMPORTS } from './imports.js';
import { findDeclaration, getBindingPath, getPropertyName, skipOuterExpressions } from './scope.js';
import {
  FETCH_FUNCTION_NAMES,
  OAUTH2_TOKEN_RESPONSE_FROM_END,
  OAUTH2_VERIFY_ARITY,
  PASSPORT_STRATEGY_PACKAGE,
  RESPONSE_BODY_METHODS,
  RESPONSE_TYPE_NAMES,
  TOKEN_RESPONSE_MEMBERS,
} from '../models/jwt/index.js';
import { PASS_THROUGH_METHODS } from '../models/request-identity.js';
import { getRepositoryFunction, type RepositoryFunction } from './token-segments.js';
import { evaluate, getMember, isTruthy, resolveOrigin } from './values.js';

/** What a decode-only read returns: the payload, `{ header, payload }`, or only the header. */
export type DecodedShape = 'claims' | 'complete' | 'header';

/** A read of a token's claims without a signature check: a library call, or a repository wrapper around one. */
export interface DecodeSource {
  node: ts.CallExpression | ts.NewExpression;
  /** The token expression, when the call names one. */
  token: ts.Expression | undefined;
  shape: DecodedShape;
  /** `jsonwebtoken 'decode'`, or `decodeToken (jsonwebtoken 'decode')` for a wrapper. */
  label: string;
  /** The token comes from a server the service called (a fetch response body, an OAuth token endpoint's `id_token`), not from its caller. */
  fetched: boolean;
}

const CLIENT_MODULES = /^(react|react-dom|react-native|next\/router|next\/navigation|vue|vue-router|@angular\/core|svelte|solid-js|preact|@remix-run\/react|expo-.*|@react-native.*)(\/.*)?$/;
const BROWSER_GLOBALS = /\b(localStorage|sessionStorage|document\.cookie|window\.location)\b/;
const CLIENT_PATH = /(^|\/)(client|frontend|browser|public|static)\//;

/** Browser and UI code: reading a token's claims there schedules refreshes or shows names, it grants nothing. */
export function isClientSideFile(project: AnalysisProject, file: SourceFileInfo): boolean {
  if (/\.(tsx|jsx)$/.test(file.path) || CLIENT_PATH.test(file.relPath)) return true;
  const first = file.sourceFile.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return true;
  for (const binding of project.fileFact(IMPORTS, file).values()) if (CLIENT_MODULES.test(binding.module)) return true;
  return BROWSER_GLOBALS.test(file.text);
}

function getShape(project: AnalysisProject, call: JwtCall): DecodedShape {
  if (call.apiName === 'decodeProtectedHeader') return 'header';
  if (call.library === 'jws' || call.library === 'hono/jwt' || call.library === '@hapi/jwt') return 'complete';
  if (call.library === 'jwt-decode') {
    const options = call.node.arguments?.[1];
    const header = options ? getMember(evaluate(project, call.file, options), 'header') : undefined;
    return header && isTruthy(header) && header.kind === 'boolean' ? 'header' : 'claims';
  }
  const complete = lookupOption(call.options, ['complete'], call.file);
  return complete.state === 'present' && complete.value.kind === 'boolean' && complete.value.value ? 'complete' : 'claims';
}

export function getFunctionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return getPropertyName(fn.name);
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return getPropertyName(parent.name);
  return undefined;
}

export function getEnclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) return current as ts.FunctionLikeDeclaration;
    current = current.parent;
  }
  return undefined;
}

const AUTH_FUNCTION =
  /^(canActivate|authenticate\w*|authori[sz]e\w*|requireAuth\w*|require(User|Role|Admin|Scope|Permission|Login)\w*|isAuthenticated|isAuthori[sz]ed|isAdmin|isOwner|verify\w*|validate\w*|check(Auth|Role|Permission|Scope|Access|Token|Admin)\w*|has(Role|Permission|Scope|Access)\w*|(get|resolve|load|extract|read|fetch|find)?(Current|Authenticated|Logged(In)?)?(User|Principal|Identity|Session|Account|Actor|Caller|Viewer|Member|Auth)(Id|FromToken|FromRequest|FromHeader|FromJwt)?|currentUser|whoami|context|createContext|deserializeUser)$/i;

const AUTH_WORD = /verif|validat|authenticat|authori[sz]/i;

/** A function whose result is an authentication or authorization outcome (a guard, a `verifyToken`, a `getCurrentUser`). */
export function isAuthFunction(fn: ts.Node): string | undefined {
  const name = getFunctionName(fn);
  return name !== undefined && (AUTH_FUNCTION.test(name) || AUTH_WORD.test(name)) ? name : undefined;
}

/** The value a return statement or expression body of `fn` gives back, for each exit. */
function getReturnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const found: ts.Expression[] = [];
  walk(body, (node) => {
    if (node !== body && ts.isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
  });
  return found;
}

/** Whether `expr` is (a variable holding) `target`, or its `.payload` member. */
function isValueOf(input: ts.Expression, target: ts.Node, depth = 0): boolean {
  const expr = skipOuterExpressions(input);
  if (depth > 6) return false;
  if (expr === target) return true;
  if (ts.isAwaitExpression(expr)) return isValueOf(expr.expression, target, depth + 1);
  if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'payload') return isValueOf(expr.expression, target, depth + 1);
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    if (!decl || !ts.isVariableDeclaration(decl)) return false;
    if (decl.initializer) return isValueOf(decl.initializer, target, depth + 1);
    // `let payload; … payload = jwt.decode(token); … return payload`
    return getAssignedValues(decl).some((value) => isValueOf(value, target, depth + 1));
  }
  return false;
}

/** What is assigned to a variable declared without a value, in the function (or file) that declares it. */
function getAssignedValues(decl: ts.VariableDeclaration): ts.Expression[] {
  if (!ts.isIdentifier(decl.name)) return [];
  const name = decl.name.text;
  const scope = getEnclosingFunction(decl)?.body ?? decl.getSourceFile();
  const values: ts.Expression[] = [];
  walk(scope, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = skipOuterExpressions(node.left);
    if (ts.isIdentifier(left) && left.text === name && findDeclaration(left, name) === decl) values.push(node.right);
  });
  return values;
}

/**
 * Decode wrappers by function and depth: how many wrapper levels are followed below a helper depends on the depth it
 * is asked at, so an answer computed for a deep caller must not be served to a shallow one, nor the reverse (a file's
 * findings would depend on which file was linted first). Each nested question is one level deeper.
 */
const WRAPPERS = defineProjectMemo<ts.Node, Map<number, { source: DecodeSource; paramIndex: number } | null>>();

/** A repository function that returns decode-only claims and is not itself an auth decision (`decodeToken(t)`). */
function getDecodeWrapper(project: AnalysisProject, helper: RepositoryFunction, depth: number): { source: DecodeSource; paramIndex: number } | undefined {
  if (depth > 2) return undefined;
  const memo = innerTable(WRAPPERS(project), helper.fn);
  const known = memo.get(depth);
  if (known !== undefined) return known ?? undefined;
  return recordOwn(() => {
    const result = findDecodeWrapper(project, helper, depth);
    memo.set(depth, result ?? null);
    return result;
  });
}

function findDecodeWrapper(project: AnalysisProject, helper: RepositoryFunction, depth: number): { source: DecodeSource; paramIndex: number } | undefined {
  if (isAuthFunction(helper.fn)) return undefined;
  const sources = getDecodeSources(project, helper.file, depth + 1).filter((s) => s.node.pos >= helper.fn.pos && s.node.end <= helper.fn.end && s.shape !== 'header');
  const returned = getReturnedExpressions(helper.fn);
  for (const source of sources) {
    if (!returned.some((r) => isValueOf(r, source.node))) continue;
    const keys = source.token ? getTokenKeys(source.token) : new Set<string>();
    const paramIndex = helper.fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && keys.has(`${p.name.text}@${p.pos}`));
    return { source: { ...source, shape: 'claims' as const }, paramIndex };
  }
  return undefined;
}

/**
 * Cheap text gate before computing a file's JWT calls: an import of a JWT package or a decorator-style decode. Its own
 * text only, so an editor's next snapshot keeps it for every file but the edited one instead of searching every text.
 */
const MAY_USE_JWT_LIBRARY = defineFileFact(
  'may-use-jwt-library',
  (file: SourceFileInfo, project: AnalysisProject): boolean => mentionsJwtPackage(project, file) || /jwtDecode|jwt\.decode/.test(file.text),
  { local: true },
);

function mayUseJwtLibrary(project: AnalysisProject, file: SourceFileInfo): boolean {
  return project.fileFact(MAY_USE_JWT_LIBRARY, file);
}

/**
 * Names of repository functions that return decode-only claims (two wrapper levels), so that only calls with one of
 * these names need resolving.
 */
const DECODE_WRAPPER_NAMES = defineProjectFact('jwt-decode-wrapper-names', (project: AnalysisProject): Set<string> => {
  const names = new Set<string>();
  const files = project.files().filter((f) => mayUseJwtLibrary(project, f));
  for (const file of files) {
    for (const call of getJwtCalls(project, file)) {
      if (!call.decodeOnly) continue;
      const fn = getEnclosingFunction(call.node);
      const name = fn ? getFunctionName(fn) : undefined;
      if (fn && name && getReturnedExpressions(fn).some((r) => isValueOf(r, call.node))) names.add(name);
    }
  }
  if (names.size === 0) return names;
  // Names found in a file count for the files after it: a file is read only when it mentions a name known by then.
  // The files that mention a name come from the word postings (a name found later adds its files; those already
  // passed are not read again), not from a search of every file's words.
  const mentioning = new Set(project.filesMentioning([...names]));
  for (const file of project.files()) {
    if (!mentioning.has(file)) continue;
    for (const [called, name] of project.fileFact(RETURNED_CALLS, file)) {
      if (!names.has(called) || names.has(name)) continue;
      names.add(name);
      for (const other of project.filesMentioning([name])) mentioning.add(other);
    }
  }
  return names;
}, { plain: true });

/** `return f(…)` / `return await x.f(…)` of a named function, as [called name, function name] in source order. */
const RETURNED_CALLS = defineFileFact(
  'returned-calls',
  (file: SourceFileInfo): Array<[string, string]> => {
    const pairs: Array<[string, string]> = [];
    walk(file.sourceFile, (node) => {
      if (!ts.isReturnStatement(node) || !node.expression) return;
      const returned = skipOuterExpressions(node.expression);
      const inner = ts.isAwaitExpression(returned) ? skipOuterExpressions(returned.expression) : returned;
      if (!ts.isCallExpression(inner)) return;
      const callee = inner.expression;
      const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const fn = getEnclosingFunction(node);
      const name = fn ? getFunctionName(fn) : undefined;
      if (called && name) pairs.push([called, name]);
    });
    return pairs;
  },
  { local: true },
);

/** Authentication configured to accept tokens without checking their signature (@hapi/jwt `verify: false`). */
export function getUnverifiedStrategies(project: AnalysisProject, file: SourceFileInfo): JwtCall[] {
  if (!mayUseJwtLibrary(project, file) && !/auth\.strategy/.test(file.text)) return [];
  return getJwtCalls(project, file).filter((c) => c.operation === 'configure' && c.decodeOnly);
}

/** Decode-only reads of a file: JWT library calls, and calls of the repository's wrappers around them. */
export function getDecodeSources(project: AnalysisProject, file: SourceFileInfo, depth = 0): DecodeSource[] {
  const sources: DecodeSource[] = [];
  for (const call of mayUseJwtLibrary(project, file) ? getJwtCalls(project, file) : []) {
    if (!call.decodeOnly || (call.operation !== 'decode' && call.operation !== 'unsecured')) continue;
    const token = call.token ?? (call.viaFactory ? call.node.arguments?.[0] : undefined);
    const shape = call.operation === 'unsecured' ? 'complete' : getShape(project, call);
    sources.push({ node: call.node, token, shape, label: describeCall(call), fetched: token !== undefined && isFetchedToken(project, file, token) });
  }
  if (depth > 2) return sources;
  const names = project.projectFact(DECODE_WRAPPER_NAMES);
  // A call of a wrapper names it (the callee or its last member), so a file whose text has none of the names has none.
  if (names.size === 0 || !project.mentionsAnyOf(file, names)) return sources;
  // The file's call index holds the calls in the order a walk meets them.
  for (const node of indexedNodes(file.sourceFile, ts.isCallExpression)) {
    const name = ts.isIdentifier(node.expression) ? node.expression.text : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : undefined;
    if (name === undefined || !names.has(name)) continue;
    const helper = getRepositoryFunction({ project, file, depth: 0 }, node.expression);
    const wrapper = helper ? getDecodeWrapper(project, helper, depth) : undefined;
    if (!wrapper) continue;
    const token = wrapper.paramIndex >= 0 ? node.arguments[wrapper.paramIndex] : undefined;
    const fetched = wrapper.source.fetched || (token !== undefined && isFetchedToken(project, file, token));
    sources.push({ node, token, shape: wrapper.source.shape, label: `${node.expression.getText(file.sourceFile)} (${wrapper.source.label})`, fetched });
  }
  return sources;
}

/**
 * Whether a token is read from what the service received from a server it called: the body of a fetch response
 * (`await response.text()`), or the `id_token` of the token endpoint response a passport OAuth 2.0 strategy hands
 * its verify callback. Local variables, destructuring and string conversions are followed.
 */
export function isFetchedToken(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return isFetchedToken(project, file, expr.expression, depth + 1);
  if (ts.isCallExpression(expr)) {
    if (!ts.isPropertyAccessExpression(expr.expression)) return false;
    const method = expr.expression.name.text;
    const receiver = expr.expression.expression;
    if (RESPONSE_BODY_METHODS.has(method)) return isFetchResponse(receiver, depth + 1);
    return PASS_THROUGH_METHODS.has(method) && isFetchedToken(project, file, receiver, depth + 1);
  }
  if (ts.isPropertyAccessExpression(expr)) {
    if (TOKEN_RESPONSE_MEMBERS.has(expr.name.text) && isTokenResponseParameter(project, file, expr.expression)) return true;
    return isFetchedToken(project, file, expr.expression, depth + 1);
  }
  if (!ts.isIdentifier(expr)) return false;
  const decl = findDeclaration(expr, expr.text);
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return isFetchedToken(project, file, decl.initializer, depth + 1);
  if (decl && ts.isBindingElement(decl)) {
    const bound = getBindingPath(decl);
    return !!bound && ts.isVariableDeclaration(bound.declaration) && !!bound.declaration.initializer && isFetchedToken(project, file, bound.declaration.initializer, depth + 1);
  }
  return false;
}

/** `response: Response`, or a variable holding `await fetch(…)`. */
function isFetchResponse(input: ts.Expression, depth: number): boolean {
  if (depth > 8) return false;
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return isFetchResponse(expr.expression, depth + 1);
  if (ts.isCallExpression(expr)) return ts.isIdentifier(expr.expression) && FETCH_FUNCTION_NAMES.has(expr.expression.text);
  if (!ts.isIdentifier(expr)) return false;
  const decl = findDeclaration(expr, expr.text);
  if (!decl || !(ts.isParameter(decl) || ts.isVariableDeclaration(decl))) return false;
  const type = decl.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && RESPONSE_TYPE_NAMES.has(type.typeName.text)) return true;
  return ts.isVariableDeclaration(decl) && decl.initializer !== undefined && isFetchResponse(decl.initializer, depth + 1);
}

/** `params` in `new Strategy(options, (req, accessToken, refreshToken, params, profile, done) => …)` of a passport strategy package. */
function isTokenResponseParameter(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression): boolean {
  const expr = skipOuterExpressions(input);
  if (!ts.isIdentifier(expr)) return false;
  const param = findDeclaration(expr, expr.text);
  if (!param || !ts.isParameter(param)) return false;
  const fn = param.parent;
  const count = fn.parameters.length;
  if (count < OAUTH2_VERIFY_ARITY || fn.parameters.indexOf(param) !== count - OAUTH2_TOKEN_RESPONSE_FROM_END) return false;
  const created = fn.parent;
  if (!ts.isNewExpression(created) || !created.arguments?.includes(fn as ts.Expression)) return false;
  const origin = resolveOrigin(project, file, created.expression);
  return origin.kind === 'external' && PASSPORT_STRATEGY_PACKAGE.test(origin.module);
}

/**
 * What a token expression is read from: the request members it starts at (`req.headers.authorization`) and the
 * parameters it comes in through, following local aliases (`const token = header.slice(7)`).
 */
export function getTokenKeys(input: ts.Expression): Set<string> {
  const keys = new Set<string>();
  const visit = (expr: ts.Node, depth: number): void => {
    if (depth > 8) return;
    walk(expr, (node) => {
      if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
        const parent = node.parent;
        const extended = (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node;
        const isMethod = extended && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
        if (extended && !isMethod) return;
        if (ts.isCallExpression(parent) && parent.expression === node) return;
        keys.add(node.getText().replace(/\s|\?/g, ''));
        return false;
      }
      if (!ts.isIdentifier(node)) return;
      const decl = findDeclaration(node, node.text);
      if (!decl) return;
      if (ts.isVariableDeclaration(decl) && decl.initializer) visit(decl.initializer, depth + 1);
      else keys.add(`${node.text}@${decl.pos}`);
    });
  };
  visit(input, 0);
  return keys;
}

/** Whether two token expressions name the same token; an unknown token matches any. */
export function isSameToken(a: ts.Expression | undefined, b: ts.Expression | undefined): boolean {
  if (!a || !b) return true;
  const keysB = getTokenKeys(b);
  for (const key of getTokenKeys(a)) if (keysB.has(key)) return true;
  return false;
}

const COMPARE_CALL = /compare|timingSafeEqual|verify|equals?$/i;

/** The raw token compared with a stored copy (`user.refreshToken !== token`, `bcrypt.compare(token, hash)`) is checked. */
function isTokenCompared(node: ts.Node, token: ts.Expression): boolean {
  const isToken = (expr: ts.Expression) => {
    const inner = skipOuterExpressions(expr);
    return (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) && isSameToken(inner, token);
  };
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    return equality && (isToken(node.left) || isToken(node.right)) && !ts.isLiteralExpression(skipOuterExpressions(node.left)) && !ts.isLiteralExpression(skipOuterExpressions(node.right));
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return COMPARE_CALL.test(name) && node.arguments.some(isToken);
  }
  return false;
}

/** Verifying helpers by function and depth (see WRAPPERS): the depth decides whether a helper's own helpers are read. */
const VERIFYING = defineProjectMemo<ts.Node, Map<number, boolean>>();

/** A repository function that verifies a token with a JWT library (directly or one helper further down). */
function isVerifyingFunction(project: AnalysisProject, helper: RepositoryFunction, depth: number): boolean {
  const memo = innerTable(VERIFYING(project), helper.fn);
  const known = memo.get(depth);
  if (known !== undefined) return known;
  return recordOwn(() => {
    const result =
      getJwtCalls(project, helper.file).some((c) => c.verifies && c.node.pos >= helper.fn.pos && c.node.end <= helper.fn.end) ||
      (depth < 2 && hasVerificationIn(project, helper.file, helper.fn, undefined, depth + 1));
    memo.set(depth, result);
    return result;
  });
}

/** Whether `scope` verifies `token` (or any token when unknown): a JWT verify call, a verifying helper, or a passport guard. */
export function hasVerificationIn(project: AnalysisProject, file: SourceFileInfo, scope: ts.Node, token: ts.Expression | undefined, depth = 0): boolean {
  for (const call of getJwtCalls(project, file)) {
    if (!call.verifies || call.node.pos < scope.pos || call.node.end > scope.end) continue;
    if (call.operation !== 'configure' && isSameToken(call.token, token)) return true;
  }
  let found = false;
  walk(scope, (node) => {
    if (found) return false;
    if (token && isTokenCompared(node, token)) {
      found = true;
      return;
    }
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.SuperKeyword && callee.name.text === 'canActivate') {
      found = true;
      return;
    }
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return;
    const helper = getRepositoryFunction({ project, file, depth: 0 }, callee);
    if (helper && helper.fn !== scope && isVerifyingFunction(project, helper, depth)) found = node.arguments.length === 0 || !token || node.arguments.some((a) => isSameToken(a, token));
  });
  return found;
}

function isNamed(expr: ts.Expression, name: string): boolean {
  const inner = skipOuterExpressions(expr);
  return ts.isIdentifier(inner) && inner.text === name;
}

/**
 * The failure branch around a decode of a token whose verification failed: the `catch` of a `try` that verifies the
 * same token, a `.catch` handler of a verifying promise, or the error branch of a verify callback (`if (err) …`).
 */
export function getFailedVerificationBranch(project: AnalysisProject, file: SourceFileInfo, source: DecodeSource): ts.Node | undefined {
  let child: ts.Node = source.node;
  for (let current = child.parent; current; child = current, current = current.parent) {
    if (ts.isCatchClause(current) && ts.isTryStatement(current.parent) && child === current.block) {
      return hasVerificationIn(project, file, current.parent.tryBlock, source.token) ? current.block : undefined;
    }
    if (!ts.isFunctionLike(current)) continue;
    const call = current.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(current as ts.Expression)) return undefined;
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'catch' && call.arguments[0] === current) {
      return hasVerificationIn(project, file, callee.expression, source.token) ? current : undefined;
    }
    const verify = getJwtCalls(project, file).find((c) => c.node === call && c.verifies && isSameToken(c.token, source.token));
    const error = (current as ts.FunctionLikeDeclaration).parameters[0]?.name;
    if (!verify || !error || !ts.isIdentifier(error)) return undefined;
    for (let inner = source.node.parent; inner && inner !== current; inner = inner.parent) {
      const branch = inner.parent;
      if (branch && ts.isIfStatement(branch) && branch.thenStatement === inner && isNamed(branch.expression, error.text)) return inner;
    }
    return undefined;
  }
  return undefined;
}
