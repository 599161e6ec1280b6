import { ts } from '@ts-morph/common';
import { defineFileFact, defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { findAll, indexedNodesOfKinds } from '../core/walk.js';
import type { ProjectSettings } from '../core/types.js';
import { isPromisifyExport } from '../models/object-merge.js';
import {
  findJwtApi,
  getJwtLibrary,
  JWT_LIBRARIES,
  JWT_PACKAGES,
  matchesApiPath,
  type AlgorithmLocation,
  type ArgOrOption,
  type JwtApiModel,
  type JwtLibraryModel,
  type JwtOperation,
  type OptionPath,
} from '../models/jwt/index.js';
import { IMPORTS, isBindingAt } from './imports.js';
import { JWT_CALL_SITES, memberNames, seedMayBeJwt } from './jwt-call-sites.js';
import { defineReach } from './reach.js';
import { classifyKey, type KeyClassification } from './jwt-keys.js';
import { evaluateJwtExpression } from './jwt-values.js';
import { findDeclaration, getChainRoot, getPropertyName, skipOuterExpressions } from './scope.js';
import {
  evaluate,
  findEnclosingClass,
  followLocalModule,
  getAlternatives,
  getMember,
  getStringAlternatives,
  isStaticallyKnown,
  isTruthy,
  resolveOrigin,
  stripDefault,
  type Value,
} from './values.js';

export { JWT_PACKAGES };
export type { KeyClassification, KeyKind, KeyLiteral } from './jwt-keys.js';

/** An option looked up in a call: written (with the node to report in the call's file), not written, or not knowable. */
export type OptionLookup = { state: 'present'; value: Value; node: ts.Node } | { state: 'absent' } | { state: 'unknown' };

export interface JwtKey extends KeyClassification {
  role: 'sign' | 'verify' | 'both';
  value: Value;
  /** Where to report, in the call's file. */
  node: ts.Node;
  /** The option name says it is a shared secret (@nestjs/jwt `secret`). */
  namedSecret: boolean;
  /** A string in this position is an HMAC secret (passport-jwt `secretOrKey`, koa-jwt `secret`, …). */
  stringMeansSecret: boolean;
  /** `arg 1` or `secret` (the option path), for messages. */
  where: string;
}

export interface JwtAlgorithms {
  role: 'sign' | 'verify';
  /** Every algorithm name the setting may statically take. */
  values: string[];
  /** False when some element could not be resolved. */
  complete: boolean;
  /** Where to report, in the call's file. */
  node: ts.Node;
  /** The algorithm is read from the token's own header (`jws.verify(t, decoded.header.alg, key)`). */
  fromToken: boolean;
}

export interface JwtClaimChecks {
  issuer: OptionLookup;
  audience: OptionLookup;
  ignoreExpiration: OptionLookup;
  expiryEnabled: OptionLookup;
  clockTolerance: OptionLookup;
  maxAge: OptionLookup;
  requiredClaims: OptionLookup;
  /** `payload.iss` / `payload.aud` read by hand in the same function. */
  manual: { issuer: boolean; audience: boolean };
}

/** One call of a JWT library, normalised across libraries. */
export interface JwtCall {
  /** Model id, e.g. `jsonwebtoken`, `jose`, `@nestjs/jwt`. */
  library: string;
  /** The package specifier it was imported from. */
  module: string;
  api: JwtApiModel;
  /** API display name for messages (`verify`, `JwtModule.register`). */
  apiName: string;
  operation: JwtOperation;
  /** Whether the call (or configuration) verifies incoming tokens / signs tokens. */
  verifies: boolean;
  signs: boolean;
  /** Reads claims with no signature check (jsonwebtoken `decode`, jose `decodeJwt`, jwt-simple `decode(t, k, true)`, …). */
  decodeOnly: boolean;
  node: ts.CallExpression | ts.NewExpression;
  file: SourceFileInfo;
  /** The callee as written, e.g. `jwt.verify`, `this.jwtService.verifyAsync`. */
  callee: string;
  token?: ts.Expression;
  options: OptionLookup;
  keys: JwtKey[];
  algorithms: JwtAlgorithms[];
  claims?: JwtClaimChecks;
  /**
   * Signing calls whose model says where the lifetime is set: `set` (expiresIn, `exp` in the payload, setExpirationTime),
   * `missing` (visibly none of them), `unknown` (options or payload not knowable). Module configuration not included.
   */
  expiry?: 'set' | 'missing' | 'unknown';
  /** Invocation of a function a factory returned (fast-jwt `verifier(token)`): options live on the factory call. */
  viaFactory: boolean;
  /** Bound through a decorator of a registered plugin (`request.jwtVerify()`), not through an import. */
  viaDecorator: boolean;
}

const ABSENT: OptionLookup = { state: 'absent' };
const UNKNOWN: OptionLookup = { state: 'unknown' };

function nodeIn(file: SourceFileInfo, value: Value, fallback: ts.Node): ts.Node {
  return value.file === file ? value.node : fallback;
}

/** Looks a property path up in an evaluated options object. */
export function lookupOption(options: OptionLookup, path: OptionPath, file: SourceFileInfo): OptionLookup {
  let current = options;
  for (const key of path) {
    if (current.state !== 'present') return current;
    current = lookupMember(current.value, key, file, current.node);
  }
  return current;
}

function lookupMember(value: Value, key: string, file: SourceFileInfo, fallback: ts.Node): OptionLookup {
  const alternatives = getAlternatives(value);
  let sawUnknown = false;
  for (const alt of alternatives) {
    if (alt.kind === 'undefined' || alt.kind === 'null') continue;
    if (alt.kind === 'object') {
      const member = alt.props.get(key);
      if (member) return present(member, alt.file === file ? (findPropertyInitializer(alt.node, key) ?? nodeIn(file, member, fallback)) : fallback);
      if (!alt.complete) sawUnknown = true;
      continue;
    }
    if (alt.kind === 'module') {
      const member = getMember(alt, key);
      if (member) return present(member, fallback);
      continue;
    }
    if (alt.kind === 'string' || alt.kind === 'number' || alt.kind === 'boolean' || alt.kind === 'array' || alt.kind === 'function') continue;
    sawUnknown = true;
  }
  return sawUnknown ? UNKNOWN : ABSENT;
}

/** The initializer written for `key` in an object literal (the place to report when the value comes from elsewhere). */
function findPropertyInitializer(node: ts.Node, key: string): ts.Node | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && getPropertyName(property.name) === key) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
  }
  return undefined;
}

