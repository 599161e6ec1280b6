import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { getRouteInventory } from '../../src/facts/routes/inventory.js';
import { formatRouteJson, formatRouteMarkdown, formatRouteTable } from '../../src/report/routes.js';

function inventoryOf(files: Record<string, string>) {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
  return getRouteInventory(project);
}

const SERVICE = {
  'src/app.ts': `import express from 'express';
import passport from 'passport';
import { checkTenant } from '@acme/tenancy';
import { requiredScopes } from 'express-oauth2-jwt-bearer';
const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.post('/internal/reindex', (req, res) => res.end());
app.get('/reports', checkTenant, (req, res) => res.end());
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', requiredScopes('orders:delete'), (req, res) => res.end());
`,
};

describe('route inventory', () => {
  it('turns route facts into plain rows with authentication, authorization and notes', () => {
    const inventory = inventoryOf(SERVICE);
    expect(inventory.summary).toEqual({ total: 4, authenticated: 1, optional: 0, unknown: 1, unauthenticated: 2 });
    expect(inventory.routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line} ${r.authentication} ${r.authorization.map((a) => a.name).join(',')}`)).toEqual([
      'GET /health src/app.ts:6 none ',
      'POST /internal/reindex src/app.ts:7 none ',
      "DELETE /orders/:id src/app.ts:10 present requiredScopes('orders:delete')",
      'GET /reports src/app.ts:8 unknown ',
    ]);
    expect(inventory.routes[1]?.internal).toEqual(["path segment 'internal'"]);
  });

  it("shows optional authentication when the only other unresolved step is not named like authentication, and unknown when it is", () => {
    const inventory = inventoryOf({
      'src/app.ts': `import express from 'express';
import { expressjwt } from 'express-jwt';
import { tenantContext, checkJwt } from '@acme/platform';
const app = express();
const optional = expressjwt({ secret: process.env.KEY, algorithms: ['HS256'], credentialsRequired: false });
app.use(tenantContext());
app.get('/shares/:id', optional, (req, res) => res.end());
app.get('/drafts/:id', checkJwt, optional, (req, res) => res.end());
`,
    });
    expect(inventory.routes.map((r) => `${r.method} ${r.path} ${r.authentication} ${r.authenticationStep?.name ?? ''} [${r.unknownSteps.join(', ')}]`)).toEqual([
      'GET /drafts/:id unknown checkJwt [tenantContext(), checkJwt]',
      'GET /shares/:id optional optional [tenantContext()]',
    ]);
    expect(inventory.summary).toEqual({ total: 2, authenticated: 0, optional: 1, unknown: 1, unauthenticated: 0 });
  });

  it('formats an aligned table, JSON and Markdown', () => {
    const inventory = inventoryOf(SERVICE);
    expect(formatRouteTable(inventory)).toBe(
      [
        "METHOD  PATH               AUTHENTICATION                                    AUTHORIZATION                                PUBLIC                     LOCATION       NOTES",
        'GET     /health            none                                              none                                         health or readiness probe  src/app.ts:6',
        "POST    /internal/reindex  none                                              none                                         -                          src/app.ts:7   internal: path segment 'internal'",
        "DELETE  /orders/:id        passport.authenticate('jwt', { session: false })  authorized: requiredScopes('orders:delete')  -                          src/app.ts:10",
        'GET     /reports           unknown: checkTenant                              unknown                                      -                          src/app.ts:8',
        '',
        '4 routes: 1 authenticated, 2 without authentication, 0 with optional authentication, 1 unknown.',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(formatRouteJson(inventory)) as { version: number; routes: unknown[] };
    expect(json.version).toBe(1);
    expect(json.routes).toHaveLength(4);
    expect(formatRouteMarkdown(inventory).split('\n').slice(0, 3)).toEqual([
      '| Method | Path | Authentication | Authorization | Public | Location | Notes |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| GET | `/health` | none | none | health or readiness probe | src/app.ts:6 |  |',
    ]);
  });

  it("says why a route counts as public: marker, configured pattern with a method, login step, credential flow by path or by handler", () => {
    const abs = {
      '/repo/src/app.ts': `import express from 'express';
import passport from 'passport';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { User } from './user';
const app = express();
app.post('/session', passport.authenticate('local'), (req, res) => res.json({}));
const interaction = express.Router();
interaction.use(async (req, res, next) => {
  res.locals.interaction = await req.app.locals.provider.interactionDetails(req, res);
  next();
});
interaction.put('/profile', (req, res) => res.sendStatus(204));
app.use('/interaction', interaction);
app.post('/users/signin', (req, res) => res.json({}));
app.post('/tokens', async (req, res) => {
  const user = await User.findOne({ email: req.body.email });
  if (!user || !(await bcrypt.compare(req.body.password, user.hash))) return res.sendStatus(401);
  res.json({ token: jwt.sign({ sub: user.id }, process.env.KEY, { algorithm: 'RS256' }) });
});
app.get('/api/articles/:slug', (req, res) => res.json({}));
app.post('/api/articles', (req, res) => res.json({}));
app.use(passport.authenticate('jwt', { session: false }));
app.get('/me', (req, res) => res.json(req.user));
`,
      '/repo/src/user.ts': "import mongoose from 'mongoose';\nexport const User = mongoose.model('User', new mongoose.Schema({ email: String, hash: String }));\n",
    };
    const source: TextSource = { read: (p) => abs[p as keyof typeof abs], exists: (p) => p in abs };
    const project = new AnalysisProject('/repo', { publicRoutes: ['GET /api/articles/**'] }, source);
    for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
    const rows = getRouteInventory(project).routes.map((r) => `${r.method} ${r.path}: ${r.publicReason ?? '-'}`);
    expect(rows).toEqual([
      'POST /api/articles: -',
      "GET /api/articles/:slug: matches configured public route 'GET /api/articles/**'",
      expect.stringMatching(/^PUT \/interaction\/profile: sign-in flow endpoint \(inline function calls interactionDetails\(\) \(src\/app\.ts:\d+\): a step of the OpenID provider's sign-in flow\)$/),
      'GET /me: -',
      "POST /session: login endpoint (passport.authenticate('local') checks credentials)",
      expect.stringMatching(/^POST \/tokens: credential flow: the handler /),
      "POST /users/signin: credential flow endpoint ('signin')",
    ]);
  });

  it("tells a password hash check from a one-time code check by the callee's package, not by its name", () => {
    const abs = {
      '/repo/src/app.ts': `import express from 'express';
import * as argon2 from 'argon2';
import jwt from 'jsonwebtoken';
import { codes } from './codes';
import { User } from './user';
const app = express();
app.post('/api/sessions', async (req, res) => {
  const user = await User.findOne({ email: req.body.email });
  if (!user || !(await argon2.verify(user.hash, req.body.password))) return res.sendStatus(401);
  res.json({ token: jwt.sign({ sub: user.id }, process.env.KEY, { algorithm: 'RS256' }) });
});
app.post('/api/magic', async (req, res) => {
  const user = await codes.verify(req.body.code);
  res.json({ token: jwt.sign({ sub: user.id }, process.env.KEY, { algorithm: 'RS256' }) });
});
`,
      '/repo/src/codes.ts': "export const codes = { verify: async (code: string) => ({ id: code }) };\n",
      '/repo/src/user.ts': "import mongoose from 'mongoose';\nexport const User = mongoose.model('User', new mongoose.Schema({ email: String, hash: String }));\n",
    };
    const source: TextSource = { read: (p) => abs[p as keyof typeof abs], exists: (p) => p in abs };
    const project = new AnalysisProject('/repo', {}, source);
    for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
    const rows = getRouteInventory(project).routes.map((r) => `${r.method} ${r.path}: ${r.publicReason ?? '-'}`);
    expect(rows).toEqual([
      'POST /api/magic: credential flow: the handler verifies a one-time code (verify() at src/app.ts:13) and issues a credential (sign() at src/app.ts:14)',
      'POST /api/sessions: credential flow: the handler checks a password (verify() at src/app.ts:9) and issues a credential (sign() at src/app.ts:10)',
    ]);
  });
});
