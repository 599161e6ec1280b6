import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { findAll } from '../../src/core/walk.js';
import { classifyMiddleware } from '../../src/facts/routes/classify.js';
import { extractFastifyRoutes } from '../../src/facts/routes/fastify.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(files)) project.addFile(p, text);
  return project;
}

/** Classifies every argument of every `use(...)` call in /repo/app.js. */
function classifyUses(files: Record<string, string>): string[] {
  const project = memoryProject(files);
  const file = project.getFile('/repo/app.js')!;
  const calls = findAll(file.sourceFile, ts.isCallExpression).filter((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'use');
  return calls.flatMap((c) =>
    c.arguments.map((a) => {
      const r = classifyMiddleware(project, file, a);
      return `${a.getText(file.sourceFile)} => ${r.kind}${r.authorizes ? ' (authorizes)' : ''}`;
    }),
  );
}

const RIGHTS_FACTORY = `const passport = require('passport');
const httpStatus = require('http-status');
const ApiError = require('./ApiError');
const { roleRights } = require('./roles');

const verifyCallback = (req, resolve, reject, requiredRights) => async (err, user, info) => {
  if (err || info || !user) return reject(new ApiError(httpStatus.UNAUTHORIZED, 'Please authenticate'));
  req.user = user;
  if (requiredRights.length) {
    const userRights = roleRights.get(user.role);
    const hasRequiredRights = requiredRights.every((right) => userRights.includes(right));
    if (!hasRequiredRights && req.params.userId !== user.id) return reject(new ApiError(httpStatus.FORBIDDEN, 'Forbidden'));
  }
  resolve();
};

const auth = (...requiredRights) => async (req, res, next) =>
  new Promise((resolve, reject) => {
    passport.authenticate('jwt', { session: false }, verifyCallback(req, resolve, reject, requiredRights))(req, res, next);
  })
    .then(() => next())
    .catch((err) => next(err));

module.exports = auth;
`;

describe('authorization steps', () => {
  it('finds the rights check of a middleware factory, and none when no rights are asked for', () => {
    const result = classifyUses({
      '/repo/auth.js': RIGHTS_FACTORY,
      '/repo/app.js': `const auth = require('./auth');
app.use(auth('manageUsers'));
app.use(auth());
`,
    });
    expect(result).toEqual(["auth('manageUsers') => authentication (authorizes)", 'auth() => authentication']);
  });

  it('does not take input, feature or lookup checks next to a privilege word for authorization', () => {
    const result = classifyUses({
      '/repo/app.js': `app.use((req, res, next) => {
  if (req.body.scope === 'legacy') { res.status(410); return next(new Error('gone')); }
  next();
});
app.use((req, res, next) => {
  if (!req.query.role) return res.status(400).json({ error: 'role is required' });
  next();
});
app.use((req, res, next) => {
  if (!req.user.roles.includes('admin')) return res.status(403).json({ error: 'forbidden' });
  next();
});
`,
    });
    expect(result.map((r) => r.replace(/^[\s\S]*=> /, ''))).toEqual(['neutral', 'neutral', 'authorization']);
  });

  it('classifies a decorated Fastify middleware factory (fastify.checkRole(role)) by the hook it returns', () => {
    const project = memoryProject({
      '/repo/app.js': `const fastify = require('fastify')();
const fp = require('fastify-plugin');
fastify.register(require('@fastify/jwt'), { secret: process.env.JWT_SECRET });
fastify.decorate('checkToken', async (request, reply) => { await request.jwtVerify(); });
fastify.register(fp(async (instance) => {
  instance.decorate('checkRole', (requiredRole) => async (request, reply) => {
    if (request.user.role !== requiredRole) {
      reply.code(403).send({ message: 'Insufficient permissions' });
    }
  });
}));
fastify.get('/reports', { preHandler: [fastify.checkToken, fastify.checkRole('ADMIN')] }, async () => []);
fastify.listen({ port: 3000 });
`,
    });
    const [route] = extractFastifyRoutes(project);
    expect(route?.chain.map((s) => `${s.name}=${s.kind}`)).toEqual(['fastify.checkToken=authentication', "fastify.checkRole('ADMIN')=authorization"]);
  });
});