function present(value: Value, node: ts.Node): OptionLookup {
  if (value.kind === 'undefined') return ABSENT;
  return { state: 'present', value, node };
}

function argLookup(call: ts.CallExpression | ts.NewExpression, index: number, project: AnalysisProject, file: SourceFileInfo): OptionLookup {
  const arg = call.arguments?.[index];
  if (!arg) return ABSENT;
  if (ts.isSpreadElement(arg)) return UNKNOWN;
  return present(evaluateJwtExpression(project, file, arg), arg);
}

function locate(at: ArgOrOption, call: ts.CallExpression | ts.NewExpression, options: OptionLookup, project: AnalysisProject, file: SourceFileInfo): OptionLookup {
  return 'arg' in at ? argLookup(call, at.arg, project, file) : lookupOption(options, at.option, file);
}

function describe(at: ArgOrOption): string {
  return 'arg' in at ? `argument ${at.arg + 1}` : at.option.join('.');
}

/** `jwt.verify(token, key, callback)`: a callback where the options would be. */
function isCallbackLike(expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const inner = skipOuterExpressions(expr);
  if (ts.isFunctionExpression(inner) || ts.isArrowFunction(inner)) return true;
  if (!ts.isIdentifier(inner)) return false;
  if (/^(cb|callback|done|next|resolve)$/i.test(inner.text)) return true;
  const decl = findDeclarationOf(inner) ?? findParameter(inner);
  const type = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) ? decl.type : undefined;
  return type !== undefined && (ts.isFunctionTypeNode(type) || /Callback\b/.test(type.getText()));
}

function findParameter(id: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const found = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (found) return found;
    }
  }
  return undefined;
}

/** What a `useFactory`-style function returns, evaluated. */
function evaluateFactoryResult(project: AnalysisProject, value: Value): Value | undefined {
  if (value.kind !== 'function') return undefined;
  const body = value.fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return evaluate(project, value.file, body);
  const returns = body.statements.filter(ts.isReturnStatement);
  const last = returns[returns.length - 1];
  return last?.expression ? evaluate(project, value.file, last.expression) : undefined;
}

function isHeaderAlg(expr: ts.Expression, depth = 0): boolean {
  const inner = skipOuterExpressions(expr);
  if (depth > 4) return false;
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'alg') return true;
  if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression) && inner.argumentExpression.text === 'alg') return true;
  if (ts.isIdentifier(inner)) {
    if (inner.text === 'alg') return true;
    const decl = findDeclarationOf(inner);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return isHeaderAlg(decl.initializer, depth + 1);
  }
  return false;
}

function findDeclarationOf(id: ts.Identifier): ts.Node | undefined {
  let scope: ts.Node | undefined = id.parent;
  while (scope) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name) && decl.name.text === id.text) return decl;
      }
    }
    scope = scope.parent;
  }
  return undefined;
}

function readAlgorithms(
  loc: AlgorithmLocation,
  call: ts.CallExpression | ts.NewExpression,
  options: OptionLookup,
  project: AnalysisProject,
  file: SourceFileInfo,
): JwtAlgorithms | undefined {
  const found = locate(loc.at, call, options, project, file);
  if (found.state === 'absent') return undefined;
  if (found.state === 'unknown') return { role: loc.role, values: [], complete: false, node: call, fromToken: false };
  const raw = 'arg' in loc.at ? call.arguments?.[loc.at.arg] : undefined;
  const fromToken = raw !== undefined && isHeaderAlg(raw);
  const { values, complete } = algorithmValues(found.value, loc.single === true);
  if (values.length === 0 && complete && found.value.kind === 'object') return undefined;
  return { role: loc.role, values, complete: complete && !fromToken, node: found.node, fromToken };
}

