import { ts } from '@ts-morph/common';
import { defineFileFact, defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { findAll, walk } from '../core/walk.js';
import {
  CLIENT_CERTIFICATE_OPTIONS,
  CREDENTIAL_FIELD,
  CREDENTIAL_HEADER,
  GRPC_CLIENT,
  HTTP_CLIENTS,
  REMOTE_AUTHORIZATION_CLIENTS,
  type HttpClientModel,
  type RemoteAuthorizationClient,
  type RequestSignature,
} from '../models/http-clients.js';
import { IMPORTS, isBindingAt, resolveImportedName } from './imports.js';
import { getReturnedExpressions } from './routes/classify.js';
import { defineReach } from './reach.js';
import { JWT_CALL_SITES, seedMayReachExport } from './jwt-call-sites.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from './scope.js';
import { describeUrl, getThisMemberInitializer, joinBase, type UrlTarget } from './url-shape.js';
import { evaluate, resolveOrigin, stripDefault, type Value } from './values.js';

/** Whether a request carries a credential, and why we think so. */
export interface CredentialEvidence {
  state: 'present' | 'absent' | 'unknown';
  /** `Authorization header`, `interceptor on 'api' (src/http.ts)`, `options cannot be read` … */
  reason: string;
}

/** One outbound request sent by the code (plain data, positions as character offsets). */
export interface OutboundCall {
  file: string;
  /** From the start of the call to the end of its callee (`axios.post`), so a finding marks one line. */
  start: number;
  end: number;
  /** The client model id (`axios`, `fetch`, `OPA` …). */
  client: string;
  /** The callee as written, shortened (`paymentsApi.post`). */
  callee: string;
  target: UrlTarget;
  credential: CredentialEvidence;
  /** A remote policy decision SDK (OPA, Cerbos, OpenFGA …): the call asks for an authorization decision. */
  authorizationClient?: boolean;
  /** The instance or receiver variable name (`permissionsClient`), when there is one. */
  receiver?: string;
}

/** A client value: the library itself, an instance made by a factory, or a framework-injected instance. */
type ClientRef =
  | { kind: 'module'; model: HttpClientModel }
  | { kind: 'callable'; model: HttpClientModel }
  | { kind: 'instance'; model: HttpClientModel; key: string; file: SourceFileInfo; factory: ts.CallExpression | ts.NewExpression; options?: ts.Expression; origin?: ts.Expression; parent?: ClientRef }
  | { kind: 'injected'; model: HttpClientModel; key: string }
  | { kind: 'authorization'; model: RemoteAuthorizationClient; file: SourceFileInfo; factory: ts.CallExpression | ts.NewExpression }
  | { kind: 'grpc'; model: { id: string }; service: string; file: SourceFileInfo; factory: ts.NewExpression };

/** Packages whose import makes a file worth resolving (`@nestjs/common` is everywhere; `HttpService` is tested by name). */
const MODULES = new Set(
  [...HTTP_CLIENTS.flatMap((m) => m.modules), ...REMOTE_AUTHORIZATION_CLIENTS.flatMap((m) => m.modules), ...GRPC_CLIENT.modules].filter((m) => m !== '@nestjs/common'),
);
const IMPORTED_MODULE = /(?:from|require\s*\()\s*['"]([^'"]+)['"]/g;
const MAX_DEPTH = 6;

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function modelById(id: string): HttpClientModel | undefined {
  return HTTP_CLIENTS.find((m) => m.id === id);
}

const MENTIONS_HTTP_CLIENT = defineFileFact(
  'mentions-http-client',
  (file: SourceFileInfo): boolean => {
    const text = file.text;
    // Plain searches first: much faster than the pattern's, and false for nearly every file.
    if ((text.includes('fetch') && /\bfetch\s*\(/.test(text)) || text.includes('HttpService')) return true;
    for (const match of file.text.matchAll(IMPORTED_MODULE)) if (MODULES.has(match[1] as string)) return true;
    return false;
  },
  { local: true },
);

/** Whether a file or a repository module it imports (transitively) names a modelled client. */
const REACHES_HTTP_CLIENT = defineReach('http-clients', MENTIONS_HTTP_CLIENT);

/** Whether a file names a modelled client (cheap text test before any resolution; once per file). */
export function mentionsHttpClient(project: AnalysisProject, file: SourceFileInfo): boolean {
  return project.fileFact(MENTIONS_HTTP_CLIENT, file);
}

interface Ctx {
  project: AnalysisProject;
  depth: number;
  /**
   * The answers of one file's search, by expression: `this.http` is asked for every `this.http.get(...)` of the file,
   * and once more for each call as its own callee's receiver. An answer found at some depth without reaching the depth
   * bound anywhere is the answer at any smaller depth too; one that reached the bound is not kept.
   */
  known: Map<ts.Expression, { file: SourceFileInfo; depth: number; client: ClientRef | undefined }>;
  /** How many searches stopped at the depth bound (shared by the whole search). */
  cut: { count: number };
}

function newCtx(project: AnalysisProject): Ctx {
  return { project, depth: 0, known: new Map(), cut: { count: 0 } };
}

/** The client an expression evaluates to: follows variables, imports, class members and injected parameters. */
function resolveClient(ctx: Ctx, file: SourceFileInfo, input: ts.Expression): ClientRef | undefined {
  const known = ctx.known.get(input);
  if (known && known.file === file && known.depth >= ctx.depth) return known.client;
  const cuts = ctx.cut.count;
  const client = searchClient(ctx, file, input);
  if (ctx.cut.count === cuts) ctx.known.set(input, { file, depth: ctx.depth, client });
  return client;
}

function searchClient(ctx: Ctx, file: SourceFileInfo, input: ts.Expression): ClientRef | undefined {
  if (ctx.depth > MAX_DEPTH) {
    ctx.cut.count++;
    return undefined;
  }
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
  const expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) return resolveClient(inner, file, expr.expression);
  if (ts.isCallExpression(expr) || ts.isNewExpression(expr)) return resolveFactory(inner, file, expr);
  if (ts.isIdentifier(expr)) {
    const decl = findDeclaration(expr, expr.text);
    if (!decl) return fromOrigin(ctx.project, file, expr);
    if (ts.isVariableDeclaration(decl) && decl.initializer && !isBindingAt(ctx.project.fileFact(IMPORTS, file).get(expr.text), decl)) {
      // `var request = require('request')` inside a function (an IIFE module wrapper): the package itself.
      const required = getRequiredModule(decl.initializer);
      if (required !== undefined) return fromModule(required, []);
      return resolveClient(inner, file, decl.initializer);
    }
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl)) {
      const resolved = resolveImportedName(ctx.project, file, expr.text);
      if (resolved?.kind === 'declaration' && ts.isVariableDeclaration(resolved.node) && resolved.node.initializer) {
        return resolveClient(inner, resolved.file, resolved.node.initializer);
      }
      if (resolved?.kind === 'expression') return resolveClient(inner, resolved.file, resolved.node);
    }
    return fromOrigin(ctx.project, file, expr);
  }
  if (ts.isPropertyAccessExpression(expr)) {
    if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const init = getThisMemberInitializer(expr);
      if (init) return resolveClient(inner, file, init);
      return fromOrigin(ctx.project, file, expr);
    }
    const base = resolveClient(inner, file, expr.expression);
    if (base?.kind === 'module' || base?.kind === 'injected') {
      const member = base.model.instanceMembers?.find((m) => m.member === expr.name.text);
      const model = member && modelById(member.model);
      // Interceptors on `httpService.axiosRef` apply to the HttpService's own calls: same key.
      if (model) return { kind: 'injected', model, key: base.kind === 'injected' ? base.key : base.model.id };
    }
    return fromOrigin(ctx.project, file, expr);
  }
  return undefined;
}

