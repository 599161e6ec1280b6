import type { ProjectSettings } from '../../core/types.js';
import {
  AMBIGUOUS_CREDENTIAL_WORDS,
  API_DESCRIPTION_WORDS,
  CONFIGURATION_SEGMENTS,
  CREDENTIAL_CONTEXT_WORDS,
  CREDENTIAL_SEGMENTS,
  CREDENTIAL_WORDS,
  DOCS_AND_STATIC_SEGMENTS,
  INTERNAL_WORDS,
  LOOPBACK_HOSTS,
  MEMBER_LISTING_SEGMENTS,
  PATH_NOISE_SEGMENTS,
  PROBE_SEGMENTS,
  PROTOCOL_CREDENTIAL_WORDS,
  PROTOCOL_STEP_WORDS,
  QUESTION_WORDS,
  SECOND_FACTOR_LOGIN_STEPS,
  SECOND_FACTOR_SEGMENTS,
  SHORT_PATH_PUBLIC_SEGMENTS,
} from '../../models/route-patterns.js';
import { getSegments, matchesRoute, splitRoutePattern, type RoutePathFacts } from './paths.js';
import { UNRESOLVED_SEGMENT, type RouteFact } from './types.js';

/**
 * Words of names seen so far: handler scans ask for the words of every identifier they walk, and the same names recur
 * across files. Cleared when it grows past `MAX_WORD_MEMO` so that a long-lived process (the editor) stays bounded.
 */
const wordMemo = new Map<string, readonly string[]>();
const MAX_WORD_MEMO = 100_000;

/** Splits `adminRouter`, `Admin_Controller`, `admin-api`, `admin.routes.ts` into lower-case words. */
export function getWords(name: string): readonly string[] {
  let words = wordMemo.get(name);
  if (words) return words;
  words = Object.freeze(
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[^A-Za-z0-9]+/)
      .filter((w) => w !== '')
      .map((w) => w.toLowerCase()),
  );
  if (wordMemo.size >= MAX_WORD_MEMO) wordMemo.clear();
  wordMemo.set(name, words);
  return words;
}

const joinedMemo = new Map<string, string>();

/** The words of a name joined (`generateJWT` → `generatejwt`), as call tables compare them; memoised like getWords. */
export function getJoinedWords(name: string): string {
  let joined = joinedMemo.get(name);
  if (joined !== undefined) return joined;
  joined = getWords(name).join('');
  if (joinedMemo.size >= MAX_WORD_MEMO) joinedMemo.clear();
  joinedMemo.set(name, joined);
  return joined;
}

function internalWordOf(name: string, extra: readonly string[]): string | undefined {
  const words = getWords(name);
  if (words.length > 1 && QUESTION_WORDS.has(words[0] as string)) return undefined;
  return words.find((w) => INTERNAL_WORDS.has(w) || extra.includes(w));
}

/**
 * A read of the administrators of something the path names first (`GET /actor/admins`, `GET /groups/:id/admins`): a
 * listing of its members, not an administration area (`/admins`, `/api/admins/:id`, `DELETE /groups/:id/admins`).
 */
function isMemberListing(route: RoutePathFacts, segments: readonly string[], index: number, extra: readonly string[]): boolean {
  const segment = (segments[index] as string).toLowerCase();
  if (index !== segments.length - 1 || !MEMBER_LISTING_SEGMENTS.has(segment) || extra.includes(segment)) return false;
  const first = segments.findIndex((s) => !s.startsWith('<') && !PATH_NOISE_SEGMENTS.has(s.toLowerCase()));
  const methods = route.methods ?? [];
  return index > first && methods.length > 0 && methods.every((m) => m === 'GET' || m === 'HEAD');
}

/**
 * Why a route counts as internal/administrative: its path, owner (router, controller, plugin), file
 * or listener. Settings `internalRoutes` add path globs (`/ops/**`) or words (`backstage`).
 */
