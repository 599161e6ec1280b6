/**
 * Known middleware, hooks and guards of the Node.js ecosystem and what they do for access control
 * (auth-idioms A9–A14, B9). A step is matched by the package it is imported from and the export
 * path used (`passport.authenticate(...)` → 'passport' ['authenticate']), never by local name.
 */

export type MiddlewareKind = 'authentication' | 'authorization' | 'neutral';

export interface OptionSwitch {
  /** Option of the object argument (`credentialsRequired`). */
  option: string;
  /** The value that makes authentication optional. */
  equals: boolean;
}

export interface MiddlewareModel {
  /** Package names, current and former. */
  modules: readonly string[];
  /** Export path without `default`; '' = the module's own default/CommonJS export. */
  exports: readonly string[];
  /** `factory`: the middleware is the call result (`helmet()`); `middleware`: the export itself. */
  form: 'factory' | 'middleware';
  kind: MiddlewareKind;
  /** Shown as the reason of the step. */
  description: string;
  /** Index of the options object argument (default 0). */
  optionsArgument?: number;
  /** Option values that make the authentication optional (counts as none). */
  optionalWhen?: readonly OptionSwitch[];
  /** Passport-style: the first argument names the strategy. */
  strategyArgument?: boolean;
  /** Match any call chain that starts with the export (`body('email').isEmail()`). */
  chain?: boolean;
  /** Part of a login or account-linking flow: the route is a credential-flow endpoint. */
  login?: boolean;
  /** Restores an authenticated caller when one is present and lets every other request through (optional authentication). */
  optional?: boolean;
}

export const PASSPORT_MODULES: readonly string[] = ['passport', 'koa-passport', '@fastify/passport'];

