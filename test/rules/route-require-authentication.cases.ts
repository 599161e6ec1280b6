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
`;

const SESSION_HANDLER = `function SessionHandler(db) {
  this.isLoggedInMiddleware = function (req, res, next) {
    if (req.session.userId) return next();
    return res.redirect('/login');
  };
  this.displayLoginPage = function (req, res) {
    res.render('login');
  };
}
module.exports = SessionHandler;
`;


/** A store of logged-in sessions keyed by their token (juice-shop's authenticatedUsers), read through a header helper. */
const TOKEN_STORE = `export const tokenFrom = ({ headers }) => {
  if (headers?.authorization) return headers.authorization.split(' ')[1];
  return undefined;
};
export const sessions = {
  tokenMap: {},
  get(token) { return token ? this.tokenMap[token] : undefined; },
  from(req) { const token = tokenFrom(req); return token ? this.get(token) : undefined; },
};
export const asyncHandler = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
`;

/** Watches tokens for a side effect (juice-shop's verify.jwtChallenges): verifies, but neither rejects nor keeps the caller. */
const TOKEN_WATCHER = `import jwt from 'jsonwebtoken';
export const watchTokens = () => (req, res, next) => {
  const token = req.headers.authorization?.split(' ')[1];
  if (token) jwt.verify(token, process.env.PUBLIC_KEY, (err) => { if (!err) metrics.count('valid-token'); });
  next();
};
export const rememberTokens = () => (req, res, next) => {
  const token = req.headers.authorization?.split(' ')[1];
  if (token) jwt.verify(token, process.env.PUBLIC_KEY, (err, decoded) => { if (!err) req.user = decoded; });
  next();
};
`;

const NEST_JWT_GUARD = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
@Injectable()
export class JwtGuard implements CanActivate {
  constructor(private jwt: JwtService) {}
  async canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest();
    try { request.user = await this.jwt.verifyAsync(request.headers.authorization?.split(' ')[1]); } catch { throw new UnauthorizedException(); }
    return true;
  }
}
`;

/** A Nest controller whose config route hands the query token to a setup service (hoppscotch's onboarding shape). */
const SETUP_CONTROLLER = `import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { SetupService } from './setup.service';
import { JwtGuard } from './auth.guard';
@Controller('setup')
export class SetupController {
  constructor(private setupService: SetupService) {}
  @Get('settings')
  @UseGuards(JwtGuard)
  settings() { return {}; }
  @Get('config')
  async getSetupConfig(@Query('token') token: string) {
    return this.setupService.getSetupConfig(token);
  }
}
`;

/** A helper that builds a fresh OpenAPIHono app per call, and @hono/zod-openapi route descriptions. */
const OPENAPI_APP = `import { OpenAPIHono } from '@hono/zod-openapi';
export function createApp() {
  return new OpenAPIHono();
}
`;
const ORDER_ROUTES = `import { createRoute } from '@hono/zod-openapi';
export const listOrders = createRoute({ method: 'get', path: '/', responses: {} });
export const deleteOrder = createRoute({ method: 'delete', path: '/{id}', responses: {} });
`;
const OPENAPI_ORDERS = `import { createApp } from '../lib/app';
import { deleteOrder, listOrders } from './orders.route';
const orders = createApp();
orders.openapi(listOrders, (c) => c.json([])).openapi(deleteOrder, (c) => c.json({}));
export default orders;
`;
const OPENAPI_INDEX = `import { jwt } from 'hono/jwt';
import { languageDetector } from 'hono/language';
import { createApp } from './lib/app';
import orders from './routes/orders';
import catalog from './routes/catalog';
const app = createApp();
app.use(languageDetector({ supportedLanguages: ['en', 'id'], fallbackLanguage: 'en' }));
app.use('/api/orders/*', jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' }));
app.route('/api/orders', orders);
app.route('/api/catalog', catalog);
export default app;
`;

/** Global Nest guards: one rejects writes by method and header only (ghostfolio's ImpersonationWriteGuard), one asks an injected service. */
const WRITE_GUARD = `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
@Injectable()
export class ReadOnlyModeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (request.method === 'GET') return true;
    if (!request.headers['x-read-only']) return true;
    throw new ForbiddenException();
  }
}
`;
const DELEGATING_GUARD = `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { GateService } from './gate.service';
@Injectable()
export class GateGuard implements CanActivate {
  constructor(private readonly gate: GateService) {}
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!(await this.gate.allows(context.switchToHttp().getRequest()))) throw new ForbiddenException();
    return true;
  }
}
`;
const API_KEY_HEADER_GUARD = `import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class RequiredHeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.get('x-api-key')) throw new BadRequestException('x-api-key is required');
    return true;
  }
}
`;
const CONTEXT_GUARD = `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { RequestContext } from './request-context';
@Injectable()
export class TenantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!RequestContext.currentTenantId()) return false;
    return true;
  }
}
`;
const REQUEST_CONTEXT = `export class RequestContext {
  static store: Map<string, string> | undefined;
  static currentTenantId(): string | undefined {
    return RequestContext.store?.get('tenantId');
  }
}
`;
/** A Passport guard subclass that reaches the base check through one of its own methods (teable's AuthGuard). */
const PASSPORT_SUBCLASS_GUARD = `import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
@Injectable()
export class SessionOrTokenGuard extends PassportAuthGuard(['session', 'access-token']) {
  constructor(private readonly reflector: Reflector) { super(); }
  async validate(context: ExecutionContext) {
    return super.canActivate(context) as Promise<boolean>;
  }
  async canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>('isPublic', [context.getHandler(), context.getClass()])) return true;
    return await this.validate(context);
  }
}
`;

/** The same subclass whose own method never reaches the base check. */
const PASSPORT_SUBCLASS_BYPASS = `import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
@Injectable()
export class AuditGuard extends PassportAuthGuard('jwt') {
  audit(context: ExecutionContext) {
    console.log(context.getHandler().name);
    return true;
  }
  async canActivate(context: ExecutionContext) {
    return this.audit(context);
  }
}
`;

const nestApp = (guard: string, cls: string) => `import { NestFactory, APP_GUARD } from '@nestjs/core';
import { Controller, Delete, Get, Module, Param, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ${cls} } from './${guard}';
@Controller('portfolios')
export class PortfoliosController {
  @UseGuards(AuthGuard('jwt'))
  @Get()
  list() { return []; }
  @Delete(':id')
  remove(@Param('id') id: string) { return { removed: id }; }
}
@Module({ controllers: [PortfoliosController], providers: [{ provide: APP_GUARD, useClass: ${cls} }] })
class AppModule {}
NestFactory.create(AppModule).then((app) => app.listen(3000));
`;

