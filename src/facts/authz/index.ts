import { ts } from '@ts-morph/common';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { NEST_PARAM_DECORATORS, PRINCIPAL_DECORATOR_NAME, PRINCIPAL_MEMBERS } from '../../models/request-identity.js';
import { walk } from '../../core/walk.js';
import { getAuthorizationSteps, getLocationFile, ROUTES, type ChainStep, type RouteFact, type SourceLocation } from '../routes/index.js';
import { getReturnedExpressions, resolveFunction, resolveNamedCall } from '../routes/classify.js';
import { getSegments } from '../routes/paths.js';
import { getJwtCalls } from '../jwt.js';
import { skipOuterExpressions } from '../scope.js';
import { resolveDeclaration } from '../routes/check-body.js';
import { resolveOrigin, stripDefault } from '../values.js';
import { analyseFunction, CONTEXT_VARIABLES, findPrincipalWrites, findRequestOverwrites, identifiesCaller, type FlowContext, type FlowFindings, type Labels } from './flow.js';
import type { AuthorizationEvidence, AuthorizationVerdict, ResourceAccess, RouteAuthorization } from './types.js';

export * from './types.js';

/** Path segments of routes about the caller itself: `/me`, `/profile`, `/account/settings`. */
const SELF_SEGMENTS = new Set(['me', 'profile', 'self', 'current', 'myself', 'my', 'account', 'user', 'whoami', 'session']);

/** The innermost node that spans exactly a location. */
export function findNodeAt(file: SourceFileInfo, location: SourceLocation): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(file.sourceFile) === location.start && node.getEnd() === location.end) found = node;
    node.forEachChild((child) => {
      if (child.pos <= location.start && child.end >= location.end) visit(child);
    });
  };
  visit(file.sourceFile);
  return found;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

/** The handler's function: a controller method, a function argument, a function the argument names. */
function getHandlerFunction(project: AnalysisProject, route: RouteFact): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  if (!route.handler) return undefined;
  const file = getLocationFile(project, route.handler);
  const node = file && findNodeAt(file, route.handler);
  if (!file || !node) return undefined;
  if (ts.isIdentifier(node) && ts.isMethodDeclaration(node.parent) && node.parent.body) return { file, fn: node.parent };
  return ts.isExpression(node) || isFunctionLike(node) ? functionOf(project, file, node as ts.Expression, 0) : undefined;
}

/** `asyncHandler(async (req, res) => …)`, `catchAsync(controller.getOrder)`, `basket.retrieveBasket()`: the function that handles the request. */
function functionOf(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth: number): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
  const node = skipOuterExpressions(input);
  if (isFunctionLike(node)) return node.body ? { file, fn: node } : undefined;
  if (depth > 3) return undefined;
  if (ts.isCallExpression(node)) {
    // A wrapper given the handler: the handler is its last argument.
    const last = node.arguments[node.arguments.length - 1];
    const inner = last && (isFunctionLike(skipOuterExpressions(last)) || ts.isCallExpression(skipOuterExpressions(last)) || ts.isPropertyAccessExpression(skipOuterExpressions(last)) || ts.isIdentifier(skipOuterExpressions(last))) ? functionOf(project, file, last, depth + 1) : undefined;
    if (inner && inner.fn.parameters.length >= 2) return inner;
    const returned = returnedFunctions(project, file, node);
    if (returned.length === 1) return returned[0];
    return undefined;
  }
  const resolved = resolveFunction(project, file, node);
  if (resolved?.fn.body) return resolved;
  const named = resolveNamedCall(project, file, node);
  return named ? functionOf(project, named.file, named.call, depth + 1) : undefined;
}

/** `basket.retrieveBasket()`, `requireRole('admin')`: the functions a factory returns. */
function returnedFunctions(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): Array<{ file: SourceFileInfo; fn: ts.FunctionLikeDeclaration }> {
  const factory = resolveFunction(project, file, call.expression);
  if (!factory) return [];
  return getReturnedExpressions(factory.fn).flatMap((r) => {
    const inner = skipOuterExpressions(r);
    return isFunctionLike(inner) && inner.body ? [{ file: factory.file, fn: inner }] : [];
  });
}

function decoratorCall(decorator: ts.Decorator): ts.CallExpression | undefined {
  return ts.isCallExpression(decorator.expression) ? decorator.expression : undefined;
}

