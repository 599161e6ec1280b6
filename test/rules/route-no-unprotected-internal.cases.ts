import type { RuleCases } from '../support/rule-cases.js';

const AUTH_MIDDLEWARE = `import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  const header = req.headers.authorization;
  if (!header) return res.status(401).json({ error: 'missing token' });
  try {
    req.user = jwt.verify(header.slice(7), process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'] });
    next();
  } catch {
    res.status(401).json({ error: 'invalid token' });
  }
}
export const requireRole = (role) => (req, res, next) => (req.user?.roles?.includes(role) ? next() : res.sendStatus(403));
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'internal router protected by its own router-level middleware',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const internal = express.Router();
internal.use(requireAuth);
internal.post('/refunds', (req, res) => res.json({ ok: true }));
const app = express();
app.use('/internal', internal);
`,
    },
    {
      name: 'app-level authentication registered before the admin routes',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.use(requireAuth);
app.get('/admin/users', (req, res) => res.json([]));
`,
    },
    {
      name: 'health probe under an internal prefix',
      code: `import express from 'express';
const app = express();
app.get('/internal/health', (req, res) => res.send('ok'));
`,
    },
    {
      name: 'admin route guarded by a role check that rejects anonymous callers',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireRole } from './middleware/auth';
const app = express();
app.delete('/admin/users/:id', requireRole('admin'), (req, res) => res.end());
`,
    },
    {
      name: 'middleware from an unknown package whose name says authentication',
      code: `import express from 'express';
import { checkJwt } from '@acme/platform-auth';
const app = express();
app.post('/internal/reindex', checkJwt, (req, res) => res.end());
`,
    },
    {
      name: 'middleware declared as authentication in the configuration',
      settings: { authenticationMiddleware: ['mtlsGate'] },
      code: `import express from 'express';
import { mtlsGate } from '@acme/mesh';
const app = express();
app.use('/ops', mtlsGate());
app.post('/ops/drain', (req, res) => res.end());
`,
    },
    {
      name: 'Hono internal sub-app mounted after a wildcard jwt middleware',
      code: `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
const internal = new Hono();
internal.post('/refunds', (c) => c.json({ ok: true }));
const app = new Hono();
app.use('/internal/*', jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' }));
app.route('/internal', internal);
export default app;
`,
    },
    {
      name: 'Koa admin router with koa-jwt before its routes',
      code: `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const admin = new Router({ prefix: '/admin' });
admin.use(jwt({ secret: process.env.JWT_SECRET }));
admin.post('/reindex', (ctx) => { ctx.body = 'ok'; });
const app = new Koa();
app.use(admin.routes());
`,
    },
    {
      name: 'a public route that is not internal',
      code: `import express from 'express';
const app = express();
app.get('/products', (req, res) => res.json([]));
`,
    },
    {
      name: 'issue 10: a login under /admin is how administrators get a credential; a file named admin-tools says nothing about the path',
      files: {
        'src/routes/admin-tools.ts': `import { Router } from 'express';
export const adminTools = Router();
adminTools.get('/tags', (req, res) => res.json([]));
`,
      },
      code: `import express from 'express';
import passport from 'passport';
import { adminTools } from './routes/admin-tools';
const app = express();
app.post('/api/auth/admin/login', passport.authenticate('local'), (req, res) => res.json({ ok: true }));
app.post('/admin/sign-in', (req, res) => res.json({ token: 't' }));
app.use('/tools', adminTools);
`,
    },
    {
      name: "the published OpenAPI description of the management API is a document, not the internal API (logto's well-known routes)",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/.well-known/management.openapi.json', (req, res) => res.json({ openapi: '3.0.1' }));
app.use('/management', requireAuth);
`,
    },
  ],
  invalid: [
    {
      name: 'a description served under the internal API path is still internal',
      code: `import express from 'express';
const app = express();
app.get('/management/openapi.json', (req, res) => res.json({ openapi: '3.0.1' }));
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1, data: { route: 'GET /management/openapi.json' } }],
    },
    {
      name: 'an internal route registered by two calls is one finding',
      code: `import express from 'express';
const app = express();
app.post('/internal/refunds', (req, res, next) => (req.body ? next() : res.sendStatus(400)));
app.post('/internal/refunds', (req, res) => res.json({ refunded: true }));
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1, data: { route: 'POST /internal/refunds' } }],
    },
    {
      name: 'internal refunds endpoint without any authentication',
      code: `import express from 'express';
const app = express();
app.use(express.json());
app.post('/internal/refunds', (req, res) => res.json({ refunded: true }));
`,
      errors: [{ messageId: 'noAuthentication', line: 4, column: 1, data: { route: 'POST /internal/refunds' } }],
    },
    {
      name: 'admin route registered before app-level authentication',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/admin/stats', (req, res) => res.json({}));
app.use(requireAuth);
app.get('/admin/users', (req, res) => res.json([]));
`,
      errors: [{ messageId: 'noAuthentication', line: 4, column: 1, data: { route: 'GET /admin/stats' } }],
    },
    {
      name: 'router built in this module and mounted under /internal in another',
      filename: 'src/routes/refunds.ts',
      files: {
        'src/app.ts': `import express from 'express';
import refunds from './routes/refunds';
const app = express();
app.use('/internal', refunds);
app.listen(8080);
`,
      },
      code: `import { Router } from 'express';
const router = Router();
router.post('/refunds', (req, res) => res.json({ ok: true }));
export default router;
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1, data: { route: 'POST /internal/refunds' } }],
    },
    {
      name: 'express-jwt with credentialsRequired false on the admin API',
      code: `import express from 'express';
import { expressjwt } from 'express-jwt';
const app = express();
app.use('/admin', expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ['HS256'], credentialsRequired: false }));
app.post('/admin/feature-flags', (req, res) => res.end());
`,
      errors: [{ messageId: 'optionalAuthentication', line: 5, column: 1 }],
    },
    {
      name: 'second listener for internal traffic',
      code: `import express from 'express';