function resolveFactory(ctx: Ctx, file: SourceFileInfo, call: ts.CallExpression | ts.NewExpression): ClientRef | undefined {
  const callee = skipOuterExpressions(call.expression);
  const origin = resolveOrigin(ctx.project, file, callee);
  if (origin.kind === 'external') {
    const path = stripDefault(origin.path);
    const form = ts.isNewExpression(call) ? 'new' : 'call';
    const sdk = REMOTE_AUTHORIZATION_CLIENTS.find((m) => m.modules.includes(origin.module) && m.form === form && samePath(m.path, path));
    if (sdk) return { kind: 'authorization', model: sdk, file, factory: call };
    // `new proto.authz.v1.Authorizer(address, credentials)` with `proto = grpc.loadPackageDefinition(...)`.
    const service = path.slice(2).join('.');
    if (ts.isNewExpression(call) && (GRPC_CLIENT.modules as readonly string[]).includes(origin.module) && (GRPC_CLIENT.loaders as readonly string[]).includes(path[0] ?? '') && path[1] === '()' && service !== '') {
      return { kind: 'grpc', model: { id: GRPC_CLIENT.id }, service, file, factory: call };
    }
    for (const model of HTTP_CLIENTS) {
      if (!model.modules.includes(origin.module)) continue;
      const factory = model.factories.find((f) => f.form === form && samePath(f.path, path));
      if (factory) return makeInstance(model, file, call, factory.options, factory.origin);
    }
  }
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee)) {
    const parent = resolveClient(ctx, file, callee.expression);
    if (parent && (parent.kind === 'instance' || parent.kind === 'injected' || parent.kind === 'module')) {
      const factory = parent.model.factories.find((f) => f.form === 'call' && (f.onInstance || parent.kind === 'module') && samePath(f.path, [callee.name.text]));
      if (factory) return makeInstance(parent.model, file, call, factory.options, factory.origin, parent);
    }
  }
  return undefined;
}

function makeInstance(
  model: HttpClientModel,
  file: SourceFileInfo,
  call: ts.CallExpression | ts.NewExpression,
  options?: number,
  origin?: number,
  parent?: ClientRef,
): ClientRef {
  const args = call.arguments ?? [];
  return {
    ...(parent ? { parent } : {}),
    kind: 'instance',
    model,
    key: `${file.path}:${call.getStart(file.sourceFile)}`,
    file,
    factory: call,
    ...(options !== undefined && args[options] ? { options: args[options] } : {}),
    ...(origin !== undefined && args[origin] ? { origin: args[origin] } : {}),
  };
}

