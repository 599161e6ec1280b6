import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import type { ProjectSettings } from '../../src/core/types.js';
import { EXPRESS_EXTRACTOR } from '../../src/facts/routes/express.js';
import { HONO_EXTRACTOR } from '../../src/facts/routes/hono.js';
import { KOA_EXTRACTOR } from '../../src/facts/routes/koa.js';
import { extractRoutes, ROUTES } from '../../src/facts/routes/index.js';
import type { RouteExtractor, RouteFact } from '../../src/facts/routes/types.js';

function routesOf(extractor: RouteExtractor, files: Record<string, string>, settings: ProjectSettings = {}): string[] {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const project = new AnalysisProject('/repo', settings, source);
  for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
  return extractRoutes(project, [extractor]).map(summary);
}

function summary(route: RouteFact): string {
  const chain = route.chain.map((s) => `${s.name}=${s.kind}${s.optional ? '(optional)' : ''}`).join(', ');
  return `${route.methods.join('|')} ${route.path}: ${chain}`;
}

const AUTH_MODULE = `import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  const token = req.headers.authorization?.replace('Bearer ', '');
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  try { req.user = jwt.verify(token, process.env.JWT_SECRET); next(); } catch { res.sendStatus(401); }
}
export const requireRole = (role) => (req, res, next) => (req.user?.role === role ? next() : res.sendStatus(403));
`;

describe('Express routes', () => {
  it('honours registration order, path-scoped use and route-level middleware', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        'src/middleware/auth.ts': AUTH_MODULE,
        'src/app.ts': `import express from 'express';
import helmet from 'helmet';
import { requireAuth, requireRole } from './middleware/auth';
const app = express();
app.use(helmet());
app.get('/health', (req, res) => res.send('ok'));
app.use('/api', requireAuth);
app.get('/api/orders', (req, res) => res.json([]));
app.delete('/api/orders/:id', requireRole('admin'), (req, res) => res.end());
app.get('/apix', (req, res) => res.end());
app.route('/api/items').get((req, res) => res.end()).post([requireRole('editor')], (req, res) => res.end());
app.listen(3000);
`,
      }),
    ).toEqual([
      'GET /health: helmet()=neutral',
      'GET /api/orders: helmet()=neutral, requireAuth=authentication',
      "DELETE /api/orders/:id: helmet()=neutral, requireAuth=authentication, requireRole('admin')=authorization",
      'GET /apix: helmet()=neutral',
      'GET /api/items: helmet()=neutral, requireAuth=authentication',
      "POST /api/items: helmet()=neutral, requireAuth=authentication, requireRole('editor')=authorization",
    ]);
  });

  it('resolves routers from other modules, mount prefixes and router-level middleware bleeding', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        'src/middleware/auth.ts': AUTH_MODULE,
        'src/routes/internal.ts': `import { Router } from 'express';
const router = Router();
router.post('/refunds', (req, res) => res.end());
export default router;
`,
        'src/routes/account.ts': `const express = require('express');
const { requireAuth } = require('../middleware/auth');
const router = express.Router();
router.get('/public-profile', (req, res) => res.end());
router.use(requireAuth);
router.get('/me', (req, res) => res.end());
module.exports = router;
`,
        'src/routes/billing.ts': `import { Router } from 'express';
export const billingRouter = Router();
billingRouter.get('/invoices', (req, res) => res.end());
`,
        'src/app.ts': `import express from 'express';
import internalRouter from './routes/internal';
import { billingRouter } from './routes/billing';
const accountRouter = require('./routes/account');
const app = express();
app.use('/internal', internalRouter);
app.use('/', accountRouter);
app.use('/', billingRouter);
app.listen(8080);
`,
      }),
    ).toEqual([
      'GET /public-profile: ',
      'GET /me: requireAuth=authentication',
      'GET /invoices: requireAuth=authentication',
      'POST /internal/refunds: ',
    ]);
  });

  it('follows routers registered through a function that receives the app, and loops over route tables', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        'src/middleware/auth.ts': AUTH_MODULE,
        'src/routes/users.ts': `import express from 'express';
import { requireAuth } from '../middleware/auth';
const router = express.Router();
router.get('/', requireAuth, (req, res) => res.end());
export default router;
`,
        'src/routes/docs.ts': `import express from 'express';
const router = express.Router();
router.get('/', (req, res) => res.end());
export default router;
`,
        'src/routes/index.ts': `import express from 'express';
import usersRoute from './users';
import docsRoute from './docs';
const router = express.Router();
const defaultRoutes = [
  { path: '/users', route: usersRoute },
  { path: '/docs', route: docsRoute },
];
defaultRoutes.forEach((route) => {
  router.use(route.path, route.route);
});
export default router;
`,
        'src/register.ts': `export function registerAdmin(app) {
  app.post('/admin/cache/flush', (req, res) => res.end());
}
`,
        'src/app.ts': `import express from 'express';
import routes from './routes';
import { registerAdmin } from './register';
const app = express();
app.use('/v1', routes);
registerAdmin(app);
`,
      }),
    ).toEqual(['POST /admin/cache/flush: ', 'GET /v1/docs: ', 'GET /v1/users: requireAuth=authentication']);
  });
});