function algorithmValues(value: Value, single: boolean): { values: string[]; complete: boolean } {
  const values: string[] = [];
  let complete = true;
  const add = (v: Value) => {
    const strings = getStringAlternatives(v);
    if (strings.length === 0 || getAlternatives(v).some((a) => a.kind !== 'string' && !(a.kind === 'env' && a.fallback))) complete = false;
    values.push(...strings);
  };
  for (const alt of getAlternatives(value)) {
    if (alt.kind === 'array') {
      complete &&= alt.complete;
      for (const item of alt.items) add(item);
    } else if (single || alt.kind === 'string' || alt.kind === 'env') add(alt);
    else if (alt.kind !== 'undefined') complete = false;
  }
  return { values: [...new Set(values)], complete };
}

/** jose `SignJWT`/`CompactSign`: the `alg` of `.setProtectedHeader(...)` in the chain or on the same variable. */
function readProtectedHeaderAlg(call: ts.CallExpression, project: AnalysisProject, file: SourceFileInfo): JwtAlgorithms | undefined {
  let current: ts.Expression = call.expression;
  let root: ts.Expression | undefined;
  for (;;) {
    current = skipOuterExpressions(current);
    if (ts.isPropertyAccessExpression(current)) {
      current = current.expression;
    } else if (ts.isCallExpression(current)) {
      const callee = current.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'setProtectedHeader' && current.arguments[0]) {
        return headerAlg(current.arguments[0], project, file);
      }
      current = callee;
    } else {
      root = current;
      break;
    }
  }
  if (root && ts.isIdentifier(root)) {
    const scope = enclosingFunction(call) ?? file.sourceFile;
    const setter = findAll(scope, ts.isCallExpression).find(
      (c) =>
        ts.isPropertyAccessExpression(c.expression) &&
        c.expression.name.text === 'setProtectedHeader' &&
        ts.isIdentifier(skipOuterExpressions(c.expression.expression)) &&
        (skipOuterExpressions(c.expression.expression) as ts.Identifier).text === root.text,
    );
    if (setter?.arguments[0]) return headerAlg(setter.arguments[0], project, file);
  }
  return undefined;
}

function headerAlg(arg: ts.Expression, project: AnalysisProject, file: SourceFileInfo): JwtAlgorithms | undefined {
  const header = present(evaluate(project, file, arg), arg);
  const alg = lookupOption(header, ['alg'], file);
  if (alg.state === 'absent') return undefined;
  if (alg.state === 'unknown') return { role: 'sign', values: [], complete: false, node: arg, fromToken: false };
  const { values, complete } = algorithmValues(alg.value, true);
  return { role: 'sign', values, complete, node: alg.node, fromToken: false };
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current = node.parent;
  while (current) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) return current as ts.FunctionLikeDeclaration;
    current = current.parent;
  }
  return undefined;
}

function manualClaimChecks(call: ts.Node): { issuer: boolean; audience: boolean } {
  const scope = enclosingFunction(call);
  const result = { issuer: false, audience: false };
  if (!scope?.body) return result;
  for (const node of findAll(scope.body, (n): n is ts.PropertyAccessExpression | ts.ElementAccessExpression => ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))) {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
    if (name === 'iss') result.issuer = true;
    if (name === 'aud') result.audience = true;
  }
  return result;
}

function buildCall(
  project: AnalysisProject,
  file: SourceFileInfo,
  node: ts.CallExpression | ts.NewExpression,
  library: JwtLibraryModel,
  module: string,
  api: JwtApiModel,
  flags: { viaFactory?: boolean; viaDecorator?: boolean; apiName?: string } = {},
): JwtCall {
  const callee = node.expression.getText(file.sourceFile);
  const tokenArg = api.tokenArg !== undefined ? node.arguments?.[api.tokenArg] : undefined;
  const token = tokenArg && !ts.isSpreadElement(tokenArg) ? tokenArg : undefined;
  const base = {
    library: library.id,
    module,
    api,
    apiName: flags.apiName ?? api.name,
    node,
    file,
    callee,
    ...(token ? { token } : {}),
    viaFactory: flags.viaFactory === true,
    viaDecorator: flags.viaDecorator === true,
  };
  let operation = api.operation;
  let decodeOnly = operation === 'decode' || (operation === 'unsecured' && api.tokenArg !== undefined);
  if (flags.viaFactory) {
    return { ...base, operation, verifies: operation === 'verify', signs: operation === 'sign', decodeOnly, options: UNKNOWN, keys: [], algorithms: [] };
  }
  const optionsExpr = api.optionsArg !== undefined ? node.arguments?.[api.optionsArg] : undefined;
  let options: OptionLookup = api.optionsArg === undefined || isCallbackLike(optionsExpr) ? ABSENT : argLookup(node, api.optionsArg, project, file);
  if (api.optionsFromFactory && options.state === 'present') {
    const factory = lookupOption(options, [api.optionsFromFactory], file);
    const result = factory.state === 'present' ? evaluateFactoryResult(project, factory.value) : undefined;
    // `useClass`/`useExisting` build the options in a class authlint does not read.
    options = result ? present(result, factory.state === 'present' ? factory.node : node) : UNKNOWN;
  }
  if (api.noVerifyArg !== undefined) {
    const flag = argLookup(node, api.noVerifyArg, project, file);
    // jwt-simple tests `if (!noVerify)`: any truthy value, even an algorithm name passed in the wrong place, skips the check.
    if (flag.state === 'present' && isStaticallyKnown(flag.value) && isTruthy(flag.value)) {
      operation = 'decode';
      decodeOnly = true;
    }
  }
  const keys: JwtKey[] = [];
  for (const loc of api.keys ?? []) {
    const found = locate(loc.at, node, options, project, file);
    if (found.state !== 'present') continue;
    // Option values come from plain evaluation; give unknown ones the JWT-specific shapes (`this.secret`, `env.X`).
    const value = found.value.kind === 'unknown' && ts.isExpression(found.value.node) ? evaluateJwtExpression(project, found.value.file, found.value.node) : found.value;
    keys.push({ ...classifyKey(project, value), role: loc.role, value, node: found.node, namedSecret: loc.namedSecret === true, stringMeansSecret: loc.stringMeansSecret === true, where: describe(loc.at) });
  }
  const algorithms: JwtAlgorithms[] = [];
  for (const loc of api.algorithms ?? []) {
    const read = readAlgorithms(loc, node, options, project, file);
    if (read) algorithms.push(read);
  }
  if (api.algorithmFromProtectedHeader && ts.isCallExpression(node)) {
    const read = readProtectedHeaderAlg(node, project, file);
    if (read) algorithms.push(read);
  }
  // @hapi/jwt strategy with `verify: false` checks no signature at all.
  if (api.claims?.semantics === 'required-unless-false') {
    const verify = lookupOption(options, ['verify'], file);
    if (verify.state === 'present' && verify.value.kind === 'boolean' && !verify.value.value) decodeOnly = true;
  }
  const verifies = operation === 'verify' || (operation === 'configure' && api.verifies === true);
  const signs = operation === 'sign' || (operation === 'configure' && api.signs === true);
  const claims = api.claims && verifies && !decodeOnly ? readClaims(api, node, options, file) : undefined;
  const expiry = api.expiry && signs ? readExpiry(api, node, options, project, file) : undefined;
  return {
    ...base,
    operation,
    verifies: verifies && !decodeOnly,
    signs,
    decodeOnly,
    options,
    keys,
    algorithms,
    ...(claims ? { claims } : {}),
    ...(expiry ? { expiry } : {}),
  };
}

