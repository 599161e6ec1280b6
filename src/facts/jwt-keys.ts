import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { findKeyConstant, findKeySource, getJwtLibrary } from '../models/jwt/index.js';
import { CONFIG_GETTERS, getRegisteredConfig } from './config-lookup.js';
import { evaluateJwtExpression } from './jwt-values.js';
import { followLocalModule, getStringAlternatives, resolveOrigin, stripDefault, type Origin, type Value } from './values.js';
import { skipOuterExpressions } from './scope.js';

/**
 * What a key argument is: a shared `secret` (HMAC), an `asymmetric` key (PEM, file, imported key object),
 * a `jwks` key set, a `provider` callback, a `falsy` value (no key), `none` (legacy jose `JWK.None`: unsecured
 * tokens), or `unknown`.
 */
export type KeyKind = 'secret' | 'asymmetric' | 'jwks' | 'provider' | 'falsy' | 'none' | 'unknown';

/** A literal the key is built from, where it is written. */
export interface KeyLiteral {
  text: string;
  node: ts.Node;
  file: SourceFileInfo;
  /** The literal is the fallback of an environment or configuration lookup (`process.env.X || '…'`). */
  viaFallback: boolean;
  form: 'string' | 'buffer' | 'encoder' | 'pem-private' | 'pem-public' | 'jwk';
}

export interface KeyClassification {
  kind: KeyKind;
  literals: KeyLiteral[];
  /** The environment variable or configuration key the key is read from, when there is one. */
  sourceName?: string;
  /** Read from the environment or a configuration lookup, so a string whose content is not in the code. */
  stringSource?: boolean;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----/;
const MAX_DEPTH = 8;

function kindFromName(name: string | undefined): KeyKind {
  if (!name) return 'unknown';
  const lower = name.toLowerCase();
  if (/jwks|jwk_?uri|wellknown|well-known/.test(lower)) return 'jwks';
  if (/public|private|pem|cert|rsa|ecdsa|\bec_?key|spki|pkcs|pubkey|privkey/.test(lower)) return 'asymmetric';
  if (/secret|hmac|shared_?key/.test(lower)) return 'secret';
  return 'unknown';
}

function pemKind(text: string): 'pem-private' | 'pem-public' | undefined {
  const match = PEM.exec(text);
  if (!match) return undefined;
  return /PRIVATE/.test(match[1] ?? '') ? 'pem-private' : 'pem-public';
}

/** A readable name for an expression: its last identifier or property name. */
export function getTrailingName(expr: ts.Node): string | undefined {
  let current: ts.Node = expr;
  for (;;) {
    if (ts.isExpression(current)) current = skipOuterExpressions(current);
    if (ts.isIdentifier(current)) return current.text;
    if (ts.isPropertyAccessExpression(current)) return current.name.text;
    if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) return current.argumentExpression.text;
    if (ts.isCallExpression(current)) {
      const [first] = current.arguments;
      if (first && ts.isStringLiteralLike(first)) return first.text;
      current = current.expression;
      continue;
    }
    if (ts.isAwaitExpression(current)) {
      current = current.expression;
      continue;
    }
    return undefined;
  }
}

function merge(parts: KeyClassification[]): KeyClassification {
  const literals = parts.flatMap((p) => p.literals);
  const kinds = new Set(parts.map((p) => p.kind));
  // A key that is a file or key object in one branch and a placeholder string in another is an asymmetric key.
  const order: KeyKind[] = ['none', 'asymmetric', 'jwks', 'provider', 'secret', 'unknown', 'falsy'];
  const kind = order.find((k) => kinds.has(k)) ?? 'unknown';
  const sourceName = parts.find((p) => p.sourceName)?.sourceName;
  const stringSource = parts.some((p) => p.stringSource);
  return { kind, literals, ...(sourceName ? { sourceName } : {}), ...(stringSource ? { stringSource } : {}) };
}

function externalOrigin(project: AnalysisProject, origin: Origin): { module: string; path: string[] } | undefined {
  const followed = followLocalModule(project, origin);
  return followed.kind === 'external' ? { module: followed.module, path: stripDefault(followed.path) } : undefined;
}

function markFallback(c: KeyClassification): KeyClassification {
  return { ...c, literals: c.literals.map((l) => ({ ...l, viaFallback: true })) };
}

