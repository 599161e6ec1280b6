import { ts } from '@ts-morph/common';
import { defineFileFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { indexedNodesOfKinds } from '../core/walk.js';
import { getJwtLibrary, JWT_LIBRARIES, matchesApiPath } from '../models/jwt/index.js';
import { getNodeAt, type NodeRef } from '../core/node-ref.js';
import { EXPORTS, getRequireSpecifier, IMPORTS, resolveExport, type ImportBinding, type ResolvedSymbol } from './imports.js';
import { findDeclaration, getBindingPath, getPropertyName, skipOuterExpressions } from './scope.js';
import { findEnclosingClass, findThisAssignment, stripDefault } from './values.js';

/**
 * Where an expression's origin (`resolveOrigin`) enters the file: the import or `require` it starts from, and the
 * steps written after it in this file. Only such an origin can be a package export; everything else (a local function,
 * an untyped parameter, a global) never is.
 */
export interface CallSeed {
  /** `call`/`new`: the callee; `plugin`: the argument of `x.register(plugin)`; `strategy`: `PassportStrategy(arg)` of a class calling `super`. */
  role: 'call' | 'new' | 'plugin' | 'strategy';
  module: string;
  /** The export the binding names: a name, `default`, or `*` (namespace import, `require`). */
  imported: string;
  steps: string[];
}

/**
 * Plain data about a file's calls from which the scan thread decides, without the tree, whether any call may be a
 * JWT library call (`JWT_CALLS` parses the file only then). A superset of what the matchers of `src/facts/jwt.ts`
 * can bind: it follows `resolveOrigin`'s steps inside the file and stops where they cross into another module.
 */
export interface JwtCallSites {
  seeds: CallSeed[];
  /** An origin this summary did not follow to its end (a chain longer than it follows): the file must be read. */
  unbounded: boolean;
  /** Ids of libraries one of whose decorators ends a callee's member chain (`request.jwtVerify()`). */
  decoratorLibraries: string[];
  /** A call shaped like hapi's `server.auth.strategy(name, scheme)`. */
  authStrategy: boolean;
  /** The origins of the variables and expressions the module exports (what `resolveExport` may end at), by position. */
  exported: Array<[string, ExportedSeed]>;
}

interface SeedRef {
  module: string;
  imported: string;
  steps: string[];
}

type Seed = SeedRef | 'never' | 'unbounded';

/** The origin of a variable or expression a module exports, keyed by its position (`refKey`), for files importing it. */
export type ExportedSeed = Seed;

function refKey(at: NodeRef): string {
  return `${at.pos}:${at.end}:${at.kind}`;
}

/** Deeper than `resolveOrigin` follows (it gives up at 24 steps), so giving up here only lets a file through. */
const MAX_STEPS = 64;

interface SeedWalk {
  imports: ReadonlyMap<string, ImportBinding>;
  steps: number;
  seen: Set<ts.Node>;
  /**
   * The seeds of `this.name` in each class, as a walk that has entered no declaration yet finds them, with the steps of
   * the budget each took (`seedOfThisMember`): most callees of a class start from a few of its members.
   */
  members?: Map<ts.ClassLikeDeclaration, Map<string, { seed: Seed; used: number }>>;
}

function extend(seed: Seed, ...steps: string[]): Seed {
  return typeof seed === 'string' ? seed : { module: seed.module, imported: seed.imported, steps: seed.steps.concat(steps) };
}

/**
 * Walks a member chain from its outer end to its root, as a recursion over `expression` would (one step of the budget
 * per link), and appends the links' steps to the root's seed once.
 */
function seedOf(w: SeedWalk, input: ts.Expression): Seed {
  const reversed: string[] = [];
  let expr = input;
  let root: Seed;
  for (;;) {
    if (w.steps++ > MAX_STEPS) return 'unbounded';
    expr = skipOuterExpressions(expr);
    if (ts.isAwaitExpression(expr)) {
      expr = expr.expression;
    } else if (ts.isIdentifier(expr)) {
      const decl = findDeclaration(expr, expr.text);
      root = decl ? seedOfDeclaration(w, decl) : 'never';
      break;
    } else if (ts.isPropertyAccessExpression(expr)) {
      if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
        root = seedOfThisMember(w, expr);
        break;
      }
      reversed.push(expr.name.text);
      expr = expr.expression;
    } else if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) {
      reversed.push(expr.argumentExpression.text);
      expr = expr.expression;
    } else if (ts.isCallExpression(expr)) {
      const specifier = getRequireSpecifier(expr);
      if (specifier !== undefined) {
        root = { module: specifier, imported: '*', steps: [] };
        break;
      }
      reversed.push('()');
      expr = expr.expression;
    } else if (ts.isNewExpression(expr)) {
      reversed.push('new');
      expr = expr.expression;
    } else {
      return 'never';
    }
  }
  return reversed.length === 0 ? root : extend(root, ...reversed.reverse());
}