/** A package export or injected class reached through imports and parameter types. */
function getRequiredModule(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require') return undefined;
  const [arg] = e.arguments;
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

function fromOrigin(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): ClientRef | undefined {
  const origin = resolveOrigin(project, file, expr);
  if (origin.kind === 'global') {
    const model = HTTP_CLIENTS.find((m) => m.global !== undefined && samePath([m.global], origin.path));
    return model ? { kind: 'callable', model } : undefined;
  }
  if (origin.kind !== 'external') return undefined;
  return fromModule(origin.module, origin.path);
}

function fromModule(module: string, exportPath: string[]): ClientRef | undefined {
  const path = stripDefault(exportPath);
  for (const model of HTTP_CLIENTS) {
    if (!model.modules.includes(module)) continue;
    if (path.length === 0 && model.exports.some((e) => e.length === 0)) return { kind: 'module', model };
    if (model.exports.some((e) => e.length > 0 && samePath(e, path))) return { kind: 'callable', model };
    if (model.injected?.some((name) => samePath([name, '#instance'], path))) return { kind: 'injected', model, key: model.id };
    if (model.injected?.some((name) => samePath([name, 'new'], path))) return { kind: 'injected', model, key: model.id };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Credentials

const PRESENT = (reason: string): CredentialEvidence => ({ state: 'present', reason });
const UNKNOWN = (reason: string): CredentialEvidence => ({ state: 'unknown', reason });
const ABSENT: CredentialEvidence = { state: 'absent', reason: 'no credential is attached' };

function firstDecided(...evidence: Array<() => CredentialEvidence>): CredentialEvidence {
  let unknown: CredentialEvidence | undefined;
  for (const get of evidence) {
    const e = get();
    if (e.state === 'present') return e;
    if (e.state === 'unknown') unknown ??= e;
  }
  return unknown ?? ABSENT;
}

/** A headers value: an object, `new Headers({...})`, or a `Headers` variable filled by `.set(...)`. */
function headersCredential(project: AnalysisProject, file: SourceFileInfo, value: Value | undefined): CredentialEvidence {
  if (!value || value.kind === 'undefined' || value.kind === 'null') return ABSENT;
  if (value.kind === 'object') {
    const key = [...value.props.keys()].find((k) => CREDENTIAL_HEADER.test(k));
    if (key) return PRESENT(`'${key}' header`);
    return value.complete ? ABSENT : UNKNOWN('headers are spread from a value that cannot be read');
  }
  if (value.kind === 'array') {
    const pair = value.items.find((item) => item.kind === 'array' && item.items[0]?.kind === 'string' && CREDENTIAL_HEADER.test(item.items[0].value));
    if (pair) return PRESENT('credential header');
    return value.complete && value.items.every((i) => i.kind === 'array') ? ABSENT : UNKNOWN('headers cannot be read');
  }
  if (value.kind === 'call' && ts.isNewExpression(value.call) && ts.isIdentifier(value.call.expression) && value.call.expression.text === 'Headers') {
    const init = value.call.arguments?.[0];
    const fromInit = init ? headersCredential(project, value.file, evaluate(project, value.file, init)) : ABSENT;
    if (fromInit.state !== 'absent') return fromInit;
    return setterCredential(value.call);
  }
  return UNKNOWN('headers cannot be read');
}

/** `const headers = new Headers(); headers.set('Authorization', …)` in the same function. */
function setterCredential(newHeaders: ts.NewExpression): CredentialEvidence {
  const holder = newHeaders.parent;
  if (!holder || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return UNKNOWN('headers cannot be read');
  const name = holder.name.text;
  let scope: ts.Node = holder;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found: CredentialEvidence = ABSENT;
  walk(scope, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const target = skipOuterExpressions(node.expression.expression);
    if (!ts.isIdentifier(target) || target.text !== name) return;
    const [first] = node.arguments;
    if (first && ts.isStringLiteralLike(first) && CREDENTIAL_HEADER.test(first.text)) found = PRESENT(`'${first.text}' header`);
    else if (found.state === 'absent' && (!first || !ts.isStringLiteralLike(first))) found = UNKNOWN(`${name}.${node.expression.name.text}(…) cannot be read`);
  });
  return found;
}

function getOptionNode(expr: ts.Expression, name: string): ts.Expression | undefined {
  const inner = skipOuterExpressions(expr);
  return ts.isObjectLiteralExpression(inner) ? getOption(inner, name) : undefined;
}

/** `const headers = {…}; if (secret) headers['X-Notify-Secret'] = secret;`: writes to the headers variable after its declaration. */
function laterHeaderWrites(headersExpr: ts.Expression): CredentialEvidence {
  const id = skipOuterExpressions(headersExpr);
  if (!ts.isIdentifier(id)) return ABSENT;
  const decl = findDeclaration(id, id.text);
  if (!decl || !ts.isVariableDeclaration(decl)) return ABSENT;
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found: CredentialEvidence = ABSENT;
  walk(scope, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = skipOuterExpressions(node.left);
    if (!(ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left))) return;
    const target = skipOuterExpressions(left.expression);
    if (!ts.isIdentifier(target) || target.text !== id.text) return;
    const key = ts.isPropertyAccessExpression(left) ? left.name.text : ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : undefined;
    if (key === undefined) found = found.state === 'present' ? found : UNKNOWN('a header is set under a computed name');
    else if (CREDENTIAL_HEADER.test(key)) found = PRESENT(`'${key}' header`);
  });
  return found;
}

/** An agent or dispatcher that presents a client certificate (mTLS); any other agent does not count. */
function agentCredential(project: AnalysisProject, value: Value): CredentialEvidence {
  if (value.kind === 'undefined' || value.kind === 'null') return ABSENT;
  if (value.kind === 'call') {
    const options = value.args.find((a) => ts.isObjectLiteralExpression(skipOuterExpressions(a)));
    if (!options) return value.args.length === 0 ? ABSENT : UNKNOWN('the agent options cannot be read');
    return optionsCertificate(evaluate(project, value.file, options));
  }
  return UNKNOWN('the agent cannot be read');
}

function optionsCertificate(value: Value): CredentialEvidence {
  if (value.kind !== 'object') return UNKNOWN('the agent options cannot be read');
  const direct = CLIENT_CERTIFICATE_OPTIONS.find((o) => value.props.has(o));
  if (direct) return PRESENT(`client certificate ('${direct}', mTLS)`);
  const connect = value.props.get('connect') ?? value.props.get('https');
  if (connect?.kind === 'object' && CLIENT_CERTIFICATE_OPTIONS.some((o) => connect.props.has(o))) return PRESENT('client certificate (mTLS)');
  return value.complete ? ABSENT : UNKNOWN('the agent options cannot be read');
}

/** Credentials in a request's or instance's options object: headers, auth options, agents, hooks. */
function optionsCredential(project: AnalysisProject, file: SourceFileInfo, model: HttpClientModel, expr: ts.Expression | undefined): CredentialEvidence {
  if (!expr) return ABSENT;
  // A callback where the options may be (`request(url, (err, res) => …)`, `http.get(url, cb)`): no options.
  const inner = skipOuterExpressions(expr);
  if (ts.isFunctionExpression(inner) || ts.isArrowFunction(inner)) return ABSENT;
  const value = evaluate(project, file, expr);
  if (value.kind === 'undefined' || value.kind === 'null') return ABSENT;
  if (value.kind !== 'object') return UNKNOWN('the request options cannot be read');
  const headersNode = getOptionNode(expr, 'headers');
  return firstDecided(
    () => headersCredential(project, file, value.props.get('headers')),
    () => (headersNode ? laterHeaderWrites(headersNode) : ABSENT),
    () => {
      const option = model.credentialOptions.find((o) => value.props.has(o));
      if (!option) return ABSENT;
      if (option === 'https') return optionsCertificate(value.props.get('https') as Value);
      return PRESENT(`'${option}' option`);
    },
    () => {
      for (const option of model.agentOptions) {
        const agent = value.props.get(option);
        if (agent) return agentCredential(project, agent);
      }
      return ABSENT;
    },
    () => {
      for (const hookPath of model.hookOptions ?? []) {
        let hook: Value | undefined = value;
        for (const key of hookPath) hook = hook?.kind === 'object' ? hook.props.get(key) : undefined;
        if (hook) return PRESENT(`'${hookPath.join('.')}' hook`);
      }
      return ABSENT;
    },
    () => (value.complete ? ABSENT : UNKNOWN('the request options are spread from a value that cannot be read')),
  );
}

function textCredential(target: UrlTarget): CredentialEvidence {
  const query = target.display.split('?')[1];
  if (query && query.split('&').some((pair) => CREDENTIAL_FIELD.test(pair.split('=')[0] ?? ''))) return PRESENT('credential in the query string');
  if (/^[a-z]+:\/\/[^/@]+@/i.test(target.display)) return PRESENT('credentials in the URL');
  return ABSENT;
}

/** A body that carries a secret (`client_secret`, `api_key`): a token request or a signed call. */
function bodyCredential(file: SourceFileInfo, expr: ts.Expression | undefined): CredentialEvidence {
  if (!expr) return ABSENT;
  let found: CredentialEvidence = ABSENT;
  walk(expr, (node) => {
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && CREDENTIAL_FIELD.test(getPropertyName(node.name) ?? '')) {
      found = PRESENT(`'${node.name.getText(file.sourceFile)}' in the body`);
      return false;
    }
    return undefined;
  });
  return found;
}

