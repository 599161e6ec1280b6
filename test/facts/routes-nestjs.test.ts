import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import type { ProjectSettings } from '../../src/core/types.js';
import { extractNestRoutes } from '../../src/facts/routes/nestjs.js';
import type { RouteFact } from '../../src/facts/routes/types.js';

function nestRoutes(files: Record<string, string>, settings: ProjectSettings = {}): RouteFact[] {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const project = new AnalysisProject('/repo', settings, source);
  for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
  return extractNestRoutes(project);
}

/** `GET /api/users: JwtAuthGuard=authentication, RolesGuard=neutral` */
function summary(route: RouteFact): string {
  const chain = route.chain.map((s) => `${s.name}=${s.kind}${s.optional ? '(optional)' : ''}`).join(', ');
  return `${route.methods.join('|')} ${route.path}: ${chain}`;
}

const PUBLIC_DECORATOR = `import { SetMetadata } from '@nestjs/common';
export const IS_PUBLIC_KEY = 'isPublic';
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
`;

const JWT_GUARD = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { IS_PUBLIC_KEY } from './public.decorator';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private jwtService: JwtService, private reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest();
    const token = this.extractTokenFromHeader(request);
    if (!token) throw new UnauthorizedException();
    try {
      request['user'] = await this.jwtService.verifyAsync(token, { secret: process.env.JWT_SECRET });
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }

  private extractTokenFromHeader(request: any): string | undefined {
    const [type, token] = request.headers.authorization?.split(' ') ?? [];
    return type === 'Bearer' ? token : undefined;
  }
}
`;

const ROLES = `import { SetMetadata, Injectable, CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
export const ROLES_KEY = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const requiredRoles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!requiredRoles) {
      return true;
    }
    const { user } = context.switchToHttp().getRequest();
    return requiredRoles.some((role) => user.roles?.includes(role));
  }
}
`;

describe('NestJS route model', () => {
  it('joins global prefix, controller and method paths and honours exclude', () => {
    const routes = nestRoutes({
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { RequestMethod } from '@nestjs/common';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  await app.listen(3000);
}
bootstrap();
`,
      'src/users.controller.ts': `import { Controller, Get, Post, Param } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Get() list() {}
  @Get(':id') one(@Param('id') id: string) {}
  @Post(['', 'bulk']) create() {}
}
@Controller({ path: 'health' })
export class HealthController {
  @Get() check() {}
}
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /api/v1/users: ',
      'GET /api/v1/users/:id: ',
      'POST /api/v1/users: ',
      'POST /api/v1/users/bulk: ',
      'GET /health: ',
    ]);
    expect(routes[0]?.owner).toBe('UsersController');
    expect(routes[0]?.mounts.map((m) => m.prefix)).toEqual(['api/v1', 'users']);
  });

  it('applies app.use middleware only when app comes from @nestjs/core NestFactory.create, bound by import not by name', () => {
    const controller = `import { Controller, Get } from '@nestjs/common';
@Controller('orders')
export class OrdersController {
  @Get() list() {}
}
`;
    const main = (factoryImport: string) => `${factoryImport}
import { expressjwt } from 'express-jwt';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(expressjwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['RS256'] }));
  await app.listen(3000);
}
bootstrap();
`;
    const real = nestRoutes({ 'src/main.ts': main("import { NestFactory } from '@nestjs/core';"), 'src/orders.controller.ts': controller });
    expect(real.map(summary)).toEqual(["GET /orders: expressjwt({…})=authentication"]);
    // A local object that happens to be called NestFactory is not a Nest application.
    const local = nestRoutes({ 'src/main.ts': main("import { NestFactory } from './testing/fake-factory';"), 'src/testing/fake-factory.ts': 'export const NestFactory = { create: async (m: unknown) => ({ use() {}, listen() {} }) };\n', 'src/orders.controller.ts': controller });
    expect(local.map(summary)).toEqual(['GET /orders: ']);
  });

  it('applies an APP_GUARD from any module and skips it where @Public() is honoured', () => {
    const routes = nestRoutes({
      'src/auth/public.decorator.ts': PUBLIC_DECORATOR,
      'src/auth/auth.guard.ts': JWT_GUARD,
      'src/auth/auth.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
@Module({ providers: [{ provide: APP_GUARD, useClass: AuthGuard }] })
export class AuthModule {}
`,
      'src/cats.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';
