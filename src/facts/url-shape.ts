import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import type { ProjectSettings } from '../core/types.js';
import {
  INTERNAL_HOST_SUFFIXES,
  INTERNAL_SERVICE_NAME_WORDS,
  LOOPBACK_HOSTS,
  URL_NAME_WORDS,
} from '../models/http-clients.js';
import { resolveImportedName } from './imports.js';
import { getWords } from './routes/exposure.js';
import { escapeRegExp } from './routes/paths.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from './scope.js';
import { evaluate, findEnclosingClass, getStringAlternatives } from './values.js';

/** A piece of a URL as written: literal text, a named variable or configuration key, or something unreadable. */
export type UrlPart = { kind: 'text'; text: string } | { kind: 'name'; name: string; fallbacks: string[] } | { kind: 'unknown' };

/** What a URL expression statically says about where a request goes. */
export interface UrlTarget {
  /** The URL as a reader would summarise it: `${PAYMENTS_SERVICE_URL}/charges`, `http://opa:8181/v1/data/authz`. */
  display: string;
  /** The literal host, lower-case, without port. */
  host?: string;
  /** The variable or configuration key the URL starts with (`PAYMENTS_SERVICE_URL`, `config.services.payments.url`). */
  baseName?: string;
  /** Hosts of literal fallbacks of that variable (`process.env.OPA_URL || 'http://localhost:8181'`). */
  fallbackHosts: string[];
  /** No scheme and host: relative to an instance's base URL, or unreadable. */
  relative: boolean;
  /** The literal text after the host (unreadable parts as `…`). */
  path: string;
}

export type HostKind = 'loopback' | 'internal' | 'public' | 'unknown';

export interface HostClassification {
  kind: HostKind;
  /** Why: `host 'payments' has no domain`, `variable PAYMENTS_SERVICE_URL names a service`. */
  reason: string;
}

const MAX_DEPTH = 8;
const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'require']);

/** Reads a URL expression into parts, following constants, variables and class members across files. */
export function describeUrlParts(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression, depth = 0): UrlPart[] {
  if (depth > MAX_DEPTH) return [{ kind: 'unknown' }];
  const node = skipOuterExpressions(expr);
  const next = (e: ts.Expression, f: SourceFileInfo = file) => describeUrlParts(project, f, e, depth + 1);
  if (ts.isAwaitExpression(node)) return next(node.expression);
  if (ts.isStringLiteralLike(node)) return [{ kind: 'text', text: node.text }];
  if (ts.isTemplateExpression(node)) {
    const parts: UrlPart[] = [{ kind: 'text', text: node.head.text }];
    for (const span of node.templateSpans) parts.push(...next(span.expression), { kind: 'text', text: span.literal.text });
    return mergeText(parts);
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) return mergeText([...next(node.left), ...next(node.right)]);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      const left = next(node.left);
      const fallbacks = getStringAlternatives(evaluate(project, file, node.right));
      if (left.length === 1 && left[0]?.kind === 'name') return [{ ...left[0], fallbacks: [...left[0].fallbacks, ...fallbacks] }];
      if (left.length === 1 && left[0]?.kind === 'unknown' && fallbacks.length > 0) return [{ kind: 'name', name: describeName(node.left, file), fallbacks }];
      return left;
    }
    return [{ kind: 'unknown' }];
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.[0]) {
    const [target, base] = node.arguments;
    return base ? mergeText([...next(base), ...next(target)]) : next(target);
  }
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    const [first] = node.arguments;
    if (ts.isIdentifier(callee) && callee.text === 'String' && first) return next(first);
    if (ts.isPropertyAccessExpression(callee)) {
      if (callee.name.text === 'toString' && node.arguments.length === 0) return next(callee.expression);
      if (CONFIG_GETTERS.has(callee.name.text) && first && ts.isStringLiteralLike(first) && /config|env|settings/i.test(callee.expression.getText(file.sourceFile))) {
        const fallbacks = node.arguments[1] ? getStringAlternatives(evaluate(project, file, node.arguments[1])) : [];
        return [{ kind: 'name', name: first.text, fallbacks }];
      }
    }
    return [{ kind: 'unknown' }];
  }
  if (isProcessEnvMember(node)) return [{ kind: 'name', name: getMemberName(node) ?? describeName(node, file), fallbacks: [] }];
  if (ts.isIdentifier(node)) {
    const decl = findDeclaration(node, node.text);
    if (!decl) return [{ kind: 'unknown' }];
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      if (isProcessEnv(decl.initializer)) return [{ kind: 'unknown' }];
      return next(decl.initializer);
    }
    if (ts.isBindingElement(decl)) {
      const holder = decl.parent.parent;
      if (ts.isVariableDeclaration(holder) && holder.initializer && isProcessEnv(holder.initializer)) {
        const fallbacks = decl.initializer ? getStringAlternatives(evaluate(project, file, decl.initializer)) : [];
        const key = decl.propertyName ? getPropertyName(decl.propertyName) : node.text;
        return [{ kind: 'name', name: key ?? node.text, fallbacks }];
      }
      return [{ kind: 'unknown' }];
    }
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl)) {
      const resolved = resolveImportedName(project, file, node.text);
      if (resolved?.kind === 'declaration' && ts.isVariableDeclaration(resolved.node) && resolved.node.initializer) {
        return next(resolved.node.initializer, resolved.file);
      }
      if (resolved?.kind === 'expression') return next(resolved.node, resolved.file);
    }
    return [{ kind: 'unknown' }];
  }
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const assigned = getThisMemberInitializer(node);
    if (assigned) return next(assigned);
    return [{ kind: 'name', name: node.name.text, fallbacks: [] }];
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const value = evaluate(project, file, node);
    if (value.kind === 'string') return [{ kind: 'text', text: value.value }];
    if (value.kind === 'env' && value.name) {
      return [{ kind: 'name', name: value.name, fallbacks: value.fallback ? getStringAlternatives(value.fallback) : [] }];
    }
    return [{ kind: 'name', name: describeName(node, file), fallbacks: [] }];
  }
  return [{ kind: 'unknown' }];
}

