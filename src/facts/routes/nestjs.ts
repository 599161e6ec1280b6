import { ts } from '@ts-morph/common';
import { defineProjectFact, textIncludes, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { findAll, indexedNodes } from '../../core/walk.js';
import { defineProjectMemo } from '../../core/project-memo.js';
import { recordOwn } from '../../core/reads.js';
import {
  NEST_COMMON,
  NEST_CORE,
  NEST_KNOWN_GUARDS,
  NEST_NON_HTTP_DECORATORS,
  NEST_PASSPORT,
  NEST_REQUEST_METHODS,
  NEST_ROUTE_DECORATORS,
  PASSPORT_ANONYMOUS_STRATEGIES,
  PASSPORT_CREDENTIAL_STRATEGIES,
} from '../../models/frameworks/nestjs.js';
import { evaluateConfigLookup } from '../config-lookup.js';
import { IMPORTS, isPackageImport, resolveImportedName } from '../imports.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, followLocalModule, getAlternatives, isStaticallyKnown, isTruthy, resolveOrigin, stripDefault, type Origin, type Value } from '../values.js';
import { analyzeBody, getMetadataKeyId, resolveDeclaration, type BodySignals } from './check-body.js';
import { classifyFunction, classifyMiddleware, getStepName, toChainStep, type Classification } from './classify.js';
import {
  NEST_FILE_SUMMARY,
  decoratorCallee,
  getDecorators,
  getExportedFunctions,
  getFunction,
  isNestFile,
  mayCallModule,
  mayNameExport,
  mayNameFunction,
  someRef,
  type NestFileSummary,
} from './nestjs-summary.js';
import { joinPaths } from './paths.js';
import { getServiceKey } from './service.js';
import {
  UNRESOLVED_SEGMENT,
  type ChainStep,
  type ChainStepKind,
  type ChainStepScope,
  type ClassificationSource,
  type MountLocation,
  type ListenerFact,
  type PublicMarker,
  type RouteExtractor,
  type RouteFact,
  type SourceLocation,
} from './types.js';

/** Names commonly given to "skip authentication" decorators; recorded as markers even when no guard reads them. */
const PUBLIC_MARKER_NAMES = /^(?:Public|IsPublic|SkipAuth|SkipAuthentication|AllowAnonymous|Anonymous|NoAuth|PublicRoute|Unprotected|Unauthenticated|OptionalAuth)$/;

function locate(_project: AnalysisProject, file: SourceFileInfo, node: ts.Node): SourceLocation {
  return { file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

function nodeKey(file: SourceFileInfo, node: ts.Node): string {
  return `${file.path}:${node.pos}`;
}

/** `@nestjs/common` export name of a decorator or call, when it is one. */
function getNestExport(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, module = NEST_COMMON): string | undefined {
  // Fast path: a name imported straight from a package (the usual `import { Get } from '@nestjs/common'`).
  const inner = skipOuterExpressions(expr);
  if (ts.isIdentifier(inner)) {
    const binding = project.fileFact(IMPORTS, file).get(inner.text);
    if (binding && binding.imported !== '*' && binding.imported !== 'default' && isPackageImport(project, file, binding.module)) {
      return binding.module === module ? binding.imported : undefined;
    }
  }
  const origin = resolveOrigin(project, file, expr);
  if (origin.kind !== 'external' || origin.module !== module) return undefined;
  const path = stripDefault(origin.path);
  return path.length === 1 ? path[0] : undefined;
}

/** String alternatives of a path argument; `[UNRESOLVED]` when it cannot be read. */
function readPaths(project: AnalysisProject, file: SourceFileInfo, arg: ts.Expression | undefined): { paths: string[]; resolved: boolean } {
  if (!arg) return { paths: [''], resolved: true };
  const value = evaluate(project, file, arg);
  // `setGlobalPrefix(config.get('app.apiPrefix'))`: the prefix the configuration defaults to.
  const configured = value.kind === 'call' && ts.isCallExpression(value.call) ? evaluateConfigLookup(project, value.file, value.call) : undefined;
  return pathsOfValue(configured ?? value);
}

function pathsOfValue(value: Value): { paths: string[]; resolved: boolean } {
  if (value.kind === 'string') return { paths: [value.value], resolved: true };
  if (value.kind === 'undefined') return { paths: [''], resolved: true };
  if (value.kind === 'array' && value.items.length > 0) {
    const parts = value.items.map(pathsOfValue);
    return { paths: parts.flatMap((p) => p.paths), resolved: parts.every((p) => p.resolved) && value.complete };
  }
  if (value.kind === 'object') {
    const path = value.props.get('path');
    return path ? pathsOfValue(path) : { paths: [''], resolved: true };
  }
  if (value.kind === 'env' && value.fallback) {
    const fallback = pathsOfValue(value.fallback);
    return { paths: fallback.paths, resolved: false };
  }
  return { paths: [UNRESOLVED_SEGMENT], resolved: false };
}

// ---------------------------------------------------------------------------------------------
// Decorator expansion: metadata, guards, composites

interface MetadataEntry {
  keyId: string;
  keyLabel: string;
  /** The decorator the user wrote (`@Public()`), for display. */
  decorator: string;
  location: SourceLocation;
  /** Whether the metadata value is set: statically truthy, falsy, or unknown (a parameter). */
  truthy: 'yes' | 'no' | 'maybe';
  /** The values set, normalised (`n:1`, `s:none`, `t:AuthType.None`), when they can be read. */
  values?: string[];
}

/** Arguments a decorator factory was called with, to read `SetMetadata(KEY, types)` where `types` is its parameter. */
interface FactoryBinding {
  fn: ts.SignatureDeclaration;
  args: readonly ts.Expression[];
  file: SourceFileInfo;
}

/** A comparable form of a metadata value or dispatch-map key: its static value, else its text. */
function valueKey(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): string {
  const value = evaluate(project, file, expr);
  if (value.kind === 'string') return `s:${value.value}`;
  if (value.kind === 'number') return `n:${value.value}`;
  return `t:${skipOuterExpressions(expr).getText(file.sourceFile).replace(/\s+/g, '')}`;
}

/** The values of `SetMetadata(KEY, value)`: an array literal's items, or the factory arguments its parameter receives. */
function readMetadataValues(project: AnalysisProject, file: SourceFileInfo, valueArg: ts.Expression | undefined, binding: FactoryBinding | undefined): string[] | undefined {
  if (!valueArg) return undefined;
  const inner = skipOuterExpressions(valueArg);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.filter((e) => !ts.isSpreadElement(e)).map((e) => valueKey(project, file, e));
  if (ts.isIdentifier(inner) && binding) {
    const index = binding.fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === inner.text);
    const param = binding.fn.parameters[index];
    if (param) return (param.dotDotDotToken ? binding.args.slice(index) : binding.args.slice(index, index + 1)).map((a) => valueKey(project, binding.file, a));
  }
  return [valueKey(project, file, inner)];
}

interface GuardRef {
  file: SourceFileInfo;
  expr: ts.Expression;
  /** Where the reference was written by the user (the `@UseGuards` argument or the composite decorator). */
  location: SourceLocation;
}

interface Expansion {
  metadata: MetadataEntry[];
  guards: GuardRef[];
}

function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  return findAll(fn.body, ts.isReturnStatement)
    .filter((r) => r.expression !== undefined && findEnclosingFunction(r) === fn)
    .map((r) => r.expression as ts.Expression);
}

function findEnclosingFunction(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}

/** Guard profiles by the guard expression a `@UseGuards` argument or a global guard names. */
const GUARD_PROFILES = defineProjectMemo<ts.Node, GuardProfile>();

class NestContext {
  readonly project: AnalysisProject;

  constructor(project: AnalysisProject) {
    this.project = project;
  }

  /** Expands one decorator (`@Public()`, `@Auth('admin')`, `@UseGuards(A)`, `@SetMetadata(k, v)`) into metadata and guards. */
  expandDecorator(file: SourceFileInfo, decorator: ts.Decorator): Expansion {
    const out: Expansion = { metadata: [], guards: [] };
    const display = `@${decorator.expression.getText(file.sourceFile).replace(/\s+/g, ' ')}`;
    this.expandExpression(file, skipOuterExpressions(decorator.expression), out, locate(this.project, file, decorator), display, 0, undefined);
    return out;
  }

  private expandExpression(file: SourceFileInfo, expr: ts.Expression, out: Expansion, at: SourceLocation, display: string, depth: number, factory: FactoryBinding | undefined): void {
    if (depth > 6) return;
    const call = ts.isCallExpression(expr) ? expr : undefined;
    const callee = call ? call.expression : expr;
    const args = call ? call.arguments : [];
    const nest = getNestExport(this.project, file, callee);
    if (nest === 'SetMetadata') {
      const [keyArg, valueArg] = args;
      const key = keyArg && getMetadataKeyId(this.project, file, keyArg);
      const values = readMetadataValues(this.project, file, valueArg, factory);
      if (key) out.metadata.push({ keyId: key.id, keyLabel: key.label, decorator: display, location: at, truthy: isTruthyArg(this.project, file, valueArg), ...(values ? { values } : {}) });
      return;
    }
    if (nest === 'UseGuards') {
      for (const arg of args) out.guards.push({ file, expr: arg, location: depth === 0 ? locate(this.project, file, arg) : at });
      return;
    }
    if (nest === 'applyDecorators') {
      for (const arg of args) this.expandExpression(file, skipOuterExpressions(arg), out, at, display, depth + 1, factory);
      return;
    }
    if (nest !== undefined) return;
    const id = skipOuterExpressions(callee);
    // A decorator imported from a package other than Nest's (`@ApiResponse`, `@Field`) sets no guard or auth metadata we model.
    const binding = ts.isIdentifier(id) ? this.project.fileFact(IMPORTS, file).get(id.text) : undefined;
    if (binding && isPackageImport(this.project, file, binding.module)) return;
    const resolved = ts.isIdentifier(id) ? resolveDeclaration(this.project, file, id) : undefined;
    if (!resolved) return;
    const decl = resolved.node;
    const declFile = resolved.file;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipOuterExpressions(decl.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const bound = call ? { fn: init, args: call.arguments, file } : undefined;
        for (const ret of returnedExpressions(init)) this.expandExpression(declFile, skipOuterExpressions(ret), out, at, display, depth + 1, bound);
      } else if (ts.isCallExpression(init) && isCreateDecorator(this.project, declFile, init)) {
        out.metadata.push({ keyId: `decl:${declFile.path}:${decl.pos}`, keyLabel: decl.name.getText(declFile.sourceFile), decorator: display, location: at, truthy: 'yes' });
      } else {
        this.expandExpression(declFile, init, out, at, display, depth + 1, factory);
      }
    } else if (ts.isFunctionDeclaration(decl)) {
      const bound = call ? { fn: decl, args: call.arguments, file } : undefined;
      for (const ret of returnedExpressions(decl)) this.expandExpression(declFile, skipOuterExpressions(ret), out, at, display, depth + 1, bound);
    }
  }

  getGuardProfile(ref: GuardRef): GuardProfile {
    // Shared by the controllers' units (a guard applied by a composite decorator is one node for all of them), each
    // entry with what its own computation read.
    const memo = GUARD_PROFILES(this.project);
    const known = memo.get(ref.expr);
    if (known) return known;
    return recordOwn(() => {
      const profile = this.computeGuardProfile(ref.file, skipOuterExpressions(ref.expr), 0);
      memo.set(ref.expr, profile);
      return profile;
    });
  }

  private computeGuardProfile(file: SourceFileInfo, expr: ts.Expression, depth: number): GuardProfile {
    const name = guardDisplayName(file, expr);
    if (depth > 5) return unknownProfile(name, 'guard could not be resolved');
    if (ts.isNewExpression(expr)) return this.computeGuardProfile(file, skipOuterExpressions(expr.expression), depth + 1);
    // `{ provide: APP_GUARD, useFactory: (reflector) => new JwtAuthGuard(reflector) }`
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) {
      const [returned] = returnedExpressions(expr);
      return returned ? this.computeGuardProfile(file, skipOuterExpressions(returned), depth + 1) : unknownProfile(name, 'guard factory returns nothing readable');
    }
    if (ts.isCallExpression(expr)) {
      const passport = getNestExport(this.project, file, expr.expression, NEST_PASSPORT);
      if (passport === 'AuthGuard') return { ...passportProfile(this.project, file, expr), name };
      const origin = resolveOrigin(this.project, file, expr.expression);
      const mixin = origin.kind === 'local' ? findMixinClass(origin.node) : undefined;
      if (mixin && origin.kind === 'local') return { ...this.profileOfClass(origin.file, mixin, depth + 1), name };
      // `export function AuthGuard(options) { …; return NestAuthGuard(strategies) }`
      const factory = origin.kind === 'local' && origin.path.length === 0 ? getFunction(origin.node) : undefined;
      if (factory && origin.kind === 'local') {
        for (const ret of returnedExpressions(factory)) {
          const inner = skipOuterExpressions(ret);
          if (ts.isCallExpression(inner) || ts.isIdentifier(inner) || ts.isNewExpression(inner)) {
            const profile = this.computeGuardProfile(origin.file, inner, depth + 1);
            if (profile.kind !== 'unknown') return { ...profile, name };
          }
        }
      }
      return unknownProfile(name, 'guard factory could not be resolved');
    }
    const origin = resolveOrigin(this.project, file, expr);
    return this.profileOfOrigin(origin, name, depth);
  }

  private profileOfOrigin(origin: Origin, name: string, depth: number): GuardProfile {
    const configured = this.configuredKind(name);
    if (configured) return configured;
    if (origin.kind === 'external') {
      const exportName = stripDefault(origin.path)[0];
      const known = NEST_KNOWN_GUARDS.find((g) => g.module === origin.module && g.name === exportName);
      if (known) return { ...baseProfile(name), kind: known.kind, reason: known.reason, source: 'library', library: origin.module };
      return { ...unknownProfile(name, `guard '${exportName ?? name}' from '${origin.module}' is not modelled`), library: origin.module, source: 'unresolved' };
    }
    if (origin.kind === 'local' && origin.path.length === 0 && ts.isClassLike(origin.node)) {
      return { ...this.profileOfClass(origin.file, origin.node, depth + 1), name };
    }
    return unknownProfile(name, 'guard could not be resolved');
  }

  private configuredKind(name: string): GuardProfile | undefined {
    const settings = this.project.settings;
    if (settings.authenticationMiddleware?.includes(name)) {
      return { ...baseProfile(name), kind: 'authentication', reason: `configured as authentication ('${name}')`, source: 'configured' };
    }
    if (settings.authorizationMiddleware?.includes(name)) {
      return { ...baseProfile(name), kind: 'authorization', reason: `configured as authorization ('${name}')`, source: 'configured' };
    }
    return undefined;
  }

  private readonly classProfiles = new Map<string, GuardProfile>();

  private profileOfClass(file: SourceFileInfo, cls: ts.ClassLikeDeclaration, depth: number): GuardProfile {
    const key = nodeKey(file, cls);
    let profile = this.classProfiles.get(key);
    if (!profile) {
      profile = this.computeClassProfile(file, cls, depth);
      this.classProfiles.set(key, profile);
    }
    return profile;
  }

  /**
   * A guard that picks other guards from a map by route metadata and calls their canActivate
   * (`types.map((t) => this.guardMap[t])`, then `Promise.resolve(g.canActivate(ctx))`): authentication when every
   * guard it can pick authenticates or always allows; map keys whose guards always allow open the routes that select them.
   */
  private dispatchProfile(file: SourceFileInfo, cls: ts.ClassLikeDeclaration, canActivate: ts.MethodDeclaration, signals: BodySignals, name: string, depth: number): GuardProfile | undefined {
    const read = signals.metadataReads[0];
    if (!read) return undefined;
    const delegates = findAll(canActivate, ts.isCallExpression).some((c) => {
      const callee = skipOuterExpressions(c.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'canActivate') return false;
      const receiver = skipOuterExpressions(callee.expression).kind;
      return receiver !== ts.SyntaxKind.ThisKeyword && receiver !== ts.SyntaxKind.SuperKeyword;
    });
    if (!delegates) return undefined;
    const mapNames = new Set(
      findAll(canActivate, ts.isElementAccessExpression).flatMap((e) => {
        const target = skipOuterExpressions(e.expression);
        return ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword ? [target.name.text] : [];
      }),
    );
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    const open = new Set<string>();
    const names: string[] = [];
    let resolved = true;
    for (const member of cls.members) {
      if (!ts.isPropertyDeclaration(member) || !member.initializer || !mapNames.has(getPropertyName(member.name) ?? '')) continue;
      const init = skipOuterExpressions(member.initializer);
      if (!ts.isObjectLiteralExpression(init)) continue;
      for (const prop of init.properties) {
        if (!ts.isPropertyAssignment(prop)) {
          resolved = false;
          continue;
        }
        const key = ts.isComputedPropertyName(prop.name) ? valueKey(this.project, file, prop.name.expression) : `s:${getPropertyName(prop.name) ?? ''}`;
        const value = skipOuterExpressions(prop.initializer);
        const items = ts.isArrayLiteralExpression(value) ? value.elements.map((e) => skipOuterExpressions(e as ts.Expression)) : [value];
        let allOpen = items.length > 0;
        for (const item of items) {
          if (isAlwaysAllowGuard(item)) continue;
          allOpen = false;
          const delegate = this.injectedGuardProfile(file, ctor, item, depth);
          if (delegate?.kind === 'authentication' && !delegate.optional) names.push(delegate.name);
          else resolved = false;
        }
        if (allOpen) open.add(key);
      }
    }
    if (!resolved || names.length === 0) return undefined;
    return {
      ...baseProfile(name),
      kind: 'authentication',
      reason: `canActivate dispatches by '${read.keyLabel}' metadata to ${[...new Set(names)].join(', ')}`,
      dispatch: { keyId: read.keyId, keyLabel: read.keyLabel, levels: read.levels, openValues: open },
    };
  }

  /** `this.accessTokenGuard` where the constructor injects `accessTokenGuard: AccessTokenGuard`. */
  private injectedGuardProfile(file: SourceFileInfo, ctor: ts.ConstructorDeclaration | undefined, item: ts.Expression, depth: number): GuardProfile | undefined {
    if (!ctor || !ts.isPropertyAccessExpression(item) || item.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    const param = ctor.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === item.name.text);
    const type = param?.type;
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    const decl = resolveDeclaration(this.project, file, type.typeName);
    if (!decl || !ts.isClassDeclaration(decl.node) || depth > 4) return undefined;
    return this.profileOfClass(decl.file, decl.node, depth + 1);
  }

  private computeClassProfile(file: SourceFileInfo, cls: ts.ClassLikeDeclaration, depth: number): GuardProfile {
    const name = cls.name?.text ?? 'anonymous guard';
    const configured = this.configuredKind(name);
    if (configured) return configured;
    let base: GuardProfile | undefined;
    const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (heritage) base = this.computeGuardProfile(file, skipOuterExpressions(heritage.expression), depth + 1);
    const canActivate = findMethod(cls, 'canActivate');
    const handleRequest = findMethod(cls, 'handleRequest');
    let profile: GuardProfile = base ? { ...base, name, metadataReads: [...base.metadataReads] } : { ...baseProfile(name), kind: 'unknown', reason: 'guard without a canActivate method' };
    if (canActivate) {
      const signals = analyzeBody(this.project, file, canActivate, { guard: true });
      const callsSuper = callsSuperCanActivate(cls, canActivate, 0);
      if (!base || !callsSuper) profile = { ...profileFromSignals(name, signals), metadataReads: [] };
      profile.metadataReads.push(...signals.metadataReads.filter((r) => r.bypassWhenSet || r.inactiveWhenUnset));
      if (profile.kind !== 'authentication') profile = this.dispatchProfile(file, cls, canActivate, signals, name, depth) ?? profile;
    }
    if (handleRequest && profile.kind === 'authentication' && profile.library === NEST_PASSPORT) {
      const signals = analyzeBody(this.project, file, handleRequest);
      if (!signals.canReject) profile = { ...profile, optional: true, reason: `${profile.reason}; handleRequest() returns without throwing, so requests without a valid token pass` };
    }
    return profile;
  }
}