export const cases: RuleCases = {
  valid: [
    {
      name: "Nest: a global Passport guard subclass whose canActivate reaches super.canActivate through its own method authenticates (teable's AuthGuard)",
      files: { 'src/session-or-token.guard.ts': PASSPORT_SUBCLASS_GUARD },
      filename: 'src/main.ts',
      code: nestApp('session-or-token.guard', 'SessionOrTokenGuard'),
    },
    {
      name: 'Koa: a middleware that rejects a request without a credential header before continuing authenticates, even with an error handler around next; so does a lookup inside the try before next (juice-shop appendUserId)',
      code: `import Koa from 'koa';
import mount from 'koa-mount';
import Router from '@koa/router';
const requireToken = () => async (ctx, next) => {
  if (!ctx.get('authorization')) ctx.throw(401, 'unauthorized');
  try {
    await next();
  } catch (error) {
    ctx.throw(401, 'unauthorized');
  }
};
const reports = new Router();
reports.get('/customers/:id', (ctx) => { ctx.body = ''; });
const sessions = new Map();
const appendUserId = () => async (ctx, next) => {
  try {
    ctx.state.userId = sessions.get(ctx.cookies.get('token')).id;
    await next();
  } catch (error) {
    ctx.status = 401;
  }
};
const orders = new Router();
orders.get('/orders/:id', appendUserId(), (ctx) => { ctx.body = ''; });
const api = new Koa();
api.use(reports.routes());
const app = new Koa();
app.use(orders.routes());
app.use(requireToken());
app.use(mount('/api', api));
app.listen(3000);
`,
    },
    {
      name: 'issue 10: a handler that looks the request token up in a session store and rejects when it is missing authenticates (also through a factory and a wrapper)',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE, 'src/lib/security.ts': TOKEN_STORE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import * as security from './lib/security';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
function getProfile() {
  return async (req, res, next) => {
    const loggedIn = security.sessions.get(req.cookies.token);
    if (!loggedIn) { next(new Error('Blocked illegal activity')); return; }
    res.json({ email: loggedIn.email });
  };
}
app.get('/profile', security.asyncHandler(getProfile()));
app.post('/reviews', (req, res, next) => {
  const user = security.sessions.from(req);
  if (!user) return next(new Error('not logged in'));
  res.json({ author: user.email });
});
app.get('/change-password', async ({ headers, query }, res, next) => {
  const token = headers.authorization ? headers.authorization.substr('Bearer='.length) : null;
  const loggedIn = security.sessions.get(token);
  if (!loggedIn) { next(new Error('Blocked illegal activity')); return; }
  res.json(await User.update({ password: query.new }, { where: { id: loggedIn.id } }));
});
`,
    },
    {
      name: 'issue 10: a Nest handler whose service compares a query token with a stored secret and answers the values only when it matches',
      files: {
        'src/auth.guard.ts': NEST_JWT_GUARD,
        'src/setup.service.ts': `import { Injectable } from '@nestjs/common';
@Injectable()
export class SetupService {
  async getSetupConfig(token: string) {
    const stored = await this.readAll();
    const recoveryToken = stored.find((c) => c.name === 'RECOVERY_TOKEN')?.value;
    const tokenIsValid = typeof token === 'string' && token === recoveryToken;
    return stored.reduce((acc, c) => { acc[c.name] = tokenIsValid ? c.value : null; return acc; }, {});
  }
  async readAll() { return []; }
}
`,
      },
      filename: 'src/setup.controller.ts',
      code: SETUP_CONTROLLER,
    },
    {
      name: 'issue 10: a code in the path decoded by a salted hashids instance, refused when it decodes to nothing, is a bearer capability checked by the handler (a continue code, an invite code)',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import Hashids from 'hashids/cjs';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
export function restoreProgress() {
  const hashids = new Hashids(process.env.CONTINUE_CODE_SALT, 60);
  return ({ params }, res) => {
    const continueCode = params.continueCode;
    const ids = hashids.decode(continueCode);
    if (ids.length > 0) {
      Challenge.update({ solved: true }, { where: { id: ids } });
      res.json({ data: ids.length + ' solved challenges have been restored.' });
    } else {
      res.status(404).send('Invalid continue code.');
    }
  };
}
app.put('/continue-code/apply/:continueCode', restoreProgress());
app.post('/teams/join/:inviteCode', async (req, res) => {
  const { inviteCode } = req.params;
  const [teamId] = new Hashids(process.env.INVITE_SALT).decode(inviteCode);
  if (!teamId) return res.status(404).end();
  res.json(await Membership.create({ teamId, email: req.body.email }));
});
`,
    },
    {
      name: "every route behind app-level authentication; health (also outline's '/_health') and login registered first",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/healthz', (req, res) => res.send('ok'));
app.get('/_health', (req, res) => res.send('ok'));
app.post('/auth/login', (req, res) => res.json({ token: 't' }));
app.post('/auth/refresh', (req, res) => res.json({ token: 't' }));
app.get('/.well-known/jwks.json', (req, res) => res.json({ keys: [] }));
app.use(requireAuth);
app.get('/orders', (req, res) => res.json([]));
`,
    },
    {
      name: 'a service with no authenticated route at all is not judged on routes that only read shared data',
      code: `import express from 'express';
const app = express();
app.get('/products', (req, res) => res.json([]));
app.get('/products/:id', (req, res) => res.json({}));
`,
    },
    {
      name: 'a service with no authentication: a POST that writes nothing visible and a route behind an unknown step are not judged',
      code: `import express from 'express';
import { gate } from '@acme/edge-gate';
const app = express();
app.post('/search', async (req, res) => res.json(await index.lookup(req.body.q)));
app.delete('/notes/:id', gate, async (req, res) => res.json(await Note.findByIdAndDelete(req.params.id)));
`,
    },
    {
      name: 'router-level middleware bleeds into a sibling router mounted later at the same path',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/routes/account.ts': `import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
export const account = Router();
account.use(requireAuth);
account.get('/me', (req, res) => res.json(req.user));
`,
      },
      code: `import express from 'express';
import { Router } from 'express';
import { account } from './routes/account';
const billing = Router();
billing.get('/invoices', (req, res) => res.json([]));
const app = express();
app.use('/', account);
app.use('/', billing);
`,
    },
    {
      name: 'passport local strategy on a login endpoint with a non-standard path',
      code: `import express from 'express';
import passport from 'passport';
const app = express();
app.post('/session', passport.authenticate('local'), (req, res) => res.json({ ok: true }));
app.get('/orders', passport.authenticate('jwt', { session: false }), (req, res) => res.json([]));
`,
    },
    {
      name: 'public routes configured in settings',
      settings: { publicRoutes: ['/catalog/**'] },
      code: `import express from 'express';
import passport from 'passport';
const app = express();
app.get('/catalog/items', (req, res) => res.json([]));
app.get('/orders', passport.authenticate('jwt', { session: false }), (req, res) => res.json([]));
`,
    },
    {
      name: 'Hono routes under a wildcard jwt middleware and an open docs route',
      code: `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
const app = new Hono();
app.get('/docs', (c) => c.html('<html></html>'));
app.use('/api/*', jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' }));
app.get('/api/orders', (c) => c.json([]));
export default app;
`,
    },
    {
      name: 'Hono OpenAPI: openapi(createRoute({ method, path, middleware }), handler) routes, apps built by a helper per call; jwt in the route description or on the mount path authenticates',
      files: { 'src/lib/app.ts': OPENAPI_APP, 'src/routes/orders.route.ts': ORDER_ROUTES, 'src/routes/orders.ts': OPENAPI_ORDERS, 'src/index.ts': OPENAPI_INDEX },
      filename: 'src/routes/catalog.ts',
      code: `import { createRoute } from '@hono/zod-openapi';
import { jwt } from 'hono/jwt';
import { createApp } from '../lib/app';
const catalog = createApp();
const removeItem = createRoute({ method: 'delete', path: '/{sku}', middleware: [jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' })] as const, responses: {} });
catalog.openapi(removeItem, (c) => c.json({}));
export default catalog;
`,
    },
    {
      name: 'a sign-up that checks an emailed token, creates the account and starts a web session (createWebSession, by its words) is a credential flow',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { db, registrations, sessions } from './services';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/user/verify-registration', async (req, res) => {
  const valid = await registrations.validateRegistration(req.body.email, req.body.token);
  if (!valid) return res.status(401).end();
  const user = await db.user.create({ email: req.body.email });
  const { sessionId } = await sessions.createWebSession(user.id);
  res.cookie('sid', sessionId).json(user);
});
`,
    },
    {
      name: 'a password reset completed by the emailed token, and links behind a password of their own (body or Basic credentials), admit the caller themselves (kutt)',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import bcrypt from 'bcryptjs';
import { requireAuth } from './middleware/auth';
import { query } from './queries';
const app = express();
app.get('/api/links', requireAuth, (req, res) => res.json([]));
app.post('/api/auth/new-password', async (req, res) => {
  const { new_password, reset_password_token } = req.body;
  const password = await bcrypt.hash(new_password, 12);
  const user = await query.user.update({ reset_password_token }, { reset_password_token: null, password });
  if (!user) return res.status(400).end();
  res.end();
});
app.post('/api/links/:id/protected', async (req, res) => {
  const link = await query.link.find({ uuid: req.params.id });
  if (!(await bcrypt.compare(req.body.password, link.password))) return res.status(401).end();
  await query.visit.add({ link: link.id });
  res.json({ target: link.target });
});
app.get('/:id', async (req, res) => {
  const link = await query.link.find({ address: req.params.id });
  if (link.password && 'authorization' in req.headers) {
    const decoded = Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8');
    if (await bcrypt.compare(decoded.slice(decoded.indexOf(':') + 1), link.password)) return res.redirect(link.target);
  }
  res.render('protected');
});
`,
    },
    {
      name: 'a sign-up handler exported as an asyncHandler(...) constant is read through the wrapper: it creates the account and signs a token',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/controllers/users.js': "import asyncHandler from 'express-async-handler';\nimport jwt from 'jsonwebtoken';\nimport User from '../models/user.js';\nexport const registerUser = asyncHandler(async (req, res) => {\n  const user = await User.create({ email: req.body.email, password: req.body.password });\n  res.status(201).json({ id: user._id, token: jwt.sign({ id: user._id }, process.env.JWT_SECRET) });\n});\n",
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { registerUser } from './controllers/users.js';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/api/members', registerUser);
`,
    },
    {
      name: 'webhook receiver verifying its own signature',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => res.end());
app.get('/orders', requireAuth, (req, res) => res.json([]));
`,
    },
    {
      name: 'route registered after a synchronous configure function that adds authentication',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
function configure(target) {
  target.use(requireAuth);
  target.get('/orders', (req, res) => res.json([]));
}
configure(app);
app.get('/reports/export', (req, res) => res.send(''));
`,
    },
    {
      name: 'role check that rejects with 403 is an authorization step',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.delete('/users/:id', (req, res, next) => {
  if (!req.user || !req.user.roles.includes('admin')) return res.status(403).json({ error: 'forbidden' });
  next();
}, (req, res) => res.end());
`,
    },
    {
      name: 'bare API prefix, second-factor login step and security question are public by design',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/api/v1', (req, res) => res.json({ name: 'shop' }));
app.post('/rest/2fa/verify', (req, res) => res.json({ token: 't' }));
app.get('/rest/user/security-question', (req, res) => res.json({ question: 'q' }));
app.get('/rest/2fa/status', requireAuth, (req, res) => res.json({ enabled: true }));
`,
    },
    {
      name: 'session middleware assigned to this in a constructor function',
      files: { 'src/session.js': SESSION_HANDLER },
      filename: 'src/routes.js',
      code: `const express = require('express');
const SessionHandler = require('./session');
const app = express();
const sessionHandler = new SessionHandler(null);
const isLoggedIn = sessionHandler.isLoggedInMiddleware;
app.get('/login', sessionHandler.displayLoginPage);
app.get('/dashboard', isLoggedIn, (req, res) => res.render('dashboard'));
app.post('/profile', sessionHandler.isLoggedInMiddleware, (req, res) => res.redirect('/profile'));
`,
    },
    {
      name: 'issue 10: a handler that verifies the bearer token itself and rejects on failure authenticates (scope handler)',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import jwt from 'jsonwebtoken';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/notes', async (req, res) => {
  const token = req.headers.authorization.split(' ')[1];
  const claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'] });
  res.json(await Notes.find({ user: claims.sub }));
});
`,
    },
    {
      name: 'issue 10: a step judged by its body: looks an API key up in a store, sets request.user, rejects otherwise',
      code: `import express from 'express';
const app = express();
async function keyCheck(req, res, next) {
  const found = await db.apiKeys.findOne({ key: req.query.key });
  if (!found) return res.status(400).json({ error: 'bad key' });
  req.user = found.owner;
  next();
}
app.get('/orders', keyCheck, (req, res) => res.json([]));
app.post('/orders', keyCheck, (req, res) => res.json({}));
`,
    },
    {
      name: 'issue 10: express-fileupload is neutral; credential flows by behaviour and camelCase words; API description files; a short status path',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import fileUpload from 'express-fileupload';
import jwt from 'jsonwebtoken';
import { requireAuth } from './middleware/auth';
const app = express();
app.use(fileUpload({ parseNested: true }));
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/accounts', async (req, res) => {
  const user = await User.create(req.body);
  res.json({ token: jwt.sign({ sub: user.id }, process.env.JWT_KEY) });
});
app.get('/partners/partnerLogin', (req, res) => res.json({}));
app.get('/openAPI-spec.json', (req, res) => res.json({}));
app.get('/info', (req, res) => res.json({ version: '1.2.3' }));
`,
    },
  ],
  invalid: [
    {
      name: "Express: a publicRoutes pattern with a method ('GET /api/articles/**') leaves the other methods reported",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      settings: { publicRoutes: ['GET /api/articles/**'] },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/me', requireAuth, (req, res) => res.json(req.user));
app.get('/api/articles/:slug', (req, res) => res.json({ slug: req.params.slug }));
app.delete('/api/articles/:slug', (req, res) => res.sendStatus(204));
`,
      errors: [{ messageId: 'noAuthentication', line: 6, column: 1, data: { route: 'DELETE /api/articles/:slug' } }],
    },
    {
      name: "a password change that reads the caller's identity, and one that takes a token not named as a one-time token, stay reported",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import bcrypt from 'bcryptjs';
import { requireAuth } from './middleware/auth';
import { query } from './queries';
const app = express();
app.get('/api/links', requireAuth, (req, res) => res.json([]));
app.post('/api/account/password', async (req, res) => {
  if (!(await bcrypt.compare(req.body.current_password, req.user.password))) return res.status(401).end();
  await query.user.update({ id: req.user.id }, { password: await bcrypt.hash(req.body.new_password, 12) });
  res.end();
});
app.post('/api/account/new-password', async (req, res) => {
  const { new_password, api_token } = req.body;
  await query.user.update({ api_token }, { password: await bcrypt.hash(new_password, 12) });
  res.end();
});
`,
      errors: [
        { messageId: 'noAuthentication', line: 7, column: 1, data: { route: 'POST /api/account/password' } },
        { messageId: 'noAuthentication', line: 12, column: 1, data: { route: 'POST /api/account/new-password' } },
      ],
    },
    {
      name: 'Express: one route registered by two calls is one finding, at the first registration',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/me', requireAuth, (req, res) => res.json(req.user));
app.post('/orders', (req, res, next) => (req.body ? next() : res.sendStatus(400)));
app.post('/orders', (req, res) => res.status(201).json({ created: true }));
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, data: { route: 'POST /orders' } }],
    },
    {
      name: 'Express: of two registrations of one route the more severe finding is kept (the second names a user)',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/me', requireAuth, (req, res) => res.json(req.user));
app.get('/files/:id', (req, res, next) => next());
app.get('/files/:userId', (req, res) => res.json({ id: req.params.userId }));
app.get('/catalog', (req, res, next) => next());
app.get('/catalog', (req, res) => res.json([]));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error' },
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'note' },
      ],
    },
    {
      name: 'Express: of two registrations of one route in two files the more severe finding is kept, in its own file (the editor linting either file agrees)',
      filename: 'src/files.ts',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/index.ts': `import express from 'express';
import { requireAuth } from './middleware/auth';
import { registerFiles } from './files';
const app = express();
app.get('/me', requireAuth, (req, res) => res.json(req.user));
app.get('/files/:id', (req, res, next) => next());
registerFiles(app);
`,
      },
      code: `import type { Express } from 'express';
export function registerFiles(app: Express) {
  app.get('/files/:userId', (req, res) => res.json({ id: req.params.userId }));
}
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 3, level: 'error' }],
    },
    {
      name: 'Koa: one route registered by two router calls is one finding',
      code: `const Koa = require('koa');
const Router = require('@koa/router');
const jwt = require('koa-jwt');
const app = new Koa();
const router = new Router();
router.get('/me', jwt({ secret: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] }), (ctx) => { ctx.body = ctx.state.user; });
router.post('/orders', async (ctx, next) => { ctx.state.received = Date.now(); await next(); });
router.post('/orders', (ctx) => { ctx.status = 201; });
app.use(router.routes());
`,
      errors: [{ messageId: 'noAuthentication', line: 7, column: 1, data: { route: 'POST /orders' } }],
    },
    {
      name: 'Hono: one route registered by two calls is one finding',
      code: `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
const app = new Hono();
app.get('/me', jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' }), (c) => c.json(c.get('jwtPayload')));
app.post('/orders', async (c, next) => { c.set('received', Date.now()); await next(); });
app.post('/orders', (c) => c.json({ created: true }, 201));
export default app;
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, data: { route: 'POST /orders' } }],
    },
    {
      name: 'Nest: two controllers registering the same method and path are one finding',
      filename: 'src/main.ts',
      code: `import { NestFactory } from '@nestjs/core';
import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Controller('orders')
export class OrdersController {
  @UseGuards(AuthGuard('jwt'))
  @Get('mine')
  mine() { return []; }
  @Post()
  create() { return { created: true }; }
}
@Controller('orders')
export class LegacyOrdersController {
  @Post()
  createLegacy() { return { created: true }; }
}
@Module({ controllers: [OrdersController, LegacyOrdersController] })
class AppModule {}
NestFactory.create(AppModule).then((app) => app.listen(3000));
`,
      errors: [{ messageId: 'noAuthentication', line: 9, column: 3, data: { route: 'POST /orders' } }],
    },
    {
      name: 'route without the constructor-function session middleware of its siblings',
      files: { 'src/session.js': SESSION_HANDLER },
      filename: 'src/routes.js',
      code: `const express = require('express');
const SessionHandler = require('./session');
const app = express();
const sessionHandler = new SessionHandler(null);
const isLoggedIn = sessionHandler.isLoggedInMiddleware;
app.get('/dashboard', isLoggedIn, (req, res) => res.render('dashboard'));
app.get('/allocations/:userId', (req, res) => res.render('allocations'));
`,
      errors: [{ messageId: 'noAuthentication', line: 7, column: 1, data: { route: 'GET /allocations/:userId' } }],
    },
    {
      name: 'second-factor management is not a login step',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.post('/rest/2fa/verify', (req, res) => res.json({ token: 't' }));
app.get('/rest/2fa/status', requireAuth, (req, res) => res.json({ enabled: true }));
app.post('/rest/2fa/disable', (req, res) => res.json({ enabled: false }));
app.post('/api/v1', (req, res) => res.json({}));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, data: { route: 'POST /rest/2fa/disable' } },
        { messageId: 'noAuthentication', line: 7, column: 1, data: { route: 'POST /api/v1' } },
      ],
    },
    {
      name: 'a 410 feature switch on a scope field is not authorization',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/file-upload', (req, res, next) => {
  if (req.body.scope === 'legacy-xml') {
    res.status(410);
    return next(new Error('XML uploads are deprecated'));
  }
  next();
}, (req, res) => res.end());
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, data: { route: 'POST /file-upload' } }],
    },
    {
      name: 'module-level route runs before authentication added in a promise callback',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
function configure(target) {
  target.use(requireAuth);
  target.get('/orders', (req, res) => res.json([]));
}
loadTranslations().then(() => {
  configure(app);
});
app.get('/reports/export', (req, res) => res.send(''));
`,
      errors: [{ messageId: 'noAuthentication', line: 11, column: 1, data: { route: 'GET /reports/export' } }],
    },
    {
      name: 'route registered before app-level authentication',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/reports/export', (req, res) => res.csv());
app.use(requireAuth);
app.get('/orders', (req, res) => res.json([]));
`,
      errors: [{ messageId: 'noAuthentication', line: 4, column: 1, data: { route: 'GET /reports/export' } }],
    },
    {
      name: 'route in a router mounted at a path the auth middleware does not cover',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/app.ts': `import express from 'express';
import { requireAuth } from './middleware/auth';
import payouts from './routes/payouts';
const app = express();
app.use('/api', requireAuth);
app.get('/api/orders', (req, res) => res.json([]));
app.use('/v2', payouts);
`,
      },
      filename: 'src/routes/payouts.ts',
      code: `import { Router } from 'express';
const router = Router();
router.post('/payouts', (req, res) => res.json({ ok: true }));
export default router;
`,
      errors: [{ messageId: 'noAuthentication', line: 3, column: 1, data: { route: 'POST /v2/payouts' } }],
    },
    {
      name: 'route-level middleware forgotten on one route of a router',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import { Router } from 'express';
import express from 'express';
import { requireAuth } from './middleware/auth';
const router = Router();
router.get('/users/:id', requireAuth, (req, res) => res.json({}));
router.delete('/users/:id', (req, res) => res.end());
const app = express();
app.use('/api', router);
`,
      errors: [{ messageId: 'noAuthentication', line: 6, column: 1, data: { route: 'DELETE /api/users/:id' } }],
    },
    {
      name: 'passport with an anonymous fallback strategy',
      code: `import express from 'express';
import passport from 'passport';
const app = express();
app.get('/orders', passport.authenticate('jwt', { session: false }), (req, res) => res.json([]));
app.get('/orders/:id/receipt', passport.authenticate(['jwt', 'anonymous'], { session: false }), (req, res) => res.end());
`,
      errors: [{ messageId: 'optionalAuthentication', line: 5, column: 1 }],
    },
    {
      name: 'Koa: an error handler that answers 401 when a later step fails authenticates nothing; a koa-mount path prefixes the sub-app (logto, outline)',
      code: `import Koa from 'koa';
import mount from 'koa-mount';
import Router from '@koa/router';
const errorHandler = () => async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (error.code === 'token_invalid') ctx.throw(401, 'unauthorized');
    throw error;
  }
};
const reports = new Router();
reports.get('/customers/:id', (ctx) => { ctx.body = ''; });
const api = new Koa();
api.use(reports.routes());
const app = new Koa();
app.use(errorHandler());
app.use(mount('/api', api));
app.listen(3000);
`,
      errors: [{ messageId: 'serviceWithoutAuthentication', line: 13, column: 1, data: { route: 'GET /api/customers/:id' } }],
    },
    {
      name: "a method registered only to answer 405 serves nothing (note, outline's DELETE /mcp); one that refuses in a branch and deletes otherwise stays an error",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { db } from './db';
const app = express();
app.post('/mcp', requireAuth, (req, res) => res.json({}));
app.delete('/mcp', (req, res) => {
  res.set('Allow', 'POST');
  res.status(405).json({ error: 'Method not allowed. Use POST.' });
});
app.delete('/sessions', async (req, res) => {
  if (req.query.all !== 'true') return res.status(405).end();
  await db.sessions.deleteMany({});
  res.sendStatus(204);
});
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'note', data: { route: 'DELETE /mcp' } },
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'error', data: { route: 'DELETE /sessions' } },
      ],
    },
    {
      name: "the steps of an OpenID provider's sign-in flow (behind a middleware that loads provider.interactionDetails) are public by design; a route registered before that middleware is not one of them (logto)",
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
import { Provider } from 'oidc-provider';
const provider = new Provider('https://id.example.com', {});
const interactionDetails = (oidc: Provider) => async (ctx, next) => {
  ctx.interactionDetails = await oidc.interactionDetails(ctx.req, ctx.res);
  return next();
};
const management = new Router();
management.use(jwt({ secret: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] }));
management.delete('/users/:id', (ctx) => { ctx.status = 204; });
const interaction = new Router();
interaction.put('/interaction/reset', (ctx) => { ctx.status = 204; });
interaction.use(interactionDetails(provider));
interaction.put('/interaction/profile', (ctx) => { ctx.status = 204; });
const app = new Koa();
app.use(management.routes());
app.use(interaction.routes());
`,
      errors: [{ messageId: 'noAuthentication', line: 14, column: 1, data: { route: 'PUT /interaction/reset' } }],
    },
    {
      name: "a rate limiter that keys its buckets by the user when a token verifies, and by address otherwise, authenticates nothing; a helper that returns null when verification fails still lets its caller authenticate (outline's rateLimiter)",
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'jsonwebtoken';
function verifiedUserId(token: string): string | null {
  try {
    return String(jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] }));
  } catch {
    return null;
  }
}
function userForToken(token: string): { id: string } {
  const payload = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });
  if (typeof payload === 'string' || !payload.sub) throw new Error('invalid token');
  return { id: payload.sub };
}
async function limiterKeys(ctx): Promise<string[]> {
  try {
    const user = userForToken(ctx.get('authorization').slice(7));
    return [user.id];
  } catch {
    // Fall back to the client address.
  }
  return [ctx.ip];
}
const buckets = new Map<string, number>();
const rateLimiter = () => async (ctx, next) => {
  for (const key of await limiterKeys(ctx)) {
    const used = (buckets.get(key) ?? 0) + 1;
    buckets.set(key, used);
    if (used > 100) throw new Error('Too many requests');
  }
  return next();
};
const requireUser = () => async (ctx, next) => {
  const userId = verifiedUserId(ctx.get('authorization').slice(7));
  if (!userId) ctx.throw(401, 'unauthorized');
  ctx.state.userId = userId;
  return next();
};
const router = new Router();
router.post('/shares.subscribe', rateLimiter(), async (ctx) => { ctx.body = await subscribe(ctx.request.body); });
router.post('/documents.delete', rateLimiter(), requireUser(), (ctx) => { ctx.status = 204; });
const app = new Koa();
app.use(router.routes());
async function subscribe(body: unknown) {
  return { body };
}
`,
      errors: [{ messageId: 'noAuthentication', line: 41, column: 1, data: { route: 'POST /shares.subscribe' } }],
    },
    {
      name: "a signed link (the query's token compared in constant time with a digest keyed by a secret of the service) authenticates its handler; a digest anyone can compute, and an anti-forgery cookie echoed in a header, do not (outline's unsubscribe links and CSRF check)",
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
import crypto from 'node:crypto';
function safeEqual(a?: string, b?: string) {
  if (!a || !b || a.length !== b.length) return false;
  return crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
function unsubscribeToken(userId: string) {
  const hash = crypto.createHash('sha256');
  hash.update(\`\${userId}-\${process.env.SECRET_KEY}\`);
  return hash.digest('hex');
}
const signature = (data: string) => crypto.createHmac('sha256', process.env.SECRET_KEY!).update(data).digest('hex');
const router = new Router();
router.post('/notifications.unsubscribe', async (ctx) => {
  const token = ctx.request.body.token ?? ctx.request.query.token;
  if (!safeEqual(unsubscribeToken(ctx.request.body.userId), token)) return ctx.redirect('/?notice=invalid-auth');
  await users.update(ctx.request.body.userId, { notifications: false });
  ctx.redirect('/settings');
});
router.post('/subscriptions.delete', async (ctx) => {
  const { userId, token } = ctx.request.body;
  const expected = crypto.createHash('sha256').update(userId).digest('hex');
  if (!safeEqual(expected, token)) return ctx.redirect('/?notice=invalid-auth');
  await subscriptions.remove(userId);
  ctx.redirect('/');
});
router.post('/documents.delete', async (ctx) => {
  const cookie = ctx.cookies.get('csrf') ?? '';
  const header = ctx.get('x-csrf-token');
  const [raw, sig] = header.split('.');
  if (!safeEqual(sig, signature(raw)) || cookie !== header) ctx.throw(403, 'CSRF token mismatch');
  await documents.remove(ctx.request.body.id);
  ctx.status = 204;
});
const api = new Router();
api.use(jwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['RS256'] }));
api.post('/documents.update', async (ctx) => { await documents.update(ctx.request.body); ctx.status = 204; });
const app = new Koa();
app.use(router.routes());
app.use(api.routes());
const users = { update: async (id: string, patch: object) => ({ id, patch }) };
const subscriptions = { remove: async (id: string) => id };
const documents = { remove: async (id: string) => id, update: async (body: object) => body };
`,
      errors: [
        { messageId: 'noAuthentication', line: 22, column: 1, data: { route: 'POST /subscriptions.delete' } },
        { messageId: 'noAuthentication', line: 29, column: 1, data: { route: 'POST /documents.delete' } },
      ],
    },
    {
      name: "a sign-in protocol's settings (signing-key rotation under /configs/oidc, SAML applications) are no credential flow; the protocol's own steps and metadata are (logto)",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { keys, samlApps, saml } from './store';
const app = express();
app.get('/api/me', requireAuth, (req, res) => res.json(req.user));
app.post('/api/configs/oidc/:keyType/rotate', async (req, res) => res.json(await keys.update(req.params.keyType, { rotatedAt: Date.now() })));
app.delete('/api/saml-applications/:id', async (req, res) => res.json(await samlApps.remove(req.params.id)));
app.post('/api/authn/saml/:connectorId', async (req, res) => res.json(await saml.assert(req.params.connectorId, req.body)));
app.get('/api/saml-applications/:id/metadata', async (req, res) => res.type('xml').send(await samlApps.metadata(req.params.id)));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'POST /api/configs/oidc/:keyType/rotate' } },
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'error', data: { route: 'DELETE /api/saml-applications/:id' } },
      ],
    },
    {
      name: "a repository auth factory whose catch lets the failure pass when called with { optional: true } is optional there and required elsewhere; a handler that tests the caller it read serves anonymous callers (note); a Map made for the call stores nothing (outline's auth({ optional: true }))",
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'jsonwebtoken';
type AuthOptions = { optional?: boolean; role?: string };
export default function auth(options: AuthOptions = {}) {
  return async function authMiddleware(ctx, next) {
    try {
      const payload = jwt.verify(ctx.get('authorization').slice(7), process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });
      ctx.state.auth = { user: payload };
    } catch (err) {
      if (options.optional) {
        ctx.state.auth = {};
      } else {
        throw err;
      }
    }
    return next();
  };
}
const seen = new Map<string, number>();
const router = new Router();
router.post('/shares.info', auth({ optional: true }), async (ctx) => {
  const { user } = ctx.state.auth;
  const expanded = new Map<string, string[]>();
  expanded.set(ctx.request.body.id, []);
  ctx.body = user ? { id: ctx.request.body.id, owner: user.sub } : { id: ctx.request.body.id };
});
router.post('/shares.visit', auth({ optional: true }), async (ctx) => {
  seen.set(ctx.request.body.id, Date.now());
  ctx.status = 204;
});
router.post('/shares.delete', auth({ role: 'admin' }), async (ctx) => {
  seen.delete(ctx.request.body.id);
  ctx.status = 204;
});
const app = new Koa();
app.use(router.routes());
`,
      errors: [
        { messageId: 'optionalAuthentication', line: 22, column: 1, level: 'note', data: { route: 'POST /shares.info', step: 'auth({ optional: true })' } },
        { messageId: 'optionalAuthentication', line: 28, column: 1, level: 'error', data: { route: 'POST /shares.visit', step: 'auth({ optional: true })' } },
      ],
    },
    {
      name: 'Koa route on a router without the koa-jwt middleware of its sibling',
      code: `import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'koa-jwt';