/** Credentials attached by the instance: its factory options, registrations on it, and those of the instance it extends. */
function instanceCredential(project: AnalysisProject, client: ClientRef): CredentialEvidence {
  if (client.kind === 'authorization') return PRESENT(`${client.model.id} client`);
  const registered = project.projectFact(CLIENT_REGISTRATIONS);
  const key = client.kind === 'instance' || client.kind === 'injected' ? client.key : client.model.id;
  // Library-wide defaults (`axios.defaults.headers.common.Authorization = …`) are copied into instances created later.
  const registration = registered.get(key) ?? registered.get(client.model.id);
  if (registration) return registration;
  if (client.kind === 'instance') {
    return firstDecided(
      () => optionsCredential(project, client.file, client.model, client.options),
      () => (client.parent ? instanceCredential(project, client.parent) : ABSENT),
    );
  }
  return ABSENT;
}

// ---------------------------------------------------------------------------------------------
// Registrations: interceptors, defaults, module configuration

/** Credentials attached to clients from anywhere in the project, by instance key (or model id for the library itself). */
export const CLIENT_REGISTRATIONS = defineProjectFact('http-client-registrations', (project: AnalysisProject): Map<string, CredentialEvidence> => {
  const found = new Map<string, CredentialEvidence>();
  // Only files naming one of the words the gate below needs can pass it: the postings answer which, without a
  // question per file (the editor recomputes this table after most edits of a file that registers nothing).
  for (const file of project.filesMentioning(REGISTRATION_WORDS)) {
    if (!project.fileFact(MAY_REGISTER_ON_CLIENT, file) || !REACHES_HTTP_CLIENT(project, file)) continue;
    // A unit per file: the editor's next snapshot reads again only the registrations of the files an edit changed.
    for (const [key, evidence] of project.unit('client-registrations', file.path, () => getFileRegistrations(project, file))) found.set(key, evidence);
  }
  return found;
}, { plain: true });