function isCreateDecorator(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): boolean {
  const origin = resolveOrigin(project, file, call.expression);
  return origin.kind === 'external' && origin.module === NEST_CORE && stripDefault(origin.path).join('.') === 'Reflector.createDecorator';
}

function isTruthyArg(project: AnalysisProject, file: SourceFileInfo, arg: ts.Expression | undefined): 'yes' | 'no' | 'maybe' {
  if (!arg) return 'no';
  const alternatives = getAlternatives(evaluate(project, file, arg));
  if (alternatives.every((v) => isStaticallyKnown(v) && isTruthy(v))) return 'yes';
  if (alternatives.every((v) => isStaticallyKnown(v) && !isTruthy(v))) return 'no';
  return 'maybe';
}

/**
 * Whether a guard method runs the base guard's check: it calls `super.…` itself, or through a method of its own class
 * (`canActivate` → `this.validate(context)` → `super.canActivate(context)`, teable's AuthGuard over Passport's).
 */
function callsSuperCanActivate(cls: ts.ClassLikeDeclaration, method: ts.MethodDeclaration, depth: number): boolean {
  return findAll(method, ts.isCallExpression).some((c) => {
    if (!ts.isPropertyAccessExpression(c.expression)) return false;
    const receiver = c.expression.expression.kind;
    if (receiver === ts.SyntaxKind.SuperKeyword) return true;
    if (receiver !== ts.SyntaxKind.ThisKeyword || depth >= 2) return false;
    const own = findMethod(cls, c.expression.name.text);
    return own !== undefined && own !== method && callsSuperCanActivate(cls, own, depth + 1);
  });
}

