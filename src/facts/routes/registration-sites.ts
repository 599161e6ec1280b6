import { ts } from '@ts-morph/common';
import { defineFileFact, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { indexedNodes, walk } from '../../core/walk.js';
import { EXPRESS_MODEL } from '../../models/frameworks/express.js';
import { HONO_MODEL } from '../../models/frameworks/hono.js';
import { KOA_MODEL } from '../../models/frameworks/koa.js';
import type { StackFrameworkModel } from '../../models/frameworks/stack-model.js';
import { getRequireSpecifier, IMPORTS, type ImportBinding } from '../imports.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from '../scope.js';
import { findEnclosingClass } from '../values.js';
import { getReturnedExpressions } from './classify.js';

/**
 * Where the registration search (registrations.ts) can find something in a file, as plain data, so that the scan thread
 * parses only those files. A registration is a call `x.name(…)` with `name` in a framework's vocabulary whose receiver
 * `x` resolves to an app or router, and an instance only comes from a framework factory (`express()`, `new Koa()`). The
 * search follows the receiver through variables, parameters, class members, imports and the values they hold; this
 * summary follows the same steps inside the file and records, for each call that may register, where its receiver may
 * lead outside the file: anywhere (`true`, a parameter bound at call sites elsewhere, a value not followed here), or
 * only through the import or `require` specifiers listed (a package that is not a framework module gives no instance).
 * A call whose receiver can lead nowhere (a global, a callback's parameter, `this.service` injected by a constructor, a
 * local `new Map()`) is left out. The steps are a superset of Collector.resolve's, which they mirror case by case:
 * keep the two in step.
 */

/** Where a receiver may lead: `true` anywhere, otherwise only through these module specifiers (none: nowhere). */
export type Reach = true | readonly string[];

/** The name of a site whose method is computed (`router[verb](name, …)` in a helper, Collector.collectComputed). */
export const COMPUTED = '[]';

export interface RegistrationSite {
  /**
   * The method called (`get`, `use`, `listen`), '' for a call of a function given an object with a `fetch` member
   * (Hono's `serve`), or COMPUTED.
   */
  name: string;
  args: number;
  /** The receiver is Express's route builder `x.route(path)` (through verb calls): a route whatever the number of arguments. */
  builder: boolean;
  receiver: Reach;
  /** `listen` calls: where the server (`http.createServer(app)`) may come from. */
  server?: Reach;
}

export const STACK_MODELS: readonly StackFrameworkModel[] = [EXPRESS_MODEL, KOA_MODEL, HONO_MODEL];

/** Method names that pass the receiver on in some model (Collector.isChainable, basePath, Koa's `routes()`). */
const CHAIN_NAMES = new Set(
  STACK_MODELS.flatMap((m) => [
    m.useMethod,
    ...Object.keys(m.routeMethods),
    ...Object.keys(m.routeConfigMethods ?? {}),
    ...[m.onMethod, m.mountMethod, m.basePathMethod].filter((w): w is string => w !== undefined),
    ...(m.mountableUnwrap ?? []),
  ]),
);

/** Whether a model's collectCall looks at a call of this method (the same tests, `in` included). */
export function isRegistrationName(model: StackFrameworkModel, name: string): boolean {
  return (
    name in model.routeMethods ||
    (model.routeConfigMethods !== undefined && Object.hasOwn(model.routeConfigMethods, name)) ||
    name === model.useMethod ||
    name === model.onMethod ||
    name === model.mountMethod ||
    model.listenMethods.includes(name) ||
    name === model.prefixMethod
  );
}

/** Whether a call of this shape can add an event or set a prefix in a model (Collector.collectWithEnv's argument tests). */
export function mayRegister(model: StackFrameworkModel, site: RegistrationSite): boolean {
  if (site.name === '') return model.serveFunctions !== undefined;
  if (site.name === COMPUTED) return site.args >= 2;
  if (!isRegistrationName(model, site.name)) return false;
  if (model.listenMethods.includes(site.name) || (site.builder && model.routeBuilder !== undefined)) return true;
  const { name, args } = site;
  if (name === model.prefixMethod && args >= 1) return true;
  if (name === model.useMethod && args >= 1) return true;
  if (name === model.onMethod && args >= 3) return true;
  return args >= 2 && (name in model.routeMethods || name === model.mountMethod || (model.routeConfigMethods !== undefined && Object.hasOwn(model.routeConfigMethods, name)));
}

/** The packages a model's instances, servers and `serve` functions come from. */
export function getModelModules(model: StackFrameworkModel): Set<string> {
  return new Set([...model.factories, ...(model.serverFactories ?? []), ...(model.serveFunctions ?? [])].flatMap((f) => f.modules));
}

/** Whether a reach can lead to an instance of the model in this project: anywhere, a repository module, or one of its packages. */
export function isReachable(project: AnalysisProject, file: SourceFileInfo, reach: Reach, modules: ReadonlySet<string>): boolean {
  if (reach === true) return true;
  return reach.some((specifier) => modules.has(specifier) || project.resolveImport(file, specifier) !== undefined);
}

const MAX_DEPTH = 12;
const NOWHERE: ReadonlySet<string> = new Set();
type Leads = true | ReadonlySet<string>;

function join(...all: Leads[]): Leads {
  const out = new Set<string>();
  for (const leads of all) {
    if (leads === true) return true;
    for (const specifier of leads) out.add(specifier);
  }
  return out;
}

/** Follows one file's expressions the way Collector.resolve does, stopping at the file's edge. */
class SiteReader {
  private readonly imports: ReadonlyMap<string, ImportBinding>;
  private readonly thisAssignments = new Map<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();

  constructor(file: SourceFileInfo, project: AnalysisProject) {
    this.imports = project.fileFact(IMPORTS, file);
  }

  /** An imported name: resolveImportedName reads the file's import table by name. */
  private imported(name: string): Leads {
    const binding = this.imports.get(name);
    return binding ? new Set([binding.module]) : NOWHERE;
  }

  /** Collector.resolve. */
  receiver(input: ts.Expression, loop: string | undefined, depth: number): Leads {
    if (depth > MAX_DEPTH) return true;
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.receiver(expr.expression, loop, depth + 1);
    if (ts.isIdentifier(expr)) {
      if (expr.text === loop) return true;
      const decl = findDeclaration(expr, expr.text);
      if (!decl) return NOWHERE;
      if (ts.isVariableDeclaration(decl)) return decl.initializer && ts.isIdentifier(decl.name) ? this.receiver(decl.initializer, undefined, depth + 1) : NOWHERE;
      if (ts.isParameter(decl)) return isCallbackParameter(decl) ? NOWHERE : true;
      if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isImportEqualsDeclaration(decl) || ts.isNamespaceImport(decl)) return this.imported(expr.text);
      if (ts.isBindingElement(decl)) return true;
      return NOWHERE;
    }
    if (ts.isNewExpression(expr)) return this.origin(expr, depth + 1);
    if (ts.isCallExpression(expr)) {
      const made = this.origin(expr, depth + 1);
      const specifier = getRequireSpecifier(expr);
      if (specifier !== undefined) return join(made, new Set([specifier]));
      const callee = skipOuterExpressions(expr.expression);
      const chained = ts.isPropertyAccessExpression(callee) && CHAIN_NAMES.has(callee.name.text) ? this.receiver(callee.expression, loop, depth + 1) : NOWHERE;
      return join(made, chained, this.called(callee, depth + 1));
    }
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      if (ts.isIdentifier(expr.expression) && expr.expression.text === loop) return true;
      const member = ts.isPropertyAccessExpression(expr) ? this.classMember(expr, depth + 1) : NOWHERE;
      return join(member, this.memberValue(expr, depth + 1));
    }
    return NOWHERE;
  }

  /** Collector.resolveClassMember: `this.app`, `new Routes().router`, `routes.router`. */
  private classMember(access: ts.PropertyAccessExpression, depth: number): Leads {
    const base = skipOuterExpressions(access.expression);
    const name = access.name.text;
    if (base.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = findEnclosingClass(access);
      return cls ? this.membersNamed(cls, name, depth) : NOWHERE;
    }
    let created: ts.Expression | undefined = ts.isNewExpression(base) ? base : undefined;
    if (ts.isIdentifier(base)) {
      const decl = findDeclaration(base, base.text);
      if (decl && ts.isVariableDeclaration(decl)) created = decl.initializer;
      else if (decl && (ts.isImportClause(decl) || ts.isImportSpecifier(decl))) return this.imported(base.text);
    }
    const inner = created ? skipOuterExpressions(created) : undefined;
    if (!inner || !ts.isNewExpression(inner) || !ts.isIdentifier(inner.expression)) return NOWHERE;
    const decl = findDeclaration(inner.expression, inner.expression.text);
    if (decl && ts.isClassDeclaration(decl)) return this.membersNamed(decl, name, depth);
    if (decl && (ts.isImportClause(decl) || ts.isImportSpecifier(decl))) return this.imported(inner.expression.text);
    return NOWHERE;
  }

  /** The initializers of a class's properties of that name and every `this.name = …` in it. */
  private membersNamed(cls: ts.ClassLikeDeclaration, name: string, depth: number): Leads {
    const found: Leads[] = [];
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && getPropertyName(member.name) === name) found.push(this.receiver(member.initializer, undefined, depth + 1));
    }
    for (const right of this.getThisAssignments(cls).get(name) ?? []) found.push(this.receiver(right, undefined, depth + 1));
    return join(...found);
  }

  /** `this.x = …` anywhere in a class, by name (Collector.getThisAssignments without its text pre-test). */
  private getThisAssignments(cls: ts.ClassLikeDeclaration): Map<string, ts.Expression[]> {
    let table = this.thisAssignments.get(cls);
    if (table) return table;
    const found = new Map<string, ts.Expression[]>();
    walk(cls, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = skipOuterExpressions(node.left);
      if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) return;
      const list = found.get(left.name.text);
      if (list) list.push(node.right);
      else found.set(left.name.text, [node.right]);
    });
    table = found;
    this.thisAssignments.set(cls, table);
    return table;
  }

  /**
   * resolveValue(evaluate(access)): a member read gives something else than the access itself only when the object
   * evaluates to an object literal, an array, a module or a union of them (values.ts getMember).
   */
  private memberValue(access: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): Leads {
    if (ts.isElementAccessExpression(access) && !ts.isStringLiteralLike(access.argumentExpression) && !ts.isNumericLiteral(access.argumentExpression)) return NOWHERE;
    return this.container(access.expression, depth);
  }

  /** Where evaluate(expr) may give a value with members (values.ts getMember), or a function. */
  private container(input: ts.Expression, depth: number): Leads {
    if (depth > MAX_DEPTH) return true;
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.container(expr.expression, depth + 1);
    if (ts.isIdentifier(expr)) {
      const decl = findDeclaration(expr, expr.text);
      if (!decl) return NOWHERE;
      if (ts.isVariableDeclaration(decl)) {
        const specifier = getRequireSpecifier(decl.initializer);
        if (specifier !== undefined) return new Set([specifier]);
        // A `let` may be assigned anything later (values.ts getLaterAssignments).
        if (!(decl.parent.flags & ts.NodeFlags.Const)) return true;
        return decl.initializer ? this.container(decl.initializer, depth + 1) : NOWHERE;
      }
      if (ts.isParameter(decl)) return decl.initializer ? true : NOWHERE;
      if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isImportEqualsDeclaration(decl) || ts.isNamespaceImport(decl)) return this.imported(expr.text);
      if (ts.isBindingElement(decl)) return true;
      return ts.isFunctionDeclaration(decl) ? true : NOWHERE;
    }
    if (ts.isObjectLiteralExpression(expr) || ts.isArrayLiteralExpression(expr) || ts.isFunctionLike(expr)) return true;
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return this.memberValue(expr, depth + 1);
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return join(this.container(expr.left, depth + 1), this.container(expr.right, depth + 1));
      return NOWHERE;
    }
    if (ts.isConditionalExpression(expr)) return join(this.container(expr.whenTrue, depth + 1), this.container(expr.whenFalse, depth + 1));
    if (ts.isCallExpression(expr)) {
      const specifier = getRequireSpecifier(expr);
      if (specifier !== undefined) return new Set([specifier]);
      // Object.assign(…) evaluates to an object.
      const callee = skipOuterExpressions(expr.expression);
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' ? true : NOWHERE;
    }
    return NOWHERE;
  }

  /** resolveFunction(callee) and what that function returns (Collector.resolve on a call). */
  private called(input: ts.Expression, depth: number): Leads {
    if (depth > MAX_DEPTH) return true;
    const callee = skipOuterExpressions(input);
    if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) return this.returned(callee, depth + 1);
    if (ts.isIdentifier(callee)) {
      const decl = findDeclaration(callee, callee.text);
      if (decl && ts.isFunctionDeclaration(decl)) return this.returned(decl, depth + 1);
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const base = skipOuterExpressions(callee.expression);
      if (base.kind === ts.SyntaxKind.ThisKeyword) return NOWHERE;
      // A method of a class (resolveClass) or of a constructor function (resolveConstructedFunction).
      if (ts.isNewExpression(base)) return true;
      if (ts.isIdentifier(base)) {
        const decl = findDeclaration(base, base.text);
        if (decl && (ts.isVariableDeclaration(decl) || ts.isClassDeclaration(decl))) return true;
      }
      return this.container(base, depth + 1);
    }
    return this.container(callee, depth + 1);
  }

  private returned(fn: ts.FunctionLikeDeclaration, depth: number): Leads {
    return join(
      ...getReturnedExpressions(fn).map((r) => {
        const created = skipOuterExpressions(r);
        const made = ts.isNewExpression(created) || ts.isCallExpression(created) ? this.origin(created, depth + 1) : NOWHERE;
        return join(made, this.receiver(r, undefined, depth + 1));
      }),
    );
  }

  /**
   * values.ts originOf, for a factory match: which packages the origin of a call or `new` may come from. A type
   * annotation gives an `#instance` origin, which no factory path has.
   */
  origin(input: ts.Expression, depth: number): Leads {
    if (depth > MAX_DEPTH) return true;
    const expr = skipOuterExpressions(input);
    if (ts.isAwaitExpression(expr)) return this.origin(expr.expression, depth + 1);
    if (ts.isIdentifier(expr)) {
      const decl = findDeclaration(expr, expr.text);
      return decl ? this.declarationOrigin(decl, depth + 1) : NOWHERE;
    }
    if (ts.isPropertyAccessExpression(expr)) {
      if (expr.expression.kind !== ts.SyntaxKind.ThisKeyword) return this.origin(expr.expression, depth + 1);
      const cls = findEnclosingClass(expr);
      if (!cls) return NOWHERE;
      const found: Leads[] = [];
      for (const member of cls.members) {
        if (ts.isPropertyDeclaration(member) && member.initializer && getPropertyName(member.name) === expr.name.text) found.push(this.origin(member.initializer, depth + 1));
        if (ts.isConstructorDeclaration(member)) {
          for (const statement of member.body?.statements ?? []) {
            if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
            const { left, right, operatorToken } = statement.expression;
            if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === expr.name.text) {
              found.push(this.origin(right, depth + 1));
            }
          }
        }
      }
      return join(...found);
    }
    if (ts.isElementAccessExpression(expr)) return ts.isStringLiteralLike(expr.argumentExpression) ? this.origin(expr.expression, depth + 1) : NOWHERE;
    if (ts.isCallExpression(expr)) {
      const specifier = getRequireSpecifier(expr);
      return specifier !== undefined ? new Set([specifier]) : this.origin(expr.expression, depth + 1);
    }
    if (ts.isNewExpression(expr)) return this.origin(expr.expression, depth + 1);
    return NOWHERE;
  }

  private declarationOrigin(decl: ts.Node, depth: number): Leads {
    if (depth > MAX_DEPTH) return true;
    if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
      const local = ts.isImportClause(decl) ? decl.name?.text : decl.name.text;
      return local ? this.imported(local) : NOWHERE;
    }
    if (ts.isVariableDeclaration(decl)) {
      const specifier = getRequireSpecifier(decl.initializer);
      if (specifier !== undefined) return new Set([specifier]);
      return decl.initializer ? this.origin(decl.initializer, depth + 1) : NOWHERE;
    }
    if (ts.isBindingElement(decl)) {
      let root: ts.Node = decl;
      while (ts.isBindingElement(root)) root = root.parent.parent;
      return ts.isVariableDeclaration(root) ? this.declarationOrigin(root, depth + 1) : NOWHERE;
    }
    return NOWHERE;
  }

  /** Collector.collectServerListeners: `server.listen()` where `server` is (a variable holding) a call. */
  server(input: ts.Expression): Leads {
    let server = skipOuterExpressions(input);
    if (ts.isIdentifier(server)) {
      const decl = findDeclaration(server, server.text);
      if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return NOWHERE;
      server = skipOuterExpressions(decl.initializer);
    }
    return ts.isCallExpression(server) ? this.origin(server, 0) : NOWHERE;
  }
}

