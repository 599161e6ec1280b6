import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { extractFastifyRoutes } from '../../src/facts/routes/fastify.js';
import { compareRoutes, type RouteFact } from '../../src/facts/routes/index.js';

function fastifyRoutes(files: Record<string, string>): RouteFact[] {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
  return extractFastifyRoutes(project).sort(compareRoutes);
}

/** `GET /v1/users: onRequest:fastify.authenticate=authentication` */
function summary(route: RouteFact): string {
  const chain = route.chain.map((s) => `${s.phase}:${s.name.replace(/\(.*$/s, '')}=${s.kind}${s.optional ? '(optional)' : ''}`).join(', ');
  return `${route.methods.join('|')} ${route.path}: ${chain}`;
}

const AUTH_PLUGIN = `import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export default fp(async function authPlugin(fastify: FastifyInstance) {
  await fastify.register(fastifyJwt, { secret: process.env.JWT_SECRET! });
  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.send(err);
    }
  });
});
`;

describe('Fastify route model', () => {
  it('resolves prefixes across files and shares an fp plugin decorator with the parent', () => {
    const routes = fastifyRoutes({
      'src/app.ts': `import Fastify from 'fastify';
import authPlugin from './plugins/auth';
import userRoutes from './routes/users';
const app = Fastify({ logger: true });
app.register(authPlugin);
app.register(userRoutes, { prefix: '/v1/users' });
app.get('/health', async () => ({ ok: true }));
app.listen({ port: 3000, host: '0.0.0.0' });
`,
      'src/plugins/auth.ts': AUTH_PLUGIN,
      'src/routes/users.ts': `import type { FastifyPluginAsync } from 'fastify';
const userRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/', { onRequest: [fastify.authenticate] }, async () => []);
  fastify.route({ method: ['PUT', 'PATCH'], url: '/:id', preHandler: fastify.authenticate, handler: async () => ({}) });
  fastify.get('/count', async () => 0);
};
export default userRoutes;
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /health: ',
      'GET /v1/users: onRequest:fastify.authenticate=authentication',
      'PUT|PATCH /v1/users/:id: preHandler:fastify.authenticate=authentication',
      'GET /v1/users/count: ',
    ]);
    expect(routes[1]?.mounts.map((m) => m.prefix)).toEqual(['/v1/users']);
    expect(routes[1]?.mounts[0]?.file).toBe('src/app.ts');
    expect(routes[1]?.chain[0]?.reason).toMatch(/decorator 'authenticate'/);
    expect(routes[0]?.listeners.map((l) => l.address)).toEqual(["'0.0.0.0'"]);
  });

  it('scopes a context hook to its plugin and descendants, regardless of order; fp hooks reach the parent', () => {
    const routes = fastifyRoutes({
      'src/server.ts': `import fastify from 'fastify';
import fp from 'fastify-plugin';
const server = fastify();
server.register(async function publicApi(api) {
  api.get('/catalog', async () => []);
});
server.register(async function privateApi(api) {
  api.get('/orders', async () => []);
  api.register(async function nested(child) {
    child.post('/orders/:id/refund', async () => ({}));
  }, { prefix: '/admin' });
  api.addHook('onRequest', async (request) => {
    await request.jwtVerify();
  });
}, { prefix: '/api' });
server.register(fp(async function metrics(instance) {
  instance.addHook('onRequest', async (request) => { request.log.info('hit'); });
}));
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /catalog: onRequest:request.log.info=neutral',
      'GET /api/orders: onRequest:request.log.info=neutral, onRequest:request.jwtVerify=authentication',
      'POST /api/admin/orders/:id/refund: onRequest:request.log.info=neutral, onRequest:request.jwtVerify=authentication',
    ]);
    expect(routes[2]?.chain.map((s) => s.scope)).toEqual(['global', 'plugin']);
    expect(routes[2]?.owner).toBe('nested');
  });

  it('combines @fastify/auth alternatives: OR with an anonymous fallback is optional, AND authenticates', () => {
    const routes = fastifyRoutes({
      'src/index.ts': `import Fastify from 'fastify';
import fastifyAuth from '@fastify/auth';
const app = Fastify();
app.register(fastifyAuth);
app.decorate('verifyJWT', async (request, reply) => { await request.jwtVerify(); });
app.decorate('allowAnonymous', async () => {});
app.decorate('verifyAdmin', async (request, reply) => {
  if (!request.user.roles.includes('admin')) { reply.code(403).send({ error: 'forbidden' }); }
});
app.after(() => {
  app.get('/feed', { preHandler: app.auth([app.verifyJWT, app.allowAnonymous]) }, async () => []);
  app.delete('/feed/:id', { preHandler: app.auth([app.verifyJWT, app.verifyAdmin], { relation: 'and' }) }, async () => ({}));
  app.get('/me', { preHandler: app.auth([app.verifyJWT]) }, async () => ({}));
});
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /feed: preHandler:app.auth=authentication(optional)',
      'DELETE /feed/:id: preHandler:app.auth=authentication',
      'GET /me: preHandler:app.auth=authentication',
    ]);
    expect(routes[1]?.chain[0]?.authorizes).toBe(true);
  });

  it('follows onRoute hooks gated by a route config flag and records the flag as a public marker', () => {
    const routes = fastifyRoutes({
      'src/app.ts': `import Fastify from 'fastify';
import { verifyToken } from './verify';
const app = Fastify();
app.addHook('onRoute', (routeOptions) => {
  if (routeOptions.config?.public) return;
  routeOptions.onRequest = [verifyToken];
});
app.get('/status', { config: { public: true } }, async () => 'ok');
app.post('/payments', async () => ({}));
`,
      'src/verify.ts': `import jwt from 'jsonwebtoken';
export async function verifyToken(request, reply) {
  const token = request.headers.authorization?.replace('Bearer ', '');
  if (!token) return reply.code(401).send();
  request.user = jwt.verify(token, process.env.KEY);
}
`,
    });
    expect(routes.map(summary)).toEqual(['GET /status: ', 'POST /payments: onRequest:verifyToken=authentication']);
    expect(routes[0]?.publicMarkers.map((m) => [m.name, m.honoured])).toEqual([['config.public', true]]);
  });

  it('treats a fail-open hook and a helper that receives the instance correctly', () => {
    const routes = fastifyRoutes({
      'src/app.ts': `const fastify = require('fastify')({ logger: true });
const { registerAdminRoutes } = require('./admin');
fastify.addHook('preHandler', async (request) => {
  try {
    await request.jwtVerify();
  } catch (e) {
    request.log.debug('anonymous request');
  }
});
registerAdminRoutes(fastify);
`,
      'src/admin.js': `function registerAdminRoutes(app) {
  app.post('/admin/cache/flush', async () => ({}));
}
module.exports = { registerAdminRoutes };
`,
    });
    expect(routes.map(summary)).toEqual(['POST /admin/cache/flush: preHandler:inline hook =authentication(optional)']);
  });

  it('registers @fastify/bearer-auth as a context hook and loads route folders with @fastify/autoload', () => {
    const routes = fastifyRoutes({
      'src/app.ts': `import path from 'node:path';
import AutoLoad from '@fastify/autoload';
import type { FastifyPluginAsync } from 'fastify';
const app: FastifyPluginAsync = async (fastify, opts) => {
  fastify.register(AutoLoad, { dir: path.join(__dirname, 'plugins'), options: opts });
  fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: opts });
};
export default app;
`,
      'src/plugins/keys.ts': `import fp from 'fastify-plugin';
import bearerAuth from '@fastify/bearer-auth';
export default fp(async (fastify) => {
  fastify.register(bearerAuth, { keys: new Set([process.env.API_KEY!]) });
});
`,
      'src/routes/root.ts': `export default async function (fastify) {
  fastify.get('/', async () => ({ root: true }));
}
`,
      'src/routes/internal/jobs/index.ts': `export default async function (fastify) {
  fastify.post('/', async () => ({}));
}
`,
    });
    expect(routes.map(summary)).toEqual([
      'POST /internal/jobs: onRequest:@fastify/bearer-auth=authentication',
      'GET /: onRequest:@fastify/bearer-auth=authentication',
    ]);
  });

  it('reads early returns in a context hook: no credential continues, opt-in config, fastify-guard scopes', () => {
    const routes = fastifyRoutes({
      'src/server.ts': `import fastify from 'fastify';
import guard from 'fastify-guard';
import jwt from 'jsonwebtoken';
export async function createServer() {
  const app = fastify();
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization;
    if (!header) return;
    req.user = jwt.verify(header.replace('Bearer ', ''), process.env.SECRET);
  });
  app.register(guard, { requestProperty: 'user', scopeProperty: 'scopes' });
  app.register(async (scoped) => {
    scoped.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config?.requiresAuth) return;
      await request.jwtVerify();
    });
    scoped.get('/open', async () => 'x');
    scoped.get('/closed', { config: { requiresAuth: true } }, async () => 'y');
    scoped.post('/roles', { preHandler: [scoped.guard.scope('role:write')] }, async () => ({}));
  });
  return app;
}
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /open: onRequest:inline hook =authentication(optional), preHandler:inline hook =neutral',
      'GET /closed: onRequest:inline hook =authentication(optional), preHandler:inline hook =authentication',
      'POST /roles: onRequest:inline hook =authentication(optional), preHandler:inline hook =neutral, preHandler:scoped.guard.scope=authorization',
    ]);
  });

  it('reads route objects registered from a list', () => {
    const routes = fastifyRoutes({
      'src/server.js': `const fastify = require('fastify')();
const productRoutes = require('./routes/products');
const { authenticate } = require('./auth');
fastify.register(async (api) => {
  productRoutes.forEach((route) => api.route(route));
}, { prefix: '/api' });
for (const route of [{ method: 'GET', url: '/ping', handler: () => 'pong' }]) fastify.route(route);
`,
      'src/routes/products.js': `const { authenticate } = require('../auth');
module.exports = [
  { method: 'GET', url: '/products', handler: async () => [] },
  { method: 'POST', url: '/products', preHandler: [authenticate], handler: async (req) => req.body },
];
`,
      'src/auth.js': `const jwt = require('jsonwebtoken');
exports.authenticate = async (request, reply) => {
  request.user = jwt.verify(request.headers.authorization, process.env.KEY);
};
`,
    });
    expect(routes.map(summary)).toEqual(['GET /api/products: ', 'POST /api/products: preHandler:authenticate=authentication', 'GET /ping: ']);
    expect(routes[0]?.file).toBe('src/routes/products.js');
  });
  it('reads route shorthands chained on the instance (they return it), but not a map lookup chained the same way', () => {
    const routes = fastifyRoutes({
      'src/app.js': `const fastify = require('fastify')();
fastify.decorate('authPreHandler', async (request, reply) => { await request.jwtVerify(); });
fastify.register(async (scoped) => {
  scoped.addHook('preHandler', scoped.authPreHandler);
  scoped
    .post('/follow', { schema: {} }, async () => ({}))
    .post('/unfollow', { schema: {} }, async () => ({}))
    .get('/followers/me', async () => []);
  cache.get('key').get('/not-a-route', () => {});
}, { prefix: '/api/follow' });
`,
    });
    expect(routes.map((r) => `${r.methods.join('|')} ${r.path}`).sort()).toEqual(['GET /api/follow/followers/me', 'POST /api/follow/follow', 'POST /api/follow/unfollow']);
  });
});