function findMethod(cls: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  return cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && getPropertyName(m.name) === name && m.body !== undefined);
}

/** `function RoleGuard(role) { class Mixin implements CanActivate {…} return mixin(Mixin) }` */
function findMixinClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let fn: ts.Node | undefined = node;
  if (ts.isVariableDeclaration(node) && node.initializer) fn = skipOuterExpressions(node.initializer);
  if (!fn || !ts.isFunctionLike(fn)) return undefined;
  return findAll(fn, (n): n is ts.ClassLikeDeclaration => ts.isClassDeclaration(n) || ts.isClassExpression(n)).find((c) => findMethod(c, 'canActivate') !== undefined);
}

/** `{ canActivate: () => true }` */
function isAlwaysAllowGuard(expr: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(expr)) return false;
  return expr.properties.some((p) => {
    if (!p.name || getPropertyName(p.name) !== 'canActivate') return false;
    const fn = ts.isPropertyAssignment(p) ? skipOuterExpressions(p.initializer) : ts.isMethodDeclaration(p) ? p : undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn))) return false;
    const returned = returnedExpressions(fn);
    return returned.length > 0 && returned.every((r) => skipOuterExpressions(r).kind === ts.SyntaxKind.TrueKeyword);
  });
}

function guardDisplayName(file: SourceFileInfo, expr: ts.Expression): string {
  const inner = ts.isNewExpression(expr) ? expr.expression : expr;
  const text = inner.getText(file.sourceFile).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Guard profiles: what a guard does, before a route's metadata is known

interface GuardProfile {
  name: string;
  kind: ChainStepKind;
  reason: string;
  source: ClassificationSource;
  library?: string;
  optional?: boolean;
  authorizes?: boolean;
  login?: boolean;
  hint?: 'authentication' | 'authorization';
  metadataReads: BodySignals['metadataReads'];
  /** A dispatcher guard: the metadata key that picks its delegates, and the values that pick only always-allow ones. */
  dispatch?: { keyId: string; keyLabel: string; levels: Set<'handler' | 'class'>; openValues: Set<string> };
}

function baseProfile(name: string): GuardProfile {
  return { name, kind: 'unknown', reason: '', source: 'body', metadataReads: [] };
}

function unknownProfile(name: string, reason: string): GuardProfile {
  const hint = /role|permission|polic|scope|admin|acl|casl|ability/i.test(name) ? 'authorization' : /auth|jwt|token|session|passport|apikey|api-key/i.test(name) ? 'authentication' : undefined;
  return { ...baseProfile(name), kind: 'unknown', reason, source: 'unresolved', ...(hint ? { hint } : {}) };
}

function passportProfile(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): GuardProfile {
  const name = call.getText(file.sourceFile);
  const arg = call.arguments[0];
  const strategies = arg ? getAlternatives(evaluate(project, file, arg)).flatMap((v) => (v.kind === 'array' ? v.items.flatMap(getAlternatives) : [v])) : [];
  const names = strategies.flatMap((v) => (v.kind === 'string' ? [v.value] : []));
  const base: GuardProfile = { ...baseProfile(name), source: 'library', library: NEST_PASSPORT };
  if (!arg) return { ...base, kind: 'authentication', reason: "@nestjs/passport AuthGuard() with the module's default strategy" };
  if (names.length === 0) return { ...base, kind: 'authentication', reason: '@nestjs/passport AuthGuard with a strategy name that could not be read' };
  if (names.every((n) => PASSPORT_ANONYMOUS_STRATEGIES.has(n))) return { ...base, kind: 'neutral', reason: "passport 'anonymous' strategy lets every request through" };
  const list = names.map((n) => `'${n}'`).join(', ');
  if (names.some((n) => PASSPORT_ANONYMOUS_STRATEGIES.has(n))) {
    return { ...base, kind: 'authentication', optional: true, reason: `@nestjs/passport AuthGuard(${list}) falls back to the anonymous strategy` };
  }
  if (names.every((n) => PASSPORT_CREDENTIAL_STRATEGIES.has(n))) {
    return { ...base, kind: 'authentication', login: true, reason: `@nestjs/passport AuthGuard(${list}) checks login credentials on this route` };
  }
  return { ...base, kind: 'authentication', reason: `@nestjs/passport AuthGuard(${list})` };
}

function profileFromSignals(name: string, s: BodySignals): GuardProfile {
  const base = { ...baseProfile(name), source: 'body' as const };
  const rejects = s.canReject || s.rejectsUnauthenticated || s.rejectsForbidden;
  if (s.verifies.length > 0) {
    const what = `canActivate verifies a credential (${s.verifies.join(', ')})`;
    if (s.failsOpen) return { ...base, kind: 'authentication', optional: true, reason: `${what} but lets the request through when it fails` };
    if (rejects) return { ...base, kind: 'authentication', authorizes: s.checksRoles && (s.rejectsForbidden || s.returnsFalse), reason: `${what} and rejects otherwise` };
    return { ...base, kind: 'authentication', reason: what };
  }
  // teable's PermissionGuard: the route's required permissions decide and a refusal is 403; a credential it reads (an
  // access token's id the authentication guard stored) is looked up for its scopes, not verified.
  if (s.checksRoles && s.rejectsForbidden && !s.rejectsUnauthenticated && s.metadataChecksRoles) {
    return { ...base, kind: 'authorization', reason: 'canActivate reads the permissions the route requires and rejects with 403 otherwise' };
  }
  if (s.readsCredential && (s.rejectsUnauthenticated || s.returnsFalse)) {
    return { ...base, kind: 'authentication', reason: 'canActivate reads a credential from the request and rejects when it is missing or wrong' };
  }
  if (s.checksRoles && rejects) return { ...base, kind: 'authorization', reason: 'canActivate compares roles or permissions and rejects otherwise' };
  if (s.rejectsUnauthenticated) return { ...base, kind: 'authentication', reason: 'canActivate rejects with 401 when no authenticated user is present' };
  if (!rejects) return { ...base, kind: 'neutral', reason: 'canActivate never rejects a request' };
  // ghostfolio's global ImpersonationWriteGuard rejects writes by method and header: no credential, no caller.
  if (!s.readsCredential && !s.readsPrincipal && !s.opaqueCalls) {
    return { ...base, kind: 'neutral', reason: 'canActivate rejects requests on what else it reads (method, headers, route metadata), never on a credential or the caller: it does not authenticate' };
  }
  return { ...unknownProfile(name, 'canActivate rejects some requests, but it is not clear on what basis'), source: 'body' };
}

// ---------------------------------------------------------------------------------------------
// Application-wide configuration: global prefix, global guards, RouterModule

interface GlobalPrefix {
  prefix: string;
  resolved: boolean;
  exclude: Array<{ path: string; methods: string[] }>;
  location: SourceLocation;
}

/** `consumer.apply(A, B).exclude(…).forRoutes(…)` in a module's `configure`, or `app.use(mw)` in main.ts. */
interface MiddlewareBinding {
  steps: Array<{ file: SourceFileInfo; expr: ts.Expression }>;
  /** Empty = every route (`app.use`, `forRoutes('*')`). */
  targets: Array<{ kind: 'path'; path: string; methods: string[] } | { kind: 'controller'; key: string } | { kind: 'all' }>;
  exclude: Array<{ path: string; methods: string[] }>;
  scope: ChainStepScope;
}

type NestApp = AppConfig['apps'][number];

/**
 * Where an app-level setting was declared: the application it was called on (`app.useGlobalGuards`),
 * or the module class whose decorator / `configure` holds it (APP_GUARD, consumer.apply); the file
 * decides by package when neither resolves to a module graph.
 */
interface SettingOwner {
  file: SourceFileInfo;
  app?: NestApp;
  moduleKey?: string;
}

interface AppConfig {
  prefixes: Array<GlobalPrefix & { owner: SettingOwner }>;
  /** `app.enableVersioning({ type: VersioningType.URI })`: the version segment prefix and default version. */
  versionings: Array<{ prefix: string; defaultVersions: string[]; owner: SettingOwner }>;
  globalGuards: Array<GuardRef & { owner: SettingOwner }>;
  middleware: Array<MiddlewareBinding & { owner: SettingOwner }>;
  /** Module class key → RouterModule path prefix and where it was declared. */
  modulePaths: Map<string, { path: string; location: SourceLocation }>;
  /**
   * The `controllers` options of the modules, in the order they were met; NEST_CONTROLLER_MODULES reads them (the
   * classes they name are in the controllers' files, which the rest of the application graph does not read).
   */
  controllerLists: Array<{ moduleKey: string; file: SourceFileInfo; expr: ts.Expression } | { moduleKey: string; value: Value }>;
  /** Module class key → module class keys it imports (`XModule`, `XModule.forRoot()`). */
  moduleImports: Map<string, string[]>;
  /** `const app = await NestFactory.create(AppModule)` and its `app.listen(...)` calls. */
  apps: Array<{ key: string; name: string; file: string; moduleKey: string | undefined; listeners: ListenerFact[] }>;
}

function readExcludes(project: AnalysisProject, file: SourceFileInfo, options: ts.Expression | undefined): GlobalPrefix['exclude'] {
  if (!options || !ts.isObjectLiteralExpression(skipOuterExpressions(options))) return [];
  const literal = skipOuterExpressions(options) as ts.ObjectLiteralExpression;
  const prop = literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && getPropertyName(p.name) === 'exclude');
  if (!prop) return [];
  const value = evaluate(project, file, prop.initializer);
  if (value.kind !== 'array') return [];
  const result: GlobalPrefix['exclude'] = [];
  for (const item of value.items) {
    if (item.kind === 'string') result.push({ path: item.value, methods: ['ALL'] });
    else if (item.kind === 'object') {
      const path = item.props.get('path');
      const method = item.props.get('method');
      const methodName = method && ts.isPropertyAccessExpression(method.node) ? NEST_REQUEST_METHODS[method.node.name.text] : undefined;
      if (path?.kind === 'string') result.push({ path: path.value, methods: [methodName ?? 'ALL'] });
    }
  }
  return result;
}