/** A function written as a call's argument: Collector.getCallSites finds no caller for it. */
function isCallbackParameter(param: ts.ParameterDeclaration): boolean {
  const fn = param.parent;
  if (!ts.isFunctionLike(fn)) return true;
  const parent = fn.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments ?? []).some((a) => a === fn);
}

/**
 * The name a registration's loop binds (Collector's getLoopBindings, before it evaluates the array): the first
 * parameter of a `forEach`/`map` callback or a `for…of` variable, found the same way.
 */
function getLoopName(call: ts.CallExpression): string | undefined {
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const decl = node.initializer.declarations[0];
      return decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
    }
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isCallExpression(node.parent) && node.parent.arguments[0] === node) {
      const callee = skipOuterExpressions(node.parent.expression);
      const param = node.parameters[0];
      return ts.isPropertyAccessExpression(callee) && ['forEach', 'map'].includes(callee.name.text) && param && ts.isIdentifier(param.name) ? param.name.text : undefined;
    }
    if (ts.isFunctionLike(node)) return undefined;
  }
  return undefined;
}

/** Express's `x.route(path).get(…).post(…)`, as Collector.collectWithEnv recognises it. */
function isRouteBuilderCall(receiver: ts.Expression): boolean {
  const builder = EXPRESS_MODEL.routeBuilder;
  let probe = skipOuterExpressions(receiver);
  while (ts.isCallExpression(probe) && ts.isPropertyAccessExpression(probe.expression) && probe.expression.name.text in EXPRESS_MODEL.routeMethods) {
    probe = skipOuterExpressions(probe.expression.expression);
  }
  return ts.isCallExpression(probe) && ts.isPropertyAccessExpression(probe.expression) && probe.expression.name.text === builder && probe.arguments.length === 1;
}