export const MIDDLEWARE_MODELS: readonly MiddlewareModel[] = [
  // Authentication
  {
    modules: PASSPORT_MODULES,
    exports: ['authenticate'],
    form: 'factory',
    kind: 'authentication',
    description: 'passport strategy',
    strategyArgument: true,
    optionsArgument: 1,
  },
  {
    modules: PASSPORT_MODULES,
    exports: ['authorize'],
    form: 'factory',
    kind: 'neutral',
    description: 'passport.authorize links a third-party account during an OAuth flow',
    login: true,
  },
  {
    modules: ['express-jwt'],
    exports: ['', 'expressjwt'],
    form: 'factory',
    kind: 'authentication',
    description: 'express-jwt verifies the bearer token',
    optionalWhen: [{ option: 'credentialsRequired', equals: false }],
  },
  {
    modules: ['express-oauth2-jwt-bearer'],
    exports: ['auth'],
    form: 'factory',
    kind: 'authentication',
    description: 'express-oauth2-jwt-bearer auth() verifies the access token',
    optionalWhen: [{ option: 'authRequired', equals: false }],
  },
  {
    modules: ['express-openid-connect'],
    exports: ['auth'],
    form: 'factory',
    kind: 'authentication',
    description: 'express-openid-connect auth() requires a login (authRequired defaults to true)',
    optionalWhen: [
      { option: 'authRequired', equals: false },
      { option: 'required', equals: false },
    ],
  },
  {
    modules: ['express-openid-connect'],
    exports: ['requiresAuth'],
    form: 'factory',
    kind: 'authentication',
    description: 'express-openid-connect requiresAuth()',
  },
  {
    modules: ['koa-jwt'],
    exports: [''],
    form: 'factory',
    kind: 'authentication',
    description: 'koa-jwt verifies the bearer token',
    optionalWhen: [{ option: 'passthrough', equals: true }],
  },
  {
    modules: ['hono/jwt'],
    exports: ['jwt'],
    form: 'factory',
    kind: 'authentication',
    description: 'hono jwt() verifies the bearer token',
  },
  {
    modules: ['hono/jwk'],
    exports: ['jwk'],
    form: 'factory',
    kind: 'authentication',
    description: 'hono jwk() verifies the bearer token',
    optionalWhen: [{ option: 'allow_anon', equals: true }],
  },
  { modules: ['hono/bearer-auth'], exports: ['bearerAuth'], form: 'factory', kind: 'authentication', description: 'hono bearerAuth()' },
  { modules: ['hono/basic-auth'], exports: ['basicAuth'], form: 'factory', kind: 'authentication', description: 'hono basicAuth()' },
  { modules: ['@hono/oidc-auth'], exports: ['oidcAuthMiddleware'], form: 'factory', kind: 'authentication', description: '@hono/oidc-auth' },
  {
    modules: ['@hono/firebase-auth'],
    exports: ['verifyFirebaseAuth'],
    form: 'factory',
    kind: 'authentication',
    description: '@hono/firebase-auth verifies the ID token',
  },
  {
    modules: ['@hono/stytch-auth'],
    exports: ['Consumer.authenticateSessionLocal', 'Consumer.authenticateSessionRemote', 'Consumer.authenticateOAuthToken', 'B2B.authenticateSessionLocal', 'B2B.authenticateSessionRemote', 'B2B.authenticateOAuthToken'],
    form: 'factory',
    kind: 'authentication',
    description: '@hono/stytch-auth verifies the session or token',
  },
  { modules: ['@hono/auth-js'], exports: ['verifyAuth'], form: 'factory', kind: 'authentication', description: '@hono/auth-js verifyAuth()' },
  { modules: ['connect-ensure-login'], exports: ['ensureLoggedIn', 'ensureAuthenticated'], form: 'factory', kind: 'authentication', description: 'connect-ensure-login requires a session login' },
  { modules: ['express-basic-auth'], exports: [''], form: 'factory', kind: 'authentication', description: 'express-basic-auth' },
  { modules: ['@fastify/basic-auth', 'fastify-basic-auth'], exports: [''], form: 'middleware', kind: 'authentication', description: '@fastify/basic-auth' },
  { modules: ['@fastify/bearer-auth', 'fastify-bearer-auth'], exports: [''], form: 'middleware', kind: 'authentication', description: '@fastify/bearer-auth' },
  // Authorization
  ...['requiredScopes', 'scopeIncludesAny', 'claimCheck', 'claimEquals', 'claimIncludes'].map(
    (name): MiddlewareModel => ({
      modules: ['express-oauth2-jwt-bearer', 'express-openid-connect'],
      exports: [name],
      form: 'factory',
      kind: 'authorization',
      description: `${name}() checks token claims`,
    }),
  ),
  { modules: ['express-jwt-permissions'], exports: ['()', ''], form: 'middleware', kind: 'authorization', description: 'express-jwt-permissions guard', chain: true },
  { modules: ['express-jwt-authz'], exports: [''], form: 'factory', kind: 'authorization', description: 'express-jwt-authz checks scopes' },
  // Not authentication: present in most chains, must never count as access control
  { modules: PASSPORT_MODULES, exports: ['initialize'], form: 'factory', kind: 'neutral', description: 'passport setup, no request is checked' },
  {
    modules: PASSPORT_MODULES,
    exports: ['session'],
    form: 'factory',
    kind: 'authentication',
    optional: true,
    description: 'passport.session() restores the logged-in user from the session and lets anonymous requests through',
  },
  { modules: ['express-session', 'cookie-session', 'koa-session', '@fastify/session', 'hono-sessions'], exports: ['', 'sessionMiddleware'], form: 'factory', kind: 'neutral', description: 'a session store is not authentication' },
  { modules: ['@hono/clerk-auth'], exports: ['clerkMiddleware'], form: 'factory', kind: 'neutral', description: 'clerkMiddleware() loads the session but rejects nothing' },
  { modules: ['express'], exports: ['json', 'urlencoded', 'static', 'text', 'raw'], form: 'factory', kind: 'neutral', description: 'express built-in middleware' },
  { modules: ['helmet', 'koa-helmet', 'feature-policy', 'permissions-policy'], exports: [''], form: 'factory', kind: 'neutral', description: 'security headers', chain: true },
  { modules: ['express-robots-txt', 'express-useragent', 'express-ipfilter-lite', 'errorhandler', 'method-override', 'connect-flash', 'express-flash', 'i18n', 'express-status-monitor', 'koa-response-time', 'koa-x-request-id', 'koa-respond', 'koa-conditional-get', 'koa-etag', 'koa-json', 'koa-json-error', 'koa-error', 'express-request-id', 'cls-rtracer', 'express-http-context'], exports: [''], form: 'factory', kind: 'neutral', description: 'request plumbing', chain: true },
  { modules: ['@nodebb/spider-detector', 'spider-detector'], exports: ['middleware'], form: 'factory', kind: 'neutral', description: 'marks requests from search-engine crawlers' },
  { modules: ['koa-sslify'], exports: [''], form: 'factory', kind: 'neutral', description: 'redirects plain HTTP requests to HTTPS' },
  { modules: ['koa-useragent'], exports: ['', 'userAgent'], form: 'middleware', kind: 'neutral', description: 'parses the User-Agent header' },
  { modules: ['cors', '@koa/cors', 'kcors', 'hono/cors'], exports: ['', 'cors'], form: 'factory', kind: 'neutral', description: 'CORS is not authentication' },
  {
    modules: ['express-rate-limit', 'express-slow-down', 'koa-ratelimit', 'hono-rate-limiter', 'rate-limiter-flexible'],
    exports: ['', 'rateLimit', 'slowDown', 'rateLimiter'],
    form: 'factory',
    kind: 'neutral',
    description: 'rate limiting is not authentication',
  },
  { modules: ['morgan', 'pino-http', 'express-winston', 'koa-logger', 'hono/logger'], exports: ['', 'logger', 'pinoHttp'], form: 'factory', kind: 'neutral', description: 'request logging' },
  {
    modules: ['body-parser', 'koa-bodyparser', '@koa/bodyparser', 'koa-body'],
    exports: ['', 'json', 'urlencoded', 'text', 'raw', 'bodyParser', 'koaBody'],
    form: 'factory',
    kind: 'neutral',
    description: 'body parsing',
  },
  { modules: ['compression', 'koa-compress', 'hono/compress'], exports: ['', 'compress'], form: 'factory', kind: 'neutral', description: 'compression' },
  { modules: ['cookie-parser'], exports: [''], form: 'factory', kind: 'neutral', description: 'cookie parsing' },
  { modules: ['csurf', 'hono/csrf', 'csrf-csrf', 'csrf-sync', 'lusca'], exports: ['', 'csrf', 'doubleCsrf', 'csrfSync'], form: 'factory', kind: 'neutral', description: 'CSRF protection is not authentication', chain: true },
  { modules: ['hpp', 'express-mongo-sanitize', 'xss-clean', 'response-time', 'express-request-id', 'connect-timeout', 'serve-static', 'koa-static', 'serve-favicon'], exports: [''], form: 'factory', kind: 'neutral', description: 'request hygiene' },
  { modules: ['celebrate'], exports: ['celebrate'], form: 'factory', kind: 'neutral', description: 'input validation' },
  {
    modules: ['express-validator'],
    exports: ['body', 'param', 'query', 'check', 'header', 'cookie', 'checkSchema', 'oneOf', 'validationResult'],
    form: 'factory',
    kind: 'neutral',
    description: 'input validation',
    chain: true,
  },
  { modules: ['@hono/zod-validator', 'hono/validator'], exports: ['zValidator', 'validator'], form: 'factory', kind: 'neutral', description: 'input validation' },
  {
    modules: [
      'hono/secure-headers', 'hono/powered-by', 'hono/etag', 'hono/pretty-json', 'hono/request-id', 'hono/timing', 'hono/body-limit', 'hono/timeout', 'hono/cache',
      'hono/language', 'hono/trailing-slash', 'hono/context-storage', 'hono/method-override',
    ],
    exports: [
      'secureHeaders', 'poweredBy', 'etag', 'prettyJSON', 'requestId', 'timing', 'bodyLimit', 'timeout', 'cache',
      'languageDetector', 'trimTrailingSlash', 'appendTrailingSlash', 'contextStorage', 'methodOverride',
    ],
    form: 'factory',
    kind: 'neutral',
    description: 'hono utility middleware',
  },
  { modules: ['@hono/node-server/serve-static', 'hono/bun', 'hono/deno', 'hono/cloudflare-workers'], exports: ['serveStatic'], form: 'factory', kind: 'neutral', description: 'static files' },
  { modules: ['multer'], exports: ['()'], form: 'middleware', kind: 'neutral', description: 'file upload parsing', chain: true },
  { modules: ['express-fileupload', 'connect-multiparty', 'express-formidable', 'connect-busboy', 'koa-multer', '@koa/multer'], exports: [''], form: 'factory', kind: 'neutral', description: 'file upload parsing', chain: true },
  { modules: ['express-mung', 'express-device', 'request-ip', 'nocache', 'express-xss-sanitizer', 'express-brute', 'express-validation', 'express-joi-validation', 'connect-history-api-fallback', 'express-query-boolean', 'express-query-int', 'express-bearer-token'], exports: [''], form: 'factory', kind: 'neutral', description: 'request plumbing, parsing or validation (express-bearer-token only copies the token, it verifies nothing)', chain: true },
  { modules: ['express-ipfilter'], exports: ['IpFilter', 'ipFilter'], form: 'factory', kind: 'neutral', description: 'an IP allowlist is network placement, not authentication' },
  { modules: ['swagger-ui-express'], exports: ['serve', 'setup'], form: 'middleware', kind: 'neutral', description: 'API documentation UI', chain: true },
  { modules: ['express-prom-bundle', 'prom-client'], exports: [''], form: 'factory', kind: 'neutral', description: 'metrics collection' },
];