describe('Express routes in classes', () => {
  it('follows this.app / this.router members and routers exported as class instances', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        'src/middleware/auth.ts': AUTH_MODULE,
        'src/routes/user.routes.ts': `import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
class UserRoutes {
  public router = Router();
  constructor() {
    this.router.get('/me', requireAuth, (req, res) => res.json({}));
    this.router.get('/count', (req, res) => res.json(1));
  }
}
export default new UserRoutes().router;
`,
        'src/app.ts': `import express, { Application } from 'express';
import userRoutes from './routes/user.routes';
class App {
  public app: Application;
  constructor() {
    this.app = express();
    this.routes();
  }
  private routes(): void {
    this.app.get('/health', (req, res) => res.send('ok'));
    this.app.use('/users', userRoutes);
  }
}
export default new App().app;
`,
      }),
    ).toEqual(['GET /health: ', 'GET /users/me: requireAuth=authentication', 'GET /users/count: ']);
  });
});

describe('Koa routes', () => {
  it('scopes router middleware to the router and follows prefixes and nesting', () => {
    expect(
      routesOf(KOA_EXTRACTOR, {
        'src/app.ts': `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const app = new Koa();
const api = new Router({ prefix: '/api' });
const admin = new Router();
api.get('/status', (ctx) => { ctx.body = 'ok'; });
api.use(jwt({ secret: 's' }));
api.get('/orders', (ctx) => { ctx.body = []; });
admin.post('/reindex', (ctx) => { ctx.body = 'ok'; });
api.use('/admin', admin.routes());
const pub = new Router();
pub.get('/open', (ctx) => { ctx.body = 'x'; });
app.use(api.routes()).use(api.allowedMethods());
app.use(pub.routes());
app.listen(3000);
`,
      }),
    ).toEqual(['GET /api/status: ', 'GET /api/orders: jwt({ secret: \'s\' })=authentication', "POST /api/admin/reindex: jwt({ secret: 's' })=authentication", 'GET /open: ']);
  });
});

describe('Koa apps mounted with koa-mount', () => {
  it("serves a sub-app's routes under the mount path, with the outer app's middleware before the sub-app's", () => {
    expect(
      routesOf(KOA_EXTRACTOR, {
        'src/api.ts': `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
const api = new Koa();
const router = new Router();
router.post('documents.list', (ctx) => { ctx.body = []; });
api.use(jwt({ secret: 's' }));
api.use(router.routes());
export default api;
`,
        'src/pages.ts': `import Router from 'koa-router';
const pages = new Router();
pages.get('/robots.txt', (ctx) => { ctx.body = ''; });
export default pages;
`,
        'src/web.ts': `import Koa from 'koa';
import mount from 'koa-mount';
import helmet from 'koa-helmet';
import api from './api';
import pages from './pages';
export default function init(app: Koa = new Koa()) {
  app.use(helmet());
  app.use(mount('/api', api));
  app.use(mount(pages.routes()));
  return app;
}
`,
      }),
    ).toEqual(["POST /api/documents.list: helmet()=neutral, jwt({ secret: 's' })=authentication", 'GET /robots.txt: helmet()=neutral']);
  });
});