const api = new Router({ prefix: '/api' });
api.use(jwt({ secret: process.env.JWT_SECRET }));
api.get('/orders', (ctx) => { ctx.body = []; });
const exportsRouter = new Router({ prefix: '/exports' });
exportsRouter.get('/customers.csv', (ctx) => { ctx.body = ''; });
const app = new Koa();
app.use(api.routes());
app.use(exportsRouter.routes());
`,
      errors: [{ messageId: 'noAuthentication', line: 8, column: 1, data: { route: 'GET /exports/customers.csv' } }],
    },
    {
      name: 'Hono OpenAPI: a route described by createRoute on a sub-app mounted outside the jwt path has no authentication',
      files: { 'src/lib/app.ts': OPENAPI_APP, 'src/routes/orders.route.ts': ORDER_ROUTES, 'src/routes/orders.ts': OPENAPI_ORDERS, 'src/index.ts': OPENAPI_INDEX },
      filename: 'src/routes/catalog.ts',
      code: `import { createRoute } from '@hono/zod-openapi';
import { createApp } from '../lib/app';
const catalog = createApp();
const removeItem = createRoute({ method: 'delete', path: '/{sku}', responses: {} });
catalog.openapi(removeItem, (c) => c.json({}));
export default catalog;
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, level: 'error', data: { route: 'DELETE /api/catalog/:sku' } }],
    },
    {
      name: 'a value passed to the handler beside the request (flossbank hands its Fastify instance as ctx) is not the request context: its auth member is a service, not the caller',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { services } from './services';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
async function getPackage(req, res, ctx) {
  const session = await ctx.auth.user.getWebSession({ sessionId: req.cookies.sid });
  res.json(await ctx.db.packages.find(req.query.name, session));
}
app.get('/packages', (req, res) => getPackage(req, res, services));
app.get('/account', (req, res) => res.json(req.user));
`,
      errors: [
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'note', data: { route: 'GET /packages' } },
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'error', data: { route: 'GET /account' } },
      ],
    },
    {
      name: 'Nest: a global Passport guard subclass whose canActivate only calls an own method that never reaches the base check does not authenticate',
      files: { 'src/audit.guard.ts': PASSPORT_SUBCLASS_BYPASS },
      filename: 'src/main.ts',
      code: nestApp('audit.guard', 'AuditGuard'),
      errors: [{ messageId: 'noAuthentication', line: 10, column: 3, level: 'error', data: { route: 'DELETE /portfolios/:id' } }],
    },
    {
      name: 'Nest: a global guard that rejects writes by method and header, never on a credential or the caller, does not authenticate',
      files: { 'src/read-only.guard.ts': WRITE_GUARD },
      filename: 'src/main.ts',
      code: nestApp('read-only.guard', 'ReadOnlyModeGuard'),
      errors: [{ messageId: 'noAuthentication', line: 10, column: 3, level: 'error', data: { route: 'DELETE /portfolios/:id' } }],
    },
    {
      name: 'Nest: a global guard that reads a credential header (request.get(\'x-api-key\')) and rejects may authenticate (unknown, a note)',
      files: { 'src/required-header.guard.ts': API_KEY_HEADER_GUARD },
      filename: 'src/main.ts',
      code: nestApp('required-header.guard', 'RequiredHeaderGuard'),
      errors: [{ messageId: 'unknownStep', line: 10, column: 3, level: 'note', data: { route: 'DELETE /portfolios/:id' } }],
    },
    {
      name: 'Nest: a global guard that decides on a repository class helper (RequestContext.currentTenantId()) may authenticate (unknown, a note)',
      files: { 'src/tenant.guard.ts': CONTEXT_GUARD, 'src/request-context.ts': REQUEST_CONTEXT },
      filename: 'src/main.ts',
      code: nestApp('tenant.guard', 'TenantGuard'),
      errors: [{ messageId: 'unknownStep', line: 10, column: 3, level: 'note', data: { route: 'DELETE /portfolios/:id' } }],
    },
    {
      name: 'Nest: a global guard that asks an injected service it cannot follow may authenticate (unknown, a note)',
      files: { 'src/gate.guard.ts': DELEGATING_GUARD },
      filename: 'src/main.ts',
      code: nestApp('gate.guard', 'GateGuard'),
      errors: [{ messageId: 'unknownStep', line: 10, column: 3, level: 'note', data: { route: 'DELETE /portfolios/:id' } }],
    },
    {
      name: 'an upload middleware on the route stores what the client sends: a state change (error) even when the handler only answers the path; a global upload parser does not make a POST a write',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import multer from 'multer';
import fileUpload from 'express-fileupload';
import { requireAuth } from './middleware/auth';
const app = express();
const upload = multer({ dest: 'uploads/' });
app.use(fileUpload());
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/api/upload', upload.single('image'), (req, res) => res.send(req.file.path));
app.post('/api/quote', (req, res) => res.json({ total: 3 }));
`,
      errors: [
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'POST /api/upload' } },
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'note', data: { route: 'POST /api/quote' } },
      ],
    },
    {
      name: 'Hono route added outside the protected wildcard',
      code: `import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
const app = new Hono();
app.use('/api/*', bearerAuth({ token: process.env.API_TOKEN! }));
app.get('/api/orders', (c) => c.json([]));
app.post('/billing/charge', (c) => c.json({ ok: true }));
export default app;
`,
      errors: [{ messageId: 'noAuthentication', line: 6, column: 1, data: { route: 'POST /billing/charge' } }],
    },
    {
      name: 'issue 10: evidence-ranked levels: identity read, per-user data, state change, secrets are errors; a plain catalogue read is a note',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/products', (req, res) => res.json([]));
app.get('/cart', (req, res) => res.json(carts.get(req.user.id)));
app.get('/users/:email', (req, res) => res.json({}));
app.delete('/products/:id', (req, res) => res.end());
app.get('/info', (req, res) => res.json(process.env));
`,
      errors: [
        { messageId: 'noAuthentication', line: 5, column: 1, level: 'note', data: { route: 'GET /products' } },
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'GET /cart' } },
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'error', data: { route: 'GET /users/:email' } },
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'DELETE /products/:id' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'GET /info' } },
      ],
    },
    {
      name: "issue 10: project.requireAuthentication 'all' makes a read-only route an error",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      settings: { requireAuthentication: 'all' },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/products', (req, res) => res.json([]));
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, level: 'error', data: { evidence: "project.requireAuthentication is 'all'" } }],
    },
    {
      name: 'issue 10 near misses: decoding without verifying in the handler, a step after the handler, a key step that never rejects, an account created without a credential',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import jwt from 'jsonwebtoken';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/notes', (req, res) => res.json(jwt.decode(req.headers.authorization.split(' ')[1])));
app.get('/reports', (req, res) => res.json([]), requireAuth);
async function keyLookup(req, res, next) {
  req.user = await db.apiKeys.findOne({ key: req.query.key });
  next();
}
app.post('/reports', keyLookup, async (req, res) => res.json(await Report.create(req.body)));
app.post('/accounts', async (req, res) => res.json(await User.create(req.body)));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'GET /notes' } },
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'note', data: { route: 'GET /reports' } },
        { messageId: 'noAuthentication', line: 12, column: 1, level: 'error', data: { route: 'POST /reports' } },
        // Not a credential flow (no credential is issued), but the REST shape of a sign-up: listed as a note.
        { messageId: 'noAuthentication', line: 13, column: 1, level: 'note', data: { route: 'POST /accounts' } },
      ],
    },
    {
      name: 'issue 10 near misses for capability codes: an obfuscated id decoded with a salt, a code decoded without a salt, a salted code that is never refused',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import Hashids from 'hashids';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
const salted = new Hashids(process.env.ID_SALT);
app.put('/posts/:id', async (req, res) => {
  const [id] = salted.decode(req.params.id);
  if (!id) return res.status(404).end();
  res.json(await Post.update(req.body, { where: { id } }));
});
app.put('/continue-code/apply/:continueCode', async (req, res) => {
  const ids = new Hashids().decode(req.params.continueCode);
  if (ids.length === 0) return res.status(404).end();
  res.json(await Challenge.update({ solved: true }, { where: { id: ids } }));
});
app.put('/progress/:continueCode', async (req, res) => {
  const ids = salted.decode(req.params.continueCode);
  res.json(await Challenge.update({ solved: true }, { where: { id: ids } }));
});
`,
      errors: [
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'error', data: { route: 'PUT /posts/:id' } },
        { messageId: 'noAuthentication', line: 12, column: 1, level: 'error', data: { route: 'PUT /continue-code/apply/:continueCode' } },
        { messageId: 'noAuthentication', line: 17, column: 1, level: 'error', data: { route: 'PUT /progress/:continueCode' } },
      ],
    },
    {
      name: 'issue 10: a read that runs a command built from the request, or picks one account by id (also one word below the collection), is an error; a constant command, a product by id, a bare account search and a parameter below the collection that is no record key are notes',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/app.service.ts': `import { spawn, execSync } from 'node:child_process';
export class AppService {
  launchCommand(command: string) {
    const [exec, ...args] = command.split(' ');
    return spawn(exec, args);
  }
  revision() {
    return execSync('git rev-parse HEAD').toString();
  }
}
`,
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { AppService } from './app.service';
const app = express();
const service = new AppService();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/spawn', (req, res) => res.send(service.launchCommand(req.query.command)));
app.get('/revision', (req, res) => res.send(service.revision()));
app.get('/users/:id', async (req, res) => res.json(await User.findByPk(req.params.id)));
app.get('/users/id/:id', async (req, res) => res.json(await User.findByPk(req.params.id)));
app.get('/products/:id', async (req, res) => res.json(await Product.findByPk(req.params.id)));
app.get('/users/search', async (req, res) => res.json(await User.findAll({ where: { name: req.query.name } })));
app.get('/users/export/:format', async (req, res) => res.json(await User.count()));
`,
      errors: [
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'error', data: { route: 'GET /spawn' } },
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'note', data: { route: 'GET /revision' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'GET /users/:id' } },
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'error', data: { route: 'GET /users/id/:id' } },
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'note', data: { route: 'GET /products/:id' } },
        { messageId: 'noAuthentication', line: 12, column: 1, level: 'note', data: { route: 'GET /users/search' } },
        { messageId: 'noAuthentication', line: 13, column: 1, level: 'note', data: { route: 'GET /users/export/:format' } },
      ],
    },
    {
      name: 'issue 10: an unknown step is reported as unknown (note), never as no authentication',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import mystery from 'some-unmodelled-package';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/exports', mystery(), (req, res) => res.json({}));
`,
      errors: [{ messageId: 'unknownStep', line: 6, column: 1, level: 'note', data: { route: 'POST /exports', step: 'mystery()' } }],
    },
    {
      name: 'issue 10 near misses: a session-store lookup keyed by a request field that is not a credential, a token watcher that keeps nothing, a session lookup that only personalises the answer',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE, 'src/lib/security.ts': TOKEN_STORE, 'src/lib/watch.ts': TOKEN_WATCHER },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import * as security from './lib/security';
import { watchTokens, rememberTokens } from './lib/watch';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/lookup', async (req, res, next) => {
  const found = security.sessions.get(req.query.name);
  if (!found) return next(new Error('unknown'));
  res.json(await Lookup.create({ name: req.query.name }));
});
app.put('/feedback', watchTokens(), (req, res) => res.json({}));
app.put('/comments', rememberTokens(), (req, res) => res.json({}));
app.put('/reviews/:id', async (req, res, next) => {
  const user = security.sessions.from(req);
  try {
    res.json(await Review.create({ liked: user ? [user.email] : [], text: req.body.text }));
  } catch (error) {
    next(error);
  }
});
`,
      errors: [
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'error', data: { route: 'POST /lookup' } },
        { messageId: 'noAuthentication', line: 12, column: 1, level: 'error', data: { route: 'PUT /feedback' } },
        { messageId: 'optionalAuthentication', line: 13, column: 1, level: 'error', data: { route: 'PUT /comments', step: 'rememberTokens()' } },
        // The session lookup only personalises the answer; the error passed on in the catch is a database failure.
        { messageId: 'noAuthentication', line: 14, column: 1, level: 'error', data: { route: 'PUT /reviews/:id' } },
      ],
    },
    {
      name: 'issue 10: a Nest service that receives the query token but never checks it answers configuration to anyone',
      files: {
        'src/auth.guard.ts': NEST_JWT_GUARD,
        'src/setup.service.ts': `import { Injectable } from '@nestjs/common';
@Injectable()
export class SetupService {
  async getSetupConfig(token: string) {
    const stored = await this.readAll();
    return stored.reduce((acc, c) => { acc[c.name] = c.value; return acc; }, { requestedWith: token });
  }
  async readAll() { return []; }
}
`,
      },
      filename: 'src/setup.controller.ts',
      code: SETUP_CONTROLLER,
      errors: [{ messageId: 'noAuthentication', line: 10, column: 3, level: 'error', data: { route: 'GET /setup/config' } }],
    },
    {
      name: 'issue 10: a short status path does not hide environment values answered through a variable',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/info', (req, res) => {
  const result = { title: process.title, env: process.env };
  res.json(result);
});
app.get('/version', (req, res) => {
  const result = { env: process.env.NODE_ENV };
  res.json({ version: '1.0.0' });
});
`,
      errors: [{ messageId: 'noAuthentication', line: 5, column: 1, level: 'error', data: { route: 'GET /info' } }],
    },
    {
      name: 'a variable passed to its own reassignment (body = decorate(body)) is followed once: answered configuration is an error, a logged one is not',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/status', (req, res) => {
  let body = { env: process.env };
  body = decorate(body);
  res.json(body);
});
app.get('/overview', (req, res) => {
  let body = { env: process.env };
  body = decorate(body);
  log(body);
  res.json({ ok: true });
});
`,
      errors: [
        { messageId: 'noAuthentication', line: 5, column: 1, level: 'error', data: { route: 'GET /status' } },
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'note', data: { route: 'GET /overview' } },
      ],
    },
    {
      name: 'issue 10: behind optional authentication a public profile read by username is a note; changing it stays an error',
      code: `import express from 'express';
import { expressjwt } from 'express-jwt';
const app = express();
const required = expressjwt({ secret: process.env.KEY, algorithms: ['HS256'] });
const optional = expressjwt({ secret: process.env.KEY, algorithms: ['HS256'], credentialsRequired: false });
app.get('/user', required, (req, res) => res.json(req.auth));
app.get('/profiles/:username', optional, (req, res) => res.json({ username: req.params.username }));
app.post('/profiles/:username/follow', optional, (req, res) => res.json({}));
app.get('/accounts/:username', (req, res) => res.json({ username: req.params.username }));
`,
      errors: [
        { messageId: 'optionalAuthentication', line: 7, column: 1, level: 'note', data: { route: 'GET /profiles/:username' } },
        { messageId: 'optionalAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /profiles/:username/follow' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'GET /accounts/:username' } },
      ],
    },
    {
      name: 'issue 10: evidence from what the handler writes: a POST that writes nothing is a note, one that saves is an error; PUT/DELETE stay errors; a POST to the account collection that creates the account is a sign-up note; a hash update is no write',
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import crypto from 'node:crypto';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/classify', async (req, res) => res.json({ label: await model.classify(req.body.text) }));
app.post('/digest', (req, res) => res.json({ hash: crypto.createHash('sha256').update(req.body.text).digest('hex') }));
app.post('/notes', async (req, res) => res.json(await Note.create(req.body)));
app.put('/notes/:id', (req, res) => res.end());
app.post('/users', async (req, res) => res.json(await User.create(req.body)));
app.post('/users/import', async (req, res) => res.json(await User.create(req.body)));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'note', data: { route: 'POST /classify' } },
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'note', data: { route: 'POST /digest' } },
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /notes' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'PUT /notes/:id' } },
        { messageId: 'noAuthentication', line: 10, column: 1, level: 'note', data: { route: 'POST /users' } },
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'error', data: { route: 'POST /users/import' } },
      ],
    },
    {
      name: "a data-transfer class's create builds the answer and stores nothing (hedgedoc's UsernameCheckResponseDto.create): a POST that only does that is a note; a model's create stays a write",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/users/check', async (req, res) => res.json(UsernameCheckResponseDto.create({ available: !(await User.exists({ username: req.body.username })) })));
app.post('/drafts', async (req, res) => res.json(await DraftModel.create(req.body)));
`,
      errors: [
        { messageId: 'noAuthentication', line: 5, column: 1, level: 'note', data: { route: 'POST /users/check' } },
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'POST /drafts' } },
      ],
    },
    {
      name: 'issue 10: a sign-up below the account collection creates one account with the password its caller submits (note); an import creating accounts in a loop, or from a body without a password, stays an error',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/users.service.ts': `import { hash } from 'bcrypt';
export const hashPassword = (password: string) => hash(password, 10);
export class UsersService {
  async createUser(user) {
    const u = new User();
    u.email = user.email;
    u.password = await hashPassword(user.password);
    await this.usersRepository.persistAndFlush(u);
    return u;
  }
  async importUsers(rows) {
    for (const row of rows) await this.createUser(row);
  }
}
`,
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { UsersService } from './users.service';
const app = express();
const users = new UsersService();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/users/basic', async (req, res) => res.json(await users.createUser(req.body)));
app.post('/users/import', async (req, res) => res.json(await users.importUsers(req.body.rows)));
app.post('/users/invite', async (req, res) => res.json(await User.create({ email: req.body.email })));
`,
      errors: [
        { messageId: 'noAuthentication', line: 7, column: 1, level: 'note', data: { route: 'POST /users/basic' } },
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /users/import' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'POST /users/invite' } },
      ],
    },
    {
      name: 'issue 10: a sign-up registered by several calls is one route judged as a whole: a check step that reads the submitted password and steps with side effects at the account collection make one sign-up note; the same steps on another collection stay an error',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/verify.ts': `export const registerAdminChallenge = () => (req, res, next) => {
  if (req.body.role === 'admin') Challenge.update({ solved: true }, { where: { key: 'registerAdmin' } });
  next();
};
`,
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import * as verify from './verify';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/api/Users', (req, res, next) => {
  if (req.body.password.length === 0) return res.status(400).send('Password cannot be empty');
  next();
});
app.post('/api/Users', verify.registerAdminChallenge());
app.post('/api/Teams', (req, res, next) => {
  if (req.body.password.length === 0) return res.status(400).send('Password cannot be empty');
  next();
});
app.post('/api/Teams', verify.registerAdminChallenge());
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'note', data: { route: 'POST /api/Users' } },
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'error', data: { route: 'POST /api/Teams' } },
      ],
    },
    {
      name: 'issue 10: a POST that checks a CAPTCHA (in a step registered for the same route, or in its handler) is a form for anonymous callers (note); without the CAPTCHA, or reading the caller, it stays an error',
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/captcha.ts': `export const verifyCaptcha = () => async (req, res, next) => {
  const captcha = await Captcha.findOne({ where: { captchaId: req.body.captchaId } });
  if (captcha && req.body.captcha === captcha.answer) next();
  else res.status(401).send('Wrong answer to CAPTCHA.');
};
`,
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import { verifyCaptcha } from './captcha';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.post('/api/Feedbacks', verifyCaptcha());
app.post('/api/Feedbacks', async (req, res) => res.json(await Feedback.create(req.body)));
app.post('/api/Complaints', async (req, res) => res.json(await Complaint.create(req.body)));
app.post('/api/Reviews', verifyCaptcha(), async (req, res) => res.json(await Review.create({ ...req.body, author: req.user.email })));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'note', data: { route: 'POST /api/Feedbacks' } },
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /api/Complaints' } },
        { messageId: 'noAuthentication', line: 9, column: 1, level: 'error', data: { route: 'POST /api/Reviews' } },
      ],
    },
    {
      name: "issue 10: passport.session() restores the caller and lets anonymous requests through: a handler that serves both is public by design (note); without any session it stays the certain bug",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `import express from 'express';