import { Public } from './auth/public.decorator';
@Controller('cats')
export class CatsController {
  @Public()
  @Get()
  findAll() {}
  @Post()
  create() {}
}
@Public()
@Controller('status')
export class StatusController {
  @Get() status() {}
}
`,
    });
    expect(routes.map(summary)).toEqual([
      'GET /cats: AuthGuard=neutral',
      'POST /cats: AuthGuard=authentication',
      'GET /status: AuthGuard=neutral',
    ]);
    expect(routes[0]?.publicMarkers.map((m) => [m.name, m.honoured])).toEqual([['@Public()', true]]);
    expect(routes[1]?.chain[0]?.reason).toMatch(/jwtService\.verifyAsync/);
  });

  it('honours a public marker only when the guard reads it through @nestjs/core Reflector, not through any member named reflector', () => {
    const files = (guard: string) => ({
      'src/auth/public.decorator.ts': PUBLIC_DECORATOR,
      'src/auth/auth.guard.ts': guard,
      'src/auth/auth.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
@Module({ providers: [{ provide: APP_GUARD, useClass: AuthGuard }] })
export class AuthModule {}
`,
      'src/cats.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { Public } from './auth/public.decorator';
@Controller('cats')
export class CatsController {
  @Public()
  @Get()
  findAll() {}
}
`,
    });
    const honoured = nestRoutes(files(JWT_GUARD));
    expect(honoured.map(summary)).toEqual(['GET /cats: AuthGuard=neutral']);
    // The same guard whose "reflector" is a configuration service: reading a key from it is no metadata read.
    const lookalike = JWT_GUARD.replace("import { Reflector } from '@nestjs/core';", "import { ConfigService as Reflector } from '@nestjs/config';");
    const notHonoured = nestRoutes(files(lookalike));
    expect(notHonoured.map(summary)).toEqual(['GET /cats: AuthGuard=authentication']);
    expect(notHonoured[0]?.publicMarkers.map((m) => [m.name, m.honoured])).toEqual([['@Public()', false]]);
  });

  it('does not honour a public marker that no guard reads', () => {
    const routes = nestRoutes({
      'src/skip.ts': `import { SetMetadata } from '@nestjs/common';
export const SkipAuth = () => SetMetadata('skipAuth', true);
`,
      'src/jwt.guard.ts': `import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
`,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { JwtAuthGuard } from './jwt.guard';
const app = await NestFactory.create(AppModule);
app.useGlobalGuards(new JwtAuthGuard());
`,
      'src/report.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { SkipAuth } from './skip';
@Controller('reports')
export class ReportController {
  @SkipAuth() @Get('daily') daily() {}
}
`,
    });
    expect(routes.map(summary)).toEqual(["GET /reports/daily: JwtAuthGuard=authentication"]);
    expect(routes[0]?.chain[0]?.reason).toBe("@nestjs/passport AuthGuard('jwt')");
    expect(routes[0]?.publicMarkers.map((m) => [m.name, m.honoured])).toEqual([['@SkipAuth()', false]]);
  });

  it("reads a guard's permission check in the methods of its own class, active only where @Permissions is set (teable's PermissionGuard)", () => {
    const routes = nestRoutes({
      'src/permissions.ts': `import { ForbiddenException, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { PermissionService } from './permission.service';
export const PERMISSIONS_KEY = 'permissions';
export const Permissions = (...permissions: string[]) => SetMetadata(PERMISSIONS_KEY, permissions);
@Injectable()
export class PermissionGuard {
  constructor(private readonly reflector: Reflector, private readonly cls: ClsService, private readonly permissionService: PermissionService) {}
  protected async resourcePermission(resourceId: string | undefined, permissions: string[]) {
    if (!resourceId) throw new ForbiddenException('permission check ID does not exist');
    await this.permissionService.validPermissions(resourceId, permissions, this.cls.get('accessTokenId'));
    return true;
  }
  protected async permissionCheck(context: ExecutionContext) {
    const permissions = this.reflector.getAllAndOverride<string[] | undefined>(PERMISSIONS_KEY, [context.getHandler(), context.getClass()]);
    if (!permissions?.length) {
      return true;
    }
    return await this.resourcePermission(context.switchToHttp().getRequest().params.baseId, permissions);
  }
  async canActivate(context: ExecutionContext) {
    return this.permissionCheck(context);
  }
}
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PermissionGuard } from './permissions';
@Module({ providers: [{ provide: APP_GUARD, useClass: AuthGuard('jwt') }, { provide: APP_GUARD, useClass: PermissionGuard }] })
export class AppModule {}
`,
      'src/base.controller.ts': `import { Controller, Delete, Get } from '@nestjs/common';