/** Classifies a statically evaluated key value; `viaFallback` marks literals reached through env/config defaults. */
export function classifyKey(project: AnalysisProject, value: Value, depth = 0): KeyClassification {
  if (depth > MAX_DEPTH) return { kind: 'unknown', literals: [] };
  const next = (v: Value) => classifyKey(project, v, depth + 1);
  switch (value.kind) {
    case 'string': {
      if (value.value === '') return { kind: 'falsy', literals: [] };
      const pem = pemKind(value.value);
      const literal: KeyLiteral = { text: value.value, node: value.node, file: value.file, viaFallback: false, form: pem ?? 'string' };
      return { kind: pem ? 'asymmetric' : 'secret', literals: [literal] };
    }
    case 'null':
    case 'undefined':
      return { kind: 'falsy', literals: [] };
    case 'boolean':
      return { kind: value.value ? 'unknown' : 'falsy', literals: [] };
    case 'function':
      return { kind: 'provider', literals: [] };
    case 'env': {
      const byName = kindFromName(value.name);
      const fallback = value.fallback ? markFallback(next(value.fallback)) : undefined;
      const sourceName = value.name ?? getTrailingName(value.node);
      const kind: KeyKind = byName !== 'unknown' ? byName : fallback && fallback.kind !== 'falsy' ? fallback.kind : 'unknown';
      return { kind, literals: fallback?.literals ?? [], stringSource: true, ...(sourceName ? { sourceName } : {}) };
    }
    case 'union': {
      // `config.get('jwt.secret') || 'dev-secret'`: a literal beside a configuration lookup is its fallback.
      const parts = value.options.map(next);
      const fromSource = parts.some((p) => p.stringSource);
      return merge(fromSource ? parts.map((p) => (p.stringSource ? p : markFallback(p))) : parts);
    }
    case 'array':
      return value.items.length > 0 ? merge(value.items.map(next)) : { kind: 'unknown', literals: [] };
    case 'object':
      return classifyKeyObject(project, value, depth);
    case 'call':
      return classifyKeyCall(project, value, depth);
    default: {
      if (isKeyConstant(project, value)) return { kind: 'none', literals: [] };
      const name = getTrailingName(value.node);
      return { kind: kindFromName(name), literals: [], ...(name ? { sourceName: name } : {}) };
    }
  }
}

/** Legacy jose `JWK.None`, however it is imported. */
function isKeyConstant(project: AnalysisProject, value: Value): boolean {
  const origin = value.kind === 'import' ? value.origin : ts.isExpression(value.node) ? resolveOrigin(project, value.file, value.node) : undefined;
  const external = origin ? externalOrigin(project, origin) : undefined;
  const library = external ? getJwtLibrary(external.module) : undefined;
  return external !== undefined && library !== undefined && findKeyConstant(library, external.path) === 'none';
}

function classifyKeyObject(project: AnalysisProject, value: Value & { kind: 'object' }, depth: number): KeyClassification {
  const kty = value.props.get('kty');
  if (kty) {
    const isOct = getStringAlternatives(kty).includes('oct');
    const k = value.props.get('k');
    const literals: KeyLiteral[] =
      isOct && k?.kind === 'string' ? [{ text: k.value, node: k.node, file: k.file, viaFallback: false, form: 'jwk' }] : [];
    return { kind: isOct ? 'secret' : 'asymmetric', literals };
  }
  // @fastify/jwt `{ public, private }`, @hapi/jwt `{ key, algorithms }` / `{ uri }`.
  if (value.props.has('uri') || value.props.has('jwksUri')) return { kind: 'jwks', literals: [] };
  const parts = ['key', 'private', 'public', 'secret'].map((k) => value.props.get(k)).filter((v): v is Value => v !== undefined);
  if (parts.length === 0) return { kind: 'unknown', literals: [] };
  const classified = parts.map((p) => classifyKey(project, p, depth + 1));
  if (value.props.has('private') || value.props.has('public')) {
    const kinds = new Set(classified.map((c) => c.kind));
    if (!kinds.has('secret')) return { kind: 'asymmetric', literals: classified.flatMap((c) => c.literals) };
  }
  return merge(classified);
}

const PASS_THROUGH = new Set(['replace', 'replaceAll', 'trim', 'toString', 'normalize']);