import passport from 'passport';
import { requireAuth } from './middleware/auth';
const app = express();
app.get('/orders', requireAuth, (req, res) => res.json([]));
app.get('/about', (req, res) => res.render('about', { name: req.user ? req.user.name : 'guest' }));
app.use(passport.initialize());
app.use(passport.session());
app.get('/account', requireAuth, (req, res) => res.json(req.user));
app.post('/contact', async (req, res) => {
  const from = !req.user ? req.body.email : req.user.email;
  await mailer.sendMail({ from, text: req.body.message });
  res.redirect('/');
});
app.get('/dashboard', (req, res) => res.json({ name: req.user.name }));
`,
      errors: [
        { messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'GET /about' } },
        { messageId: 'optionalAuthentication', line: 10, column: 1, level: 'note', data: { route: 'POST /contact', step: 'passport.session()' } },
        { messageId: 'optionalAuthentication', line: 15, column: 1, level: 'note', data: { route: 'GET /dashboard' } },
      ],
    },
    {
      name: "a repository wrapper that runs the middleware it is given with the request (asyncHandler(requireAuth)) authenticates as that middleware; a wrapper that calls it without the request (once(requireAuth)) does not",
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/utils/async-handler.js': `function asyncHandler(fn) {
  return function asyncUtilWrap(...args) {
    const fnReturn = fn(...args);
    const next = args[args.length - 1];
    return Promise.resolve(fnReturn).catch(next);
  };
}
module.exports = asyncHandler;
`,
        'src/utils/once.js': `export const once = (fn) => (req, res, next) => {
  if (!once.done) fn();
  once.done = true;
  next();
};
`,
      },
      code: `import express from 'express';