/**
 * Upload middleware: used on one route (`router.post('/', upload.single('image'), …)`) it stores what the client sends,
 * a state change whatever the handler then does.
 */
export const FILE_UPLOAD_PACKAGES: ReadonlySet<string> = new Set(['multer', 'express-fileupload', 'connect-multiparty', 'express-formidable', 'connect-busboy', 'koa-multer', '@koa/multer']);

/** Helpers that wrap a middleware function: the step is what the wrapped function does. */
export const MIDDLEWARE_WRAPPERS: ReadonlyArray<{ module: string; last: readonly string[] }> = [
  { module: 'hono/factory', last: ['createMiddleware', '()'] },
  { module: 'express-async-handler', last: ['()'] },
  { module: 'express-async-errors', last: ['()'] },
];

/** Passport strategies that let anonymous requests through, and ones that check login credentials. */
export const ANONYMOUS_STRATEGIES: ReadonlySet<string> = new Set(['anonymous']);
export const LOGIN_STRATEGIES: ReadonlySet<string> = new Set([
  'local', 'local-signup', 'local-login', 'signup', 'login', 'ldapauth', 'saml', 'magiclink', 'magic-link', 'webauthn', 'passwordless',
  'google', 'google-oauth20', 'github', 'gitlab', 'bitbucket', 'facebook', 'twitter', 'x', 'linkedin', 'microsoft', 'azuread-openidconnect',
  'auth0', 'apple', 'discord', 'twitch', 'slack', 'spotify', 'instagram', 'tumblr', 'steam', 'steam-openid', 'trakt', 'quickbooks',
  'pinterest', 'foursquare', 'yahoo', 'amazon', 'dropbox', 'okta', 'keycloak', 'cognito', 'oauth', 'oauth2', 'openidconnect', 'oidc', 'openid',
]);

