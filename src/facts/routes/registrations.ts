import { ts } from '@ts-morph/common';
import { defineFileFact, defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { compareStrings } from '../../core/engine.js';
import { RecordingMap, recordOwn } from '../../core/reads.js';
import { findAll, indexedNodes } from '../../core/walk.js';
import type { RouteConfigShape, StackFrameworkModel } from '../../models/frameworks/stack-model.js';
import { EXPORTS, getRequireSpecifier, IMPORTS, mayReexportAll, resolveExport, resolveImportedName } from '../imports.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, findEnclosingClass, getAlternatives, getMember, getStringAlternatives, resolveOrigin, stripDefault, type Value } from '../values.js';
import { getReturnedExpressions, resolveFunction } from './classify.js';
import { evaluateConfigLookup } from '../config-lookup.js';
import { getModelModules, IMPORTED_CALLEES, isReachable, mayRegister, REGISTRATION_SITES } from './registration-sites.js';
import { UNRESOLVED_SEGMENT } from './types.js';
import { bindHelperCall, getEnclosingHelper, readsScopeOf, type Bound, type BoundExpr, type HelperCall, type HelperEnv } from './registration-helpers.js';

/**
 * Registrations on app/router instances (Express, Koa, Hono), collected across files: which
 * instance a call is made on (through variables, imports, factory functions and parameters bound at
 * their call sites) and in which order the calls run.
 */

export interface OrderPoint {
  file: string;
  pos: number;
}

export interface Instance {
  id: number;
  role: 'app' | 'router';
  name: string;
  file: SourceFileInfo;
  node: ts.Node;
  /** Koa router `prefix` (constructor option or `.prefix()`). */
  prefix: PathAlt;
  events: RegistrationEvent[];
  mountedBy: RegistrationEvent[];
}

export interface InstanceRef {
  instance: Instance;
  /** Hono `basePath()` views. */
  basePath: string;
  /** Call sites through which a parameter was bound, outermost first. */
  via: OrderPoint[];
}

export interface PathAlt {
  text: string;
  resolved: boolean;
}

/**
 * An argument; `env` binds the names of the helper function it is written in for one call of it. `wraps`: the arguments
 * of one call of that helper that a wrapper call written in it is given (`tryRoute(controller, onError)` in
 * `setupApiRoute(router, verb, name, controller)`), read where the helper's caller wrote them.
 */
export type ArgRef = BoundExpr & { wraps?: BoundExpr[] };

export interface RegistrationEvent {
  kind: 'use' | 'route' | 'mount' | 'listen';
  instance: Instance;
  file: SourceFileInfo;
  node: ts.CallExpression;
  order: OrderPoint[];
  basePath: string;
  /** undefined: no path argument (applies to everything under the current prefix). */
  paths?: PathAlt[];
  methods: string[];
  args: ArgRef[];
  /** Per argument: the instances it mounts (routers, sub-apps), empty for plain middleware. */
  children: InstanceRef[][];
  /** `listen` events: the server variable name and address text. */
  listener?: { name: string; address: string };
  /** A registration made by a helper function: the helper's call that gives it its path, where the route is shown. */
  site?: { file: SourceFileInfo; node: ts.CallExpression };
}

export interface Registrations {
  instances: Instance[];
}

type Env = ReadonlyMap<string, Bound | Value>;

/** One call of a helper function that registers: the bindings of its names and the calls that lead to it, outermost first. */
interface HelperContext {
  env: HelperEnv;
  site: HelperCall;
  /** Where the route is shown: the outermost call that writes the path (`apiRoute(PUT, '/api/notes', …)`). */
  shown: HelperCall;
  points: OrderPoint[];
}

/** `outer`: the call of the enclosing helper this call was bound through (`apiRoute(…)` for `route(method, path, …)` in it). */
type HelperSite = HelperCall & { points: OrderPoint[]; outer?: HelperSite };

/** Helper calls followed through helpers (`_mounts.topic` → `setupPageRoute`), and the call sites kept per helper. */
const MAX_HELPER_DEPTH = 3;
const MAX_HELPER_SITES = 256;

const MAX_DEPTH = 10;
const THIS_ASSIGNMENT = /\bthis\s*(?:\.\s*[\w$]+|\[[^\]]*\])\s*=(?![=>])/;

class Collector {
  readonly instances = new Map<ts.Node, Instance>();
  private readonly callSites = new Map<ts.Node, Array<{ file: SourceFileInfo; call: ts.CallExpression }>>();
  private readonly thisAssignments = new Map<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();
  private nextId = 0;

  constructor(
    readonly project: AnalysisProject,
    readonly model: StackFrameworkModel,
  ) {}

