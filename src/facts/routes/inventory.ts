import { getLineOfPosition, type AnalysisProject } from '../../core/project.js';
import type { ProjectSettings } from '../../core/types.js';
import type { AuthenticationStatus, InventoryStep, RouteInventory, RouteInventoryRow } from '../../core/inventory.js';
import { compareStrings } from '../../core/engine.js';
import { getPublicEndpointReason } from './exposure.js';
import { getAuthenticationStep, getAuthorizationSteps, getLocationFile, getRouteKey, getUnresolvedAuthenticationStep, ROUTES } from './index.js';
import type { ChainStep, RouteFact, SourceLocation } from './types.js';
import { ROUTE_AUTHORIZATION } from '../authz/index.js';

function lineOf(project: AnalysisProject, location: SourceLocation): { line: number; column: number } {
  const file = getLocationFile(project, location);
  if (!file) return { line: 0, column: 0 };
  // From the line starts, without a parse: a cached rescan would otherwise parse every file a route names for its lines.
  const line = getLineOfPosition(file, location.start);
  return { line: line + 1, column: location.start - (file.lineStarts[line] as number) + 1 };
}

function toStep(project: AnalysisProject, step: ChainStep): InventoryStep {
  return { name: step.name, reason: step.reason, file: step.file, line: lineOf(project, step).line };
}

function getAuthentication(route: RouteFact): { status: AuthenticationStatus; step?: ChainStep } {
  const present = getAuthenticationStep(route);
  if (present) return { status: 'present', step: present };
  // Other unknown steps beside a known optional one stay listed beside the row.
  const unknown = getUnresolvedAuthenticationStep(route);
  const optional = route.chain.find((s) => s.kind === 'authentication' && s.optional);
  if (unknown) return { status: 'unknown', step: unknown };
  if (optional) return { status: 'optional', step: optional };
  // No resolved application mounts it: the app-level middleware or global guards that run before it are unknown.
  if (route.detached) return { status: 'unknown' };
  return { status: 'none' };
}

/** Why a route without a marker counts as public: a login step, a configured pattern, or a built-in kind (the rules' own exemptions). */
function getPublicReason(route: RouteFact, method: string, settings: ProjectSettings): string | undefined {
  const login = route.chain.find((s) => s.login === true);
  // A step of a sign-in flow read from its body (an OpenID provider's interaction) checks no credential itself.
  if (login) return login.kind === 'neutral' && login.source === 'body' ? `sign-in flow endpoint (${login.name} ${login.reason})` : `login endpoint (${login.name} checks credentials)`;
  return getPublicEndpointReason({ ...route, methods: [method] }, settings);
}

/** Everything a reader compares between two registrations of one route: who may call it and why. */
function protectionKey(row: RouteInventoryRow): string {
  return JSON.stringify([
    row.authentication,
    row.authenticationStep?.name,
    row.authorizationStatus,
    row.authorization.map((a) => a.name),
    row.publicMarkers,
    row.publicReason,
    row.internal,
    row.unknownSteps,
  ]);
}

/**
 * A route registered by several calls is one row when the registrations agree on its protection; rows that differ stay
 * apart so the difference shows. Each row lists the route's other registrations.
 */
function mergeRegistrations(rows: readonly RouteInventoryRow[], routeKeys: ReadonlyMap<RouteInventoryRow, string>, handlerless: ReadonlySet<RouteInventoryRow>): RouteInventoryRow[] {
  const groups = new Map<string, RouteInventoryRow[]>();
  const merged: RouteInventoryRow[] = [];
  for (const row of rows) {
    const key = routeKeys.get(row);
    if (key === undefined || !row.pathResolved) {
      merged.push(row);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column);
    const kept = new Map<string, RouteInventoryRow>();
    // A registration of middleware only (`router.put(path, requireUser)` before the handler's) runs in front of the
    // handler's registration, whose chain already shows it: it adds no row of its own.
    const shown = group.some((r) => !handlerless.has(r)) ? group.filter((r) => !handlerless.has(r)) : group;
    for (const row of shown) if (!kept.has(protectionKey(row))) kept.set(protectionKey(row), row);
    for (const row of kept.values()) {
      const others = group.filter((r) => r !== row && (r.file !== row.file || r.line !== row.line)).map((r) => ({ file: r.file, line: r.line }));
      merged.push(others.length > 0 ? { ...row, registrations: others } : row);
    }
  }
  return merged;
}

/**
 * The rows of `authlint routes`: one per route and method, sorted by path, method and location; a
 * registration reached through two apps with the same chain (a test app built by the same function) is one row.
 * Only routes registered in files `isReported` accepts (the `--include` globs) are listed.
 */
export function getRouteInventory(project: AnalysisProject, isReported: (file: string) => boolean = () => true): RouteInventory {
  const rows: RouteInventoryRow[] = [];
  const routeKeys = new Map<RouteInventoryRow, string>();
  const handlerless = new Set<RouteInventoryRow>();
  const authorization = project.projectFact(ROUTE_AUTHORIZATION);
  for (const route of project.projectFact(ROUTES)) {
    if (!isReported(route.file)) continue;
    const authz = authorization.get(route);
    const { line, column } = lineOf(project, route);
    const authentication = getAuthentication(route);
    for (const method of route.methods) {
      const row: RouteInventoryRow = {
        framework: route.framework,
        method,
        path: route.path,
        pathResolved: route.pathResolved,
        file: route.file,
        line,
        column,
        authentication: authentication.status,
        authorization: getAuthorizationSteps(route).map((s) => toStep(project, s)),
        authorizationStatus: authz?.verdict ?? 'unknown',
        authorizationEvidence: (authz?.evidence ?? []).map((e) => ({ kind: e.kind, reason: e.reason, file: e.file, line: lineOf(project, e).line })),
        publicMarkers: route.publicMarkers.map((m) => m.name),
        unknownSteps: route.chain.filter((s) => s.kind === 'unknown').map((s) => s.name),
        internal: route.internalReasons,
        detached: route.detached === true,
      };
      if (authentication.step) row.authenticationStep = toStep(project, authentication.step);
      const publicReason = getPublicReason(route, method, project.settings);
      if (publicReason) row.publicReason = publicReason;
      rows.push(row);
      routeKeys.set(row, `${getRouteKey(route)}\u0000${method}`);
      if (!route.handler) handlerless.add(row);
    }
  }
  const unique = new Map<string, RouteInventoryRow>();
  for (const row of rows) {
    const key = [row.method, row.path, row.file, row.line, row.column, row.authentication, row.authenticationStep?.name ?? '', row.authorization.map((a) => a.name).join(',')].join('\u0000');
    if (!unique.has(key)) unique.set(key, row);
  }
  rows.length = 0;
  rows.push(...mergeRegistrations([...unique.values()], routeKeys, handlerless));
  rows.sort(
    (a, b) => compareStrings(a.path, b.path) || compareStrings(a.method, b.method) || compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column,
  );
  const count = (status: AuthenticationStatus) => rows.filter((r) => r.authentication === status).length;
  return {
    routes: rows,
    summary: { total: rows.length, authenticated: count('present'), optional: count('optional'), unknown: count('unknown'), unauthenticated: count('none') },
  };
}