function mergeText(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
    else if (!(part.kind === 'text' && part.text === '')) out.push(part);
  }
  return out;
}

function isProcessEnv(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'env' && (ts.isIdentifier(inner.expression) ? inner.expression.text === 'process' : ts.isMetaProperty(inner.expression));
}

function isProcessEnvMember(expr: ts.Expression): boolean {
  return (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) && isProcessEnv(expr.expression);
}

function getMemberName(expr: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  return undefined;
}

function describeName(expr: ts.Node, file: SourceFileInfo): string {
  return expr.getText(file.sourceFile).replace(/^this\./, '').replace(/\s+/g, '');
}

/** `this.baseUrl` → its property initializer or the constructor's `this.baseUrl = …`. */
export function getThisMemberInitializer(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  const cls = findEnclosingClass(access);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && getPropertyName(member.name) === access.name.text && member.initializer) return member.initializer;
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
        const { left, right, operatorToken } = statement.expression;
        if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === access.name.text) {
          return right;
        }
      }
    }
  }
  return undefined;
}

const SCHEME_HOST = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i;
const BARE_HOST_PORT = /^([a-z0-9][a-z0-9.-]*):\d+(?:[/?#]|$)/i;

function splitHost(hostPort: string): string {
  const withoutUser = hostPort.includes('@') ? hostPort.slice(hostPort.lastIndexOf('@') + 1) : hostPort;
  if (withoutUser.startsWith('[')) return withoutUser.slice(0, withoutUser.indexOf(']') + 1).toLowerCase();
  return withoutUser.split(':')[0]?.toLowerCase() ?? '';
}

function hostOfLiteral(text: string): string | undefined {
  const scheme = SCHEME_HOST.exec(text);
  if (scheme) return splitHost(scheme[1] as string) || undefined;
  const bare = BARE_HOST_PORT.exec(text);
  return bare ? (bare[1] as string).toLowerCase() : undefined;
}

/** Summarises URL parts: the literal host when complete, or the variable the base comes from. */
export function toUrlTarget(parts: readonly UrlPart[]): UrlTarget {
  const display = parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'name' ? `\${${p.name}}` : '…')).join('');
  const [first, second] = parts;
  const target: UrlTarget = { display, fallbackHosts: [], relative: false, path: '' };
  const rest = (from: number, prefix = '') => prefix + parts.slice(from).map((p) => (p.kind === 'text' ? p.text : '…')).join('');
  if (first?.kind === 'text') {
    const scheme = SCHEME_HOST.exec(first.text);
    const bare = scheme ? undefined : BARE_HOST_PORT.exec(first.text);
    const match = scheme ?? bare;
    if (!match) {
      target.relative = true;
      target.path = rest(0);
      return target;
    }
    const hostPort = scheme ? (match[1] as string) : (match[0] as string).replace(/[/?#]$/, '');
    const complete = match[0].length < first.text.length || parts.length === 1 || hostPort.includes(':');
    if (complete && hostPort !== '') {
      target.host = splitHost(hostPort);
      target.path = rest(1, first.text.slice(match[0].length));
    } else if (hostPort === '' && second?.kind === 'name') {
      target.baseName = second.name;
      target.fallbackHosts = second.fallbacks.map((f) => hostOfLiteral(f) ?? f.toLowerCase());
      target.path = rest(2);
    }
    return target;
  }
  if (first?.kind === 'name') {
    target.baseName = first.name;
    target.fallbackHosts = first.fallbacks.flatMap((f) => hostOfLiteral(f) ?? []);
    target.path = rest(1);
  }
  return target;
}

export function describeUrl(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): UrlTarget {
  return toUrlTarget(describeUrlParts(project, file, expr));
}

/** Prefixes a relative target with an instance's base URL. */
export function joinBase(base: UrlTarget, relative: UrlTarget): UrlTarget {
  const slash = relative.display !== '' && !base.display.endsWith('/') && !relative.display.startsWith('/') ? '/' : '';
  return { ...base, display: `${base.display}${slash}${relative.display}`, path: `${base.path}${slash}${relative.path}`, relative: base.relative };
}

/** `*` matches any run of characters (a host pattern `*.acme.corp`, a variable pattern `*_BASE_URL`); case-insensitive. */
export function matchesGlob(pattern: string, text: string): boolean {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(text);
}

function isPrivateIPv4(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host of a literal URL: loopback, private (no domain, private zone, private address, configured) or public. */
export function classifyHost(host: string, settings: ProjectSettings): HostClassification {
  if (isLoopback(host)) return { kind: 'loopback', reason: `'${host}' is the local machine` };
  const configured = (settings.internalServices ?? []).find((p) => matchesGlob(p, host));
  if (configured) return { kind: 'internal', reason: `host '${host}' matches the configured internal service '${configured}'` };
  if (isPrivateIPv4(host)) return { kind: 'internal', reason: `'${host}' is a private network address` };
  const suffix = INTERNAL_HOST_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix) return { kind: 'internal', reason: `host '${host}' is in the private zone '${suffix.slice(1)}'` };
  if (/^[a-z0-9-]+$/.test(host) && /[a-z]/.test(host)) return { kind: 'internal', reason: `host '${host}' has no domain (a cluster or Compose service name)` };
  if (host.includes('.')) return { kind: 'public', reason: `'${host}' is a public host` };
  return { kind: 'unknown', reason: `host '${host}'` };
}

/** A variable or configuration key that names another service's base URL. */
export function classifyBaseName(name: string, settings: ProjectSettings): HostClassification {
  const configured = (settings.internalServiceVariables ?? []).find((p) => matchesGlob(p, name));
  if (configured) return { kind: 'internal', reason: `'${name}' matches the configured internal service variable '${configured}'` };
  const words = getWords(name);
  if (words.some((w) => INTERNAL_SERVICE_NAME_WORDS.has(w)) && words.some((w) => URL_NAME_WORDS.has(w))) {
    return { kind: 'internal', reason: `'${name}' names another service's address` };
  }
  return { kind: 'unknown', reason: `'${name}'` };
}

/** Where a target points: a literal host decides; otherwise the base variable's name and its literal fallbacks. */
export function classifyTarget(target: UrlTarget, settings: ProjectSettings): HostClassification {
  if (target.host !== undefined) return classifyHost(target.host, settings);
  if (target.baseName === undefined) return { kind: 'unknown', reason: 'the URL cannot be read' };
  // A variable named after another service decides: a `localhost` fallback is a developer default, not a sidecar.
  const byName = classifyBaseName(target.baseName, settings);
  if (byName.kind !== 'unknown') return byName;
  const fallbacks = target.fallbackHosts.map((h) => classifyHost(h, settings));
  const loopback = fallbacks.find((f) => f.kind === 'loopback');
  if (loopback) return { kind: 'loopback', reason: `'${target.baseName}' defaults to the local machine` };
  if (fallbacks.some((f) => f.kind === 'public')) return { kind: 'public', reason: `'${target.baseName}' defaults to a public host` };
  const internal = target.fallbackHosts.find((h, i) => fallbacks[i]?.kind === 'internal');
  if (internal !== undefined) return { kind: 'internal', reason: `'${target.baseName}' defaults to the private host '${internal}'` };
  return byName;
}
