import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import type { StackFrameworkModel } from '../../models/frameworks/stack-model.js';
import { walk } from '../../core/walk.js';
import { filesMayImport, IMPORTS } from '../imports.js';
import { findDeclaration, skipOuterExpressions } from '../scope.js';
import { DEFERRED_CALLBACK_FUNCTIONS } from '../../models/middleware.js';
import { classifiesByBodyOnly, classifyMiddleware, getReturnedExpressions, getStepName, isExempted, resolveFunction, resolveNamedCall, resolvePassedFunction, toChainStep } from './classify.js';
import { location, routeLocation } from './location.js';
import { isSamePath, isUnderMountPath, joinPaths } from './paths.js';
import { collectRegistrations, compareOrder, type ArgRef, type Instance, type OrderPoint, type PathAlt, type RegistrationEvent } from './registrations.js';
import type { ChainStep, ChainStepScope, ListenerFact, MountLocation, RouteFact, SourceLocation } from './types.js';

/**
 * Routes and effective chains of the frameworks that register by calls on app/router instances.
 * Express/Hono: a request walks the app's stack in registration order and enters every mounted
 * router whose mount path matches (so a router's `use` bleeds to later siblings at the same path);
 * Hono mounts copy only what the sub-app had registered by then. Koa: router middleware runs only
 * for that router's own matched routes.
 */

interface Target {
  event: RegistrationEvent;
  path: string;
  method: string;
}

interface RouteSite {
  event: RegistrationEvent;
  path: PathAlt;
  fullPath: string;
  resolved: boolean;
  mounts: MountLocation[];
}

const WILDCARD_PATH = /(^|\/)(\*|\(\.\*\)|\{?\*\w*\}?)$/;

/** Error handlers `(err, req, res, next)` do not run in the normal chain. */
function isErrorHandler(project: AnalysisProject, arg: ArgRef): boolean {
  const fn = resolveFunction(project, arg.file, arg.expr);
  if (fn) return fn.fn.parameters.length === 4;
  const expr = skipOuterExpressions(arg.expr);
  if (!ts.isCallExpression(expr)) return false;
  const factory = resolveFunction(project, arg.file, expr.expression);
  return factory !== undefined && getReturnedExpressions(factory.fn).some((r) => ts.isFunctionLike(r) && r.parameters.length === 4);
}

/** Whether a function calls its `next` parameter without arguments somewhere (continues the chain). */
function callsNextBare(fn: ts.FunctionLikeDeclaration): boolean {
  const next = fn.parameters[fn.parameters.length - 1];
  if (!next || !ts.isIdentifier(next.name) || !fn.body) return false;
  const name = next.name.text;
  let found = false;
  walk(fn.body, (node) => {
    if (found) return false;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name && node.arguments.length === 0) found = true;
    else if (ts.isCallExpression(node) && isDeferredCall(node, name)) found = true;
    return undefined;
  });
  return found;
}

/** `setImmediate(next)`, `process.nextTick(next)`: the global runs `next` without arguments a moment later. */
function isDeferredCall(call: ts.CallExpression, next: string): boolean {
  const [first] = call.arguments;
  if (!first || !ts.isIdentifier(first) || first.text !== next) return false;
  const callee = skipOuterExpressions(call.expression);
  const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  return ts.isIdentifier(root) && findDeclaration(root, root.text) === undefined && DEFERRED_CALLBACK_FUNCTIONS.has(callee.getText().replace(/\s+/g, ''));
}

class StackExtractor {
  constructor(
    private readonly project: AnalysisProject,
    private readonly model: StackFrameworkModel,
  ) {}

  private readonly skipped = new Map<ts.Node, boolean>();
  private readonly accessControl = new Map<ts.Node, boolean>();

  private isSkipped(arg: ArgRef): boolean {
    let known = this.skipped.get(arg.expr);
    if (known === undefined) {
      known = isErrorHandler(this.project, arg) || this.isPlumbing(arg);
      this.skipped.set(arg.expr, known);
    }
    return known;
  }