/** Package exports that verify a credential when called inside a local middleware body. */
export const CREDENTIAL_VERIFIERS: ReadonlyArray<{ module: string; path: readonly string[] }> = [
  { module: 'jsonwebtoken', path: ['verify'] },
  { module: 'jose', path: ['jwtVerify'] },
  { module: 'jose', path: ['compactVerify'] },
  { module: 'jose', path: ['jwtDecrypt'] },
  { module: 'jwt-simple', path: ['decode'] },
  { module: 'hono/jwt', path: ['verify'] },
  { module: 'hono/jwt', path: ['verifyWithJwks'] },
  { module: 'hono/utils/jwt', path: ['verify'] },
  { module: 'fast-jwt', path: ['createVerifier', '()'] },
  { module: '@nestjs/jwt', path: ['JwtService', '#instance', 'verify'] },
  { module: '@nestjs/jwt', path: ['JwtService', '#instance', 'verifyAsync'] },
  { module: 'jws', path: ['verify'] },
  { module: 'google-auth-library', path: ['OAuth2Client', 'new', 'verifyIdToken'] },
  { module: 'google-auth-library', path: ['OAuth2Client', '#instance', 'verifyIdToken'] },
  { module: 'aws-jwt-verify', path: ['CognitoJwtVerifier', 'create', '()', 'verify'] },
  { module: '@clerk/backend', path: ['verifyToken'] },
  { module: 'bcrypt', path: ['compare'] },
  { module: 'bcryptjs', path: ['compare'] },
  { module: 'argon2', path: ['verify'] },
];

