import type { RuleCases } from '../support/rule-cases.js';

const ORDER_MODEL = `import mongoose from 'mongoose';
const OrderSchema = new mongoose.Schema({ owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User' }, total: Number });
export const Order = mongoose.model('Order', OrderSchema);
`;

const APPEND_OWNER = (key: string) => `import type { NextFunction, Request, Response } from 'express';
import { sessions } from './sessions';
export const appendOwner = () => (req: Request, res: Response, next: NextFunction) => {
  try {
    req.body.${key} = sessions.tokenMap[String(req.headers.authorization)].data.id;
    next();
  } catch (error) {
    res.status(401).json({ error: 'unauthorized' });
  }
};
`;
/** An authentication middleware that stores the verified token's subject under a request member of its own. */
const VERIFY_WRITES = (write: string) => `import jwt from 'jsonwebtoken';
export const verifyToken = (req, res, next) => {
  const token = String(req.headers.authorization).split(' ')[1];
  if (!token) return res.status(401).json({ message: 'no token' });
  ${write}
};
`;
const SESSIONS = `export const sessions = { tokenMap: {} as Record<string, { data: { id: string } }> };\n`;

const PRISMA_SCHEMA = `model User {
  id     Int       @id
  email  String
  notes  Note[]
}

model Note {
  id        Int    @id
  body      String
  author    User   @relation(fields: [authorId], references: [id])
  authorId  Int
  starredBy User[]
}

model Tag {
  id   Int    @id
  name String
}
`;

const NEST_AUTH = `import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';

export const ROLES_KEY = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private jwtService: JwtService) {}
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const token = request.headers.authorization?.split(' ')[1];
    if (!token) throw new UnauthorizedException();
    request.user = await this.jwtService.verifyAsync(token, { secret: process.env.JWT_SECRET });
    return true;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const { user } = context.switchToHttp().getRequest();
    if (!roles.some((role) => user.roles?.includes(role))) throw new ForbiddenException();
    return true;
  }
}
`;

const NEST_HEADER_DECORATOR = `import { createParamDecorator, ExecutionContext } from '@nestjs/common';
export const CurrentUser = createParamDecorator((data: unknown, ctx: ExecutionContext) => ({ id: Number(ctx.switchToHttp().getRequest().headers['x-user-id']) }));
`;

const NEST_USER_DECORATOR = `import { createParamDecorator, ExecutionContext } from '@nestjs/common';
export const CurrentUser = createParamDecorator((data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest().user);
`;

const TYPEORM_POST = `import { Entity, PrimaryGeneratedColumn, Column, ManyToOne } from 'typeorm';
import { UserEntity } from './user.entity';

@Entity()
export class PostEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column() title: string;
  @ManyToOne(() => UserEntity) author: UserEntity;
}
`;

const SEQUELIZE_INVOICE = `import { DataTypes, Model, Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL as string);
export class Invoice extends Model {}
Invoice.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, userId: DataTypes.INTEGER, amount: DataTypes.DECIMAL }, { sequelize });
`;

const MIKRO_TICKET = `import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { User } from './user';

@Entity()
export class Ticket {
  @PrimaryKey() id!: number;
  @Property() title!: string;
  @ManyToOne(() => User) reporter!: User;
}
`;

const MIKRO_ORM = `import { MikroORM } from '@mikro-orm/postgresql';
export const orm = await MikroORM.init();
`;

const KNEX_MIGRATION = `exports.up = (knex) => knex.schema.createTable('invoices', (t) => {
  t.increments('id');
  t.integer('user_id').references('users.id');
  t.decimal('amount');
});
`;

const KNEX_DB = `import knex from 'knex';\nexport const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n`;

const DRIZZLE_SCHEMA = `import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: serial('id').primaryKey(), email: text('email') });
export const notes = pgTable('notes', { id: serial('id').primaryKey(), body: text('body'), authorId: integer('author_id').references(() => users.id) });
`;

const DRIZZLE_DB = `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL as string);\n`;

const EXPRESS_HEAD = `import express from 'express';
import passport from 'passport';
`;

const CLS_REQUEST_CONTEXT = `import { ClsService } from 'nestjs-cls';

export class RequestContext {
  protected static clsService: ClsService;
  readonly _req: { user?: { id: string; tenantId: string; roleId: string } };

  static setClsService(service: ClsService) {
    RequestContext.clsService = service;
  }

  static currentRequestContext(): RequestContext {
    return RequestContext.clsService?.get(RequestContext.name);
  }

  static currentUser() {
    const context = RequestContext.currentRequestContext();
    return context ? context._req['user'] : null;
  }

  static currentTenantId(): string | null {
    const user = RequestContext.currentUser();
    return user?.tenantId || null;
  }

  static currentRoleId(): string | null {
    return RequestContext.currentUser()?.roleId || null;
  }

  static currentCorrelationId(): string | null {
    return RequestContext.clsService?.get('correlationId');
  }
}
`;

const TENANT_INVOICE = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Invoice {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() tenantId: string;
  @Column() amount: number;
}
`;

const INVOICE_SERVICE = (key: string) => `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Invoice } from './invoice.entity';
import { RequestContext } from './request-context';

@Injectable()
export class InvoiceService {
  constructor(@InjectRepository(Invoice) private readonly repository: Repository<Invoice>) {}

  remove(id: string) {
    return this.repository.delete({ id, tenantId: RequestContext.${key}() });
  }
}
`;

const INVOICE_CONTROLLER = `import { Controller, Delete, Param, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InvoiceService } from './invoice.service';

