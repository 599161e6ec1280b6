import { defineRule } from '../src/core/rule.js';
import type { SourceFileInfo } from '../src/core/project.js';
import type { Level, RelatedLocation } from '../src/core/types.js';
import { ROUTE_AUTHORIZATION, type ResourceAccess, type RouteAuthorization } from '../src/facts/authz/index.js';
import { getAccountListing, getAdminReason, isAccountScopedPath, isPrivilegeCatalogueRead } from '../src/facts/authz/admin.js';
import { getPublicEndpointReason } from '../src/facts/routes/exposure.js';
import { formatRouteName, getLocationFile, hasAuthentication, isLoginRoute, ROUTES, routesForFocus, selectRouteFindings, type RouteFact } from '../src/facts/routes/index.js';

export type Options = Record<string, never>;
export type MessageId = 'adminWithoutRole' | 'unboundResource' | 'requestNamedAccount';

/** Which accesses act on the resource for the route's method: a POST that reads a parent (`/articles/:slug/comments`) only acts when it changes or deletes. */
function actsOn(route: RouteFact, access: ResourceAccess): boolean {
  if (access.operation === 'create' || access.covered) return false;
  if (route.methods.every((m) => m === 'POST')) return access.operation !== 'read';
  return true;
}

function accessRelated(access: ResourceAccess, message: string): RelatedLocation {
  return { file: access.file, start: access.start, end: access.end, message };
}

function stepsRelated(route: RouteFact): RelatedLocation[] {
  return route.chain.filter((s) => s.kind === 'authentication').map((s) => ({ file: s.file, start: s.start, end: s.end, message: `'${s.name}' authenticates the caller here.` }));
}

function isJudged(route: RouteFact, authz: RouteAuthorization | undefined, publicRoutes: { publicRoutes?: string[] }): authz is RouteAuthorization {
  return (
    authz !== undefined &&
    route.detached !== true &&
    route.pathResolved &&
    hasAuthentication(route) &&
    !isLoginRoute(route) &&
    route.publicMarkers.length === 0 &&
    getPublicEndpointReason(route, publicRoutes) === undefined &&
    authz.handlerRead &&
    authz.callerIdentified &&
    !route.chain.some((s) => s.kind === 'unknown' && s.hint !== 'authentication')
  );
}

export default defineRule<Options, MessageId>({
  id: 'route-require-authorization',
  meta: {
    description: 'Require an authorization check on authenticated routes that administer the service or act on a resource named by the request',
    category: 'authorization',
    level: 'error',
    precision: 'medium',
    securitySeverity: 8.1,
    cwe: [862, 639],
    scope: 'project',
    recommended: true,
  },
  messages: {
    adminWithoutRole: "Route '{{route}}' is administrative ({{reason}}) but no role, scope or permission check runs.",
    unboundResource: "Route '{{route}}' loads {{entity}} by '{{input}}' without tying it to the caller: no ownership filter, owner comparison or policy check.",
    requestNamedAccount: "Route '{{route}}' acts on the account named by '{{input}}' instead of the authenticated principal.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const project = context.project;
        const facts = project.projectFact(ROUTE_AUTHORIZATION);
        const reported = new Set<string>();
        const candidates: Array<{ route: RouteFact; file: SourceFileInfo; messageId: MessageId; data: Record<string, string>; related: RelatedLocation[]; level?: Level }> = [];
        // In the editor (a focus), only the routes whose findings can land in the linted file are judged.
        for (const route of routesForFocus(project.projectFact(ROUTES), context.focus)) {
          const authz = facts.get(route);
          if (!isJudged(route, authz, context.settings)) continue;
          const file = getLocationFile(project, route);
          if (!file || (file.isTestFile && !context.settings.reportTestFiles)) continue;
          const key = `${route.file}:${route.start}:${route.methods.join()}`;
          if (reported.has(key)) continue;
          const name = formatRouteName(route);
          const listing = getAccountListing(authz.accesses);
          const pathAdmin = isPrivilegeCatalogueRead(route, authz.accesses, context.settings) ? undefined : getAdminReason(route, context.settings);
          const admin = pathAdmin ?? (listing ? `it lists other users' accounts ('${listing.entity ?? 'accounts'}')` : undefined);
          // Connecting the caller to a record (joining a role or tenant) is what an administrative check guards: it does not stand in for one.
          if (admin && authz.evidence.every((e) => e.kind === 'caller-link') && authz.verdict !== 'unknown') {
            reported.add(key);
            const related = listing ? [accessRelated(listing, `The ${listing.library} query lists '${listing.entity ?? 'accounts'}' here.`), ...stepsRelated(route)] : stepsRelated(route);
            candidates.push({ route, file, messageId: 'adminWithoutRole', data: { route: name, reason: admin }, related });
            continue;
          }
          if (admin || authz.verdict !== 'none') continue;
          const acting = authz.accesses.filter((a) => actsOn(route, a) || (a.ownerKeyFromRequest !== undefined && a.operation === 'create'));
          const named = acting.find((a) => a.ownerKeyFromRequest !== undefined) ?? acting.find((a) => a.account && a.keyedBy.length > 0 && a.operation !== 'read');
          if (named) {
            reported.add(key);
            const input = named.ownerKeyFromRequest ?? (named.keyedBy[0] as string);
            candidates.push({
              route,
              file,
              messageId: 'requestNamedAccount',
              data: { route: name, input },
              related: [accessRelated(named, `The ${named.library} query uses '${input}' here.`)],
            });
            continue;
          }
          const unbound = acting.find((a) => a.keyedBy.length > 0 && !a.account && (a.owned === true || isAccountScopedPath(route.path)));
          if (unbound) {
            reported.add(key);
            const input = unbound.keyedBy[0] as string;
            candidates.push({
              route,
              file,
              messageId: 'unboundResource',
              level: 'warning',
              data: { route: name, input, entity: unbound.entity ? `'${unbound.entity}'` : 'a record' },
              related: [accessRelated(unbound, `The ${unbound.library} query selects by '${input}' only${unbound.ownerField ? ` ('${unbound.ownerField}' is not in the filter)` : ''}.`), ...stepsRelated(route)],
            });
          }
        }
        for (const { route, file, messageId, data, related, level } of selectRouteFindings(candidates, 'error')) {
          context.report({ file, range: route, messageId, data, related, ...(level ? { level } : {}) });
        }
      },
    };
  },
});