/** `serve({ fetch: app.fetch })`: Collector.collectServe reads only such calls. */
function passesFetch(call: ts.CallExpression): boolean {
  const [first] = call.arguments;
  const options = first ? skipOuterExpressions(first) : undefined;
  return options !== undefined && ts.isObjectLiteralExpression(options) && options.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'fetch');
}

function toReach(leads: Leads): Reach {
  return leads === true ? true : [...leads].sort();
}

/** The calls of a file that may register on an app or router of some stack framework, with where their receiver may lead. */
export const REGISTRATION_SITES = defineFileFact(
  'registration-sites',
  (file: SourceFileInfo, project: AnalysisProject): RegistrationSite[] => {
    const sites: RegistrationSite[] = [];
    const reader = new SiteReader(file, project);
    for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
      const callee = skipOuterExpressions(call.expression);
      if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression) && call.arguments.length >= 2) {
        const receiver = reader.receiver(callee.expression, getLoopName(call), 0);
        if (receiver === true || receiver.size > 0) sites.push({ name: COMPUTED, args: call.arguments.length, builder: false, receiver: toReach(receiver) });
        continue;
      }
      if (!ts.isPropertyAccessExpression(callee)) {
        if (passesFetch(call)) sites.push({ name: '', args: call.arguments.length, builder: false, receiver: true });
        continue;
      }
      const name = callee.name.text;
      const site: RegistrationSite = { name, args: call.arguments.length, builder: isRouteBuilderCall(callee.expression), receiver: [] };
      if (!STACK_MODELS.some((model) => mayRegister(model, site))) continue;
      const receiver = reader.receiver(callee.expression, getLoopName(call), 0);
      const server = STACK_MODELS.some((m) => m.listenMethods.includes(name)) ? reader.server(callee.expression) : NOWHERE;
      if (receiver !== true && receiver.size === 0 && server !== true && server.size === 0) continue;
      sites.push({ ...site, receiver: toReach(receiver), ...(server !== NOWHERE ? { server: toReach(server) } : {}) });
    }
    return sites;
  },
  { portable: true },
);

/**
 * The module specifiers through which a file calls something with arguments (an imported identifier, or
 * `require('./m')(…)`): the calls registrations.ts FILE_CALLS marks `imported` when the specifier names a repository
 * module, as plain data. The call-site search through imports reads a file's calls only when one of these specifiers
 * resolves to a module that may carry the function on.
 */
export const IMPORTED_CALLEES = defineFileFact(
  'imported-callees',
  (file: SourceFileInfo, project: AnalysisProject): string[] => {
    const imports = project.fileFact(IMPORTS, file);
    const found = new Set<string>();
    for (const call of indexedNodes(file.sourceFile, ts.isCallExpression)) {
      if (call.arguments.length === 0) continue;
      const callee = skipOuterExpressions(call.expression);
      const specifier = ts.isIdentifier(callee) ? imports.get(callee.text)?.module : ts.isCallExpression(callee) ? getRequireSpecifier(callee) : undefined;
      if (specifier !== undefined) found.add(specifier);
    }
    return [...found].sort();
  },
  { portable: true },
);