/** What a Nest parameter decorator injects: `@Param('id')` → `input:params:id`, `@User()` → principal. */
function nestParameterLabels(project: AnalysisProject, file: SourceFileInfo, parameter: ts.ParameterDeclaration): Labels {
  for (const decorator of ts.getDecorators(parameter) ?? []) {
    const call = decoratorCall(decorator);
    if (!call) continue;
    const key = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
    const origin = resolveOrigin(project, file, call.expression);
    const name = origin.kind === 'external' ? stripDefault(origin.path)[0] : undefined;
    const part = origin.kind === 'external' && origin.module === '@nestjs/common' && name && origin.path.length === 1 ? NEST_PARAM_DECORATORS[name] : undefined;
    if (part) {
      if (part === 'request') return new Set(['req']);
      if (part === 'response') return new Set(['res']);
      if (part === 'session') return new Set(['session']);
      return new Set([key !== undefined ? `input:${part}:${part === 'headers' ? key.toLowerCase() : key}` : `input:${part}`]);
    }
    // Follow the decorator to its createParamDecorator factory; its name decides only when it cannot be followed.
    const followed = paramDecoratorReadsPrincipal(project, file, call.expression);
    const local = ts.isIdentifier(call.expression) ? call.expression.text : undefined;
    if (followed ?? (local !== undefined && PRINCIPAL_DECORATOR_NAME.test(local))) return new Set(['principal']);
  }
  return new Set();
}

/**
 * Whether a custom parameter decorator, `createParamDecorator((data, ctx) => ctx.switchToHttp().getRequest().user)`
 * bound through the `@nestjs/common` import, returns the authenticated principal (its factory reads a principal
 * member such as `.user`); undefined when the decorator does not resolve to such a factory.
 */
function paramDecoratorReadsPrincipal(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): boolean | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const decl = resolveDeclaration(project, file, callee);
  if (!decl || !ts.isVariableDeclaration(decl.node) || !decl.node.initializer) return undefined;
  const init = skipOuterExpressions(decl.node.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const origin = resolveOrigin(project, decl.file, init.expression);
  if (origin.kind !== 'external' || origin.module !== '@nestjs/common' || stripDefault(origin.path)[0] !== 'createParamDecorator') return undefined;
  const factory = init.arguments[0];
  let reads = false;
  if (factory) walk(factory, (node) => {
    if (ts.isPropertyAccessExpression(node) && PRINCIPAL_MEMBERS.test(node.name.text)) reads = true;
  });
  return reads;
}

function entryLabels(project: AnalysisProject, route: RouteFact, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): Map<ts.ParameterDeclaration, Labels> {
  const params = new Map<ts.ParameterDeclaration, Labels>();
  if (route.framework === 'nestjs') {
    for (const p of fn.parameters) {
      const labels = nestParameterLabels(project, file, p);
      if (labels.size > 0) params.set(p, labels);
    }
    return params;
  }
  const [first, second] = fn.parameters;
  if (first) params.set(first, requestLabels(route));
  if (second && route.framework !== 'koa' && route.framework !== 'hono') params.set(second, new Set(['res']));
  return params;
}

/** A Hono handler's context is the request and holds the variables middleware set (`c.get('workspace')`). */
function requestLabels(route: RouteFact): Labels {
  return new Set(route.framework === 'hono' ? ['req', CONTEXT_VARIABLES] : ['req']);
}

/** The first two parameters of a middleware: the request and, outside Koa and Hono, the response. */
function middlewareParams(route: RouteFact, fn: ts.FunctionLikeDeclaration): Map<ts.ParameterDeclaration, Labels> {
  const params = new Map<ts.ParameterDeclaration, Labels>();
  const [first, second] = fn.parameters;
  if (first) params.set(first, requestLabels(route));
  if (second && route.framework !== 'koa' && route.framework !== 'hono') params.set(second, new Set(['res']));
  return params;
}

/** Request input that the route's repository-written steps overwrite before its handler runs. */
function stepOverwrites(project: AnalysisProject, route: RouteFact): Map<string, Labels> {
  const out = new Map<string, Labels>();
  const ctx: FlowContext = { project, findings: { accesses: [], evidence: [], unknowns: [], decisions: [] }, visited: new Set(), authorizationFunctions: [] };
  for (const step of route.chain) {
    if (step.source === 'library') continue;
    for (const target of stepFunctions(project, step)) {
      for (const [label, written] of findRequestOverwrites(ctx, target.file, target.fn, middlewareParams(route, target.fn))) out.set(label, written);
    }
  }
  return out;
}

/** Request members the route's authentication steps set from a verified token (`req.id = decoded.id`). */
function principalWrites(project: AnalysisProject, route: RouteFact): Set<string> {
  const out = new Set<string>();
  for (const step of route.chain) {
    if (step.kind !== 'authentication' || step.source === 'library') continue;
    for (const target of stepEntryFunctions(project, step)) {
      const verifyCalls = new Set<ts.Node>(getJwtCalls(project, target.file).filter((c) => c.operation === 'verify' && !c.decodeOnly).map((c) => c.node));
      for (const member of findPrincipalWrites(target.fn, verifyCalls, middlewareParams(route, target.fn))) out.add(member);
    }
  }
  return out;
}