describe('Koa middleware packages that check no credential', () => {
  it('koa-useragent, koa-sslify and a repository middleware that only sets koa-helmet headers are neutral, not unknown', () => {
    expect(
      routesOf(KOA_EXTRACTOR, {
        'src/csp.ts': `import { contentSecurityPolicy } from 'koa-helmet';
export default function csp() {
  return async function cspMiddleware(ctx, next) {
    await next();
    if (!ctx.res.headersSent) await contentSecurityPolicy({ directives: { defaultSrc: ["'self'"] } })(ctx, async () => undefined);
  };
}
`,
        'src/app.ts': `import Koa from 'koa';
import Router from 'koa-router';
import userAgent from 'koa-useragent';
import enforceHttps from 'koa-sslify';
import csp from './csp';
const app = new Koa();
const router = new Router();
router.get('/sitemap.xml', (ctx) => { ctx.body = ''; });
app.use(enforceHttps({ port: 443 }));
app.use(userAgent);
app.use(csp());
app.use(router.routes());
app.listen(3000);
`,
      }),
    ).toEqual(['GET /sitemap.xml: enforceHttps({ port: 443 })=neutral, userAgent=neutral, csp()=neutral']);
  });
});

describe('Koa routers handed to route functions as a rest tuple and mounted in a loop (logto)', () => {
  it('binds ...[router, tenant] to the call arguments and mounts every router of a returned array', () => {
    expect(
      routesOf(KOA_EXTRACTOR, {
        'src/routes/resource.ts': `import Router from 'koa-router';
export default function resourceRoutes<T extends Router>(...[router, { id }]: [T, { id: string }]) {
  router.get('/resources', (ctx) => { ctx.body = id; });
}
`,
        'src/routes/init.ts': `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
import resourceRoutes from './resource';
const createRouters = (tenant: { id: string }) => {
  const managementRouter = new Router();
  managementRouter.use(jwt({ secret: 's' }));
  resourceRoutes(managementRouter, tenant);
  const statusRouter = new Router();
  statusRouter.get('/status', (ctx) => { ctx.body = 'ok'; });
  return [managementRouter, statusRouter];
};
export default function initApis(tenant: { id: string }) {
  const apis = new Koa();
  for (const router of createRouters(tenant)) {
    apis.use(router.routes()).use(router.allowedMethods());
  }
  return apis;
}
`,
        'src/main.ts': `import Koa from 'koa';
import mount from 'koa-mount';
import initApis from './routes/init';
const app = new Koa();
app.use(mount('/api', initApis({ id: 'default' })));
app.listen(3000);
`,
      }),
    ).toEqual(['GET /api/status: ', "GET /api/resources: jwt({ secret: 's' })=authentication"]);
  });
});

describe('A Koa app given as a parameter with a default', () => {
  it('is the app of every caller that passes one, and the default only when none is passed', () => {
    expect(
      routesOf(KOA_EXTRACTOR, {
        'src/api.ts': `import Koa from 'koa';
import Router from 'koa-router';
const api = new Koa();
const router = new Router();
router.post('documents.list', (ctx) => { ctx.body = []; });
api.use(router.routes());
export default api;
`,
        'src/web.ts': `import Koa from 'koa';
import mount from 'koa-mount';
import api from './api';
export function init(app: Koa = new Koa()) {
  app.use(mount('/api', api));
  return app;
}
`,
        'src/main.ts': `import Koa from 'koa';
import jwt from 'koa-jwt';
import { init } from './web';
const main = new Koa();
main.use(jwt({ secret: 's' }));
init(main);
main.listen(3000);
`,
      }),
    ).toEqual(["POST /api/documents.list: jwt({ secret: 's' })=authentication"]);
  });
});