/** The credentials one file attaches to clients, in the order found (a later one for the same key wins). */
function getFileRegistrations(project: AnalysisProject, file: SourceFileInfo): Array<[string, CredentialEvidence]> {
  const found: Array<[string, CredentialEvidence]> = [];
  const ctx = newCtx(project);
  const keyOf = (client: ClientRef | undefined): string | undefined =>
    client?.kind === 'instance' || client?.kind === 'injected' ? client.key : client?.kind === 'module' ? client.model.id : undefined;
  for (const call of findAll(file.sourceFile, ts.isCallExpression)) {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const chain = getMemberChain(callee);
    if (!chain) continue;
    for (const model of HTTP_CLIENTS) {
      for (const path of model.interceptors ?? []) {
        if (chain.names.length < path.length || !samePath(chain.names.slice(-path.length), path)) continue;
        const receiver = chain.at(chain.names.length - path.length);
        const key = keyOf(resolveClient(ctx, file, receiver));
        if (key && call.arguments[0]) found.push([key, PRESENT(`request interceptor in ${file.relPath}`)]);
      }
    }
    const origin = resolveOrigin(project, file, callee);
    if (origin.kind === 'external') {
      for (const model of HTTP_CLIENTS) {
        const config = model.moduleConfigs?.find((c) => c.module === origin.module && samePath(c.path, stripDefault(origin.path)));
        const options = config && call.arguments[config.options];
        if (!options) continue;
        const evidence = moduleConfigCredential(project, file, model, options);
        if (evidence.state !== 'absent') found.push([model.id, evidence.state === 'present' ? { ...evidence, reason: `${evidence.reason} in ${file.relPath}` } : evidence]);
      }
    }
  }
  for (const assignment of findAssignments(file)) {
    const chain = getMemberChain(assignment.left);
    if (!chain) continue;
    const at = chain.names.indexOf('defaults');
    if (at === -1) continue;
    const rest = chain.names.slice(at + 1);
    const receiver = chain.at(at);
    const client = resolveClient(ctx, file, receiver);
    const key = keyOf(client);
    if (!key || !client || !('model' in client) || !(client.model as HttpClientModel).defaults) continue;
    const named = rest.find((n) => CREDENTIAL_HEADER.test(n) || n === 'auth' || n === 'httpsAgent');
    const value = named ? undefined : headersCredential(project, file, evaluate(project, file, assignment.right));
    if (named || value?.state === 'present') found.push([key, PRESENT(`defaults set in ${file.relPath}`)]);
  }
  return found;
}

/**
 * The export paths (without `default`) at which `resolveClient` binds a client, by package: an HTTP library's callable
 * exports and factories, the class it injects (`HttpService`, as an instance or constructed), an authorization SDK's
 * constructor, gRPC's package loaders. A client found there is the origin of a request's callee or of its receiver,
 * so the callee's origin path starts with one of them (`@nestjs/common` is listed for its old `HttpService`, not for
 * `Injectable` or `Get`).
 */
const CLIENT_EXPORT_PATHS: ReadonlyMap<string, ReadonlyArray<readonly string[]>> = (() => {
  const paths = new Map<string, Array<readonly string[]>>();
  const add = (modules: readonly string[], ...list: ReadonlyArray<readonly string[]>) => {
    for (const module of modules) paths.set(module, [...(paths.get(module) ?? []), ...list]);
  };
  for (const model of HTTP_CLIENTS) add(model.modules, ...model.exports, ...model.factories.map((f) => f.path), ...(model.injected ?? []).map((name) => [name]));
  for (const sdk of REMOTE_AUTHORIZATION_CLIENTS) add(sdk.modules, sdk.path);
  add(GRPC_CLIENT.modules, ...GRPC_CLIENT.loaders.map((loader) => [loader]));
  return paths;
})();

/** Whether a callee whose origin is this package export may be a request or sit on a client (`CLIENT_EXPORT_PATHS`). */
function mayBeClientExport(module: string, origin: readonly string[]): boolean {
  const prefixes = CLIENT_EXPORT_PATHS.get(module);
  if (!prefixes) return false;
  const path = stripDefault(origin);
  return prefixes.some((prefix) => prefix.length <= path.length && prefix.every((name, i) => path[i] === name));
}
const GLOBAL_CLIENT_WORDS = HTTP_CLIENTS.flatMap((m) => (m.global ? [m.global] : []));