const internalApp = express();
internalApp.post('/cache/flush', (req, res) => res.end());
internalApp.listen(process.env.INTERNAL_PORT ?? 9090);
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1 }],
    },
    {
      name: 'Hono admin sub-app mounted before the wildcard jwt middleware',
      code: `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
const admin = new Hono();
admin.post('/users/:id/ban', (c) => c.json({ ok: true }));
const app = new Hono();
app.route('/admin', admin);
app.use('/admin/*', jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' }));
export default app;
`,
      errors: [{ messageId: 'noAuthentication', line: 4, column: 1, data: { route: 'POST /admin/users/:id/ban' } }],
    },
    {
      name: 'Koa debug route declared before the router middleware',
      code: `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const router = new Router();
router.get('/debug/config', (ctx) => { ctx.body = process.env; });
router.use(jwt({ secret: process.env.JWT_SECRET }));
router.get('/orders', (ctx) => { ctx.body = []; });
const app = new Koa();
app.use(router.routes());
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, data: { route: 'GET /debug/config' } }],
    },
    {
      name: 'internal path configured in settings',
      settings: { internalRoutes: ['/backstage/**'] },
      code: `import express from 'express';
const app = express();
app.post('/backstage/reindex', (req, res) => res.end());
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1 }],
    },
    {
      name: 'issue 10 near miss: a router served under /admin is internal by its path',
      code: `import express from 'express';
const tools = express.Router();
tools.get('/tags', (req, res) => res.json([]));
const app = express();
app.use('/admin', tools);
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1, data: { route: 'GET /admin/tags', reason: "path segment 'admin'" } }],
    },
    {
      name: 'issue 10: an internal route behind an unknown step without an access-control name is unknown (note), not unauthenticated; a token watcher is not authentication',
      code: `import express from 'express';
import jwt from 'jsonwebtoken';
import gatekeeper from 'some-unmodelled-package';
const watchTokens = (req, res, next) => {
  const token = req.headers.authorization?.split(' ')[1];
  if (token) jwt.verify(token, process.env.PUBLIC_KEY, (err) => { if (!err) metrics.count('valid-token'); });
  next();
};
const app = express();
app.post('/internal/reindex', gatekeeper(), (req, res) => res.end());
app.get('/admin/application-version', watchTokens, (req, res) => res.json({ version: '1' }));
`,
      errors: [
        { messageId: 'unknownStep', line: 10, column: 1, level: 'note', data: { route: 'POST /internal/reindex', step: 'gatekeeper()' } },
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'error', data: { route: 'GET /admin/application-version' } },
      ],
    },
  ],
};