@Controller('invoices')
@UseGuards(AuthGuard('jwt'))
export class InvoiceController {
  constructor(private readonly invoices: InvoiceService) {}

  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.invoices.remove(id);
  }
}
`;

const ALS_CONTEXT = `import { AsyncLocalStorage } from 'node:async_hooks';
export const storage = new AsyncLocalStorage<{ userId: string; traceId: string }>();
export const currentUserId = () => storage.getStore()?.userId;
export const currentTraceId = () => storage.getStore()?.traceId;
`;

const CRUD_SERVICE = `import { Repository } from 'typeorm';
export abstract class CrudService<T> {
  constructor(protected readonly repository: Repository<T>) {}
  countBy(options?: object) {
    let where = {};
    if (options) where = options;
    return this.repository.count({ where });
  }
}
`;

const USER_MODEL = `import mongoose from 'mongoose';
export const User = mongoose.model('User', new mongoose.Schema({ email: String, name: String, isAdmin: Boolean }));
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

/** A service whose filter is keyed by the user id it is given, and a controller passing it `@CurrentUser()`'s id: owner-scoped exactly when that decorator yields the principal. */
const POSTS_SERVICE_FIND_MINE = `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PostEntity } from './post.entity';

@Injectable()
export class PostsService {
  constructor(@InjectRepository(PostEntity) private readonly repository: Repository<PostEntity>) {}
  findMine(id: number, userId: number) {
    return this.repository.findOne({ where: { id, author: { id: userId } } });
  }
}
`;

const POSTS_CONTROLLER_CURRENT_USER = `import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from './auth';
import { CurrentUser } from './user.decorator';
import { PostsService } from './posts.service';

@Controller('posts')
@UseGuards(JwtAuthGuard)
export class PostsController {
  constructor(private readonly postsService: PostsService) {}

  @Get(':id')
  findOne(@Param('id') id: string, @CurrentUser() user: { id: number }) {
    return this.postsService.findMine(Number(id), user.id);
  }
}
`;

/** Hono: a role middleware built by createMiddleware and used by name, registered as a gate for one method and path. */
const HONO_ADMIN_ONLY = `import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
export const adminOnly = createMiddleware(async (c, next) => {
  if (c.get('jwtPayload').role !== 'admin') throw new HTTPException(403);
  await next();
});
`;
const honoIndex = (gate: string) => `import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
import { adminOnly } from './admin-only';
import users from './users';
const app = new Hono();
app.use('/api/*', jwt({ secret: process.env.JWT_PUBLIC_KEY!, alg: 'RS256' }));
${gate}
app.route('/api/users', users);
export default app;
`;
const HONO_USERS = `import { Hono } from 'hono';
import { db } from './db';
const users = new Hono();
users.patch('/:id/roles', async (c) => c.json(await db.users.setRoles(c.req.param('id'), await c.req.json())));
export default users;
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'a JWT middleware stores the verified subject as req.id: a filter keyed by req.id is owner-scoped',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/auth.ts': VERIFY_WRITES("const decoded = jwt.verify(token, process.env.JWT_KEY);\n  req.id = decoded.id;\n  next();") },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { verifyToken } from './auth';
const app = express();
app.delete('/orders/:id', verifyToken, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: req.id })));
`,
    },
    {
      name: "a JWT middleware stores the subject in jwt.verify's callback (req.subject = user.sub): a filter keyed by it is owner-scoped",
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/auth.ts': VERIFY_WRITES("jwt.verify(token, process.env.JWT_KEY, (err, user) => {\n    if (err) return res.status(401).end();\n    req.subject = user.sub;\n    next();\n  });") },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { verifyToken } from './auth';
const app = express();
app.delete('/orders/:id', verifyToken, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: req.subject })));
`,
    },
    {
      name: 'Prisma: an update that only connects the caller to the note (starring) changes the caller, not the note',
      files: { 'prisma/schema.prisma': PRISMA_SCHEMA, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
      code: `${EXPRESS_HEAD}import { prisma } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/notes/:id/star', async (req, res) => res.json(await prisma.note.update({ where: { id: Number(req.params.id) }, data: { starredBy: { connect: { id: req.user.id } } } })));
`,
    },
    {
      name: "a middleware overwrites the body field with the user a token store keeps for the request's bearer token, through a helper (juice-shop jwtFrom)",
      files: {
        'src/models/order.ts': ORDER_MODEL,
        'src/sessions.ts': SESSIONS,
        'src/jwt-from.ts': `export const jwtFrom = ({ headers }: { headers: Record<string, string | undefined> }) => {
  const parts = headers.authorization?.split(' ') ?? [];
  return parts.length === 2 && /^Bearer$/i.test(parts[0] as string) ? parts[1] : undefined;
};
`,
        'src/append-owner.ts': `import type { NextFunction, Request, Response } from 'express';