/**
 * Whether a file may send a request, decided without its tree: it names a global client (`fetch`), or a callee of one
 * of its calls has an origin that enters the file through an import or `require` and, followed across modules on the
 * portable call-site summaries, may end at or under a client package's export (`JWT_CALL_SITES` records every callee's
 * seed, not only JWT ones). `resolveClient` only ever binds a client through such an origin (imports, `require`, parameter and
 * member types, initializers), so a file without one has no request.
 */
function mayCallClient(project: AnalysisProject, file: SourceFileInfo): boolean {
  if (project.mentions(file, GLOBAL_CLIENT_WORDS)) return true;
  const sites = project.fileFact(JWT_CALL_SITES, file);
  if (sites.unbounded) return true;
  const reaches = (target: SourceFileInfo): boolean => REACHES_HTTP_CLIENT(project, target);
  return sites.seeds.some((seed) => (seed.role === 'call' || seed.role === 'new') && seedMayReachExport(project, file, seed, reaches, mayBeClientExport));
}

/** Every word of each interceptor path of the models (`interceptors`, `request`, `use`): a chain ending in one names them all. */
const INTERCEPTOR_WORDS = HTTP_CLIENTS.flatMap((model) => model.interceptors ?? []);
/** The member each module configuration is called by (`register`, `registerAsync`): the callee's own name. */
const MODULE_CONFIG_WORDS = [...new Set(HTTP_CLIENTS.flatMap((model) => (model.moduleConfigs ?? []).map((c) => c.path[c.path.length - 1] as string)))];
/** A word each file passing MAY_REGISTER_ON_CLIENT names: a configuration member, `defaults`, or an interceptor path's first word. */
const REGISTRATION_WORDS = [...new Set([...MODULE_CONFIG_WORDS, 'defaults', ...INTERCEPTOR_WORDS.map((path) => path[0] as string)])];

/**
 * Whether a file's text may hold what `CLIENT_REGISTRATIONS` looks for, read from the text index without a parse: an
 * interceptor registration names every word of its member path; a module configuration is a call of a member whose
 * name ends the configured path (the origin of `x.register` ends in `register`); a defaults assignment writes a
 * `.defaults` member. (A method bound to `this` under another name and called as `this.other(…)` is not read.)
 */
const MAY_REGISTER_ON_CLIENT = defineFileFact(
  'may-register-on-client',
  (file: SourceFileInfo): boolean => {
    const words = new Set(file.index.words);
    if (MODULE_CONFIG_WORDS.some((word) => words.has(word)) || /\.defaults\b/.test(file.text)) return true;
    return INTERCEPTOR_WORDS.some((path) => path.every((word) => words.has(word)));
  },
  { local: true },
);

/** `HttpModule.register(options)`, or `registerAsync({ useFactory })` read through the objects the factory returns. */
function moduleConfigCredential(project: AnalysisProject, file: SourceFileInfo, model: HttpClientModel, options: ts.Expression): CredentialEvidence {
  const value = evaluate(project, file, options);
  const factory = value.kind === 'object' ? value.props.get('useFactory') : undefined;
  if (!factory) return optionsCredential(project, file, model, options);
  if (factory.kind !== 'function') return UNKNOWN('the HttpModule factory cannot be read');
  const returned = getReturnedExpressions(factory.fn);
  if (returned.length === 0) return UNKNOWN('the HttpModule factory cannot be read');
  return firstDecided(...returned.map((r) => () => optionsCredential(project, factory.file, model, r)));
}

function findAssignments(file: SourceFileInfo): ts.BinaryExpression[] {
  if (!/\.defaults\b/.test(file.text)) return [];
  const out: ts.BinaryExpression[] = [];
  walk(file.sourceFile, (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) out.push(node);
  });
  return out;
}

/** `a.b['c'].d` → names ['b','c','d'] and a way to get the expression before the i-th name. */
function getMemberChain(expr: ts.Expression): { names: string[]; at(i: number): ts.Expression } | undefined {
  const nodes: Array<ts.PropertyAccessExpression | ts.ElementAccessExpression> = [];
  let current = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    nodes.unshift(current);
    current = skipOuterExpressions(current.expression);
  }
  if (nodes.length === 0) return undefined;
  const names: string[] = [];
  for (const node of nodes) {
    if (ts.isPropertyAccessExpression(node)) names.push(node.name.text);
    else if (ts.isStringLiteralLike(node.argumentExpression)) names.push(node.argumentExpression.text);
    else names.push('[]');
  }
  return { names, at: (i) => (i === 0 ? current : (nodes[i - 1] as ts.Expression)) };
}

// ---------------------------------------------------------------------------------------------
// Requests