describe('Hono routes', () => {
  it('honours wildcard use paths, route snapshots and basePath', () => {
    expect(
      routesOf(HONO_EXTRACTOR, {
        'src/app.ts': `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
const app = new Hono();
const api = new Hono().basePath('/v1');
api.get('/orders', (c) => c.json([]));
const late = new Hono();
late.get('/report', (c) => c.text('x'));
app.use('/api/*', jwt({ secret: 's', alg: 'HS256' }));
app.route('/api', api);
app.route('/late', late);
app.use('/late/*', jwt({ secret: 's', alg: 'HS256' }));
app.get('/api', (c) => c.text('root'));
app.use('/exact', jwt({ secret: 's', alg: 'HS256' }));
app.get('/exact/child', (c) => c.text('x'));
export default app;
`,
      }),
    ).toEqual([
      "GET /api/v1/orders: jwt({ secret: 's', alg: 'HS256' })=authentication",
      'GET /late/report: ',
      "GET /api: jwt({ secret: 's', alg: 'HS256' })=authentication",
      'GET /exact/child: ',
    ]);
  });

  it('reads method-conditional checks, delegation to a library middleware and createMiddleware wrappers', () => {
    expect(
      routesOf(HONO_EXTRACTOR, {
        'src/app.ts': `import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { createMiddleware } from 'hono/factory';
const app = new Hono();
const writes = new Hono();
writes.use('/posts/*', async (c, next) => {
  if (c.req.method !== 'GET') {
    const auth = basicAuth({ username: 'u', password: 'p' });
    return auth(c, next);
  }
  await next();
});
const requireKey = createMiddleware(async (c, next) => {
  if (c.req.header('x-api-key') !== 'k') return c.text('no', 401);
  await next();
});
app.route('/api', writes);
app.get('/api/posts/:id', (c) => c.json({}));
app.delete('/api/posts/:id', (c) => c.json({}));
app.post('/keys/rotate', requireKey, (c) => c.json({}));
export default app;
`,
      }),
    ).toEqual(['GET /api/posts/:id: ', 'DELETE /api/posts/:id: inline function=authentication', 'POST /keys/rotate: requireKey=authentication']);
  });
});

describe('handler evidence', () => {
  it("reads the caller's identity at the start of a member chain, through calls in the chain, and not from other roots", () => {
    const files: Record<string, string> = {
      '/repo/app.js': [
        "const express = require('express');",
        'const app = express();',
        "app.get('/a', (req, res) => res.json(req.user.profile().name));",
        "app.get('/b', (req, res) => res.json(store.req.user.name));",
        "app.get('/c', (req, res) => res.json(this.request.user));",
        "app.get('/d', (req, res) => res.json(ctx.req.headers.authorization));",
        "app.get('/e', (req, res) => res.json(req.headers.authorization));",
      ].join('\n'),
    };
    const project = new AnalysisProject('/repo', {}, { read: (p) => files[p], exists: (p) => p in files });
    for (const [p, text] of Object.entries(files)) project.addFile(p, text);
    const identity = Object.fromEntries(project.projectFact(ROUTES).map((r) => [r.path, r.handlerEvidence?.identity]));
    expect(identity).toEqual({
      '/a': 'reads req.user.profile().name at app.js:3',
      '/b': undefined,
      '/c': undefined,
      '/d': undefined,
      '/e': 'reads req.headers.authorization at app.js:7',
    });
  });
});