  private step(arg: ArgRef, scope: ChainStepScope, target: Target): ChainStep | undefined {
    if (this.isSkipped(arg)) return undefined;
    const classification = classifyMiddleware(this.project, arg.file, arg.expr);
    if (isExempted(classification.exemption, target.method, target.path)) return undefined;
    return toChainStep(classification, { name: getStepName(arg.file, arg.expr), file: arg.file, node: arg.expr, scope });
  }

  /** Whether an argument is access-control middleware (it calls next), not a handler. */
  private isAccessControl(arg: ArgRef): boolean {
    let known = this.accessControl.get(arg.expr);
    if (known === undefined) {
      known = this.computeAccessControl(arg);
      this.accessControl.set(arg.expr, known);
    }
    return known;
  }

  private computeAccessControl(arg: ArgRef): boolean {
    // A function classified by its body is access control only if it continues the chain: check that first, cheaply.
    if (classifiesByBodyOnly(this.project, arg.file, arg.expr) && !this.takesNext(arg)) return false;
    const classification = classifyMiddleware(this.project, arg.file, arg.expr);
    if (classification.kind !== 'authentication' && classification.kind !== 'authorization') return false;
    if (classification.source === 'library' || classification.source === 'configured') return true;
    return this.takesNext(arg);
  }

  /**
   * A middleware receives `next` and calls it bare on success (Express `(req, res, next)`, Koa/Hono
   * `(ctx, next)`); a controller that only passes errors to `next(err)` is a handler.
   */
  private takesNext(arg: ArgRef): boolean {
    const minimum = this.model.framework === 'express' ? 3 : 2;
    const fn = resolveFunction(this.project, arg.file, arg.expr);
    if (fn) return fn.fn.parameters.length >= minimum && callsNextBare(fn.fn);
    const passesOn = (r: ts.Node) => ts.isFunctionLike(r) && r.parameters.length >= minimum && callsNextBare(r as ts.FunctionLikeDeclaration);
    const expr = skipOuterExpressions(arg.expr);
    // `export const adminMiddleware = createMiddleware(async (c, next) => …)`, used by name.
    const site = ts.isCallExpression(expr) ? { call: expr, file: arg.file } : resolveNamedCall(this.project, arg.file, expr);
    if (!site) return false;
    if (site.call.arguments.some((a) => passesOn(skipOuterExpressions(a)))) return true;
    const factory = resolveFunction(this.project, site.file, site.call.expression);
    return factory !== undefined && getReturnedExpressions(factory.fn).some(passesOn);
  }

  /**
   * Which argument is the handler: the first one that resolves to a repository function which neither continues the
   * chain (calls `next`) nor is library middleware. Arguments after it never run before it (`router.get(path, handler,
   * guard.check(...))`). Without such an argument the last one is the handler, unless it is itself access-control
   * middleware (`app.get('/api/Users', isAuthorized())`, handlers added elsewhere): then there is none (-1).
   */
  private handlerIndex(event: RegistrationEvent): number {
    const first = event.args.findIndex((arg, i) => i < event.args.length - 1 && this.isResolvedHandler(arg));
    if (first >= 0) return first;
    const last = event.args[event.args.length - 1];
    return last && (this.isAccessControl(last) || this.isLibraryMiddleware(last)) ? -1 : event.args.length - 1;
  }

  private isResolvedHandler(arg: ArgRef): boolean {
    const fn = resolveFunction(this.project, arg.file, arg.expr);
    if (!fn || this.isSkipped(arg) || this.takesNext(arg)) return false;
    return !this.isLibraryMiddleware(arg);
  }

  /** The route-level steps: the arguments before the handler. */
  private routeSteps(event: RegistrationEvent, target: Target): ChainStep[] {
    const handler = this.handlerIndex(event);
    const middleware = handler < 0 ? event.args : event.args.slice(0, handler);
    return middleware.map((arg) => this.step(arg, 'route', target)).filter((step): step is ChainStep => step !== undefined);
  }

  /** A known library middleware (`passport.authenticate('github')` as the only argument) is never the handler. */
  private isLibraryMiddleware(arg: ArgRef): boolean {
    if (classifiesByBodyOnly(this.project, arg.file, arg.expr)) return false;
    const classification = classifyMiddleware(this.project, arg.file, arg.expr);
    return classification.source === 'library' && (classification.kind !== 'neutral' || classification.login === true);
  }