function describeCallee(file: SourceFileInfo, callee: ts.Expression): string {
  const text = callee.getText(file.sourceFile).replace(/^this\./, '').replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function receiverName(callee: ts.Expression): string | undefined {
  const expr = skipOuterExpressions(callee);
  const base = ts.isPropertyAccessExpression(expr) ? skipOuterExpressions(expr.expression) : undefined;
  if (!base) return undefined;
  if (ts.isIdentifier(base)) return base.text;
  if (ts.isPropertyAccessExpression(base)) return base.name.text;
  return undefined;
}

/** The request a call sends, when its callee is a modelled client: the signature tells where URL, options and body are. */
function matchRequest(ctx: Ctx, file: SourceFileInfo, call: ts.CallExpression): { client: ClientRef; signature: RequestSignature } | undefined {
  const callee = skipOuterExpressions(call.expression);
  const direct = resolveClient(ctx, file, callee);
  if (direct?.kind === 'callable') {
    const signature = direct.model.requests.find((r) => r.method === '');
    return signature ? { client: direct, signature } : undefined;
  }
  if ((direct?.kind === 'module' || direct?.kind === 'instance') && ts.isCallExpression(call)) {
    const signature = direct.model.requests.find((r) => r.method === '');
    if (signature) return { client: direct, signature };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const base = resolveClient(ctx, file, callee.expression);
  if (!base) return undefined;
  if (base.kind === 'authorization') {
    return base.model.methods.includes(method) ? { client: base, signature: { method } } : undefined;
  }
  if (base.kind === 'grpc') return (GRPC_CLIENT.channelMethods as readonly string[]).includes(method) ? undefined : { client: base, signature: { method } };
  if (base.kind === 'callable') return undefined;
  const table = base.kind === 'instance' ? (base.model.instanceRequests ?? base.model.requests) : base.model.requests;
  const signature = table.find((r) => r.method === method && r.method !== '');
  return signature ? { client: base, signature } : undefined;
}

function authorizationTarget(project: AnalysisProject, client: Extract<ClientRef, { kind: 'authorization' }>): UrlTarget {
  const { address, defaultAddress } = client.model;
  const arg = address ? client.factory.arguments?.[address.argument] : undefined;
  const inner = arg && skipOuterExpressions(arg);
  const expr = inner && address?.option && ts.isObjectLiteralExpression(inner) ? getOption(inner, address.option) : arg;
  if (expr) return describeUrl(project, client.file, expr);
  const fallback = defaultAddress ?? '';
  return { display: fallback, ...(fallback ? { host: new URL(fallback).hostname } : {}), fallbackHosts: [], relative: fallback === '', path: '' };
}

/** The URL expression of a request: the URL argument, or the `url`/`host`+`path` options of an options object. */
/** A gRPC call's target: the channel address (`authz:50051`, a variable) and the RPC's path `/pkg.Service/Method`. */
function grpcTarget(project: AnalysisProject, client: Extract<ClientRef, { kind: 'grpc' }>, method: string): UrlTarget {
  const rpc = `/${client.service}/${method}`;
  const address = client.factory.arguments?.[0];
  if (!address) return { display: rpc, fallbackHosts: [], relative: true, path: rpc };
  const described = describeUrl(project, client.file, address);
  // A gRPC address is `host:port` without a scheme.
  const hostPort = /^([A-Za-z0-9.-]+)(?::\d+)?$/.exec(described.display);
  if (described.relative && hostPort) {
    return { display: `${described.display}${rpc}`, host: (hostPort[1] as string).toLowerCase(), fallbackHosts: [], relative: false, path: rpc };
  }
  return { ...described, display: `${described.display}${rpc}`, path: `${described.path}${rpc}` };
}

function requestTarget(project: AnalysisProject, file: SourceFileInfo, client: ClientRef, signature: RequestSignature, call: ts.CallExpression): UrlTarget {
  if (client.kind === 'authorization') return authorizationTarget(project, client);
  if (client.kind === 'grpc') return grpcTarget(project, client, signature.method);
  const model = client.model;
  const arg = signature.url !== undefined ? call.arguments[signature.url] : undefined;
  let target: UrlTarget = { display: '', fallbackHosts: [], relative: true, path: '' };
  if (arg) {
    const inner = skipOuterExpressions(arg);
    if (ts.isObjectLiteralExpression(inner)) target = optionsTarget(project, file, model, inner);
    else target = describeUrl(project, file, arg);
  }
  if (target.relative && client.kind === 'instance') {
    const base = instanceBase(project, client);
    if (base) target = joinBase(base, target);
  }
  return target;
}

function optionsTarget(project: AnalysisProject, file: SourceFileInfo, model: HttpClientModel, options: ts.ObjectLiteralExpression): UrlTarget {
  const prop = (name: string) =>
    getOption(options, name);
  for (const name of model.hostOptions ?? []) {
    const host = prop(name);
    if (host) {
      const described = describeUrl(project, file, host);
      const literal = described.relative && !described.path.includes('/') ? described.path.toLowerCase() : undefined;
      return literal ? { display: literal, host: literal, fallbackHosts: [], relative: false, path: '' } : { ...described, relative: false };
    }
  }
  for (const name of [...model.urlOptions, ...model.baseUrlOptions]) {
    const url = prop(name);
    if (url) return describeUrl(project, file, url);
  }
  return { display: '', fallbackHosts: [], relative: true, path: '' };
}

function instanceBase(project: AnalysisProject, client: Extract<ClientRef, { kind: 'instance' }>): UrlTarget | undefined {
  if (client.origin) return describeUrl(project, client.file, client.origin);
  const options = client.options && skipOuterExpressions(client.options);
  if (options && ts.isObjectLiteralExpression(options)) {
    for (const name of client.model.baseUrlOptions) {
      const prop = getOption(options, name);
      if (prop) return describeUrl(project, client.file, prop);
    }
  }
  return client.parent?.kind === 'instance' ? instanceBase(project, client.parent) : undefined;
}

/** Credentials added by calls chained on the request (`superagent.get(url).set('Authorization', …)`). */
function chainCredential(model: HttpClientModel, call: ts.CallExpression): CredentialEvidence {
  if (!model.chainHeaderSetters && !model.chainCredentialSetters) return ABSENT;
  let current: ts.Node = call;
  let result: CredentialEvidence = ABSENT;
  while (current.parent && ts.isPropertyAccessExpression(current.parent) && current.parent.parent && ts.isCallExpression(current.parent.parent)) {
    const name = current.parent.name.text;
    const chained = current.parent.parent;
    if (model.chainCredentialSetters?.includes(name)) return PRESENT(`.${name}(…)`);
    if (model.chainHeaderSetters?.includes(name)) {
      const [first] = chained.arguments;
      if (first && ts.isStringLiteralLike(first)) {
        if (CREDENTIAL_HEADER.test(first.text)) return PRESENT(`'${first.text}' header`);
      } else if (first && ts.isObjectLiteralExpression(first)) {
        const key = first.properties.map((p) => (p.name ? getPropertyName(p.name) : undefined)).find((k) => k && CREDENTIAL_HEADER.test(k));
        if (key) return PRESENT(`'${key}' header`);
      } else result = UNKNOWN('headers set from a value that cannot be read');
    }
    current = chained;
  }
  return result;
}

function getRequestCredential(project: AnalysisProject, file: SourceFileInfo, client: ClientRef, signature: RequestSignature, call: ts.CallExpression, target: UrlTarget): CredentialEvidence {
  if (client.kind === 'authorization') return PRESENT(`${client.model.id} client`);
  // Channel credentials and per-call metadata (interceptors, call credentials) are not modelled yet.
  if (client.kind === 'grpc') return UNKNOWN('gRPC channel and call credentials are not modelled');
  const model = client.model;
  const urlArg = signature.url !== undefined ? call.arguments[signature.url] : undefined;
  const urlIsOptions = urlArg !== undefined && (ts.isObjectLiteralExpression(skipOuterExpressions(urlArg)) || (ts.isIdentifier(skipOuterExpressions(urlArg)) && evaluate(project, file, urlArg).kind === 'object'));
  const optionsArg = urlIsOptions ? urlArg : signature.options !== undefined ? call.arguments[signature.options] : undefined;
  return firstDecided(
    () => optionsCredential(project, file, model, optionsArg),
    () => (urlIsOptions && signature.options !== undefined ? optionsCredential(project, file, model, call.arguments[signature.options]) : ABSENT),
    () => chainCredential(model, call),
    () => textCredential(target),
    () => bodyCredential(file, signature.body !== undefined ? call.arguments[signature.body] : getBodyOption(optionsArg)),
    () => instanceCredential(project, client),
  );
}

function getBodyOption(options: ts.Expression | undefined): ts.Expression | undefined {
  const inner = options && skipOuterExpressions(options);
  if (!inner || !ts.isObjectLiteralExpression(inner)) return undefined;
  return ['body', 'data', 'json', 'form'].map((name) => getOption(inner, name)).find((e) => e !== undefined);
}

function getOption(options: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && getPropertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/** Every request a file sends through a modelled HTTP client or remote policy SDK. */
export const OUTBOUND_HTTP_CALLS = defineFileFact('outbound-http-calls', (file: SourceFileInfo, project: AnalysisProject): OutboundCall[] => {
  // A client instance may be created in a module this file imports (`import { api } from './http'`).
  if (!REACHES_HTTP_CLIENT(project, file) || !mayCallClient(project, file)) return [];
  const ctx = newCtx(project);
  const calls: OutboundCall[] = [];
  for (const call of findAll(file.sourceFile, ts.isCallExpression)) {
    const matched = matchRequest(ctx, file, call);
    if (!matched) continue;
    const { client, signature } = matched;
    const target = requestTarget(project, file, client, signature, call);
    const receiver = receiverName(call.expression);
    calls.push({
      file: file.relPath,
      start: call.getStart(file.sourceFile),
      end: call.expression.getEnd(),
      client: client.model.id,
      callee: describeCallee(file, call.expression),
      target,
      credential: getRequestCredential(project, file, client, signature, call, target),
      ...(client.kind === 'authorization' ? { authorizationClient: true } : {}),
      ...(receiver ? { receiver } : {}),
    });
  }
  return calls;
});

/** The call node of an outbound call, for rules that walk from it. */
export function getOutboundCallNode(file: SourceFileInfo, call: OutboundCall): ts.CallExpression | undefined {
  return findAll(file.sourceFile, ts.isCallExpression).find((c) => c.getStart(file.sourceFile) === call.start && c.expression.getEnd() === call.end);
}