/** Whether a payload visibly holds `exp`: `set`, visibly not (`missing`), or not knowable (spreads, parameters). */
function payloadExpiry(value: Value): 'set' | 'missing' | 'unknown' {
  let result: 'set' | 'missing' | 'unknown' = 'missing';
  for (const alt of getAlternatives(value)) {
    if (alt.kind === 'object') {
      if (alt.props.has('exp')) return 'set';
      if (!alt.complete) result = 'unknown';
    } else if (alt.kind !== 'string') {
      result = 'unknown';
    }
  }
  return result;
}

/** jose builder chains: the methods called on the builder and the `new SignJWT(payload)` it starts from. */
function readBuilderChain(call: ts.CallExpression | ts.NewExpression, file: SourceFileInfo): { methods: Set<string>; root?: ts.NewExpression; resolved: boolean } {
  const methods = new Set<string>();
  let current: ts.Expression = call.expression;
  for (let depth = 0; depth < 8; depth++) {
    for (;;) {
      current = skipOuterExpressions(current);
      if (ts.isPropertyAccessExpression(current)) current = current.expression;
      else if (ts.isCallExpression(current)) {
        if (ts.isPropertyAccessExpression(current.expression)) methods.add(current.expression.name.text);
        current = current.expression;
      } else break;
    }
    if (ts.isNewExpression(current)) return { methods, root: current, resolved: true };
    if (!ts.isIdentifier(current)) return { methods, resolved: false };
    // `const jwt = new SignJWT(p)…; jwt.setExpirationTime('1h'); await jwt.sign(key)`
    const name = current.text;
    const scope = enclosingFunction(call) ?? file.sourceFile;
    for (const c of findAll(scope, ts.isCallExpression)) {
      const callee = c.expression;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(skipOuterExpressions(callee.expression)) && (skipOuterExpressions(callee.expression) as ts.Identifier).text === name) {
        methods.add(callee.name.text);
      }
    }
    const declaration = findDeclaration(current, name);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return { methods, resolved: false };
    current = declaration.initializer;
  }
  return { methods, resolved: false };
}

function readExpiry(api: JwtApiModel, node: ts.CallExpression | ts.NewExpression, options: OptionLookup, project: AnalysisProject, file: SourceFileInfo): 'set' | 'missing' | 'unknown' {
  const spec = api.expiry!;
  let unknown = false;
  for (const path of spec.options ?? []) {
    const found = lookupOption(options, path, file);
    if (found.state === 'present' && found.value.kind !== 'undefined') return 'set';
    if (found.state === 'unknown') unknown = true;
  }
  let payload: ts.Expression | undefined;
  let hasPayloadSlot = spec.payloadArg !== undefined;
  if (spec.chainMethod) {
    const chain = readBuilderChain(node, file);
    if (chain.methods.has(spec.chainMethod)) return 'set';
    if (!chain.resolved) return 'unknown';
    if (spec.payloadFromChainRoot) {
      hasPayloadSlot = true;
      payload = chain.root?.arguments?.[0];
    }
  }
  if (spec.payloadArg !== undefined) payload = node.arguments?.[spec.payloadArg];
  if (hasPayloadSlot) {
    if (!payload || ts.isSpreadElement(payload)) return payload ? 'unknown' : unknown ? 'unknown' : 'missing';
    const state = payloadExpiry(evaluate(project, file, payload));
    if (state !== 'missing') return state;
  }
  return unknown ? 'unknown' : 'missing';
}

