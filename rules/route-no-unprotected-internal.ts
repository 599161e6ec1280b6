import type { SourceFileInfo } from '../src/core/project.js';
import { defineRule } from '../src/core/rule.js';
import type { Level, RelatedLocation } from '../src/core/types.js';
import { getCredentialFlowReason, isProbePath } from '../src/facts/routes/exposure.js';
import { matchesRoute } from '../src/facts/routes/paths.js';
import {
  formatRouteName,
  getAuthorizationSteps,
  getLocationFile,
  getMountRelatedLocations,
  getUnknownAccessSteps,
  hasAuthentication,
  isLoginRoute,
  ROUTES,
  selectRouteFindings,
  type RouteFact,
} from '../src/facts/routes/index.js';

export type Options = Record<string, never>;
export type MessageId = 'noAuthentication' | 'optionalAuthentication' | 'unknownStep';

export default defineRule<Options, MessageId>({
  id: 'route-no-unprotected-internal',
  meta: {
    description: 'Disallow internal, admin and operations routes without authentication',
    category: 'route',
    level: 'error',
    precision: 'high',
    securitySeverity: 8.6,
    cwe: [306],
    scope: 'project',
    recommended: true,
  },
  messages: {
    noAuthentication:
      "Route '{{route}}' has no authentication although it is internal ({{reason}}). Network placement is not access control: add authentication, or declare an intended public route in project.publicRoutes.",
    optionalAuthentication:
      "Route '{{route}}' is internal ({{reason}}) but its authentication '{{step}}' lets requests without credentials through. Require authentication, or declare an intended public route in project.publicRoutes.",
    unknownStep:
      "Route '{{route}}' is internal ({{reason}}) and has no recognised authentication: unknown step '{{step}}' may or may not authenticate. Name it in project.authenticationMiddleware if it authenticates, or declare an intended public route in project.publicRoutes.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const project = context.project;
        const candidates: Array<{ route: RouteFact; file: SourceFileInfo; messageId: MessageId; data: Record<string, string>; related: RelatedLocation[]; level?: Level }> = [];
        for (const route of project.projectFact(ROUTES)) {
          if (route.detached || route.internalReasons.length === 0 || hasAuthentication(route)) continue;
          if ((context.settings.publicRoutes ?? []).some((p) => matchesRoute(p, route))) continue;
          if (isProbePath(route.path) || getAuthorizationSteps(route).length > 0 || getUnknownAccessSteps(route).length > 0) continue;
          // A login or token endpoint under `/admin` is how administrators get a credential: it cannot require one.
          if (isLoginRoute(route) || getCredentialFlowReason(route) !== undefined) continue;
          const file = getLocationFile(project, route);
          if (!file || (file.isTestFile && !context.settings.reportTestFiles)) continue;
          const optional = route.chain.find((step) => step.kind === 'authentication' && step.optional);
          const data = { route: formatRouteName(route), reason: route.internalReasons[0] as string };
          const related = getMountRelatedLocations(route.mounts);
          const unknown = route.chain.find((step) => step.kind === 'unknown');
          if (unknown) {
            // The inventory says "unknown" for this route: never claim it has no authentication.
            candidates.push({ route, file, messageId: 'unknownStep', data: { ...data, step: unknown.name }, related, level: 'note' });
            continue;
          }
          candidates.push({ route, file, messageId: optional ? 'optionalAuthentication' : 'noAuthentication', data: optional ? { ...data, step: optional.name } : data, related });
        }
        for (const { route, file, messageId, data, related, level } of selectRouteFindings(candidates, 'error')) {
          context.report({ file, range: route, messageId, data, related, ...(level ? { level } : {}) });
        }
      },
    };
  },
});
