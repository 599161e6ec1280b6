import { VERB_ROUTE_METHODS, type StackFrameworkModel } from './stack-model.js';

/**
 * Koa + @koa/router (auth-idioms B4): `app.use(mw)` in order; a router's `use` runs only for that
 * router's matched routes and only for routes declared after it; `parent.use('/p', child.routes())` nests;
 * `app.use(mount('/api', api))` (koa-mount) serves a whole app or router under a path, `mount(app)` under `/`.
 */
export const KOA_MODEL: StackFrameworkModel = {
  framework: 'koa',
  factories: [
    { modules: ['koa'], path: ['new'], role: 'app' },
    { modules: ['koa'], path: ['Koa', 'new'], role: 'app' },
    { modules: ['@koa/router', 'koa-router'], path: ['new'], role: 'router' },
    { modules: ['@koa/router', 'koa-router'], path: ['Router', 'new'], role: 'router' },
    { modules: ['@koa/router', 'koa-router'], path: ['()'], role: 'router' },
  ],
  routeMethods: { ...VERB_ROUTE_METHODS, del: ['DELETE'], head: ['HEAD'] },
  useMethod: 'use',
  useMatch: 'prefix',
  snapshotMounts: false,
  routerPrefixOption: 'prefix',
  prefixMethod: 'prefix',
  mountableUnwrap: ['routes', 'middleware'],
  mountWrappers: [{ modules: ['koa-mount'], path: [] }],
  plumbingMethods: ['allowedMethods'],
  listenMethods: ['listen'],
  serverFactories: [
    { modules: ['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2'], path: ['createServer', '()'] },
  ],
};
