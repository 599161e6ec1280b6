/** Words that mark a route, router, controller, file or listener as internal/administrative (auth-idioms B10). */
export const INTERNAL_WORDS: ReadonlySet<string> = new Set([
  'admin',
  'admins',
  'administration',
  'internal',
  'private',
  'ops',
  'debug',
  'management',
  'manage',
  'actuator',
  'backoffice',
  'superuser',
  'sysadmin',
  'maintenance',
]);

/** Internal words that, as the last segment of a read below another resource, list its members (`GET /groups/:id/admins`). */
export const MEMBER_LISTING_SEGMENTS: ReadonlySet<string> = new Set(['admins']);

/** Loopback hosts: a listener bound to them is "internal by placement". */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

/** Endpoints that are public by design when they are the last segment (probes, metadata). */
export const PROBE_SEGMENTS: ReadonlySet<string> = new Set([
  'health',
  '_health',
  'healthz',
  'healthcheck',
  'health-check',
  'livez',
  'readyz',
  'ready',
  'readiness',
  'live',
  'liveness',
  'alive',
  'startupz',
]);

/** Probe-like segments only public on short paths (`/status`, `/api/version`), not `/orders/:id/status`. */
export const SHORT_PATH_PUBLIC_SEGMENTS: ReadonlySet<string> = new Set(['ping', 'status', 'version', 'info']);

/**
 * Endpoints a client must reach before it has a credential: a path segment equal to one of these
 * once `-`, `_` and `.` are removed (`sign-in`, `refresh_token`), or containing one of the words.
 */
export const CREDENTIAL_SEGMENTS: ReadonlySet<string> = new Set([
  'login',
  'signin',
  'signup',
  'logout',
  'signout',
  'register',
  'registration',
  'token',
  'refreshtoken',
  'refreshtokens',
  'forgotpassword',
  'forgotpw',
  'resetpassword',
  'resetpw',
  'passwordreset',
  'securityquestion',
  'verifyemail',
  'confirmemail',
  'magiclink',
  'callback',
  'oauth',
  'oauth2',
  'sso',
  'saml',
  'oidc',
  'authorize',
  'jwks',
  'jwksjson',
  'webhook',
  'webhooks',
]);

/** Words that make a segment a credential-flow endpoint (`refresh-tokens`, `google-callback`). */
export const CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['login', 'logout', 'signin', 'signup', 'register', 'refresh', 'forgot', 'reset', 'callback', 'oauth', 'oauth2', 'sso', 'saml', 'oidc', 'webhook', 'webhooks']);

/**
 * Credential words that name a sign-in protocol (`/saml/:id/authn`, `/oauth/token`). In a segment beside other words
 * that name no step of a flow (`saml-applications`, `sso-connectors`) they name what is configured for the protocol,
 * and below a configuration segment (`/configs/oidc/:keyType/rotate`) they name the protocol's settings: neither is
 * a credential flow.
 */
export const PROTOCOL_CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['oauth', 'oauth2', 'sso', 'saml', 'oidc']);

/** Words beside a protocol word that keep a segment a step of the flow (`oauth-callback`, `sso-login`, `saml-acs`). */
export const PROTOCOL_STEP_WORDS: ReadonlySet<string> = new Set(['authorize', 'callback', 'redirect', 'authn', 'acs', 'token', 'tokens', 'login', 'logout', 'signin', 'start', 'init']);

/** Segments under which a protocol word names settings (`/api/configs/oidc/session`). */
export const CONFIGURATION_SEGMENTS: ReadonlySet<string> = new Set(['config', 'configs', 'configuration', 'configurations', 'settings', 'setting']);

/**
 * Credential words that also name ordinary actions (`/ai/agent/reset`, `/cache/refresh`): they make a credential-flow
 * endpoint only in an account or credential context (see CREDENTIAL_CONTEXT_WORDS) or as the path's first segment.
 */
export const AMBIGUOUS_CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['reset', 'refresh']);