function seedOfDeclaration(w: SeedWalk, decl: ts.Node): Seed {
  if (w.steps++ > MAX_STEPS) return 'unbounded';
  if (w.seen.has(decl)) return 'never';
  w.seen.add(decl);
  if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
    const local = ts.isImportClause(decl) ? decl.name?.text : decl.name.text;
    const binding = local === undefined ? undefined : w.imports.get(local);
    return binding ? { module: binding.module, imported: binding.imported, steps: [] } : 'never';
  }
  if (ts.isVariableDeclaration(decl)) {
    const specifier = getRequireSpecifier(decl.initializer);
    if (specifier !== undefined) return { module: specifier, imported: '*', steps: [] };
    if (decl.initializer) return seedOf(w, decl.initializer);
    return decl.type ? seedOfType(w, decl.type) : 'never';
  }
  if (ts.isBindingElement(decl)) {
    const bound = getBindingPath(decl);
    return bound ? extend(seedOfDeclaration(w, bound.declaration), ...bound.path.map(String)) : 'never';
  }
  if (ts.isParameter(decl)) return decl.type ? seedOfType(w, decl.type) : 'never';
  return 'never';
}

function seedOfType(w: SeedWalk, type: ts.TypeNode): Seed {
  if (!ts.isTypeReferenceNode(type)) return 'never';
  const name = type.typeName;
  if (ts.isIdentifier(name)) {
    const decl = findDeclaration(type, name.text);
    return decl ? extend(seedOfDeclaration(w, decl), '#instance') : 'never';
  }
  if (ts.isIdentifier(name.left)) {
    const decl = findDeclaration(type, name.left.text);
    return decl ? extend(seedOfDeclaration(w, decl), name.right.text, '#instance') : 'never';
  }
  return 'never';
}

/**
 * A walk that has entered no declaration (`seen` empty) finds the same seed for a member whatever steps it took
 * before, unless the budget runs out on the way: such an answer is kept with the steps it took, and given again only
 * when those steps fit in what is left of the budget. An unbounded answer is never kept.
 */
function seedOfThisMember(w: SeedWalk, access: ts.PropertyAccessExpression): Seed {
  const cls = findEnclosingClass(access);
  if (!cls) return 'never';
  const name = access.name.text;
  if (!w.members || w.seen.size > 0) return seedOfMember(w, cls, name);
  let byName = w.members.get(cls);
  if (!byName) w.members.set(cls, (byName = new Map()));
  const kept = byName.get(name);
  if (kept && w.steps + kept.used <= MAX_STEPS + 1) {
    w.steps += kept.used;
    return kept.seed;
  }
  const before = w.steps;
  const seed = seedOfMember(w, cls, name);
  if (seed !== 'unbounded') byName.set(name, { seed, used: w.steps - before });
  return seed;
}

function seedOfMember(w: SeedWalk, cls: ts.ClassLikeDeclaration, name: string): Seed {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && getPropertyName(member.name) === name) {
      if (member.initializer) return seedOf(w, member.initializer);
      if (member.type) return seedOfType(w, member.type);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && parameter.type) return seedOfType(w, parameter.type);
      }
      const assigned = findThisAssignment(member, name);
      if (assigned) return seedOf(w, assigned);
    }
  }
  return 'never';
}

/** `const v = promisify(x)`: matchImported reads `x` for a call of `v`. */
function getWrappedArgument(callee: ts.Expression): ts.Expression | undefined {
  const inner = skipOuterExpressions(callee);
  if (!ts.isIdentifier(inner)) return undefined;
  const decl = findDeclaration(inner, inner.text);
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
  return init && ts.isCallExpression(init) ? init.arguments[0] : undefined;
}

/** `class S extends PassportStrategy(Strategy)`: the argument whose origin matchPassportSuper reads. */
function getStrategyArgument(call: ts.CallExpression): ts.Expression | undefined {
  const heritage = findEnclosingClass(call)?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return heritage && ts.isCallExpression(heritage) ? heritage.arguments[0] : undefined;
}

/** The member names of a property chain without its root: `['b', 'c']` for `a.b.c`. */
export function memberNames(expr: ts.Expression): string[] {
  const names: string[] = [];
  let current = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(current)) {
    names.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  return names;
}

