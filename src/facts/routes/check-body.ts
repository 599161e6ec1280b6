import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { walk } from '../../core/walk.js';
import { AUTHORIZATION_NAMES, CREDENTIAL_SOURCES, PRINCIPAL_NAMES } from '../../models/frameworks/credential-checks.js';
import { CREDENTIAL_VERIFIERS, VERIFY_METHOD_NAMES } from '../../models/middleware.js';
import { NEST_CORE, NEST_FORBIDDEN_EXCEPTIONS, NEST_REFLECTOR_READS, NEST_UNAUTHORIZED_EXCEPTIONS } from '../../models/frameworks/nestjs.js';
import { IMPORTS, isBindingAt, resolveImportedName } from '../imports.js';
import { findDeclaration, skipOuterExpressions } from '../scope.js';
import { evaluate, resolveOrigin, stripDefault, type Origin } from '../values.js';

/** What a guard, hook or middleware body does, as far as authentication and authorization go. */
export interface BodySignals {
  /** Credential verification calls, described (`jwtService.verifyAsync`). */
  verifies: string[];
  rejectsUnauthenticated: boolean;
  rejectsForbidden: boolean;
  /** A Nest guard `return false` (Nest answers 403). */
  returnsFalse: boolean;
  readsCredential: boolean;
  checksRoles: boolean;
  /** A verification inside `try` whose `catch` neither throws nor answers. */
  failsOpen: boolean;
  /** Throws, answers or returns false somewhere: the body can stop a request. */
  canReject: boolean;
  /** Reads the caller (`request.user`, `req.principal`): what an earlier step authenticated. */
  readsPrincipal: boolean;
  /** Calls a method of an injected member that could not be followed (`this.authService.check(request)`). */
  opaqueCalls: boolean;
  metadataReads: MetadataRead[];
  /** Reads route metadata named like roles or permissions (`reflector.getAllAndOverride(PERMISSIONS_KEY, …)`), here or in a method it calls. */
  metadataChecksRoles: boolean;
}

/** A Reflector read of a metadata key and what the guard does with it. */
export interface MetadataRead {
  keyId: string;
  keyLabel: string;
  /** Which decorator targets are read: the handler, the class, or both (`getAllAndOverride([handler, class])`). */
  levels: Set<'handler' | 'class'>;
  /** `if (isPublic) return true`: the key lets requests through. */
  bypassWhenSet: boolean;
  /** `if (!roles) return true`: the guard does nothing without the key. */
  inactiveWhenUnset: boolean;
}

const MAX_FOLLOW_DEPTH = 3;
const HEADER_READS = new Set(['header', 'get', 'getHeader']);

function emptySignals(): BodySignals {
  return {
    verifies: [],
    rejectsUnauthenticated: false,
    rejectsForbidden: false,
    returnsFalse: false,
    readsCredential: false,
    checksRoles: false,
    failsOpen: false,
    canReject: false,
    readsPrincipal: false,
    opaqueCalls: false,
    metadataReads: [],
    metadataChecksRoles: false,
  };
}

/** A stable identity for a metadata key: its string value, or the declaration of a `Reflector.createDecorator()` decorator. */
export function getMetadataKeyId(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): { id: string; label: string } | undefined {
  const value = evaluate(project, file, expr);
  if (value.kind === 'string') return { id: `key:${value.value}`, label: value.value };
  const inner = skipOuterExpressions(expr);
  if (ts.isIdentifier(inner)) {
    const decl = resolveDeclaration(project, file, inner);
    if (decl) return { id: `decl:${decl.file.path}:${decl.node.pos}`, label: inner.text };
  }
  return undefined;
}

/** The declaration an identifier names, following imports into repository files (not initializers). */
export function resolveDeclaration(project: AnalysisProject, file: SourceFileInfo, id: ts.Identifier): { file: SourceFileInfo; node: ts.Node } | undefined {
  const decl = findDeclaration(id, id.text);
  if (!decl) return undefined;
  const isRequireBinding =
    (ts.isBindingElement(decl) || ts.isVariableDeclaration(decl)) && isBindingAt(project.fileFact(IMPORTS, file).get(id.text), decl);
  if (isRequireBinding || ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
    const resolved = resolveImportedName(project, file, id.text);
    if (resolved?.kind === 'declaration' || resolved?.kind === 'expression') return { file: resolved.file, node: resolved.node };
    return undefined;
  }
  return { file, node: decl };
}