  /** An earlier registration of the same method and path made only of middleware gates the later one. */
  private isGateRoute(event: RegistrationEvent, base: string, target: Target): boolean {
    if (!event.methods.includes(target.method) && !event.methods.includes('ALL')) return false;
    const last = event.args[event.args.length - 1];
    if (!last || !this.isAccessControl(last)) return false;
    return (event.paths ?? []).some((p) => isSamePath(joinPaths(base, event.basePath, p.text), target.path));
  }

  private isPlumbing(arg: ArgRef): boolean {
    const expr = skipOuterExpressions(arg.expr);
    return ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && (this.model.plumbingMethods ?? []).includes(expr.expression.name.text);
  }

  /**
   * `app.all('/api/*', mw)` runs for every request under its path, and so do Express 4 patterns with a star inside
   * (`router.all('(/+api|/+api/*?)', prepareAPI)`) and `router.all(path, …)` whose functions all pass the request on
   * (`next()`): middleware, not an endpoint.
   */
  private isMiddlewareRoute(event: RegistrationEvent): boolean {
    if (event.kind !== 'route' || event.args.length === 0 || !(event.methods.includes('ALL') || this.model.framework === 'hono')) return false;
    if ((event.paths ?? []).every((p) => p.resolved && WILDCARD_PATH.test(p.text))) return true;
    if (this.model.framework !== 'express') return false;
    // Express 4 patterns with a star inside (`(/+api|/+api/*?)`, `/+bySlug/:userslug*?`) also match everything below them.
    return (event.paths ?? []).every((p) => p.resolved && p.text.includes('*')) || event.args.every((arg) => this.takesNext(arg));
  }

  private useMatches(mountFull: string, hasPath: boolean, target: string): boolean {
    if (!hasPath) return isUnderMountPath(mountFull, target);
    if (this.model.useMatch === 'exact-unless-wildcard' && !WILDCARD_PATH.test(mountFull)) return isSamePath(mountFull, target);
    return isUnderMountPath(mountFull, target);
  }

  /** Express/Hono stack walk: appends the steps that run for the target request; true when the target is reached. */
  private walkStack(instance: Instance, base: string, target: Target, steps: ChainStep[], cutoff: OrderPoint[] | undefined, cutoffHome: string, depth: number): boolean {
    if (depth > 12) return false;
    for (const event of instance.events) {
      if (cutoff && compareOrder(event.order, cutoff, cutoffHome) > 0) continue;
      if (event.kind === 'route') {
        if (event === target.event) {
          steps.push(...this.routeSteps(event, target));
          return true;
        }
        if (this.isGateRoute(event, base, target)) {
          for (const arg of event.args) {
            const step = this.step(arg, 'route', target);
            if (step) steps.push(step);
          }
          continue;
        }
        if (this.isMiddlewareRoute(event) && (event.methods.includes('ALL') || event.methods.includes(target.method))) {
          const matches = (event.paths ?? []).some((p) => isUnderMountPath(joinPaths(base, event.basePath, p.text), target.path));
          if (matches) for (const arg of event.args) {
            const step = this.step(arg, instance.role === 'router' ? 'router' : 'global', target);
            if (step) steps.push(step);
          }
        }
        continue;
      }
      if (event.kind !== 'use' && event.kind !== 'mount') continue;
      const paths = event.paths ?? [undefined];
      for (const p of paths) {
        const mountFull = joinPaths(base, event.basePath, p?.text ?? '');
        const hasChildren = event.children.some((c) => c.length > 0);
        if (event.kind === 'mount' || hasChildren) {
          if (!isUnderMountPath(mountFull, target.path)) continue;
        } else if (!this.useMatches(mountFull, p !== undefined, target.path)) continue;
        for (const [i, arg] of event.args.entries()) {
          const children = event.children[i] ?? [];
          if (children.length > 0) {
            for (const child of children) {
              const snapshot = this.model.snapshotMounts ? event.order : undefined;
              if (this.walkStack(child.instance, mountFull, target, steps, snapshot ?? cutoff, snapshot ? event.file.relPath : cutoffHome, depth + 1)) return true;
            }
          } else {
            const scope: ChainStepScope = instance.role === 'router' ? 'router' : p !== undefined ? 'mount' : 'global';
            const step = this.step(arg, scope, target);
            if (step) steps.push(step);
          }
        }
      }
    }
    return false;
  }