function collectAppConfig(ctx: NestContext, files: readonly SourceFileInfo[]): AppConfig {
  const project = ctx.project;
  const config: AppConfig = { prefixes: [], versionings: [], globalGuards: [], middleware: [], modulePaths: new Map(), controllerLists: [], moduleImports: new Map(), apps: [] };
  const appMiddleware: AppConfig['middleware'] = [];
  const moduleMiddleware: AppConfig['middleware'] = [];
  const appGuards: AppConfig['globalGuards'] = [];
  const mainGuards: AppConfig['globalGuards'] = [];
  // The application a main.ts call is made on, or the module class around a module-level setting.
  const appOwner = (file: SourceFileInfo, receiver: ts.Expression): SettingOwner => {
    const id = skipOuterExpressions(receiver);
    return ts.isIdentifier(id) && isNestApplication(project, file, id) ? { file, app: getApp(ctx, file, id, config) } : { file };
  };
  const moduleOwner = (file: SourceFileInfo, node: ts.Node): SettingOwner => {
    let current: ts.Node | undefined = node.parent;
    while (current && !ts.isClassDeclaration(current)) current = current.parent;
    return current ? { file, moduleKey: nodeKey(file, current) } : { file };
  };
  const moduleDecorators = findModuleDecoratorFactories(project, files);
  for (const file of files) {
    const nest = isNestFile(file);
    if (!nest && !moduleDecorators.some((name) => textIncludes(file, name))) continue;
    if (project.selects && !mayConfigureApp(project, file, nest)) continue;
    // findAll over a whole file is served from one shared per-file index of these kinds.
    for (const call of nest ? indexedNodes(file.sourceFile, ts.isCallExpression) : []) {
      const callee = call.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'setGlobalPrefix' && call.arguments[0]) {
        const { paths, resolved } = readPaths(project, file, call.arguments[0]);
        config.prefixes.push({ prefix: paths[0] ?? '', resolved, exclude: readExcludes(project, file, call.arguments[1]), location: locate(project, file, call), owner: appOwner(file, callee.expression) });
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enableVersioning') {
        const options = call.arguments[0] ? evaluate(project, file, call.arguments[0]) : undefined;
        const type = options?.kind === 'object' ? options.props.get('type') : undefined;
        const isUri = !type || (ts.isPropertyAccessExpression(type.node) && type.node.name.text === 'URI');
        if (isUri) {
          const prefix = options?.kind === 'object' ? options.props.get('prefix') : undefined;
          const defaults = options?.kind === 'object' ? options.props.get('defaultVersion') : undefined;
          config.versionings.push({
            prefix: prefix?.kind === 'string' ? prefix.value : prefix?.kind === 'boolean' && !prefix.value ? '' : 'v',
            defaultVersions: defaults ? readVersions(defaults) : [],
            owner: appOwner(file, callee.expression),
          });
        }
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'forRoutes') {
        const binding = readMiddlewareChain(ctx, file, call);
        if (binding) moduleMiddleware.push({ ...binding, owner: moduleOwner(file, call) });
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'use' && isNestApplication(project, file, callee.expression)) {
        appMiddleware.push({ steps: call.arguments.map((expr) => ({ file, expr })), targets: [{ kind: 'all' }], exclude: [], scope: 'global', owner: appOwner(file, callee.expression) });
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'listen' && isNestApplication(project, file, callee.expression)) {
        const app = getApp(ctx, file, callee.expression as ts.Identifier, config);
        const [port, host] = call.arguments;
        app.listeners.push({ ...locate(project, file, call), name: app.name, address: (host ?? port)?.getText(file.sourceFile) ?? '' });
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'useGlobalGuards') {
        const owner = appOwner(file, callee.expression);
        for (const arg of call.arguments) mainGuards.push({ file, expr: arg, location: locate(project, file, arg), owner });
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register' && call.arguments[0]) {
        if (getNestExport(project, file, callee.expression, NEST_CORE) === 'RouterModule') readRouterModule(ctx, file, call.arguments[0], '', config);
      }
    }
    for (const literal of nest ? findAll(file.sourceFile, ts.isObjectLiteralExpression) : []) {
      const props = new Map<string, ts.Expression>();
      for (const p of literal.properties) {
        if (ts.isPropertyAssignment(p)) {
          const name = getPropertyName(p.name);
          if (name) props.set(name, p.initializer);
        }
      }
      const provide = props.get('provide');
      if (provide && getNestExport(project, file, provide, NEST_CORE) === 'APP_GUARD') {
        const target = props.get('useClass') ?? props.get('useExisting') ?? props.get('useValue') ?? props.get('useFactory');
        if (target) appGuards.push({ file, expr: target, location: locate(project, file, literal), owner: moduleOwner(file, literal) });
      }
    }
    for (const cls of file.sourceFile.statements.filter(ts.isClassDeclaration)) {
      for (const decorator of getDecorators(cls)) {
        const options = getModuleOptions(project, file, decorator);
        if (!options) continue;
        const key = nodeKey(file, cls);
        const imports = getOptionValue(options, 'imports');
        // `imports: [...plugins]`, `PluginModule.init()`: module lists built elsewhere, followed through the repository's functions.
        if (imports) addModuleImports(config, key, readModuleRefs(ctx, evaluate(project, file, imports, { followCalls: true }), config, 0));
        const controllers = getOptionValue(options, 'controllers');
        if (controllers) config.controllerLists.push({ moduleKey: key, file, expr: controllers });
      }
    }
  }
  // APP_GUARD providers are registered while the module graph is scanned, before main.ts calls useGlobalGuards.
  config.globalGuards = [...appGuards, ...mainGuards];
  // Middleware added with app.use() in main.ts runs before the module middleware.
  config.middleware = [...appMiddleware, ...moduleMiddleware];
  return config;
}

