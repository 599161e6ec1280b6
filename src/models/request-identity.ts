/**
 * Where the request input and the verified principal live on the request objects of Express, Fastify,
 * Koa, Hono and NestJS (auth-idioms B, C2). The authorization facts label values with these names.
 */

/** Request members that carry client input: `req.params`, `ctx.query`, `request.body`, `req.headers`. */
export const REQUEST_INPUT_MEMBERS: Readonly<Record<string, 'params' | 'query' | 'body' | 'headers' | 'cookies'>> = {
  params: 'params',
  query: 'query',
  body: 'body',
  headers: 'headers',
  cookies: 'cookies',
  signedCookies: 'cookies',
};

/**
 * Request members set by authentication: `req.user` (passport, express-jwt ≤6, @fastify/jwt), `req.auth`
 * (express-jwt ≥7, express-oauth2-jwt-bearer), `req.payload` (a common `userProperty`), `req.userId`.
 */
export const PRINCIPAL_MEMBERS = /^(?:user|auth|principal|currentUser|current_user|userId|user_id|uid|decoded|decodedToken|jwt|jwtPayload|claims|identity|me|actor|payload|tokenPayload|authUser|loggedInUser|sessionUser)$/;

/** Holders whose user-like members are the principal: `req.session.userId`, `ctx.state.user`, `res.locals.user`. */
export const PRINCIPAL_HOLDERS = new Set(['session', 'state', 'locals']);

/** Members of those holders that name the principal. */
export const HOLDER_PRINCIPAL_MEMBERS = /^(?:user|auth|principal|currentUser|userId|user_id|uid|account|accountId|jwt|jwtPayload|claims|identity|me|passport|payload)$/;

/** Hono `c.get('user')` / `c.var.user` keys under which middleware stores the principal. */
export const CONTEXT_PRINCIPAL_KEYS = /^(?:user|jwtPayload|auth|session|principal|currentUser|claims|identity|payload)$/;

/** Request methods that read input: Express `req.param()`/`req.get()`/`req.header()`, Hono `c.req.param()`/`query()`/`json()`. */
export const REQUEST_INPUT_METHODS: Readonly<Record<string, 'params' | 'query' | 'body' | 'headers'>> = {
  param: 'params',
  params: 'params',
  query: 'query',
  queries: 'query',
  header: 'headers',
  json: 'body',
  parseBody: 'body',
  formData: 'body',
  text: 'body',
};

/** NestJS parameter decorators of @nestjs/common and the request part they inject. */
export const NEST_PARAM_DECORATORS: Readonly<Record<string, 'params' | 'query' | 'body' | 'headers' | 'request' | 'response' | 'session'>> = {
  Param: 'params',
  Query: 'query',
  Body: 'body',
  Headers: 'headers',
  Req: 'request',
  Request: 'request',
  Res: 'response',
  Response: 'response',
  Session: 'session',
};

/** Custom Nest parameter decorators (`createParamDecorator`) that inject the principal, by name when the body cannot tell. */
export const PRINCIPAL_DECORATOR_NAME = /^(?:User|CurrentUser|AuthUser|ReqUser|RequestUser|GetUser|Principal|CurrentPrincipal|Auth|AuthPayload|JwtPayload|Claims|Identity|Me|Actor|CurrentAccount|Account|SessionUser|LoggedInUser|UserId|CurrentUserId|Tenant|CurrentTenant)$/;

/** Values that convert or wrap an id without changing whose it is. */
export const PASS_THROUGH_FUNCTIONS = new Set(['String', 'Number', 'parseInt', 'parseFloat', 'BigInt', 'ObjectId', 'ObjectID', 'toObjectId', 'Types.ObjectId', 'mongoose.Types.ObjectId', 'isValidObjectId']);
export const PASS_THROUGH_METHODS = new Set(['toString', 'trim', 'toLowerCase', 'toUpperCase', 'valueOf', 'toHexString', 'split', 'slice', 'substring', 'substr', 'replace']);

/** Request properties that name a privilege (`isAdmin`, `role`, `permissions`): client input there must not decide access. */
export const PRIVILEGE_INPUT_KEY = /^(?:is_?admin|admin|is_?super_?user|superuser|is_?staff|role|roles|user_?role|permission|permissions|perms|scope|scopes|privilege|privileges|access_?level|group|groups|is_?owner|owner|authorized|is_?authorized)$/i;

/** Headers that carry an identity or privilege asserted by the client unless a trusted gateway sets them. */
export const IDENTITY_HEADER = /^x-(?:user|user-id|userid|user-name|username|user-email|user-role|user-roles|role|roles|admin|is-admin|account-id|auth-user|authenticated-user|forwarded-user|remote-user|permissions|scopes|groups|principal|tenant-id|email)$/i;

/** Members of the principal that name its privileges (`req.user.role`, `user.isAdmin`, `auth.permissions`). */
export const PRIVILEGE_MEMBER = /^(?:role|roles|isAdmin|is_admin|admin|permissions|permission|scope|scopes|scp|groups|authorities|privileges|isSuperuser|isSuperUser|is_superuser|isStaff|userRole|accessLevel|type|userType)$/;