function describeCallee(expr: ts.Expression, file: SourceFileInfo): string {
  const text = expr.getText(file.sourceFile).replace(/^this\./, '').replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isStatus(expr: ts.Expression | undefined, code: number): boolean {
  if (!expr) return false;
  const inner = skipOuterExpressions(expr);
  if (ts.isNumericLiteral(inner)) return Number(inner.text) === code;
  if (ts.isPropertyAccessExpression(inner)) {
    const name = inner.name.text;
    return code === 401 ? name === 'UNAUTHORIZED' : code === 403 ? name === 'FORBIDDEN' : false;
  }
  return false;
}

function calledName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Finds the local function or method an origin points at, to follow delegation (`this.authService.verify(token)`). */
function getLocalCallable(origin: Origin): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  if (origin.kind !== 'local') return undefined;
  const { node, path } = origin;
  if (path.length === 0 && ts.isFunctionLike(node) && 'body' in node && node.body) return { file: origin.file, fn: node as ts.FunctionLikeDeclaration };
  if (path.length === 0 && ts.isVariableDeclaration(node) && node.initializer) {
    const init = skipOuterExpressions(node.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { file: origin.file, fn: init };
  }
  if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && path.length === 2 && path[0] === '#instance') {
    const method = node.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === path[1] && m.body !== undefined);
    if (method) return { file: origin.file, fn: method };
  }
  return undefined;
}

function isVerifierOrigin(origin: Origin): boolean {
  if (origin.kind !== 'external') return false;
  const stripped = stripDefault(origin.path);
  if (['passport', 'koa-passport', '@fastify/passport'].includes(origin.module) && stripped[0] === 'authenticate') return true;
  return CREDENTIAL_VERIFIERS.some((v) => v.module === origin.module && v.path.every((p, i) => stripped[i] === p));
}

interface AnalyzeState {
  project: AnalysisProject;
  /** A Nest guard: a computed `return` value decides (false → 403). */
  guard: boolean;
  depth: number;
  seen: Set<ts.Node>;
  /** The class of the guard whose `canActivate` is read: its own methods called on `this` are followed. */
  ownClass?: ts.ClassLikeDeclaration;
}

/**
 * Reads a guard/hook/middleware body (and the local functions and `this` methods it calls, a few levels
 * deep) for credential verification, 401/403 rejections, role checks and Reflector metadata reads.
 */
export function analyzeBody(project: AnalysisProject, file: SourceFileInfo, fn: ts.Node, options: { guard?: boolean } = {}): BodySignals {
  const signals = emptySignals();
  const ownClass = options.guard && fn.parent && ts.isClassLike(fn.parent) ? fn.parent : undefined;
  analyzeInto({ project, guard: options.guard === true, depth: 0, seen: new Set(), ...(ownClass ? { ownClass } : {}) }, file, fn, signals);
  return signals;
}