  /**
   * The instance created by `expr` when it calls a framework factory. `site` is where the instance is
   * named and kept when that is elsewhere: the call of a repository function that returns the creation.
   */
  private matchFactory(file: SourceFileInfo, expr: ts.CallExpression | ts.NewExpression, site: { file: SourceFileInfo; node: ts.CallExpression } = { file, node: expr as ts.CallExpression }): Instance | undefined {
    const known = this.instances.get(site.node);
    if (known) return known;
    const origin = resolveOrigin(this.project, file, expr);
    if (origin.kind !== 'external') return undefined;
    const stripped = stripDefault(origin.path);
    const factory = this.model.factories.find(
      (f) => f.modules.includes(origin.module) && f.path.length === stripped.length && f.path.every((p, i) => stripped[i] === p),
    );
    if (!factory) return undefined;
    let parent = site.node.parent;
    while ((ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent) || ts.isParenthesizedExpression(parent)) && parent.parent) parent = parent.parent;
    const name = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : ts.isExportAssignment(parent) ? 'default' : site.node.getText(site.file.sourceFile).slice(0, 40);
    const instance: Instance = { id: this.nextId++, role: factory.role, name, file: site.file, node: site.node, prefix: { text: '', resolved: true }, events: [], mountedBy: [] };
    const option = this.model.routerPrefixOption;
    const [first] = expr.arguments ?? [];
    if (option && factory.role === 'router' && first) {
      const value = getMember(evaluate(this.project, file, first), option);
      if (value) instance.prefix = toPathAlts(value)[0] ?? { text: UNRESOLVED_SEGMENT, resolved: false };
    }
    this.instances.set(site.node, instance);
    return instance;
  }

  /** The instances an expression may denote. */
  resolve(file: SourceFileInfo, input: ts.Expression, env: Env = new Map(), depth = 0): InstanceRef[] {
    if (depth > MAX_DEPTH) return [];
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.resolve(file, expr.expression, env, depth + 1);
    if (ts.isIdentifier(expr)) {
      const bound = env.get(expr.text);
      if (bound) {
        if ('list' in bound) return [];
        return 'expr' in bound ? this.resolve(bound.file, bound.expr, bound.env ?? new Map(), depth + 1) : this.resolveValue(bound, depth);
      }
      const decl = findDeclaration(expr, expr.text);
      if (!decl) return [];
      if (ts.isVariableDeclaration(decl)) return decl.initializer && ts.isIdentifier(decl.name) ? this.resolve(file, decl.initializer, new Map(), depth + 1) : [];
      if (ts.isParameter(decl)) return this.resolveParameter(file, decl, depth);
      if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isImportEqualsDeclaration(decl) || ts.isNamespaceImport(decl)) {
        const resolved = resolveImportedName(this.project, file, expr.text);
        if (resolved?.kind === 'expression') return this.resolve(resolved.file, resolved.node, new Map(), depth + 1);
        if (resolved?.kind === 'declaration' && ts.isVariableDeclaration(resolved.node) && resolved.node.initializer) {
          return this.resolve(resolved.file, resolved.node.initializer, new Map(), depth + 1);
        }
        return [];
      }
      if (ts.isBindingElement(decl)) {
        const spread = getRestTupleElement(decl);
        if (spread) return this.resolveParameter(file, spread.param, depth, spread.index);
        const element = getRestElement(decl);
        if (element) return this.resolveParameter(file, element.param, depth, element.index);
        const member = getParameterMember(decl);
        if (member) return this.resolveParameterMember(file, member.param, member.key, depth);
        return this.resolveValue(evaluate(this.project, file, expr), depth, expr);
      }
      return [];
    }
    if (ts.isNewExpression(expr)) {
      const instance = this.matchFactory(file, expr);
      return instance ? [{ instance, basePath: '', via: [] }] : [];
    }
    if (ts.isCallExpression(expr)) {
      const instance = this.matchFactory(file, expr);
      if (instance) return [{ instance, basePath: '', via: [] }];
      const specifier = getRequireSpecifier(expr);
      if (specifier !== undefined) {
        const target = this.project.resolveImport(file, specifier);
        if (!target) return [];
        const exported = resolveExport(this.project, target, 'default');
        if (exported.kind === 'expression') return this.resolve(exported.file, exported.node, new Map(), depth + 1);
        if (exported.kind === 'declaration' && ts.isVariableDeclaration(exported.node) && exported.node.initializer) {
          return this.resolve(exported.file, exported.node.initializer, new Map(), depth + 1);
        }
        return [];
      }
      const callee = skipOuterExpressions(expr.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const name = callee.name.text;
        if (name === this.model.basePathMethod) {
          const [arg] = expr.arguments;
          const base = arg ? (toPathAlts(evaluate(this.project, file, arg))[0]?.text ?? UNRESOLVED_SEGMENT) : '';
          return this.resolve(file, callee.expression, env, depth + 1).map((r) => ({ ...r, basePath: joinRaw(r.basePath, base) }));
        }
        if (this.isChainable(name) || this.model.mountableUnwrap?.includes(name)) return this.resolve(file, callee.expression, env, depth + 1);
      }
      const fn = resolveFunction(this.project, file, callee);
      if (!fn) return [];
      return getReturnedExpressions(fn.fn).flatMap((r) => {
        // A helper that returns a fresh app (`function honoApp() { return new OpenAPIHono() }`) gives every caller its own.
        const created = skipOuterExpressions(r);
        const fresh = ts.isNewExpression(created) || ts.isCallExpression(created) ? this.matchFactory(fn.file, created, { file, node: expr }) : undefined;
        return fresh ? [{ instance: fresh, basePath: '', via: [] }] : this.resolve(fn.file, r, new Map(), depth + 1);
      });
    }
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
        const bound = env.get(expr.expression.text);
        if (bound && !('expr' in bound) && !('list' in bound)) {
          const member = getMember(bound, expr.name.text);
          return member ? this.resolveValue(member, depth) : [];
        }
      }
      if (ts.isPropertyAccessExpression(expr)) {
        const member = this.resolveClassMember(file, expr, depth);
        if (member) return member;
      }
      return this.resolveValue(evaluate(this.project, file, expr), depth, expr);
    }
    return [];
  }

  /**
   * `this.router` inside a class, or `new UserRoutes().router`: the property's initializer or the
   * expression assigned to it (`this.app = express()` in the constructor).
   */
  private resolveClassMember(file: SourceFileInfo, access: ts.PropertyAccessExpression, depth: number): InstanceRef[] | undefined {
    const base = skipOuterExpressions(access.expression);
    let cls: ts.ClassLikeDeclaration | undefined;
    let clsFile = file;
    if (base.kind === ts.SyntaxKind.ThisKeyword) {
      cls = findEnclosingClass(access);
    } else {
      const target = ts.isNewExpression(base) ? { file, node: base } : ts.isIdentifier(base) ? getNewExpressionOf(this.project, file, base) : undefined;
      if (target && ts.isIdentifier(target.node.expression)) {
        const found = resolveClassDeclaration(this.project, target.file, target.node.expression);
        if (found) ({ node: cls, file: clsFile } = found);
      }
    }
    if (!cls) return undefined;
    const name = access.name.text;
    const refs: InstanceRef[] = [];
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name && member.initializer) {
        refs.push(...this.resolve(clsFile, member.initializer, new Map(), depth + 1));
      }
    }
    for (const right of this.getThisAssignments(cls).get(name) ?? []) refs.push(...this.resolve(clsFile, right, new Map(), depth + 1));
    return refs.length > 0 ? refs : undefined;
  }

  /** `this.x = …` anywhere in a class, by property name: one walk per class however many members are asked for. */
  private getThisAssignments(cls: ts.ClassLikeDeclaration): Map<string, ts.Expression[]> {
    let table = this.thisAssignments.get(cls);
    if (table) return table;
    table = new Map();
    this.thisAssignments.set(cls, table);
    // Most classes (NestJS services with parameter properties) assign nothing to `this`: skip their walk.
    if (!THIS_ASSIGNMENT.test(cls.getSourceFile().text.slice(cls.pos, cls.end))) return table;
    for (const assignment of findAll(cls, ts.isBinaryExpression)) {
      if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = skipOuterExpressions(assignment.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const list = table.get(left.name.text);
        if (list) list.push(assignment.right);
        else table.set(left.name.text, [assignment.right]);
      }
    }
    return table;
  }

  private resolveValue(value: Value, depth: number, from?: ts.Node): InstanceRef[] {
    if (from !== undefined && value.node === from) return [];
    if (ts.isVariableDeclaration(value.node)) return value.node.initializer ? this.resolve(value.file, value.node.initializer, new Map(), depth + 1) : [];
    if (!ts.isExpression(value.node)) return [];
    return this.resolve(value.file, value.node, new Map(), depth + 1);
  }

  private isChainable(name: string): boolean {
    return name === this.model.useMethod || name in this.model.routeMethods || name === this.model.onMethod || name === this.model.mountMethod || this.getRouteConfigShape(name) !== undefined;
  }

  private getRouteConfigShape(name: string): RouteConfigShape | undefined {
    const shapes = this.model.routeConfigMethods;
    return shapes && Object.hasOwn(shapes, name) ? shapes[name] : undefined;
  }

  /** What callers pass to a parameter; `offset` picks an element of a rest parameter (`...[router, tenant]`). */
  private resolveParameter(file: SourceFileInfo, param: ts.ParameterDeclaration, depth: number, offset = 0): InstanceRef[] {
    const fn = param.parent;
    if (!ts.isFunctionLike(fn)) return [];
    const index = fn.parameters.indexOf(param) + offset;
    const refs: InstanceRef[] = [];
    const sites = this.getCallSites(file, fn as ts.SignatureDeclaration);
    // `init(app = new Koa())`: the default stands for the calls that leave the argument out, and for callers this
    // search does not find (a service started through a dynamic import).
    if (param.initializer && (sites.length === 0 || sites.some((site) => !site.call.arguments[index]))) {
      refs.push(...this.resolve(file, param.initializer, new Map(), depth + 1));
    }
    for (const site of sites) {
      const arg = site.call.arguments[index];
      if (!arg) continue;
      const point = orderPoint(site.file, site.call);
      for (const ref of this.resolve(site.file, arg, new Map(), depth + 1)) refs.push({ ...ref, via: [...ref.via, point] });
    }
    return refs;
  }

  /** `reload({ router })` or `const { router } = params`: the property of the object literal each caller passes. */
  private resolveParameterMember(file: SourceFileInfo, param: ts.ParameterDeclaration, key: string, depth: number): InstanceRef[] {
    const fn = param.parent;
    if (!ts.isFunctionLike(fn)) return [];
    const index = fn.parameters.indexOf(param);
    const refs: InstanceRef[] = [];
    for (const site of this.getCallSites(file, fn as ts.SignatureDeclaration)) {
      const arg = site.call.arguments[index];
      const object = arg && skipOuterExpressions(arg);
      if (!object || !ts.isObjectLiteralExpression(object)) continue;
      const point = orderPoint(site.file, site.call);
      for (const property of object.properties) {
        const value = ts.isPropertyAssignment(property) && getPropertyName(property.name) === key ? property.initializer : ts.isShorthandPropertyAssignment(property) && property.name.text === key ? property.name : undefined;
        if (!value) continue;
        for (const ref of this.resolve(site.file, value, new Map(), depth + 1)) refs.push({ ...ref, via: [...ref.via, point] });
      }
    }
    return refs;
  }

  private getCallSites(file: SourceFileInfo, fn: ts.SignatureDeclaration): Array<{ file: SourceFileInfo; call: ts.CallExpression }> {
    const known = this.callSites.get(fn);
    if (known) return known;
    const sites = searchCallSites(this.project, file, fn);
    this.callSites.set(fn, sites);
    return sites;
  }

  /** Property names a registration call may have (`app.get`, `router.use`, `app.listen`); `fetch` for `serve({ fetch })`. */
  private registrationWords(): string[] {
    const model = this.model;
    // Every name collectCall accepts (keep the two in step).
    const words = [...Object.keys(model.routeMethods), ...Object.keys(model.routeConfigMethods ?? {}), model.useMethod, ...model.listenMethods];
    for (const word of [model.onMethod, model.mountMethod, model.prefixMethod, model.routeBuilder]) if (word) words.push(word);
    if (model.serveFunctions) words.push('fetch');
    return words;
  }

  collect(): void {
    // A registration is a call of a method with one of these names (or `serve` with a `fetch` option): files that
    // mention none of them hold none.
    for (const file of this.project.filesMentioning(this.registrationWords())) {
      if (file.isTestFile && !this.project.settings.reportTestFiles) continue;
      if (!this.mayRegisterIn(file)) continue;
      for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) this.collectCall(file, call);
    }
  }

  private modules?: Set<string>;

  /** Whether a call of the file may register on an instance (its portable summary: no tree needed to say no). */
  private mayRegisterIn(file: SourceFileInfo): boolean {
    if (!this.project.selects) return true;
    return this.project.fileFact(REGISTRATION_SITES, file).some((site) => mayRegister(this.model, site) && isReachable(this.project, file, site.receiver, (this.modules ??= getModelModules(this.model))));
  }

  /** Whether a `listen` call of the file may be on a server the model's server factories made. */
  private mayListenIn(file: SourceFileInfo): boolean {
    if (!this.project.selects) return true;
    return this.project.fileFact(REGISTRATION_SITES, file).some((site) => site.server !== undefined && this.model.listenMethods.includes(site.name) && isReachable(this.project, file, site.server, (this.modules ??= getModelModules(this.model))));
  }

  private collectCall(file: SourceFileInfo, call: ts.CallExpression): void {
    const callee = skipOuterExpressions(call.expression);
    if (ts.isElementAccessExpression(callee)) {
      this.collectComputed(file, call, callee);
      return;
    }
    if (!ts.isPropertyAccessExpression(callee)) {
      this.collectServe(file, call);
      return;
    }
    const name = callee.name.text;
    const model = this.model;
    const isRoute = name in model.routeMethods || this.getRouteConfigShape(name) !== undefined;
    if (!isRoute && name !== model.useMethod && name !== model.onMethod && name !== model.mountMethod && !model.listenMethods.includes(name) && name !== model.prefixMethod) return;
    const { receiver, builderPath } = this.getReceiver(callee);
    // What makes one registration of a helper differ from the next: the path (or Koa's prefix), not a middleware.
    const decisive = builderPath ?? (name === model.useMethod && call.arguments.length < 2 ? undefined : call.arguments[0]);
    const helpers = decisive && !model.listenMethods.includes(name) ? this.getHelperContexts(file, call, decisive, receiver) : undefined;
    if (helpers) {
      for (const helper of helpers) this.collectWithEnv(file, call, callee, name, isRoute, helper.env, helper);
      return;
    }
    const loops = getLoopBindings(this.project, file, call);
    for (const env of loops) this.collectWithEnv(file, call, callee, name, isRoute, env);
  }

  /** `router[verb](name, …handlers)` in a helper: the method is the string its caller passes. */
  private collectComputed(file: SourceFileInfo, call: ts.CallExpression, callee: ts.ElementAccessExpression): void {
    if (ts.isStringLiteralLike(callee.argumentExpression) || call.arguments.length < 2) return;
    // Read only in a file that also names a registration method (the file selection of collect(), whether it is on or off).
    const words = this.registrationWords();
    if (!words.some((word) => file.index.words.includes(word))) return;
    for (const helper of this.getHelperContexts(file, call, callee.argumentExpression, skipOuterExpressions(callee.expression)) ?? []) {
      const name = evaluateArg(this.project, file, callee.argumentExpression, helper.env);
      if (name.kind !== 'string' || !Object.hasOwn(this.model.routeMethods, name.value)) continue;
      this.collectWithEnv(file, call, callee, name.value, true, helper.env, helper);
    }
  }

  /**
   * The calls of the helper function a registration is written in, when `decisive` (its path or method) reads the
   * helper's parameters or locals: each call registers its own route. Undefined when the registration is not such.
   */
  private getHelperContexts(file: SourceFileInfo, call: ts.CallExpression, decisive: ts.Expression, receiver: ts.Expression): HelperContext[] | undefined {
    const fn = getEnclosingHelper(call);
    if (!fn || !readsScopeOf(fn, decisive)) return undefined;
    // Bound or not, the receiver denotes what the callers pass: without an app or router among them there is nothing to expand.
    if (this.resolve(file, receiver).length === 0) return undefined;
    const sites = this.getHelperSites(file, fn, 0);
    if (sites.length === 0) return undefined;
    return sites.map((site) => ({ env: bindHelperCall(this.project, file, fn, site, call), site, shown: getShownSite(fn, decisive, site), points: site.points }));
  }

  private readonly helperSites = new Map<ts.Node, HelperSite[]>();

  /** The calls of a helper; a call written in another helper and reading its names, once per call of that one. */
  private getHelperSites(file: SourceFileInfo, fn: ts.FunctionLikeDeclaration, depth: number): HelperSite[] {
    const known = this.helperSites.get(fn);
    if (known) return known;
    const sites: HelperSite[] = [];
    this.helperSites.set(fn, sites);
    for (const site of this.getCallSites(file, fn)) {
      if (sites.length >= MAX_HELPER_SITES) break;
      const point = orderPoint(site.file, site.call);
      const outerFn = depth < MAX_HELPER_DEPTH ? getEnclosingHelper(site.call) : undefined;
      const outer = outerFn && site.call.arguments.some((a) => readsScopeOf(outerFn, a)) ? this.getHelperSites(site.file, outerFn, depth + 1) : [];
      if (outer.length === 0) {
        sites.push({ ...site, points: [point] });
        continue;
      }
      for (const o of outer.slice(0, MAX_HELPER_SITES - sites.length)) {
        sites.push({ ...site, env: bindHelperCall(this.project, site.file, outerFn as ts.FunctionLikeDeclaration, o, site.call), points: [...o.points, point], outer: o });
      }
    }
    return sites;
  }

  /** The instance expression a call is made on, and the path of Express's route builder (`x.route(path).get(…)`) when it is one. */
  private getReceiver(callee: ts.PropertyAccessExpression | ts.ElementAccessExpression): { receiver: ts.Expression; builderPath?: ts.Expression } {
    const model = this.model;
    const receiver = skipOuterExpressions(callee.expression);
    if (!model.routeBuilder) return { receiver };
    let probe: ts.Expression = receiver;
    while (ts.isCallExpression(probe) && ts.isPropertyAccessExpression(probe.expression) && probe.expression.name.text in model.routeMethods) {
      probe = skipOuterExpressions(probe.expression.expression);
    }
    if (ts.isCallExpression(probe) && ts.isPropertyAccessExpression(probe.expression) && probe.expression.name.text === model.routeBuilder && probe.arguments.length === 1) {
      return { receiver: skipOuterExpressions(probe.expression.expression), builderPath: probe.arguments[0] as ts.Expression };
    }
    return { receiver };
  }

  private collectWithEnv(file: SourceFileInfo, call: ts.CallExpression, callee: ts.PropertyAccessExpression | ts.ElementAccessExpression, name: string, isRoute: boolean, env: Env, helper?: HelperContext): void {
    const model = this.model;
    const { receiver, builderPath } = this.getReceiver(callee);
    if (name === model.routeBuilder && !builderPath && call.arguments.length === 1 && model.mountMethod !== name) return;
    const refs = this.resolve(file, receiver, env);
    if (refs.length === 0) return;
    const point: OrderPoint = orderPoint(file, call, ts.isPropertyAccessExpression(callee) ? callee.name : callee.argumentExpression);
    const args = [...call.arguments];
    for (const ref of refs) {
      const base = {
        instance: ref.instance,
        file,
        node: call,
        order: [...ref.via, ...(helper?.points ?? []), point],
        basePath: ref.basePath,
        children: [] as InstanceRef[][],
        ...(helper ? { site: { file: helper.shown.file, node: helper.shown.call } } : {}),
      };
      if (name === model.prefixMethod && ref.instance.role === 'router' && args[0]) {
        ref.instance.prefix = toPathAlts(evaluateArg(this.project, file, args[0], env))[0] ?? { text: UNRESOLVED_SEGMENT, resolved: false };
        continue;
      }
      if (model.listenMethods.includes(name)) {
        if (ref.instance.role !== 'app') continue;
        ref.instance.events.push({ ...base, kind: 'listen', methods: [], args: [], listener: { name: receiver.getText(file.sourceFile), address: describeAddress(file, args) } });
        continue;
      }
      if (builderPath) {
        const handlers = flattenArgs(this.project, file, args, env);
        ref.instance.events.push({ ...base, kind: 'route', paths: toPathAlts(evaluateArg(this.project, file, builderPath, env)), methods: [...(model.routeMethods[name] ?? [])], args: handlers });
      } else if (this.getRouteConfigShape(name)) {
        const route = readRouteConfig(this.project, file, args, env, this.getRouteConfigShape(name) as RouteConfigShape);
        if (route) ref.instance.events.push({ ...base, kind: 'route', ...route });
      } else if (isRoute) {
        if (args.length < 2) continue;
        const [pathArg, ...rest] = args;
        ref.instance.events.push({ ...base, kind: 'route', paths: toPathAlts(evaluateArg(this.project, file, pathArg as ts.Expression, env)), methods: [...(model.routeMethods[name] ?? [])], args: flattenArgs(this.project, file, rest, env) });
      } else if (name === model.onMethod) {
        if (args.length < 3) continue;
        const [methodArg, pathArg, ...rest] = args;
        const methods = toPathAlts(evaluateArg(this.project, file, methodArg as ts.Expression, env)).map((m) => m.text.toUpperCase());
        ref.instance.events.push({ ...base, kind: 'route', paths: toPathAlts(evaluateArg(this.project, file, pathArg as ts.Expression, env)), methods, args: flattenArgs(this.project, file, rest, env) });
      } else if (name === model.mountMethod && args.length >= 2) {
        const [pathArg, sub] = args;
        ref.instance.events.push({ ...base, kind: 'mount', paths: toPathAlts(evaluateArg(this.project, file, pathArg as ts.Expression, env)), methods: [], args: [{ file, expr: sub as ts.Expression }] });
      } else if (name === model.useMethod) {
        if (args.length === 0) continue;
        const wrapped = args.length === 1 ? this.getMountWrapper(file, args[0] as ts.Expression) : undefined;
        if (wrapped) {
          const [target, ...paths] = [...wrapped.arguments].reverse();
          if (!target) continue;
          const mountPaths = paths.length === 1 ? toPathAlts(evaluateArg(this.project, file, paths[0] as ts.Expression, env)) : undefined;
          ref.instance.events.push({ ...base, kind: 'use', ...(mountPaths ? { paths: mountPaths } : {}), methods: [], args: flattenArgs(this.project, file, [target], env, 0, model.mountableUnwrap) });
          continue;
        }
        const [first, ...rest] = args;
        const pathValue = evaluateArg(this.project, file, first as ts.Expression, env);
        if (isPathValue(pathValue)) {
          ref.instance.events.push({ ...base, kind: 'use', paths: toPathAlts(pathValue), methods: [], args: flattenArgs(this.project, file, rest, env, 0, model.mountableUnwrap) });
        } else {
          ref.instance.events.push({ ...base, kind: 'use', methods: [], args: flattenArgs(this.project, file, args, env, 0, model.mountableUnwrap) });
        }
      }
    }
  }

  /** `mount('/api', api)` or `mount(api)` of a mount wrapper package, given to `use`. */
  private getMountWrapper(file: SourceFileInfo, arg: ts.Expression): ts.CallExpression | undefined {
    const wrappers = this.model.mountWrappers;
    const call = skipOuterExpressions(arg);
    if (!wrappers || !ts.isCallExpression(call) || call.arguments.length === 0 || call.arguments.length > 2) return undefined;
    const origin = resolveOrigin(this.project, file, call.expression);
    if (origin.kind !== 'external') return undefined;
    const path = stripDefault(origin.path);
    return wrappers.some((w) => w.modules.includes(origin.module) && w.path.length === path.length && w.path.every((p, i) => path[i] === p)) ? call : undefined;
  }

  /** `serve({ fetch: app.fetch, port })` (@hono/node-server). */
  private collectServe(file: SourceFileInfo, call: ts.CallExpression): void {
    const serve = this.model.serveFunctions;
    if (!serve || call.arguments.length === 0) return;
    const origin = resolveOrigin(this.project, file, call.expression);
    if (origin.kind !== 'external') return;
    const stripped = stripDefault(origin.path);
    if (!serve.some((s) => s.modules.includes(origin.module) && s.path.every((p, i) => stripped[i] === p) && s.path.length === stripped.length)) return;
    const options = skipOuterExpressions(call.arguments[0] as ts.Expression);
    if (!ts.isObjectLiteralExpression(options)) return;
    let fetch: ts.Expression | undefined;
    let port = '';
    let host = '';
    for (const property of options.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      if (property.name.text === 'fetch') fetch = property.initializer;
      if (property.name.text === 'port') port = property.initializer.getText(file.sourceFile);
      if (property.name.text === 'hostname') host = property.initializer.getText(file.sourceFile);
    }
    if (!fetch) return;
    const target = skipOuterExpressions(fetch);
    const appExpr = ts.isPropertyAccessExpression(target) ? target.expression : target;
    for (const ref of this.resolve(file, appExpr)) {
      ref.instance.events.push({
        kind: 'listen',
        instance: ref.instance,
        file,
        node: call,
        order: [{ file: file.relPath, pos: call.getStart(file.sourceFile) }],
        basePath: '',
        methods: [],
        args: [],
        children: [],
        listener: { name: appExpr.getText(file.sourceFile), address: [port, host].filter((p) => p !== '').join(', ') },
      });
    }
  }

  /** Resolves which arguments of use/mount events are routers or sub-apps, sorts events, links mounts. */
  link(): void {
    for (const instance of this.instances.values()) {
      instance.events.sort((a, b) => compareOrder(a.order, b.order, instance.file.relPath));
      for (const event of instance.events) {
        if (event.kind !== 'use' && event.kind !== 'mount') continue;
        event.children = event.args.map((arg) => this.resolve(arg.file, arg.expr).filter((r) => r.instance !== instance));
        for (const refs of event.children) for (const ref of refs) if (!ref.instance.mountedBy.includes(event)) ref.instance.mountedBy.push(event);
      }
    }
  }

  /** Listeners (`listen`, createServer(app).listen, serve) found outside the instance method calls. */
  collectServerListeners(): void {
    const factories = this.model.serverFactories;
    if (!factories) return;
    for (const file of this.project.filesMentioning(this.model.listenMethods)) {
      if (!this.mayListenIn(file)) continue;
      for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
        const callee = skipOuterExpressions(call.expression);
        if (!ts.isPropertyAccessExpression(callee) || !this.model.listenMethods.includes(callee.name.text)) continue;
        let server = skipOuterExpressions(callee.expression);
        let serverName = server.getText(file.sourceFile);
        if (ts.isIdentifier(server)) {
          const decl = findDeclaration(server, server.text);
          if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) continue;
          server = skipOuterExpressions(decl.initializer);
        }
        if (!ts.isCallExpression(server)) continue;
        const origin = resolveOrigin(this.project, file, server);
        if (origin.kind !== 'external') continue;
        const stripped = stripDefault(origin.path);
        if (!factories.some((f) => f.modules.includes(origin.module) && f.path.length === stripped.length && f.path.every((p, i) => stripped[i] === p))) continue;
        for (const arg of server.arguments) {
          for (const ref of this.resolve(file, arg)) {
            if (ref.instance.role !== 'app') continue;
            if (serverName.length > 40) serverName = ref.instance.name;
            ref.instance.events.push({
              kind: 'listen',
              instance: ref.instance,
              file,
              node: call,
              order: [{ file: file.relPath, pos: call.getStart(file.sourceFile) }],
              basePath: '',
              methods: [],
              args: [],
              children: [],
              listener: { name: serverName, address: describeAddress(file, [...call.arguments]) },
            });
          }
        }
      }
    }
  }
}

