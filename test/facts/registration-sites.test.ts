import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/core/extract.js';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';
import { EXPRESS_EXTRACTOR } from '../../src/facts/routes/express.js';
import { HONO_EXTRACTOR } from '../../src/facts/routes/hono.js';
import { extractRoutes } from '../../src/facts/routes/index.js';
import { KOA_EXTRACTOR } from '../../src/facts/routes/koa.js';
import { IMPORTED_CALLEES, REGISTRATION_SITES } from '../../src/facts/routes/registration-sites.js';
import type { RouteExtractor, RouteFact } from '../../src/facts/routes/types.js';

const EXTRACTORS: RouteExtractor[] = [EXPRESS_EXTRACTOR, KOA_EXTRACTOR, HONO_EXTRACTOR];

/**
 * A project whose files come with their portable facts computed as an extraction thread computes them (a parse of
 * the file alone, copied between threads), or, with `select: false`, one that selects nothing and walks every file.
 */
function buildProject(files: Record<string, string>, select: boolean): AnalysisProject {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const project = new AnalysisProject('/repo', {}, source, select ? {} : { select: false });
  for (const [p, text] of Object.entries(abs)) {
    if (!select) {
      project.addFile(p, text);
      continue;
    }
    const summary = structuredClone(summarizeFile(p, text, PORTABLE_FACTS, p.slice('/repo/'.length)));
    project.addFile(p, text, { index: summary.index, ...(summary.importSpecifiers ? { importSpecifiers: summary.importSpecifiers } : {}), facts: summary.facts ?? {} });
  }
  return project;
}

function describeRoute(route: RouteFact): string {
  return `${route.methods.join('|')} ${route.path} ${route.file}: ${route.chain.map((s) => s.name).join(', ')}`;
}

/** The stack frameworks' routes with the registration gate, checked against a walk of every file; and the files parsed. */
function extract(files: Record<string, string>): { routes: string[]; parsed: string[] } {
  const project = buildProject(files, true);
  const routes = extractRoutes(project, EXTRACTORS).map(describeRoute);
  expect(routes).toEqual(extractRoutes(buildProject(files, false), EXTRACTORS).map(describeRoute));
  const parsed = project
    .files()
    .filter((f) => f.isParsed)
    .map((f) => f.relPath);
  return { routes, parsed };
}

const AUTH = `export function requireAuth(req, res, next) {
  if (!req.headers.authorization) return res.sendStatus(401);
  next();
}
`;