import { Permissions } from './permissions';
@Controller('api/base')
export class BaseController {
  @Delete(':baseId')
  @Permissions('base|delete')
  remove() {}
  @Get('access/list')
  list() {}
}
`,
    });
    expect(routes.map(summary)).toEqual([
      "DELETE /api/base/:baseId: AuthGuard('jwt')=authentication, PermissionGuard=authorization",
      "GET /api/base/access/list: AuthGuard('jwt')=authentication, PermissionGuard=neutral",
    ]);
  });

  it('orders global, controller and method guards; RolesGuard authorizes only where @Roles is set', () => {
    const routes = nestRoutes({
      'src/roles.ts': ROLES,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { RolesGuard } from './roles';
@Module({ providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }, { provide: APP_GUARD, useClass: RolesGuard }] })
export class AppModule {}
`,
      'src/admin.controller.ts': `import { Controller, Delete, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Roles } from './roles';
@Controller('admin')
@UseGuards(AuthGuard('jwt'))
export class AdminController {
  @Get('users') list() {}
  @Roles('admin')
  @Delete('users/:id') remove() {}
  @UseGuards(AuthGuard('local'))
  @Get('login') login() {}
}
`,
    });
    expect(routes.map(summary)).toEqual([
      "GET /admin/users: ThrottlerGuard=neutral, RolesGuard=neutral, AuthGuard('jwt')=authentication",
      "DELETE /admin/users/:id: ThrottlerGuard=neutral, RolesGuard=authorization, AuthGuard('jwt')=authentication",
      "GET /admin/login: ThrottlerGuard=neutral, RolesGuard=neutral, AuthGuard('jwt')=authentication, AuthGuard('local')=authentication",
    ]);
    expect(routes[1]?.chain.map((s) => s.scope)).toEqual(['global', 'global', 'controller']);
    expect(routes[2]?.chain[3]?.login).toBe(true);
  });

  it('expands applyDecorators composites into guards and metadata, and resolves RouterModule prefixes', () => {
    const routes = nestRoutes({
      'src/roles.ts': ROLES,
      'src/auth.decorator.ts': `import { applyDecorators, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Roles, RolesGuard } from './roles';
export function Auth(...roles: string[]) {
  return applyDecorators(Roles(...roles), UseGuards(AuthGuard('jwt'), RolesGuard));
}
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { OpsModule } from './ops/ops.module';
@Module({ imports: [OpsModule, RouterModule.register([{ path: 'internal', children: [{ path: 'ops', module: OpsModule }] }])] })
export class AppModule {}
`,
      'src/ops/ops.module.ts': `import { Module } from '@nestjs/common';
import { OpsController } from './ops.controller';
@Module({ controllers: [OpsController] })
export class OpsModule {}
`,
      'src/ops/ops.controller.ts': `import { Controller, Post, Get } from '@nestjs/common';
import { Auth } from '../auth.decorator';
@Controller('jobs')
export class OpsController {
  @Auth('admin')
  @Post('reindex') reindex() {}
  @Get() list() {}
}
`,
    });
    expect(routes.map(summary)).toEqual([
      "POST /internal/ops/jobs/reindex: AuthGuard('jwt')=authentication, RolesGuard=authorization",
      'GET /internal/ops/jobs: ',
    ]);
  });

  it('treats a custom guard by its body: fail-open verification, role checks, configured names', () => {
    const routes = nestRoutes(
      {
        'src/guards.ts': `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
@Injectable()
export class OptionalJwtGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    try {
      req.user = jwt.verify(req.headers.authorization, process.env.KEY);
    } catch (e) {
      req.user = undefined;
    }
    return true;
  }
}
@Injectable()
export class AdminOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    if (req.user?.role !== 'admin') throw new ForbiddenException();
    return true;
  }
}
@Injectable()
export class LoggingGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    console.log(context.getClass().name);
    return true;
  }
}
`,
        'src/c.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { OptionalJwtGuard, AdminOnlyGuard, LoggingGuard } from './guards';
import { GatewayGuard } from '@acme/gateway';
@Controller()
export class C {
  @UseGuards(OptionalJwtGuard, AdminOnlyGuard, LoggingGuard) @Get('a') a() {}
  @UseGuards(GatewayGuard) @Get('b') b() {}
}
`,
      },
      { authenticationMiddleware: ['GatewayGuard'] },
    );
    expect(routes.map(summary)).toEqual([
      'GET /a: OptionalJwtGuard=authentication(optional), AdminOnlyGuard=authorization, LoggingGuard=neutral',
      'GET /b: GatewayGuard=authentication',
    ]);
  });

  it('applies module middleware by route info, controller and wildcard, before guards; URI versioning adds the version segment', () => {
    const routes = nestRoutes({
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { VersioningType } from '@nestjs/common';
import helmet from 'helmet';
const app = await NestFactory.create(AppModule);
app.use(helmet());
app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
`,
      'src/auth.middleware.ts': `import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  use(req: any, res: any, next: () => void) {
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedException();
    req.user = jwt.verify(header.split(' ')[1], process.env.SECRET);
    next();
  }
}
`,
      'src/articles.module.ts': `import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuthMiddleware } from './auth.middleware';
import { ArticlesController } from './articles.controller';
@Module({ controllers: [ArticlesController] })
export class ArticlesModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes({ path: 'articles', method: RequestMethod.POST }, { path: 'articles/:slug', method: RequestMethod.DELETE });
  }
}
`,
      'src/articles.controller.ts': `import { Controller, Delete, Get, Post, Version } from '@nestjs/common';
@Controller('articles')
export class ArticlesController {
  @Get() list() {}
  @Post() create() {}
  @Delete(':slug') remove() {}
  @Version('2')
  @Get(':slug') one() {}
}
`,
    });
    expect(routes.map((r) => `${r.methods[0]} ${r.path}: ${r.chain.map((s) => `${s.phase}:${s.name}=${s.kind}`).join(', ')}`)).toEqual([
      'GET /v1/articles: middleware:helmet()=neutral',
      'POST /v1/articles: middleware:helmet()=neutral, middleware:AuthMiddleware=authentication',
      'DELETE /v1/articles/:slug: middleware:helmet()=neutral, middleware:AuthMiddleware=authentication',
      'GET /v2/articles/:slug: middleware:helmet()=neutral',
    ]);
  });

  it('follows a local guard factory to @nestjs/passport and ignores a public flag whose value is not known', () => {
    const routes = nestRoutes({
      'src/guards/auth.guard.ts': `import { AuthGuard as PassportGuard } from '@nestjs/passport';
export function AuthGuard(options?: { public?: boolean }) {
  const strategies = ['jwt'];
  if (options?.public) strategies.push('anonymous');
  return PassportGuard(strategies);
}
`,
      'src/decorators.ts': `import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { AuthGuard } from './guards/auth.guard';
export const PublicRoute = (isPublic = false) => SetMetadata('public_route', isPublic);
export function Auth(options?: { public?: boolean }) {
  return applyDecorators(UseGuards(AuthGuard({ public: options?.public })), PublicRoute(options?.public));
}
`,
      'src/posts.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { Auth } from './decorators';
@Controller('posts')
export class PostsController {
  @Auth() @Get() list() {}
}
`,
    });
    expect(routes.map(summary)).toEqual(['GET /posts: AuthGuard({ public: options?.public })=authentication']);
    expect(routes[0]?.publicMarkers).toEqual([]);
  });

  it('treats an anonymous passport fallback as optional and resolves APP_GUARD factories', () => {
    const routes = nestRoutes({
      'src/guards.ts': `import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtAuthGuard } from './guards';
@Module({ providers: [{ provide: APP_GUARD, useFactory: (reflector: Reflector) => new JwtAuthGuard(reflector), inject: [Reflector] }] })
export class AppModule {}
`,
      'src/feed.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Controller('feed')
export class FeedController {
  @UseGuards(AuthGuard(['jwt', 'anonymous'])) @Get() list() {}
}
`,
    });
    expect(routes.map(summary)).toEqual(["GET /feed: JwtAuthGuard=authentication, AuthGuard(['jwt', 'anonymous'])=authentication(optional)"]);
  });

  it('applies app-level settings only to controllers of the same Nest application in a monorepo', () => {
    const guard = `import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
`;
    const routes = nestRoutes({
      'services/a/src/jwt.guard.ts': guard,
      'services/a/src/auth.module.ts': `import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt.guard';
@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class AuthModule {
  static forRootAsync(): DynamicModule { return { module: AuthModule }; }
}
`,
      'services/a/src/users.module.ts': `import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
@Module({ controllers: [UsersController] })
export class UsersModule {}
`,
      'services/a/src/admin.module.ts': `import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { auditLog } from './audit';
@Module({ controllers: [AdminController] })
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer) { consumer.apply(auditLog).forRoutes('*'); }
}
`,
      'services/a/src/audit.ts': `export function auditLog(req: unknown, res: unknown, next: () => void) { next(); }
`,
      'services/a/src/app.module.ts': `import { Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AuthModule } from './auth.module';
import { UsersModule } from './users.module';
import { AdminModule } from './admin.module';
@Module({ imports: [AuthModule.forRootAsync(), { module: UsersModule }, RouterModule.register([{ path: 'admin', module: AdminModule }])] })
export class AppModule {}
`,
      'services/a/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('a');
  await app.listen(3001);
}
bootstrap();
`,
      'services/a/src/users.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('users')
export class UsersController { @Get() list() {} }
`,
      'services/a/src/admin.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('stats')
export class AdminController { @Get() stats() {} }
`,
      'services/b/src/app.module.ts': `import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
@Module({ controllers: [ReportsController] })
export class AppModule {}
`,
      'services/b/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3002);
}
bootstrap();
`,
      'services/b/src/reports.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('reports')
export class ReportsController { @Get() list() {} }
`,
    });
    expect(routes.map(summary).sort()).toEqual([
      'GET /a/admin/stats: auditLog=neutral, JwtAuthGuard=authentication',
      'GET /a/users: auditLog=neutral, JwtAuthGuard=authentication',
      'GET /reports: ',
    ]);
    expect(routes.find((r) => r.path === '/reports')?.listeners.map((l) => l.address)).toEqual(['3002']);
  });

  it('falls back to the package of an APP_GUARD when no NestFactory.create resolves', () => {
    const routes = nestRoutes({
      'services/a/package.json': '{ "name": "a" }',
      'services/b/package.json': '{ "name": "b" }',
      'services/a/src/app.module.ts': `import { Module, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class AppModule {}
`,
      'services/a/src/users.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('users')
export class UsersController { @Get() list() {} }
`,
      'services/b/src/reports.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('reports')
export class ReportsController { @Get() list() {} }
`,
    });
    expect(routes.map(summary).sort()).toEqual(['GET /reports: ', 'GET /users: JwtAuthGuard=authentication']);
  });

  it('reads a global prefix from configuration: a registerAs factory, a default argument, or nothing readable', () => {
    const controller = `import { Controller, Get } from '@nestjs/common';
@Controller('orders')
export class OrdersController { @Get() list() {} }
`;
    const module = `import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
@Module({ controllers: [OrdersController] })
export class AppModule {}
`;
    const main = (prefix: string) => `import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const config = app.get(ConfigService);
  app.setGlobalPrefix(${prefix});
  await app.listen(3000);
}
bootstrap();
`;
    const describeRoute = (prefix: string, extra: Record<string, string> = {}) => {
      const [route] = nestRoutes({ 'src/orders.controller.ts': controller, 'src/app.module.ts': module, 'src/main.ts': main(prefix), ...extra });
      return `${route?.path} resolved=${route?.pathResolved} prefixOnly=${route?.unresolvedPrefixOnly ?? false}`;
    };
    const registered = { 'src/config/app.config.ts': "import { registerAs } from '@nestjs/config';\nexport default registerAs('app', () => ({ apiPrefix: process.env.API_PREFIX || 'api' }));\n" };
    expect(describeRoute("config.getOrThrow('app.apiPrefix', { infer: true })", registered)).toBe('/api/orders resolved=false prefixOnly=true');
    expect(describeRoute("config.get('API_PREFIX', 'rest')")).toBe('/rest/orders resolved=false prefixOnly=true');
    expect(describeRoute("config.get('app.apiPrefix')")).toBe('/<unresolved>/orders resolved=false prefixOnly=true');
    expect(describeRoute("'v2'")).toBe('/v2/orders resolved=true prefixOnly=false');
  });

  it('leaves a controller no application reaches unjudged only when the applications install global guards', () => {
    const files = (globalGuard: boolean) => ({
      'package.json': '{}',
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { JwtAuthGuard } from './jwt-auth.guard';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  ${globalGuard ? 'app.useGlobalGuards(new JwtAuthGuard());' : ''}
  await app.listen(3000);
}
bootstrap();
`,
      'src/jwt-auth.guard.ts': "import { AuthGuard } from '@nestjs/passport';\nexport class JwtAuthGuard extends AuthGuard('jwt') {}\n",
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
@Module({ controllers: [OrdersController] })
export class AppModule {}
`,
      'src/orders.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController { @Get() list() {} }\n",
      'plugins/reports/package.json': '{}',
      'plugins/reports/reports.module.ts': `import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
`,
      'plugins/reports/reports.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('reports')\nexport class ReportsController { @Get() list() {} }\n",
    });
    const detached = (routes: RouteFact[]) => routes.map((r) => `${r.path} detached=${r.detached === true}`).sort();
    expect(detached(nestRoutes(files(true)))).toEqual(['/orders detached=false', '/reports detached=true']);
    expect(detached(nestRoutes(files(false)))).toEqual(['/orders detached=false', '/reports detached=false']);
  });
  it('judges a guard by its body: one that looks an API key or personal access token up in a store and rejects authenticates, whatever it is called; one that only reads the key does not', () => {
    const routes = nestRoutes({
      'src/platform.guard.ts': `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenStore } from './token.store';
@Injectable()
export class PlatformGuard implements CanActivate {
  constructor(private readonly tokens: TokenStore) {}
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const key = request.headers['x-api-key'] ?? request.headers.authorization?.replace('Bearer ', '');
    const owner = await this.tokens.findByToken(key);
    if (!owner) throw new UnauthorizedException('invalid access token');
    request.user = owner;
    return true;
  }
}
`,
      'src/api-key.guard.ts': `import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    Logger.debug(\`api key \${request.headers['x-api-key'] ? 'present' : 'absent'}\`);
    return true;
  }
}
`,
      'src/token.store.ts': `import { Injectable } from '@nestjs/common';
@Injectable()
export class TokenStore {
  async findByToken(token: string) { return this.repository.findOne({ where: { token } }); }
}
`,
      'src/exports.controller.ts': `import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { PlatformGuard } from './platform.guard';
import { ApiKeyGuard } from './api-key.guard';
@Controller('exports')
export class ExportsController {
  @Get()
  @UseGuards(PlatformGuard)
  list() { return []; }
  @Post()
  @UseGuards(ApiKeyGuard)
  create() { return {}; }
}
`,
    });
    expect(routes.map(summary).sort()).toEqual(['GET /exports: PlatformGuard=authentication', 'POST /exports: ApiKeyGuard=neutral']);
  });

  it('places plugin controllers reached through a configuration store: bootstrap(pluginConfig) → defineConfig(…) → getConfig().plugins in PluginModule.init()', () => {
    const service = (plugins: string, globalGuard: boolean) => ({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@acme/config': ['./packages/config/src/index.ts'], '@acme/core': ['./packages/core/src/index.ts'], '@acme/plugin': ['./packages/plugin/src/index.ts'], '@acme/reports': ['./packages/reports/src/index.ts'] } } }),
      'apps/api/package.json': '{}',
      'apps/api/src/main.ts': `import { bootstrap } from '@acme/core';
import { ReportsPlugin } from '@acme/reports';
export const pluginConfig = { port: 3000, plugins: ${plugins} };
bootstrap(pluginConfig);
`,
      'packages/config/package.json': '{}',
      'packages/config/src/index.ts': `import { deepMerge } from './merge';
let currentConfig = { port: 3000, plugins: [] };
export async function defineConfig(provided) { currentConfig = await deepMerge(currentConfig, provided); }
export function getConfig() { return Object.freeze({ ...currentConfig }); }
`,
      'packages/config/src/merge.ts': 'export function deepMerge(target, source) { for (const key in source) target[key] = source[key]; return target; }\n',
      'packages/plugin/package.json': '{}',
      'packages/plugin/src/index.ts': `import { DynamicModule, Module } from '@nestjs/common';
import { getConfig } from '@acme/config';
export function AcmePlugin(metadata): ClassDecorator { return (target) => { Module(metadata)(target); }; }
@Module({})
export class PluginModule {
  static init(): DynamicModule { const config = getConfig(); return { module: PluginModule, imports: [...config.plugins] }; }
}
`,
      'packages/core/package.json': '{}',
      'packages/core/src/index.ts': `import { NestFactory } from '@nestjs/core';
import { defineConfig } from '@acme/config';
import { JwtAuthGuard } from './jwt-auth.guard';
export async function bootstrap(pluginConfig) {
  await defineConfig(pluginConfig);
  const { BootstrapModule } = await import('./bootstrap.module');
  const app = await NestFactory.create(BootstrapModule);
  ${globalGuard ? 'app.useGlobalGuards(new JwtAuthGuard());' : ''}
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
`,
      'packages/core/src/jwt-auth.guard.ts': "import { AuthGuard } from '@nestjs/passport';\nexport class JwtAuthGuard extends AuthGuard('jwt') {}\n",
      'packages/core/src/bootstrap.module.ts': `import { Module } from '@nestjs/common';
import { PluginModule } from '@acme/plugin';
import { OrdersController } from './orders.controller';
@Module({ imports: [PluginModule.init()], controllers: [OrdersController] })
export class BootstrapModule {}
`,
      'packages/core/src/orders.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController { @Get() list() {} }\n",
      'packages/reports/package.json': '{}',
      'packages/reports/src/index.ts': `import { AcmePlugin } from '@acme/plugin';
import { ReportsModule } from './reports.module';
@AcmePlugin({ imports: [ReportsModule] })
export class ReportsPlugin {}
`,
      'packages/reports/src/reports.module.ts': `import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
const controllers = [ReportsController];
@Module({ controllers: [...controllers] })
export class ReportsModule {}
`,
      'packages/reports/src/reports.controller.ts': "import { Controller, Delete } from '@nestjs/common';\n@Controller('reports')\nexport class ReportsController { @Delete(':id') remove() {} }\n",
    });
    const describe = (routes: RouteFact[]) => routes.map((r) => `${summary(r)}${r.detached ? ' (detached)' : ''}`).sort();
    expect(describe(nestRoutes(service('[ReportsPlugin]', true)))).toEqual(['DELETE /api/reports/:id: JwtAuthGuard=authentication', 'GET /api/orders: JwtAuthGuard=authentication']);
    // The plugin list cannot be read (named by the environment): the controller stays unplaced, not unauthenticated.
    expect(describe(nestRoutes(service('(process.env.PLUGINS ?? "").split(",").map((name) => require(name))', true)))).toEqual([
      'DELETE /reports/:id:  (detached)',
      'GET /api/orders: JwtAuthGuard=authentication',
    ]);
    // Placed in an application without a global guard: judged on its own chain, under the application's prefix.
    expect(describe(nestRoutes(service('[ReportsPlugin]', false)))).toEqual(['DELETE /api/reports/:id: ', 'GET /api/orders: ']);
  });

  it('honours a public marker read at handler or class level into one variable (reflector.get(KEY, handler) || reflector.get(KEY, class))', () => {
    const routes = nestRoutes({
      'src/public.decorator.ts': "import { SetMetadata } from '@nestjs/common';\nexport const PUBLIC_KEY = '__public:route__';\nexport const Public = () => SetMetadata(PUBLIC_KEY, true);\n",
      'src/auth.guard.ts': `import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { PUBLIC_KEY } from './public.decorator';
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly _reflector: Reflector) { super(); }
  canActivate(context: ExecutionContext) {
    const isPublic = this._reflector.get<boolean>(PUBLIC_KEY, context.getHandler()) || this._reflector.get<boolean>(PUBLIC_KEY, context.getClass());
    if (isPublic) return true;
    return super.canActivate(context);
  }
}
`,
      'src/main.ts': `import { NestFactory, Reflector } from '@nestjs/core';
import { Controller, Get, Module } from '@nestjs/common';
import { AuthGuard } from './auth.guard';
import { Public } from './public.decorator';
@Public()
@Controller('changelog')
class ChangelogController { @Get() list() {} }
@Controller('orders')
class OrdersController { @Public() @Get('catalogue') catalogue() {} @Get() list() {} }
@Module({ controllers: [ChangelogController, OrdersController] })
class AppModule {}
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalGuards(new AuthGuard(app.get(Reflector)));
  await app.listen(3000);
}
bootstrap();
`,
    });
    expect(routes.map(summary).sort()).toEqual(['GET /changelog: AuthGuard=neutral', 'GET /orders/catalogue: AuthGuard=neutral', 'GET /orders: AuthGuard=authentication']);
  });
});