/**
 * Privilege members that name a record's kind as often as a privilege (`node.type === 'mention'`, `result.type ===
 * 'file'`): on a record other than the principal they decide access only when compared with a privilege level.
 */
export const KIND_OR_PRIVILEGE_MEMBER = /^(?:type)$/;

/** Members of a principal or session that say when it was issued or expires (`exp`, `expires_at`, `lastLogin`): comparing them decides no privilege. */
export const TIME_MEMBER = /^(?:exp|iat|nbf|auth_time|expires?|expir(?:y|ation|es_?at|es_?in|ed_?at)|expiresAt|expiresIn|issued_?at|issuedAt|not_?before|notBefore|valid_?until|validUntil|created_?at|createdAt|updated_?at|updatedAt|last_?(?:login|seen|active|used)(?:_?at)?|lastLogin|lastSeen|lastActive|lastUsed)$/;

/** Members of a principal that hold its own secrets (`password`, `passwordHash`, `totpSecret`): comparing them re-authenticates the caller. */
export const SECRET_MEMBER = /^(?:password|passwd|pass|password_?hash|passwordHash|hashed_?password|hashedPassword|hash|salt|secret|totp_?secret|totpSecret|otp_?secret|otpSecret|pin)$/;

/** Constants that name a privilege level (`'admin'`, `UserType.OWNER`, `'super_user'`). */
export const PRIVILEGE_LEVEL = /admin|owner|super|staff|moderator|manager|root|privileged|operator/i;

/** Names of callees that, given the principal or the request, probably decide access. */
export const ACCESS_CHECK_NAME = /authori[sz]|permi(?:t|ssion)|access|allow|ability|policy|guard|owner|ensure|assert|role|scope|can[A-Z]|^can$|isAdmin|forbid/i;

/**
 * Names of functions whose answer says whether a caller may act (`canEdit`, `mayPost`, `isAdminOrMod`, `hasPermission`,
 * `isAllowed`, `checkAccess`): given the caller, a rejection on their answer is an access decision. Narrower than
 * ACCESS_CHECK_NAME, which also names helpers that return a credential (`getAccessToken`) or assert input.
 */
export const ACCESS_DECISION_NAME = /^(?:can|may)(?:[A-Z_]|$)|^(?:is|has)_?(?:Admin|Administrator|Moderator|Mod|GlobalMod|Owner|Staff|Super_?[Uu]ser|Privilege|Permission|Access|Role|Scope|Allowed|Authori[sz]ed|Member)|^(?:check|verify)_?(?:Permission|Access|Privilege|Role|Scope|Owner)|^authori[sz]e$|^isAllowed|Allowed$/;

/** Rejections: Nest exceptions and http-errors that answer 401/403/404. */
export const REJECTION_NAMES = /Forbidden|Unauthori[sz]ed|NotFound|AccessDenied|PermissionDenied|NotAllowed|Authori[sz]ation/i;

/**
 * Assertions that throw when their first argument is falsy: Koa's `ctx.assert(cond, 403)` (http-assert),
 * Node's `assert(cond)` / `assert.ok(cond)`, `invariant(cond)`. A condition asserted this way rejects as an
 * `if (!cond) throw` does.
 */
export const ASSERTION_CALLS: ReadonlyArray<{ callee: string; receiver?: RegExp }> = [
  { callee: 'assert' },
  { callee: 'invariant' },
  { callee: 'ok', receiver: /^assert$/ },
];

/**
 * Request-scoped context stores: a middleware puts the request or its user there and code anywhere on
 * the request path reads it back (nestjs-cls `cls.get('user')`, cls-hooked `namespace.get('user')`,
 * `AsyncLocalStorage#getStore()`). What they hold is the caller's, as `req.user` is.
 */
export const REQUEST_CONTEXT_STORES: ReadonlyArray<{ packages: readonly string[]; methods: ReadonlySet<string> }> = [
  { packages: ['nestjs-cls'], methods: new Set(['get']) },
  { packages: ['cls-hooked', 'continuation-local-storage'], methods: new Set(['get']) },
  { packages: ['async_hooks', 'node:async_hooks'], methods: new Set(['getStore']) },
];

/** Members of a request-scoped context that hold the request itself (ever-gauzy's `RequestContext._req`). */
export const CONTEXT_REQUEST_MEMBERS = /^_?(?:req|request)$/;

/** Members of a request-scoped context that name the caller or the caller's tenant (`store.userId`, `ctx.tenantId`, `c.get('workspace')`). */
export const CONTEXT_PRINCIPAL_MEMBERS = /^(?:user|userId|user_id|currentUser|principal|auth|identity|claims|account|accountId|tenant|tenantId|tenant_id|organization|organizationId|orgId|workspace|workspaceId|team|teamId)$/;

/**
 * Request input that carries the caller's credential: a store keyed by it holds the caller (`tokenMap[token]`,
 * `sessions.get(sid)`). A product's own token header (`x-actual-token`) counts, an anti-forgery one (`x-csrf-token`) does not.
 */
export const CREDENTIAL_INPUT =
  /^input:(?:headers:(?:authorization|x-access-token|x-auth-token|x-session-token|token|x-(?!csrf-|xsrf-)[a-z0-9]+-token)|cookies:(?:token|access_token|accesstoken|jwt|auth|authorization|session|sid|connect\.sid))$/i;