describe('registration sites (the portable gate of the Express/Koa/Hono registration search)', () => {
  it('keeps a registration reachable only through a parameter bound in another file', () => {
    const { routes, parsed } = extract({
      'src/auth.ts': AUTH,
      'src/routes.ts': `import { requireAuth } from './auth';
export function mount(app) {
  app.get('/users', requireAuth, (req, res) => res.json([]));
}
`,
      'src/app.ts': `import express from 'express';
import { mount } from './routes';
const app = express();
mount(app);
app.listen(3000);
`,
    });
    expect(routes).toEqual(['GET /users src/routes.ts: requireAuth']);
    expect(parsed).toContain('src/routes.ts');
  });

  it('keeps a router passed through two files before it is mounted', () => {
    const { routes } = extract({
      'src/auth.ts': AUTH,
      'src/router.ts': `import { Router } from 'express';
export const router = Router();
`,
      'src/users.ts': `export function addUsers(r) {
  r.post('/users', (req, res) => res.end());
}
`,
      'src/api.ts': `import { router } from './router';
import { addUsers } from './users';
addUsers(router);
export { router };
`,
      'src/app.ts': `import express from 'express';
import { requireAuth } from './auth';
import { router } from './api';
const app = express();
app.use('/api', requireAuth, router);
`,
    });
    expect(routes).toEqual(['POST /api/users src/users.ts: requireAuth']);
  });

  it('keeps a default-exported function called with the app elsewhere', () => {
    const { routes } = extract({
      'src/auth.ts': AUTH,
      'src/routes/index.js': `const { requireAuth } = require('../auth');
module.exports = (app) => {
  app.use(requireAuth);
  app.get('/me', (req, res) => res.json(req.user));
};
`,
      'src/server.js': `const express = require('express');
const routes = require('./routes');
const app = express();
routes(app);
`,
    });
    expect(routes).toEqual(['GET /me src/routes/index.js: requireAuth']);
  });

  it('keeps this.app.use in a class, initialised as a property or in the constructor', () => {
    const { routes } = extract({
      'src/auth.ts': AUTH,
      'src/server.ts': `import express from 'express';
import { requireAuth } from './auth';
export class Server {
  app = express();
  constructor() { this.routes(); }
  routes() {
    this.app.use('/admin', requireAuth);
    this.app.get('/admin/stats', (req, res) => res.end());
  }
}
`,
      'src/legacy.ts': `import express from 'express';
export class Legacy {
  private server: any;
  constructor() {
    this.server = express();
    this.server.delete('/items/:id', (req, res) => res.end());
  }
}
`,
    });
    expect(routes).toEqual(['DELETE /items/:id src/legacy.ts: ', 'GET /admin/stats src/server.ts: requireAuth']);
  });

  it('keeps Koa routers and Hono apps served with serve({ fetch })', () => {
    const { routes } = extract({
      'src/koa.ts': `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
router.prefix('/v1');
router.get('/ping', (ctx) => { ctx.body = 'pong'; });
app.use(router.routes());
`,
      'src/hono.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/hello', (c) => c.text('hi'));
serve({ fetch: app.fetch, port: 3000 });
`,
    });
    expect(routes).toEqual(['GET /hello src/hono.ts: ', 'GET /v1/ping src/koa.ts: ']);
  });

  it('does not parse a file whose member calls only look like registrations', () => {
    const files = {
      'src/app.ts': `import express from 'express';
const app = express();
app.get('/health', (req, res) => res.send(req.get('host', 'x')));
`,
      'src/cache.ts': `import { Injectable } from '@nestjs/common';
import { Router as LibRouter } from 'some-routing-lib';
const map = new Map<string, string>();
class Cache { use(plugin: unknown, options: unknown) { return this; } }
const cache = new Cache();
cache.use(map, {});
const lib = LibRouter();
lib.get('/not-express', () => undefined);
@Injectable()
export class Settings {
  private readonly local = new Map();
  constructor(private readonly configService: { get(k: string, d: string): string }) {}
  read(key: string) {
    [1, 2].forEach((n) => map.delete(String(n)));
    return Promise.all([this.configService.get(key, 'fallback'), this.local.get(key), map.get(key)]);
  }
}
`,
    };
    const { routes, parsed } = extract(files);
    expect(routes).toEqual(['GET /health src/app.ts: ']);
    expect(parsed).not.toContain('src/cache.ts');
    const project = buildProject(files, true);
    const cache = project.files().find((f) => f.relPath === 'src/cache.ts');
    expect(cache && project.fileFact(REGISTRATION_SITES, cache)).toEqual([{ name: 'get', args: 2, builder: false, receiver: ['some-routing-lib'] }]);
  });

  it('finds a call through a re-export and reads no importer that calls nothing through the function\'s modules', () => {
    const { routes, parsed } = extract({
      'src/auth.ts': AUTH,
      'src/routes/users.ts': `import { requireAuth } from '../auth';
export default function (app) {
  app.get('/users', requireAuth, (req, res) => res.json([]));
}
`,
      'src/routes/index.ts': `export { default as mountUsers } from './users';
`,
      'src/app.ts': `import express from 'express';
import { mountUsers } from './routes';
const app = express();
mountUsers(app);
`,
      'src/format.ts': `export function pad(value, width) {
  return String(value).padStart(width);
}
`,
      'src/registry.ts': `import users from './routes/users';
import { pad } from './format';
export const mounters = [users];
export const label = pad('users', 10);
`,
    });
    expect(routes).toEqual(['GET /users src/routes/users.ts: requireAuth']);
    expect(parsed).toContain('src/app.ts');
    expect(parsed).not.toContain('src/registry.ts');
  });

  it('records where each possible registration leads outside its file', () => {
    const project = buildProject(
      {
        'src/a.ts': `import { router } from './router';
const express = require('express');
export function mount(app) { app.use('/a', router); }
router.get('/b', (req, res) => res.end());
express().listen(3000);
function local() { const m = new Map(); m.set('k', 'v', 1); return m; }
local().get('/c', () => 1);
`,
      },
      true,
    );
    const [file] = project.files();
    expect(file && project.fileFact(REGISTRATION_SITES, file)).toEqual([
      { name: 'use', args: 2, builder: false, receiver: true },
      { name: 'get', args: 2, builder: false, receiver: ['./router'] },
      { name: 'listen', args: 1, builder: false, receiver: ['express'], server: ['express'] },
    ]);
    expect(file?.isParsed).toBe(false);
  });

  it('records the modules a file calls something from with arguments', () => {
    const project = buildProject(
      {
        'src/a.ts': `import { mount, unused } from './routes';
import helper from '../lib/helper';
const legacy = require('./legacy');
mount(app);
helper();
require('./setup')(app, options);
legacy.init(app);
`,
      },
      true,
    );
    const [file] = project.files();
    expect(file && project.fileFact(IMPORTED_CALLEES, file)).toEqual(['./routes', './setup']);
  });
});