export function getInternalReasons(
  route: RoutePathFacts & Pick<RouteFact, 'listeners'>,
  settings: ProjectSettings,
  listenerCount: number,
): string[] {
  const configured = settings.internalRoutes ?? [];
  const words = configured.filter((p) => !splitRoutePattern(p).path.startsWith('/')).map((p) => p.toLowerCase());
  const reasons: string[] = [];
  for (const pattern of configured) {
    if (splitRoutePattern(pattern).path.startsWith('/') && matchesRoute(pattern, route)) reasons.push(`path matches configured pattern '${pattern}'`);
  }
  // A file, folder or class name alone (`plugin-tag-management.controller.ts`) says nothing about who can reach the
  // route; the path the router or controller is served under does, and it is part of the route's path.
  // A published description of an internal API (`/.well-known/management.openapi.json`) is a document, not the API.
  const segments = getSegments(route.path);
  const segment = segments.find((s, index) => !s.startsWith(':') && !isApiDescription(s) && internalWordOf(s, words) !== undefined && !isMemberListing(route, segments, index, words));
  if (segment) reasons.push(`path segment '${segment}'`);
  for (const listener of route.listeners) {
    if (internalWordOf(listener.name, words) || internalWordOf(listener.address, words)) {
      reasons.push(`served by internal listener '${listener.name}'`);
    } else if (listenerCount > 1 && LOOPBACK_HOSTS.has(listener.address.replace(/^['"`]|['"`]$/g, ''))) {
      reasons.push(`served by listener '${listener.name}' bound to ${listener.address}`);
    }
  }
  return reasons;
}

/** Why a route hands out credentials (login, sign-up, token issuance), by its path words or by what its handler does. */
export function getCredentialFlowReason(route: Pick<RouteFact, 'path' | 'handlerEvidence'>): string | undefined {
  if (route.handlerEvidence?.credentialFlow) return `credential flow: the handler ${route.handlerEvidence.credentialFlow}`;
  const segments = getSegments(route.path).map((s) => s.split(UNRESOLVED_SEGMENT).pop() as string);
  const normal = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  // `reset` and `refresh` alone name ordinary actions too: they need an account word somewhere in the path (a `:token`
  // parameter counts) or to open the path after its API prefix (`/reset/:token`, `/api/v1/refresh`).
  const inContext = segments.some((s) => getWords(s).some((w) => CREDENTIAL_CONTEXT_WORDS.has(w)));
  const first = segments.findIndex((s) => !PATH_NOISE_SEGMENTS.has(s.toLowerCase()));
  const credential = segments.find((s, index) => {
    const all = getWords(s);
    const words = all.filter((w) => CREDENTIAL_WORDS.has(w));
    if (words.length > 0 && words.every((w) => PROTOCOL_CREDENTIAL_WORDS.has(w)) && isProtocolSetting(segments, index, all)) return false;
    if (CREDENTIAL_SEGMENTS.has(normal(s))) return true;
    return words.some((w) => !AMBIGUOUS_CREDENTIAL_WORDS.has(w)) || (words.length > 0 && (inContext || index === first));
  });
  if (credential) return `credential flow endpoint ('${credential}')`;
  // One name spread over two segments, in either order: `/email/confirm`, `/email/verify`, `/password/forgot`.
  for (const [index, first] of segments.entries()) {
    const second = segments[index + 1];
    if (second === undefined || first.startsWith(':') || second.startsWith(':')) continue;
    if (CREDENTIAL_SEGMENTS.has(normal(first) + normal(second)) || CREDENTIAL_SEGMENTS.has(normal(second) + normal(first))) return `credential flow endpoint ('${first}/${second}')`;
  }
  return undefined;
}

/**
 * A segment whose only credential words name a protocol, read as what is configured for it: beside words that name
 * no step of the flow (`saml-applications`), or below a configuration segment (`/configs/oidc/:keyType/rotate`).
 */
function isProtocolSetting(segments: readonly string[], index: number, words: readonly string[]): boolean {
  if (words.some((w) => !PROTOCOL_CREDENTIAL_WORDS.has(w) && !PROTOCOL_STEP_WORDS.has(w) && !CREDENTIAL_WORDS.has(w))) return true;
  return segments.slice(0, index).some((s) => CONFIGURATION_SEGMENTS.has(s.toLowerCase()));
}

/** An API description: `/openapi.json`, `/openAPI-spec.json`, `/swagger.yaml`, `/service.wsdl`. */
function isApiDescription(segment: string): boolean {
  const words = getWords(segment);
  return /\.(?:json|ya?ml|wsdl|xml)$/i.test(segment) && words.some((w) => API_DESCRIPTION_WORDS.has(w)) || /\.wsdl$/i.test(segment);
}

/** Why a route is an obvious public endpoint (probe, credential flow, docs, static, configured), if it is. */
export function getPublicEndpointReason(route: RoutePathFacts & Pick<RouteFact, 'methods'> & Partial<Pick<RouteFact, 'handlerEvidence'>>, settings: ProjectSettings): string | undefined {
  // Asked by several rules of every route on each run, and in the editor again after each edit of the same route
  // objects (a snapshot takes unchanged routes over): kept by route and configured list. A route is not changed once
  // built.
  const known = PUBLIC_REASONS.get(route);
  if (known && known.publicRoutes === settings.publicRoutes) return known.reason;
  const reason = computePublicEndpointReason(route, settings);
  PUBLIC_REASONS.set(route, { publicRoutes: settings.publicRoutes, reason });
  return reason;
}

const PUBLIC_REASONS = new WeakMap<object, { publicRoutes: ProjectSettings['publicRoutes']; reason: string | undefined }>();

function computePublicEndpointReason(route: RoutePathFacts & Pick<RouteFact, 'methods'> & Partial<Pick<RouteFact, 'handlerEvidence'>>, settings: ProjectSettings): string | undefined {
  for (const pattern of settings.publicRoutes ?? []) {
    if (matchesRoute(pattern, route)) return `matches configured public route '${pattern}'`;
  }
  // An unresolved prefix (`options.prefix + 'users/login'` → `<unresolved>users/login`) keeps its literal tail.
  const segments = getSegments(route.path)
    .map((s) => s.toLowerCase().split(UNRESOLVED_SEGMENT).pop() as string)
    .filter((s) => s !== '');
  const readOnly = route.methods.every((m) => m === 'GET' || m === 'HEAD');
  // `GET /`, and the bare global prefix (`setGlobalPrefix('api')` + `@Get()`, `/api/v1`).
  if (segments.length === 0 && route.path.includes(UNRESOLVED_SEGMENT)) return undefined;
  if (segments.every((s) => PATH_NOISE_SEGMENTS.has(s))) return readOnly ? 'service root' : undefined;
  const last = segments[segments.length - 1] as string;
  if (segments.length === 1 && /^(?:\*|\(\.\*\)|\{?\*\w*\}?)$/.test(last)) return 'catch-all fallback';
  if (PROBE_SEGMENTS.has(last) || segments.some((s) => PROBE_SEGMENTS.has(s) && segments.indexOf(s) === 0)) return 'health or readiness probe';
  const meaningful = segments.filter((s) => !PATH_NOISE_SEGMENTS.has(s));
  // A short status word does not make public a handler that answers with configuration, secrets or the caller's data.
  const revealing = route.handlerEvidence?.exposes ?? route.handlerEvidence?.identity;
  if (meaningful.length <= 1 && SHORT_PATH_PUBLIC_SEGMENTS.has(last) && !revealing) return 'service status endpoint';
  // The second step of a login (`POST /2fa/verify`), not 2FA setup or management.
  if (segments.some((s) => SECOND_FACTOR_SEGMENTS.has(s.replace(/[-_.]/g, ''))) && SECOND_FACTOR_LOGIN_STEPS.has(last)) return `second-factor login step ('${last}')`;
  const credential = getCredentialFlowReason(route);
  if (credential) return credential;
  if (route.handlerEvidence?.checksPassword) return `password-protected: the handler checks a password the caller sends (${route.handlerEvidence.checksPassword})`;
  const docs = segments.find((s) => DOCS_AND_STATIC_SEGMENTS.has(s));
  if (docs) return `documentation, metadata or static files ('${docs}')`;
  // A sign-in protocol publishes its metadata to the parties it federates with (`/saml-applications/:id/metadata`).
  if (/^metadata(?:\.xml)?$/.test(last) && segments.some((s) => getWords(s).some((w) => PROTOCOL_CREDENTIAL_WORDS.has(w)))) return `sign-in protocol metadata ('${last}')`;
  const description = getSegments(route.path).find(isApiDescription);
  if (description) return `API description ('${description}')`;
  if (/\.(?:css|js|png|jpe?g|svg|ico|txt|html|map|woff2?)$/.test(last)) return 'static file';
  return undefined;
}

/** Probes are public even under an internal prefix (`/internal/health`). */
export function isProbePath(routePath: string): boolean {
  const segments = getSegments(routePath).map((s) => s.toLowerCase());
  const last = segments[segments.length - 1];
  return last !== undefined && PROBE_SEGMENTS.has(last);
}