/**
 * Decoders keyed by a secret of the service: only the service can issue what they decode, so a request code one of them
 * reads and the request is refused without (a continue code, an invite code) is a bearer capability. `key` is the
 * argument holding the secret: of the constructor for `instance` decoders (`new Hashids(salt)`), of the call otherwise
 * (`signature.unsign(value, secret)`).
 */
export const KEYED_DECODERS: ReadonlyArray<{ modules: readonly string[]; path: readonly string[]; form: 'instance' | 'call'; key: number }> = [
  { modules: ['hashids', 'hashids/cjs', 'hashids/esm'], path: ['new', 'decode'], form: 'instance', key: 0 },
  { modules: ['hashids', 'hashids/cjs', 'hashids/esm'], path: ['new', 'decodeHex'], form: 'instance', key: 0 },
  { modules: ['cookie-signature'], path: ['unsign'], form: 'call', key: 1 },
  { modules: ['@hapi/iron', 'iron'], path: ['unseal'], form: 'call', key: 1 },
  { modules: ['iron-session'], path: ['unsealData'], form: 'call', key: 1 },
];

/**
 * Digests a service computes to sign a link it sends out (`createHmac('sha256', secret).update(data).digest('hex')`).
 * `keyed`: the key is the call's second argument (an HMAC); otherwise (`createHash`) the digest is keyed only when a
 * secret is part of the hashed data. Nobody without the key can compute one, so a request code equal to it was issued
 * by the service.
 */
export const DIGEST_FACTORIES: ReadonlyArray<{ modules: readonly string[]; name: string; keyed: boolean }> = [
  { modules: ['crypto', 'node:crypto'], name: 'createHmac', keyed: true },
  { modules: ['crypto', 'node:crypto'], name: 'createHash', keyed: false },
];

/** Comparisons in constant time of their first two arguments: a presented code checked against the expected one. */
export const CONSTANT_TIME_COMPARISONS: ReadonlyArray<{ module: string; path: readonly string[] }> = [
  { module: 'crypto', path: ['timingSafeEqual'] },
  { module: 'node:crypto', path: ['timingSafeEqual'] },
  { module: 'tsscmp', path: [] },
  { module: 'scmp', path: [] },
  { module: 'safe-compare', path: [] },
];

/** Words of a name that make a value hashed with the data a secret of the service (`env.SECRET_KEY`, `appSecret`). */
export const DIGEST_SECRET_WORDS: ReadonlySet<string> = new Set(['secret', 'key', 'pepper']);