import { requireAuth } from './middleware/auth';
import asyncHandler from './utils/async-handler';
import { once } from './utils/once';
const app = express();
app.get('/orders', asyncHandler(requireAuth), async (req, res) => res.json(await Order.find({ user: req.user.id })));
app.delete('/orders/:id', asyncHandler(requireAuth), async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, user: req.user.id })));
app.post('/reports', once(requireAuth), async (req, res) => res.json(await Report.create({ ...req.body, author: req.user.id })));
`,
      errors: [{ messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /reports' } }],
    },
    {
      name: "middleware made by a factory is read with the factory's literal arguments: authenticate('jwt', false) switches off its 401 answer (optional); authenticate('jwt', true) authenticates",
      files: {
        'src/auth.js': `const passport = require('passport');
function authenticate(type, isStrict) {
  return function auth(req, res, next) {
    if (req.user) return next();
    passport.authenticate(type, (err, user) => {
      if (err) return next(err);
      if (!user && isStrict) throw new CustomError('Unauthorized.', 401);
      if (user && user.banned) throw new CustomError('You are banned.', 403);
      if (user) req.user = user;
      return next();
    })(req, res, next);
  };
}
const jwt = authenticate('jwt', true);
const jwtLoose = authenticate('jwt', false);
module.exports = { jwt, jwtLoose };
`,
      },
      code: `const express = require('express');