/**
 * The calls of a repository function in the scanned files: by the names it is declared or assigned under, and through
 * the imports of its module (the call index). A function written as an argument has none.
 */
function searchCallSites(project: AnalysisProject, file: SourceFileInfo, fn: ts.SignatureDeclaration): Array<{ file: SourceFileInfo; call: ts.CallExpression }> {
  const sites: Array<{ file: SourceFileInfo; call: ts.CallExpression }> = [];
  // A function written as an argument (`router.get('/', (req, res) => …)`) has no name and is no export: nothing
  // else calls it, and its parameters (`req.get(…)`) need no project-wide search.
  const parent = fn.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((a) => a === fn)) return sites;
  const names = new Set<string>();
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) names.add(fn.name.text);
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) names.add(fn.parent.name.text);
  if (ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) names.add(fn.parent.name.text);
  // `helpers.setupPageRoute = function (…) {…}`
  if (ts.isBinaryExpression(fn.parent) && fn.parent.right === fn && ts.isPropertyAccessExpression(fn.parent.left)) names.add(fn.parent.left.name.text);
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) names.add(fn.name.text);
  // Candidates from the project-wide call index (one walk of the project instead of one per function):
  // calls whose callee has one of the function's names, and calls of imported or required callees.
  const index = project.projectFact(CALL_INDEX);
  const candidates: IndexedCall[] = getImportedCallsTo(project, index, file, fn);
  for (const name of names) candidates.push(...getCallsNamed(project, index, name));
  candidates.push(...getTableCallsTo(project, index, file));
  candidates.sort((a, b) => a.seq - b.seq);
  let previous = -1;
  for (const candidate of candidates) {
    if (candidate.seq === previous) continue;
    previous = candidate.seq;
    if (resolveIndexedCall(project, candidate)?.fn === fn) sites.push({ file: candidate.file, call: candidate.call });
  }
  return sites;
}

