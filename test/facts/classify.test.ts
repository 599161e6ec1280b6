import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import type { ProjectSettings } from '../../src/core/types.js';
import { findAll } from '../../src/core/walk.js';
import { classifiesByBodyOnly, classifyMiddleware } from '../../src/facts/routes/classify.js';

function memoryProject(files: Record<string, string>, settings: ProjectSettings = {}): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', settings, source);
  for (const [p, text] of Object.entries(files)) project.addFile(p, text);
  return project;
}

/** Classifies every argument of every `use(...)` call in /repo/app.ts. */
function classifyUses(files: Record<string, string>, settings?: ProjectSettings) {
  const project = memoryProject(files, settings);
  const file = project.getFile('/repo/app.ts')!;
  const calls = findAll(file.sourceFile, ts.isCallExpression).filter(
    (c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'use',
  );
  return calls.flatMap((c) =>
    c.arguments.map((a) => {
      const r = classifyMiddleware(project, file, a);
      return `${a.getText(file.sourceFile)} => ${r.kind}${r.optional ? ' (optional)' : ''}${r.authorizes ? ' (authorizes)' : ''}${r.login ? ' (login)' : ''}${r.hint ? ` hint:${r.hint}` : ''}`;
    }),
  );
}

describe('middleware classification', () => {
  it('recognises library middleware by import, with optional-auth switches', () => {
    const result = classifyUses({
      '/repo/app.ts': [
        "import passport from 'passport';",
        "import { expressjwt } from 'express-jwt';",
        "import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';",
        "import session from 'express-session';",
        "import helmet from 'helmet';",
        "import rateLimit from 'express-rate-limit';",
        "const jwtv6 = require('express-jwt');",
        "const fileUpload = require('express-fileupload');",
        'app.use(passport.authenticate("jwt", { session: false }));',
        "app.use(passport.authenticate(['jwt', 'anonymous']));",
        "app.use(passport.authenticate('local'));",
        "app.use(expressjwt({ secret: 's', algorithms: ['HS256'], credentialsRequired: false }));",
        "app.use(expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: ['/login'] }));",
        'app.use(jwtv6({ secret: "s" }));',
        'app.use(auth());',
        "app.use(requiredScopes('read:orders'));",
        "app.use(session({ secret: 'x' }));",
        'app.use(helmet());',
        'app.use(rateLimit({ windowMs: 1000 }));',
        'app.use(express.json());',
        'app.use(fileUpload({ parseNested: true }));',
        "app.use(require('express-flash')());",
      ].join('\n'),
    });
    expect(result).toEqual([
      'passport.authenticate("jwt", { session: false }) => authentication',
      "passport.authenticate(['jwt', 'anonymous']) => authentication (optional)",
      "passport.authenticate('local') => neutral (login)",
      "expressjwt({ secret: 's', algorithms: ['HS256'], credentialsRequired: false }) => authentication (optional)",
      "expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: ['/login'] }) => authentication",
      'jwtv6({ secret: "s" }) => authentication',
      'auth() => authentication',
      "requiredScopes('read:orders') => authorization",
      "session({ secret: 'x' }) => neutral",
      'helmet() => neutral',
      'rateLimit({ windowMs: 1000 }) => neutral',
      'express.json() => unknown',
      'fileUpload({ parseNested: true }) => neutral',
      "require('express-flash')() => neutral",
    ]);
  });

  it('follows local middleware across files and reads what the body does', () => {
    const result = classifyUses({
      '/repo/middleware/auth.ts': [
        "import jwt from 'jsonwebtoken';",
        'export function authenticate(req, res, next) {',
        "  const header = req.headers.authorization;",
        "  if (!header) return res.status(401).json({ error: 'missing token' });",
        '  try { req.user = jwt.verify(header.slice(7), process.env.JWT_SECRET); next(); }',
        '  catch { res.sendStatus(401); }',
        '}',
        'export const optionalAuth = (req, res, next) => {',
        '  try { req.user = jwt.verify(req.headers.authorization, KEY); } catch { return next(); }',
        '  next();',
        '};',
        'export const requireRole = (role) => (req, res, next) => {',
        '  if (req.user?.role !== role) return res.status(403).end();',
        '  next();',
        '};',
        'export const auth = { required: authenticate, optional: optionalAuth };',
        'export function requestId(req, res, next) { req.id = crypto.randomUUID(); next(); }',
        'export function localOnly(req, res, next) { if (req.ip !== "127.0.0.1") return res.sendStatus(403); next(); }',
      ].join('\n'),
      '/repo/app.ts': [
        "import { authenticate, optionalAuth, requireRole, auth, requestId, localOnly } from './middleware/auth';",
        "import * as mw from './middleware/auth';",
        "import { checkJwt } from '@acme/auth';",
        'app.use(authenticate);',
        'app.use(optionalAuth);',
        "app.use(requireRole('admin'));",
        'app.use(auth.required);',
        'app.use(mw.authenticate);',
        'app.use(requestId);',
        'app.use(localOnly);',
        'app.use(checkJwt);',
        'app.use([authenticate, requireRole("ops")]);',
        'app.use((req, res, next) => { if (!req.isAuthenticated()) return res.redirect("/login"); next(); });',
      ].join('\n'),
    });
    expect(result).toEqual([
      'authenticate => authentication',
      'optionalAuth => authentication (optional)',
      "requireRole('admin') => authorization",
      'auth.required => authentication',
      'mw.authenticate => authentication',
      'requestId => neutral',
      'localOnly => neutral',
      'checkJwt => unknown hint:authentication',
      '[authenticate, requireRole("ops")] => authentication (authorizes)',
      '(req, res, next) => { if (!req.isAuthenticated()) return res.redirect("/login"); next(); } => authentication',
    ]);
  });

  it('honours configured middleware names', () => {
    const result = classifyUses(
      {
        '/repo/app.ts': "import { gate } from '@acme/gateway';\nimport { policy } from '@acme/policy';\napp.use(gate());\napp.use(policy('orders:write'));\n",
      },
      { authenticationMiddleware: ['gate'], authorizationMiddleware: ['@acme/policy'] },
    );
    expect(result).toEqual(["gate() => authentication", "policy('orders:write') => authorization"]);
  });

  it('requires a local check to fail closed, and reads method guards', () => {
    const result = classifyUses({
      '/repo/app.ts': [
        "import jwt from 'jsonwebtoken';",
        'const tokens = new Map();',
        'app.use((req, res, next) => {',
        '  const token = req.cookies.token;',
        '  if (token) jwt.verify(token, KEY, (err, decoded) => { if (!err) tokens.set(token, decoded); });',
        '  next();',
        '});',
        'app.use(async (request, reply) => {',
        '  try { await request.jwtVerify(); } catch (err) { reply.send(err); }',
        '});',
        'app.use((req, res, next) => {',
        "  if (req.method === 'GET') return next();",
        "  const user = jwt.verify(req.headers.authorization, KEY, { algorithms: ['RS256'] });",
        '  req.user = user;',
        '  next();',
        '});',
      ].join('\n'),
    });
    expect(result.map((r) => r.replace(/^[\s\S]*=> /, ''))).toEqual(['authentication (optional)', 'authentication', 'authentication']);
  });

  it("reads middleware made by a factory with the call's literal arguments, and a repository wrapper as the middleware it runs", () => {
    const result = classifyUses({
      '/repo/auth.js': [
        "const passport = require('passport');",
        'function authenticate(type, isStrict) {',
        '  return function auth(req, res, next) {',
        '    passport.authenticate(type, (err, user) => {',
        "      if (!user && isStrict) throw new CustomError('Unauthorized.', 401);",
        '      if (user) req.user = user;',
        '      return next();',
        '    })(req, res, next);',
        '  };',
        '}',
        "exports.jwt = authenticate('jwt', true);",
        "exports.jwtLoose = authenticate('jwt', false);",
        "exports.local = authenticate('local', true);",
        "exports.oidc = authenticate('oidc', true);",
        'exports.byConfig = authenticate(process.env.STRATEGY, true);',
        'exports.asyncHandler = (fn) => (...args) => Promise.resolve(fn(...args)).catch(args[args.length - 1]);',
        'exports.later = (fn) => (req, res, next) => { setTimeout(() => fn(), 10); next(); };',
      ].join('\n'),
      '/repo/app.ts': [
        "import * as auth from './auth';",
        'app.use(auth.jwt);',
        'app.use(auth.jwtLoose);',
        'app.use(auth.local);',
        'app.use(auth.oidc);',
        'app.use(auth.byConfig);',
        'app.use(auth.asyncHandler(auth.jwt));',
        'app.use(auth.asyncHandler(auth.local));',
        'app.use(auth.later(auth.jwt));',
      ].join('\n'),
    });
    expect(result).toEqual([
      'auth.jwt => authentication',
      'auth.jwtLoose => authentication (optional)',
      'auth.local => neutral (login)',
      'auth.oidc => neutral (login)',
      'auth.byConfig => authentication',
      'auth.asyncHandler(auth.jwt) => authentication',
      'auth.asyncHandler(auth.local) => neutral (login)',
      'auth.later(auth.jwt) => neutral',
    ]);
  });
});

describe('checks that run only for some callers (NodeBB)', () => {
  it('reads a verification made only when the request carries a credential as optional, unless the request without one is rejected', () => {
    expect(
      classifyUses({
        '/repo/app.ts': [
          "import passport from 'passport';",
          'async function authenticate(req, res) {',
          '  if (req.loggedIn) return true;',
          "  else if (req.headers.hasOwnProperty('authorization')) {",
          "    const user = await new Promise((resolve) => passport.authenticate('core.api', (err, u) => resolve(u))(req, res));",
          "    if (!user) throw new Error('invalid token');",
          '    req.uid = user.uid;',
          '  }',
          '  return !res.headersSent;',
          '}',
          'app.use(async function authenticateRequest(req, res, next) { if (!await authenticate(req, res)) return; next(); });',
          'async function requireToken(req, res) {',
          "  if (req.headers.hasOwnProperty('authorization')) {",
          "    const user = await new Promise((resolve) => passport.authenticate('core.api', (err, u) => resolve(u))(req, res));",
          "    if (!user) throw new Error('invalid token');",
          '  } else {',
          '    return res.sendStatus(401);',
          '  }',
          '}',
          'app.use(async function requireTokenRequest(req, res, next) { await requireToken(req, res); next(); });',
        ].join('\n'),
      }),
    ).toEqual([
      'async function authenticateRequest(req, res, next) { if (!await authenticate(req, res)) return; next(); } => authentication (optional)',
      'async function requireTokenRequest(req, res, next) { await requireToken(req, res); next(); } => authentication',
    ]);
  });

  it("follows a helper reached through a local object's member (controllers.helpers.notAllowed) into its body", () => {
    expect(
      classifyUses({
        '/repo/helpers.ts': 'export function notAllowed(req, res) { if (res.locals.isAPI) res.status(401).json({ error: "not-logged-in" }); else res.redirect("/login"); }\nexport function note(req) { console.log(req.url); }\n',
        '/repo/app.ts': [
          "const controllers = { helpers: require('./helpers') };",
          'app.use(function ensureLoggedIn(req, res, next) { if (!req.loggedIn) return controllers.helpers.notAllowed(req, res); setImmediate(next); });',
          'app.use(function logVisit(req, res, next) { if (!req.loggedIn) controllers.helpers.note(req); next(); });',
        ].join('\n'),
      }),
    ).toEqual([
      'function ensureLoggedIn(req, res, next) { if (!req.loggedIn) return controllers.helpers.notAllowed(req, res); setImmediate(next); } => authentication',
      'function logVisit(req, res, next) { if (!req.loggedIn) controllers.helpers.note(req); next(); } => neutral',
    ]);
  });
});

describe('classifiesByBodyOnly (lets route extraction skip handler bodies)', () => {
  it('is true exactly where the full classification comes from a function body, and never for library or configured middleware', () => {
    const project = memoryProject(
      {
        '/repo/controllers.ts': 'export function list(req: any, res: any) { res.json([]); }\nexport const requireUser = (req: any, res: any, next: any) => (req.user ? next() : res.sendStatus(401));\n',
        '/repo/app.ts': [
          "import express from 'express';",
          "import passport from 'passport';",
          "import * as controllers from './controllers';",
          "import { checkTenant } from './tenant';",
          'const app = express();',
          'const jwtAuth = passport.authenticate("jwt", { session: false });',
          'app.use(controllers.list, controllers.requireUser, (req: any, res: any) => res.end(), jwtAuth, passport.authenticate("jwt"), checkTenant, auditTrail);',
          '',
        ].join('\n'),
        '/repo/tenant.ts': 'export function checkTenant(req: any, res: any, next: any) { next(); }\n',
      },
      { authenticationMiddleware: ['checkTenant'] },
    );
    const file = project.getFile('/repo/app.ts')!;
    const call = findAll(file.sourceFile, ts.isCallExpression).find((c) => c.getText(file.sourceFile).startsWith('app.use'))!;
    const rows = call.arguments.map((a) => {
      const full = classifyMiddleware(project, file, a);
      const bodyOnly = classifiesByBodyOnly(project, file, a);
      if (bodyOnly) expect(['body', 'unresolved']).toContain(full.source);
      return `${a.getText(file.sourceFile).slice(0, 24)} => ${bodyOnly} (${full.source})`;
    });
    expect(rows).toEqual([
      'controllers.list => true (body)',
      'controllers.requireUser => true (body)',
      '(req: any, res: any) =>  => true (body)',
      'jwtAuth => false (library)',
      'passport.authenticate("j => false (library)',
      'checkTenant => false (configured)',
      'auditTrail => false (unresolved)',
    ]);
  });
});