function analyzeInto(state: AnalyzeState, file: SourceFileInfo, root: ts.Node, out: BodySignals): void {
  if (state.seen.has(root) || state.depth > MAX_FOLLOW_DEPTH) return;
  state.seen.add(root);
  const reflectorVars = new Map<string, MetadataRead>();
  walk(root, (node) => {
    if (ts.isThrowStatement(node)) {
      out.canReject = true;
      const thrown = node.expression && skipOuterExpressions(node.expression);
      if (thrown && (ts.isNewExpression(thrown) || ts.isCallExpression(thrown))) {
        const name = calledName(thrown) ?? '';
        if (NEST_UNAUTHORIZED_EXCEPTIONS.has(name) || /^unauthori[sz]ed$/i.test(name)) out.rejectsUnauthenticated = true;
        if (NEST_FORBIDDEN_EXCEPTIONS.has(name) || /^forbidden$/i.test(name)) out.rejectsForbidden = true;
        if (name === 'HttpException' || name === 'createError' || name === 'HttpError') {
          for (const arg of thrown.arguments ?? []) {
            if (isStatus(arg, 401)) out.rejectsUnauthenticated = true;
            if (isStatus(arg, 403)) out.rejectsForbidden = true;
          }
        }
      }
    } else if (ts.isReturnStatement(node) && node.expression && skipOuterExpressions(node.expression).kind === ts.SyntaxKind.FalseKeyword) {
      out.returnsFalse = true;
      out.canReject = true;
    } else if (state.guard && ts.isReturnStatement(node) && node.expression && isComputedGuardResult(node, root)) {
      // `return roles.some((r) => user.roles.includes(r))`: a guard answers 403 when this is false.
      out.returnsFalse = true;
      out.canReject = true;
    } else if (ts.isCallExpression(node)) {
      visitCall(state, file, node, out, reflectorVars);
    } else if (ts.isPropertyAccessExpression(node)) {
      if (CREDENTIAL_SOURCES.test(node.name.text)) out.readsCredential = true;
      if (AUTHORIZATION_NAMES.test(node.name.text)) out.checksRoles = true;
      if (PRINCIPAL_NAMES.test(node.name.text)) out.readsPrincipal = true;
    } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      if (CREDENTIAL_SOURCES.test(node.argumentExpression.text)) out.readsCredential = true;
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'statusCode') {
      if (isStatus(node.initializer, 401)) out.rejectsUnauthenticated = true;
      if (isStatus(node.initializer, 403)) out.rejectsForbidden = true;
    } else if (ts.isTryStatement(node) && node.catchClause) {
      if (containsVerification(state, file, node.tryBlock) && !catchRejects(node.catchClause)) out.failsOpen = true;
    } else if (ts.isIfStatement(node)) {
      visitMetadataIf(node, reflectorVars);
    }
  });
  out.metadataReads.push(...reflectorVars.values());
}

function isComputedGuardResult(ret: ts.ReturnStatement, root: ts.Node): boolean {
  let fn: ts.Node | undefined = ret.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (fn !== root) return false;
  const value = skipOuterExpressions(ret.expression as ts.Expression);
  if (value.kind === ts.SyntaxKind.TrueKeyword) return false;
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.expression.kind === ts.SyntaxKind.SuperKeyword) return false;
  return true;
}

function containsVerification(state: AnalyzeState, file: SourceFileInfo, block: ts.Block): boolean {
  const probe = emptySignals();
  walk(block, (node) => {
    if (ts.isCallExpression(node)) visitCall({ ...state, seen: new Set(state.seen) }, file, node, probe, new Map());
  });
  return probe.verifies.length > 0;
}

function catchRejects(clause: ts.CatchClause): boolean {
  let rejects = false;
  walk(clause.block, (node) => {
    if (ts.isThrowStatement(node)) rejects = true;
    else if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (value.kind === ts.SyntaxKind.FalseKeyword || ts.isCallExpression(value)) rejects = true;
    } else if (ts.isCallExpression(node)) {
      const name = calledName(node);
      if (name && ['send', 'code', 'status', 'sendStatus', 'unauthorized', 'forbidden', 'json', 'end', 'throw', 'next', 'done'].includes(name)) {
        // `next()` / `done()` without an error argument continue the request.
        if ((name === 'next' || name === 'done') && node.arguments.length === 0) return;
        rejects = true;
      }
    }
  });
  return rejects;
}