/** Whether the route's authentication names a caller (see `RouteAuthorization.callerIdentified`). */
function isCallerIdentified(project: AnalysisProject, route: RouteFact): boolean {
  const steps = route.chain.filter((s) => s.kind === 'authentication');
  if (steps.length === 0 || steps.some((s) => s.source !== 'body')) return true;
  const ctx: FlowContext = { project, findings: { accesses: [], evidence: [], unknowns: [], decisions: [] }, visited: new Set(), authorizationFunctions: [] };
  return steps.some((step) => {
    const targets = stepEntryFunctions(project, step);
    return targets.length === 0 || targets.some((t) => identifiesCaller(ctx, t.file, t.fn, middlewareParams(route, t.fn)));
  });
}

/** Functions of route-level steps written in the repository (`isOwner`, `loadOrder`), including those returned by factories (`requireRole('admin')`). */
function stepFunctions(project: AnalysisProject, step: ChainStep): Array<{ file: SourceFileInfo; fn: ts.FunctionLikeDeclaration }> {
  const file = getLocationFile(project, step);
  const node = file && findNodeAt(file, step);
  if (!file || !node || !ts.isExpression(node)) return [];
  const expr = skipOuterExpressions(node);
  if (ts.isCallExpression(expr)) return returnedFunctions(project, file, expr);
  const fn = resolveFunction(project, file, expr);
  return fn?.fn.body ? [fn] : [];
}

/** The functions that run for a step: its middleware function, or a Nest guard or middleware class's `canActivate` / `use`. */
function stepEntryFunctions(project: AnalysisProject, step: ChainStep): Array<{ file: SourceFileInfo; fn: ts.FunctionLikeDeclaration }> {
  const functions = stepFunctions(project, step);
  if (functions.length > 0) return functions;
  const file = getLocationFile(project, step);
  const node = file && findNodeAt(file, step);
  if (!file || !node || !ts.isExpression(node)) return [];
  const origin = resolveOrigin(project, file, skipOuterExpressions(node));
  if (origin.kind !== 'local' || !ts.isClassLike(origin.node) || origin.path.length > 0) return [];
  const cls = origin.node;
  return cls.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.body && m.name && ts.isIdentifier(m.name) && (m.name.text === 'canActivate' || m.name.text === 'use') ? [{ file: origin.file, fn: m }] : []));
}

function chainEvidence(route: RouteFact): AuthorizationEvidence[] {
  return getAuthorizationSteps(route).map((step) => ({ file: step.file, start: step.start, end: step.end, kind: 'chain-step', reason: `${step.name}: ${step.reason}` }));
}

function isSelfRoute(route: RouteFact): boolean {
  const statics = getSegments(route.path).filter((s) => !s.startsWith(':') && !s.startsWith('<'));
  return statics.some((s) => SELF_SEGMENTS.has(s.toLowerCase()));
}

/**
 * An ownership filter covers the query it is part of, and a later query of the same entity selected by
 * the same request input (`findOne({ id, owner })` then `delete({ id })`); loading the caller's own record
 * covers no change or deletion of something else the request names.
 */
function markCovered(route: RouteFact, accesses: ResourceAccess[]): void {
  // A route that changes data and loads the caller's record reads what the request names to change the
  // caller's own data (`DELETE /articles/:slug/favorite` edits the caller's favourites).
  const changesOwnData = !route.methods.some((m) => m === 'GET' || m === 'HEAD') && accesses.some((a) => a.principalBound);
  accesses.forEach((access, index) => {
    if (access.covered || access.keyedBy.length === 0) return;
    access.covered =
      (changesOwnData && access.operation === 'read') ||
      accesses.slice(0, index).some(
        (earlier) =>
          earlier.principalBound &&
          earlier.keyedBy.some((k) => access.keyedBy.includes(k)) &&
          (earlier.entity === undefined || access.entity === undefined || earlier.entity === access.entity),
      );
  });
}

/** Evidence that ties the data access to the caller rather than deciding the caller may act: an ownership filter, a caller link. */
function isCallerBinding(e: AuthorizationEvidence): boolean {
  return e.kind === 'ownership-filter' || e.kind === 'caller-link';
}

