import path from 'node:path';
import { ts } from '@ts-morph/common';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { walk } from '../core/walk.js';
import { DEFERRED_CALLBACK_FUNCTIONS } from '../models/http-clients.js';
import { resolveDeclaration } from './routes/check-body.js';
import { getReturnedExpressions, resolveFunction } from './routes/classify.js';
import { ROUTES, type ChainStep, type RouteFact, type SourceLocation } from './routes/index.js';
import { getPropertyName, skipOuterExpressions } from './scope.js';
import { findEnclosingClass, followLocalModule, resolveOrigin } from './values.js';

/** How a function came to run while a request is served. */
export interface RequestPathEntry {
  /** The first route (in file order) whose handler or chain reaches the function. */
  route: RouteFact;
  /** The handler, or the chain step (middleware, guard, hook) the walk started from. */
  via: 'handler' | ChainStep;
  /** Calls from the entry to the function (0 = the entry itself). */
  depth: number;
}

const MAX_CALL_DEPTH = 5;
const MAX_FUNCTIONS = 50000;
/** Methods Nest and class-based middleware run per request. */
const PER_REQUEST_METHODS = new Set(['canActivate', 'use', 'intercept']);

type Fn = ts.FunctionLikeDeclaration;
interface Located {
  file: SourceFileInfo;
  fn: Fn;
}

function hasBody(node: ts.Node): node is Fn {
  return ts.isFunctionLike(node) && 'body' in node && node.body !== undefined;
}

/** The node a fact location points at: the outermost node spanning exactly that range. */
function getNodeAt(file: SourceFileInfo, location: SourceLocation): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(file.sourceFile, (node) => {
    if (found || node.end < location.start || node.pos > location.end) return false;
    if (node.getStart(file.sourceFile) === location.start && node.end === location.end) {
      found = node;
      return false;
    }
    return undefined;
  });
  return found;
}

function classMethods(file: SourceFileInfo, cls: ts.ClassLikeDeclaration): Located[] {
  return cls.members
    .filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.body !== undefined && PER_REQUEST_METHODS.has(getPropertyName(m.name) ?? ''))
    .map((fn) => ({ file, fn }));
}

/** The functions a route's handler or chain step runs per request. */
function getEntryFunctions(project: AnalysisProject, file: SourceFileInfo, node: ts.Node, depth = 0): Located[] {
  if (depth > 3) return [];
  if (hasBody(node)) return [{ file, fn: node }];
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return classMethods(file, node);
  if (ts.isIdentifier(node) && node.parent && ts.isMethodDeclaration(node.parent) && node.parent.name === node && hasBody(node.parent)) {
    return [{ file, fn: node.parent }];
  }
  if (ts.isDecorator(node)) return getEntryFunctions(project, file, node.expression, depth + 1);
  if (ts.isObjectLiteralExpression(node)) {
    const useClass = node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && getPropertyName(p.name) === 'useClass');
    return useClass ? getEntryFunctions(project, file, useClass.initializer, depth + 1) : [];
  }
  if (!ts.isExpression(node)) return [];
  const expr = skipOuterExpressions(node);
  if (ts.isNewExpression(expr)) return getEntryFunctions(project, file, expr.expression, depth + 1);
  if (ts.isCallExpression(expr)) {
    // A factory (`requirePermission('orders:read')`): what runs per request is the function it returns.
    const factory = resolveFunction(project, file, expr.expression);
    if (!factory) return [];
    return getReturnedExpressions(factory.fn).flatMap((returned) => getEntryFunctions(project, factory.file, returned, depth + 1));
  }
  if (ts.isIdentifier(expr)) {
    const decl = resolveDeclaration(project, file, expr);
    if (decl && (ts.isClassDeclaration(decl.node) || ts.isClassExpression(decl.node))) return classMethods(decl.file, decl.node);
  }
  const target = resolveFunction(project, file, expr);
  return target ? [target] : [];
}