function visitCall(state: AnalyzeState, file: SourceFileInfo, call: ts.CallExpression, out: BodySignals, reflectorVars: Map<string, MetadataRead>): void {
  const callee = skipOuterExpressions(call.expression);
  const name = calledName(call);
  if (name && ['code', 'status', 'sendStatus', 'writeHead'].includes(name) && call.arguments.length > 0) {
    if (isStatus(call.arguments[0], 401)) out.rejectsUnauthenticated = out.canReject = true;
    if (isStatus(call.arguments[0], 403)) out.rejectsForbidden = out.canReject = true;
  }
  if (name === 'unauthorized') out.rejectsUnauthenticated = out.canReject = true;
  if (name === 'forbidden') out.rejectsForbidden = out.canReject = true;
  if (name === 'send' && call.arguments.length > 0) out.canReject = true;
  // `request.header('authorization')`, Express's `request.get('x-api-key')`, Node's `request.getHeader(…)`.
  if (name && HEADER_READS.has(name) && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) && CREDENTIAL_SOURCES.test(call.arguments[0].text)) out.readsCredential = true;
  if (name && AUTHORIZATION_NAMES.test(name)) out.checksRoles = true;
  if (name && VERIFY_METHOD_NAMES.has(name)) {
    out.verifies.push(describeCallee(callee, file));
    return;
  }
  if (ts.isPropertyAccessExpression(callee) && NEST_REFLECTOR_READS.has(callee.name.text) && isReflector(state.project, file, callee.expression)) {
    const read = readMetadata(state.project, file, call);
    // `reflector.getAllAndOverride(PERMISSIONS_KEY, …)`: the route's required roles or permissions are read to decide.
    if (read && AUTHORIZATION_NAMES.test(read.keyLabel)) out.checksRoles = out.metadataChecksRoles = true;
    if (read) {
      const holder = getReadHolder(call);
      const earlier = holder && ts.isIdentifier(holder.name) ? reflectorVars.get(holder.name.text) : undefined;
      // `const isPublic = reflector.get(KEY, handler) || reflector.get(KEY, cls)`: one variable, both levels.
      if (earlier && earlier.keyId === read.keyId) for (const level of read.levels) earlier.levels.add(level);
      else if (holder && ts.isIdentifier(holder.name)) reflectorVars.set(holder.name.text, read);
      else reflectorVars.set(`#${call.pos}`, read);
      const ifParent = findConditionOwner(call);
      if (ifParent) applyCondition(ifParent.statement, ifParent.negated, read);
    }
    return;
  }
  if (ts.isPropertyAccessExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'jwt' && callee.name.text === 'verify') {
    out.verifies.push(describeCallee(callee, file));
    return;
  }
  const origin = resolveOrigin(state.project, file, callee);
  if (isVerifierOrigin(origin)) {
    out.verifies.push(describeCallee(callee, file));
    return;
  }
  const target = getLocalCallable(origin) ?? (state.ownClass ? getOwnMethod(file, callee, state.ownClass) : undefined);
  // An injected provider, a base class (`super.canActivate`) or a repository class's static helper
  // (`RequestContext.hasRoles(…)`) that is not followed may check anything.
  const opaque = isInjectedMemberCall(callee) || isSuperCall(callee) || (origin.kind === 'local' && ts.isClassLike(origin.node));
  if (!target && opaque) out.opaqueCalls = true;
  if (target && state.depth < MAX_FOLLOW_DEPTH) {
    const inner = emptySignals();
    analyzeInto({ ...state, depth: state.depth + 1 }, target.file, target.fn, inner);
    if (inner.verifies.length > 0) out.verifies.push(`${describeCallee(callee, file)} (${inner.verifies.join(', ')})`);
    out.rejectsUnauthenticated ||= inner.rejectsUnauthenticated;
    out.rejectsForbidden ||= inner.rejectsForbidden;
    out.readsCredential ||= inner.readsCredential;
    out.checksRoles ||= inner.checksRoles;
    out.metadataChecksRoles ||= inner.metadataChecksRoles;
    // `if (!permissions?.length) return true` in `this.permissionCheck()`: the guard's bypasses, wherever they are read.
    out.metadataReads.push(...inner.metadataReads);
    out.canReject ||= inner.canReject && (inner.rejectsUnauthenticated || inner.rejectsForbidden);
    out.failsOpen ||= inner.failsOpen;
    out.readsPrincipal ||= inner.readsPrincipal;
    out.opaqueCalls ||= inner.opaqueCalls;
  }
}

/** `this.permissionCheck(context)` in the guard being read: a method of its own class, with a body (not those of the providers it calls). */
function getOwnMethod(file: SourceFileInfo, callee: ts.Expression, ownClass: ts.ClassLikeDeclaration): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let cls: ts.Node | undefined = callee.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (cls !== ownClass) return undefined;
  const name = callee.name.text;
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && m.body !== undefined);
  return method ? { file, fn: method } : undefined;
}

function isSuperCall(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.SuperKeyword;
}