const auth = require('./auth');
const app = express();
app.get('/links', auth.jwt, async (req, res) => res.json(await Link.find({ user: req.user.id })));
app.post('/links', auth.jwtLoose, async (req, res) => res.json(await Link.create({ target: req.body.target, user: req.user && req.user.id })));
`,
      errors: [{ messageId: 'optionalAuthentication', line: 5, column: 1, level: 'error', data: { route: 'POST /links', step: 'auth.jwtLoose' } }],
    },
    {
      name: "Hono: an error-reporting middleware (sentry() of @hono/sentry) checks no credential, so a write behind it alone has no authentication; a middleware of an unknown package is still only a note",
      filename: 'src/index.ts',
      code: `import { Hono } from 'hono';
import { sentry } from '@hono/sentry';
import { bearerAuth } from 'hono/bearer-auth';
import { gatekeeper } from '@acme/gatekeeper';
const app = new Hono();
app.use('*', sentry({ dsn: process.env.SENTRY_DSN }));
app.get('/v1/monitors', bearerAuth({ token: process.env.API_TOKEN }), async (c) => c.json(await listMonitors()));
app.post('/v1/monitors', async (c) => c.json(await Monitor.create(await c.req.json())));
app.post('/v1/pages', gatekeeper(), async (c) => c.json(await Page.create(await c.req.json())));
export default app;
`,
      errors: [
        { messageId: 'noAuthentication', line: 8, column: 1, level: 'error', data: { route: 'POST /v1/monitors' } },
        { messageId: 'unknownStep', line: 9, column: 1, level: 'note', data: { route: 'POST /v1/pages' } },
      ],
    },
    {
      name: "csrf-sync's protection (const { csrfSynchronisedProtection } = csrfSync()) checks an anti-forgery token, not who calls: a write behind it alone has no authentication",
      files: {
        'src/middleware/auth.ts': AUTH_MIDDLEWARE,
        'src/middleware/csrf.js': `const { csrfSync } = require('csrf-sync');