import { sessions } from './sessions';
import { jwtFrom } from './jwt-from';
export const appendOwner = () => (req: Request, res: Response, next: NextFunction) => {
  const user = sessions.tokenMap[jwtFrom(req) as string];
  req.body.owner = user.data.id;
  next();
};
`,
      },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { appendOwner } from './append-owner';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', appendOwner(), async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: req.body.owner })));
`,
    },
    {
      name: "a change of the caller's own record that reads the article the path names (unfavourite)",
      files: {
        'src/models/user.ts': USER_MODEL,
        'src/models/article.ts': `import mongoose from 'mongoose';
export const Article = mongoose.model('Article', new mongoose.Schema({ slug: String, author: { type: mongoose.Schema.Types.ObjectId, ref: 'User' } }));
`,
      },
      code: `${EXPRESS_HEAD}import { Article } from './models/article';
import { User } from './models/user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/articles/:slug/favorite', async (req, res) => {
  const article = await Article.findOne({ slug: req.params.slug });
  const me = await User.findById(req.user.id);
  me.favorites.pull(article._id);
  res.json(await me.save());
});
`,
    },
    {
      name: 'Nest: behind a guard that looks an infra token up in a table, no user is identified (hoppscotch InfraTokenGuard)',
      filename: 'src/infra.controller.ts',
      files: { 'src/infra-token.guard.ts': INFRA_TOKEN_GUARD },
      code: ADMIN_USERS_CONTROLLER('InfraTokenGuard', 'infra-token.guard'),
    },
    {
      name: 'a user search by what the client typed is not a listing of all accounts',
      files: { 'src/models/user.ts': USER_MODEL },
      code: `${EXPRESS_HEAD}import { User } from './models/user';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/people', async (req, res) => res.json(await User.find({ name: req.query.name }, 'name')));
`,
    },
    {
      name: 'listing all accounts behind a role check',
      files: { 'src/models/user.ts': USER_MODEL },
      code: `${EXPRESS_HEAD}import { User } from './models/user';
const isAdmin = (req, res, next) => (req.user.isAdmin ? next() : res.sendStatus(403));
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/benefits', isAdmin, async (req, res) => res.json(await User.find({ isAdmin: { $ne: true } })));
`,
    },
    {
      name: "Nest: an admin-worded route answering the caller's own permissions through a tenant-aware base service (super call, let reassigned)",
      filename: 'src/auth.controller.ts',
      files: {
        'src/request-context.ts': CLS_REQUEST_CONTEXT,
        'src/crud.service.ts': CRUD_SERVICE,
        'src/tenant-aware.service.ts': `import { CrudService } from './crud.service';
import { RequestContext } from './request-context';
export abstract class TenantAwareCrudService<T> extends CrudService<T> {
  countBy(options?: object) {
    const user = RequestContext.currentUser();
    return super.countBy({ ...options, tenantId: user?.tenantId });
  }
}
`,
        'src/role.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TenantAwareCrudService } from './tenant-aware.service';
export class Role { id: string; tenantId: string; permission: string; }
@Injectable()
export class RoleService extends TenantAwareCrudService<Role> {
  constructor(@InjectRepository(Role) repository: Repository<Role>) {
    super(repository);
  }
}
`,
      },
      code: `import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { RequestContext } from './request-context';
import { RoleService } from './role.service';

@Controller('auth')
@UseGuards(AuthGuard('jwt'))
export class AuthController {
  constructor(private readonly roles: RoleService) {}

  @Get('permissions')
  async hasPermissions(@Query('permission') permission: string) {
    return (await this.roles.countBy({ id: RequestContext.currentRoleId(), permission })) > 0;
  }
}
`,
    },
    {
      name: 'an owner-filtered load of the same order covers the delete by id that follows',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', async (req, res) => {
  const order = await Order.findOne({ _id: req.params.id, owner: req.user.id });
  if (!order) return res.sendStatus(404);
  await Order.deleteOne({ _id: req.params.id });
  res.sendStatus(204);
});
`,
    },
    {
      name: 'Nest: the tenant filter comes from a request context over nestjs-cls (ever-gauzy RequestContext.currentTenantId())',
      filename: 'src/invoice.controller.ts',
      files: { 'src/request-context.ts': CLS_REQUEST_CONTEXT, 'src/invoice.entity.ts': TENANT_INVOICE, 'src/invoice.service.ts': INVOICE_SERVICE('currentTenantId') },
      code: INVOICE_CONTROLLER,
    },
    {
      name: 'the owner filter comes from an AsyncLocalStorage store the authentication middleware filled',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/context.ts': ALS_CONTEXT },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { currentUserId } from './context';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => res.json(await Order.findOne({ _id: req.params.id, owner: currentUserId() })));
`,
    },
    {
      name: 'cls-hooked: the user put in the namespace is the principal',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { getNamespace } from 'cls-hooked';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: getNamespace('request').get('user').id })));
`,
    },
    {
      name: 'Sequelize: findOne keyed by the principal',
      files: { 'src/invoice.ts': SEQUELIZE_INVOICE },
      code: `${EXPRESS_HEAD}import { Invoice } from './invoice';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/invoices/:id', async (req, res) => res.json(await Invoice.findOne({ where: { id: req.params.id, userId: req.user.id } })));
`,
    },
    {
      name: 'MikroORM: EntityManager findOne keyed by the principal',
      files: { 'src/ticket.ts': MIKRO_TICKET, 'src/user.ts': 'export class User { id!: number; }\n', 'src/orm.ts': MIKRO_ORM },
      code: `${EXPRESS_HEAD}import { orm } from './orm';
import { Ticket } from './ticket';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/tickets/:id', async (req, res) => res.json(await orm.em.fork().findOne(Ticket, { id: Number(req.params.id), reporter: req.user.id })));
`,
    },
    {
      name: 'Knex: a table from a migration, filtered by the principal',
      files: { 'migrations/001_invoices.js': KNEX_MIGRATION, 'src/db.ts': KNEX_DB },
      code: `${EXPRESS_HEAD}import { db } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/invoices/:id', async (req, res) => res.json(await db('invoices').where({ id: req.params.id, user_id: req.user.id }).first()));
`,
    },
    {
      name: 'Knex: where and andWhere chained on one query filter it together, the principal included',
      files: { 'migrations/001_invoices.js': KNEX_MIGRATION, 'src/db.ts': KNEX_DB },
      code: `${EXPRESS_HEAD}import { db } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/invoices/:id', async (req, res) => res.json(await db('invoices').where({ id: req.params.id }).andWhere({ user_id: req.user.id }).del()));
`,
    },
    {
      name: 'Drizzle: and(eq(id), eq(authorId, principal))',
      files: { 'src/schema.ts': DRIZZLE_SCHEMA, 'src/db.ts': DRIZZLE_DB },
      code: `${EXPRESS_HEAD}import { and, eq } from 'drizzle-orm';
import { db } from './db';
import { notes } from './schema';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/notes/:id', async (req, res) => res.json(await db.delete(notes).where(and(eq(notes.id, Number(req.params.id)), eq(notes.authorId, req.user.id)))));
`,
    },
    {
      name: 'casbin enforce decides before the owned record is returned',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { newEnforcer } from 'casbin';
import { Order } from './models/order';
const enforcer = await newEnforcer('model.conf', 'policy.csv');
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  if (!(await enforcer.enforce(req.user.id, 'orders', 'read'))) return res.sendStatus(403);
  res.json(await Order.findById(req.params.id));
});
`,
    },
    {
      name: 'Oso authorize on the loaded record',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { Oso } from 'oso';
import { Order } from './models/order';
const oso = new Oso();
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  await oso.authorize(req.user, 'read', order);
  res.json(order);
});
`,
    },
    {
      name: 'Cerbos checkResource on a local PDP',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { GRPC } from '@cerbos/grpc';
import { Order } from './models/order';
const cerbos = new GRPC('localhost:3593', { tls: false });
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  const decision = await cerbos.checkResource({ principal: { id: req.user.id, roles: req.user.roles }, resource: { kind: 'order', id: String(order.id) }, actions: ['delete'] });
  if (!decision.isAllowed('delete')) return res.sendStatus(403);
  await order.deleteOne();
  res.sendStatus(204);
});
`,
    },
    {
      name: 'an OPA sidecar on localhost decides (policy query over loopback)',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  const response = await fetch('http://localhost:8181/v1/data/orders/allow', { method: 'POST', body: JSON.stringify({ input: { user: req.user, order } }) });
  const { result } = await response.json();
  if (!result) return res.sendStatus(403);
  res.json(order);
});
`,
    },
    {
      name: 'accesscontrol: ac.can(role).readAny with the permission checked',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { AccessControl } from 'accesscontrol';
import { Order } from './models/order';
const ac = new AccessControl({ admin: { order: { 'read:any': ['*'] } } });
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  const permission = ac.can(req.user.role).readAny('order');
  if (!permission.granted) return res.sendStatus(403);
  res.json(await Order.findById(req.params.id));
});
`,
    },
    {
      name: 'CASL accessibleBy turns the ability into the Prisma filter',
      files: { 'prisma/schema.prisma': PRISMA_SCHEMA, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`, 'src/ability.ts': 'export const abilityFor = (user: unknown) => user;\n' },
      code: `${EXPRESS_HEAD}import { accessibleBy } from '@casl/prisma';
import { prisma } from './db';
import { abilityFor } from './ability';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/notes/:id', async (req, res) => res.json(await prisma.note.findFirst({ where: { AND: [accessibleBy(abilityFor(req.user)).Note, { id: Number(req.params.id) }] } })));
`,
    },
    {
      name: 'a middleware before the handler overwrites the body field with the id from the token (juice-shop appendUserId)',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/sessions.ts': SESSIONS, 'src/append-owner.ts': APPEND_OWNER('owner') },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
import { appendOwner } from './append-owner';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders', appendOwner(), async (req, res) => res.json(await Order.find({ owner: req.body.owner })));
`,
    },
    {
      name: 'Mongoose filter keyed by the principal',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  res.json(await Order.findOne({ _id: req.params.id, owner: req.user.id }));
});
`,
    },
    {
      name: 'Prisma filter keyed by the principal in a service module',
      files: {
        'prisma/schema.prisma': PRISMA_SCHEMA,
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/notes.service.ts': `import { prisma } from './db';
export async function getNote(id: number, userId: number) {
  return prisma.note.findFirst({ where: { id, authorId: userId } });
}
`,
      },
      code: `import express from 'express';
import passport from 'passport';
import { getNote } from './notes.service';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/notes/:id', async (req, res) => res.json(await getNote(Number(req.params.id), req.user.id)));
`,
    },
    {
      name: 'owner comparison two calls away in a service method, then a 403',
      files: {
        'src/models/order.ts': ORDER_MODEL,
        'src/orders.repository.ts': `import { Order } from './models/order';
export class OrdersRepository {
  byId(id: string) {
    return Order.findById(id);
  }
}
`,
        'src/orders.service.ts': `import { OrdersRepository } from './orders.repository';
const repository = new OrdersRepository();
export class OrdersService {
  async cancel(id: string, user: { id: string }) {
    const order = await repository.byId(id);
    if (String(order.owner) !== user.id) throw Object.assign(new Error('forbidden'), { status: 403 });
    return order;
  }
}
`,
      },
      code: `import express from 'express';
import passport from 'passport';
import { OrdersService } from './orders.service';
const service = new OrdersService();
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/orders/:id/cancel', async (req, res) => res.json(await service.cancel(req.params.id, req.user)));
app.delete('/orders/:id', async (req, res) => res.json(await service.cancel(req.params.id, req.user)));
`,
    },
    {
      name: 'Koa: an owner comparison asserted with ctx.assert rejects as an if-throw does',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
import { Order } from './models/order';
const app = new Koa();
const router = new Router();
router.use(jwt({ secret: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] }));
router.del('/orders/:id', async (ctx) => {
  const order = await Order.findById(ctx.params.id);
  ctx.assert(String(order.owner) === ctx.state.user.id, 403, 'not yours');
  await order.deleteOne();
  ctx.body = {};
});
app.use(router.routes());
`,
    },
    {
      name: 'a path segment that asks whether the caller is an admin (is-organization-admin, hasAdminRole) names no admin area',
      code: `import express from 'express';
import passport from 'passport';
import { github } from './github';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/user/is-organization-admin', async (req, res) => res.json({ isAdmin: await github.isOrgAdmin(req.user.githubId, req.query.org) }));
app.get('/user/hasAdminRole', (req, res) => res.json({ admin: req.user.roles.includes('admin') }));
`,
    },
    {
      name: 'Hono: a role middleware created with createMiddleware and registered by name for the method and path (app.patch(path, adminOnly)) gates the route mounted after it',
      files: { 'src/admin-only.ts': HONO_ADMIN_ONLY, 'src/index.ts': honoIndex("app.patch('/api/users/:id/roles', adminOnly);") },
      filename: 'src/users.ts',
      code: HONO_USERS,
    },
    {
      name: 'CASL decides in the handler',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { ForbiddenError } from '@casl/ability';
import { Order } from './models/order';
import { defineAbilityFor } from './ability';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.put('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  ForbiddenError.from(defineAbilityFor(req.user)).throwUnlessCan('update', order);
  res.json(await order.save());
});
`,
    },
    {
      name: 'a /me route touches only the caller',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/me/orders', async (req, res) => res.json(await Order.find({ owner: req.user.id })));
`,
    },
    {
      name: 'admin route behind a role check',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const requireRole = (role) => (req, res, next) => (req.user.roles.includes(role) ? next() : res.status(403).end());
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/admin/orders/:id', requireRole('admin'), async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
`,
    },
    {
      name: 'an unresolved access check given the principal makes the verdict unknown',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { assertCanRead } from '@acme/permissions';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  await assertCanRead(req.user, order);
  res.json(order);
});
`,
    },
    {
      name: 'a configured authorization function counts',
      settings: { authorizationFunctions: ['assertOwner'] },
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  const order = await Order.findById(req.params.id);
  assertOwner(order);
  res.json(order);
});
`,
    },
    {
      name: 'shared catalogue data (no owner field) and routes without authentication are not judged',
      files: { 'prisma/schema.prisma': PRISMA_SCHEMA, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
      code: `import express from 'express';