/** `this.service.method(…)`: a call on a member of the guard, usually an injected provider. */
function isInjectedMemberCall(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** `this.reflector` typed or constructed as @nestjs/core's Reflector; only when nothing resolves (plain JavaScript injection) does the name decide. */
function isReflector(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): boolean {
  const origin = resolveOrigin(project, file, expr);
  if (origin.kind === 'external') return origin.module === NEST_CORE && stripDefault(origin.path)[0] === 'Reflector';
  return /reflector/i.test(expr.getText(file.sourceFile));
}

/** The variable a metadata read is stored in, also as one operand of `||` / `??` (`a.get(K, handler) || a.get(K, cls)`). */
function getReadHolder(call: ts.CallExpression): ts.VariableDeclaration | undefined {
  let current = skipAwaitParent(call);
  while (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.BarBarToken || current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    current = skipAwaitParent(current);
  }
  return ts.isVariableDeclaration(current) ? current : undefined;
}

function skipAwaitParent(node: ts.Node): ts.Node {
  let current = node.parent;
  while (current && (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current))) {
    current = current.parent;
  }
  return current ?? node;
}

function readMetadata(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): MetadataRead | undefined {
  const [keyArg, targets] = call.arguments;
  if (!keyArg) return undefined;
  const key = getMetadataKeyId(project, file, keyArg);
  if (!key) return undefined;
  const levels = new Set<'handler' | 'class'>();
  if (targets) {
    walk(targets, (node) => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'getHandler') levels.add('handler');
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'getClass') levels.add('class');
    });
  }
  if (levels.size === 0) levels.add('handler');
  return { keyId: key.id, keyLabel: key.label, levels, bypassWhenSet: false, inactiveWhenUnset: false };
}

/** The `if` whose condition is exactly the read (`if (this.reflector.get(...))`, `if (!...)`). */
function findConditionOwner(call: ts.CallExpression): { statement: ts.IfStatement; negated: boolean } | undefined {
  let current: ts.Node = call;
  let negated = false;
  while (current.parent) {
    const parent: ts.Node = current.parent;
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) current = parent;
    else if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) {
      negated = !negated;
      current = parent;
    } else if (ts.isIfStatement(parent) && parent.expression === current) return { statement: parent, negated };
    else return undefined;
  }
  return undefined;
}

function returnsTrue(statement: ts.Statement): boolean {
  const first = ts.isBlock(statement) ? statement.statements[0] : statement;
  if (!first || !ts.isReturnStatement(first) || !first.expression) return false;
  const value = skipOuterExpressions(first.expression);
  return value.kind === ts.SyntaxKind.TrueKeyword;
}

function applyCondition(statement: ts.IfStatement, negated: boolean, read: MetadataRead): void {
  if (!returnsTrue(statement.thenStatement)) return;
  if (negated) read.inactiveWhenUnset = true;
  else read.bypassWhenSet = true;
}

/** `if (isPublic) return true;` / `if (!requiredRoles) return true;` / `if (!roles || roles.length === 0) return true;` */
function visitMetadataIf(node: ts.IfStatement, reads: Map<string, MetadataRead>): void {
  if (!returnsTrue(node.thenStatement)) return;
  const visitCondition = (expr: ts.Expression, negated: boolean): void => {
    const inner = skipOuterExpressions(expr);
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
      visitCondition(inner.operand, !negated);
      return;
    }
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      visitCondition(inner.left, negated);
      return;
    }
    // `!permissions?.length`: no required permission listed, like `!permissions`.
    const list = ts.isPropertyAccessExpression(inner) && inner.name.text === 'length' ? skipOuterExpressions(inner.expression) : inner;
    if (ts.isIdentifier(list) && list !== inner) {
      const read = reads.get(list.text);
      if (read && negated) read.inactiveWhenUnset = true;
      return;
    }
    if (ts.isIdentifier(inner)) {
      const read = reads.get(inner.text);
      if (!read) return;
      const decl = findDeclaration(inner, inner.text);
      if (!decl) return;
      if (negated) read.inactiveWhenUnset = true;
      else read.bypassWhenSet = true;
    }
  };
  visitCondition(node.expression, false);
}
