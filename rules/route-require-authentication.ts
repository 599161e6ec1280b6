import { defineRule } from '../src/core/rule.js';
import { getPublicEndpointReason } from '../src/facts/routes/exposure.js';
import {
  formatRouteName,
  getAuthorizationSteps,
  getLocationFile,
  getMountRelatedLocations,
  getServiceKey,
  getUnknownAccessSteps,
  hasAuthentication,
  isLoginRoute,
  ROUTES,
  type RouteFact,
} from '../src/facts/routes/index.js';

export type Options = Record<string, never>;
export type MessageId = 'noAuthentication' | 'optionalAuthentication';

/** Routes a reviewer would expect to be open, or that the internal-route rule judges instead. */
function isExempt(route: RouteFact, publicRoutes: { publicRoutes?: string[] }): boolean {
  return (
    route.detached === true ||
    (!route.pathResolved && !route.unresolvedPrefixOnly) ||
    route.methods.every((m) => m === 'OPTIONS') ||
    route.publicMarkers.length > 0 ||
    route.internalReasons.length > 0 ||
    isLoginRoute(route) ||
    getAuthorizationSteps(route).length > 0 ||
    getUnknownAccessSteps(route).length > 0 ||
    getPublicEndpointReason(route, publicRoutes) !== undefined
  );
}

export default defineRule<Options, MessageId>({
  id: 'route-require-authentication',
  meta: {
    description: 'Require authentication on every route of a service that authenticates some of its routes',
    category: 'route',
    level: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    cwe: [306],
    scope: 'project',
    recommended: true,
  },
  messages: {
    noAuthentication: "Route '{{route}}' has no authentication.",
    optionalAuthentication: "Route '{{route}}' has only optional authentication: '{{step}}' lets requests without credentials through.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const project = context.project;
        const routes = project.projectFact(ROUTES);
        const authenticatedServices = new Set(routes.filter((r) => !r.detached && hasAuthentication(r)).map((r) => getServiceKey(project, r)));
        for (const route of routes) {
          if (!authenticatedServices.has(getServiceKey(project, route)) || hasAuthentication(route) || isExempt(route, context.settings)) continue;
          const file = getLocationFile(project, route);
          if (!file || (file.isTestFile && !context.settings.reportTestFiles)) continue;
          const optional = route.chain.find((step) => step.kind === 'authentication' && step.optional);
          context.report({
            file,
            range: route,
            messageId: optional ? 'optionalAuthentication' : 'noAuthentication',
            data: optional ? { route: formatRouteName(route), step: optional.name } : { route: formatRouteName(route) },
            related: getMountRelatedLocations(route.mounts),
          });
        }
      },
    };
  },
});
