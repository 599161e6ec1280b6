/** How an app/router instance is created: package + export path (after `default`), e.g. express ['Router', '()']. */
export interface InstanceFactory {
  modules: readonly string[];
  path: readonly string[];
  role: 'app' | 'router';
}

/**
 * A route registered from a configuration object (`app.openapi(createRoute({ method, path, middleware }), handler)`):
 * the HTTP method, path and middleware are properties of the object, which is often built by an identity helper.
 */
export interface RouteConfigShape {
  methodKey: string;
  pathKey: string;
  /** Middleware run before the handler, a function or an array of them. */
  middlewareKey?: string;
  /** Helpers that return their argument (`createRoute` of @hono/zod-openapi). */
  builders: ReadonlyArray<{ modules: readonly string[]; path: readonly string[] }>;
  /** OpenAPI-style `{id}` path parameters stand for `:id`. */
  braceParams: boolean;
}

/**
 * A framework whose routes and middleware are registered by calls on app/router instances
 * (Express, Koa + @koa/router, Hono). The extractor in src/facts/routes/stack.ts reads these tables.
 */
export interface StackFrameworkModel {
  framework: 'express' | 'koa' | 'hono';
  factories: readonly InstanceFactory[];
  /** Instance method → HTTP methods it registers. */
  routeMethods: Readonly<Record<string, readonly string[]>>;
  /** Instance methods whose first argument describes the route (`openapi(route, handler)`), the handler second. */
  routeConfigMethods?: Readonly<Record<string, RouteConfigShape>>;
  useMethod: string;
  /** `app.on(['GET', 'POST'], path, …handlers)` (Hono). */
  onMethod?: string;
  /** `app.route(path)` returning a route builder (Express). */
  routeBuilder?: string;
  /** `app.route(path, sub)` mounting a sub-app (Hono). */
  mountMethod?: string;
  /** `app.basePath(p)` returning a prefixed view of the same app (Hono). */
  basePathMethod?: string;
  /** `prefix`: a use path covers everything under it; `exact-unless-wildcard`: Hono's `/x` vs `/x/*`. */
  useMatch: 'prefix' | 'exact-unless-wildcard';
  /** Mounting copies the sub-app's registrations made so far (Hono). */
  snapshotMounts: boolean;
  /** Router constructor option holding a prefix (`new Router({ prefix })`). */
  routerPrefixOption?: string;
  /** `router.prefix('/v1')`. */
  prefixMethod?: string;
  /** `router.routes()` is what gets mounted (Koa). */
  mountableUnwrap?: readonly string[];
  /** Calls that wrap what `use` mounts, with an optional path first: `app.use(mount('/api', api))` (koa-mount). */
  mountWrappers?: ReadonlyArray<{ modules: readonly string[]; path: readonly string[] }>;
  /** Instance methods whose result is plumbing, not a chain step (`router.allowedMethods()`). */
  plumbingMethods?: readonly string[];
  listenMethods: readonly string[];
  /** `http.createServer(app)` wraps an app into a server. */
  serverFactories?: ReadonlyArray<{ modules: readonly string[]; path: readonly string[] }>;
  /** `serve({ fetch: app.fetch, port })` (@hono/node-server). */
  serveFunctions?: ReadonlyArray<{ modules: readonly string[]; path: readonly string[] }>;
}

/** Router methods named after the HTTP verbs they register, common to Express, Koa and Hono. */
export const VERB_ROUTE_METHODS: Readonly<Record<string, readonly string[]>> = {
  get: ['GET'],
  post: ['POST'],
  put: ['PUT'],
  patch: ['PATCH'],
  delete: ['DELETE'],
  options: ['OPTIONS'],
  all: ['ALL'],
};