function readClaims(api: JwtApiModel, node: ts.Node, options: OptionLookup, file: SourceFileInfo): JwtClaimChecks {
  const spec = api.claims!;
  const first = (paths: readonly OptionPath[] | undefined): OptionLookup => {
    let result: OptionLookup = ABSENT;
    for (const path of paths ?? []) {
      const found = lookupOption(options, path, file);
      if (found.state === 'present') return found;
      if (found.state === 'unknown') result = UNKNOWN;
    }
    return result;
  };
  const one = (path: OptionPath | undefined) => (path ? lookupOption(options, path, file) : ABSENT);
  return {
    issuer: first(spec.issuer),
    audience: first(spec.audience),
    ignoreExpiration: one(spec.ignoreExpiration),
    expiryEnabled: one(spec.expiryEnabled),
    clockTolerance: one(spec.clockTolerance?.path),
    maxAge: one(spec.maxAge),
    requiredClaims: one(spec.requiredClaims),
    manual: manualClaimChecks(node),
  };
}

/** Substrings one of which every JWT package name contains ('jw' or the whole name): most texts contain none of them. */
const JWT_PACKAGE_NEEDLES = [...new Set(JWT_PACKAGES.map((p) => (p.includes('jw') ? 'jw' : p)))];

function textMentionsJwtPackage(file: SourceFileInfo): boolean {
  const text = file.text;
  return JWT_PACKAGE_NEEDLES.some((needle) => text.includes(needle)) && JWT_PACKAGES.some((p) => text.includes(p));
}

export const MENTIONS_JWT_PACKAGE = defineFileFact('mentions-jwt-package', textMentionsJwtPackage, { local: true });
const REACHES_JWT_PACKAGE = defineReach('jwt-packages', MENTIONS_JWT_PACKAGE);

/** Whether a file's text names a modelled JWT package anywhere (a cheap gate before reading its calls; memoised). */
export function mentionsJwtPackage(project: AnalysisProject, file: SourceFileInfo): boolean {
  return project.fileFact(MENTIONS_JWT_PACKAGE, file);
}

/** Which JWT libraries the project imports anywhere (plugins bind decorators and hapi schemes project-wide). */
export const JWT_LIBRARIES_USED = defineProjectFact('jwt-libraries-used', (project: AnalysisProject) => {
  const used = new Map<string, string>();
  for (const file of project.files()) {
    for (const [id, module] of project.fileFact(FILE_JWT_LIBRARIES, file)) if (!used.has(id)) used.set(id, module);
  }
  return used;
}, { plain: true });

/** The JWT libraries one file names (its own text only, so an editor keeps it for every file but the edited one). */
export const FILE_JWT_LIBRARIES = defineFileFact(
  'jwt-libraries-of-file',
  (file: SourceFileInfo, project: AnalysisProject): ReadonlyMap<string, string> => {
    const used = new Map<string, string>();
    addUsed(project, file, used);
    return used;
  },
  { portable: true },
);

function addUsed(project: AnalysisProject, file: SourceFileInfo, used: Map<string, string>): void {
  if (!mentionsJwtPackage(project, file)) return;
  for (const binding of project.fileFact(IMPORTS, file).values()) {
    const library = getJwtLibrary(binding.module);
    if (library && !used.has(library.id)) used.set(library.id, binding.module);
  }
  // Plugins are often loaded inline: `server.register(require('hapi-auth-jwt2'))`, `register(import('@fastify/jwt'))`.
  for (const pkg of JWT_PACKAGES) {
    const library = getJwtLibrary(pkg);
    if (library && !used.has(library.id) && (file.text.includes(`'${pkg}'`) || file.text.includes(`"${pkg}"`))) used.set(library.id, pkg);
  }
}

function librariesUsed(project: AnalysisProject, file: SourceFileInfo): ReadonlyMap<string, string> {
  const all = project.projectFact(JWT_LIBRARIES_USED);
  // Only a file that names a package can add one (a neighbour loaded on demand, outside the scanned files).
  if (!mentionsJwtPackage(project, file)) return all;
  const used = new Map(all);
  for (const [id, module] of project.fileFact(FILE_JWT_LIBRARIES, file)) if (!used.has(id)) used.set(id, module);
  return used;
}

function externalPath(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): { module: string; path: string[] } | undefined {
  const origin = followLocalModule(project, resolveOrigin(project, file, expr));
  return origin.kind === 'external' ? { module: origin.module, path: stripDefault(origin.path) } : undefined;
}