/** Method names that verify a credential whatever object they are called on (`request.jwtVerify()`, `admin.auth().verifyIdToken()`). */
export const VERIFY_METHOD_NAMES: ReadonlySet<string> = new Set([
  'jwtVerify',
  'verifyIdToken',
  'verifySessionCookie',
  'verifyAccessToken',
  'verifyToken',
  'verifyJwt',
  'verifyJWT',
  'validateToken',
  'validateAccessToken',
  'introspect',
  'introspectToken',
  'isAuthenticated',
  'getServerSession',
  'timingSafeEqual',
]);

/** Words in a middleware's name that hint at access control when nothing else is known. */
export const AUTHENTICATION_NAME_WORDS: ReadonlySet<string> = new Set([
  'auth',
  'authn',
  'authenticate',
  'authenticated',
  'authentication',
  'jwt',
  'token',
  'bearer',
  'protect',
  'protected',
  'guard',
  'logged',
  'login',
  'apikey',
  'verify',
  'passport',
  'session',
  'firebase',
  'clerk',
  'oidc',
  'cognito',
]);

export const AUTHORIZATION_NAME_WORDS: ReadonlySet<string> = new Set([
  'authorize',
  'authorized',
  'authorization',
  'authz',
  'role',
  'roles',
  'permission',
  'permissions',
  'permit',
  'scope',
  'scopes',
  'admin',
  'acl',
  'rbac',
  'abac',
  'policy',
  'policies',
  'ability',
  'can',
  'casl',
]);

/** Property names that carry roles, scopes and permissions in a request's principal. */
export const PRIVILEGE_PROPERTY_WORDS: ReadonlySet<string> = new Set([
  'role',
  'roles',
  'scope',
  'scopes',
  'scp',
  'permission',
  'permissions',
  'isadmin',
  'admin',
  'groups',
  'privileges',
  'authorities',
  'claims',
  'tier',
]);

/** Functions and methods that decide an authorization question. */
export const AUTHORIZATION_CALL_NAMES: ReadonlySet<string> = new Set([
  'can',
  'cannot',
  'hasRole',
  'hasAnyRole',
  'hasPermission',
  'hasScope',
  'checkPermission',
  'checkPermissions',
  'isAllowed',
  'enforce',
  'authorize',
  'permission',
]);

/**
 * Packages of error tracking, tracing and metrics SDKs: a middleware that only calls them checks no
 * credential, whatever their method names say (`Sentry.getCurrentScope()`, `span.setAttribute`), and neither does a
 * middleware they export (`sentry({ dsn })` of @hono/sentry).
 */
export const TELEMETRY_PACKAGE_PREFIXES: readonly string[] = ['@sentry/', '@opentelemetry/', '@datadog/', 'dd-trace', 'newrelic', 'elastic-apm-node', 'prom-client', '@google-cloud/trace-agent', '@hono/sentry', '@hono/otel', '@hono/prometheus'];

/**
 * oidc-provider's `Provider#interactionDetails(req, res)` loads the sign-in interaction the request belongs to (and
 * throws without one): a middleware calling it serves the provider's own sign-in and sign-up pages, public by design.
 */
export const SIGN_IN_FLOW_CALLS: ReadonlySet<string> = new Set(['interactionDetails']);

export function isTelemetryPackage(module: string): boolean {
  return TELEMETRY_PACKAGE_PREFIXES.some((prefix) => (prefix.endsWith('/') ? module.startsWith(prefix) : module === prefix || module.startsWith(`${prefix}/`)));
}

/**
 * Global functions that call the callback they are given later (`setImmediate(next)`, NodeBB's ensureLoggedIn and
 * busyCheck): a middleware passing its `next` to one continues the chain, as with `next()`.
 */
export const DEFERRED_CALLBACK_FUNCTIONS: ReadonlySet<string> = new Set(['setImmediate', 'setTimeout', 'queueMicrotask', 'process.nextTick']);
