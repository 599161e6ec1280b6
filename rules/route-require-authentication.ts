import { defineRule } from '../src/core/rule.js';
import type { SourceFileInfo } from '../src/core/project.js';
import type { Level, ProjectSettings, RelatedLocation } from '../src/core/types.js';
import { ROUTE_AUTHORIZATION, type RouteAuthorization } from '../src/facts/authz/index.js';
import { getPublicEndpointReason, getWords } from '../src/facts/routes/exposure.js';
import { getUnjudgedReason } from '../src/facts/routes/judged.js';
import { getSegments } from '../src/facts/routes/paths.js';
import {
  formatRouteName,
  getAuthorizationSteps,
  getLocationFile,
  getMountRelatedLocations,
  getRouteKey,
  getServiceKey,
  getUnresolvedAuthenticationStep,
  hasAuthentication,
  isLoginRoute,
  ROUTES,
  routesForFocus,
  selectRouteFindings,
  type HandlerEvidence,
  type RouteFact,
} from '../src/facts/routes/index.js';
import { mergeHandlerEvidence } from '../src/facts/routes/handler.js';
import { ACCOUNT_COLLECTION_SEGMENTS, ACCOUNT_SCOPE_SEGMENTS, PER_USER_PARAMS, PER_USER_SEGMENTS, RECORD_KEY_PARAM_WORDS } from '../src/models/route-patterns.js';

export type Options = Record<string, never>;
export type MessageId = 'noAuthentication' | 'optionalAuthentication' | 'unknownStep' | 'serviceWithoutAuthentication';

/** Routes a reviewer would expect to be open, or that the internal-route rule judges instead. */
function isExempt(route: RouteFact, settings: ProjectSettings): boolean {
  return (
    getUnjudgedReason(route) !== undefined ||
    route.methods.every((m) => m === 'OPTIONS') ||
    route.publicMarkers.length > 0 ||
    route.internalReasons.length > 0 ||
    isLoginRoute(route) ||
    getAuthorizationSteps(route).length > 0 ||
    getPublicEndpointReason(route, settings) !== undefined
  );
}

/**
 * Behind optional authentication, a handler that refuses the caller on the answer of an access check given the caller
 * (`if (!await canEdit(tid, req.uid)) throw …`, several calls deep), a policy engine or a configured authorization
 * function decides for anonymous callers too: they are refused, or admitted because the application grants guests that
 * privilege on purpose.
 */