function matchImported(project: AnalysisProject, file: SourceFileInfo, node: ts.CallExpression | ts.NewExpression): JwtCall | undefined {
  const callee = node.expression;
  if (callee.kind === ts.SyntaxKind.SuperKeyword || callee.kind === ts.SyntaxKind.ImportKeyword) return undefined;
  const target = externalPath(project, file, getPromisified(project, file, callee) ?? callee);
  if (!target) return undefined;
  const library = getJwtLibrary(target.module);
  if (!library) return undefined;
  const path = ts.isNewExpression(node) ? [...target.path, 'new'] : target.path;
  const api = findJwtApi(library, path, node.arguments?.length);
  if (api?.availableBelowMajor !== undefined && isVersionAtLeast(getModuleVersion(project, target.module), api.availableBelowMajor)) return undefined;
  if (api) return buildCall(project, file, node, library, target.module, api, { apiName: getApiName(api, path) });
  if (path[path.length - 1] === '()') {
    const factory = findJwtApi(library, path.slice(0, -1));
    if (factory?.returnsFunction) return buildCall(project, file, node, library, target.module, factory, { viaFactory: true });
  }
  return undefined;
}

/** `JwtService.verifyAsync` rather than the model's `JwtService.verify` when the model lists alternatives. */
function getApiName(api: JwtApiModel, path: readonly string[]): string {
  const last = api.path?.[api.path.length - 1];
  const actual = path[path.length - 1];
  if (!last?.includes('|') || !actual || !last.split('|').includes(actual)) return api.name;
  const dot = api.name.lastIndexOf('.');
  return dot === -1 ? actual : `${api.name.slice(0, dot + 1)}${actual}`;
}

/** `const verifyAsync = promisify(jwt.verify)`: the promisified function stands for the original. */
function getPromisified(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): ts.Expression | undefined {
  const inner = skipOuterExpressions(callee);
  if (!ts.isIdentifier(inner)) return undefined;
  const decl = findDeclarationOf(inner);
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || !init.arguments[0]) return undefined;
  const wrapper = externalPath(project, file, init.expression);
  const isPromisify = wrapper && isPromisifyExport(wrapper.module, wrapper.path.join('.'));
  return isPromisify ? init.arguments[0] : undefined;
}

function matchPlugin(project: AnalysisProject, file: SourceFileInfo, node: ts.CallExpression): JwtCall | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register') return undefined;
  const plugin = node.arguments[0];
  if (!plugin) return undefined;
  const target = externalPath(project, file, plugin);
  const library = target && getJwtLibrary(target.module);
  const api = library?.apis.find((a) => a.plugin);
  if (!target || !library || !api || target.path.length > 0) return undefined;
  return buildCall(project, file, node, library, target.module, api);
}

function matchAuthStrategy(project: AnalysisProject, file: SourceFileInfo, node: ts.CallExpression, used: ReadonlyMap<string, string>): JwtCall | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'strategy') return undefined;
  const owner = callee.expression;
  if (!ts.isPropertyAccessExpression(owner) || owner.name.text !== 'auth') return undefined;
  const scheme = node.arguments[1];
  if (!scheme) return undefined;
  const schemes = getStringAlternatives(evaluate(project, file, scheme));
  for (const library of JWT_LIBRARIES) {
    const module = used.get(library.id);
    const api = library.apis.find((a) => a.authScheme !== undefined && schemes.includes(a.authScheme));
    if (module && api) return buildCall(project, file, node, library, module, api);
  }
  return undefined;
}

function matchDecorator(project: AnalysisProject, file: SourceFileInfo, node: ts.CallExpression, used: ReadonlyMap<string, string>): JwtCall | undefined {
  const names = memberNames(node.expression);
  if (names.length === 0) return undefined;
  for (const library of JWT_LIBRARIES) {
    const module = used.get(library.id);
    if (!module) continue;
    for (const api of library.apis) {
      const decorator = api.decorator;
      if (!decorator || names.length < decorator.length) continue;
      if (decorator.every((name, i) => names[names.length - decorator.length + i] === name)) {
        const receiver = externalPath(project, file, node.expression);
        if (receiver && !getJwtLibrary(receiver.module) && !/fastify/.test(receiver.module)) continue;
        // `utils.jwtVerify(t)` on a repository module is that module's own function, not the decorator.
        const origin = resolveOrigin(project, file, node.expression);
        if (origin.kind === 'local' && (ts.isSourceFile(origin.node) || ts.isFunctionLike(origin.node))) continue;
        return buildCall(project, file, node, library, module, api, { viaDecorator: true });
      }
    }
  }
  return undefined;
}

/** NestJS: `class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ … }) } }`. */
function matchPassportSuper(project: AnalysisProject, file: SourceFileInfo, node: ts.CallExpression): JwtCall | undefined {
  if (node.expression.kind !== ts.SyntaxKind.SuperKeyword) return undefined;
  const cls = findEnclosingClass(node);
  const heritage = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!heritage || !ts.isCallExpression(heritage) || !heritage.arguments[0]) return undefined;
  const strategy = externalPath(project, file, heritage.arguments[0]);
  const library = strategy && getJwtLibrary(strategy.module);
  const api = library?.apis.find((a) => a.passportStrategy && a.path && matchesApiPath(a.path, strategy!.path));
  if (!strategy || !library || !api) return undefined;
  return buildCall(project, file, node, library, strategy.module, api);
}

const CALL_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]);

/** Whether the file or a repository module it imports (transitively) names a modelled JWT package. */
function reachesJwtPackage(project: AnalysisProject, file: SourceFileInfo): boolean {
  // The test reads nothing but the file (canReach memoises its answers), so an editor's next snapshot can keep them.
  return REACHES_JWT_PACKAGE(project, file);
}

