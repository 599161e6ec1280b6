import { getLineOfPosition, type AnalysisProject } from '../../core/project.js';
import { ALL_JWT_PACKAGES } from '../../models/jwt-packages.js';
import { PATH_NOISE_SEGMENTS, PUBLIC_CONTENT_SEGMENTS } from '../../models/route-patterns.js';
import { getPublicEndpointReason } from './exposure.js';
import { formatRouteName, getLocationFile, getServiceKey, hasAuthentication, ROUTES } from './index.js';
import { getSegments } from './paths.js';
import { UNRESOLVED_SEGMENT, type ChainStep, type RouteFact } from './types.js';

/** A middleware name that no model or body classified, but whose name suggests access control. */
export interface MiddlewareSuggestion {
  /** The name to configure (the callee, without arguments): what `authenticationMiddleware` matches. */
  name: string;
  kind: 'authentication' | 'authorization';
  /** Routes it guards. */
  routes: number;
  file: string;
  line: number;
}

export interface PublicRouteSuggestion {
  /** A `publicRoutes` pattern: `GET /api/articles/**`. */
  pattern: string;
  /** The unauthenticated routes it covers, as `GET /api/articles/:slug`. */
  routes: string[];
}

export interface InitSuggestions {
  frameworks: string[];
  jwtLibraries: string[];
  middleware: MiddlewareSuggestion[];
  publicRoutes: PublicRouteSuggestion[];
}

function lineOf(project: AnalysisProject, step: ChainStep): number {
  const file = getLocationFile(project, step);
  return file ? getLineOfPosition(file, step.start) + 1 : 0;
}

function getMiddlewareSuggestions(project: AnalysisProject, routes: readonly RouteFact[]): MiddlewareSuggestion[] {
  const byName = new Map<string, MiddlewareSuggestion>();
  for (const route of routes) {
    for (const step of route.chain) {
      if (step.kind !== 'unknown' || step.hint === undefined) continue;
      const name = step.name.replace(/\(.*$/s, '').trim();
      const known = byName.get(name);
      if (known) known.routes++;
      else byName.set(name, { name, kind: step.hint, routes: 1, file: step.file, line: lineOf(project, step) });
    }
  }
  return [...byName.values()].sort((a, b) => b.routes - a.routes || (a.name < b.name ? -1 : 1));
}

/** The path up to a leading public-content segment (`/api/v1/articles`), for a `/**` pattern. */
function getContentPrefix(routePath: string): string | undefined {
  if (routePath.includes(UNRESOLVED_SEGMENT)) return undefined;
  const segments = getSegments(routePath);
  // Only the first segment after `/api`, `/v1`, `/rest`: `/api/users/search` is not public content.
  const index = segments.findIndex((s) => !PATH_NOISE_SEGMENTS.has(s.toLowerCase()));
  if (index === -1 || !PUBLIC_CONTENT_SEGMENTS.has((segments[index] as string).toLowerCase())) return undefined;
  return `/${segments.slice(0, index + 1).join('/')}`;
}

/**
 * Read-only routes without authentication, in a service that authenticates others, that are not
 * public by a built-in rule but serve content that is often public (articles, catalogues): grouped
 * into `GET /prefix/**` patterns for a reviewer to confirm.
 */
function getPublicRouteSuggestions(project: AnalysisProject, routes: readonly RouteFact[]): PublicRouteSuggestion[] {
  const authenticated = new Set(routes.filter((r) => !r.detached && hasAuthentication(r)).map((r) => getServiceKey(project, r)));
  const byPattern = new Map<string, Set<string>>();
  for (const route of routes) {
    if (route.detached || hasAuthentication(route) || !authenticated.has(getServiceKey(project, route))) continue;
    if (!route.methods.every((m) => m === 'GET' || m === 'HEAD')) continue;
    if (route.publicMarkers.length > 0 || getPublicEndpointReason(route, project.settings) !== undefined) continue;
    const prefix = getContentPrefix(route.path);
    if (!prefix) continue;
    const pattern = `GET ${prefix}/**`;
    byPattern.set(pattern, (byPattern.get(pattern) ?? new Set()).add(formatRouteName(route)));
  }
  return [...byPattern.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([pattern, names]) => ({ pattern, routes: [...names].sort() }));
}

function getDeclaredJwtLibraries(project: AnalysisProject): string[] {
  const pkg = project.getPackageJson() ?? {};
  const declared = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = pkg[field];
    if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) if (ALL_JWT_PACKAGES.includes(name)) declared.add(name);
  }
  return [...declared].sort();
}

/** What `authlint init` proposes for a repository, from the route model and the manifest. */
export function getInitSuggestions(project: AnalysisProject): InitSuggestions {
  const routes = project.projectFact(ROUTES);
  return {
    frameworks: [...new Set(routes.map((r) => r.framework))].sort(),
    jwtLibraries: getDeclaredJwtLibraries(project),
    middleware: getMiddlewareSuggestions(project, routes),
    publicRoutes: getPublicRouteSuggestions(project, routes),
  };
}