const CALLERS = new WeakMap<AnalysisProject, { revision: number; sites: Map<ts.Node, ReadonlyArray<{ file: SourceFileInfo; call: ts.CallExpression }>> }>();

/** searchCallSites memoised per project revision (each answer keeps what it read), for the route model outside a collection. */
export function findCallers(project: AnalysisProject, file: SourceFileInfo, fn: ts.SignatureDeclaration): ReadonlyArray<{ file: SourceFileInfo; call: ts.CallExpression }> {
  let memo = CALLERS.get(project);
  if (!memo || memo.revision !== project.revision) {
    memo = { revision: project.revision, sites: new RecordingMap() };
    CALLERS.set(project, memo);
  }
  const known = memo.sites.get(fn);
  if (known) return known;
  const table = memo.sites;
  return recordOwn(() => {
    const sites = searchCallSites(project, file, fn);
    table.set(fn, sites);
    return sites;
  });
}

/**
 * `const _mounts = { api: require('./api') }; _mounts.api(router, middleware)`: a module kept under a key of an object
 * literal in a file that requires it is called as `x.key(…)` there. The candidates are the calls named like such a key
 * in those files (resolved by the caller like any other candidate).
 */
function getTableCallsTo(project: AnalysisProject, index: CallIndex, file: SourceFileInfo): IndexedCall[] {
  const found: IndexedCall[] = [];
  for (const importer of project.importersOf(file)) {
    // Such a table is written with `require(…)`: an importer without the word is not parsed for it.
    if (!project.mentions(importer, ['require'])) continue;
    const keys = new Set<string>();
    for (const property of indexedNodes(importer.sourceFile, ts.isObjectLiteralExpression).flatMap((o) => o.properties)) {
      if (!ts.isPropertyAssignment(property)) continue;
      const specifier = getRequireSpecifier(property.initializer);
      const key = getPropertyName(property.name);
      if (specifier !== undefined && key !== undefined && project.resolveImport(importer, specifier) === file) keys.add(key);
    }
    if (keys.size === 0) continue;
    for (const entry of getFileCalls(project, index, importer)) if (entry.name !== undefined && keys.has(entry.name)) found.push(entry);
  }
  return found;
}