import passport from 'passport';
import { prisma } from './db';
const app = express();
app.get('/public/notes/:id', async (req, res) => res.json(await prisma.note.findUnique({ where: { id: Number(req.params.id) } })));
app.use(passport.authenticate('jwt', { session: false }));
app.get('/tags/:id', async (req, res) => res.json(await prisma.tag.findUnique({ where: { id: Number(req.params.id) } })));
`,
    },
    {
      name: 'Nest: @Roles on the controller makes the RolesGuard decide for an admin controller',
      filename: 'src/admin.controller.ts',
      files: { 'src/auth.ts': NEST_AUTH, 'src/post.entity.ts': TYPEORM_POST, 'src/user.entity.ts': 'export class UserEntity { id: number; }\n' },
      code: `import { Controller, Delete, Param, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JwtAuthGuard, Roles, RolesGuard } from './auth';
import { PostEntity } from './post.entity';

@Controller('admin/posts')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('admin')
export class AdminController {
  constructor(@InjectRepository(PostEntity) private readonly posts: Repository<PostEntity>) {}

  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.posts.delete({ id: Number(id) });
  }
}
`,
    },
    {
      name: 'Nest: a TypeORM filter keyed by the principal through a service',
      filename: 'src/posts.controller.ts',
      files: {
        'src/auth.ts': NEST_AUTH,
        'src/user.decorator.ts': NEST_USER_DECORATOR,
        'src/post.entity.ts': TYPEORM_POST,
        'src/user.entity.ts': 'export class UserEntity { id: number; }\n',
        'src/posts.service.ts': POSTS_SERVICE_FIND_MINE,
      },
      code: POSTS_CONTROLLER_CURRENT_USER,
    },
  ],
  invalid: [
    {
      name: 'Hono: without the gate registration the roles route has no role check',
      files: { 'src/admin-only.ts': HONO_ADMIN_ONLY, 'src/index.ts': honoIndex("app.patch('/api/users/:id/avatar', adminOnly);") },
      filename: 'src/users.ts',
      code: HONO_USERS,
      errors: [{ messageId: 'adminWithoutRole', line: 4, column: 1 }],
    },
    {
      name: 'handlers exported as asyncHandler(...) constants and a schema built by mongoose.Schema() without new: a read by id is not tied to the caller, the owner-filtered list is',
      files: {
        'src/models/order.js': "import mongoose from 'mongoose';\nconst orderSchema = mongoose.Schema({ user: { type: mongoose.Schema.Types.ObjectId, ref: 'User' }, total: Number });\nexport default mongoose.model('Order', orderSchema);\n",
        'src/app.js': "import express from 'express';\nimport orders from './routes/orders.js';\nconst app = express();\napp.use('/api/orders', orders);\napp.listen(3000);\n",
        'src/controllers/orders.js': "import asyncHandler from 'express-async-handler';\nimport Order from '../models/order.js';\nexport const getOrderById = asyncHandler(async (req, res) => {\n  res.json(await Order.findById(req.params.id));\n});\nexport const getMyOrders = asyncHandler(async (req, res) => {\n  res.json(await Order.find({ user: req.user._id }));\n});\n",
      },
      filename: 'src/routes/orders.js',
      code: `import express from 'express';