function decideVerdict(route: RouteFact, findings: FlowFindings, evidence: AuthorizationEvidence[], handlerRead: boolean): AuthorizationVerdict {
  if (evidence.some((e) => !isCallerBinding(e))) return 'authorized';
  // Linking the caller to the named record changes the caller's own data (favourite, follow).
  const named = findings.accesses.filter((a) => a.keyedBy.length > 0 && a.operation !== 'create' && a.callerLink === undefined);
  if (evidence.some(isCallerBinding)) {
    if (named.length === 0) return 'caller-only';
    if (named.every((a) => a.covered)) return 'owner-scoped';
  }
  const unknownStep = route.chain.some((s) => s.kind === 'unknown' && s.hint !== 'authentication');
  if (!handlerRead || findings.unknowns.length > 0 || unknownStep) return 'unknown';
  if (named.length === 0 && isSelfRoute(route)) return 'caller-only';
  return 'none';
}

/**
 * Shares the analysis of a repository-written chain step between the routes of one pass: a Map, or a function that
 * memoises `analyse` under `key` (ROUTE_AUTHORIZATION's units).
 */
export type StepMemo = Map<string, FlowFindings> | ((key: string, analyse: () => FlowFindings) => FlowFindings);

/**
 * The authorization facts of one route. `stepMemo` shares the analysis of a repository-written chain step between the
 * routes of one pass (a step's findings depend on the step and the framework only, never on the route analysed first).
 */
export function analyseRouteAuthorization(project: AnalysisProject, route: RouteFact, stepMemo: StepMemo = new Map()): RouteAuthorization {
  const findings: FlowFindings = { accesses: [], evidence: [], unknowns: [], decisions: [] };
  const authorizationFunctions = project.settings.authorizationFunctions ?? [];
  const handler = getHandlerFunction(project, route);
  if (handler) {
    const ctx: FlowContext = { project, findings, visited: new Set(), authorizationFunctions, overwritten: stepOverwrites(project, route), principalMembers: principalWrites(project, route) };
    analyseFunction(ctx, handler.file, handler.fn, entryLabels(project, route, handler.file, handler.fn), 0);
  }
  for (const step of route.chain) {
    if (step.source === 'library') continue;
    // What a step's function is given depends on the framework (a Koa or Hono middleware gets no response).
    const key = `${route.framework}:${step.file}:${step.start}:${step.end}`;
    const analyse = (): FlowFindings => {
      const found: FlowFindings = { accesses: [], evidence: [], unknowns: [], decisions: [] };
      const ctx: FlowContext = { project, findings: found, visited: new Set(), authorizationFunctions };
      for (const target of stepFunctions(project, step)) analyseFunction(ctx, target.file, target.fn, middlewareParams(route, target.fn), 1);
      return found;
    };
    let stepFindings: FlowFindings;
    if (typeof stepMemo === 'function') {
      stepFindings = stepMemo(key, analyse);
    } else {
      stepFindings = stepMemo.get(key) ?? analyse();
      stepMemo.set(key, stepFindings);
    }
    findings.decisions.push(...stepFindings.decisions);
    // Comparisons in route-level steps authorize the route; global steps were already classified.
    if (step.scope === 'route' || step.scope === 'method') findings.evidence.push(...stepFindings.evidence.filter((e) => !isCallerBinding(e)));
  }
  const evidence = [...chainEvidence(route), ...findings.evidence];
  markCovered(route, findings.accesses);
  return {
    verdict: decideVerdict(route, findings, evidence, handler !== undefined),
    evidence,
    accesses: findings.accesses,
    unknowns: findings.unknowns,
    decisions: dedupe(findings.decisions),
    handlerRead: handler !== undefined,
    callerIdentified: isCallerIdentified(project, route),
  };
}

function dedupe<T extends SourceLocation>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.file}:${i.start}:${i.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Authorization facts of every route: evidence, data accesses, client-controlled decisions, and a verdict. */
export const ROUTE_AUTHORIZATION = defineProjectFact('route-authorization', (project: AnalysisProject): Map<RouteFact, RouteAuthorization> => {
  const result = new Map<RouteFact, RouteAuthorization>();
  const stepMemo: StepMemo = (key, analyse) => project.unit('authz-step', key, analyse);
  // A unit per route, keyed by the route's data (all it takes besides the project): the editor's next snapshot
  // analyses again only the routes whose analysis read the edited file (reads.ts).
  for (const route of project.projectFact(ROUTES)) {
    result.set(route, project.unit('route-authorization', routeKey(route), () => analyseRouteAuthorization(project, route, stepMemo)));
  }
  return result;
}, { plain: true });

/** The unit key of each route object: a snapshot that takes ROUTES over from the one before has the same objects. */
const ROUTE_KEYS = new WeakMap<RouteFact, string>();

function routeKey(route: RouteFact): string {
  let key = ROUTE_KEYS.get(route);
  if (key === undefined) ROUTE_KEYS.set(route, (key = JSON.stringify(route)));
  return key;
}