/** A call with arguments somewhere in the project, numbered in project file order then source order. */
interface IndexedCall {
  seq: number;
  file: SourceFileInfo;
  call: ts.CallExpression;
  callee: ts.Expression;
  /** The callee's name (`f(…)`, `x.f(…)`). */
  name?: string;
  /** A call of an imported identifier or of a `require(…)` result of a repository module: a candidate whatever its name. */
  imported: boolean;
  /** resolveFunction of the callee, computed once (undefined: not yet, null: none). */
  target?: ReturnType<typeof resolveFunction> | null;
}

/** Files larger than this are left out of the call-site search. */
const MAX_CALL_INDEX_FILE = 2_000_000;
const SEQ_PER_FILE = 1_000_000;

/**
 * The call-site search, file by file on demand: calls named like a function are looked for in the files that mention
 * the name, calls through imports in the files that import the function's module (or a module that may pass it on).
 */
interface CallIndex {
  ordinals: Map<SourceFileInfo, number>;
  byName: Map<string, IndexedCall[]>;
  /** getImportingCallers of each module (the same for every importable function of it). */
  importingCallers: Map<SourceFileInfo, ImportingCallers>;
}

interface ImportingCallers {
  callers: readonly SourceFileInfo[];
  /**
   * The scanned modules that may carry the function on (its own module and those that re-export or export something
   * made from it): a scanned caller's call through an import reaches the function only through one of them. Undefined:
   * every caller is read.
   */
  carriers?: ReadonlySet<SourceFileInfo>;
}

const CALL_INDEX = defineProjectFact('route-call-index', (project): CallIndex => {
  const ordinals = new Map<SourceFileInfo, number>();
  project.files().forEach((file, ordinal) => ordinals.set(file, ordinal));
  return { ordinals, byName: new Map(), importingCallers: new Map() };
});

/** The calls with arguments of a scanned file, in source order. */
function getFileCalls(project: AnalysisProject, index: CallIndex, file: SourceFileInfo): IndexedCall[] {
  return project.fileFact(FILE_CALLS, file).map((entry, i) => {
    entry.seq = (index.ordinals.get(file) as number) * SEQ_PER_FILE + i;
    return entry;
  });
}

const FILE_CALLS = defineFileFact('route-file-calls', (file, project): IndexedCall[] => {
  const calls: IndexedCall[] = [];
  if (file.text.length > MAX_CALL_INDEX_FILE) return calls;
  const imports = project.fileFact(IMPORTS, file);
  const isLocal = new Map<string, boolean>();
  for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
    if (call.arguments.length === 0) continue;
    const callee = skipOuterExpressions(call.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    // Only calls of repository modules can reach a repository function (a package import never does).
    const binding = ts.isIdentifier(callee) ? imports.get(callee.text) : undefined;
    const specifier = binding?.module ?? (ts.isCallExpression(callee) ? getRequireSpecifier(callee) : undefined);
    let local = false;
    if (specifier !== undefined) {
      local = isLocal.get(specifier) ?? project.resolveImport(file, specifier) !== undefined;
      isLocal.set(specifier, local);
    }
    calls.push({ seq: 0, file, call, callee, ...(name !== undefined ? { name } : {}), imported: local });
  }
  return calls;
});

/** Calls whose callee is named `name`: only files that mention the name can hold one. */
function getCallsNamed(project: AnalysisProject, index: CallIndex, name: string): IndexedCall[] {
  let found = index.byName.get(name);
  if (!found) {
    found = [];
    for (const file of project.filesMentioning([name])) for (const entry of getFileCalls(project, index, file)) if (entry.name === name) found.push(entry);
    index.byName.set(name, found);
  }
  return found;
}

