import type { RuleCases } from '../support/rule-cases.js';

const USER_MODEL = `import mongoose from 'mongoose';
export const User = mongoose.model('User', new mongoose.Schema({ email: String, role: String }));
`;

const DOCUMENT_MODEL = `import mongoose from 'mongoose';
export const Document = mongoose.model('Document', new mongoose.Schema({ title: String, type: String }));
`;

const INFRA_TOKEN_GUARD = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// Infra tokens are issued by administrators to their automation: holding one is the administrator's grant.
@Injectable()
export class InfraTokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const authorization = request.headers['authorization'];
    if (!authorization?.startsWith('Bearer ')) throw new UnauthorizedException();
    const token = await prisma.infraToken.findUnique({ where: { token: authorization.split(' ')[1] } });
    if (!token) throw new UnauthorizedException();
    return true;
  }
}
`;

const USER_TOKEN_GUARD = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

@Injectable()
export class UserTokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const authorization = request.headers['authorization'];
    if (!authorization?.startsWith('Bearer ')) throw new UnauthorizedException();
    const session = await prisma.session.findUnique({ where: { token: authorization.split(' ')[1] } });
    if (!session) throw new UnauthorizedException();
    request.user = session.user;
    return true;
  }
}
`;

const ADMIN_USERS_CONTROLLER = (guard: string, file: string) => `import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { ${guard} } from './${file}';

const prisma = new PrismaClient();

@Controller('infra')
@UseGuards(${guard})
export class InfraController {
  @Patch('users/:uid/admin-status')
  async setAdmin(@Param('uid') uid: string, @Body() body: { isAdmin: boolean }) {
    if (body.isAdmin) return prisma.user.update({ where: { id: uid }, data: { isAdmin: true } });
    return prisma.user.update({ where: { id: uid }, data: { isAdmin: false } });
  }
}
`;