/** The repository function or method a call runs: local functions, imports, `this.method()`, injected services' methods. */
function getCallTargets(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression | ts.NewExpression): Located[] {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isNewExpression(call)) return [];
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = findEnclosingClass(callee);
    const method = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && getPropertyName(m.name) === callee.name.text && m.body !== undefined);
    if (method) return [{ file, fn: method }];
  }
  const origin = followLocalModule(project, resolveOrigin(project, file, callee));
  if (origin.kind === 'local') {
    const { node, path: steps } = origin;
    if (steps.length === 0 && hasBody(node)) return [{ file: origin.file, fn: node }];
    if (steps.length === 0 && ts.isVariableDeclaration(node) && node.initializer) {
      const init = skipOuterExpressions(node.initializer);
      if (hasBody(init)) return [{ file: origin.file, fn: init }];
    }
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && steps.length === 2 && steps[0] === '#instance') {
      const method = node.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && getPropertyName(m.name) === steps[1] && m.body !== undefined);
      if (method) return [{ file: origin.file, fn: method }];
    }
  }
  if (origin.kind === 'external' || origin.kind === 'global') return [];
  const target = resolveFunction(project, file, callee);
  return target ? [target] : [];
}

/** A function passed to `setInterval`/`setTimeout`: it runs later, not while the request waits. */
export function isDeferredCallback(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent || !ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) return false;
  const callee = skipOuterExpressions(parent.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && DEFERRED_CALLBACK_FUNCTIONS.has(name);
}

/**
 * Every repository function that runs while a request is served: route handlers, the middleware, guards and
 * hooks of their chains, and the functions and methods those call, a few calls deep, across files.
 */
export const REQUEST_PATH_FUNCTIONS = defineProjectFact('request-path-functions', (project: AnalysisProject): Map<ts.Node, RequestPathEntry> => {
  const reached = new Map<ts.Node, RequestPathEntry>();
  const queue: Array<Located & { entry: RequestPathEntry }> = [];
  const enqueue = (located: Located, entry: RequestPathEntry) => {
    if (reached.has(located.fn) || reached.size >= MAX_FUNCTIONS) return;
    reached.set(located.fn, entry);
    queue.push({ ...located, entry });
  };
  for (const route of project.projectFact(ROUTES)) {
    const entries: Array<{ location: SourceLocation; via: RequestPathEntry['via'] }> = [
      ...(route.handler ? [{ location: route.handler, via: 'handler' as const }] : []),
      ...route.chain.filter((step) => step.source !== 'library').map((step) => ({ location: step as SourceLocation, via: step })),
    ];
    for (const { location, via } of entries) {
      const file = project.getFile(path.resolve(project.root, location.file));
      const node = file && getNodeAt(file, location);
      if (!file || !node) continue;
      for (const located of getEntryFunctions(project, file, node)) enqueue(located, { route, via, depth: 0 });
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const { file, fn, entry } = queue[i] as Located & { entry: RequestPathEntry };
    if (entry.depth >= MAX_CALL_DEPTH || !fn.body) continue;
    walk(fn.body, (node) => {
      if (hasBody(node) && isDeferredCallback(node)) return false;
      if (ts.isCallExpression(node)) {
        for (const target of getCallTargets(project, file, node)) enqueue(target, { ...entry, depth: entry.depth + 1 });
      }
      return undefined;
    });
  }
  return reached;
});

/** The request path a node runs on: its nearest enclosing function that a route reaches, unless a timer defers it first. */
export function getRequestPathEntry(project: AnalysisProject, node: ts.Node): RequestPathEntry | undefined {
  const reached = project.projectFact(REQUEST_PATH_FUNCTIONS);
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (hasBody(current)) {
      const entry = reached.get(current);
      if (entry) return entry;
      if (isDeferredCallback(current)) return undefined;
    }
    current = current.parent;
  }
  return undefined;
}