/** Kinds of functions a call through an import can reach: those a value can be (values.ts `kind: 'function'`). */
function isImportableFunction(fn: ts.Node): boolean {
  return ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ((ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn)) && ts.isObjectLiteralExpression(fn.parent));
}

/**
 * The scanned files whose calls through an import may reach `fn` of `file`, a superset. A function leaves its module
 * only under one of the module's export names, and crosses further modules only where one re-exports it (`export *`, a
 * re-export or export of the name it was imported under) or exports something of its own made from it (counted
 * whenever the module exports a declaration or an expression of its own). A file importing such a module can bind the
 * function by name only if it mentions the name; a default or CommonJS export may be bound under any name, so every
 * importer counts then. Files importing a module outside the scan count too (not followed).
 */
function getImportingCallers(project: AnalysisProject, index: CallIndex, file: SourceFileInfo, fn: ts.Node): ImportingCallers {
  if (!isImportableFunction(fn)) return { callers: project.filesImportingUnscanned() };
  let found = index.importingCallers.get(file);
  if (!found) {
    found = findImportingCallers(project, file);
    index.importingCallers.set(file, found);
  }
  return found;
}

function findImportingCallers(project: AnalysisProject, file: SourceFileInfo): ImportingCallers {
  const callers = new Set<SourceFileInfo>(project.filesImportingUnscanned());
  const exported = new Map<SourceFileInfo, Set<string>>();
  const own = project.fileFact(EXPORTS, file);
  const start = new Set<string>();
  for (const [name, target] of own.named) if (target.kind !== 'reexport' || project.resolveImport(file, target.module) === file) start.add(name);
  const queue: Array<[SourceFileInfo, Set<string>]> = [[file, start]];
  exported.set(file, start);
  while (queue.length > 0) {
    const [module, names] = queue.pop() as [SourceFileInfo, Set<string>];
    if (names.size === 0) continue;
    const anyName = names.has('default') || names.has('*');
    const list = [...names];
    for (const importer of project.importersOf(module)) {
      const binds = anyName || project.mentions(importer, list);
      if (binds) callers.add(importer);
      // Without binding a name it may still pass everything on: `export * from`, `module.exports = require(…)`, `export = require(…)`.
      if (!binds && !mayReexportAll(importer) && !project.mentions(importer, ['exports', 'require'])) continue;
      const passed = getPassedNames(project, importer, module, names);
      const known = exported.get(importer) ?? new Set<string>();
      const added = [...passed].filter((name) => !known.has(name));
      if (added.length === 0) continue;
      for (const name of added) known.add(name);
      exported.set(importer, known);
      queue.push([importer, new Set(added)]);
    }
  }
  return { callers: [...callers], carriers: new Set(exported.keys()) };
}

/** Export names of `importer` that may carry one of `names` of `module` on (see getImportingCallers). */
function getPassedNames(project: AnalysisProject, importer: SourceFileInfo, module: SourceFileInfo, names: ReadonlySet<string>): Set<string> {
  const passed = new Set<string>();
  const exports = project.fileFact(EXPORTS, importer);
  const bindsFrom = (imported: string) => names.has(imported) || imported === '*' || (imported === 'default' && names.has('*'));
  for (const [name, target] of exports.named) {
    if (target.kind === 'reexport') {
      if (project.resolveImport(importer, target.module) === module && bindsFrom(target.imported)) passed.add(name);
    } else if (target.kind === 'local') {
      const binding = project.fileFact(IMPORTS, importer).get(target.name);
      if (!binding || (project.resolveImport(importer, binding.module) === module && bindsFrom(binding.imported))) passed.add(name);
    } else {
      passed.add(name);
    }
  }
  for (const star of exports.stars) {
    if (project.resolveImport(importer, star.module) !== module) continue;
    for (const name of names) if (name !== 'default') passed.add(name);
  }
  return passed;
}

/** Calls through imports that resolve to `fn`, in any order. */
function getImportedCallsTo(project: AnalysisProject, index: CallIndex, file: SourceFileInfo, fn: ts.Node): IndexedCall[] {
  const found: IndexedCall[] = [];
  const { callers, carriers } = getImportingCallers(project, index, file, fn);
  const unscanned = carriers && project.selects ? new Set(project.filesImportingUnscanned()) : undefined;
  for (const caller of callers) {
    // A file importing a module outside the scan may reach the function through it: its calls are always read.
    if (carriers && unscanned && !unscanned.has(caller) && !callsThrough(project, caller, carriers)) continue;
    for (const entry of getFileCalls(project, index, caller)) if (entry.imported && resolveIndexedCall(project, entry)?.fn === fn) found.push(entry);
  }
  return found;
}

/** Whether a file calls something with arguments through an import of one of `modules` (its portable summary). */
function callsThrough(project: AnalysisProject, file: SourceFileInfo, modules: ReadonlySet<SourceFileInfo>): boolean {
  return project.fileFact(IMPORTED_CALLEES, file).some((specifier) => {
    const target = project.resolveImport(file, specifier);
    return target !== undefined && modules.has(target);
  });
}

function resolveIndexedCall(project: AnalysisProject, entry: IndexedCall): ReturnType<typeof resolveFunction> {
  if (entry.target === undefined) entry.target = resolveFunction(project, entry.file, entry.callee) ?? null;
  return entry.target ?? undefined;
}

function describeAddress(file: SourceFileInfo, args: ts.Expression[]): string {
  return args
    .filter((a) => !ts.isFunctionLike(a))
    .map((a) => a.getText(file.sourceFile).replace(/\s+/g, ' '))
    .join(', ')
    .slice(0, 80);
}

/** Evaluates an argument, substituting loop variables (`routes.forEach((r) => router.use(r.path, r.route))`). */
function evaluateArg(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, env: Env, depth = 0): Value {
  const inner = skipOuterExpressions(expr);
  if (env.size > 0 && depth < MAX_DEPTH) {
    if (ts.isIdentifier(inner)) {
      const bound = env.get(inner.text);
      if (bound && 'list' in bound) return { kind: 'unknown', node: inner, file };
      if (bound) return 'expr' in bound ? evaluateArg(project, bound.file, bound.expr, bound.env ?? new Map(), depth + 1) : bound;
    }
    if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression)) {
      const bound = env.get(inner.expression.text);
      if (bound && !('expr' in bound) && !('list' in bound)) return getMember(bound, inner.name.text) ?? { kind: 'unknown', node: inner, file };
    }
    // `/api${name}` in a helper: the template read with the helper's arguments.
    if (isHelperEnv(env) && (ts.isTemplateExpression(inner) || (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken))) {
      const parts = ts.isTemplateExpression(inner) ? inner.templateSpans.map((span) => span.expression) : [inner.left, inner.right];
      const values = parts.map((part) => evaluateArg(project, file, part, env, depth + 1));
      if (values.every((v) => v.kind === 'string' || v.kind === 'number')) {
        const texts = values.map((v) => String((v as Value & { value: string | number }).value));
        const value = ts.isTemplateExpression(inner) ? inner.head.text + inner.templateSpans.map((span, i) => texts[i] + span.literal.text).join('') : texts.join('');
        return { kind: 'string', value, node: inner, file };
      }
    }
  }
  const value = evaluate(project, file, inner);
  // `app.use(nconf.get('relative_path'), router)`: a setting read from configuration is a path, unresolved or defaulted.
  return (value.kind === 'call' && ts.isCallExpression(value.call) && evaluateConfigLookup(project, value.file, value.call)) || value;
}

/** Whether an environment binds a helper's names to its caller's arguments (not a loop variable to an array item). */
function isHelperEnv(env: Env): boolean {
  for (const bound of env.values()) if ('expr' in bound || 'list' in bound) return true;
  return false;
}

