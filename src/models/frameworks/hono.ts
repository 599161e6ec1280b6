import { VERB_ROUTE_METHODS, type StackFrameworkModel } from './stack-model.js';

/**
 * Hono (auth-idioms B5): `new Hono()`, `basePath()` clones that share the routes, `app.route(path, sub)`
 * copies the sub-app's routes at call time; `use('/api/*')` matches `/api` and below, `use('/api')` only `/api`.
 * `OpenAPIHono#openapi(createRoute({ method, path, middleware }), handler)` registers a route described by an object.
 */
export const HONO_MODEL: StackFrameworkModel = {
  framework: 'hono',
  factories: [
    { modules: ['hono', 'hono/tiny', 'hono/quick'], path: ['Hono', 'new'], role: 'app' },
    { modules: ['@hono/zod-openapi'], path: ['OpenAPIHono', 'new'], role: 'app' },
  ],
  routeMethods: VERB_ROUTE_METHODS,
  routeConfigMethods: {
    openapi: {
      methodKey: 'method',
      pathKey: 'path',
      middlewareKey: 'middleware',
      builders: [{ modules: ['@hono/zod-openapi'], path: ['createRoute'] }],
      braceParams: true,
    },
  },
  useMethod: 'use',
  onMethod: 'on',
  mountMethod: 'route',
  basePathMethod: 'basePath',
  useMatch: 'exact-unless-wildcard',
  snapshotMounts: true,
  listenMethods: [],
  serveFunctions: [{ modules: ['@hono/node-server'], path: ['serve'] }],
};