  /** Koa: app middleware in order, then the router path down to the route, each router's own `use` before it. */
  private walkKoa(instance: Instance, base: string, target: Target, steps: ChainStep[], depth: number): boolean {
    if (depth > 12) return false;
    const routerBase = instance.role === 'router' ? joinPaths(base, instance.prefix.text) : base;
    const local: ChainStep[] = [];
    for (const event of instance.events) {
      if (event.kind === 'route') {
        if (event !== target.event) continue;
        steps.push(...local, ...this.routeSteps(event, target));
        return true;
      }
      if (event.kind !== 'use') continue;
      for (const p of event.paths ?? [undefined]) {
        const full = joinPaths(routerBase, p?.text ?? '');
        if (p !== undefined && !isUnderMountPath(full, target.path)) continue;
        for (const [i, arg] of event.args.entries()) {
          const children = event.children[i] ?? [];
          if (children.length > 0) {
            for (const child of children) {
              const inner: ChainStep[] = [];
              if (this.walkKoa(child.instance, full, target, inner, depth + 1)) {
                steps.push(...local, ...inner);
                return true;
              }
            }
          } else {
            const scope: ChainStepScope = instance.role === 'router' ? 'router' : p !== undefined ? 'mount' : 'global';
            const step = this.step(arg, scope, target);
            if (step) local.push(step);
          }
        }
      }
    }
    return false;
  }

  private enumerate(instance: Instance, base: string, resolved: boolean, mounts: MountLocation[], cutoff: OrderPoint[] | undefined, cutoffHome: string, out: RouteSite[], seen: Set<Instance>): void {
    if (seen.has(instance) || seen.size > 12) return;
    const next = new Set(seen).add(instance);
    const prefix = instance.role === 'router' && this.model.framework === 'koa' ? instance.prefix : { text: '', resolved: true };
    const routerBase = joinPaths(base, prefix.text);
    const routerResolved = resolved && prefix.resolved;
    for (const event of instance.events) {
      if (cutoff && compareOrder(event.order, cutoff, cutoffHome) > 0) continue;
      if (event.kind === 'route') {
        if (this.isMiddlewareRoute(event)) continue;
        for (const p of event.paths ?? []) {
          out.push({ event, path: p, fullPath: joinPaths(routerBase, event.basePath, p.text), resolved: routerResolved && p.resolved, mounts });
        }
        continue;
      }
      if (event.kind !== 'use' && event.kind !== 'mount') continue;
      for (const p of event.paths ?? [undefined]) {
        for (const children of event.children) {
          for (const child of children) {
            const mount: MountLocation = { ...(event.site ? location(event.site.file, event.site.node) : location(event.file, event.node)), prefix: p?.text ?? '/' };
            const snapshot = this.model.snapshotMounts ? event.order : undefined;
            this.enumerate(
              child.instance,
              joinPaths(routerBase, event.basePath, p?.text ?? ''),
              routerResolved && (p?.resolved ?? true),
              [...mounts, mount],
              snapshot ?? cutoff,
              snapshot ? event.file.relPath : cutoffHome,
              out,
              next,
            );
          }
        }
      }
    }
  }

  private listenersOf(instance: Instance): ListenerFact[] {
    return instance.events
      .filter((e) => e.kind === 'listen' && e.listener)
      .map((e) => ({ ...location(e.file, e.node), name: e.listener?.name ?? instance.name, address: e.listener?.address ?? '' }));
  }

  private handlerLocation(event: RegistrationEvent): SourceLocation | undefined {
    const index = this.handlerIndex(event);
    const last = event.args[index];
    if (!last) return undefined;
    const expr = skipOuterExpressions(last.expr);
    if (ts.isFunctionLike(expr)) return location(last.file, expr);
    const fn = resolveFunction(this.project, last.file, expr) ?? this.getWrappedHandler(last) ?? resolvePassedFunction(this.project, last.file, expr);
    return fn ? location(fn.file, fn.fn) : location(last.file, expr);
  }