/** The member names decorators end with (`verify` of `request.jwt.verify()`): a callee ending otherwise matches none. */
const DECORATOR_LAST_NAMES: ReadonlySet<string> = new Set(
  JWT_LIBRARIES.flatMap((library) => library.apis.flatMap(({ decorator }) => (decorator && decorator.length > 0 ? [decorator[decorator.length - 1] as string] : []))),
);

function decoratorLibrariesOf(callee: ts.Expression, found: Set<string>): void {
  const inner = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(inner) || !DECORATOR_LAST_NAMES.has(inner.name.text)) return;
  const names = memberNames(callee);
  if (names.length === 0) return;
  for (const library of JWT_LIBRARIES) {
    for (const { decorator } of library.apis) {
      if (decorator && names.length >= decorator.length && decorator.every((name, i) => names[names.length - decorator.length + i] === name)) found.add(library.id);
    }
  }
}

function isAuthStrategyCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'strategy' || call.arguments.length < 2) return false;
  return ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'auth';
}

/** Seeds of what the module's exports resolve to in this file: the expressions and the variables declared at top level. */
function getExportedSeeds(file: SourceFileInfo, project: AnalysisProject, imports: ReadonlyMap<string, ImportBinding>): Array<[string, ExportedSeed]> {
  const exports = project.fileFact(EXPORTS, file);
  const refs: NodeRef[] = [];
  for (const target of exports.named.values()) {
    if (target.kind === 'expression') refs.push(target.at);
    const declared = target.kind === 'local' ? exports.declarations.get(target.name) : undefined;
    if (declared?.kind === ts.SyntaxKind.VariableDeclaration) refs.push(declared);
  }
  const exported = new Map<string, ExportedSeed>();
  for (const at of refs) {
    const node = getNodeAt(file, at);
    const w: SeedWalk = { imports, steps: 0, seen: new Set() };
    exported.set(refKey(at), ts.isVariableDeclaration(node) ? seedOfDeclaration(w, node) : seedOf(w, node as ts.Expression));
  }
  return [...exported];
}

const CALL_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]);

/** The call-site summary of one file (portable: the CLI's extraction threads compute it while they parse the file). */
export const JWT_CALL_SITES = defineFileFact(
  'jwt-call-sites',
  (file: SourceFileInfo, project: AnalysisProject): JwtCallSites => {
    const imports = project.fileFact(IMPORTS, file);
    const seeds = new Map<string, CallSeed>();
    const decorators = new Set<string>();
    let unbounded = false;
    let authStrategy = false;
    // One walk state for every seed of the file, reset before each (a fresh walk each time, without allocating one).
    const w: SeedWalk = { imports, steps: 0, seen: new Set(), members: new Map() };
    const add = (role: CallSeed['role'], expr: ts.Expression | undefined): void => {
      if (!expr) return;
      w.steps = 0;
      w.seen.clear();
      const seed = seedOf(w, expr);
      if (seed === 'unbounded') unbounded = true;
      if (typeof seed === 'string') return;
      // A cheap key that tells seeds apart (each part prefixed by its length); the JSON key orders them only once.
      let key = `${role}:${seed.module.length}:${seed.module}${seed.imported.length}:${seed.imported}`;
      for (const step of seed.steps) key += `${step.length}:${step}`;
      if (!seeds.has(key)) seeds.set(key, { role, module: seed.module, imported: seed.imported, steps: seed.steps });
    };
    for (const node of indexedNodesOfKinds(file.sourceFile, CALL_KINDS) as Array<ts.CallExpression | ts.NewExpression>) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.SuperKeyword) {
        add('strategy', getStrategyArgument(node as ts.CallExpression));
        continue;
      }
      if (callee.kind === ts.SyntaxKind.ImportKeyword) continue;
      add(ts.isNewExpression(node) ? 'new' : 'call', callee);
      add('call', getWrappedArgument(callee));
      if (ts.isNewExpression(node)) continue;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register') add('plugin', node.arguments[0]);
      decoratorLibrariesOf(callee, decorators);
      if (isAuthStrategyCall(node)) authStrategy = true;
    }
    const ordered = [...seeds.values()]
      .map((seed) => [JSON.stringify([seed.role, seed.module, seed.imported, seed.steps]), seed] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, seed]) => seed);
    return { seeds: ordered, unbounded, decoratorLibraries: [...decorators].sort(), authStrategy, exported: getExportedSeeds(file, project, imports) };
  },
  { portable: true },
);