const { generateToken, csrfSynchronisedProtection } = csrfSync({ getTokenFromRequest: (req) => req.headers['x-csrf-token'] });
module.exports = { generateToken, csrfSynchronisedProtection };
`,
      },
      code: `const express = require('express');
const { requireAuth } = require('./middleware/auth');
const { csrfSynchronisedProtection } = require('./middleware/csrf');
const app = express();
app.post('/compose', csrfSynchronisedProtection, requireAuth, async (req, res) => res.json(await Post.create({ ...req.body, author: req.user.id })));
app.post('/install', csrfSynchronisedProtection, async (req, res) => res.json(await Setting.create(req.body)));
`,
      errors: [{ messageId: 'noAuthentication', line: 6, column: 1, level: 'error', data: { route: 'POST /install' } }],
    },
    {
      name: "a mount path read from configuration (app.use(nconf.get('relative_path'), …)) or written as a template with a part that cannot be read (`${base}/assets`) is a path, not a middleware of every route; an unknown middleware call in first position still is one",
      files: { 'src/middleware/auth.ts': AUTH_MIDDLEWARE },
      code: `const express = require('express');
const nconf = require('nconf');
const favicon = require('serve-favicon');
const { requireAuth } = require('./middleware/auth');
const { loadTenant } = require('@acme/tenancy');
const app = express();
const base = nconf.get('relative_path');
app.use(nconf.get('relative_path'), favicon('public/favicon.ico'));
app.use(\`\${base}/assets\`, express.static('public'));
app.get('/orders', requireAuth, async (req, res) => res.json(await Order.find({ user: req.user.id })));
app.post('/feedback', async (req, res) => res.json(await Feedback.create(req.body)));
app.use(loadTenant(), express.json());
app.post('/complaints', async (req, res) => res.json(await Complaint.create(req.body)));
`,
      errors: [
        { messageId: 'noAuthentication', line: 11, column: 1, level: 'error', data: { route: 'POST /feedback' } },
        { messageId: 'unknownStep', line: 13, column: 1, level: 'note', data: { route: 'POST /complaints' } },
      ],
    },
    {
      name: 'a service that authenticates no route: routes that write, act on one user or read the caller are warnings (removing the only authentication must not silence the rule)',
      code: `import express from 'express';
const app = express();
app.get('/books', async (req, res) => res.json(await Book.find()));
app.post('/books', async (req, res) => res.json(await Book.create(req.body)));
app.delete('/books/:id', async (req, res) => res.json(await Book.findByIdAndDelete(req.params.id)));
app.get('/users/:userId/orders', async (req, res) => res.json(await Order.find({ user: req.params.userId })));
app.get('/whoami', (req, res) => res.json({ id: req.user.id }));
app.post('/feedback', (req, res) => res.sendStatus(202));
`,
      errors: [
        { messageId: 'serviceWithoutAuthentication', line: 4, column: 1, level: 'warning', data: { route: 'POST /books' } },
        { messageId: 'serviceWithoutAuthentication', line: 5, column: 1, level: 'warning', data: { route: 'DELETE /books/:id' } },
        { messageId: 'serviceWithoutAuthentication', line: 6, column: 1, level: 'warning', data: { route: 'GET /users/:userId/orders' } },
        { messageId: 'serviceWithoutAuthentication', line: 7, column: 1, level: 'warning', data: { route: 'GET /whoami' } },
      ],
    },
    {
      name: 'a service whose only authentication is optional (passport.session()): writes behind it are warnings, reads are not judged',
      code: `import express from 'express';
import passport from 'passport';
const app = express();
app.use(passport.initialize());
app.use(passport.session());
app.get('/products', async (req, res) => res.json(await Product.findAll()));
app.post('/products/:id', async (req, res) => res.json(await Product.update(req.body, { where: { id: req.params.id } })));
`,
      errors: [{ messageId: 'optionalAuthentication', line: 7, column: 1, level: 'warning', data: { route: 'POST /products/:id', step: 'passport.session()' } }],
    },
  ],
};
