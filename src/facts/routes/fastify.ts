import path from 'node:path';
import { ts } from '@ts-morph/common';
import { defineTextTest, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { findAll, indexedNodes, walk } from '../../core/walk.js';
import {
  CREDENTIAL_CONDITION,
  FASTIFY_AUTH_COMBINATOR,
  FASTIFY_AUTHORIZATION_CALLS,
  FASTIFY_AUTOLOAD,
  FASTIFY_CHAINABLE,
  FASTIFY_HOOK_PLUGINS,
  FASTIFY_MODULES,
  FASTIFY_PLUGIN_DECORATORS,
  FASTIFY_PLUGIN_WRAPPERS,
  FASTIFY_REQUEST_HOOKS,
  FASTIFY_ROUTE_SHORTHANDS,
  type FastifyRequestHook,
} from '../../models/frameworks/fastify.js';
import { IMPORTS, resolveExport } from '../imports.js';
import { getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, getAlternatives, isStaticallyKnown, isTruthy, resolveOrigin, stripDefault, type Value } from '../values.js';
import { analyzeBody, resolveDeclaration } from './check-body.js';
import { classifyMiddleware, getReturnedExpressions, getStepName, toChainStep, type Classification } from './classify.js';
import { routeLocation } from './location.js';
import { describeUnresolvedPath, joinPaths } from './paths.js';
import {
  UNRESOLVED_SEGMENT,
  type ChainStep,
  type ListenerFact,
  type MountLocation,
  type PublicMarker,
  type RouteExtractor,
  type RouteFact,
  type SourceLocation,
} from './types.js';

const INSTANCE_METHODS = new Set([...Object.keys(FASTIFY_ROUTE_SHORTHANDS), 'route', 'register', 'addHook', 'decorate', 'decorateRequest', 'listen']);
const MAX_PLUGIN_DEPTH = 24;
const AUTOHOOKS_FILE = /^autohooks\.[cm]?[jt]s$/;
/** Files worth indexing: they mention Fastify or make plugin-style calls (`.register(`, `.addHook(`, `.route(`). */
const MAYBE_FASTIFY_FILE = /fastify|\.register\(|\.addHook\(|\.route\(/i;

interface InstanceCall {
  file: SourceFileInfo;
  call: ts.CallExpression;
  method: string;
}

interface HookEntry {
  hook: FastifyRequestHook;
  file: SourceFileInfo;
  expr: ts.Expression;
  /** A hook added by a registered library plugin (@fastify/bearer-auth). */
  library?: { module: string; reason: string };
  /** The owner scope of the instance the hook was added through (for decorator lookup). */
  via: Scope;
}

interface OnRouteEntry {
  file: SourceFileInfo;
  fn: ts.FunctionLikeDeclaration;
  via: Scope;
}

interface DecoratorEntry {
  file: SourceFileInfo;
  expr: ts.Expression;
  via: Scope;
}

/** An encapsulation context: a registered plugin (or the root instance). fastify-plugin plugins share their parent's. */
interface Scope {
  id: number;
  parent?: Scope;
  prefix: string;
  prefixResolved: boolean;
  mount?: MountLocation;
  hooks: HookEntry[];
  onRoute: OnRouteEntry[];
  decorators: Map<string, DecoratorEntry>;
  /** External plugin modules registered in this context (`@fastify/auth`, `@fastify/basic-auth` …). */
  plugins: Set<string>;
  owner?: string;
  app: string;
  listeners: ListenerFact[];
}

interface PendingRoute {
  scope: Scope;
  file: SourceFileInfo;
  /** The registration: the call, or the route object when routes come from a list (`routes.forEach((r) => app.route(r))`). */
  call: ts.Node;
  methods: string[];
  url: string;
  urlResolved: boolean;
  options?: Value;
  handler?: ts.Node;
  handlerFile?: SourceFileInfo;
}

function rootOf(scope: Scope): Scope {
  let root = scope;
  while (root.parent) root = root.parent;
  return root;
}

function nodeKey(file: SourceFileInfo, node: ts.Node): string {
  return `${file.path}:${node.pos}`;
}

function locate(file: SourceFileInfo, node: ts.Node): SourceLocation {
  return { file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

/** The identifier an instance call is made on, through chains (`app.register(a).register(b)`). */
function getReceiverBase(expr: ts.Expression): ts.Identifier | undefined {
  let current = skipOuterExpressions(expr);
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
    else if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && (FASTIFY_CHAINABLE.has(current.expression.name.text) || isChainedRoute(current))) {
      current = skipOuterExpressions(current.expression.expression);
    } else return undefined;
  }
}

/** `fastify.post('/follow', opts, h).post('/unfollow', …)`: route shorthands return the instance (a shorthand has a URL and a handler or options). */
function isChainedRoute(call: ts.CallExpression): boolean {
  const callee = call.expression as ts.PropertyAccessExpression;
  return (Object.hasOwn(FASTIFY_ROUTE_SHORTHANDS, callee.name.text) && call.arguments.length >= 2) || (callee.name.text === 'route' && call.arguments.length === 1);
}

function isFastifyFactory(project: AnalysisProject, file: SourceFileInfo, init: ts.Expression): boolean {
  let expr = skipOuterExpressions(init);
  if (ts.isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
  // `Fastify().withTypeProvider<T>()`
  while (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'withTypeProvider') {
    expr = skipOuterExpressions(expr.expression.expression);
  }
  if (!ts.isCallExpression(expr)) return false;
  const origin = resolveOrigin(project, file, expr);
  if (origin.kind !== 'external' || !FASTIFY_MODULES.has(origin.module)) return false;
  const steps = stripDefault(origin.path);
  return steps.join('.') === '()' || steps.join('.') === 'fastify.()' || steps.join('.') === 'default.()';
}

type ResolvedPlugin =
  | { kind: 'function'; file: SourceFileInfo; fn: ts.FunctionLikeDeclaration; fp: boolean; name?: string }
  | { kind: 'external'; module: string; fp: boolean }
  | { kind: 'unknown'; fp: boolean };

function isFunctionNode(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

function hasSkipOverride(file: SourceFileInfo, name: string): boolean {
  return file.text.includes('skip-override') && new RegExp(`\\b${name}\\s*\\[\\s*Symbol\\.for\\(\\s*['"]skip-override`).test(file.text);
}

class FastifyModel {
  readonly project: AnalysisProject;
  private readonly calls = new Map<string, InstanceCall[]>();
  private readonly decls = new Map<string, { file: SourceFileInfo; node: ts.Node }>();
  private readonly processed = new Set<string>();
  private readonly processedKeys = new Set<string>();
  readonly routes: PendingRoute[] = [];
  /** `decorateRequest('isAdmin', fn)`: request methods a hook may call. */
  private readonly requestDecorators = new Map<string, DecoratorEntry>();
  readonly scopes: Scope[] = [];
  /** The contexts each instance binding was read into. */
  private readonly visits = new Map<string, Scope[]>();
  private nextId = 0;

  constructor(project: AnalysisProject) {
    this.project = project;
  }

  index(files: readonly SourceFileInfo[]): void {
    for (const file of files) {
      for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || !INSTANCE_METHODS.has(callee.name.text)) continue;
        // `map.get(key)`, `set.delete(x)`: a route shorthand always has a URL and a handler or options.
        if (Object.hasOwn(FASTIFY_ROUTE_SHORTHANDS, callee.name.text) && call.arguments.length < 2) continue;
        const base = getReceiverBase(callee.expression);
        if (!base) continue;
        const decl = resolveDeclaration(this.project, file, base);
        if (!decl) continue;
        const key = nodeKey(decl.file, decl.node);
        this.decls.set(key, decl);
        const list = this.calls.get(key) ?? [];
        list.push({ file, call, method: callee.name.text });
        this.calls.set(key, list);
      }
    }
  }

  newScope(parent: Scope | undefined, prefix: string, prefixResolved: boolean, app: string, mount?: MountLocation, owner?: string): Scope {
    const scope: Scope = {
      id: this.nextId++,
      prefix,
      prefixResolved,
      hooks: [],
      onRoute: [],
      decorators: new Map(),
      plugins: new Set(),
      app,
      listeners: [],
      ...(parent ? { parent } : {}),
      ...(mount ? { mount } : {}),
      ...(owner ? { owner } : {}),
    };
    this.scopes.push(scope);
    return scope;
  }

  /** Roots: variables initialised with `Fastify(...)`. */
  findRoots(files: readonly SourceFileInfo[]): Array<{ file: SourceFileInfo; decl: ts.VariableDeclaration }> {
    const roots: Array<{ file: SourceFileInfo; decl: ts.VariableDeclaration }> = [];
    for (const file of files) {
      if (!/\bfastify\b/i.test(file.text)) continue;
      for (const decl of findAll(file.sourceFile, ts.isVariableDeclaration)) {
        if (decl.initializer && ts.isIdentifier(decl.name) && isFastifyFactory(this.project, file, decl.initializer)) roots.push({ file, decl });
      }
    }
    return roots;
  }

  /** Reads every call made on one instance binding into `scope` (fastify-plugin children share it). */
  processInstance(instanceKey: string, scope: Scope, depth: number): void {
    const visitKey = `${instanceKey}@${scope.id}`;
    if (this.processed.has(visitKey) || depth > MAX_PLUGIN_DEPTH) return;
    this.processed.add(visitKey);
    this.processedKeys.add(instanceKey);
    this.visits.set(instanceKey, [...(this.visits.get(instanceKey) ?? []), scope]);
    for (const entry of this.calls.get(instanceKey) ?? []) this.processCall(entry, scope, depth);
    this.processHelperCalls(instanceKey, scope, depth);
  }

  /** `registerRoutes(app)`: a local function that receives the instance adds to the same context. */
  private processHelperCalls(instanceKey: string, scope: Scope, depth: number): void {
    const decl = this.decls.get(instanceKey);
    if (!decl) return;
    const name = ts.isParameter(decl.node) || ts.isVariableDeclaration(decl.node) ? decl.node.name.getText(decl.file.sourceFile) : undefined;
    if (!name) return;
    let home: ts.Node = decl.node;
    while (home.parent && !ts.isFunctionLike(home) && !ts.isSourceFile(home)) home = home.parent;
    for (const call of findAll(home, ts.isCallExpression)) {
      if (ts.isPropertyAccessExpression(call.expression) && INSTANCE_METHODS.has(call.expression.name.text)) continue;
      const index = call.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === name);
      if (index < 0) continue;
      const arg = call.arguments[index] as ts.Identifier;
      const argDecl = resolveDeclaration(this.project, decl.file, arg);
      if (!argDecl || nodeKey(argDecl.file, argDecl.node) !== instanceKey) continue;
      const target = this.resolvePlugin(decl.file, call.expression, 0);
      const param = target.kind === 'function' ? target.fn.parameters[index] : undefined;
      if (target.kind === 'function' && param) this.processInstance(nodeKey(target.file, param), scope, depth + 1);
    }
  }

  /** First parameters of functions that receive calls like an instance but were never reached from a root. */
  getUnprocessedPluginParams(): Array<{ key: string; file: SourceFileInfo; node: ts.ParameterDeclaration }> {
    const result: Array<{ key: string; file: SourceFileInfo; node: ts.ParameterDeclaration }> = [];
    for (const [key, decl] of this.decls) {
      if (this.processedKeys.has(key) || !ts.isParameter(decl.node) || !isFunctionNode(decl.node.parent) || decl.node.parent.parameters[0] !== decl.node) continue;
      result.push({ key, file: decl.file, node: decl.node });
    }
    return result.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.node.pos - b.node.pos));
  }

  /**
   * Drops the routes read from a plugin taken as a root of its own when another root registers it after all: plugins
   * without a visible registration are read in file order, so `follow/index.js` is read alone (prefix unknown) before
   * `index.js` registers it with `{ prefix: '/api/follow' }`, and each of its routes would be listed twice.
   */
  dropRegisteredRoots(roots: ReadonlyArray<{ key: string; scope: Scope }>): void {
    const superseded = new Set(roots.filter(({ key, scope }) => (this.visits.get(key) ?? []).some((s) => rootOf(s) !== scope)).map((r) => r.scope));
    if (superseded.size === 0) return;
    const kept = this.routes.filter((route) => !superseded.has(rootOf(route.scope)));
    this.routes.splice(0, this.routes.length, ...kept);
  }

  hasInstance(key: string): boolean {
    return this.calls.has(key);
  }

  isProcessed(key: string): boolean {
    return this.processedKeys.has(key);
  }

  private processCall({ file, call, method }: InstanceCall, scope: Scope, depth: number): void {
    const args = call.arguments;
    if (Object.hasOwn(FASTIFY_ROUTE_SHORTHANDS, method)) {
      this.addShorthandRoute(file, call, method, scope);
    } else if (method === 'route' && args[0]) {
      const list = this.getIteratedList(file, args[0]);
      if (list) {
        for (const item of list.items) if (item.kind === 'object') this.addRouteObject(item.file, item.node as ts.Expression, item, scope);
      } else {
        this.addRouteObject(file, call, evaluate(this.project, file, args[0]), scope);
      }
    } else if (method === 'addHook' && args[0] && args[1]) {
      const name = evaluate(this.project, file, args[0]);
      if (name.kind !== 'string') return;
      if ((FASTIFY_REQUEST_HOOKS as readonly string[]).includes(name.value)) {
        scope.hooks.push({ hook: name.value as FastifyRequestHook, file, expr: args[1], via: scope });
      } else if (name.value === 'onRoute') {
        const fn = this.resolveFunction(file, args[1]);
        if (fn) scope.onRoute.push({ ...fn, via: scope });
      }
    } else if (method === 'decorateRequest' && args[0] && args[1]) {
      const name = evaluate(this.project, file, args[0]);
      if (name.kind === 'string') this.requestDecorators.set(name.value, { file, expr: args[1], via: scope });
    } else if (method === 'decorate' && args[0] && args[1]) {
      const name = evaluate(this.project, file, args[0]);
      if (name.kind === 'string') scope.decorators.set(name.value, { file, expr: args[1], via: scope });
    } else if (method === 'register' && args[0]) {
      this.processRegister(file, call, scope, depth);
    } else if (method === 'listen') {
      const [first, second] = args;
      let address = first ? first.getText(file.sourceFile) : '';
      const options = first ? evaluate(this.project, file, first) : undefined;
      if (options?.kind === 'object') {
        const host = options.props.get('host');
        const port = options.props.get('port');
        address = (host ?? port)?.node.getText((host ?? port)?.file.sourceFile) ?? address;
      } else if (second) address = second.getText(file.sourceFile);
      const root = rootOf(scope);
      root.listeners.push({ ...locate(file, call), name: root.app, address });
    }
  }

  private resolveFunction(file: SourceFileInfo, expr: ts.Expression): { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration } | undefined {
    const plugin = this.resolvePlugin(file, expr, 0);
    return plugin.kind === 'function' ? { file: plugin.file, fn: plugin.fn } : undefined;
  }

  resolvePlugin(file: SourceFileInfo, input: ts.Expression, depth: number): ResolvedPlugin {
    if (depth > 8) return { kind: 'unknown', fp: false };
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.resolvePlugin(file, expr.expression, depth + 1);
    if (isFunctionNode(expr)) return { kind: 'function', file, fn: expr, fp: false, ...(expr.name ? { name: expr.name.getText(file.sourceFile) } : {}) };
    if (ts.isCallExpression(expr)) {
      const dynamic = expr.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(expr.expression) && expr.expression.text === 'require');
      const spec = expr.arguments[0];
      if (dynamic && spec && ts.isStringLiteralLike(spec)) {
        const target = this.project.resolveImport(file, spec.text);
        if (!target) return { kind: 'external', module: spec.text, fp: false };
        return this.resolveModuleDefault(target, depth);
      }
      const origin = resolveOrigin(this.project, file, expr.expression);
      if (origin.kind === 'external' && FASTIFY_PLUGIN_WRAPPERS.has(origin.module) && expr.arguments[0]) {
        return { ...this.resolvePlugin(file, expr.arguments[0], depth + 1), fp: true };
      }
      return { kind: 'unknown', fp: false };
    }
    if (ts.isIdentifier(expr)) {
      const decl = resolveDeclaration(this.project, file, expr);
      if (!decl) {
        const origin = resolveOrigin(this.project, file, expr);
        return origin.kind === 'external' ? { kind: 'external', module: origin.module, fp: false } : { kind: 'unknown', fp: false };
      }
      const fp = hasSkipOverride(decl.file, expr.text);
      if (ts.isSourceFile(decl.node)) return this.resolveModuleDefault(decl.file, depth);
      if (isFunctionNode(decl.node)) {
        return { kind: 'function', file: decl.file, fn: decl.node, fp, name: expr.text };
      }
      if (ts.isVariableDeclaration(decl.node) && decl.node.initializer) {
        const inner = this.resolvePlugin(decl.file, decl.node.initializer, depth + 1);
        return inner.kind === 'function' ? { ...inner, fp: inner.fp || fp, name: inner.name ?? expr.text } : inner;
      }
      if (ts.isObjectLiteralExpression(decl.node)) {
        // `module.exports = { registerRoutes }` seen through a destructured require
        const member = decl.node.properties.find((p) => p.name !== undefined && getPropertyName(p.name) === expr.text);
        if (member && ts.isShorthandPropertyAssignment(member)) return this.resolvePlugin(decl.file, member.name, depth + 1);
        if (member && ts.isPropertyAssignment(member)) return this.resolvePlugin(decl.file, member.initializer, depth + 1);
        if (member && ts.isMethodDeclaration(member)) return { kind: 'function', file: decl.file, fn: member, fp: false, name: expr.text };
        return { kind: 'unknown', fp: false };
      }
      if (ts.isExpression(decl.node)) return this.resolvePlugin(decl.file, decl.node, depth + 1);
      return { kind: 'unknown', fp: false };
    }
    if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'default') return this.resolvePlugin(file, expr.expression, depth + 1);
    return { kind: 'unknown', fp: false };
  }

  private resolveModuleDefault(target: SourceFileInfo, depth: number): ResolvedPlugin {
    const resolved = resolveExport(this.project, target, 'default');
    if (resolved.kind === 'expression') return this.resolvePlugin(resolved.file, resolved.node, depth + 1);
    if (resolved.kind === 'declaration') {
      if (isFunctionNode(resolved.node)) {
        const name = ts.isFunctionDeclaration(resolved.node) ? resolved.node.name?.text : undefined;
        return { kind: 'function', file: resolved.file, fn: resolved.node, fp: name ? hasSkipOverride(resolved.file, name) : false, ...(name ? { name } : {}) };
      }
      if (ts.isVariableDeclaration(resolved.node) && resolved.node.initializer) {
        const inner = this.resolvePlugin(resolved.file, resolved.node.initializer, depth + 1);
        const name = resolved.node.name.getText(resolved.file.sourceFile);
        return inner.kind === 'function' ? { ...inner, fp: inner.fp || hasSkipOverride(resolved.file, name), name: inner.name ?? name } : inner;
      }
    }
    if (resolved.kind === 'external') return { kind: 'external', module: resolved.module, fp: false };
    return { kind: 'unknown', fp: false };
  }

  private processRegister(file: SourceFileInfo, call: ts.CallExpression, scope: Scope, depth: number): void {
    const [pluginArg, optionsArg] = call.arguments;
    if (!pluginArg) return;
    const plugin = this.resolvePlugin(file, pluginArg, 0);
    const options = optionsArg ? evaluate(this.project, file, optionsArg) : undefined;
    if (plugin.kind === 'external') {
      this.registerExternal(file, call, plugin.module, options, scope, depth);
      return;
    }
    if (plugin.kind !== 'function') return;
    const param = plugin.fn.parameters[0];
    if (!param) return;
    const instanceKey = nodeKey(plugin.file, param);
    if (plugin.fp) {
      this.processInstance(instanceKey, scope, depth + 1);
      return;
    }
    const prefixValue = options?.kind === 'object' ? options.props.get('prefix') : undefined;
    let prefix = '';
    let resolved = true;
    if (prefixValue) {
      const alternatives = getAlternatives(prefixValue);
      const only = alternatives.length === 1 ? alternatives[0] : undefined;
      if (only?.kind === 'string') prefix = only.value;
      else if (only?.kind === 'env' && only.fallback?.kind === 'string') {
        prefix = only.fallback.value;
        resolved = false;
      } else {
        prefix = UNRESOLVED_SEGMENT;
        resolved = false;
      }
    } else if (options && options.kind !== 'object') {
      resolved = options.kind === 'undefined';
    }
    const mount: MountLocation = { ...locate(file, call), prefix };
    const child = this.newScope(scope, prefix, resolved, scope.app, mount, plugin.name ?? path.posix.basename(plugin.file.relPath).replace(/\.[cm]?[jt]sx?$/, ''));
    this.processInstance(instanceKey, child, depth + 1);
  }

  private registerExternal(file: SourceFileInfo, call: ts.CallExpression, module: string, options: Value | undefined, scope: Scope, depth: number): void {
    scope.plugins.add(module);
    const hookPlugin = FASTIFY_HOOK_PLUGINS.find((p) => p.module === module);
    if (hookPlugin) {
      const disabled = hookPlugin.disabledBy && options?.kind === 'object' ? options.props.get(hookPlugin.disabledBy.option) : undefined;
      if (!(disabled?.kind === 'boolean' && disabled.value === hookPlugin.disabledBy?.value)) {
        scope.hooks.push({ hook: hookPlugin.hook, file, expr: call, via: scope, library: { module, reason: hookPlugin.reason } });
      }
    }
    if (FASTIFY_AUTOLOAD.has(module) && options?.kind === 'object') this.registerAutoload(file, call, options, scope, depth);
  }

  /** @fastify/autoload: every file under `dir` is a plugin; sub-folders add their name as a prefix. */
  private registerAutoload(file: SourceFileInfo, call: ts.CallExpression, options: Extract<Value, { kind: 'object' }>, scope: Scope, depth: number): void {
    const dirValue = options.props.get('dir');
    const dir = dirValue ? this.readDirectory(dirValue) : undefined;
    if (!dir) return;
    const base = path.resolve(path.dirname(file.path), dir);
    const optionPrefix = options.props.get('options');
    const extraPrefix = optionPrefix?.kind === 'object' && optionPrefix.props.get('prefix')?.kind === 'string' ? (optionPrefix.props.get('prefix') as { value: string }).value : '';
    const dirNamePrefix = options.props.get('dirNameRoutePrefix');
    const useDirNames = !(dirNamePrefix?.kind === 'boolean' && !dirNamePrefix.value);
    const flag = (name: string) => {
      const v = options.props.get(name);
      return v?.kind === 'boolean' && v.value;
    };
    const autoHooks = flag('autoHooks');
    const cascadeHooks = flag('cascadeHooks');
    const hookFiles = new Map<string, string>();
    if (autoHooks) {
      for (const target of this.project.files()) {
        if (!target.path.startsWith(base + path.sep) || !AUTOHOOKS_FILE.test(path.basename(target.path))) continue;
        const plugin = this.resolveModuleDefault(target, 0);
        if (plugin.kind === 'function' && plugin.fn.parameters[0]) hookFiles.set(path.dirname(target.path), nodeKey(plugin.file, plugin.fn.parameters[0]));
      }
    }
    for (const target of this.project.files()) {
      if (!target.path.startsWith(base + path.sep) || target.isTestFile || (autoHooks && AUTOHOOKS_FILE.test(path.basename(target.path)))) continue;
      const relDir = path.relative(base, path.dirname(target.path)).split(path.sep).filter((s) => s !== '');
      const plugin = this.resolveModuleDefault(target, 0);
      if (plugin.kind !== 'function' || !plugin.fn.parameters[0]) continue;
      const instanceKey = nodeKey(plugin.file, plugin.fn.parameters[0]);
      if (plugin.fp) {
        this.processInstance(instanceKey, scope, depth + 1);
        continue;
      }
      const autoPrefix = this.readAutoPrefix(target);
      const dirPrefix = useDirNames ? relDir.map((s) => (s.startsWith('_') ? `:${s.slice(1)}` : s)).join('/') : '';
      const prefix = joinPaths(extraPrefix, dirPrefix, autoPrefix ?? '');
      const mount: MountLocation = { ...locate(file, call), prefix };
      const child = this.newScope(scope, prefix, true, scope.app, mount, plugin.name ?? path.posix.basename(target.relPath).replace(/\.[cm]?[jt]sx?$/, ''));
      // autoHooks: the folder's autohooks file is applied to each of its plugins (and, with cascadeHooks, to sub-folders).
      for (let dir = path.dirname(target.path); dir.length >= base.length; dir = path.dirname(dir)) {
        const hooksKey = hookFiles.get(dir);
        if (hooksKey && (cascadeHooks || dir === path.dirname(target.path))) this.processInstance(hooksKey, child, depth + 1);
        if (dir === base) break;
      }
      this.processInstance(instanceKey, child, depth + 1);
    }
  }

  private readAutoPrefix(target: SourceFileInfo): string | undefined {
    const resolved = resolveExport(this.project, target, 'autoPrefix');
    const expr =
      resolved.kind === 'declaration' && ts.isVariableDeclaration(resolved.node) ? resolved.node.initializer : resolved.kind === 'expression' ? resolved.node : undefined;
    if (!expr || resolved.kind === 'unknown' || resolved.kind === 'external') return undefined;
    const value = evaluate(this.project, resolved.file, expr);
    return value.kind === 'string' ? value.value : undefined;
  }

  /** `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'plugins')`, `fileURLToPath(new URL('routes', import.meta.url))`. */
  private readDirectory(value: Value): string | undefined {
    const node = value.node;
    if (value.kind === 'string') return value.value;
    const texts: string[] = [];
    walk(node, (n) => {
      if (ts.isStringLiteralLike(n)) texts.push(n.text);
    });
    if (texts.length === 0) return undefined;
    return path.join(...texts.map((t) => t.replace(/^\.\//, '')));
  }

  private addShorthandRoute(file: SourceFileInfo, call: ts.CallExpression, method: string, scope: Scope): void {
    const [urlArg, second, third] = call.arguments;
    if (!urlArg) return;
    const url = evaluate(this.project, file, urlArg);
    const options = second && third ? evaluate(this.project, file, second) : second && !isFunctionLikeExpr(second) ? evaluate(this.project, file, second) : undefined;
    const handler = third ?? (second && isFunctionLikeExpr(second) ? second : undefined);
    const urlString = url.kind === 'string' ? url.value : describeUnresolvedPath(urlArg);
    this.routes.push({
      scope,
      file,
      call,
      methods: [...(FASTIFY_ROUTE_SHORTHANDS[method] ?? ['ALL'])],
      url: urlString,
      urlResolved: url.kind === 'string',
      ...(options?.kind === 'object' ? { options } : {}),
      ...(handler ? { handler, handlerFile: file } : options?.kind === 'object' && options.props.get('handler') ? { handler: options.props.get('handler')?.node, handlerFile: options.props.get('handler')?.file } : {}),
    });
  }

  /** `routes.forEach((route) => fastify.route(route))` / `for (const route of routes) fastify.route(route)`: the evaluated list. */
  private getIteratedList(file: SourceFileInfo, arg: ts.Expression): Extract<Value, { kind: 'array' }> | undefined {
    const id = skipOuterExpressions(arg);
    if (!ts.isIdentifier(id)) return undefined;
    const decl = resolveDeclaration(this.project, file, id);
    if (!decl) return undefined;
    let listExpr: ts.Expression | undefined;
    if (ts.isParameter(decl.node) && isFunctionNode(decl.node.parent) && decl.node.parent.parameters[0] === decl.node) {
      const call = decl.node.parent.parent;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ['forEach', 'map'].includes(call.expression.name.text)) {
        listExpr = call.expression.expression;
      }
    } else if (ts.isVariableDeclaration(decl.node) && ts.isVariableDeclarationList(decl.node.parent) && ts.isForOfStatement(decl.node.parent.parent)) {
      listExpr = decl.node.parent.parent.expression;
    }
    if (!listExpr) return undefined;
    const value = evaluate(this.project, decl.file, listExpr);
    return value.kind === 'array' ? value : undefined;
  }

  private addRouteObject(file: SourceFileInfo, call: ts.Node, options: Value, scope: Scope): void {
    if (options.kind !== 'object') return;
    const methodValue = options.props.get('method');
    const methods = methodValue
      ? getAlternatives(methodValue).flatMap((v) => (v.kind === 'string' ? [v.value.toUpperCase()] : v.kind === 'array' ? v.items.flatMap((i) => (i.kind === 'string' ? [i.value.toUpperCase()] : [])) : []))
      : [];
    const urlValue = options.props.get('url') ?? options.props.get('path');
    const url = urlValue?.kind === 'string' ? urlValue.value : describeUnresolvedPath(urlValue?.node);
    const handler = options.props.get('handler');
    this.routes.push({
      scope,
      file,
      call,
      methods: methods.length > 0 ? methods : [UNRESOLVED_SEGMENT],
      url,
      urlResolved: urlValue?.kind === 'string',
      options,
      ...(handler ? { handler: handler.node, handlerFile: handler.file } : {}),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Classification of hook values

  private findDecorator(scope: Scope, name: string): DecoratorEntry | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = s.decorators.get(name);
      if (found) return found;
    }
    for (const s of this.scopes) {
      const found = s.decorators.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private hasPlugin(scope: Scope, modules: ReadonlySet<string> | readonly string[]): string | undefined {
    const list = [...modules];
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = list.find((m) => s?.plugins.has(m));
      if (found) return found;
    }
    for (const s of this.scopes) {
      const found = list.find((m) => s.plugins.has(m));
      if (found) return found;
    }
    return undefined;
  }

  /** Is `expr` an instance (`fastify`, `app`, `this`, `request.server`)? */
  private isInstanceExpression(file: SourceFileInfo, expr: ts.Expression): boolean {
    const inner = skipOuterExpressions(expr);
    if (inner.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'server') return true;
    if (!ts.isIdentifier(inner)) return false;
    const decl = resolveDeclaration(this.project, file, inner);
    if (!decl) return false;
    if (this.hasInstance(nodeKey(decl.file, decl.node))) return true;
    if (ts.isParameter(decl.node) && decl.node.parent.parameters[0] === decl.node) {
      const type = decl.node.type?.getText(decl.file.sourceFile) ?? '';
      return /Fastify/.test(type) || /^(?:fastify|app|server|instance|f)$/i.test(inner.text);
    }
    return false;
  }

  classifyHook(file: SourceFileInfo, input: ts.Expression, via: Scope, depth = 0): Array<{ classification: Classification; name: string; file: SourceFileInfo; node: ts.Node }> {
    const expr = skipOuterExpressions(input);
    if (depth > 6) return [{ classification: { kind: 'unknown', reason: 'hook nested too deeply to follow', source: 'unresolved' }, name: getStepName(file, expr), file, node: expr }];
    if (ts.isArrayLiteralExpression(expr)) return expr.elements.flatMap((e) => this.classifyHook(file, e, via, depth + 1));
    if (ts.isIdentifier(expr)) {
      const value = evaluate(this.project, file, expr);
      if (value.kind === 'array' && ts.isArrayLiteralExpression(value.node)) return this.classifyHook(value.file, value.node, via, depth + 1);
    }
    const name = getHookName(file, expr);
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && this.isInstanceExpression(file, expr.expression.expression)) {
      const method = expr.expression.name.text;
      const listed = expr.arguments[0] !== undefined && ts.isArrayLiteralExpression(skipOuterExpressions(expr.arguments[0]));
      if (method === 'auth' && expr.arguments[0] && (listed || this.hasPlugin(via, FASTIFY_AUTH_COMBINATOR))) return [{ classification: this.classifyAuthCombinator(file, expr, via, depth), name, file, node: expr }];
    }
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && ts.isPropertyAccessExpression(expr.expression.expression)) {
      const inner = expr.expression.expression;
      const known = FASTIFY_AUTHORIZATION_CALLS.find((k) => k.decorator === inner.name.text && k.methods.includes((expr.expression as ts.PropertyAccessExpression).name.text));
      if (known && this.isInstanceExpression(file, inner.expression) && this.hasPlugin(via, [known.module])) {
        return [{ classification: { kind: 'authorization', reason: known.reason, source: 'library', library: known.module }, name, file, node: expr }];
      }
    }
    if (ts.isPropertyAccessExpression(expr) && this.isInstanceExpression(file, expr.expression)) {
      const decoratorName = expr.name.text;
      const decorator = this.findDecorator(via, decoratorName);
      if (decorator) {
        const inner = this.classifyHook(decorator.file, decorator.expr, decorator.via, depth + 1);
        return inner.map((c) => ({ ...c, name, file, node: expr, classification: { ...c.classification, reason: `decorator '${decoratorName}': ${c.classification.reason}` } }));
      }
      const known = FASTIFY_PLUGIN_DECORATORS.find((d) => d.decorator === decoratorName && this.hasPlugin(via, [d.module]));
      if (known) return [{ classification: { kind: known.kind, reason: known.reason, source: 'library', library: known.module }, name, file, node: expr }];
    }
    // `fastify.checkRole('USER')`: a decorated middleware factory; the function it returns is the hook.
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && this.isInstanceExpression(file, expr.expression.expression)) {
      const decoratorName = expr.expression.name.text;
      const decorator = this.findDecorator(via, decoratorName);
      const factory = decorator && skipOuterExpressions(decorator.expr);
      if (decorator && factory && (ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))) {
        const returned = getReturnedExpressions(factory).filter((r) => isFunctionLikeExpr(r));
        if (returned.length > 0) {
          return returned
            .flatMap((r) => this.classifyHook(decorator.file, r, decorator.via, depth + 1))
            .map((c) => ({ ...c, name, file, node: expr, classification: { ...c.classification, reason: `decorator factory '${decoratorName}': ${c.classification.reason}` } }));
        }
      }
    }
    const classification = classifyMiddleware(this.project, file, expr);
    const viaRequest = classification.kind === 'neutral' || classification.kind === 'unknown' ? this.classifyRequestDecoratorCalls(file, expr) : undefined;
    return [{ classification: viaRequest ?? this.checkFailOpen(file, expr, classification), name, file, node: expr }];
  }

  /** `(request, reply) => request.isAdmin(reply)` where `isAdmin` comes from `decorateRequest` (followed through `this.x()` calls). */
  private classifyRequestDecoratorCalls(file: SourceFileInfo, expr: ts.Expression): Classification | undefined {
    if (this.requestDecorators.size === 0) return undefined;
    const start = this.resolveFunction(file, expr);
    if (!start) return undefined;
    const results: Array<{ name: string; c: Classification }> = [];
    const seen = new Set<string>();
    const queue: Array<{ file: SourceFileInfo; fn: ts.FunctionLikeDeclaration }> = [start];
    while (queue.length > 0 && seen.size < 8) {
      const current = queue.shift() as { file: SourceFileInfo; fn: ts.FunctionLikeDeclaration };
      for (const call of findAll(current.fn, ts.isCallExpression)) {
        if (!ts.isPropertyAccessExpression(call.expression)) continue;
        const name = call.expression.name.text;
        const decorator = this.requestDecorators.get(name);
        if (!decorator || seen.has(name)) continue;
        seen.add(name);
        const target = this.resolveFunction(decorator.file, decorator.expr);
        if (!target) continue;
        results.push({ name, c: classifyMiddleware(this.project, decorator.file, decorator.expr) });
        queue.push(target);
      }
    }
    const best =
      results.find((r) => r.c.kind === 'authentication' && !r.c.optional) ??
      results.find((r) => r.c.kind === 'authorization') ??
      results.find((r) => r.c.kind === 'authentication') ??
      results.find((r) => r.c.kind === 'unknown');
    if (!best) return undefined;
    return { ...best.c, reason: `calls request decorator '${best.name}': ${best.c.reason}` };
  }

  /** A `jwtVerify()` inside `try` whose `catch` only logs lets unauthenticated requests through. */
  /**
   * Fastify specifics on top of the shared classification: a verification that throws (or whose catch sends
   * the error, `reply.send(err)`) rejects; a catch that only logs, or an early bare `return` when no
   * credential is sent, lets the request continue.
   */
  private checkFailOpen(file: SourceFileInfo, expr: ts.Expression, classification: Classification): Classification {
    if (classification.kind === 'authorization' || (classification.source !== 'body' && classification.source !== 'unresolved')) return classification;
    const fn = this.resolveFunction(file, expr);
    if (!fn) return classification;
    const signals = analyzeBody(this.project, fn.file, fn.fn);
    const skip = findCredentialSkip(fn.file, fn.fn);
    if (signals.verifies.length === 0) {
      if (classification.kind === 'authentication' && skip) {
        return { ...classification, optional: true, reason: `${classification.reason}; '${skip}' returns without rejecting, so requests without a credential continue` };
      }
      return classification;
    }
    const base: Classification =
      classification.kind === 'authentication'
        ? classification
        : { kind: 'authentication', reason: `verifies a credential (${signals.verifies.join(', ')}) in a hook`, source: 'body' };
    const { optional: _optional, ...rest } = base;
    if (signals.failsOpen) return { ...rest, optional: true, reason: `${rest.reason}; the catch block lets the request continue` };
    if (skip) return { ...rest, optional: true, reason: `${rest.reason}; '${skip}' returns without rejecting, so requests without a credential continue` };
    // A verification that throws in a Fastify hook, or whose catch sends the error, rejects the request.
    return classification.optional ? { ...rest, reason: `${signals.verifies.join(', ')} in a hook: a failed verification throws or is sent as the reply` } : rest;
  }

  /** @fastify/auth: `fastify.auth([a, b])` passes when one passes (OR, the default); `{ relation: 'and' }` needs all. */
  private classifyAuthCombinator(file: SourceFileInfo, call: ts.CallExpression, via: Scope, depth: number): Classification {
    const optionsArg = call.arguments[1];
    const options = optionsArg ? evaluate(this.project, file, optionsArg) : undefined;
    const relationValue = options?.kind === 'object' ? options.props.get('relation') : undefined;
    const relation = relationValue?.kind === 'string' && relationValue.value === 'and' ? 'and' : 'or';
    const list = skipOuterExpressions(call.arguments[0] as ts.Expression);
    if (!ts.isArrayLiteralExpression(list)) return { kind: 'unknown', reason: '@fastify/auth with a list that could not be read', source: 'unresolved', hint: 'authentication' };
    return this.combine(file, list, relation, via, depth);
  }

  private combine(file: SourceFileInfo, list: ts.ArrayLiteralExpression, relation: 'and' | 'or', via: Scope, depth: number): Classification {
    const parts = list.elements.map((element): { c: Classification; name: string } => {
      const inner = skipOuterExpressions(element);
      if (ts.isArrayLiteralExpression(inner)) return { c: this.combine(file, inner, relation === 'or' ? 'and' : 'or', via, depth + 1), name: getStepName(file, inner) };
      const steps = this.classifyHook(file, inner, via, depth + 1);
      return { c: steps[0]?.classification ?? { kind: 'unknown', reason: 'empty', source: 'unresolved' }, name: getStepName(file, inner) };
    });
    const isAuthn = (c: Classification) => c.kind === 'authentication' && !c.optional;
    const describe = parts.map((p) => `${p.name} (${p.c.kind}${p.c.optional ? ', optional' : ''})`).join(relation === 'or' ? ' OR ' : ' AND ');
    const authorizes = parts.some((p) => p.c.kind === 'authorization' || p.c.authorizes === true);
    if (relation === 'and') {
      if (parts.some((p) => isAuthn(p.c))) return { kind: 'authentication', reason: `@fastify/auth requires all of ${describe}`, source: 'library', library: '@fastify/auth', ...(authorizes ? { authorizes } : {}) };
      if (parts.some((p) => p.c.kind === 'authorization')) return { kind: 'authorization', reason: `@fastify/auth requires all of ${describe}`, source: 'library', library: '@fastify/auth' };
      if (parts.some((p) => p.c.kind === 'unknown')) return { kind: 'unknown', reason: `@fastify/auth requires all of ${describe}`, source: 'unresolved', hint: 'authentication' };
      return { kind: 'neutral', reason: `@fastify/auth requires all of ${describe}`, source: 'library', library: '@fastify/auth' };
    }
    if (parts.length > 0 && parts.every((p) => isAuthn(p.c))) {
      return { kind: 'authentication', reason: `@fastify/auth accepts any of ${describe}`, source: 'library', library: '@fastify/auth', ...(parts.every((p) => p.c.authorizes) ? { authorizes: true } : {}) };
    }
    if (parts.some((p) => p.c.kind === 'unknown')) return { kind: 'unknown', reason: `@fastify/auth accepts any of ${describe}`, source: 'unresolved', hint: 'authentication' };
    if (parts.some((p) => isAuthn(p.c))) {
      return { kind: 'authentication', optional: true, reason: `@fastify/auth accepts any of ${describe}: one alternative lets requests through without a credential`, source: 'library', library: '@fastify/auth' };
    }
    if (parts.some((p) => p.c.kind === 'authorization')) return { kind: 'authorization', reason: `@fastify/auth accepts any of ${describe}`, source: 'library', library: '@fastify/auth' };
    return { kind: 'neutral', reason: `@fastify/auth accepts any of ${describe}`, source: 'library', library: '@fastify/auth' };
  }

  // -------------------------------------------------------------------------------------------
  // onRoute: hooks attached to routes by a route option switch

  private applyOnRoute(route: PendingRoute, entry: OnRouteEntry, markers: PublicMarker[]): Array<{ hook: FastifyRequestHook; steps: ChainStep[] }> {
    const results: Array<{ hook: FastifyRequestHook; steps: ChainStep[] }> = [];
    const param = entry.fn.parameters[0];
    if (!param || !ts.isIdentifier(param.name) || !entry.fn.body) return results;
    const paramName = param.name.text;
    const body = entry.fn.body;
    walk(body, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = node.left;
      if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression) || left.expression.text !== paramName) return;
      const hook = left.name.text as FastifyRequestHook;
      if (!(FASTIFY_REQUEST_HOOKS as readonly string[]).includes(hook)) return;
      const gate = this.getConfigGate(entry.file, node, body, paramName);
      const config = route.options?.kind === 'object' ? route.options.props.get('config') : undefined;
      const flag = gate && config?.kind === 'object' ? config.props.get(gate.key) : undefined;
      const set = flag !== undefined && !(flag.kind === 'boolean' && !flag.value) && flag.kind !== 'null' && flag.kind !== 'undefined';
      if (gate?.optOut && set) {
        markers.push({ ...locate(flag.file, flag.node.parent ?? flag.node), name: `config.${gate.key}`, honoured: true });
        return;
      }
      if (gate && !gate.optOut && !set) return;
      const steps = this.classifyHook(entry.file, node.right, entry.via).map((c) =>
        toChainStep({ ...c.classification, reason: `added by an onRoute hook: ${c.classification.reason}` }, { name: c.name, file: c.file, node: c.node, scope: 'route', phase: hook }),
      );
      results.push({ hook, steps });
    });
    return results;
  }

  /** `if (!routeOptions.config?.public) routeOptions.onRequest = …` (opt-out) or `if (routeOptions.config?.auth) …` (opt-in). */
  private getConfigGate(file: SourceFileInfo, assignment: ts.Node, body: ts.Node, paramName: string): { key: string; optOut: boolean } | undefined {
    const configKey = (expr: ts.Expression): { key: string; negated: boolean } | undefined => {
      let negated = false;
      let inner = skipOuterExpressions(expr);
      while (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
        negated = !negated;
        inner = skipOuterExpressions(inner.operand);
      }
      if (ts.isBinaryExpression(inner) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(inner.operatorToken.kind) && inner.right.kind === ts.SyntaxKind.TrueKeyword) {
        inner = skipOuterExpressions(inner.left);
      }
      const text = inner.getText(file.sourceFile).replace(/\?\./g, '.').replace(/\s+/g, '');
      const match = new RegExp(`^${paramName}\\.config\\.(\\w+)$`).exec(text);
      return match?.[1] ? { key: match[1], negated } : undefined;
    };
    for (let node: ts.Node | undefined = assignment.parent; node && node !== body.parent; node = node.parent) {
      if (ts.isIfStatement(node)) {
        const gate = configKey(node.expression);
        if (gate) return { key: gate.key, optOut: gate.negated };
      }
    }
    if (ts.isBlock(body)) {
      for (const statement of body.statements) {
        if (statement.pos >= assignment.pos) break;
        if (ts.isIfStatement(statement) && (ts.isReturnStatement(statement.thenStatement) || (ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.some(ts.isReturnStatement)))) {
          const gate = configKey(statement.expression);
          if (gate && !gate.negated) return { key: gate.key, optOut: true };
        }
      }
    }
    return undefined;
  }

  /**
   * A context hook that returns early for some routes: `if (request.routeOptions.config?.anonymous) return;`
   * with the route setting that flag, or `if (request.url.startsWith('/api/auth/login')) return;` for a matching path.
   */
  private getHookBypass(route: PendingRoute, fullPath: string, entry: HookEntry): { reason: string; marker?: PublicMarker } | undefined {
    if (entry.library) return undefined;
    const config = route.options?.kind === 'object' ? route.options.props.get('config') : undefined;
    const fn = this.resolveFunction(entry.file, entry.expr);
    if (!fn?.fn.body || !ts.isBlock(fn.fn.body)) return undefined;
    for (const statement of fn.fn.body.statements) {
      if (!ts.isIfStatement(statement)) continue;
      const then = statement.thenStatement;
      const returns = ts.isReturnStatement(then) || (ts.isBlock(then) && then.statements.length === 1 && ts.isReturnStatement(then.statements[0] as ts.Statement));
      if (!returns) continue;
      const text = statement.expression.getText(fn.file.sourceFile).replace(/\?\./g, '.').replace(/\s+/g, '');
      const optIn = /^!\w+\.(?:routeOptions\.config|routeConfig|context\.config)\.(\w+)$/.exec(text)?.[1];
      if (optIn) {
        const value = config?.kind === 'object' ? config.props.get(optIn) : undefined;
        const set = value !== undefined && isStaticallyKnown(value) && isTruthy(value);
        if (!set) return { reason: `skipped for this route: the hook only runs for routes that set config '${optIn}'` };
        continue;
      }
      const key = /^\w+\.(?:routeOptions\.config|routeConfig|context\.config)\.(\w+)(?:===true)?$/.exec(text)?.[1];
      const flag = key && config?.kind === 'object' ? config.props.get(key) : undefined;
      if (key && flag && !(flag.kind === 'boolean' && !flag.value) && flag.kind !== 'null' && flag.kind !== 'undefined') {
        return {
          reason: `skipped for this route: the hook returns early when route config '${key}' is set`,
          marker: { ...locate(flag.file, flag.node.parent ?? flag.node), name: `config.${key}`, honoured: true },
        };
      }
      const url = /^\w+\.(?:url|routerPath|routeOptions\.url|raw\.url)(?:\.startsWith\((['"`])(.*)\1\)|===(['"`])(.*)\3)$/.exec(text);
      if (url) {
        const prefix = url[2];
        const exact = url[4];
        const matches = prefix !== undefined ? fullPath.startsWith(prefix) : fullPath === exact;
        if (matches) {
          return {
            reason: `skipped for this route: the hook returns early for '${prefix ?? exact}'`,
            marker: { ...locate(fn.file, statement.expression), name: `hook exemption '${prefix ?? exact}'`, honoured: true },
          };
        }
      }
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  toRouteFacts(): RouteFact[] {
    const facts: RouteFact[] = [];
    for (const route of this.routes) {
      const ancestors: Scope[] = [];
      for (let s: Scope | undefined = route.scope; s; s = s.parent) ancestors.unshift(s);
      const publicMarkers: PublicMarker[] = [];
      const fullPath = joinPaths(...ancestors.map((s) => s.prefix), route.url);
      const onRouteSteps = ancestors.flatMap((s) => s.onRoute).flatMap((entry) => this.applyOnRoute(route, entry, publicMarkers));
      const chain: ChainStep[] = [];
      for (const hook of FASTIFY_REQUEST_HOOKS) {
        for (const scope of ancestors) {
          for (const entry of scope.hooks.filter((h) => h.hook === hook)) {
            if (entry.library) {
              const classification: Classification = { kind: 'authentication', reason: entry.library.reason, source: 'library', library: entry.library.module };
              chain.push(toChainStep(classification, { name: entry.library.module, file: entry.file, node: entry.expr, scope: scope.parent ? 'plugin' : 'global', phase: hook }));
              continue;
            }
            const bypass = this.getHookBypass(route, fullPath, entry);
            if (bypass?.marker) publicMarkers.push(bypass.marker);
            for (const c of this.classifyHook(entry.file, entry.expr, entry.via)) {
              const classification: Classification = bypass ? { kind: 'neutral', reason: bypass.reason, source: 'body' } : c.classification;
              chain.push(toChainStep(classification, { name: c.name, file: c.file, node: c.node, scope: scope.parent ? 'plugin' : 'global', phase: hook }));
            }
          }
        }
        const option = route.options?.kind === 'object' ? route.options.props.get(hook) : undefined;
        if (option) {
          for (const c of this.classifyHook(option.file, option.node as ts.Expression, route.scope)) {
            chain.push(toChainStep(c.classification, { name: c.name, file: c.file, node: c.node, scope: 'route', phase: hook }));
          }
        }
        for (const added of onRouteSteps.filter((s) => s.hook === hook)) chain.push(...added.steps);
      }
      const mounts = ancestors.flatMap((s) => (s.mount && s.prefix !== '' ? [s.mount] : []));
      const root = ancestors[0] as Scope;
      const owner = [...ancestors].reverse().find((s) => s.owner)?.owner;
      for (const method of route.methods.length > 0 ? [route.methods] : [[UNRESOLVED_SEGMENT]]) {
        facts.push({
          ...routeLocation(route.file, route.call),
          framework: 'fastify',
          methods: method,
          path: fullPath,
          pathResolved: route.urlResolved && ancestors.every((s) => s.prefixResolved),
          ...(route.handler && route.handlerFile ? { handler: locate(route.handlerFile, route.handler) } : {}),
          chain,
          publicMarkers,
          mounts,
          ...(owner ? { owner } : {}),
          app: root.app,
          listeners: root.listeners,
          internalReasons: [],
        });
      }
    }
    return facts;
  }
}

/** A readable name for a hook: `request.isAdmin(reply)` for a one-call arrow, `inline hook (autohooks.ts:4)` otherwise. */
function getHookName(file: SourceFileInfo, expr: ts.Expression): string {
  const name = getStepName(file, expr);
  if (!(ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) || expr.name) return name;
  let body: ts.Node = expr.body;
  if (ts.isBlock(body) && body.statements.length === 1) {
    const only = body.statements[0] as ts.Statement;
    if (ts.isExpressionStatement(only)) body = only.expression;
    else if (ts.isReturnStatement(only) && only.expression) body = only.expression;
  }
  if (ts.isAwaitExpression(body)) body = body.expression;
  if (ts.isCallExpression(body)) {
    const text = body.getText(file.sourceFile).replace(/\s+/g, ' ');
    if (text.length <= 60) return text;
  }
  const line = file.sourceFile.getLineAndCharacterOfPosition(expr.getStart(file.sourceFile)).line + 1;
  return `inline hook (${path.posix.basename(file.relPath)}:${line})`;
}

/** `if (!authHeader) return;` in a hook: a request without the credential continues to the handler. */
function findCredentialSkip(file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!fn.body || !ts.isBlock(fn.body)) return undefined;
  for (const statement of fn.body.statements) {
    if (!ts.isIfStatement(statement)) continue;
    const condition = skipOuterExpressions(statement.expression);
    const negated = ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken;
    const text = statement.expression.getText(file.sourceFile);
    if (!negated || !CREDENTIAL_CONDITION.test(text) || /\bconfig\b|routeConfig|\burl\b|routerPath/.test(text)) continue;
    const then = statement.thenStatement;
    const first = ts.isBlock(then) ? (then.statements.length === 1 ? then.statements[0] : undefined) : then;
    if (!first) continue;
    const bare = (ts.isReturnStatement(first) && (!first.expression || skipOuterExpressions(first.expression).kind === ts.SyntaxKind.UndefinedKeyword)) ||
      (ts.isExpressionStatement(first) && ts.isCallExpression(first.expression) && ts.isIdentifier(first.expression.expression) && ['done', 'next'].includes(first.expression.expression.text) && first.expression.arguments.length === 0);
    if (bare) return `if (${text}) ${first.getText(file.sourceFile).replace(/\s+/g, ' ')}`;
  }
  return undefined;
}

function isFunctionLikeExpr(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner);
}

const namesFastifyPackage = defineTextTest('fastify-package', (file: SourceFileInfo) => /['"](?:fastify|@fastify\/[\w-]+|fastify-plugin)['"]/.test(file.text));

/** Every Fastify route of the project, with hooks collected along the encapsulation tree. */
export function extractFastifyRoutes(project: AnalysisProject): RouteFact[] {
  const files = project.files().filter((f) => !f.isTestFile || project.settings.reportTestFiles === true);
  if (!files.some(namesFastifyPackage)) return [];
  const model = new FastifyModel(project);
  model.index(files);
  for (const { file, decl } of model.findRoots(files)) {
    const scope = model.newScope(undefined, '', true, decl.name.getText(file.sourceFile));
    model.processInstance(nodeKey(file, decl), scope, 0);
  }
  // Plugins nobody registers where we can see it (fastify-cli's app.ts, a dynamic list of route modules).
  const imported = getImportedFiles(project, files);
  const pluginRoots: Array<{ key: string; scope: Scope }> = [];
  for (const { key, file, node } of model.getUnprocessedPluginParams()) {
    // An Express/Koa helper `(router) => router.get(…)` in a mixed repository is not a Fastify plugin.
    if (model.isProcessed(key) || !/fastify/i.test(file.text)) continue;
    const fn = node.parent as ts.FunctionLikeDeclaration;
    const isImported = imported.has(file.path);
    const scope = model.newScope(undefined, isImported ? UNRESOLVED_SEGMENT : '', !isImported, node.name.getText(file.sourceFile), undefined, fn.name?.getText(file.sourceFile) ?? path.posix.basename(file.relPath).replace(/\.[cm]?[jt]sx?$/, ''));
    model.processInstance(key, scope, 0);
    pluginRoots.push({ key, scope });
  }
  model.dropRegisteredRoots(pluginRoots);
  return model.toRouteFacts();
}

/** Repository files some other file imports or requires. */
function getImportedFiles(project: AnalysisProject, files: readonly SourceFileInfo[]): Set<string> {
  const imported = new Set<string>();
  for (const file of files) {
    if (!MAYBE_FASTIFY_FILE.test(file.text) && !/\bimport\b|\brequire\(/.test(file.text)) continue;
    for (const binding of project.fileFact(IMPORTS, file).values()) {
      const target = project.resolveImport(file, binding.module);
      if (target) imported.add(target.path);
    }
    for (const statement of file.sourceFile.statements) {
      if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = project.resolveImport(file, statement.moduleSpecifier.text);
        if (target) imported.add(target.path);
      }
    }
    if (/\brequire\(|\bimport\(/.test(file.text)) {
      for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
        const arg = call.arguments[0];
        const dynamic = call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require');
        if (dynamic && arg && ts.isStringLiteralLike(arg)) {
          const target = project.resolveImport(file, arg.text);
          if (target) imported.add(target.path);
        }
      }
    }
  }
  return imported;
}

export const FASTIFY_EXTRACTOR: RouteExtractor = {
  framework: 'fastify',
  extract: extractFastifyRoutes,
};