/** The value written for an option: `imports: [...]` or the shorthand `{ controllers }`. */
function getOptionValue(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of literal.properties) {
    if (ts.isPropertyAssignment(p) && getPropertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

const appliesModuleMemo = defineProjectMemo<ts.Node, boolean>();

/** A repository function whose body applies Nest's `Module(...)`: a module decorator under another name. */
function appliesNestModule(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): boolean {
  let applies = appliesModuleMemo(project).get(fn);
  if (applies === undefined) {
    applies = fn.body !== undefined && findAll(fn.body, ts.isCallExpression).some((call) => getNestExport(project, file, call.expression) === 'Module');
    appliesModuleMemo(project).set(fn, applies);
  }
  return applies;
}

/** Names of exported repository functions that apply `Module(...)` (`GauzyCorePlugin`, `VendurePlugin`): their files need no `@nestjs/` import. */
function findModuleDecoratorFactories(project: AnalysisProject, files: readonly SourceFileInfo[]): string[] {
  const names: string[] = [];
  for (const file of files) {
    if (!mayCallModule(file)) continue;
    if (project.selects && !mayDeclareModuleFactory(project, file, project.fileFact(NEST_FILE_SUMMARY, file))) continue;
    for (const { name, fn } of getExportedFunctions(file.sourceFile)) if (appliesNestModule(project, file, fn)) names.push(name);
  }
  return names;
}

/**
 * Whether a file's summary lets it add anything to the application model: a class decorated as a module, or (in a
 * Nest file) app-level calls, a `RouterModule.register`, an APP_GUARD provider. Files without any are not parsed.
 */
function mayConfigureApp(project: AnalysisProject, file: SourceFileInfo, nest: boolean): boolean {
  const summary = project.fileFact(NEST_FILE_SUMMARY, file);
  const moduleDecorators = summary.classDecorators.filter((d) => d.options).map((d) => d.callee);
  if (someRef(project, file, moduleDecorators, (ref) => mayNameExport(project, file, ref, NEST_COMMON, 'Module') || mayNameFunction(project, file, ref))) return true;
  if (!nest) return false;
  return (
    summary.appCalls ||
    someRef(project, file, summary.registers, (ref) => mayNameExport(project, file, ref, NEST_CORE, 'RouterModule')) ||
    someRef(project, file, summary.provides, (ref) => mayNameExport(project, file, ref, NEST_CORE, 'APP_GUARD'))
  );
}

function mayDeclareModuleFactory(project: AnalysisProject, file: SourceFileInfo, summary: NestFileSummary): boolean {
  return someRef(project, file, summary.factories.flatMap((f) => f.callees), (ref) => mayNameExport(project, file, ref, NEST_COMMON, 'Module'));
}

/** Whether a file's summary has a top-level class whose decorator may be Nest's `@Controller`. */
function mayDeclareController(project: AnalysisProject, file: SourceFileInfo): boolean {
  const decorators = project.fileFact(NEST_FILE_SUMMARY, file).classDecorators.map((d) => d.callee);
  return someRef(project, file, decorators, (ref) => mayNameExport(project, file, ref, NEST_COMMON, 'Controller'));
}

/** The options of a module decorator: Nest's `@Module({...})`, or a repository decorator that hands its argument to `Module`. */
function getModuleOptions(project: AnalysisProject, file: SourceFileInfo, decorator: ts.Decorator): ts.ObjectLiteralExpression | undefined {
  const { callee, args } = decoratorCallee(decorator);
  const options = args[0] && skipOuterExpressions(args[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const nest = getNestExport(project, file, callee);
  if (nest !== undefined) return nest === 'Module' ? options : undefined;
  const origin = resolveOrigin(project, file, callee);
  const fn = origin.kind === 'local' && origin.path.length === 0 ? getFunction(origin.node) : undefined;
  return fn && origin.kind === 'local' && appliesNestModule(project, origin.file, fn) ? options : undefined;
}

function addModuleImports(config: AppConfig, key: string, keys: readonly string[]): void {
  const existing = config.moduleImports.get(key);
  if (existing) existing.push(...keys.filter((k) => !existing.includes(k)));
  else config.moduleImports.set(key, [...keys]);
}

/**
 * The module classes a module list names: classes, `X.forRoot()` (also what the dynamic module it returns adds to
 * X: `{ module: X, imports, controllers }`), `RouterModule.register([...])` and `forwardRef(() => X)`.
 */
function readModuleRefs(ctx: NestContext, value: Value, config: AppConfig, depth: number): string[] {
  if (depth > 8) return [];
  const keys: string[] = [];
  for (const v of getAlternatives(value)) {
    if (v.kind === 'array') {
      for (const item of v.items) keys.push(...readModuleRefs(ctx, item, config, depth + 1));
    } else if (v.kind === 'object') {
      const module = v.props.get('module');
      if (!module) continue;
      const moduleKeys = readModuleRefs(ctx, module, config, depth + 1);
      const imports = v.props.get('imports');
      const controllers = v.props.get('controllers');
      for (const key of moduleKeys) {
        if (imports) addModuleImports(config, key, readModuleRefs(ctx, imports, config, depth + 1));
        if (controllers) config.controllerLists.push({ moduleKey: key, value: controllers });
      }
      keys.push(...moduleKeys);
    } else if (ts.isClassDeclaration(v.node)) {
      keys.push(nodeKey(v.file, v.node));
    } else if (ts.isExpression(v.node)) {
      keys.push(...readModuleExpression(ctx, v.file, v.node, config));
    }
  }
  return keys;
}

function readModuleExpression(ctx: NestContext, file: SourceFileInfo, element: ts.Expression, config: AppConfig): string[] {
  const project = ctx.project;
  let target = skipOuterExpressions(element);
  // `RouterModule.register([{ path, module: AdminModule, children }])`
  if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression) && target.arguments[0] && getNestExport(project, file, target.expression.expression, NEST_CORE) === 'RouterModule') {
    return readRouterModule(ctx, file, target.arguments[0], '', config);
  }
  // `ConfigModule.forRoot()`, `JwtModule.forRootAsync({…})`, `forwardRef(() => UsersModule)`
  if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression)) target = target.expression.expression;
  else if (ts.isCallExpression(target) && target.arguments[0] && ts.isArrowFunction(target.arguments[0]) && !ts.isBlock(target.arguments[0].body)) target = target.arguments[0].body;
  const origin = resolveOrigin(project, file, target);
  return origin.kind === 'local' && origin.path.length === 0 ? [nodeKey(origin.file, origin.node)] : [];
}

/**
 * A module's `controllers` option. The usual list of imported classes (`controllers: [UsersController]`) is read through
 * the imports, which give each class's position without its file's tree, so the application graph reads no controller
 * file and an edit of one leaves the graph as it was (the editor's next snapshot keeps it); any other list is evaluated.
 */
function registerControllerList(ctx: NestContext, file: SourceFileInfo, expr: ts.Expression, moduleKey: string, modules: Map<string, string>): void {
  const list = skipOuterExpressions(expr);
  if (ts.isArrayLiteralExpression(list)) {
    const keys: string[] = [];
    for (const element of list.elements) {
      const resolved = ts.isIdentifier(element) ? resolveImportedName(ctx.project, file, element.text) : undefined;
      if (resolved?.kind !== 'declaration' || resolved.at.kind !== ts.SyntaxKind.ClassDeclaration) break;
      keys.push(`${resolved.file.path}:${resolved.at.pos}`);
    }
    if (keys.length === list.elements.length) {
      for (const key of keys) modules.set(key, moduleKey);
      return;
    }
  }
  registerControllers(ctx, evaluate(ctx.project, file, expr, { followCalls: true }), moduleKey, modules);
}

/** `controllers: [UsersController, ...AuthControllers]`: each controller class belongs to the module. */
function registerControllers(ctx: NestContext, value: Value, moduleKey: string, modules: Map<string, string>): void {
  for (const v of getAlternatives(value)) {
    if (v.kind === 'array') {
      for (const item of v.items) registerControllers(ctx, item, moduleKey, modules);
    } else if (ts.isClassDeclaration(v.node)) {
      modules.set(nodeKey(v.file, v.node), moduleKey);
    } else if (ts.isExpression(v.node)) {
      const origin = resolveOrigin(ctx.project, v.file, v.node);
      if (origin.kind === 'local' && origin.path.length === 0) modules.set(nodeKey(origin.file, origin.node), moduleKey);
    }
  }
}

/** Version strings of a `version` option or `@Version()` argument; VERSION_NEUTRAL gives ''. */
function readVersions(value: Value): string[] {
  return getAlternatives(value).flatMap((v): string[] => {
    if (v.kind === 'string') return [v.value];
    if (v.kind === 'number') return [String(v.value)];
    if (v.kind === 'array') return v.items.flatMap(readVersions);
    if (ts.isIdentifier(v.node) && v.node.text === 'VERSION_NEUTRAL') return [''];
    return [UNRESOLVED_SEGMENT];
  });
}