describe('Express routes registered by helper functions of the repository (NodeBB)', () => {
  const MIDDLEWARE = `const jwt = require('jsonwebtoken');
const middleware = module.exports;
middleware.authenticateRequest = function (req, res, next) { if (req.headers.authorization) req.uid = jwt.verify(req.headers.authorization, process.env.S).uid; next(); };
middleware.ensureLoggedIn = function (req, res, next) { if (!req.uid) return res.sendStatus(401); next(); };
middleware.busyCheck = function (req, res, next) { next(); };
`;
  const HELPERS = `const middleware = require('./middleware');
const helpers = module.exports;
helpers.setupPageRoute = function (...args) {
  const [router, name] = args;
  let middlewares = args.length > 3 ? args[args.length - 2] : [];
  const controller = args[args.length - 1];
  middlewares = [middleware.authenticateRequest, ...middlewares];
  router.get(name, middleware.busyCheck, middlewares, controller);
  router.get(\`/api\${name}\`, middlewares, controller);
};
helpers.setupApiRoute = function (router, verb, name, middlewares, controller) {
  router[verb](name, middleware.authenticateRequest, middlewares, controller);
};
helpers.addHealth = function (router, handler) {
  router.get('/health', handler);
};
`;

  function located(files: Record<string, string>): string[] {
    const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
    const project = new AnalysisProject('/repo', {}, { read: (p) => abs[p], exists: (p) => p in abs });
    for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
    return extractRoutes(project, [EXPRESS_EXTRACTOR]).map((route) => {
      const sf = project.files().find((f) => f.relPath === route.file)?.sourceFile;
      const line = sf ? sf.getLineAndCharacterOfPosition(route.start).line + 1 : 0;
      return `${summary(route)} @${route.file}:${line}`;
    });
  }

  it('registers one route per call of the helper, with the path, method and middleware of that call, shown at the call', () => {
    expect(
      located({
        'src/middleware.js': MIDDLEWARE,
        'src/helpers.js': HELPERS,
        'src/routes.js': `const express = require('express');
const helpers = require('./helpers');
const middleware = require('./middleware');
const { setupPageRoute } = helpers;
module.exports = function (params) {
  const { router } = params;
  setupPageRoute(router, '/login', (req, res) => res.send('login'));
  setupPageRoute(router, '/unread', [middleware.ensureLoggedIn], (req, res) => res.send('unread'));
  helpers.setupApiRoute(router, 'delete', '/users/:uid', [middleware.ensureLoggedIn], (req, res) => res.end());
};
`,
        'src/app.js': `const express = require('express');
const routes = require('./routes');
const app = express();
const router = express.Router();
routes({ router });
app.use('/', router);
app.listen(3000);
`,
      }),
    ).toEqual([
      'GET /api/login: middleware.authenticateRequest=authentication(optional) @src/routes.js:7',
      'GET /login: middleware.busyCheck=neutral, middleware.authenticateRequest=authentication(optional) @src/routes.js:7',
      'GET /api/unread: middleware.authenticateRequest=authentication(optional), middleware.ensureLoggedIn=authentication @src/routes.js:8',
      'GET /unread: middleware.busyCheck=neutral, middleware.authenticateRequest=authentication(optional), middleware.ensureLoggedIn=authentication @src/routes.js:8',
      'DELETE /users/:uid: middleware.authenticateRequest=authentication(optional), middleware.ensureLoggedIn=authentication @src/routes.js:9',
    ]);
  });

  it('reads router.all(path, …) whose functions all call next(), or whose Express 4 pattern has a star inside, as middleware, and one with a handler as a route', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        'src/app.js': `const express = require('express');
const app = express();
function prepareAPI(req, res, next) { res.locals.isAPI = true; next(); }
function redirectBySlug(req, res) { res.redirect('/users/' + req.params.slug); }
app.all('/+ready', prepareAPI);
app.all('(/+api|/+api/*?)', redirectBySlug);
app.all('/+bySlug/:slug*?', redirectBySlug);
app.all('/+bySlug/:slug', redirectBySlug);
app.get('/api/config', (req, res) => res.json({}));
app.listen(3000);
`,
      }),
    ).toEqual(['ALL /+bySlug/:slug: redirectBySlug=neutral', 'GET /api/config: ']);
  });

  it('keeps a helper route with a path of its own where it is written, and finds nothing when no caller passes a router', () => {
    expect(
      located({
        'src/middleware.js': MIDDLEWARE,
        'src/helpers.js': HELPERS,
        'src/app.js': `const express = require('express');
const helpers = require('./helpers');
const cache = new Map();
const app = express();
helpers.addHealth(app, (req, res) => res.send('ok'));
helpers.setupPageRoute(cache, '/not-a-route', (req, res) => res.end());
app.listen(3000);
`,
      }),
    ).toEqual(['GET /health:  @src/helpers.js:15']);
  });
});