function decidesOnCaller(authorization: RouteAuthorization | undefined): boolean {
  return authorization?.evidence.some((e) => e.kind === 'policy-call') === true;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The shapes of a sign-up, which issues no credential itself: a POST to the account collection (`POST /users`) whose
 * handler creates the account, takes a password, or writes nothing visible (the resource layer creates it); or a POST
 * anywhere that creates one account with the password its caller submitted (`POST /users/basic`). An import that creates
 * accounts without taking a password, or many in a loop, is none.
 */
function getSignUpEvidence(route: RouteFact, handler: HandlerEvidence | undefined): string | undefined {
  if (!route.methods.every((m) => m === 'POST') || handler === undefined || handler.identity) return undefined;
  if (handler.createsAccount && handler.takesPassword) return `it creates an account (${handler.createsAccount}) with the password its caller submits (${handler.takesPassword})`;
  const last = getSegments(route.path).at(-1);
  if (last === undefined || !ACCOUNT_COLLECTION_SEGMENTS.has(last.toLowerCase())) return undefined;
  if (handler.createsAccount) return `it creates an account at the account collection (${handler.createsAccount})`;
  if (handler.takesPassword) return `it is a POST to the account collection that takes a password (${handler.takesPassword})`;
  return handler.writes === false ? 'it is a POST to the account collection whose handler writes nothing else' : undefined;
}

/**
 * A path parameter naming a user (`/users/:email`), one picking a record of an account collection (`/users/:id`, or a
 * record key one word below it: `/users/id/:id`), or a "my data" segment (`/users/me`).
 */
function getPerUserSegment(route: RouteFact): string | undefined {
  const segments = getSegments(route.path);
  const isCollection = (s: string | undefined): boolean => s !== undefined && ACCOUNT_SCOPE_SEGMENTS.has(s.toLowerCase());
  for (const [i, s] of segments.entries()) {
    if (!s.startsWith(':')) {
      if (PER_USER_SEGMENTS.has(s.toLowerCase())) return `'${s}'`;
      continue;
    }
    if (PER_USER_PARAMS.has(s.slice(1).replace(/[^A-Za-z0-9]/g, '').toLowerCase())) return `'${s}'`;
    const before = segments[i - 1];
    // One word below the collection (`/users/id/:id`, `/users/search/:name`) only when the parameter is a record's key, not `/users/export/:format`.
    const keyed = RECORD_KEY_PARAM_WORDS.has(getWords(s.slice(1)).at(-1) ?? '');
    const collection = isCollection(before) ? before : keyed && before !== undefined && !before.startsWith(':') && isCollection(segments[i - 2]) ? segments[i - 2] : undefined;
    if (collection) return `'${s}' below '${collection}'`;
  }
  return undefined;
}

/**
 * Why the missing authentication matters, strongest evidence first, and the level it earns: the handler reads the
 * caller's identity, answers with secrets, acts on one user's data, or changes state (error); otherwise a read-only
 * route touching none of that is likely public by design (note) unless the project requires authentication on all.
 */
function getEvidence(route: RouteFact, evidence: HandlerEvidence | undefined, settings: ProjectSettings, optional: boolean): { level: Level; evidence: string; strong?: true } {
  const handler = evidence ?? {};
  // Behind optional authentication an identity is verified when present: reading it is by design.
  if (handler.identity && !optional) {
    return { level: 'error', strong: true, evidence: `the handler reads the caller's identity (${handler.identity}), which is then missing or forged` };
  }
  if (handler.exposes) return { level: 'error', strong: true, evidence: `the handler answers with configuration, environment values or secrets (${handler.exposes})` };
  if (handler.executes) return { level: 'error', strong: true, evidence: `the handler runs an operating-system command built at run time (${handler.executes})` };
  // Behind optional authentication a handler that serves the anonymous caller explicitly is public by design (a contact form).
  if (handler.servesAnonymous && optional && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: `the handler serves anonymous callers explicitly (${handler.servesAnonymous}), so it is public by design` };
  }
  // A method registered only to be refused (405, 501) serves nothing, with or without a caller.
  if (handler.refusesMethod && handler.writes === false && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: `its handler only refuses the request (${handler.refusesMethod}), so it serves nothing` };
  }
  const perUser = getPerUserSegment(route);
  const changing = route.methods.filter((m) => !READ_METHODS.has(m));
  // Optional authentication admits anonymous callers on purpose: a read of `/profiles/:username` or `/users/me` behind it is by design.
  if (perUser && optional && changing.length === 0 && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: `it reads one user's data (path segment ${perUser}) behind optional authentication, which admits anonymous callers by design` };
  }
  if (perUser) return { level: 'error', strong: true, evidence: `it reads or changes one user's data (path segment ${perUser})` };
  // A CAPTCHA tells people from bots; a form that needs one is meant for callers who have no account.
  if (handler.checksCaptcha && !handler.identity && changing.length > 0 && changing.every((m) => m === 'POST') && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: `it checks a CAPTCHA (${handler.checksCaptcha}), the gate of a form meant for anonymous callers, so it may be public by design` };
  }
  const signUp = getSignUpEvidence(route, evidence);
  if (signUp && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: `${signUp}: a sign-up, public by design if that is its purpose` };
  }
  // POST is also how forms and RPC-style queries are sent; PUT, PATCH and DELETE say they change something.
  if (changing.length > 0 && changing.every((m) => m === 'POST') && handler.writes === false && settings.requireAuthentication !== 'all') {
    return { level: 'note', evidence: 'it uses POST but its handler writes nothing authlint can see (no data-access, file, cache or message write), so it may be a public form or query' };
  }
  if (changing.length > 0) {
    const evidence = `it changes state (${changing.join(', ')}${handler.writes ? `: ${handler.writes}` : ''}) and is not a credential flow`;
    return handler.writes ? { level: 'error', strong: true, evidence } : { level: 'error', evidence };
  }
  if (settings.requireAuthentication === 'all') return { level: 'error', evidence: "project.requireAuthentication is 'all'" };
  return {
    level: 'note',
    evidence:
      "it only reads and touches no identity or per-user data, so it may be public by design (project.requireAuthentication 'all' makes this an error)",
  };
}