/** Whether an origin a package export `module` › `path` gives to a seed's role is one the matchers bind. */
function externalMatches(module: string, origin: readonly string[], role: CallSeed['role']): boolean {
  const library = getJwtLibrary(module);
  if (!library) return false;
  const path = stripDefault(origin);
  if (role === 'plugin') return path.length === 0 && library.apis.some((a) => a.plugin);
  if (role === 'strategy') return library.apis.some((a) => a.passportStrategy && a.path && matchesApiPath(a.path, path));
  const full = role === 'new' ? [...path, 'new'] : path;
  const apis = library.apis.filter((a) => a.path !== undefined && !a.plugin && !a.passportStrategy);
  if (apis.some((a) => matchesApiPath(a.path!, full))) return true;
  return full[full.length - 1] === '()' && apis.some((a) => a.returnsFunction && matchesApiPath(a.path!, full.slice(0, -1)));
}

/** A chain of exports longer than this (or circular) is taken as possibly bound: the walk decides. */
const MAX_LINKS = 32;

/** Whether a package export `module` › `origin` reached by a seed of `role` is one the caller looks for. */
export type ExternalTest = (module: string, origin: readonly string[], role: CallSeed['role']) => boolean;

interface Linker {
  project: AnalysisProject;
  reaches: (target: SourceFileInfo) => boolean;
  matches: ExternalTest;
  depth: number;
}

/**
 * Follows a seed across modules as `resolveOrigin` does, on plain data: imports and re-exports through `resolveExport`
 * (which reads the files' portable exports), and a variable or expression a module exports through that module's own
 * call-site summary. Only the namespace a chain ends at has its first step resolved (`followLocalModule`).
 */
function linkSeed(l: Linker, from: SourceFileInfo, seed: SeedRef, role: CallSeed['role'], followed: boolean): boolean {
  const target = l.project.resolveImport(from, seed.module);
  if (!target) return l.matches(seed.module, [seed.imported, ...seed.steps], role);
  // Everything a module exports comes from the files it reaches.
  if (!l.reaches(target)) return false;
  if (seed.imported === '*') return namespaceMatches(l, target, seed.steps, role, followed);
  return symbolMatches(l, resolveExport(l.project, target, seed.imported), seed.steps, role, followed);
}

function namespaceMatches(l: Linker, module: SourceFileInfo, steps: readonly string[], role: CallSeed['role'], followed: boolean): boolean {
  if (followed || steps.length === 0) return false;
  return symbolMatches(l, resolveExport(l.project, module, steps[0] as string), steps.slice(1), role, true);
}

function symbolMatches(l: Linker, symbol: ResolvedSymbol, steps: readonly string[], role: CallSeed['role'], followed: boolean): boolean {
  if (symbol.kind === 'unknown') return false;
  if (symbol.kind === 'external') return l.matches(symbol.module, [...symbol.path, ...steps], role);
  const kind = symbol.at.kind;
  if (kind === ts.SyntaxKind.SourceFile) return namespaceMatches(l, symbol.file, steps, role, followed);
  if (kind === ts.SyntaxKind.FunctionDeclaration || kind === ts.SyntaxKind.ClassDeclaration || kind === ts.SyntaxKind.ExportSpecifier) return false;
  const seed = getExportedSeed(l.project, symbol.file, symbol.at);
  if (seed === 'never') return false;
  if (seed === undefined || seed === 'unbounded' || l.depth >= MAX_LINKS) return true;
  l.depth++;
  try {
    return linkSeed(l, symbol.file, { ...seed, steps: [...seed.steps, ...steps] }, role, followed);
  } finally {
    l.depth--;
  }
}

const exportedSeedTables = new WeakMap<JwtCallSites, Map<string, ExportedSeed>>();

function getExportedSeed(project: AnalysisProject, file: SourceFileInfo, at: NodeRef): ExportedSeed | undefined {
  const sites = project.fileFact(JWT_CALL_SITES, file);
  let table = exportedSeedTables.get(sites);
  if (!table) {
    table = new Map(sites.exported);
    exportedSeedTables.set(sites, table);
  }
  return table.get(refKey(at));
}

/** Whether a seed's origin may be a JWT library export the matchers bind. `reaches` tells whether a repository file (or one it imports) names a JWT package. */
export function seedMayBeJwt(project: AnalysisProject, file: SourceFileInfo, seed: CallSeed, reaches: (target: SourceFileInfo) => boolean): boolean {
  return linkSeed({ project, reaches, matches: externalMatches, depth: 0 }, file, seed, seed.role, false);
}

/**
 * Whether a seed's origin may be a package export that `matches` accepts, followed across modules on plain data as
 * `seedMayBeJwt` follows it (other facts that bind calls through `resolveOrigin` gate their walks with it).
 */
export function seedMayReachExport(project: AnalysisProject, file: SourceFileInfo, seed: CallSeed, reaches: (target: SourceFileInfo) => boolean, matches: ExternalTest): boolean {
  return linkSeed({ project, reaches, matches, depth: 0 }, file, seed, seed.role, false);
}