/** `openapi(createRoute({ method: 'get', path: '/{id}', middleware }), handler, hook)`: the chain is the middleware, then the handler. */
function readRouteConfig(project: AnalysisProject, file: SourceFileInfo, args: readonly ts.Expression[], env: Env, shape: RouteConfigShape): { paths: PathAlt[]; methods: string[]; args: ArgRef[] } | undefined {
  const [configArg, handler] = args;
  if (!configArg || !handler) return undefined;
  let config = evaluateArg(project, file, configArg, env);
  if (config.kind === 'call' && config.args[0] && isBuilderCall(config, shape)) config = evaluate(project, config.file, config.args[0]);
  if (config.kind !== 'object') return undefined;
  const method = config.props.get(shape.methodKey);
  const methods = method ? getStringAlternatives(method).map((m) => m.toUpperCase()) : [];
  const path = config.props.get(shape.pathKey);
  if (methods.length === 0 || !path) return undefined;
  const paths = toPathAlts(path).map((p) => (shape.braceParams ? { ...p, text: p.text.replace(/\{(\w+)\}/g, ':$1') } : p));
  const middleware = shape.middlewareKey ? config.props.get(shape.middlewareKey) : undefined;
  const steps = middleware ? (middleware.kind === 'array' ? middleware.items : [middleware]).filter((m) => ts.isExpression(m.node)).map((m) => ({ file: m.file, expr: m.node as ts.Expression })) : [];
  return { paths, methods, args: [...steps, ...flattenArgs(project, file, [handler], env)] };
}

function isBuilderCall(value: Value & { kind: 'call' }, shape: RouteConfigShape): boolean {
  const origin = value.origin;
  if (origin.kind !== 'external') return false;
  const path = stripDefault(origin.path);
  return shape.builders.some((b) => b.modules.includes(origin.module) && b.path.length === path.length && b.path.every((p, i) => path[i] === p));
}

function isPathValue(value: Value): boolean {
  const alternatives = getAlternatives(value);
  if (alternatives.some((v) => v.kind === 'string' || v.kind === 'env')) return true;
  if (value.kind === 'array') return value.items.length > 0 && value.items.every((i) => i.kind === 'string');
  // `app.use(`${relativePath}/assets`, …)`: a template string is a path even when a part of it cannot be read.
  if (value.kind === 'call' && ts.isNewExpression(value.call) && value.origin.kind === 'global' && value.origin.path.join('.') === 'RegExp') return true;
  return value.kind === 'unknown' && (ts.isRegularExpressionLiteral(value.node) || ts.isTemplateExpression(value.node));
}

export function toPathAlts(value: Value): PathAlt[] {
  const items = value.kind === 'array' ? value.items : [value];
  const out: PathAlt[] = [];
  for (const item of items) {
    const alternatives = getAlternatives(item).flatMap((v) => (v.kind === 'env' && v.fallback ? getAlternatives(v.fallback) : [v]));
    for (const alt of alternatives) {
      if (alt.kind === 'string') out.push({ text: alt.value, resolved: true });
      else if (alt.kind === 'unknown' && ts.isTemplateExpression(alt.node)) out.push({ text: getTemplateShape(alt.node), resolved: false });
      else out.push({ text: UNRESOLVED_SEGMENT, resolved: false });
    }
  }
  const unique = new Map(out.map((p) => [`${p.text}\u0000${p.resolved}`, p]));
  return unique.size > 0 ? [...unique.values()] : [{ text: UNRESOLVED_SEGMENT, resolved: false }];
}

/** `${relativePath}/assets`: the literal parts of a template, each substitution an unresolved segment. */
function getTemplateShape(template: ts.TemplateExpression): string {
  return template.head.text + template.templateSpans.map((span) => UNRESOLVED_SEGMENT + span.literal.text).join('');
}

function joinRaw(a: string, b: string): string {
  if (a === '') return b;
  return `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`;
}

/**
 * `function reload({ router })` or `const { router } = params` with `params` a parameter: the parameter and the property
 * the element reads.
 */
function getParameterMember(element: ts.BindingElement): { param: ts.ParameterDeclaration; key: string } | undefined {
  const pattern = element.parent;
  if (!ts.isObjectBindingPattern(pattern) || element.dotDotDotToken) return undefined;
  const key = element.propertyName ? getPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
  if (key === undefined) return undefined;
  const holder = pattern.parent;
  if (ts.isParameter(holder)) return { param: holder, key };
  if (!ts.isVariableDeclaration(holder) || !holder.initializer || !(holder.parent.flags & ts.NodeFlags.Const)) return undefined;
  const init = skipOuterExpressions(holder.initializer);
  if (!ts.isIdentifier(init)) return undefined;
  const decl = findDeclaration(init, init.text);
  return decl && ts.isParameter(decl) && ts.isIdentifier(decl.name) && !decl.dotDotDotToken ? { param: decl, key } : undefined;
}

/** `function setup(...args) { const [router, name] = args; … }`: the rest parameter and the element's position in it. */
function getRestElement(element: ts.BindingElement): { param: ts.ParameterDeclaration; index: number } | undefined {
  const pattern = element.parent;
  const holder = pattern.parent;
  if (!ts.isArrayBindingPattern(pattern) || element.dotDotDotToken || !ts.isVariableDeclaration(holder) || !holder.initializer || !(holder.parent.flags & ts.NodeFlags.Const)) return undefined;
  const init = skipOuterExpressions(holder.initializer);
  if (!ts.isIdentifier(init)) return undefined;
  const decl = findDeclaration(init, init.text);
  return decl && ts.isParameter(decl) && decl.dotDotDotToken && ts.isIdentifier(decl.name) ? { param: decl, index: pattern.elements.indexOf(element) } : undefined;
}

/** `function routes(...[router, tenant]: Args)`: the element's parameter and its position among the arguments. */
function getRestTupleElement(element: ts.BindingElement): { param: ts.ParameterDeclaration; index: number } | undefined {
  const pattern = element.parent;
  const param = pattern.parent;
  if (!ts.isArrayBindingPattern(pattern) || !ts.isParameter(param) || !param.dotDotDotToken || element.dotDotDotToken) return undefined;
  return { param, index: pattern.elements.indexOf(element) };
}

/**
 * The call a helper-made route is shown at: `site`, or, while the path argument of that call only passes on a parameter
 * of the helper it is written in (`route(method, path, …)` in `function apiRoute(method, path, handler)`), the call of
 * that helper it was bound through (`apiRoute(PUT, '/api/notes/:id', …)`), where the path is written.
 */
function getShownSite(fn: ts.FunctionLikeDeclaration, decisive: ts.Expression, site: HelperSite): HelperCall {
  let current = site;
  let index = getParameterIndex(fn, decisive);
  while (current.outer && index >= 0) {
    const arg = current.call.arguments[index];
    const outerFn = getEnclosingHelper(current.call);
    if (!arg || !outerFn) break;
    const next = getParameterIndex(outerFn, arg);
    if (next < 0) break;
    index = next;
    current = current.outer;
  }
  return current;
}

/** The index of the plain parameter of `fn` an expression names (`path` in `function route(method, path)`), or -1. */
function getParameterIndex(fn: ts.FunctionLikeDeclaration, input: ts.Expression): number {
  const expr = skipOuterExpressions(input);
  if (!ts.isIdentifier(expr)) return -1;
  const decl = findDeclaration(expr, expr.text);
  return decl && ts.isParameter(decl) && decl.parent === fn && !decl.dotDotDotToken ? fn.parameters.indexOf(decl) : -1;
}