import passport from 'passport';
import { getMyOrders, getOrderById } from '../controllers/orders.js';
const router = express.Router();
router.use(passport.authenticate('jwt', { session: false }));
router.get('/mine', getMyOrders);
router.get('/:id', getOrderById);
export default router;
`,
      errors: [{ messageId: 'unboundResource', line: 7, column: 1 }],
    },
    {
      name: 'Koa: an asserted existence check (ctx.assert(order, 404)) is no owner comparison',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import Koa from 'koa';
import Router from 'koa-router';
import jwt from 'koa-jwt';
import { Order } from './models/order';
const app = new Koa();
const router = new Router();
router.use(jwt({ secret: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] }));
router.del('/orders/:id', async (ctx) => {
  const order = await Order.findById(ctx.params.id);
  ctx.assert(order, 404);
  await order.deleteOne();
  ctx.body = {};
});
app.use(router.routes());
`,
      errors: [{ messageId: 'unboundResource', line: 8, column: 1 }],
    },
    {
      name: 'an admin route registered by two calls is one finding',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/admin/orders/:id', (req, res, next) => (req.params.id ? next() : res.sendStatus(400)));
app.delete('/admin/orders/:id', async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
`,
      errors: [{ messageId: 'adminWithoutRole', line: 6, column: 1 }],
    },
    {
      name: 'Nest: a parameter decorator named like the user but reading a client header is not the principal (followed to its createParamDecorator)',
      filename: 'src/posts.controller.ts',
      files: {
        'src/auth.ts': NEST_AUTH,
        'src/user.decorator.ts': NEST_HEADER_DECORATOR,
        'src/post.entity.ts': TYPEORM_POST,
        'src/user.entity.ts': 'export class UserEntity { id: number; }\n',
        'src/posts.service.ts': POSTS_SERVICE_FIND_MINE,
      },
      code: POSTS_CONTROLLER_CURRENT_USER,
      errors: [{ messageId: 'unboundResource', line: 11, column: 3 }],
    },
    {
      name: 'a middleware overwrites another body field: the handler still acts on the account the client names',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/sessions.ts': SESSIONS, 'src/append-owner.ts': APPEND_OWNER('requester') },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
import { appendOwner } from './append-owner';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders', appendOwner(), async (req, res) => res.json(await Order.find({ owner: req.body.owner })));
`,
      errors: [{ messageId: 'requestNamedAccount', line: 7, column: 1, data: { input: 'body.owner' } }],
    },
    {
      name: 'Mongoose findById by a path parameter of an owned model',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => {
  res.json(await Order.findById(req.params.id));
});
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1, data: { input: 'params.id' } }],
    },
    {
      name: 'Prisma delete by id two calls away',
      files: {
        'prisma/schema.prisma': PRISMA_SCHEMA,
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/notes.repository.ts': `import { prisma } from './db';\nexport const removeNote = (id: number) => prisma.note.delete({ where: { id } });\n`,
        'src/notes.service.ts': `import { removeNote } from './notes.repository';\nexport async function deleteNote(noteId: number) {\n  return removeNote(noteId);\n}\n`,
      },
      code: `import express from 'express';
import passport from 'passport';
import { deleteNote } from './notes.service';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/notes/:id', async (req, res) => res.json(await deleteNote(Number(req.params.id))));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1 }],
    },
    {
      name: "Hono: c.get('workspace') reads what the API-key middleware set, the caller's tenant, not a header; a tenant id the client sends in a header is still the request's",
      files: {
        'src/schema.ts': `import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
export const monitors = pgTable('monitors', { id: serial('id').primaryKey(), url: text('url'), tenantId: integer('tenant_id') });
`,
        'src/db.ts': DRIZZLE_DB,
        'src/auth.ts': `import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
export const apiKeyAuth = createMiddleware(async (c, next) => {
  const key = c.req.header('x-api-key');
  if (!key) throw new HTTPException(401, { message: 'Missing API key' });
  const workspace = await findWorkspaceByKey(key);
  if (!workspace) throw new HTTPException(401, { message: 'Invalid API key' });
  c.set('workspace', workspace);
  await next();
});
`,
      },
      filename: 'src/index.ts',
      code: `import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { apiKeyAuth } from './auth';
import { db } from './db';
import { monitors } from './schema';
const app = new Hono();
app.use('*', apiKeyAuth);
app.get('/monitors/:id', async (c) => c.json(await db.select().from(monitors).where(and(eq(monitors.id, Number(c.req.param('id'))), eq(monitors.tenantId, c.get('workspace').id)))));
app.delete('/monitors/:id', async (c) => c.json(await db.delete(monitors).where(and(eq(monitors.id, Number(c.req.param('id'))), eq(monitors.tenantId, Number(c.req.header('x-tenant')))))));
export default app;
`,
      errors: [{ messageId: 'unboundResource', line: 9, column: 1 }],
    },
    {
      name: "a scope check that lets reads through (const method = c.req.method; if (method === 'GET' || method === 'HEAD') return next()) authorizes the writes of an admin route, not its reads",
      files: {
        'src/require-scope.ts': `import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
export const requireWriteScope = () => createMiddleware(async (c, next) => {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return next();
  const scopes = c.get('apiKey')?.scopes ?? [];
  if (!scopes.includes('write')) throw new HTTPException(403, { message: 'API key lacks write scope' });
  return next();
});
`,
      },
      filename: 'src/index.ts',
      code: `import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { requireWriteScope } from './require-scope';
const app = new Hono();
app.use('*', bearerAuth({ token: process.env.API_TOKEN }));
app.use('*', requireWriteScope());
app.get('/admin/api-keys', async (c) => c.json(await listApiKeys()));
app.delete('/admin/api-keys/:id', async (c) => c.json(await revokeApiKey(c.req.param('id'))));
export default app;
`,
      errors: [{ messageId: 'adminWithoutRole', line: 7, column: 1 }],
    },
    {
      name: "Drizzle relational queries (db.query.notes.findFirst({ where })) are reads of the table the member names: one keyed by the principal is owner-scoped, one by the path's id alone is not tied to the caller",
      files: { 'src/schema.ts': DRIZZLE_SCHEMA, 'src/db.ts': DRIZZLE_DB },
      code: `${EXPRESS_HEAD}import { and, eq } from 'drizzle-orm';
import { db } from './db';
import { notes } from './schema';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/notes/:id', async (req, res) => res.json(await db.query.notes.findFirst({ where: and(eq(notes.id, Number(req.params.id)), eq(notes.authorId, req.user.id)) })));
app.get('/shared-notes/:id', async (req, res) => res.json(await db.query.notes.findFirst({ where: eq(notes.id, Number(req.params.id)), with: { author: true } })));
`,
      errors: [{ messageId: 'unboundResource', line: 9, column: 1 }],
    },
    {
      name: 'admin route with authentication only',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/admin/orders/:id', async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
app.post('/organization-admin/invites', async (req, res) => res.json(await Order.deleteMany({})));
`,
      errors: [
        { messageId: 'adminWithoutRole', line: 6, column: 1 },
        { messageId: 'adminWithoutRole', line: 7, column: 1 },
      ],
    },
    {
      name: "an authentication middleware that keeps the caller's admin flag for later (req.user = { ...user, admin: isAdmin(user) }) checks no role; a step that lets only that flag through (if (req.user.admin) return next(), else 401) does",
      files: {
        'src/models/order.ts': ORDER_MODEL,
        'src/auth.js': `import passport from 'passport';
function isAdmin(user) {
  return user.role === 'ADMIN';
}
export function jwt(req, res, next) {
  passport.authenticate('jwt', (err, user) => {
    if (err) return next(err);
    if (!user) return res.status(401).send('Unauthorized.');
    if (user.banned) return res.status(403).send('You are banned.');
    res.locals.isAdmin = isAdmin(user);
    req.user = { ...user, admin: isAdmin(user) };
    return next();
  })(req, res, next);
}
export function admin(req, res, next) {
  if (req.user.admin) return next();
  throw new HttpError('Unauthorized', 401);
}
export function signedIn(req, res, next) {
  if (req.user) return next();
  throw new HttpError('Unauthorized', 401);
}
`,
      },
      code: `import express from 'express';
import * as auth from './auth';
import { Order } from './models/order';
const app = express();
app.delete('/admin/orders/:id', auth.jwt, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
app.delete('/admin/carts/:id', auth.jwt, auth.signedIn, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
app.delete('/admin/invoices/:id', auth.jwt, auth.admin, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id })));
`,
      errors: [
        { messageId: 'adminWithoutRole', line: 5, column: 1 },
        { messageId: 'adminWithoutRole', line: 6, column: 1 },
      ],
    },
    {
      name: 'the account named by the path instead of the principal',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `import express from 'express';
import passport from 'passport';
import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/users/:userId/orders', async (req, res) => res.json(await Order.find({ owner: req.params.userId })));
`,
      errors: [{ messageId: 'requestNamedAccount', line: 6, column: 1, data: { input: 'params.userId' } }],
    },
    {
      name: 'Nest: a RolesGuard without @Roles metadata authorizes nothing on an admin route',
      filename: 'src/admin.controller.ts',
      files: { 'src/auth.ts': NEST_AUTH, 'src/post.entity.ts': TYPEORM_POST, 'src/user.entity.ts': 'export class UserEntity { id: number; }\n' },
      code: `import { Controller, Delete, Param, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JwtAuthGuard, RolesGuard } from './auth';
import { PostEntity } from './post.entity';

@Controller('admin/posts')
@UseGuards(JwtAuthGuard, RolesGuard)
export class AdminController {
  constructor(@InjectRepository(PostEntity) private readonly posts: Repository<PostEntity>) {}

  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.posts.delete({ id: Number(id) });
  }
}
`,
      errors: [{ messageId: 'adminWithoutRole', line: 12, column: 3 }],
    },
    {
      name: 'Nest: TypeORM update by id through a service, no owner in the filter',
      filename: 'src/posts.controller.ts',
      files: {
        'src/auth.ts': NEST_AUTH,
        'src/post.entity.ts': TYPEORM_POST,
        'src/user.entity.ts': 'export class UserEntity { id: number; }\n',
        'src/posts.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PostEntity } from './post.entity';

@Injectable()
export class PostsService {
  constructor(@InjectRepository(PostEntity) private readonly repository: Repository<PostEntity>) {}
  rename(id: number, title: string) {
    return this.repository.update({ id }, { title });
  }
}
`,
      },
      code: `import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from './auth';
import { PostsService } from './posts.service';

@Controller('posts')
@UseGuards(JwtAuthGuard)
export class PostsController {
  constructor(private readonly postsService: PostsService) {}

  @Patch(':id')
  rename(@Param('id') id: string, @Body('title') title: string) {
    return this.postsService.rename(Number(id), title);
  }
}
`,
      errors: [{ messageId: 'unboundResource', line: 10, column: 3 }],
    },
    {
      name: 'Sequelize: findByPk by a path parameter of a model with a userId column',
      files: { 'src/invoice.ts': SEQUELIZE_INVOICE },
      code: `${EXPRESS_HEAD}import { Invoice } from './invoice';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/invoices/:id', async (req, res) => res.json(await Invoice.findByPk(req.params.id)));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1, data: { input: 'params.id', entity: "'Invoice'" } }],
    },
    {
      name: 'Sequelize: destroy where id only',
      files: { 'src/invoice.ts': SEQUELIZE_INVOICE },
      code: `${EXPRESS_HEAD}import { Invoice } from './invoice';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/invoices/:id', async (req, res) => res.json(await Invoice.destroy({ where: { id: req.params.id } })));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1 }],
    },
    {
      name: 'MikroORM: EntityManager findOne by id of an entity with a reporter relation',
      files: { 'src/ticket.ts': MIKRO_TICKET, 'src/user.ts': 'export class User { id!: number; }\n', 'src/orm.ts': MIKRO_ORM },
      code: `${EXPRESS_HEAD}import { orm } from './orm';
import { Ticket } from './ticket';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/tickets/:id', async (req, res) => res.json(await orm.em.fork().findOne(Ticket, { id: Number(req.params.id) })));
`,
      errors: [{ messageId: 'unboundResource', line: 7, column: 1, data: { input: 'params.id', entity: "'Ticket'" } }],
    },
    {
      name: 'Knex: delete by id of a table whose migration has a user_id column',
      files: { 'migrations/001_invoices.js': KNEX_MIGRATION, 'src/db.ts': KNEX_DB },
      code: `${EXPRESS_HEAD}import { db } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/invoices/:id', async (req, res) => res.json(await db('invoices').where({ id: req.params.id }).del()));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1, data: { input: 'params.id', entity: "'invoices'" } }],
    },
    {
      name: 'Drizzle: delete where eq(id) only',
      files: { 'src/schema.ts': DRIZZLE_SCHEMA, 'src/db.ts': DRIZZLE_DB },
      code: `${EXPRESS_HEAD}import { eq } from 'drizzle-orm';
import { db } from './db';
import { notes } from './schema';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/notes/:id', async (req, res) => res.json(await db.delete(notes).where(eq(notes.id, Number(req.params.id)))));
`,
      errors: [{ messageId: 'unboundResource', line: 8, column: 1, data: { input: 'params.id', entity: "'notes'" } }],
    },
    {
      name: 'casbin: adding a policy is not a decision',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { newEnforcer } from 'casbin';
import { Order } from './models/order';
const enforcer = await newEnforcer('model.conf', 'policy.csv');
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', async (req, res) => {
  await enforcer.removePolicy(req.user.id, 'orders', 'delete');
  res.json(await Order.deleteOne({ _id: req.params.id }));
});
`,
      errors: [{ messageId: 'unboundResource', line: 8, column: 1 }],
    },
    {
      name: 'Nest: a request-context value that is not the caller (a correlation id) is no owner filter',
      filename: 'src/invoice.controller.ts',
      files: { 'src/request-context.ts': CLS_REQUEST_CONTEXT, 'src/invoice.entity.ts': TENANT_INVOICE, 'src/invoice.service.ts': INVOICE_SERVICE('currentCorrelationId') },
      code: INVOICE_CONTROLLER,
      errors: [{ messageId: 'unboundResource', line: 10, column: 3, data: { input: 'params.id', entity: "'Invoice'" } }],
    },
    {
      name: 'an AsyncLocalStorage trace id in the owner field is not the caller',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/context.ts': ALS_CONTEXT },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { currentTraceId } from './context';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/orders/:id', async (req, res) => res.json(await Order.findOne({ _id: req.params.id, owner: currentTraceId() })));
`,
      errors: [{ messageId: 'unboundResource', line: 7, column: 1 }],
    },
    {
      name: 'a query filtered by the principal does not cover a delete of another record by bare id',
      files: { 'src/models/order.ts': ORDER_MODEL },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', async (req, res) => {
  const mine = await Order.countDocuments({ owner: req.user.id });
  if (mine === 0) return res.sendStatus(404);
  await Order.deleteOne({ _id: req.params.id });
  res.sendStatus(204);
});
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1 }],
    },
    {
      name: 'Nest: an admin-worded route whose query holds no principal (a correlation id from the request context) through a plain base service',
      filename: 'src/auth.controller.ts',
      files: {
        'src/request-context.ts': CLS_REQUEST_CONTEXT,
        'src/crud.service.ts': CRUD_SERVICE,
        'src/role.service.ts': `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CrudService } from './crud.service';
export class Role { id: string; permission: string; }
@Injectable()
export class RoleService extends CrudService<Role> {
  constructor(@InjectRepository(Role) repository: Repository<Role>) {
    super(repository);
  }
}
`,
      },
      code: `import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { RequestContext } from './request-context';
import { RoleService } from './role.service';

@Controller('auth')
@UseGuards(AuthGuard('jwt'))
export class AuthController {
  constructor(private readonly roles: RoleService) {}

  @Get('permissions')
  async hasPermissions(@Query('permission') permission: string) {
    return (await this.roles.countBy({ id: RequestContext.currentCorrelationId(), permission })) > 0;
  }
}
`,
      errors: [{ messageId: 'adminWithoutRole', line: 11, column: 3 }],
    },
    {
      name: 'listing all accounts through a DAO with no role check (NodeGoat GET /benefits)',
      files: {
        'src/models/user.ts': USER_MODEL,
        'src/benefits-dao.ts': `import { User } from './models/user';
export function BenefitsDAO() {
  this.getAllNonAdminUsers = (callback) => User.find({ isAdmin: { $ne: true } }, callback);
}
`,
      },
      code: `${EXPRESS_HEAD}import { BenefitsDAO } from './benefits-dao';
const benefitsDAO = new BenefitsDAO();
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.get('/benefits', (req, res, next) => benefitsDAO.getAllNonAdminUsers((error, users) => (error ? next(error) : res.render('benefits', { users }))));
`,
      errors: [{ messageId: 'adminWithoutRole', line: 7, column: 1, data: { reason: "it lists other users' accounts ('User')" } }],
    },
    {
      name: 'Nest: the same admin route behind a guard that identifies the user',
      filename: 'src/infra.controller.ts',
      files: { 'src/user-token.guard.ts': USER_TOKEN_GUARD },
      code: ADMIN_USERS_CONTROLLER('UserTokenGuard', 'user-token.guard'),
      errors: [{ messageId: 'adminWithoutRole', line: 10, column: 3 }],
    },
    {
      name: 'a middleware overwrites the owner with a configured default whose name mentions auth: not the caller',
      files: {
        'src/models/order.ts': ORDER_MODEL,
        'src/settings.ts': `export const authDefaults = { owner: 'system' };\n`,
        'src/append-owner.ts': `import type { NextFunction, Request, Response } from 'express';
import { authDefaults } from './settings';
export const appendOwner = () => (req: Request, res: Response, next: NextFunction) => {
  req.body.owner = authDefaults.owner;
  next();
};
`,
      },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { appendOwner } from './append-owner';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.delete('/orders/:id', appendOwner(), async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: req.body.owner })));