describe('Express middleware passed to the function that registers the routes (NodeBB)', () => {
  const MIDDLEWARE = `const middleware = module.exports;
middleware.ensureLoggedIn = function (req, res, next) { if (!req.loggedIn) return res.sendStatus(401); setImmediate(next); };
middleware.busyCheck = function (req, res, next) { if (process.env.BUSY) res.sendStatus(503); else process.nextTick(next); };
Object.assign(middleware, { admin: require('./admin'), ...require('./header') });
require('./user')(middleware);
require('./headers')(middleware);
`;
  const USER = `const jwt = require('jsonwebtoken');
const helpers = require('./helpers');
module.exports = function (middleware) {
  middleware.authenticateRequest = helpers.try(async (req, res, next) => {
    const token = req.headers.authorization;
    if (!token) return res.sendStatus(401);
    req.uid = jwt.verify(token, process.env.SECRET).uid;
    next();
  });
};
`;
  const HELPERS = `module.exports.try = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
`;
  const HEADERS = `module.exports = function (middleware) {
  middleware.addHeaders = function (req, res, next) { res.set('X-Powered-By', 'forum'); next(); };
};
`;
  const ADMIN = `module.exports.checkPrivileges = function (req, res, next) { if (!req.uid) return res.sendStatus(401); next(); };
`;
  const HEADER = `module.exports = { buildHeader: function (req, res, next) { res.locals.header = true; next(); } };
`;

  /** The middleware object built by mixins, as both tests hand it to route modules. */
  const MIDDLEWARE_MODULES = {
    'src/middleware/index.js': MIDDLEWARE,
    'src/middleware/user.js': USER,
    'src/middleware/helpers.js': HELPERS,
    'src/middleware/headers.js': HEADERS,
    'src/middleware/admin.js': ADMIN,
    'src/middleware/header.js': HEADER,
  };

  it('resolves the members a required module adds to the exports object, and the middleware object the callers pass', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        ...MIDDLEWARE_MODULES,
        'src/routes/index.js': `const routes = {};
routes.main = (app, middleware) => {
  app.get('/unread', middleware.authenticateRequest, (req, res) => res.json([]));
  app.get('/admin/users', middleware.admin.checkPrivileges, middleware.buildHeader, (req, res) => res.json([]));
  app.post('/compose', middleware.addHeaders, (req, res) => res.status(201).end());
};
function addCoreRoutes(app, middleware) {
  routes.main(app, middleware);
}
module.exports = async function (app, middleware) {
  app.get('/me', middleware.busyCheck, middleware.ensureLoggedIn, (req, res) => res.json({}));
  addCoreRoutes(app, middleware);
};
`,
        'src/webserver.js': `const express = require('express');
const routes = require('./routes');
const app = express();
async function setupExpressApp() {
  const middleware = require('./middleware');
  await routes(app, middleware);
}
setupExpressApp();
app.listen(4567);
`,
      }),
    ).toEqual([
      'GET /unread: middleware.authenticateRequest=authentication',
      'GET /admin/users: middleware.admin.checkPrivileges=authentication, middleware.buildHeader=neutral',
      'POST /compose: middleware.addHeaders=neutral',
      'GET /me: middleware.busyCheck=neutral, middleware.ensureLoggedIn=authentication',
    ]);
  });

  it('finds the callers of a route module kept under a key of an object literal (_mounts.api(router, middleware))', () => {
    expect(
      routesOf(EXPRESS_EXTRACTOR, {
        ...MIDDLEWARE_MODULES,
        'src/routes/api.js': `const express = require('express');
module.exports = function (app, middleware) {
  const router = express.Router();
  app.use('/api', router);
  router.get('/self', middleware.authenticateRequest, (req, res) => res.json({}));
  router.post('/upload', middleware.addHeaders, (req, res) => res.status(201).end());
};
`,
        'src/routes/index.js': `const mounts = { api: require('./api'), feeds: require('./feeds') };
module.exports = function (app, middleware) {
  mounts.api(app, middleware);
};
`,
        'src/routes/feeds.js': 'module.exports = function (app) {};\n',
        'src/webserver.js': `const express = require('express');
const routes = require('./routes');
const detector = require('@nodebb/spider-detector');
const app = express();
app.use(detector.middleware());
const middleware = require('./middleware');
routes(app, middleware);
app.listen(4567);
`,
      }),
    ).toEqual(['GET /api/self: detector.middleware()=neutral, middleware.authenticateRequest=authentication', 'POST /api/upload: detector.middleware()=neutral, middleware.addHeaders=neutral']);
  });
});