/** Words of a path (or of a parameter name) that put an ambiguous credential word in an account context. */
export const CREDENTIAL_CONTEXT_WORDS: ReadonlySet<string> = new Set([
  'auth', 'authentication', 'account', 'accounts', 'user', 'users', 'password', 'passwords', 'passwd', 'pw', 'pwd',
  'token', 'tokens', 'jwt', 'session', 'sessions', 'credential', 'credentials', 'login', 'identity', 'me', 'oauth', 'oauth2', 'sso',
]);

/** Second-factor segments (`/2fa/verify`, `/mfa/challenge`); only their login steps are public. */
export const SECOND_FACTOR_SEGMENTS: ReadonlySet<string> = new Set(['2fa', 'mfa', 'totp', 'otp', 'twofactor', 'twofa']);

/** The last segment of a second-factor login step: it runs before a session or token exists. */
export const SECOND_FACTOR_LOGIN_STEPS: ReadonlySet<string> = new Set(['verify', 'challenge', 'login', 'authenticate', 'validate']);

/** API documentation and static asset segments. */
export const DOCS_AND_STATIC_SEGMENTS: ReadonlySet<string> = new Set([
  '.well-known',
  'docs',
  'api-docs',
  'swagger',
  'swagger-ui',
  'swagger.json',
  'openapi',
  'openapi.json',
  'openapi.yaml',
  'redoc',
  'static',
  'assets',
  'public',
  'favicon.ico',
  'robots.txt',
]);

/** Segments ignored when judging whether a path is "short" (`/api/v1/status`). */
export const PATH_NOISE_SEGMENTS: ReadonlySet<string> = new Set(['api', 'v1', 'v2', 'v3', 'rest']);

/**
 * Segments of read-only content that services often serve without login (catalogues, articles,
 * reference data). Only a hint for `authlint init`: never counted as public without configuration.
 */
export const PUBLIC_CONTENT_SEGMENTS: ReadonlySet<string> = new Set([
  'public',
  'catalog',
  'catalogue',
  'products',
  'articles',
  'posts',
  'blog',
  'news',
  'tags',
  'categories',
  'search',
  'feed',
  'pages',
  'faq',
  'countries',
  'languages',
  'currencies',
  'profiles',
  'reviews',
]);

/** Words that make a route administrative for authorization: it manages the service, other users, roles or tenants. */
/**
 * First words that make a name a question about the caller (`is-github-organization-admin`, `hasAdminRole`,
 * `canManage`): such an endpoint answers whether the caller is an admin, it is not an admin area.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(['is', 'has', 'can', 'am', 'check']);

export const ADMIN_WORDS: ReadonlySet<string> = new Set([
  'admin',
  'admins',
  'administration',
  'administrator',
  'management',
  'manage',
  'backoffice',
  'superuser',
  'sysadmin',
  'roles',
  'permissions',
  'tenants',
]);

/** Admin words that name the catalogue of privileges an application defines (`GET /permissions`), not an area that administers. */
export const PRIVILEGE_CATALOGUE_WORDS: ReadonlySet<string> = new Set(['roles', 'permissions']);

/** Collections whose `/:id` scopes the resources below them to one account (`/users/:userId/orders`). */
export const ACCOUNT_SCOPE_SEGMENTS: ReadonlySet<string> = new Set(['users', 'user', 'accounts', 'account', 'tenants', 'tenant', 'customers', 'members', 'profiles']);

/**
 * A read of the caller's identity or credential inside a handler (the whole member chain's text): `req.user.id`,
 * `request.user`, `ctx.state.user`, `req.session.userId`, `req.auth`, `req.headers.authorization`. It starts at one of
 * IDENTITY_READ_ROOTS (the request or context), which lets a caller skip chains that start elsewhere unread.
 */
export const IDENTITY_READ_ROOTS: ReadonlySet<string> = new Set(['req', 'request', 'ctx', 'context']);

