import type { AnalysisProject } from '../../core/project.js';

/**
 * Route facts: plain data (strings and character offsets, paths relative to the scan root), so
 * they can be cached, compared and printed without the syntax trees they came from.
 */

export type RouteFramework = 'express' | 'fastify' | 'nestjs' | 'koa' | 'hono';

/** What a step of the chain does for access control. */
export type ChainStepKind = 'authentication' | 'authorization' | 'neutral' | 'unknown';

/** Where the step was attached; `plugin` = a Fastify encapsulation context; `handler` = done by the route handler itself. */
export type ChainStepScope = 'global' | 'mount' | 'router' | 'route' | 'controller' | 'method' | 'plugin' | 'handler';

/** Why a step got its kind. */
export type ClassificationSource = 'library' | 'configured' | 'body' | 'name' | 'unresolved';

export interface SourceLocation {
  /** Relative to the scan root, POSIX separators. */
  file: string;
  start: number;
  end: number;
}

/** Paths a step skips (`.unless({ path })` of express-jwt/koa-jwt, Nest `exclude(...)`). */
export interface StepExemption {
  /** Exact paths (express-unless compares strings exactly). */
  paths: string[];
  /** Regular expression sources (matched unanchored, like express-unless). */
  patterns: string[];
  /** Methods skipped entirely (`method: 'GET'`). */
  methods: string[];
  /** True when part of the exemption could not be read statically (`custom`, computed paths). */
  partial: boolean;
}

export interface ChainStep extends SourceLocation {
  /** Display name, e.g. `passport.authenticate('jwt')`, `requireRole('admin')`, `JwtAuthGuard`. */
  name: string;
  kind: ChainStepKind;
  /** Human-readable justification: the library export, the configured name, or what the body does. */
  reason: string;
  source: ClassificationSource;
  /** The package the step comes from, when it is a library export. */
  library?: string;
  /**
   * Authentication that lets requests without credentials through (`credentialsRequired: false`,
   * koa-jwt `passthrough`, `allow_anon`, the `anonymous` strategy, a fail-open catch). Counts as none.
   */
  optional?: boolean;
  /** An authentication step that also enforces a role/scope/permission. */
  authorizes?: boolean;
  /** A credential check that logs a user in (`passport.authenticate('local')`): marks a login endpoint. */
  login?: boolean;
  /** For an `unknown` step: its name or origin hints at what it probably does (never counted as proof). */
  hint?: 'authentication' | 'authorization';
  scope: ChainStepScope;
  /** Framework-specific position: Fastify hook name, Nest 'guard' | 'middleware' | 'interceptor'. */
  phase?: string;
  exemption?: StepExemption;
}

export interface PublicMarker extends SourceLocation {
  /** `@Public()`, `config: { public: true }`, a configured marker name … */
  name: string;
  /** True when the guard or hook that should honour it was seen reading it. */
  honoured: boolean;
}

/** A mount (`app.use('/internal', router)`, `register(plugin, { prefix })`, `app.route('/api', sub)`) that gave a prefix. */
export interface MountLocation extends SourceLocation {
  /** The prefix contributed by this mount, as written (`'/internal'`, or `'<unresolved>'`). */
  prefix: string;
}

/** A server or listener (`app.listen(port)`) through which a route is reachable. */
export interface ListenerFact extends SourceLocation {
  /** The app or server variable name, e.g. `internalApp`. */
  name: string;
  /** The port or host expression as written, e.g. `INTERNAL_PORT`, `'127.0.0.1'`. */
  address: string;
}

export interface RouteFact extends SourceLocation {
  framework: RouteFramework;
  /** Upper-case HTTP methods; `ALL` for `app.all`/`use`-style handlers. */
  methods: string[];
  /** Full path with every resolved mount prefix; unresolvable parts appear as `<unresolved>`. */
  path: string;
  pathResolved: boolean;
  /**
   * Only a prefix of the path is unresolved (a global prefix read from configuration at run time): the
   * prefix decides no step of the chain, so rules judge the route on its chain and on the rest of its path.
   */
  unresolvedPrefixOnly?: boolean;
  /** The handler function (or controller method). */
  handler?: SourceLocation;
  /** Every step that runs before the handler, in execution order. */
  chain: ChainStep[];
  publicMarkers: PublicMarker[];
  /** Mounts that contributed to the path, outermost first. */
  mounts: MountLocation[];
  /** The router variable, controller class or plugin that declares the route. */
  owner?: string;
  /** The app/server instance the route is registered on, when known (to tell separate listeners apart). */
  app?: string;
  listeners: ListenerFact[];
  /**
   * Declared on a router that no resolved app mounts: its prefix and the app-level middleware are
   * unknown, so rules do not judge it.
   */
  detached?: boolean;
  /** Why the route counts as internal/admin (path segment, owner, file, listener); empty when it does not. */
  internalReasons: string[];
  /** What the handler (and the functions it calls) does, when the handler could be read. */
  handlerEvidence?: HandlerEvidence;
  /**
   * The other registrations of the same method and path on the same app (`app.post(path, a)` then
   * `app.post(path, b)`), in source order: one route, so rules report it once.
   */
  registrations?: SourceLocation[];
}