function getApp(ctx: NestContext, file: SourceFileInfo, id: ts.Identifier, config: AppConfig): NestApp {
  const decl = findDeclaration(id, id.text);
  // One application per `const app = await NestFactory.create(…)`: two services' `app` variables are two apps.
  const key = nodeKey(file, decl ?? id);
  const existing = config.apps.find((a) => a.key === key);
  if (existing) return existing;
  let moduleKey: string | undefined;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    const create = findNestFactoryCreate(ctx.project, file, decl.initializer);
    const moduleArg = create?.arguments[0];
    // `const { BootstrapModule } = await import('./bootstrap.module')` names an export of a repository module.
    const origin = moduleArg ? followLocalModule(ctx.project, resolveOrigin(ctx.project, file, moduleArg)) : undefined;
    if (origin?.kind === 'local' && origin.path.length === 0) moduleKey = nodeKey(origin.file, origin.node);
  }
  const app = { key, name: id.text, file: file.relPath, moduleKey, listeners: [] as ListenerFact[] };
  config.apps.push(app);
  return app;
}

/** The app's variable name; with the file it is created in when another application uses the same name (two services' `app`). */
function getAppLabel(config: AppConfig, app: NestApp): string {
  return config.apps.some((other) => other.key !== app.key && other.name === app.name) ? `${app.name} (${app.file})` : app.name;
}

const reachableCache = new WeakMap<AppConfig, Map<string, Set<string>>>();