/** What follows one of IDENTITY_READ_ROOTS in a read of the caller's identity. */
const IDENTITY_READ_MEMBERS =
  /\s*\.\s*(?:user|auth|principal|currentUser|identity|decoded|state\s*\.\s*(?:user|auth|jwt\w*)|session\s*\.\s*(?:user\w*|passport)|headers\s*(?:\.\s*authorization|\[\s*['"]authorization['"]\s*\])|cookies\s*\.\s*(?:token|jwt|session\w*))\b/;

export const IDENTITY_READ_PATTERN = new RegExp(`^(?:${[...IDENTITY_READ_ROOTS].join('|')})${IDENTITY_READ_MEMBERS.source}`);

/** Names of a handler's first parameter that hold the request itself (Express, Fastify), not Koa's or Hono's context. */
export const REQUEST_PARAMETER = /^(?:req|request)$/;

/** Words of parameter decorators that inject the caller's identity (`@User()`, `@CurrentUser()`, `@AuthUser()`, `@Session()`). */
export const IDENTITY_DECORATOR_WORDS: ReadonlySet<string> = new Set(['user', 'principal', 'session', 'identity', 'actor', 'me']);

/** Calls that issue a credential (compared lower-case with the words of the name joined: `generateJWT` → `generatejwt`). */
export const TOKEN_ISSUING_CALLS: ReadonlySet<string> = new Set([
  'sign',
  'signasync',
  'signjwt',
  'signtoken',
  'generatetoken',
  'generatetokens',
  'generatejwt',
  'generateauthtokens',
  'generateaccesstoken',
  'createtoken',
  'createtokens',
  'createaccesstoken',
  'createjwt',
  'issuetoken',
  'issuetokens',
  'gettokens',
  'login',
  'createsession',
  'setauthcookies',
]);

/**
 * A verb and a noun that together name a call issuing a credential, whatever else the name says
 * (`createWebSession`, `issueAccessToken`, `startSession`, `mintToken`).
 */
export const CREDENTIAL_ISSUING_VERBS: ReadonlySet<string> = new Set(['create', 'issue', 'generate', 'sign', 'start', 'mint']);
export const CREDENTIAL_NOUNS: ReadonlySet<string> = new Set(['session', 'token', 'tokens', 'jwt', 'credential', 'credentials']);

/** Calls that compare a submitted password with the stored one (a login). */
export const PASSWORD_CHECK_CALLS: ReadonlySet<string> = new Set([
  'compare',
  'comparesync',
  'comparepassword',
  'comparepasswords',
  'checkpassword',
  'validatepassword',
  'verifypassword',
  'ispasswordvalid',
  'ispasswordmatch',
  'validatecredentials',
  'validateuser',
]);

/** Calls that hash a password before it is stored (compared lower-case with the words of the name joined). */
export const PASSWORD_HASH_CALLS: ReadonlySet<string> = new Set(['hash', 'hashsync', 'hashpassword', 'generatehash', 'encryptpassword', 'cryptpassword', 'setpassword']);

/** A password read from the request body (`req.body.password`, `request.body.newPassword`, `ctx.request.body.passwd`). */
export const SUBMITTED_PASSWORD_READ = /^(?:req|request|ctx\s*\.\s*request)\s*\.\s*body\s*\.\s*\w*pass(?:word|wd)\w*$/i;

/** Names of fields and variables holding a password (`password`, `newPassword`, `passwd`). */
export const PASSWORD_NAME = /pass(?:word|wd)/i;

/**
 * Names of a one-time token a caller presents to prove it received a message (`reset_password_token`, `resetToken`,
 * `verificationCode`), written without separators and in lower case.
 */
export const ONE_TIME_TOKEN_NAME = /^(?:reset|recovery|verification|verify|confirmation|confirm|activation|invite|invitation|magic)(?:password)?(?:token|code)$/;

/** Words of a call or request field that check a CAPTCHA (`verifyCaptcha()`, `req.body.captchaId`, `recaptcha.verify`). */
export const CAPTCHA_WORDS: ReadonlySet<string> = new Set(['captcha', 'recaptcha', 'hcaptcha', 'turnstile']);

/** Calls that create an account (a sign-up). */
export const ACCOUNT_CREATION_CALLS: ReadonlySet<string> = new Set(['createuser', 'registeruser', 'register', 'signup', 'createaccount', 'adduser', 'insertuser', 'saveuser', 'newuser']);

/**
 * Exports of password-hashing packages that compare a submitted password with a stored hash, known by import whatever
 * the callee is named (`argon2.verify`, `bcrypt.compare`): a login, not the check of a one-time code that a call named
 * `verify` otherwise counts as.
 */
export const PASSWORD_VERIFY_EXPORTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['argon2', new Set(['verify'])],
  ['@node-rs/argon2', new Set(['verify', 'verifySync'])],
  ['bcrypt', new Set(['compare', 'compareSync'])],
  ['bcryptjs', new Set(['compare', 'compareSync'])],
  ['@node-rs/bcrypt', new Set(['compare', 'compareSync', 'verify', 'verifySync'])],
]);

/** Calls that check a one-time code, magic link or refresh token before a credential is issued. */
export const CODE_VERIFICATION_CALLS: ReadonlySet<string> = new Set([
  'verify',
  'verifyasync',
  'verifyotp',
  'verifycode',
  'verifytotp',
  'verifymagiclink',
  'verifymagiclinktokens',
  'verifyrefreshtoken',
  'verifyemail',
  'confirmemail',
  'validateotp',
  'checkotp',
]);

/** Words of answered keys or called names that reveal configuration or secrets (`getConfig()`, `{ secret }`). */
export const SENSITIVE_VALUE_WORDS: ReadonlySet<string> = new Set(['secret', 'secrets', 'password', 'passwords', 'credential', 'credentials', 'env', 'config', 'configuration', 'environment']);

/** Path parameters that name a user: a route taking one reads or changes that user's data (`/users/:email`). */
export const PER_USER_PARAMS: ReadonlySet<string> = new Set(['userid', 'user', 'uid', 'username', 'email', 'accountid', 'account', 'customerid', 'ownerid']);

/** Last words of a path parameter that name a record's key (`:id`, `:memberId`, `:slug`, `:name`): below an account collection it picks one account. */
export const RECORD_KEY_PARAM_WORDS: ReadonlySet<string> = new Set(['id', 'uuid', 'guid', 'slug', 'name', 'handle', 'login', 'nickname']);

/** Path segments that mean "the caller's own data" (`/users/me`). */
export const PER_USER_SEGMENTS: ReadonlySet<string> = new Set(['me', 'myself', 'self', 'whoami']);

/** Words of a file name that make it an API description (`openAPI-spec.json`, `swagger.yaml`, `service.wsdl`). */
export const API_DESCRIPTION_WORDS: ReadonlySet<string> = new Set(['openapi', 'swagger', 'wsdl', 'asyncapi', 'raml', 'apispec', 'spec']);

/**
 * Where a request carries its credential, as text of a member chain: a token cookie, the Authorization header or an
 * API-key header (`req.cookies.token`, `req.headers?.authorization`, `request.headers['x-api-key']`, `req.get('authorization')`).
 */
export const REQUEST_CREDENTIAL_READ =
  /\b(?:req|request|ctx|context)\s*(?:\?\.|\.)\s*(?:(?:signedC|c)ookies\s*(?:\?\.|\.)\s*(?:token|jwt|access_?token|auth\w*|session\w*)\b|(?:signedC|c)ookies\s*\[\s*['"](?:token|jwt|access_?token|auth\w*)['"]\s*\]|headers\s*(?:\?\.|\.)\s*authorization\b|headers\s*\[\s*['"](?:authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-(?!csrf-|xsrf-)[a-z0-9]+-token)['"]\s*\]|(?:header|get)\(\s*['"](?:authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-(?!csrf-|xsrf-)[a-z0-9]+-token)['"])/i;

/** The same reads inside a helper that takes the request or its headers apart (`({ headers }) => headers.authorization`). */
export const CREDENTIAL_PART_READ = /\bheaders\s*(?:\?\.|\.)\s*authorization\b|\bcookies\s*(?:\?\.|\.)\s*(?:token|jwt)\b|['"](?:authorization|x-api-key|x-auth-token|x-access-token)['"]/i;

/** Names of request inputs (query, header, path or body fields) that carry a credential: `@Query('token')`, `@Headers('x-api-key')`. */
export const CREDENTIAL_INPUT_NAMES = /^(?:token|api[-_]?key|x-api-key|access[-_]?token|authorization|x-auth-token|x-access-token|recovery[-_]?token|auth[-_]?token|personal[-_]?access[-_]?token|pat)$/i;

/**
 * Words of a request input's name (path parameter, query or body field) that make it a code the caller holds rather than
 * an identifier (`continueCode`, `inviteToken`, `:key`): decoded by a keyed decoder it is a bearer capability.
 */
export const CAPABILITY_INPUT_WORDS: ReadonlySet<string> = new Set(['code', 'token', 'key', 'secret', 'otp', 'pin', 'nonce', 'ticket', 'invite', 'invitation', 'signature', 'sig', 'capability', 'passcode', 'voucher']);

/** Words of a call that looks a value up in a store (`tokenMap.get(token)`, `findByApiKey(key)`, `sessions.has(id)`). */
export const LOOKUP_CALL_WORDS: ReadonlySet<string> = new Set(['get', 'from', 'find', 'findone', 'findunique', 'findfirst', 'lookup', 'fetch', 'load', 'retrieve', 'has', 'exists', 'validate', 'check', 'verify', 'by']);

/**
 * Calls that change stored state (data-access writes of Mongoose, Sequelize, TypeORM, Prisma, MikroORM and Knex, files,
 * caches, queues, outgoing messages), compared lower-case: a handler that makes none of them changes nothing authlint can see.
 */
export const STATE_WRITE_CALLS: ReadonlySet<string> = new Set([
  'create', 'createmany', 'bulkcreate', 'insert', 'insertone', 'insertmany', 'save', 'update', 'updateone', 'updatemany',
  'upsert', 'delete', 'deleteone', 'deletemany', 'destroy', 'remove', 'removeone', 'softdelete', 'softremove', 'restore',
  'findoneandupdate', 'findbyidandupdate', 'findoneanddelete', 'findbyidanddelete', 'findoneandremove', 'findbyidandremove',
  'replaceone', 'increment', 'decrement', 'persist', 'persistandflush', 'flush', 'nativeupdate', 'nativedelete', 'nativeinsert',
  'writefile', 'writefilesync', 'appendfile', 'appendfilesync', 'unlink', 'unlinksync', 'rm', 'rmsync', 'rename', 'mkdir',
  'createwritestream', 'pipe', 'mv', 'set', 'hset', 'lpush', 'rpush', 'sadd', 'zadd', 'del', 'expire', 'publish', 'emit',
  'sendmail', 'sendemail', 'send', 'exec', 'execsync', 'spawn', 'query', 'execute', 'run', 'raw', 'transaction', 'solve',
]);

/**
 * Calls that run an operating-system command (child_process, execa, shelljs): with a command built at run time, a route
 * reaching one runs what its caller asks for.
 */
export const COMMAND_EXECUTION_CALLS: ReadonlyArray<{ modules: readonly string[]; names: readonly string[] }> = [
  { modules: ['child_process', 'node:child_process'], names: ['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork'] },
  { modules: ['execa'], names: ['execa', 'execaSync', 'execaCommand', 'execaCommandSync', '$'] },
  { modules: ['shelljs'], names: ['exec'] },
];

/** Collections of accounts: a POST to one of them (`POST /users`, `POST /api/Users`) is how REST services sign a caller up. */
export const ACCOUNT_COLLECTION_SEGMENTS: ReadonlySet<string> = new Set(['users', 'accounts', 'members', 'customers']);