export default defineRule<Options, MessageId>({
  id: 'route-require-authentication',
  meta: {
    description: 'Require authentication on every route of a service that authenticates some of its routes, and on the routes that need a caller in one that authenticates none',
    category: 'route',
    level: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    cwe: [306],
    scope: 'project',
    recommended: true,
  },
  messages: {
    noAuthentication: "Route '{{route}}' has no authentication: {{evidence}}. Add authentication, or declare an intended public route in project.publicRoutes.",
    optionalAuthentication:
      "Route '{{route}}' has only optional authentication: '{{step}}' lets requests without credentials through, and {{evidence}}. Require authentication, or declare an intended public route in project.publicRoutes.",
    serviceWithoutAuthentication:
      "Route '{{route}}' has no authentication, and no route of its service authenticates: {{evidence}}. A gateway or the network in front of a service is not access control: verify the caller's token in the service, or declare an intended public route in project.publicRoutes.",
    unknownStep:
      "Route '{{route}}' has no recognised authentication: unknown step '{{step}}' may or may not authenticate, and {{evidence}}. Name it in project.authenticationMiddleware if it authenticates, or declare an intended public route in project.publicRoutes.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const project = context.project;
        const routes = project.projectFact(ROUTES);
        const registrations = new Map<string, RouteFact[]>();
        for (const route of routes) if (route.registrations) registrations.set(getRouteKey(route), [...(registrations.get(getRouteKey(route)) ?? []), route]);
        let facts: Map<RouteFact, RouteAuthorization> | undefined;
        const authorizations = (): Map<RouteFact, RouteAuthorization> => (facts ??= project.projectFact(ROUTE_AUTHORIZATION));
        const authenticatedServices = new Set(routes.filter((r) => !r.detached && hasAuthentication(r)).map((r) => getServiceKey(project, r)));
        const candidates: Array<{ route: RouteFact; file: SourceFileInfo; messageId: MessageId; data: Record<string, string>; level: Level; related: RelatedLocation[] }> = [];
        // In the editor (a focus), only the routes whose findings can land in the linted file are judged.
        for (const route of routesForFocus(routes, context.focus)) {
          if (hasAuthentication(route) || isExempt(route, context.settings)) continue;
          const file = getLocationFile(project, route);
          if (!file || (file.isTestFile && !context.settings.reportTestFiles)) continue;
          const optional = route.chain.find((step) => step.kind === 'authentication' && step.optional);
          if (optional && decidesOnCaller(authorizations().get(route))) continue;
          const unknown = getUnresolvedAuthenticationStep(route);
          const siblings = route.registrations ? registrations.get(getRouteKey(route)) : undefined;
          const handler = siblings ? mergeHandlerEvidence(siblings.map((r) => r.handlerEvidence)) : route.handlerEvidence;
          const { level, evidence, strong } = getEvidence(route, handler, context.settings, optional !== undefined);
          const name = formatRouteName(route);
          const related = getMountRelatedLocations(route.mounts);
          if (!authenticatedServices.has(getServiceKey(project, route))) {
            // A service that authenticates nothing may be public by design; only routes whose handler shows that they
            // need a caller (reads its identity, answers secrets, acts on one user's data, writes) are reported, and
            // as warnings: removing a service's only authentication (or making it optional) must not silence the rule.
            if (!strong || unknown) continue;
            if (optional) {
              candidates.push({ route, file, messageId: 'optionalAuthentication', data: { route: name, step: optional.name, evidence }, related, level: 'warning' });
            } else {
              candidates.push({ route, file, messageId: 'serviceWithoutAuthentication', data: { route: name, evidence }, related, level: 'warning' });
            }
            continue;
          }
          if (unknown) {
            // The inventory says "unknown" for this route: never claim it has no authentication.
            candidates.push({ route, file, messageId: 'unknownStep', data: { route: name, step: unknown.name, evidence }, related, level: 'note' });
          } else if (optional) {
            candidates.push({ route, file, messageId: 'optionalAuthentication', data: { route: name, step: optional.name, evidence }, related, level });
          } else {
            candidates.push({ route, file, messageId: 'noAuthentication', data: { route: name, evidence }, related, level });
          }
        }
        for (const { route, file, messageId, data, related, level } of selectRouteFindings(candidates, 'error')) {
          context.report({ file, range: route, messageId, data, related, level });
        }
      },
    };
  },
});