  /**
   * The handler a wrapper written in a registration helper is given through the helper's parameter (`tryRoute(controller,
   * onError)` with the controller of each `setupApiRoute` call): the one wrapped argument that is a repository function.
   */
  private getWrappedHandler(arg: ArgRef): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
    const found = (arg.wraps ?? []).flatMap((w) => {
      const fn = resolveFunction(this.project, w.file, w.expr) ?? resolvePassedFunction(this.project, w.file, w.expr);
      return fn?.fn.body ? [fn] : [];
    });
    return found.length === 1 ? found[0] : undefined;
  }

  /**
   * A registration's reported range: `routeLocation`'s start, to the end of the call or, when the handler argument
   * starts on an earlier line than the call ends, to the end of the handler's first line, so that a registration written
   * over several lines is shown by its first line and its handler, not by its closing `);`.
   */
  private registrationLocation(event: RegistrationEvent): SourceLocation {
    if (event.site) return this.siteLocation(event.site.file, event.site.node, event);
    return this.siteLocation(event.file, event.node, event);
  }

  private siteLocation(file: SourceFileInfo, node: ts.CallExpression, event: RegistrationEvent): SourceLocation {
    const sf = file.sourceFile;
    const whole = routeLocation(file, node);
    const index = this.handlerIndex(event);
    const handler = event.args[index >= 0 ? index : event.args.length - 1]?.expr;
    if (!handler || handler.getSourceFile() !== sf || handler.pos < node.pos || handler.end > whole.end) return whole;
    const handlerStart = handler.getStart(sf);
    if (sf.getLineAndCharacterOfPosition(handlerStart).line === sf.getLineAndCharacterOfPosition(whole.end).line) return whole;
    const lineBreak = sf.text.slice(handlerStart, handler.getEnd()).search(/\r?\n|\r/);
    const firstLine = sf.text.slice(handlerStart, lineBreak < 0 ? handler.getEnd() : handlerStart + lineBreak).trimEnd();
    return { ...whole, end: handlerStart + firstLine.length };
  }

  extract(): RouteFact[] {
    const { instances } = collectRegistrations(this.project, this.model);
    const routes: RouteFact[] = [];
    const roots = instances.filter((i) => i.mountedBy.length === 0);
    for (const root of roots) {
      const sites: RouteSite[] = [];
      this.enumerate(root, '', true, [], undefined, root.file.relPath, sites, new Set());
      const detached = root.role === 'router';
      const listeners = this.listenersOf(root);
      for (const site of sites) {
        for (const method of site.event.methods) {
          const fullPath = detached ? joinPaths('<unresolved>', site.fullPath) : site.fullPath;
          const target: Target = { event: site.event, path: site.fullPath, method };
          const chain: ChainStep[] = [];
          if (this.model.framework === 'koa') this.walkKoa(root, '', target, chain, 0);
          else this.walkStack(root, '', target, chain, undefined, root.file.relPath, 0);
          const handler = this.handlerLocation(site.event);
          const route: RouteFact = {
            framework: this.model.framework,
            methods: [method],
            path: fullPath,
            pathResolved: site.resolved && !detached,
            ...this.registrationLocation(site.event),
            chain,
            publicMarkers: [],
            mounts: site.mounts,
            owner: site.event.instance.name,
            app: `${root.file.relPath}#${root.name}`,
            listeners,
            internalReasons: [],
          };
          if (handler) route.handler = handler;
          if (detached) route.detached = true;
          routes.push(route);
        }
      }
    }
    return routes;
  }
}

/** Whether any file imports one of the framework's packages (otherwise there is nothing to extract). */
function usesFramework(project: AnalysisProject, model: StackFrameworkModel): boolean {
  const modules = new Set(model.factories.flatMap((f) => f.modules));
  return filesMayImport(project, modules).some((file) => [...project.fileFact(IMPORTS, file).values()].some((binding) => modules.has(binding.module)));
}

export function extractStackRoutes(project: AnalysisProject, model: StackFrameworkModel): RouteFact[] {
  if (!usesFramework(project, model)) return [];
  return new StackExtractor(project, model).extract();
}