describe('Fastify routes on a chain and plugins read before their registration', () => {
  const line = (route: RouteFact, text: string) => text.slice(0, route.start).split('\n').length;
  it('locates each route of an instance chain at its own method, and an unchained route at its call', () => {
    const text = `const fastify = require('fastify')();
fastify
  .post('/follow', { schema: {} }, async () => ({}))
  .get('/followers/me', async () => []);
fastify.get('/alone', async () => ({}));
`;
    const routes = fastifyRoutes({ 'src/app.js': text });
    expect(routes.map((r) => `${r.path}@${line(r, text)}`).sort()).toEqual(['/alone@5', '/follow@3', '/followers/me@4']);
    const alone = routes.find((r) => r.path === '/alone');
    expect(text.slice(alone?.start, alone?.end)).toBe(`fastify.get('/alone', async () => ({}))`);
  });
  it('lists a plugin once, under its prefix, when the file registering it sorts after it', () => {
    const plugin = `module.exports = async function (fastify) {
  fastify.addHook('preHandler', fastify.authPreHandler);
  fastify.post('/follow', {}, async () => ({}));
};
`;
    const app = (register: string) => `const fp = require('fastify-plugin');
module.exports = async function (fastify) {
  fastify.register(fp(async (f) => { f.decorate('authPreHandler', async (request) => { await request.jwtVerify(); }); }));
  ${register}
};
`;
    const once = fastifyRoutes({ 'follow/index.js': plugin, 'index.js': app(`fastify.register(require('./follow'), { prefix: '/api/follow' });`) });
    expect(once.map(summary)).toEqual(['POST /api/follow/follow: preHandler:fastify.authPreHandler=authentication']);
    // Near miss: registered twice under two prefixes, it is two routes; required but never registered, it keeps its unknown prefix.
    const twice = fastifyRoutes({ 'follow/index.js': plugin, 'index.js': app(`fastify.register(require('./follow'), { prefix: '/a' }).register(require('./follow'), { prefix: '/b' });`) });
    expect(twice.map((r) => r.path)).toEqual(['/a/follow', '/b/follow']);
    const unregistered = fastifyRoutes({ 'follow/index.js': plugin, 'index.js': app(`const follow = require('./follow');`) });
    expect(unregistered.map((r) => r.path)).toEqual(['/<unresolved>/follow']);
  });
});
