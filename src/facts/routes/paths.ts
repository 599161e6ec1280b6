import { ts } from '@ts-morph/common';
import { skipOuterExpressions } from '../scope.js';
import { UNRESOLVED_SEGMENT, type RouteFact } from './types.js';

/** Joins mount prefixes and a route path the way routers concatenate them: one slash between parts. */
export function joinPaths(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of part.split('/')) if (segment !== '') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** Path segments without empty ones: '/api/v1/' → ['api', 'v1']. */
export function getSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function stripWildcardSuffix(pattern: string): string {
  if (pattern === '*' || pattern === '/*' || pattern === '(.*)' || pattern === '/(.*)') return '/';
  return pattern.replace(/\/\*$/, '').replace(/\/\{?\*[A-Za-z_]*\}?$/, '').replace(/\/\(\.\*\)$/, '') || '/';
}

/**
 * Whether middleware mounted at `mountPath` runs for requests to `routePath`: segment-boundary prefix
 * match, case-insensitive (Express default), `*` wildcards (Hono `/api/*`, Express 4 `'*'`) and
 * parameters (`/:tenant`) matching any one segment. Unresolved parts are treated as matching nothing
 * unless both sides are the same text.
 */
export function isUnderMountPath(mountPath: string, routePath: string): boolean {
  const mount = getSegments(stripWildcardSuffix(mountPath));
  const route = getSegments(routePath);
  if (mount.length > route.length) return false;
  for (let i = 0; i < mount.length; i++) {
    const m = (mount[i] as string).toLowerCase();
    const r = (route[i] as string).toLowerCase();
    if (m === r) continue;
    if (m === '*' || m.startsWith(':')) continue;
    if (r.startsWith(':') && !m.includes(UNRESOLVED_SEGMENT.toLowerCase())) continue;
    return false;
  }
  return true;
}

/** Exact equality of two route paths ignoring a trailing slash and case. */
export function isSamePath(a: string, b: string): boolean {
  const norm = (p: string) => `/${getSegments(p).join('/')}`.toLowerCase();
  return norm(a) === norm(b);
}

/**
 * A user pattern from settings: a path glob when it starts with '/' (`*` one segment, `**` any
 * number), otherwise a word compared with whole path segments.
 */
export function matchesRoutePattern(pattern: string, path: string): boolean {
  if (!pattern.startsWith('/')) {
    const word = pattern.toLowerCase();
    return getSegments(path).some((s) => s.toLowerCase() === word);
  }
  const source = pattern
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s === '**' ? '(?:/.*)?' : `/${s.split('*').map(escapeRegExp).join('[^/]*')}`))
    .join('');
  return new RegExp(`^${source}/?$`, 'i').test(`/${getSegments(path).join('/')}`) || (source === '' && getSegments(path).length === 0);
}

/** A configured route pattern split into its optional methods and its path: `GET,HEAD /api/articles/**`. */
export function splitRoutePattern(pattern: string): { methods?: string[]; path: string } {
  const match = /^([A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)\s+(\S.*)$/.exec(pattern.trim());
  if (!match) return { path: pattern };
  return { methods: match[1]!.split(',').map((m) => m.trim().toUpperCase()), path: match[2]!.trim() };
}

export type RoutePathFacts = Pick<RouteFact, 'path'> & Partial<Pick<RouteFact, 'mounts' | 'unresolvedPrefixOnly' | 'methods'>>;

/**
 * Whether a configured pattern (`publicRoutes`, `internalRoutes`) covers a route. A pattern may start
 * with methods (`GET /api/articles/**`): then every method of the route must be one of them (`GET`
 * covers `HEAD`), and a route whose methods are unknown is not covered.
 */
export function matchesRoute(pattern: string, route: RoutePathFacts): boolean {
  const { methods, path } = splitRoutePattern(pattern);
  if (methods && !(route.methods ?? []).every((m) => methods.includes(m) || (m === 'HEAD' && methods.includes('GET')))) return false;
  if (methods && (route.methods ?? []).length === 0) return false;
  return matchesRoutePath(path, route);
}

/**
 * A path pattern against a route. When only the route's prefix is unresolved (a global prefix read from
 * configuration), the prefix may be anything: the pattern also matches when its leading segments stand
 * for the prefix and the rest matches the route's own path (`/api/v1/auth/**` and `/v1/auth/**` both match
 * `/<unresolved>/v1/auth/login`).
 */
function matchesRoutePath(pattern: string, route: RoutePathFacts): boolean {
  if (matchesRoutePattern(pattern, route.path)) return true;
  const prefix = route.unresolvedPrefixOnly ? route.mounts?.[0]?.prefix : undefined;
  if (prefix === undefined) return false;
  const tail = `/${getSegments(route.path).slice(getSegments(prefix).length).join('/')}`;
  if (!pattern.startsWith('/')) return matchesRoutePattern(pattern, tail);
  // The segments standing for the prefix must leave a literal one: `/admin/**` is not `/**`.
  const segments = getSegments(pattern);
  return segments.some((_, i) => segments.slice(i).some((s) => !s.includes('*') && !s.startsWith(':')) && matchesRoutePattern(`/${segments.slice(i).join('/')}`, tail));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text of a path that did not evaluate to a string, keeping its literal tail:
 * `options.prefix + 'users/login'` and `` `${prefix}users/login` `` → `<unresolved>users/login`.
 */
export function describeUnresolvedPath(node: ts.Node | undefined): string {
  const expr = node && ts.isExpression(node) ? skipOuterExpressions(node) : undefined;
  let tail: string | undefined;
  if (expr && ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const right = skipOuterExpressions(expr.right);
    if (ts.isStringLiteralLike(right)) tail = right.text;
  } else if (expr && ts.isTemplateExpression(expr)) {
    tail = expr.templateSpans[expr.templateSpans.length - 1]?.literal.text;
  }
  return tail && /^[\w\-./:]+$/.test(tail) ? `${UNRESOLVED_SEGMENT}${tail}` : UNRESOLVED_SEGMENT;
}