/** The module behind a name when its declaration is one of the file's imports or requires (shadowing respected). */
function importedModule(project: AnalysisProject, file: SourceFileInfo, name: string, decl: ts.Node): string | undefined {
  const binding = project.fileFact(IMPORTS, file).get(name);
  return isBindingAt(binding, decl) ? binding?.module : undefined;
}

/**
 * A cheap, exact pre-check for matchImported: whether a callee's origin can be a JWT package export at all. Follows
 * resolveOrigin's first step without resolving: a callee rooted at a local function or class, an untyped parameter, a
 * global or an undeclared name is never a package export; one rooted at an import can only be a JWT export when the
 * import names a JWT package or a repository module that reaches one. Everything else (variables, `this`, typed
 * parameters whose type is imported from such a module) is resolved in full.
 */
function mayBeJwtBound(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): boolean {
  const root = getChainRoot(callee, true);
  if (!root || root.kind === ts.SyntaxKind.ThisKeyword) return true;
  const name = (root as ts.Identifier).text;
  const decl = findDeclaration(root, name);
  if (!decl) return false;
  if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) return false;
  if (ts.isParameter(decl)) {
    const type = decl.type;
    if (!type) return false;
    if (!ts.isTypeReferenceNode(type)) return true;
    const typeName = ts.isIdentifier(type.typeName) ? type.typeName : ts.isIdentifier(type.typeName.left) ? type.typeName.left : undefined;
    const typeDecl = typeName ? findDeclaration(type, typeName.text) : undefined;
    if (!typeName || !typeDecl) return false;
    const typeModule = importedModule(project, file, typeName.text, typeDecl);
    return typeModule === undefined ? true : moduleMayBeJwt(project, file, typeModule);
  }
  const module = importedModule(project, file, name, decl);
  return module === undefined ? true : moduleMayBeJwt(project, file, module);
}

function moduleMayBeJwt(project: AnalysisProject, file: SourceFileInfo, module: string): boolean {
  if (JWT_PACKAGES.some((p) => module.includes(p))) return true;
  const target = project.resolveImport(file, module);
  return target !== undefined && reachesJwtPackage(project, target);
}

/** Whether one of the used libraries is bound project-wide, by a decorator or an auth scheme (`JWT_CALLS` reads these in every file). */
function usesProjectWideBinding(used: ReadonlyMap<string, string>): boolean {
  return JWT_LIBRARIES.some((library) => used.has(library.id) && library.apis.some((api) => api.decorator !== undefined || api.authScheme !== undefined));
}

/**
 * Whether some call of the file may be bound by the matchers below, read from the file's portable call-site summary
 * (no tree when an extraction thread computed it): most files that reach a JWT package through barrels call nothing of it.
 */
function mayHaveJwtCalls(project: AnalysisProject, file: SourceFileInfo, imported: boolean, used: ReadonlyMap<string, string>): boolean {
  // The decorator and scheme tests below need a used library bound that way; without one, a file that reaches no JWT
  // package is let through by nothing, and its summary is not asked for (with no extraction thread, that is a parse).
  if (!imported && !usesProjectWideBinding(used)) return false;
  const sites = project.fileFact(JWT_CALL_SITES, file);
  if (sites.decoratorLibraries.some((id) => used.has(id))) return true;
  if (sites.authStrategy && JWT_LIBRARIES.some((l) => used.has(l.id) && l.apis.some((a) => a.authScheme !== undefined))) return true;
  if (!imported) return false;
  return sites.unbounded || sites.seeds.some((seed) => seedMayBeJwt(project, file, seed, (target) => reachesJwtPackage(project, target)));
}

/** Every JWT library call of a file, bound to its library through imports (never by method name alone). */
export const JWT_CALLS = defineFileFact('jwt-calls', (file: SourceFileInfo, project: AnalysisProject): JwtCall[] => {
  const calls: JwtCall[] = [];
  const used = librariesUsed(project, file);
  // Calls bound through imports need a file that reaches a JWT package through its import chain;
  // decorators and hapi schemes are bound project-wide and are looked for in every file.
  const imported = reachesJwtPackage(project, file);
  if (!imported && used.size === 0) return calls;
  if (project.selects && !mayHaveJwtCalls(project, file, imported, used)) return calls;
  const nodes = indexedNodesOfKinds(file.sourceFile, CALL_KINDS) as Array<ts.CallExpression | ts.NewExpression>;
  for (const node of nodes) {
    const found =
      (imported && mayBeJwtBound(project, file, node.expression) ? matchImported(project, file, node) : undefined) ??
      (ts.isCallExpression(node)
        ? ((imported ? (matchPassportSuper(project, file, node) ?? matchPlugin(project, file, node)) : undefined) ??
          (used.size > 0 ? (matchAuthStrategy(project, file, node, used) ?? matchDecorator(project, file, node, used)) : undefined))
        : undefined);
    if (found) calls.push(found);
  }
  return calls;
});

/** The JWT calls of a file. */
export function getJwtCalls(project: AnalysisProject, file: SourceFileInfo): readonly JwtCall[] {
  return project.fileFact(JWT_CALLS, file);
}