/** Module class keys reachable from an application's root module through `imports` (memoised per config). */
function reachableModules(config: AppConfig, rootKey: string): Set<string> {
  let memo = reachableCache.get(config);
  if (!memo) {
    memo = new Map();
    reachableCache.set(config, memo);
  }
  const cached = memo.get(rootKey);
  if (cached) return cached;
  const seen = new Set<string>([rootKey]);
  const queue = [rootKey];
  for (let i = 0; i < queue.length; i++) {
    for (const next of config.moduleImports.get(queue[i] as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  memo.set(rootKey, seen);
  return seen;
}

/** The applications whose module graph contains the controller's module (all of them when unknown). */
function getServingApps(config: AppConfig, modules: ReadonlyMap<string, string>, controllerKey: string): NestApp[] {
  const moduleKey = modules.get(controllerKey);
  return config.apps.filter((app) => !app.moduleKey || !moduleKey || reachableModules(config, app.moduleKey).has(moduleKey));
}

/** Every module some application's graph reaches (memoised per configuration). */
const rootedModulesCache = new WeakMap<AppConfig, Set<string>>();

function getRootedModules(config: AppConfig): Set<string> {
  let union = rootedModulesCache.get(config);
  if (!union) {
    union = new Set();
    for (const app of config.apps) if (app.moduleKey !== undefined) for (const key of reachableModules(config, app.moduleKey)) union.add(key);
    rootedModulesCache.set(config, union);
  }
  return union;
}

interface SettingScope {
  /** Same signature, same answers: controllers of one module or service share one scope. */
  signature: string;
  inScope: (owner: SettingOwner) => boolean;
}

/**
 * Whether an app-level setting (global guard, prefix, versioning, middleware) reaches a controller: the
 * setting's application or module must be in the module graph of an application that serves the controller;
 * when either side is outside every resolved graph, the setting applies within its own package.
 */
function makeSettingScope(project: AnalysisProject, config: AppConfig, modules: ReadonlyMap<string, string>, controllerKey: string, controllerFile: SourceFileInfo): SettingScope {
  const moduleKey = modules.get(controllerKey);
  const serving = moduleKey ? config.apps.filter((app) => app.moduleKey !== undefined && reachableModules(config, app.moduleKey).has(moduleKey)) : [];
  const service = getServiceKey(project, { file: controllerFile.relPath });
  const rootedModules = getRootedModules(config);
  const servingModules = serving.length === 1 ? reachableModules(config, serving[0]?.moduleKey as string) : new Set(serving.flatMap((app) => [...reachableModules(config, app.moduleKey as string)]));
  return {
    signature: `${serving.map((app) => app.key).join(',')}|${service}`,
    inScope: (owner) => {
      if (serving.length > 0 && owner.app?.moduleKey !== undefined) return serving.includes(owner.app);
      if (serving.length > 0 && owner.moduleKey !== undefined && rootedModules.has(owner.moduleKey)) return servingModules.has(owner.moduleKey);
      return getServiceKey(project, { file: owner.file.relPath }) === service;
    },
  };
}

/** The `NestFactory.create(…)` call inside an expression, bound through the import of @nestjs/core (never by its text). */
function findNestFactoryCreate(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): ts.CallExpression | undefined {
  if (!file.text.includes('NestFactory')) return undefined;
  return findAll(expr, ts.isCallExpression).find((call) => {
    const origin = resolveOrigin(project, file, call.expression);
    return origin.kind === 'external' && origin.module === NEST_CORE && stripDefault(origin.path).join('.') === 'NestFactory.create';
  });
}

/** `app` in `app.use(...)` is the result of `NestFactory.create(...)`. */
function isNestApplication(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): boolean {
  const id = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(id)) return false;
  const decl = findDeclaration(id, id.text);
  return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && findNestFactoryCreate(project, file, decl.initializer) !== undefined;
}

function readRouteInfos(project: AnalysisProject, file: SourceFileInfo, args: readonly ts.Expression[]): MiddlewareBinding['targets'] {
  const targets: MiddlewareBinding['targets'] = [];
  for (const arg of args) {
    const origin = resolveOrigin(project, file, arg);
    if (origin.kind === 'local' && origin.path.length === 0 && ts.isClassLike(origin.node)) {
      targets.push({ kind: 'controller', key: nodeKey(origin.file, origin.node) });
      continue;
    }
    for (const value of getAlternatives(evaluate(project, file, arg))) {
      if (value.kind === 'string') targets.push(isWildcardPath(value.value) ? { kind: 'all' } : { kind: 'path', path: value.value, methods: ['ALL'] });
      else if (value.kind === 'object') {
        const path = value.props.get('path');
        const method = value.props.get('method');
        const methodName = method && ts.isPropertyAccessExpression(method.node) ? NEST_REQUEST_METHODS[method.node.name.text] : undefined;
        if (path?.kind === 'string') targets.push(isWildcardPath(path.value) && !methodName ? { kind: 'all' } : { kind: 'path', path: path.value, methods: [methodName ?? 'ALL'] });
      }
    }
  }
  return targets;
}

function isWildcardPath(path: string): boolean {
  return /^\/?(?:\*|\(\.\*\)|\{\*\w*\}|\*\w+)$/.test(path.trim());
}

function readMiddlewareChain(ctx: NestContext, file: SourceFileInfo, forRoutes: ts.CallExpression): MiddlewareBinding | undefined {
  const project = ctx.project;
  let steps: MiddlewareBinding['steps'] | undefined;
  let exclude: MiddlewareBinding['exclude'] = [];
  let current: ts.Expression = (forRoutes.expression as ts.PropertyAccessExpression).expression;
  for (let i = 0; i < 8 && ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression); i++) {
    const name = current.expression.name.text;
    if (name === 'apply') steps = current.arguments.map((expr) => ({ file, expr }));
    else if (name === 'exclude') {
      exclude = readRouteInfos(project, file, current.arguments).flatMap((t) => (t.kind === 'path' ? [{ path: t.path, methods: t.methods }] : []));
    }
    if (name === 'apply') break;
    current = current.expression.expression;
  }
  if (!steps) return undefined;
  const targets = readRouteInfos(project, file, forRoutes.arguments);
  const scope: ChainStepScope = targets.some((t) => t.kind === 'all') ? 'global' : targets.some((t) => t.kind === 'controller') ? 'controller' : 'route';
  return { steps, targets, exclude, scope };
}

/** `forRoutes`/`exclude` patterns compiled once: every route of every controller is tested against each binding. */
const routeInfoPatterns = new Map<string, RegExp>();

function matchesRouteInfo(pattern: string, routePath: string): boolean {
  let compiled = routeInfoPatterns.get(pattern);
  if (!compiled) {
    const source = joinPaths(pattern)
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' || /^\{?\*/.test(s) || s === '(.*)' ? '.*' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '.*')))
      .join('/');
    compiled = new RegExp(`^${source}/?$`, 'i');
    routeInfoPatterns.set(pattern, compiled);
  }
  return compiled.test(joinPaths(routePath));
}

function bindingApplies(binding: MiddlewareBinding, controllerKey: string, relativePath: string, fullPath: string, methods: string[]): boolean {
  const methodOk = (allowed: string[]) => allowed.includes('ALL') || methods.some((m) => allowed.includes(m));
  const pathOk = (p: string) => matchesRouteInfo(p, relativePath) || matchesRouteInfo(p, fullPath);
  if (binding.exclude.some((e) => methodOk(e.methods) && pathOk(e.path))) return false;
  return binding.targets.some((t) => (t.kind === 'all' ? true : t.kind === 'controller' ? t.key === controllerKey : methodOk(t.methods) && pathOk(t.path)));
}

/** Records the RouterModule path of each module and returns the module keys it names. */
function readRouterModule(ctx: NestContext, file: SourceFileInfo, routes: ts.Expression, parent: string, config: AppConfig): string[] {
  const keys: string[] = [];
  const list = skipOuterExpressions(routes);
  if (!ts.isArrayLiteralExpression(list)) return keys;
  for (const element of list.elements) {
    const entry = skipOuterExpressions(element);
    if (!ts.isObjectLiteralExpression(entry)) continue;
    let path = '';
    let module: ts.Expression | undefined;
    let children: ts.Expression | undefined;
    for (const p of entry.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const name = getPropertyName(p.name);
      if (name === 'path') path = readPaths(ctx.project, file, p.initializer).paths[0] ?? UNRESOLVED_SEGMENT;
      if (name === 'module') module = p.initializer;
      if (name === 'children') children = p.initializer;
    }
    const full = joinPaths(parent, path);
    if (module) {
      const origin = resolveOrigin(ctx.project, file, module);
      if (origin.kind === 'local') {
        config.modulePaths.set(nodeKey(origin.file, origin.node), { path: full, location: locate(ctx.project, file, entry) });
        keys.push(nodeKey(origin.file, origin.node));
      }
    }
    if (children) keys.push(...readRouterModule(ctx, file, children, full, config));
  }
  return keys;
}

function isExcluded(prefix: GlobalPrefix, routePath: string, method: string): boolean {
  return prefix.exclude.some((e) => {
    if (!e.methods.includes('ALL') && !e.methods.includes(method)) return false;
    const pattern = joinPaths(e.path)
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' || /^\{?\*/.test(s) || s === '(.*)' ? '.*' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return new RegExp(`^${pattern}/?$`, 'i').test(joinPaths(routePath));
  });
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The metadata entry (handler first, as `getAllAndOverride`) that makes a dispatcher guard pick only always-allow guards. */
function getDispatchOpenEntry(dispatch: NonNullable<GuardProfile['dispatch']>, metadata: { handler: MetadataEntry[]; cls: MetadataEntry[] }): MetadataEntry | undefined {
  const entry =
    (dispatch.levels.has('handler') ? metadata.handler.find((m) => m.keyId === dispatch.keyId) : undefined) ??
    (dispatch.levels.has('class') ? metadata.cls.find((m) => m.keyId === dispatch.keyId) : undefined);
  return entry?.values && entry.values.length > 0 && entry.values.every((v) => dispatch.openValues.has(v)) ? entry : undefined;
}

function toStep(profile: GuardProfile, ref: GuardRef, scope: ChainStepScope, metadata: { handler: MetadataEntry[]; cls: MetadataEntry[] }): ChainStep {
  const step: ChainStep = {
    ...ref.location,
    name: profile.name,
    kind: profile.kind,
    reason: profile.reason,
    source: profile.source,
    scope,
    phase: 'guard',
    ...(profile.library ? { library: profile.library } : {}),
    ...(profile.optional ? { optional: true } : {}),
    ...(profile.authorizes ? { authorizes: true } : {}),
    ...(profile.login ? { login: true } : {}),
    ...(profile.hint ? { hint: profile.hint } : {}),
  };
  // A public marker opens the route only when its value is surely set; roles metadata counts when it may be.
  const present = (keyId: string, levels: Set<'handler' | 'class'>, accept: ReadonlyArray<MetadataEntry['truthy']>): MetadataEntry | undefined =>
    (levels.has('handler') ? metadata.handler.find((m) => m.keyId === keyId && accept.includes(m.truthy)) : undefined) ??
    (levels.has('class') ? metadata.cls.find((m) => m.keyId === keyId && accept.includes(m.truthy)) : undefined);
  const opened = profile.dispatch && getDispatchOpenEntry(profile.dispatch, metadata);
  if (opened) {
    return { ...step, kind: 'neutral', optional: undefined, authorizes: undefined, reason: `${profile.name} lets the request through: ${opened.decorator} selects only guards that always allow`, source: 'body' };
  }
  for (const read of profile.metadataReads) {
    if (!read.bypassWhenSet) continue;
    const marker = present(read.keyId, read.levels, ['yes']);
    if (marker) {
      return { ...step, kind: 'neutral', optional: undefined, authorizes: undefined, reason: `${profile.name} lets the request through: ${marker.decorator} sets '${read.keyLabel}'`, source: 'body' };
    }
  }
  const gates = profile.metadataReads.filter((r) => r.inactiveWhenUnset);
  if (gates.length > 0 && !gates.some((r) => present(r.keyId, r.levels, ['yes', 'maybe']))) {
    const labels = gates.map((r) => `'${r.keyLabel}'`).join(', ');
    return { ...step, kind: 'neutral', optional: undefined, authorizes: undefined, reason: `${profile.name} allows routes without ${labels} metadata`, source: 'body' };
  }
  if (gates.length > 0 && profile.kind === 'authorization') {
    const marker = gates.map((r) => present(r.keyId, r.levels, ['yes', 'maybe'])).find((m) => m !== undefined);
    if (marker) step.reason = `${profile.reason} (${marker.decorator})`;
  }
  return step;
}

function isNonHttpMethod(project: AnalysisProject, file: SourceFileInfo, member: ts.Node): boolean {
  return getDecorators(member).some((d) => {
    const name = getNestExport(project, file, decoratorCallee(d).callee) ?? getExternalName(project, file, decoratorCallee(d).callee);
    return name !== undefined && NEST_NON_HTTP_DECORATORS.has(name);
  });
}

function getExternalName(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): string | undefined {
  const inner = skipOuterExpressions(expr);
  if (ts.isIdentifier(inner)) {
    const binding = project.fileFact(IMPORTS, file).get(inner.text);
    if (binding && isPackageImport(project, file, binding.module)) return binding.imported;
    if (!binding) return undefined;
  }
  const origin = resolveOrigin(project, file, expr);
  return origin.kind === 'external' ? stripDefault(origin.path)[0] : undefined;
}

function collectMarkers(ctx: NestContext, metadata: MetadataEntry[], honouredIds: Set<string>): PublicMarker[] {
  const markers: PublicMarker[] = [];
  const configured = ctx.project.settings.publicMarkers ?? [];
  for (const entry of metadata) {
    const name = entry.decorator.replace(/^@/, '').replace(/\(.*$/s, '');
    if (entry.truthy !== 'yes') continue;
    const honoured = honouredIds.has(entry.keyId);
    const looksPublic = PUBLIC_MARKER_NAMES.test(name) || configured.includes(name) || configured.includes(entry.decorator) || /public|anonymous|skip.?auth|no.?auth/i.test(entry.keyLabel);
    if (honoured || looksPublic) markers.push({ ...entry.location, name: entry.decorator, honoured });
  }
  return markers;
}

const middlewareCache = defineProjectMemo<ts.Node, Classification>();

/** A Nest middleware: a class with `use(req, res, next)`, a function, or a package middleware. */
function middlewareStep(ctx: NestContext, step: { file: SourceFileInfo; expr: ts.Expression }, scope: ChainStepScope): ChainStep {
  // Computed in a frame of its own: the entry keeps what the classification read, not what its first route read.
  const classification =
    middlewareCache(ctx.project).get(step.expr) ??
    recordOwn(() => {
      const origin = resolveOrigin(ctx.project, step.file, step.expr);
      const use = origin.kind === 'local' && origin.path.length === 0 && ts.isClassLike(origin.node) ? findMethod(origin.node, 'use') : undefined;
      const found =
        use && origin.kind === 'local'
          ? classifyFunction(ctx.project, origin.file, use)
          : classifyMiddleware(ctx.project, step.file, step.expr);
      const name = getStepName(step.file, step.expr);
      const configured = ctx.project.settings.authenticationMiddleware?.includes(name)
        ? { kind: 'authentication' as const, reason: `configured as authentication ('${name}')`, source: 'configured' as const }
        : undefined;
      const result = configured ?? found;
      middlewareCache(ctx.project).set(step.expr, result);
      return result;
    });
  return toChainStep(classification, { name: getStepName(step.file, step.expr), file: step.file, node: step.expr, scope, phase: 'middleware' });
}

/** Every NestJS HTTP route of the project with global, controller and method guards. */
/** The application-level settings every controller's routes depend on, and the profiles of the global guards. */
interface NestApplication {
  app: AppConfig;
  globalProfiles: Array<{ ref: AppConfig['globalGuards'][number]; profile: GuardProfile }>;
}

/**
 * The application graph (modules, prefixes, versioning, middleware bindings, global guards) of every Nest application
 * in the project: a project fact of its own, read by each controller's unit, so that an edit of a controller (which
 * configures none of it) leaves it as it was in the editor's next snapshot.
 */
const NEST_APPLICATION = defineProjectFact('nest-application', (project: AnalysisProject): NestApplication => {
  const ctx = new NestContext(project);
  const app = collectAppConfig(ctx, project.files());
  return { app, globalProfiles: app.globalGuards.map((ref) => ({ ref, profile: ctx.getGuardProfile(ref) })) };
});

/**
 * Controller class key (file and position) → the key of the module whose `controllers` name it. Plain data, so that
 * an edit inside a controller, which moves the ends of its class but not where it starts, computes it again to the same
 * value and leaves every other controller's routes as they were (early cutoff, AnalysisProject.inheritFrom).
 */
const NEST_CONTROLLER_MODULES = defineProjectFact(
  'nest-controller-modules',
  (project: AnalysisProject): Map<string, string> => {
    const { app } = project.projectFact(NEST_APPLICATION);
    const ctx = new NestContext(project);
    const modules = new Map<string, string>();
    for (const list of app.controllerLists) {
      if ('expr' in list) registerControllerList(ctx, list.file, list.expr, list.moduleKey, modules);
      else registerControllers(ctx, list.value, list.moduleKey, modules);
    }
    return modules;
  },
  { plain: true },
);

/**
 * Whether the project has a Nest file (one whose routes are reported), and the paths of those that may declare a
 * controller, in the project's order. Plain data read from each file's summary, so that a keystroke in a controller,
 * which leaves its summary as it was, does not look at every file of the project again.
 */
const NEST_CONTROLLER_FILES = defineProjectFact(
  'nest-controller-files',
  (project: AnalysisProject): { nest: boolean; controllers: string[] } => {
    const files = project.files().filter((f) => isNestFile(f) && (!f.isTestFile || project.settings.reportTestFiles === true));
    return { nest: files.length > 0, controllers: files.filter((file) => !project.selects || mayDeclareController(project, file)).map((file) => file.path) };
  },
  { plain: true },
);

export function extractNestRoutes(project: AnalysisProject): RouteFact[] {
  const { nest, controllers } = project.projectFact(NEST_CONTROLLER_FILES);
  if (!nest) return [];
  // The application is read before any controller, as when it was computed in one pass.
  project.projectFact(NEST_APPLICATION);
  const routes: RouteFact[] = [];
  for (const filePath of controllers) {
    const file = project.getFile(filePath) as SourceFileInfo;
    // A unit per controller file: the editor's next snapshot extracts again only the controllers whose extraction
    // read the edited file (reads.ts). Its routes are never changed afterwards (extractRegistrations copies them).
    routes.push(...project.unit('nest-controller-routes', file.path, () => extractControllerRoutes(project, file)));
  }
  return routes;
}

/** The routes of the controllers declared in one file. */
function extractControllerRoutes(project: AnalysisProject, file: SourceFileInfo): RouteFact[] {
  const ctx = new NestContext(project);
  const { app, globalProfiles: allGlobalProfiles } = project.projectFact(NEST_APPLICATION);
  const modules = project.projectFact(NEST_CONTROLLER_MODULES);
  const scopedSettings = new Map<
    string,
    { globalProfiles: typeof allGlobalProfiles; globalPrefix: AppConfig['prefixes'][number] | undefined; uriVersioning: AppConfig['versionings'][number] | undefined; appMiddleware: AppConfig['middleware'] }
  >();
  const routes: RouteFact[] = [];
  {
    for (const cls of file.sourceFile.statements.filter(ts.isClassDeclaration)) {
      const decorators = getDecorators(cls);
      const controller = decorators.find((d) => getNestExport(project, file, decoratorCallee(d).callee) === 'Controller');
      if (!controller) continue;
      const controllerArg = decoratorCallee(controller).args[0];
      const controllerPaths = readPaths(project, file, controllerArg);
      const controllerOptions = controllerArg ? evaluate(project, file, controllerArg) : undefined;
      const controllerVersion = controllerOptions?.kind === 'object' ? controllerOptions.props.get('version') : undefined;
      const classExpansions = decorators.filter((d) => d !== controller).map((d) => ctx.expandDecorator(file, d));
      const classGuards = classExpansions.flatMap((e) => e.guards);
      const classMetadata = classExpansions.flatMap((e) => e.metadata);
      const modulePath = app.modulePaths.get(modules.get(nodeKey(file, cls)) ?? '');
      const servingApps = getServingApps(app, modules, nodeKey(file, cls));
      // App-level settings of other Nest applications (another service of a monorepo) do not reach this controller.
      const scope = makeSettingScope(project, app, modules, nodeKey(file, cls), file);
      let settings = scopedSettings.get(scope.signature);
      if (!settings) {
        settings = {
          globalProfiles: allGlobalProfiles.filter(({ ref }) => scope.inScope(ref.owner)),
          globalPrefix: app.prefixes.filter((p) => scope.inScope(p.owner)).at(-1),
          uriVersioning: app.versionings.filter((v) => scope.inScope(v.owner)).at(-1),
          appMiddleware: app.middleware.filter((binding) => scope.inScope(binding.owner)),
        };
        scopedSettings.set(scope.signature, settings);
      }
      const { globalProfiles, globalPrefix, uriVersioning, appMiddleware } = settings;
      // A controller no application graph reaches (a plugin registered at run time) while the repository's
      // applications install global guards: which of them run before it cannot be told.
      const controllerModule = modules.get(nodeKey(file, cls));
      const unplaced =
        allGlobalProfiles.length > 0 &&
        globalProfiles.length === 0 &&
        app.apps.some((a) => a.moduleKey !== undefined) &&
        (controllerModule === undefined || !getRootedModules(app).has(controllerModule));
      const owner = cls.name?.text;
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member) || isNonHttpMethod(project, file, member)) continue;
        const memberDecorators = getDecorators(member);
        const routeDecorator = memberDecorators.find((d) => {
          const name = getNestExport(project, file, decoratorCallee(d).callee);
          return name !== undefined && Object.hasOwn(NEST_ROUTE_DECORATORS, name);
        });
        if (!routeDecorator) continue;
        const { callee, args } = decoratorCallee(routeDecorator);
        const methods = [...(NEST_ROUTE_DECORATORS[getNestExport(project, file, callee) ?? ''] ?? ['ALL'])];
        const methodPaths = readPaths(project, file, args[0]);
        const versionDecorator = memberDecorators.find((d) => getNestExport(project, file, decoratorCallee(d).callee) === 'Version');
        const versionArg = versionDecorator ? decoratorCallee(versionDecorator).args[0] : undefined;
        const versions = !uriVersioning
          ? ['']
          : versionArg
            ? readVersions(evaluate(project, file, versionArg))
            : controllerVersion
              ? readVersions(controllerVersion)
              : uriVersioning.defaultVersions.length > 0
                ? uriVersioning.defaultVersions
                : [''];
        const expansions = memberDecorators.filter((d) => d !== routeDecorator).map((d) => ctx.expandDecorator(file, d));
        const methodGuards = expansions.flatMap((e) => e.guards);
        const methodMetadata = expansions.flatMap((e) => e.metadata);
        const metadata = { handler: methodMetadata, cls: classMetadata };
        const guardChain: ChainStep[] = [
          ...globalProfiles.map(({ ref, profile }) => toStep(profile, ref, 'global', metadata)),
          ...classGuards.map((ref) => toStep(ctx.getGuardProfile(ref), ref, 'controller', metadata)),
          ...methodGuards.map((ref) => toStep(ctx.getGuardProfile(ref), ref, 'method', metadata)),
        ];
        const honoured = new Set<string>();
        for (const { profile } of [...globalProfiles, ...[...classGuards, ...methodGuards].map((ref) => ({ profile: ctx.getGuardProfile(ref) }))]) {
          for (const read of profile.metadataReads) if (read.bypassWhenSet) honoured.add(read.keyId);
        }
        const publicMarkers = collectMarkers(ctx, [...methodMetadata, ...classMetadata], honoured);
        for (const { profile } of [...globalProfiles, ...[...classGuards, ...methodGuards].map((ref) => ({ profile: ctx.getGuardProfile(ref) }))]) {
          const opened = profile.dispatch && getDispatchOpenEntry(profile.dispatch, metadata);
          if (opened && !publicMarkers.some((m) => m.name === opened.decorator)) publicMarkers.push({ ...opened.location, name: opened.decorator, honoured: true });
        }
        for (const [controllerPath, methodPath, version] of controllerPaths.paths.flatMap((c) => methodPaths.paths.flatMap((m) => versions.map((v) => [c, m, v] as const)))) {
          {
            const versionSegment = version === '' ? '' : `${uriVersioning?.prefix ?? 'v'}${version}`;
            const relative = joinPaths(modulePath?.path ?? '', controllerPath, methodPath);
            const mounts: MountLocation[] = [];
            let prefix = '';
            let prefixResolved = true;
            if (globalPrefix && !methods.every((m) => isExcluded(globalPrefix, relative, m))) {
              prefix = globalPrefix.prefix;
              prefixResolved = globalPrefix.resolved;
              mounts.push({ ...globalPrefix.location, prefix: globalPrefix.prefix });
            }
            if (modulePath) mounts.push({ ...modulePath.location, prefix: modulePath.path });
            mounts.push({ ...locate(project, file, controller), prefix: controllerPath });
            const fullPath = joinPaths(prefix, versionSegment, relative);
            const middleware = appMiddleware
              .filter((binding) => bindingApplies(binding, nodeKey(file, cls), relative, fullPath, methods))
              .flatMap((binding) => binding.steps.map((step) => middlewareStep(ctx, step, binding.scope)));
            const chain = [...middleware, ...guardChain.map((s) => ({ ...s }))];
            routes.push({
              ...locate(project, file, routeDecorator),
              framework: 'nestjs',
              methods,
              path: fullPath,
              pathResolved: controllerPaths.resolved && methodPaths.resolved && prefixResolved,
              // Nest applies guards, interceptors and `forRoutes` middleware relative to the global prefix.
              ...(controllerPaths.resolved && methodPaths.resolved && !prefixResolved ? { unresolvedPrefixOnly: true } : {}),
              handler: locate(project, file, member.name),
              chain,
              publicMarkers,
              mounts,
              ...(owner ? { owner } : {}),
              listeners: servingApps.flatMap((a) => a.listeners),
              ...(servingApps.length === 1 ? { app: getAppLabel(app, servingApps[0] as NestApp) } : {}),
              ...(unplaced ? { detached: true } : {}),
              internalReasons: [],
            });
          }
        }
      }
    }
  }
  return routes;
}

export const NESTJS_EXTRACTOR: RouteExtractor = {
  framework: 'nestjs',
  extract: extractNestRoutes,
};
