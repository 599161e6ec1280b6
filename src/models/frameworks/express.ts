import { VERB_ROUTE_METHODS, type StackFrameworkModel } from './stack-model.js';

/**
 * Express 4/5 (auth-idioms B1): apps from `express()`, routers from `express.Router()` / `Router()`;
 * `use` prefix-matches on segment boundaries; `router.use` reaches everything under the router's mount
 * path (middleware bleeding); registration order decides.
 */
export const EXPRESS_MODEL: StackFrameworkModel = {
  framework: 'express',
  factories: [
    { modules: ['express'], path: ['()'], role: 'app' },
    { modules: ['express'], path: ['Router', '()'], role: 'router' },
    { modules: ['express'], path: ['Router', 'new'], role: 'router' },
    { modules: ['router'], path: ['()'], role: 'router' },
  ],
  routeMethods: { ...VERB_ROUTE_METHODS, del: ['DELETE'], head: ['HEAD'] },
  useMethod: 'use',
  routeBuilder: 'route',
  useMatch: 'prefix',
  snapshotMounts: false,
  listenMethods: ['listen'],
  serverFactories: [
    { modules: ['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2', 'spdy'], path: ['createServer', '()'] },
  ],
};