`,
      errors: [{ messageId: 'unboundResource', line: 7, column: 1 }],
    },
    {
      name: 'Prisma: an update that connects someone the client names to the note is still unbound',
      files: { 'prisma/schema.prisma': PRISMA_SCHEMA, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` },
      code: `${EXPRESS_HEAD}import { prisma } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/notes/:id/star', async (req, res) => res.json(await prisma.note.update({ where: { id: Number(req.params.id) }, data: { starredBy: { connect: { id: Number(req.body.friendId) } } } })));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1 }],
    },
    {
      name: 'near miss: a member the JWT middleware sets from something other than the verified token (req.traceId) is not the principal',
      files: { 'src/models/order.ts': ORDER_MODEL, 'src/auth.ts': VERIFY_WRITES("const decoded = jwt.verify(token, process.env.JWT_KEY);\n  req.claims = decoded;\n  req.traceId = req.headers['x-trace-id'];\n  next();") },
      code: `${EXPRESS_HEAD}import { Order } from './models/order';
import { verifyToken } from './auth';
const app = express();
app.delete('/orders/:id', verifyToken, async (req, res) => res.json(await Order.deleteOne({ _id: req.params.id, owner: req.traceId })));
`,
      errors: [{ messageId: 'unboundResource', line: 6, column: 1 }],
    },
  ],
};