function classifyKeyCall(project: AnalysisProject, value: Value & { kind: 'call' }, depth: number): KeyClassification {
  const evaluateArg = (index: number): Value | undefined => {
    const arg = value.args[index];
    return arg ? evaluateFrom(project, value.file, arg) : undefined;
  };
  const inner = (index: number, form: KeyLiteral['form']): KeyClassification => {
    const arg = evaluateArg(index);
    if (!arg) return { kind: 'unknown', literals: [] };
    const c = classifyKey(project, arg, depth + 1);
    return { ...c, literals: c.literals.map((l) => (l.form === 'string' ? { ...l, form } : l)) };
  };
  const origin = value.origin;
  const callee = value.call.expression;
  // `process.env.PUBLIC_KEY.replace(/\\n/g, '\n')`, `secret.trim()`, `String(secret)`: the key is the receiver.
  if (ts.isPropertyAccessExpression(callee) && PASS_THROUGH.has(callee.name.text)) {
    const receiver = classifyKey(project, evaluateFrom(project, value.file, callee.expression), depth + 1);
    if (receiver.kind !== 'unknown' || receiver.sourceName) return receiver;
  }
  if (origin.kind === 'global' && origin.path.join('.') === 'String') return inner(0, 'string');
  if (origin.kind === 'global') {
    const path = origin.path.join('.');
    if (path === 'TextEncoder.new.encode') {
      const c = inner(0, 'encoder');
      return { ...c, kind: c.kind === 'asymmetric' ? 'asymmetric' : 'secret' };
    }
    if (path === 'Buffer.from') {
      const c = inner(0, 'buffer');
      return { ...c, kind: c.kind === 'asymmetric' || c.kind === 'falsy' ? c.kind : 'secret' };
    }
    if (path === 'crypto.createSecretKey') return { ...inner(0, 'buffer'), kind: 'secret' };
    if (path === 'crypto.createPublicKey' || path === 'crypto.createPrivateKey') return { kind: 'asymmetric', literals: inner(0, 'string').literals };
  }
  const external = externalOrigin(project, origin);
  if (external) {
    const [first] = external.path;
    if (external.module === 'crypto' || external.module === 'node:crypto') {
      if (first === 'createSecretKey') return { ...inner(0, 'buffer'), kind: 'secret' };
      if (first === 'randomBytes') return { kind: 'secret', literals: [] };
      if (first === 'createPublicKey' || first === 'createPrivateKey' || first === 'generateKeyPairSync') {
        return { kind: 'asymmetric', literals: inner(0, 'string').literals };
      }
    }
    if (['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].includes(external.module) && /^readFile(Sync)?$/.test(first ?? '')) {
      const file = evaluateArg(0);
      const names = file ? getStringAlternatives(file).join(' ') : '';
      return { kind: /secret/i.test(names) ? 'secret' : 'asymmetric', literals: [] };
    }
    const library = getJwtLibrary(external.module);
    if (library?.id === 'jose' && first === 'importJWK') {
      const jwk = evaluateArg(0);
      const alg = evaluateArg(1);
      const secret = (jwk && jwk.kind === 'object' && getStringAlternatives(jwk.props.get('kty') ?? jwk).includes('oct')) ||
        (alg && getStringAlternatives(alg).some((a) => /^HS/i.test(a)));
      return { kind: secret ? 'secret' : 'asymmetric', literals: jwk ? classifyKey(project, jwk, depth + 1).literals : [] };
    }
    const source = library ? findKeySource(library, external.path) : undefined;
    if (source === 'input') return inner(0, 'string');
    if (source) return { kind: source, literals: source === 'secret' ? inner(0, 'string').literals : [] };
  }
  // `configService.get('JWT_SECRET', 'fallback')`, `config.get('jwt.publicKey')`.
  if (ts.isPropertyAccessExpression(callee) && CONFIG_GETTERS.has(callee.name.text)) {
    const key = evaluateArg(0);
    const name = key ? getStringAlternatives(key)[0] : undefined;
    if (name !== undefined) {
      const registered = getRegisteredConfig(project, name, evaluateJwtExpression);
      if (registered) {
        const c = classifyKey(project, registered, depth + 1);
        if (c.kind !== 'unknown' || c.literals.length > 0) return { ...c, sourceName: c.sourceName ?? name };
      }
      const fallbackValue = evaluateArg(1);
      const fallback = fallbackValue && fallbackValue.kind !== 'object' ? markFallback(classifyKey(project, fallbackValue, depth + 1)) : undefined;
      const byName = kindFromName(name);
      const kind: KeyKind = byName !== 'unknown' ? byName : fallback && fallback.kind !== 'falsy' ? fallback.kind : 'unknown';
      return { kind, literals: fallback?.literals ?? [], sourceName: name, stringSource: true };
    }
  }
  const name = getTrailingName(callee);
  return { kind: kindFromName(name), literals: [], ...(name ? { sourceName: name } : {}) };
}

function evaluateFrom(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): Value {
  return evaluateJwtExpression(project, file, expr);
}
