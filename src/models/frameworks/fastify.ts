/**
 * Fastify 4/5: route shorthands, hooks, plugin encapsulation and the auth plugins of the ecosystem.
 * Declarative knowledge only; the extractor is src/facts/routes/fastify.ts.
 */

export const FASTIFY_MODULES = new Set(['fastify']);

/** Shorthand route methods on an instance. */
export const FASTIFY_ROUTE_SHORTHANDS: Readonly<Record<string, readonly string[]>> = {
  get: ['GET'],
  head: ['HEAD'],
  post: ['POST'],
  put: ['PUT'],
  delete: ['DELETE'],
  options: ['OPTIONS'],
  patch: ['PATCH'],
  search: ['SEARCH'],
  propfind: ['PROPFIND'],
  all: ['ALL'],
};

/** Request hooks that run before the handler, in lifecycle order; auth lives in these. */
export const FASTIFY_REQUEST_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;
export type FastifyRequestHook = (typeof FASTIFY_REQUEST_HOOKS)[number];

/** Instance methods that return the instance, so calls can be chained (`app.register(a).register(b)`). */
export const FASTIFY_CHAINABLE = new Set(['register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'after', 'setErrorHandler', 'addSchema', 'addContentTypeParser']);

/** fastify-plugin: wrapping a plugin skips encapsulation (hooks and decorators land in the parent). */
export const FASTIFY_PLUGIN_WRAPPERS = new Set(['fastify-plugin']);

/** Registering the auto-loader turns every file of a folder into a plugin. */
export const FASTIFY_AUTOLOAD = new Set(['@fastify/autoload', 'fastify-autoload']);

export const FASTIFY_AUTH_COMBINATOR = new Set(['@fastify/auth', 'fastify-auth']);

/**
 * Plugins that, once registered, add an authentication hook to the registering context
 * (they are fastify-plugin wrapped) unless an option turns the hook off.
 */
export const FASTIFY_HOOK_PLUGINS: ReadonlyArray<{ module: string; hook: FastifyRequestHook; disabledBy?: { option: string; value: boolean }; reason: string }> = [
  { module: '@fastify/bearer-auth', hook: 'onRequest', disabledBy: { option: 'addHook', value: false }, reason: '@fastify/bearer-auth checks a bearer key on every request' },
  { module: 'fastify-bearer-auth', hook: 'onRequest', disabledBy: { option: 'addHook', value: false }, reason: 'fastify-bearer-auth checks a bearer key on every request' },
];

/** Decorators added by auth plugins, by the plugin module. */
export const FASTIFY_PLUGIN_DECORATORS: ReadonlyArray<{ module: string; decorator: string; kind: 'authentication'; reason: string }> = [
  { module: '@fastify/basic-auth', decorator: 'basicAuth', kind: 'authentication', reason: '@fastify/basic-auth validates credentials' },
  { module: 'fastify-basic-auth', decorator: 'basicAuth', kind: 'authentication', reason: 'fastify-basic-auth validates credentials' },
  { module: '@fastify/bearer-auth', decorator: 'verifyBearerAuth', kind: 'authentication', reason: '@fastify/bearer-auth checks a bearer key' },
  { module: '@fastify/jwt', decorator: 'jwt', kind: 'authentication', reason: '@fastify/jwt' },
];

/** Request decorators of @fastify/jwt that verify the token (namespaced forms end the same way). */
export const FASTIFY_JWT_VERIFY = /^(?:[a-z][A-Za-z0-9]*J|j)wtVerify$/;

/** Calls on `reply` that answer the request (a hook that never calls one of these and never throws lets requests through). */
export const FASTIFY_REPLY_SENDERS = new Set(['send', 'code', 'status', 'unauthorized', 'forbidden', 'redirect', 'callNotFound', 'hijack']);

/** Decorator calls that check roles or scopes (`fastify.guard.role('admin')` of fastify-guard). */
export const FASTIFY_AUTHORIZATION_CALLS: ReadonlyArray<{ module: string; decorator: string; methods: readonly string[]; reason: string }> = [
  { module: 'fastify-guard', decorator: 'guard', methods: ['role', 'scope'], reason: 'fastify-guard checks the role or scope of request.user' },
];

/** A condition on a credential that, when negated, guards an early `return` (the request continues without one). */
export const CREDENTIAL_CONDITION = /token|authori[sz]ation|header|bearer|cookie|session|api[-_]?key|credential|user|auth/i;