/** Handler arguments with arrays and spreads flattened (`app.get('/x', [auth, [audit]], handler)`). */
function flattenArgs(project: AnalysisProject, file: SourceFileInfo, args: readonly ts.Expression[], env: Env, depth = 0, unwrap: readonly string[] = []): ArgRef[] {
  const out: ArgRef[] = [];
  for (const raw of args) {
    const arg = ts.isSpreadElement(raw) ? raw.expression : skipOuterExpressions(raw);
    if (ts.isArrayLiteralExpression(arg) && depth < 4) {
      out.push(...flattenArgs(project, file, arg.elements, env, depth + 1));
      continue;
    }
    if (ts.isIdentifier(arg) && env.has(arg.text)) {
      const bound = env.get(arg.text) as Bound | Value;
      if ('list' in bound) {
        if (depth < MAX_DEPTH) for (const item of bound.list) out.push(...flattenArgs(project, item.file, [item.expr], item.env ?? new Map(), depth + 1));
      } else if ('expr' in bound) {
        // A helper's argument is read where it is written (`[...middlewares, mw.ensureLoggedIn]` of the caller).
        if (depth < MAX_DEPTH) out.push(...flattenArgs(project, bound.file, [bound.expr], bound.env ?? new Map(), depth + 1));
        else out.push(bound);
      } else if (ts.isExpression(bound.node)) out.push({ file: bound.file, expr: bound.node });
      continue;
    }
    // `router.routes()` of a loop variable: what is mounted is the bound router.
    if (ts.isCallExpression(arg) && arg.arguments.length === 0 && ts.isPropertyAccessExpression(arg.expression) && unwrap.includes(arg.expression.name.text) && ts.isIdentifier(arg.expression.expression) && env.has(arg.expression.expression.text)) {
      const bound = env.get(arg.expression.expression.text) as Bound | Value;
      if ('list' in bound) continue;
      if ('expr' in bound) out.push(bound);
      else if (ts.isExpression(bound.node)) out.push({ file: bound.file, expr: bound.node });
      continue;
    }
    if (ts.isPropertyAccessExpression(arg) && ts.isIdentifier(arg.expression) && env.has(arg.expression.text)) {
      const bound = env.get(arg.expression.text) as Bound | Value;
      const member = 'expr' in bound || 'list' in bound ? undefined : getMember(bound, arg.name.text);
      if (member && ts.isExpression(member.node)) out.push({ file: member.file, expr: member.node });
      continue;
    }
    if (ts.isIdentifier(arg) || ts.isSpreadElement(raw)) {
      const value = evaluate(project, file, arg);
      if (value.kind === 'array' && depth < 4) {
        out.push(...value.items.filter((i) => ts.isExpression(i.node)).flatMap((i) => flattenArgs(project, i.file, [i.node as ts.Expression], new Map(), depth + 1)));
        continue;
      }
    }
    const wraps = ts.isCallExpression(arg) && depth < MAX_DEPTH ? getWrappedArgs(project, file, arg, env, depth) : [];
    out.push(wraps.length > 0 ? { file, expr: arg, wraps } : { file, expr: arg });
  }
  return out;
}

/** The arguments a wrapper call passes on from the helper's parameters (`tryRoute(controller)`), as the caller wrote them. */
function getWrappedArgs(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, env: Env, depth: number): BoundExpr[] {
  return call.arguments.flatMap((a) => {
    const inner = skipOuterExpressions(a);
    if (!ts.isIdentifier(inner) || !env.has(inner.text)) return [];
    const bound = env.get(inner.text) as Bound | Value;
    return 'expr' in bound ? flattenArgs(project, file, [inner], env, depth + 1) : [];
  });
}

/**
 * When a registration sits in a `forEach`/`for…of` over a constant array, one environment per
 * element binding the loop variable; otherwise a single empty environment.
 */
function getLoopBindings(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): Env[] {
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const decl = node.initializer.declarations[0];
      if (!decl || !ts.isIdentifier(decl.name)) return [new Map()];
      // `for (const router of createRouters(tenant))`: the array a repository function returns.
      const items = evaluate(project, file, node.expression, { followCalls: ts.isCallExpression(skipOuterExpressions(node.expression)) });
      if (items.kind !== 'array' || items.items.length === 0) return [new Map()];
      const name = decl.name.text;
      return items.items.map((item) => new Map([[name, item]]));
    }
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isCallExpression(node.parent) && node.parent.arguments[0] === node) {
      const loop = node.parent;
      const callee = skipOuterExpressions(loop.expression);
      const param = node.parameters[0];
      if (ts.isPropertyAccessExpression(callee) && ['forEach', 'map'].includes(callee.name.text) && param && ts.isIdentifier(param.name)) {
        const items = evaluate(project, file, callee.expression);
        if (items.kind === 'array' && items.items.length > 0) {
          const name = param.name.text;
          return items.items.map((item) => new Map([[name, item]]));
        }
      }
      return [new Map()];
    }
    if (ts.isFunctionLike(node)) return [new Map()];
  }
  return [new Map()];
}

const DEFERRING_METHODS = new Set(['then', 'catch', 'finally']);
const DEFERRING_FUNCTIONS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask', 'nextTick']);

/**
 * Where a call runs in its file's execution order. A call inside a callback handed to a promise
 * (`.then`/`.catch`/`.finally`) or a timer runs after every synchronous statement of the module,
 * so `app.get('/metrics')` at module level precedes `app.use(auth)` in `init().then(() => configure(app))`
 * even when it comes later in the text: such points are placed after the end of the file.
 */
export function orderPoint(file: SourceFileInfo, call: ts.Node, at: ts.Node = call): OrderPoint {
  const pos = at.getStart(file.sourceFile);
  for (let node: ts.Node = call; node.parent && !ts.isSourceFile(node.parent); node = node.parent) {
    const parent = node.parent;
    if (!ts.isCallExpression(parent) || !(ts.isArrowFunction(node) || ts.isFunctionExpression(node)) || !parent.arguments.includes(node)) continue;
    const callee = skipOuterExpressions(parent.expression);
    const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (DEFERRING_FUNCTIONS.has(calleeName) || (ts.isPropertyAccessExpression(callee) && DEFERRING_METHODS.has(calleeName))) {
      return { file: file.relPath, pos: file.sourceFile.end + 1 + pos };
    }
  }
  return { file: file.relPath, pos };
}

/** Execution order of two registrations: same file by position; another module runs first (it is imported). */
export function compareOrder(a: readonly OrderPoint[], b: readonly OrderPoint[], home: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const pa = a[i] as OrderPoint;
    const pb = b[i] as OrderPoint;
    if (pa.file === pb.file) {
      if (pa.pos !== pb.pos) return pa.pos - pb.pos;
      continue;
    }
    if (pa.file === home) return 1;
    if (pb.file === home) return -1;
    return compareStrings(pa.file, pb.file);
  }
  return a.length - b.length;
}

/** Every app/router instance of one framework with its ordered registrations and mounts. */
export function collectRegistrations(project: AnalysisProject, model: StackFrameworkModel): Registrations {
  const collector = new Collector(project, model);
  collector.collect();
  collector.collectServerListeners();
  collector.link();
  const instances = [...collector.instances.values()].sort((a, b) => compareStrings(a.file.relPath, b.file.relPath) || a.node.pos - b.node.pos);
  return { instances };
}

/** The `new C(...)` a variable is initialised with (`const routes = new UserRoutes()`), across an import. */
function getNewExpressionOf(project: AnalysisProject, file: SourceFileInfo, id: ts.Identifier): { file: SourceFileInfo; node: ts.NewExpression } | undefined {
  const decl = findDeclaration(id, id.text);
  let init: ts.Expression | undefined;
  let initFile = file;
  if (decl && ts.isVariableDeclaration(decl)) init = decl.initializer;
  else if (decl && (ts.isImportClause(decl) || ts.isImportSpecifier(decl))) {
    const resolved = resolveImportedName(project, file, id.text);
    if (resolved?.kind === 'declaration' && ts.isVariableDeclaration(resolved.node)) {
      init = resolved.node.initializer;
      initFile = resolved.file;
    } else if (resolved?.kind === 'expression') {
      init = resolved.node;
      initFile = resolved.file;
    }
  }
  const inner = init ? skipOuterExpressions(init) : undefined;
  return inner && ts.isNewExpression(inner) ? { file: initFile, node: inner } : undefined;
}

/** A class declared in the repository, by the identifier that names it. */
function resolveClassDeclaration(project: AnalysisProject, file: SourceFileInfo, id: ts.Identifier): { file: SourceFileInfo; node: ts.ClassLikeDeclaration } | undefined {
  const decl = findDeclaration(id, id.text);
  if (decl && ts.isClassDeclaration(decl)) return { file, node: decl };
  if (decl && (ts.isImportClause(decl) || ts.isImportSpecifier(decl))) {
    const resolved = resolveImportedName(project, file, id.text);
    if (resolved?.kind === 'declaration' && ts.isClassDeclaration(resolved.node)) return { file: resolved.file, node: resolved.node };
  }
  return undefined;
}