export const cases: RuleCases = {
  valid: [
    {
      name: "a status compared with a constant is no decision on the role the service's result carries",
      files: {
        'src/auth.service.js': `exports.signup = async (req) => {
  const { email, role } = req.body;
  if (!email) return 400;
  return { email, role };
};
`,
      },
      filename: 'src/auth.controller.js',
      code: `const express = require('express');
const authService = require('./auth.service');
const app = express();
app.post('/auth/signup', async (req, res) => {
  const response = await authService.signup(req);
  if (response === 400) return res.status(400).end();
  res.status(201).json(response);
});
`,
    },
    {
      name: "the verified principal's role sent to an ACL service",
      filename: 'src/routes.js',
      files: { 'src/acl.js': `const axios = require('axios');
exports.acl = async (req, res, next) => {
  const role = req.user.role;
  const response = await axios.post('http://acl-service:8081/roles', { role, service: 'product', access: 1 });
  if (response.data !== true) return res.status(403).json({ error: 'forbidden' });
  next();
};
` },
      code: `const express = require('express');
const passport = require('passport');
const { acl } = require('./acl');
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/products', acl, (req, res) => res.json({}));
`,
    },
    {
      name: 'Nest: behind a guard that looks an infra token up in a table, no user is identified (hoppscotch InfraTokenGuard)',
      filename: 'src/infra.controller.ts',
      files: { 'src/infra-token.guard.ts': INFRA_TOKEN_GUARD },
      code: ADMIN_USERS_CONTROLLER('InfraTokenGuard', 'infra-token.guard'),
    },
    {
      name: 'a role from the verified principal',
      code: `import express from 'express';
import passport from 'passport';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/reports', (req, res) => {
  if (req.user.role !== 'admin') return res.sendStatus(403);
  res.json([]);
});
`,
    },
    {
      name: 'a trusted gateway header',
      settings: { trustedIdentityHeaders: ['X-User-Role'] },
      code: `import express from 'express';
const app = express();
app.get('/reports', (req, res) => {
  if (req.headers['x-user-role'] !== 'admin') return res.sendStatus(403);
  res.json([]);
});
`,
    },
    {
      name: 'a presence check of a role in a registration body is validation',
      code: `import express from 'express';
const app = express();
app.post('/users', (req, res) => {
  if (req.body.role?.id) return res.status(400).json({ error: 'role cannot be chosen' });
  res.json({});
});
`,
    },
    {
      name: 'the own record of the caller, loaded by the principal',
      files: { 'src/user.ts': USER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { User } from './user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/reports', async (req, res) => {
  const me = await User.findById(req.user.id);
  if (me.role !== 'admin') return res.sendStatus(403);
  res.json([]);
});
`,
    },
    {
      name: "the named user's role kept as a rule of the operation (the last owner stays) after the caller's own role is checked (docmost change-role)",
      files: { 'src/user.ts': USER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { User } from './user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/members/:userId/role', async (req, res) => {
  if (req.user.role !== 'admin') return res.sendStatus(403);
  const user = await User.findById(req.params.userId);
  const owners = await User.countDocuments({ role: 'owner' });
  if (user.role === 'owner' && owners === 1) return res.sendStatus(400);
  await User.updateOne({ _id: user.id }, { role: req.body.role });
  res.sendStatus(204);
});
`,
    },
    {
      name: "the role asked for the user the body names, compared with a constant beside a check on that user (keep the last owner: teable's space collaborators)",
      code: `import express from 'express';
import passport from 'passport';
import { collaborators } from './collaborators';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.patch('/spaces/:spaceId/collaborators', async (req, res) => {
  const { userId, role } = req.body;
  if (req.body.role !== 'owner' && (await collaborators.isOnlyOwner(req.params.spaceId, req.body.userId))) return res.status(400).json({ error: 'Cannot change the role of the only owner' });
  await collaborators.update(req.params.spaceId, userId, role);
  res.sendStatus(204);
});
`,
    },
    {
      name: "a record's kind compared with a constant that names no privilege level (docmost export, outline share)",
      files: { 'src/document.ts': DOCUMENT_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Document } from './document';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/documents/:id/export', async (req, res) => {
  const document = await Document.findById(req.params.id);
  if (document.type === 'folder') return res.sendStatus(400);
  res.json(document);
});
`,
    },
  ],
  invalid: [
    {
      name: 'an admin flag in the query string',
      code: `import express from 'express';
const app = express();
app.get('/reports', (req, res) => {
  if (req.query.isAdmin === 'true') return res.json({ all: true });
  res.sendStatus(403);
});
`,
      errors: [{ messageId: 'privilegeFromInput', line: 4, column: 7, data: { input: 'query.isAdmin' } }],
    },
    {
      name: 'a role header in a route-level middleware',
      filename: 'src/middleware/role.ts',
      files: {
        'src/index.ts': `import express from 'express';
import { requireAdmin } from './middleware/role';
const app = express();
app.delete('/orders/:id', requireAdmin, (req, res) => res.sendStatus(204));
`,
      },
      code: `export function requireAdmin(req, res, next) {
  const role = req.get('X-User-Role');
  if (role !== 'admin') return res.status(403).end();
  next();
}
`,
      errors: [{ messageId: 'identityFromHeader', line: 3, column: 7 }],
    },
    {
      name: 'a role in the body compared with a constant',
      code: `import express from 'express';
const app = express();
app.post('/settings', (req, res) => {
  if (['admin', 'owner'].includes(req.body.role)) return res.json({ saved: true });
  res.sendStatus(403);
});
`,
      errors: [{ messageId: 'privilegeFromInput', line: 4, column: 7, data: { input: 'body.role' } }],
    },
    {
      name: 'a role in the body compared with a constant beside an order id the body names (no user) stays a decision',
      code: `import express from 'express';
const app = express();
app.post('/orders/:orderId/refund', (req, res) => {
  if (req.body.role === 'manager' && req.body.orderId) return res.json({ refunded: req.body.orderId });
  res.sendStatus(403);
});
`,
      errors: [{ messageId: 'privilegeFromInput', line: 4, column: 7, data: { input: 'body.role' } }],
    },
    {
      name: 'the role of the user named in the URL instead of the caller',
      files: { 'src/user.ts': USER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { User } from './user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/projects/:projectId/members/:userId', async (req, res) => {
  const user = await User.findById(req.params.userId);
  if (user.role !== 'admin') return res.sendStatus(403);
  res.sendStatus(204);
});
`,
      errors: [{ messageId: 'namedUserPrivilege', line: 8, column: 7 }],
    },
    {
      name: "the type of the user named in the URL compared with a privilege level, where the caller's privileges are never checked",
      files: { 'src/user.ts': USER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { User } from './user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/members/:userId/reports', async (req, res) => {
  const user = await User.findById(req.params.userId);
  const owners = await User.countDocuments({ role: 'owner' });
  if (user.type !== 'admin' && owners > 0) return res.sendStatus(403);
  res.json([]);
});
`,
      errors: [{ messageId: 'namedUserPrivilege', line: 9, column: 7 }],
    },
    {
      name: 'Nest: identity header as the owner key of a query',
      filename: 'src/orders.controller.ts',
      files: {
        'src/order.entity.ts': `import { Entity, Column, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Order {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() userId: string;\n}\n`,
      },
      code: `import { Controller, Get, Headers } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';

@Controller('orders')
export class OrdersController {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  @Get()
  list(@Headers('x-user-id') userId: string) {
    return this.orders.find({ where: { userId } });
  }
}
`,
      errors: [{ messageId: 'identityFromHeader', line: 12, column: 12 }],
    },
    {
      name: 'Nest: the admin flag decides behind a guard that identifies the user',
      filename: 'src/infra.controller.ts',
      files: { 'src/user-token.guard.ts': USER_TOKEN_GUARD },
      code: ADMIN_USERS_CONTROLLER('UserTokenGuard', 'user-token.guard'),
      errors: [{ messageId: 'privilegeFromInput', line: 12, column: 9 }],
    },
    {
      name: 'a role from the body handed to an ACL service as the subject (a per-request permission check)',
      filename: 'src/acl.js',
      files: {
        'src/routes.js': `const express = require('express');
const passport = require('passport');
const { acl } = require('./acl');
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/products', acl, (req, res) => res.json({}));
`,
      },
      code: `const axios = require('axios');
exports.acl = async (req, res, next) => {
  const role = req.body.role;
  const response = await axios.post('http://acl-service:8081/roles', { role, service: 'product', access: 1 });
  if (response.data !== true) return res.status(403).json({ error: 'forbidden' });
  next();
};
`,
      errors: [{ messageId: 'privilegeFromInput', line: 4, column: 70, data: { input: 'body.role' } }],
    },
    {
      name: 'an admin flag from the query copied into a variable named after it, then compared (brokencrystals deleteUserPhotoById)',
      code: `import express from 'express';
const app = express();
app.delete('/users/:id/photo', (req, res) => {
  const isAdminParam = String(req.query.isAdmin).toLowerCase();
  if (isAdminParam !== 'true') return res.sendStatus(403);
  res.sendStatus(204);
});
`,
      errors: [{ messageId: 'privilegeFromInput', line: 5, column: 7, data: { input: 'query.isAdmin' } }],
    },
  ],
};