/** What a route handler does that decides how much a missing authentication matters. Each entry says what and where. */
export interface HandlerEvidence {
  /** Reads the caller's identity or credential (`req.user`, `@User()`, `req.headers.authorization`). */
  identity?: string;
  /** Answers with configuration, environment values or secrets. */
  exposes?: string;
  /** Runs an operating-system command built at run time (`spawn(command)`), in the handler or what it calls. */
  executes?: string;
  /** Hands out a credential: checks a password, creates an account or checks a one-time code, then issues a token or session. */
  credentialFlow?: string;
  /**
   * Admits the caller by a password the handler checks itself (`bcrypt.compare(req.body.password, link.password)`), sent
   * in the body or as Basic credentials, and issues nothing: a resource behind a password of its own.
   */
  checksPassword?: string;
  /**
   * The first call of the handler (or what it calls) that changes stored state (`save()` at file:line); `false` when the
   * handler was read and makes none. Absent when the handler could not be read.
   */
  writes?: string | false;
  /** Creates an account for a caller who has none (`User.create(req.body)`), without reading an identity; one, not many in a loop. */
  createsAccount?: string;
  /** Checks a CAPTCHA (`verifyCaptcha()`, `req.body.captcha`): the gate of a form meant for people without an account. */
  checksCaptcha?: string;
  /** Takes a password from the request: reads one from the body (`req.body.password`) or hashes one (`hashPassword(dto.password)`). */
  takesPassword?: string;
  /** Tests whether a caller is present and serves the anonymous one too (`if (!req.user) …`, `req.user ? … : …`). */
  servesAnonymous?: string;
  /** Only answers 405 Method Not Allowed or 501 Not Implemented, touching nothing but the response (`ctx.status = 405`). */
  refusesMethod?: string;
}

/** What a framework model provides: it finds every route of the project with its effective chain. */
export interface RouteExtractor {
  framework: RouteFramework;
  /** `internalReasons` may be left empty; the ROUTES fact fills it from the shared heuristics. */
  extract(project: AnalysisProject): RouteFact[];
}

/** The authentication step that is in force (not optional), if any. */
export function getAuthenticationStep(route: RouteFact): ChainStep | undefined {
  return route.chain.find((step) => step.kind === 'authentication' && !step.optional);
}

/**
 * An unresolved step that may still be what requires authentication: one named like authentication, or any unresolved
 * step when no optional authentication step says the route admits anonymous callers by design.
 */
export function getUnresolvedAuthenticationStep(route: RouteFact): ChainStep | undefined {
  const hinted = route.chain.find((step) => step.kind === 'unknown' && step.hint === 'authentication');
  if (hinted) return hinted;
  return route.chain.some((step) => step.kind === 'authentication' && step.optional) ? undefined : route.chain.find((step) => step.kind === 'unknown');
}

export function hasAuthentication(route: RouteFact): boolean {
  return getAuthenticationStep(route) !== undefined;
}

/** Steps that enforce a role, scope, permission or policy (including authentication steps that also authorize). */
export function getAuthorizationSteps(route: RouteFact): ChainStep[] {
  return route.chain.filter((step) => step.kind === 'authorization' || (step.kind === 'authentication' && step.authorizes === true));
}

/** Unknown steps whose name or origin suggests access control: a rule cannot tell the route is open. */
export function getUnknownAccessSteps(route: RouteFact): ChainStep[] {
  return route.chain.filter((step) => step.kind === 'unknown' && step.hint !== undefined);
}

/** A step that verifies login credentials (the route is a login endpoint). */
export function isLoginRoute(route: RouteFact): boolean {
  return route.chain.some((step) => step.login === true);
}

/** The route display string used in messages and the inventory: `'POST /internal/refunds'`. */
export function formatRouteName(route: Pick<RouteFact, 'methods' | 'path'>): string {
  return `${route.methods.join('|')} ${route.path}`;
}

export const UNRESOLVED_SEGMENT = '<unresolved>';