/** True for calls that read claims without checking the signature. */
export function isDecodeOnly(call: JwtCall): boolean {
  return call.decodeOnly;
}

/** Calls (and configurations) that verify a token, optionally only those inside `within` (a function, a class). */
export function getVerifyCalls(project: AnalysisProject, file: SourceFileInfo, within?: ts.Node): JwtCall[] {
  return getJwtCalls(project, file).filter(
    (c) => c.verifies && (!within || (c.node.getStart(file.sourceFile) >= within.getStart(file.sourceFile) && c.node.getEnd() <= within.getEnd())),
  );
}

/** Module-level configurations of a library across the scanned project (`JwtModule.register`, `fastify.register(jwt)`). */
export const JWT_CONFIGURATIONS = defineProjectFact('jwt-configurations', (project: AnalysisProject): JwtCall[] => {
  const configs: JwtCall[] = [];
  for (const file of project.files()) {
    if (!mentionsJwtPackage(project, file)) continue;
    configs.push(...getJwtCalls(project, file).filter((c) => c.operation === 'configure'));
  }
  return configs;
});

/**
 * The module configurations that apply to a service or decorator call of the same library: those of the call's own
 * file, else those closest to it in the folder tree (a NestJS feature module usually sits beside its services).
 */
export function getModuleConfigurations(project: AnalysisProject, call: JwtCall): JwtCall[] {
  const own = getJwtCalls(project, call.file).filter((c) => c.operation === 'configure' && c.library === call.library);
  if (own.length > 0) return own;
  const dir = call.file.relPath.slice(0, Math.max(0, call.file.relPath.lastIndexOf('/')));
  const memo = project.projectFact(NEAREST_CONFIGURATIONS);
  const key = `${call.library}\u0000${dir}`;
  let nearest = memo.get(key);
  if (!nearest) {
    const all = project.projectFact(JWT_CONFIGURATIONS).filter((c) => c.library === call.library);
    const b = dir === '' ? [] : dir.split('/');
    const shared = all.map((c) => {
      const a = c.file.relPath.split('/').slice(0, -1);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return i;
    });
    const best = Math.max(-1, ...shared);
    nearest = all.filter((_, i) => shared[i] === best);
    memo.set(key, nearest);
  }
  return nearest;
}

/** getModuleConfigurations answers by library and folder: every call of a folder gets the same configurations. */
const NEAREST_CONFIGURATIONS = defineProjectFact('jwt-nearest-configurations', (): Map<string, JwtCall[]> => new Map());

/** True when the key is (or, by the library's option semantics, must be) a shared HMAC secret. */
export function isSharedSecretKey(key: JwtKey): boolean {
  if (key.kind === 'secret') return true;
  if (key.kind !== 'unknown') return false;
  if (key.namedSecret) return true;
  return key.stringMeansSecret && key.stringSource === true;
}

/** Test files (`*.test.*`, `*.spec.*`, `test/`, `__tests__/`) mint throwaway tokens; JWT rules skip them unless asked. */
export function isReportedFile(settings: ProjectSettings, file: SourceFileInfo): boolean {
  return !file.isTestFile || settings.reportTestFiles === true;
}

/** `jsonwebtoken 'verify'`, for messages. */
export function describeCall(call: JwtCall): string {
  return `${call.library} '${call.apiName}'`;
}

export interface PackageVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  /** For `^`/`~` ranges, the first version the range excludes. */
  below?: [number, number, number];
}

/** The declared or locked version of the call's package, when the repository states one. */
export function getPackageVersion(project: AnalysisProject, call: JwtCall): PackageVersion | undefined {
  return getModuleVersion(project, call.module);
}

function getModuleVersion(project: AnalysisProject, module: string): PackageVersion | undefined {
  const pkg = module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : (module.split('/')[0] as string);
  const raw = project.getDependencyVersion(pkg);
  const match = raw ? /^\s*([~^]|=|v)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(raw) : null;
  if (!raw || !match) return undefined;
  const [major, minor, patch] = [Number(match[2]), Number(match[3]) || 0, Number(match[4]) || 0];
  const wildMinor = match[3] === undefined || match[3] === 'x' || match[3] === '*';
  const wildPatch = wildMinor || match[4] === undefined || match[4] === 'x' || match[4] === '*';
  let below: [number, number, number] | undefined;
  if (match[1] === '^') below = major > 0 ? [major + 1, 0, 0] : [0, minor + 1, 0];
  else if (match[1] === '~' || (wildPatch && !wildMinor)) below = [major, minor + 1, 0];
  else if (wildMinor) below = [major + 1, 0, 0];
  return { raw, major, minor, patch, ...(below ? { below } : {}) };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** True when every version the repository may install is lower than `major.minor.patch`. */
export function isVersionBelow(version: PackageVersion | undefined, major: number, minor = 0, patch = 0): boolean {
  if (!version) return false;
  const threshold = [major, minor, patch];
  if (version.below) return compare(version.below, threshold) <= 0;
  return compare([version.major, version.minor, version.patch], threshold) < 0;
}

/** True when every version the repository may install is at least `major` (the lowest version it allows is). */
function isVersionAtLeast(version: PackageVersion | undefined, major: number): boolean {
  return version !== undefined && version.major >= major;
}
