#!/usr/bin/env node
/**
 * Writes a synthetic TypeScript monorepo for the benchmark: N services of Express, NestJS and
 * Fastify code with JWT handling (jsonwebtoken, jose, @nestjs/jwt, passport-jwt, @fastify/jwt,
 * express-jwt), routes, middleware, guards, config modules, DTOs, services, repositories, utils
 * and tests, importing each other across files and from a shared auth package through tsconfig
 * `paths`. A few auth mistakes are sprinkled in so rules have something to report.
 *
 * Deterministic: the output depends only on --lines and --seed (no clock, no Math.random).
 *
 *   node scripts/gen-monorepo.mjs --lines 100000 [--out .bench/mono-100k] [--seed 1]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 4;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  sample(list, n) {
    const copy = [...list];
    const out = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const DOMAINS = [
  'billing', 'catalog', 'identity', 'orders', 'payments', 'inventory', 'shipping', 'notifications', 'reporting', 'search',
  'accounts', 'pricing', 'reviews', 'support', 'analytics', 'loyalty', 'gateway', 'documents', 'scheduling', 'audit',
  'fulfilment', 'onboarding', 'compliance', 'ledger', 'media', 'messaging', 'partners', 'profiles', 'quotes', 'returns',
  'subscriptions', 'tax', 'tenants', 'warehouse', 'workflow', 'contracts', 'claims', 'payroll', 'procurement', 'routing',
];

const ENTITIES = [
  'invoice', 'customer', 'order', 'product', 'payment', 'account', 'session', 'tenant', 'report', 'notification',
  'subscription', 'shipment', 'review', 'ticket', 'document', 'contract', 'refund', 'coupon', 'warehouse', 'supplier',
  'employee', 'project', 'task', 'comment', 'attachment', 'webhook', 'apiKey', 'team', 'plan', 'quote', 'claim', 'policy',
  'address', 'cart', 'category', 'device', 'event', 'ledgerEntry', 'message', 'partner',
];

const FIELDS = [
  ['title', 'string', "'Quarterly summary'"], ['description', 'string', "'Imported from legacy system'"], ['status', 'string', "'active'"],
  ['amount', 'number', '1250'], ['currency', 'string', "'EUR'"], ['quantity', 'number', '3'], ['email', 'string', "'ops@example.com'"],
  ['ownerId', 'string', "'usr_123'"], ['tenantId', 'string', "'tnt_42'"], ['priority', 'number', '2'], ['dueDate', 'Date', 'new Date(0)'],
  ['tags', 'string[]', "['urgent']"], ['archived', 'boolean', 'false'], ['externalRef', 'string', "'EXT-9'"], ['region', 'string', "'eu-west-1'"],
  ['score', 'number', '0.75'], ['notes', 'string', "''"], ['version', 'number', '1'], ['locale', 'string', "'en-GB'"], ['sku', 'string', "'SKU-001'"],
  ['discount', 'number', '0'], ['channel', 'string', "'web'"], ['approvedBy', 'string', "'usr_admin'"], ['expiresAt', 'Date', 'new Date(0)'],
];

const ROLES = ['admin', 'manager', 'operator', 'auditor', 'support', 'billing-admin'];
const STATUSES = ['draft', 'active', 'pending', 'archived', 'cancelled', 'completed'];

const pascal = (s) => s.replace(/(^|[-_ ])(\w)/g, (_, __, c) => c.toUpperCase());
const camel = (s) => {
  const p = pascal(s);
  return p[0].toLowerCase() + p.slice(1);
};
const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
const plural = (s) => (s.endsWith('y') && !/[aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : s.endsWith('s') ? `${s}es` : `${s}s`);

// ---------------------------------------------------------------------------------------------
// Code fragments

/** A block of plausible business logic (indented `ind`), using the entity's fields. */
function logicBlock(rng, ent, ind, opts = {}) {
  const out = [];
  const E = pascal(ent.name);
  const e = camel(ent.name);
  const f = () => rng.pick(ent.fields);
  const pad = ' '.repeat(ind);
  const repo = opts.repo ?? `this.${e}Repository`;
  const log = opts.logger ?? 'this.logger';
  const thrower = opts.thrower ?? ((msg) => `throw new Error(${msg});`);
  const n = rng.int(3, 7);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(0, 11);
    const [fname, ftype] = f();
    switch (kind) {
      case 0:
        out.push(`${pad}const existing${i} = await ${repo}.findOne({ where: { id, tenantId: context.tenantId } });`);
        out.push(`${pad}if (!existing${i}) {`);
        out.push(`${pad}  ${thrower(`\`${E} \${id} not found\``)}`);
        out.push(`${pad}}`);
        break;
      case 1:
        out.push(`${pad}const page${i} = await ${repo}.findMany({`);
        out.push(`${pad}  where: { ${fname}: filter.${fname}, archived: false },`);
        out.push(`${pad}  orderBy: { ${rng.pick(ent.fields)[0]}: '${rng.pick(['asc', 'desc'])}' },`);
        out.push(`${pad}  take: Math.min(filter.limit ?? 25, 100),`);
        out.push(`${pad}  skip: filter.offset ?? 0,`);
        out.push(`${pad}});`);
        out.push(`${pad}const rows${i} = page${i}.filter((row) => row.status !== '${rng.pick(STATUSES)}').map((row) => ({ ...row, ${fname}: row.${fname} }));`);
        break;
      case 2:
        out.push(`${pad}let total${i} = 0;`);
        out.push(`${pad}for (const item of context.items ?? []) {`);
        out.push(`${pad}  if (item.quantity <= 0) continue;`);
        out.push(`${pad}  total${i} += item.quantity * (item.unitPrice ?? 0);`);
        out.push(`${pad}  if (total${i} > ${rng.int(1, 50) * 1000}) {`);
        out.push(`${pad}    ${log}.warn(\`${e} total over threshold for \${context.tenantId}\`);`);
        out.push(`${pad}    break;`);
        out.push(`${pad}  }`);
        out.push(`${pad}}`);
        break;
      case 3:
        out.push(`${pad}try {`);
        out.push(`${pad}  await ${opts.events ?? 'this.events'}.publish('${kebab(ent.name)}.${rng.pick(['created', 'updated', 'archived', 'synced'])}', { id, actor: context.userId });`);
        out.push(`${pad}} catch (error) {`);
        out.push(`${pad}  ${log}.error(\`failed to publish ${e} event: \${(error as Error).message}\`);`);
        out.push(`${pad}}`);
        break;
      case 4:
        out.push(`${pad}switch (context.status) {`);
        for (const s of rng.sample(STATUSES, 3)) {
          out.push(`${pad}  case '${s}':`);
          out.push(`${pad}    ${log}.debug('${e} in state ${s}');`);
          out.push(`${pad}    break;`);
        }
        out.push(`${pad}  default:`);
        out.push(`${pad}    ${thrower(`\`unexpected ${e} status \${String(context.status)}\``)}`);
        out.push(`${pad}}`);
        break;
      case 5:
        out.push(`${pad}const patch${i}: Partial<${E}> = {`);
        for (const [fn, , fv] of rng.sample(ent.fields, rng.int(2, 4))) out.push(`${pad}  ${fn}: context.${fn} ?? ${fv},`);
        out.push(`${pad}  updatedAt: new Date(),`);
        out.push(`${pad}};`);
        out.push(`${pad}await ${repo}.update(id, patch${i});`);
        break;
      case 6:
        out.push(`${pad}const key${i} = \`${kebab(ent.name)}:\${context.tenantId}:\${id}\`;`);
        out.push(`${pad}const cached${i} = await ${opts.cache ?? 'this.cache'}.get(key${i});`);
        out.push(`${pad}if (cached${i}) {`);
        out.push(`${pad}  return JSON.parse(cached${i}) as ${E};`);
        out.push(`${pad}}`);
        break;
      case 7:
        out.push(`${pad}if (${ftype === 'number' ? `typeof context.${fname} === 'number' && context.${fname} < 0` : ftype === 'string' ? `context.${fname} !== undefined && context.${fname}.length > 255` : `context.${fname} === undefined`}) {`);
        out.push(`${pad}  ${thrower(`'invalid ${fname} for ${e}'`)}`);
        out.push(`${pad}}`);
        break;
      case 8:
        out.push(`${pad}const grouped${i} = new Map<string, number>();`);
        out.push(`${pad}for (const entry of context.entries ?? []) {`);
        out.push(`${pad}  grouped${i}.set(entry.${fname === 'tags' ? 'region' : 'channel'} ?? 'unknown', (grouped${i}.get(entry.channel ?? 'unknown') ?? 0) + 1);`);
        out.push(`${pad}}`);
        break;
      case 9:
        out.push(`${pad}const [left${i}, right${i}] = await Promise.all([`);
        out.push(`${pad}  ${repo}.count({ where: { status: '${rng.pick(STATUSES)}' } }),`);
        out.push(`${pad}  ${repo}.count({ where: { ownerId: context.userId } }),`);
        out.push(`${pad}]);`);
        out.push(`${pad}${log}.log(\`${e} counts \${left${i}}/\${right${i}}\`);`);
        break;
      case 10:
        out.push(`${pad}const normalised${i} = String(context.${fname} ?? '')`);
        out.push(`${pad}  .trim()`);
        out.push(`${pad}  .toLowerCase()`);
        out.push(`${pad}  .replace(/\\s+/g, '-');`);
        break;
      default:
        out.push(`${pad}const retries${i} = ${rng.int(2, 5)};`);
        out.push(`${pad}for (let attempt = 1; attempt <= retries${i}; attempt++) {`);
        out.push(`${pad}  const ok = await ${repo}.ping().catch(() => false);`);
        out.push(`${pad}  if (ok) break;`);
        out.push(`${pad}  await new Promise((resolve) => setTimeout(resolve, attempt * ${rng.int(50, 500)}));`);
        out.push(`${pad}}`);
    }
  }
  return out;
}

function entityInterface(ent) {
  const E = pascal(ent.name);
  const lines = [`export interface ${E} {`, '  id: string;'];
  for (const [n, t] of ent.fields) lines.push(`  ${n}${n === 'notes' ? '?' : ''}: ${t};`);
  lines.push('  createdAt: Date;', '  updatedAt: Date;', '}', '');
  lines.push(`export type ${E}Summary = Pick<${E}, 'id' | '${ent.fields[0][0]}'>;`, '');
  lines.push(`export const ${camel(ent.name).toUpperCase()}_DEFAULTS: Omit<${E}, 'id' | 'createdAt' | 'updatedAt'> = {`);
  for (const [n, , v] of ent.fields) lines.push(`  ${n}: ${v},`);
  lines.push('};', '');
  return lines;
}

function validatorFor(type) {
  if (type === 'number') return ['IsNumber()', 'Min(0)'];
  if (type === 'boolean') return ['IsBoolean()'];
  if (type === 'Date') return ['IsDateString()'];
  if (type === 'string[]') return ['IsArray()', "IsString({ each: true })"];
  return ['IsString()', 'MaxLength(255)'];
}

// ---------------------------------------------------------------------------------------------
// Shared packages

function sharedPackages(rng) {
  const files = {};
  files['packages/auth-core/package.json'] = JSON.stringify({ name: '@acme/auth-core', version: '2.3.0', private: true, main: 'src/index.ts' }, null, 2) + '\n';
  files['packages/auth-core/src/index.ts'] = [
    "export * from './tokens';",
    "export * from './claims';",
    "export * from './jwks';",
    "export { requireRole, requireScope } from './authorize';",
    '',
  ].join('\n');
  files['packages/auth-core/src/claims.ts'] = [
    'export interface AccessClaims {',
    '  sub: string;',
    '  tid: string;',
    '  roles: string[];',
    '  scope?: string;',
    '  iss: string;',
    '  aud: string | string[];',
    '  exp: number;',
    '}',
    '',
    'export function hasRole(claims: AccessClaims | undefined, role: string): boolean {',
    '  return Boolean(claims?.roles?.includes(role));',
    '}',
    '',
    'export function hasScope(claims: AccessClaims | undefined, scope: string): boolean {',
    "  return (claims?.scope ?? '').split(' ').includes(scope);",
    '}',
    '',
  ].join('\n');
  files['packages/auth-core/src/tokens.ts'] = [
    "import jwt, { type JwtPayload, type SignOptions } from 'jsonwebtoken';",
    "import type { AccessClaims } from './claims';",
    '',
    "export const TOKEN_ISSUER = process.env.TOKEN_ISSUER ?? 'https://id.acme.internal';",
    "export const TOKEN_AUDIENCE = 'acme-api';",
    "export const ACCESS_TOKEN_TTL = '15m';",
    '',
    'export function signAccessToken(claims: Omit<AccessClaims, \'iss\' | \'aud\' | \'exp\'>, privateKey: string): string {',
    "  const options: SignOptions = { algorithm: 'RS256', expiresIn: ACCESS_TOKEN_TTL, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };",
    '  return jwt.sign(claims, privateKey, options);',
    '}',
    '',
    'export function verifyAccessToken(token: string, publicKey: string): AccessClaims {',
    "  const payload = jwt.verify(token, publicKey, { algorithms: ['RS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }) as JwtPayload;",
    '  return payload as unknown as AccessClaims;',
    '}',
    '',
    'export function bearerToken(header: string | undefined): string | undefined {',
    "  if (!header) return undefined;",
    "  const [scheme, value] = header.split(' ');",
    "  return scheme?.toLowerCase() === 'bearer' && value ? value : undefined;",
    '}',
    '',
  ].join('\n');
  files['packages/auth-core/src/jwks.ts'] = [
    "import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';",
    "import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens';",
    '',
    "const JWKS = createRemoteJWKSet(new URL(process.env.JWKS_URL ?? 'https://id.acme.internal/.well-known/jwks.json'));",
    '',
    'export async function verifyWithJwks(token: string): Promise<JWTPayload> {',
    "  const { payload } = await jwtVerify(token, JWKS, { algorithms: ['RS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });",
    '  return payload;',
    '}',
    '',
  ].join('\n');
  files['packages/auth-core/src/authorize.ts'] = [
    "import type { NextFunction, Request, Response } from 'express';",
    "import { hasRole, hasScope, type AccessClaims } from './claims';",
    '',
    'export function requireRole(...roles: string[]) {',
    '  return (req: Request, res: Response, next: NextFunction) => {',
    '    const claims = (req as Request & { auth?: AccessClaims }).auth;',
    '    if (!roles.some((role) => hasRole(claims, role))) {',
    "      res.status(403).json({ error: 'forbidden' });",
    '      return;',
    '    }',
    '    next();',
    '  };',
    '}',
    '',
    'export function requireScope(scope: string) {',
    '  return (req: Request, res: Response, next: NextFunction) => {',
    '    if (!hasScope((req as Request & { auth?: AccessClaims }).auth, scope)) {',
    "      res.status(403).json({ error: 'insufficient_scope' });",
    '      return;',
    '    }',
    '    next();',
    '  };',
    '}',
    '',
  ].join('\n');
  files['packages/common/src/index.ts'] = [
    "export * from './logger';",
    "export * from './errors';",
    "export * from './pagination';",
    "export * from './http-client';",
    '',
  ].join('\n');
  files['packages/common/src/logger.ts'] = [
    "export type LogLevel = 'debug' | 'info' | 'warn' | 'error';",
    '',
    'export class Logger {',
    '  constructor(private readonly scope: string) {}',
    '',
    '  log(message: string, meta?: Record<string, unknown>): void {',
    "    this.write('info', message, meta);",
    '  }',
    '',
    '  debug(message: string, meta?: Record<string, unknown>): void {',
    "    if (process.env.LOG_LEVEL === 'debug') this.write('debug', message, meta);",
    '  }',
    '',
    '  warn(message: string, meta?: Record<string, unknown>): void {',
    "    this.write('warn', message, meta);",
    '  }',
    '',
    '  error(message: string, meta?: Record<string, unknown>): void {',
    "    this.write('error', message, meta);",
    '  }',
    '',
    '  private write(level: LogLevel, message: string, meta?: Record<string, unknown>): void {',
    '    process.stdout.write(JSON.stringify({ level, scope: this.scope, message, ...meta }) + \'\\n\');',
    '  }',
    '}',
    '',
  ].join('\n');
  files['packages/common/src/errors.ts'] = [
    'export class HttpError extends Error {',
    '  constructor(public readonly status: number, message: string, public readonly code = \'error\') {',
    '    super(message);',
    '  }',
    '}',
    '',
    "export const notFound = (what: string) => new HttpError(404, `${what} not found`, 'not_found');",
    "export const badRequest = (why: string) => new HttpError(400, why, 'bad_request');",
    "export const forbidden = () => new HttpError(403, 'forbidden', 'forbidden');",
    '',
  ].join('\n');
  files['packages/common/src/pagination.ts'] = [
    'export interface Page<T> {',
    '  items: T[];',
    '  total: number;',
    '  offset: number;',
    '  limit: number;',
    '}',
    '',
    'export function parsePaging(query: Record<string, unknown>): { offset: number; limit: number } {',
    '  const offset = Math.max(0, Number(query.offset ?? 0) || 0);',
    '  const limit = Math.min(100, Math.max(1, Number(query.limit ?? 25) || 25));',
    '  return { offset, limit };',
    '}',
    '',
  ].join('\n');
  files['packages/common/src/http-client.ts'] = [
    "import { Logger } from './logger';",
    '',
    "const logger = new Logger('http-client');",
    '',
    'export async function getJson<T>(url: string, token?: string): Promise<T> {',
    '  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });',
    '  if (!response.ok) {',
    '    logger.warn(`GET ${url} failed with ${response.status}`);',
    '    throw new Error(`upstream ${response.status}`);',
    '  }',
    '  return (await response.json()) as T;',
    '}',
    '',
  ].join('\n');
  void rng;
  return files;
}

// ---------------------------------------------------------------------------------------------
// NestJS service

function nestService(rng, svc) {
  const files = {};
  const base = `services/${svc.name}`;
  const mistakes = svc.mistakes;
  const secretExpr = mistakes.has('hardcodedSecret')
    ? "'super-secret-signing-key'"
    : mistakes.has('fallbackSecret')
      ? "process.env.JWT_SECRET || 'dev-secret'"
      : "config.getOrThrow<string>('JWT_SECRET')";
  files[`${base}/src/main.ts`] = [
    "import { ValidationPipe } from '@nestjs/common';",
    "import { NestFactory } from '@nestjs/core';",
    "import { AppModule } from './app.module';",
    '',
    'async function bootstrap(): Promise<void> {',
    '  const app = await NestFactory.create(AppModule);',
    "  app.setGlobalPrefix('api');",
    '  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));',
    `  await app.listen(Number(process.env.PORT ?? ${3000 + svc.index}));`,
    '}',
    '',
    'void bootstrap();',
    '',
  ].join('\n');
  const moduleImports = svc.entities.map((ent) => `import { ${pascal(ent.name)}Module } from './modules/${kebab(ent.name)}/${kebab(ent.name)}.module';`);
  files[`${base}/src/app.module.ts`] = [
    "import { Module } from '@nestjs/common';",
    "import { ConfigModule, ConfigService } from '@nestjs/config';",
    "import { JwtModule } from '@nestjs/jwt';",
    "import { PassportModule } from '@nestjs/passport';",
    "import { APP_GUARD } from '@nestjs/core';",
    "import configuration from './config/configuration';",
    "import { AuthController } from './auth/auth.controller';",
    "import { AuthService } from './auth/auth.service';",
    "import { JwtStrategy } from './auth/jwt.strategy';",
    "import { RolesGuard } from './auth/roles.guard';",
    ...moduleImports,
    '',
    '@Module({',
    '  imports: [',
    '    ConfigModule.forRoot({ isGlobal: true, load: [configuration] }),',
    "    PassportModule.register({ defaultStrategy: 'jwt' }),",
    '    JwtModule.registerAsync({',
    '      inject: [ConfigService],',
    '      useFactory: (config: ConfigService) => ({',
    `        secret: ${secretExpr},`,
    `        signOptions: { expiresIn: '${rng.pick(['15m', '1h', '30m'])}'${mistakes.has('noIssuer') ? '' : ", issuer: 'https://id.acme.internal'"} },`,
    `        verifyOptions: { algorithms: ['HS256']${mistakes.has('noIssuer') ? '' : ", issuer: 'https://id.acme.internal'"}${mistakes.has('ignoreExpiration') ? ', ignoreExpiration: true' : ''} },`,
    '      }),',
    '    }),',
    ...svc.entities.map((ent) => `    ${pascal(ent.name)}Module,`),
    '  ],',
    '  controllers: [AuthController],',
    '  providers: [AuthService, JwtStrategy, { provide: APP_GUARD, useClass: RolesGuard }],',
    '})',
    'export class AppModule {}',
    '',
  ].join('\n');
  files[`${base}/src/config/configuration.ts`] = [
    'export default () => ({',
    `  port: parseInt(process.env.PORT ?? '${3000 + svc.index}', 10),`,
    '  database: {',
    "    host: process.env.DB_HOST ?? 'localhost',",
    "    port: parseInt(process.env.DB_PORT ?? '5432', 10),",
    `    name: process.env.DB_NAME ?? '${svc.name.replace(/-/g, '_')}',`,
    '  },',
    '  auth: {',
    "    issuer: process.env.TOKEN_ISSUER ?? 'https://id.acme.internal',",
    "    audience: process.env.TOKEN_AUDIENCE ?? 'acme-api',",
    `    secret: ${mistakes.has('fallbackSecret') ? "process.env.JWT_SECRET || 'changeme'" : 'process.env.JWT_SECRET'},`,
    '  },',
    '});',
    '',
  ].join('\n');
  files[`${base}/src/auth/constants.ts`] = [
    "export const IS_PUBLIC_KEY = 'isPublic';",
    "export const ROLES_KEY = 'roles';",
    `export const jwtConstants = { secret: ${mistakes.has('hardcodedSecret') ? "'do-not-use-this-in-production'" : "process.env.JWT_SECRET ?? ''"} };`,
    '',
  ].join('\n');
  files[`${base}/src/auth/decorators.ts`] = [
    "import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';",
    "import { IS_PUBLIC_KEY, ROLES_KEY } from './constants';",
    '',
    'export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);',
    'export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);',
    '',
    'export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {',
    '  const request = ctx.switchToHttp().getRequest();',
    '  return request.user;',
    '});',
    '',
  ].join('\n');
  files[`${base}/src/auth/jwt.strategy.ts`] = [
    "import { Injectable } from '@nestjs/common';",
    "import { PassportStrategy } from '@nestjs/passport';",
    "import { ExtractJwt, Strategy } from 'passport-jwt';",
    "import { jwtConstants } from './constants';",
    '',
    '@Injectable()',
    'export class JwtStrategy extends PassportStrategy(Strategy) {',
    '  constructor() {',
    '    super({',
    `      jwtFromRequest: ${mistakes.has('tokenInQuery') ? "ExtractJwt.fromUrlQueryParameter('access_token')" : 'ExtractJwt.fromAuthHeaderAsBearerToken()'},`,
    `      ignoreExpiration: ${mistakes.has('ignoreExpiration') ? 'true' : 'false'},`,
    '      secretOrKey: jwtConstants.secret,',
    `      algorithms: ['HS256'],`,
    ...(mistakes.has('noIssuer') ? [] : ["      issuer: 'https://id.acme.internal',", "      audience: 'acme-api',"]),
    '    });',
    '  }',
    '',
    '  async validate(payload: { sub: string; tid: string; roles?: string[] }) {',
    '    return { userId: payload.sub, tenantId: payload.tid, roles: payload.roles ?? [] };',
    '  }',
    '}',
    '',
  ].join('\n');
  files[`${base}/src/auth/jwt-auth.guard.ts`] = [
    "import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';",
    "import { Reflector } from '@nestjs/core';",
    "import { JwtService } from '@nestjs/jwt';",
    "import type { Request } from 'express';",
    "import { IS_PUBLIC_KEY, jwtConstants } from './constants';",
    '',
    '@Injectable()',
    'export class JwtAuthGuard {',
    '  constructor(',
    '    private readonly jwtService: JwtService,',
    '    private readonly reflector: Reflector,',
    '  ) {}',
    '',
    '  async canActivate(context: ExecutionContext): Promise<boolean> {',
    '    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);',
    '    if (isPublic) return true;',
    '    const request = context.switchToHttp().getRequest<Request>();',
    '    const token = this.extractTokenFromHeader(request);',
    '    if (!token) {',
    '      throw new UnauthorizedException();',
    '    }',
    '    try {',
    ...(mistakes.has('decodeAsVerify')
      ? ['      const payload = this.jwtService.decode(token);']
      : ['      const payload = await this.jwtService.verifyAsync(token, { secret: jwtConstants.secret });']),
    "      (request as Request & { user?: unknown })['user'] = payload;",
    '    } catch {',
    '      throw new UnauthorizedException();',
    '    }',
    '    return true;',
    '  }',
    '',
    '  private extractTokenFromHeader(request: Request): string | undefined {',
    "    const [type, token] = request.headers.authorization?.split(' ') ?? [];",
    "    return type === 'Bearer' ? token : undefined;",
    '  }',
    '}',
    '',
  ].join('\n');
  files[`${base}/src/auth/roles.guard.ts`] = [
    "import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';",
    "import { Reflector } from '@nestjs/core';",
    "import { ROLES_KEY } from './constants';",
    '',
    '@Injectable()',
    'export class RolesGuard implements CanActivate {',
    '  constructor(private readonly reflector: Reflector) {}',
    '',
    '  canActivate(context: ExecutionContext): boolean {',
    '    const required = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [context.getHandler(), context.getClass()]);',
    '    if (!required || required.length === 0) return true;',
    '    const { user } = context.switchToHttp().getRequest();',
    '    return required.some((role) => user?.roles?.includes(role));',
    '  }',
    '}',
    '',
  ].join('\n');
  files[`${base}/src/auth/auth.service.ts`] = [
    "import { Injectable, UnauthorizedException } from '@nestjs/common';",
    "import { JwtService } from '@nestjs/jwt';",
    "import { createHash, timingSafeEqual } from 'node:crypto';",
    '',
    'interface Credentials {',
    '  email: string;',
    '  password: string;',
    '}',
    '',
    '@Injectable()',
    'export class AuthService {',
    '  constructor(private readonly jwtService: JwtService) {}',
    '',
    '  async login(credentials: Credentials, stored: { id: string; tenantId: string; passwordHash: string; roles: string[] }) {',
    "    const given = createHash('sha256').update(credentials.password).digest();",
    "    const expected = Buffer.from(stored.passwordHash, 'hex');",
    '    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {',
    '      throw new UnauthorizedException();',
    '    }',
    '    const payload = { sub: stored.id, tid: stored.tenantId, roles: stored.roles };',
    ...(mistakes.has('signNoExpiry')
      ? ["    return { access_token: await this.jwtService.signAsync(payload, { expiresIn: undefined, secret: 'refresh-secret' }) };"]
      : ['    return { access_token: await this.jwtService.signAsync(payload) };']),
    '  }',
    '',
    '  async refresh(token: string) {',
    '    const claims = await this.jwtService.verifyAsync<{ sub: string; tid: string; roles: string[] }>(token);',
    '    return this.jwtService.signAsync({ sub: claims.sub, tid: claims.tid, roles: claims.roles });',
    '  }',
    '}',
    '',
  ].join('\n');
  files[`${base}/src/auth/auth.controller.ts`] = [
    "import { Body, Controller, HttpCode, Post } from '@nestjs/common';",
    "import { IsEmail, IsString, MinLength } from 'class-validator';",
    "import { AuthService } from './auth.service';",
    "import { Public } from './decorators';",
    '',
    'class LoginDto {',
    '  @IsEmail()',
    '  email!: string;',
    '',
    '  @IsString()',
    '  @MinLength(8)',
    '  password!: string;',
    '}',
    '',
    "@Controller('auth')",
    'export class AuthController {',
    '  constructor(private readonly authService: AuthService) {}',
    '',
    '  @Public()',
    "  @Post('login')",
    '  @HttpCode(200)',
    '  login(@Body() body: LoginDto) {',
    "    return this.authService.login(body, { id: 'pending', tenantId: 'pending', passwordHash: '', roles: [] });",
    '  }',
    '',
    '  @Public()',
    "  @Post('refresh')",
    "  refresh(@Body('refreshToken') refreshToken: string) {",
    '    return this.authService.refresh(refreshToken);',
    '  }',
    '}',
    '',
  ].join('\n');
  const unguardedEntity = mistakes.has('missingGuard') ? rng.pick(svc.entities).name : undefined;
  for (const ent of svc.entities) {
    const E = pascal(ent.name);
    const e = camel(ent.name);
    const k = kebab(ent.name);
    const dir = `${base}/src/modules/${k}`;
    files[`${dir}/${k}.entity.ts`] = entityInterface(ent).join('\n');
    const dto = ["import { IsArray, IsBoolean, IsDateString, IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';", '', `export class Create${E}Dto {`];
    for (const [n, t] of ent.fields) {
      for (const d of validatorFor(t)) dto.push(`  @${d}`);
      dto.push(`  ${n}!: ${t === 'Date' ? 'string' : t};`, '');
    }
    dto.push('}', '', `export class Update${E}Dto {`);
    for (const [n, t] of ent.fields) {
      dto.push('  @IsOptional()');
      for (const d of validatorFor(t)) dto.push(`  @${d}`);
      dto.push(`  ${n}?: ${t === 'Date' ? 'string' : t};`, '');
    }
    dto.push('}', '', `export class List${E}QueryDto {`, '  @IsOptional()', '  @IsNumber()', '  limit?: number;', '', '  @IsOptional()', '  @IsNumber()', '  offset?: number;', '', '  @IsOptional()', '  @IsString()', '  status?: string;', '}', '');
    files[`${dir}/dto/${k}.dto.ts`] = dto.join('\n');
    files[`${dir}/${k}.repository.ts`] = [
      "import { Injectable } from '@nestjs/common';",
      `import { ${E}, ${e.toUpperCase()}_DEFAULTS } from './${k}.entity';`,
      '',
      'type Where<T> = Partial<Record<keyof T | string, unknown>>;',
      '',
      '@Injectable()',
      `export class ${E}Repository {`,
      `  private readonly rows = new Map<string, ${E}>();`,
      '',
      `  async findOne(query: { where: Where<${E}> }): Promise<${E} | undefined> {`,
      '    for (const row of this.rows.values()) {',
      '      if (Object.entries(query.where).every(([key, value]) => value === undefined || (row as unknown as Record<string, unknown>)[key] === value)) return row;',
      '    }',
      '    return undefined;',
      '  }',
      '',
      `  async findMany(query: { where: Where<${E}>; orderBy?: Record<string, 'asc' | 'desc'>; take?: number; skip?: number }): Promise<${E}[]> {`,
      '    const all = [...this.rows.values()];',
      '    return all.slice(query.skip ?? 0, (query.skip ?? 0) + (query.take ?? all.length));',
      '  }',
      '',
      `  async count(query: { where: Where<${E}> }): Promise<number> {`,
      '    return (await this.findMany(query)).length;',
      '  }',
      '',
      `  async create(input: Partial<${E}>): Promise<${E}> {`,
      `    const row = { ...${e.toUpperCase()}_DEFAULTS, ...input, id: \`${k}_\${this.rows.size + 1}\`, createdAt: new Date(), updatedAt: new Date() } as ${E};`,
      '    this.rows.set(row.id, row);',
      '    return row;',
      '  }',
      '',
      `  async update(id: string, patch: Partial<${E}>): Promise<void> {`,
      '    const row = this.rows.get(id);',
      '    if (row) this.rows.set(id, { ...row, ...patch });',
      '  }',
      '',
      '  async remove(id: string): Promise<boolean> {',
      '    return this.rows.delete(id);',
      '  }',
      '',
      '  async ping(): Promise<boolean> {',
      '    return true;',
      '  }',
      '}',
      '',
    ].join('\n');
    const svcLines = [
      "import { Injectable, Logger, NotFoundException, BadRequestException } from '@nestjs/common';",
      "import { EventEmitter2 } from '@nestjs/event-emitter';",
      "import { CACHE_MANAGER } from '@nestjs/cache-manager';",
      "import { Inject } from '@nestjs/common';",
      "import type { Cache } from 'cache-manager';",
      `import { ${E}Repository } from './${k}.repository';`,
      `import type { ${E} } from './${k}.entity';`,
      `import type { Create${E}Dto, Update${E}Dto, List${E}QueryDto } from './dto/${k}.dto';`,
      '',
      'export interface RequestContext {',
      '  userId: string;',
      '  tenantId: string;',
      '  roles: string[];',
      '  [key: string]: any;',
      '}',
      '',
      '@Injectable()',
      `export class ${E}Service {`,
      `  private readonly logger = new Logger(${E}Service.name);`,
      '',
      '  constructor(',
      `    private readonly ${e}Repository: ${E}Repository,`,
      '    private readonly events: EventEmitter2,',
      '    @Inject(CACHE_MANAGER) private readonly cache: Cache,',
      '  ) {}',
      '',
      `  async list(query: List${E}QueryDto, context: RequestContext): Promise<${E}[]> {`,
      '    const filter: any = { ...query };',
      '    const id = context.userId;',
      ...logicBlock(rng, ent, 4, { thrower: (m) => `throw new BadRequestException(${m});` }),
      `    return this.${e}Repository.findMany({ where: { tenantId: context.tenantId, status: query.status }, take: query.limit, skip: query.offset });`,
      '  }',
      '',
      `  async get(id: string, context: RequestContext): Promise<${E}> {`,
      `    const found = await this.${e}Repository.findOne({ where: { id, tenantId: context.tenantId } });`,
      '    if (!found) {',
      `      throw new NotFoundException(\`${E} \${id} not found\`);`,
      '    }',
      '    return found;',
      '  }',
      '',
      `  async create(input: Create${E}Dto, context: RequestContext): Promise<${E}> {`,
      `    const created = await this.${e}Repository.create({ ...(input as unknown as Partial<${E}>), tenantId: context.tenantId, ownerId: context.userId } as Partial<${E}>);`,
      '    const id = created.id;',
      ...logicBlock(rng, ent, 4, { thrower: (m) => `throw new BadRequestException(${m});` }),
      '    return created;',
      '  }',
      '',
      `  async update(id: string, input: Update${E}Dto, context: RequestContext): Promise<${E}> {`,
      '    const filter: any = { ...input };',
      ...logicBlock(rng, ent, 4, { thrower: (m) => `throw new BadRequestException(${m});` }),
      `    await this.${e}Repository.update(id, input as unknown as Partial<${E}>);`,
      '    return this.get(id, context);',
      '  }',
      '',
      '  async remove(id: string, context: RequestContext): Promise<void> {',
      `    const removed = await this.${e}Repository.remove(id);`,
      `    if (!removed) throw new NotFoundException(\`${E} \${id} not found\`);`,
      `    this.logger.log(\`${e} \${id} removed by \${context.userId}\`);`,
      '  }',
    ];
    const extra = rng.int(1, svc.methodsPerService);
    for (let m = 0; m < extra; m++) {
      const verb = rng.pick(['recalculate', 'synchronise', 'approve', 'export', 'reconcile', 'notify', 'expire', 'assign', 'escalate', 'summarise']);
      svcLines.push('', `  async ${verb}${m}(id: string, context: RequestContext): Promise<Record<string, unknown>> {`, '    const filter: any = { ...context };');
      svcLines.push(...logicBlock(rng, ent, 4, { thrower: (msg) => `throw new BadRequestException(${msg});` }));
      svcLines.push(`    return { id, ${verb}: true, at: new Date().toISOString() };`, '  }');
    }
    svcLines.push('}', '');
    files[`${dir}/${k}.service.ts`] = svcLines.join('\n');
    const guarded = unguardedEntity !== ent.name;
    const ctl = [
      "import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';",
      "import { JwtAuthGuard } from '../../auth/jwt-auth.guard';",
      "import { CurrentUser, Roles } from '../../auth/decorators';",
      `import { ${E}Service, type RequestContext } from './${k}.service';`,
      `import { Create${E}Dto, Update${E}Dto, List${E}QueryDto } from './dto/${k}.dto';`,
      '',
      `@Controller('${plural(k)}')`,
      ...(guarded ? ['@UseGuards(JwtAuthGuard)'] : []),
      `export class ${E}Controller {`,
      `  constructor(private readonly ${e}Service: ${E}Service) {}`,
      '',
      '  @Get()',
      `  list(@Query() query: List${E}QueryDto, @CurrentUser() user: RequestContext) {`,
      `    return this.${e}Service.list(query, user);`,
      '  }',
      '',
      "  @Get(':id')",
      "  get(@Param('id') id: string, @CurrentUser() user: RequestContext) {",
      `    return this.${e}Service.get(id, user);`,
      '  }',
      '',
      '  @Post()',
      `  @Roles('${rng.pick(ROLES)}')`,
      `  create(@Body() body: Create${E}Dto, @CurrentUser() user: RequestContext) {`,
      `    return this.${e}Service.create(body, user);`,
      '  }',
      '',
      "  @Patch(':id')",
      `  update(@Param('id') id: string, @Body() body: Update${E}Dto, @CurrentUser() user: RequestContext) {`,
      `    return this.${e}Service.update(id, body, user);`,
      '  }',
      '',
      "  @Delete(':id')",
      "  @Roles('admin')",
      "  remove(@Param('id') id: string, @CurrentUser() user: RequestContext) {",
      `    return this.${e}Service.remove(id, user);`,
      '  }',
      '}',
      '',
    ];
    files[`${dir}/${k}.controller.ts`] = ctl.join('\n');
    files[`${dir}/${k}.module.ts`] = [
      "import { Module } from '@nestjs/common';",
      `import { ${E}Controller } from './${k}.controller';`,
      `import { ${E}Repository } from './${k}.repository';`,
      `import { ${E}Service } from './${k}.service';`,
      '',
      '@Module({',
      `  controllers: [${E}Controller],`,
      `  providers: [${E}Service, ${E}Repository],`,
      `  exports: [${E}Service],`,
      '})',
      `export class ${E}Module {}`,
      '',
    ].join('\n');
    files[`${dir}/${k}.service.spec.ts`] = specFile(rng, ent, `./${k}.service`, `${E}Service`, `new ${E}Service(repository as never, events as never, cache as never)`).join('\n');
  }
  Object.assign(files, utilsFiles(rng, svc, base));
  return files;
}

function specFile(rng, ent, from, className, construct) {
  const E = pascal(ent.name);
  const lines = [
    "import { describe, expect, it, vi } from 'vitest';",
    `import { ${className} } from '${from}';`,
    '',
    `describe('${className}', () => {`,
    '  const repository = { findOne: vi.fn(), findMany: vi.fn(async () => []), count: vi.fn(async () => 0), create: vi.fn(), update: vi.fn(), remove: vi.fn(async () => true), ping: vi.fn(async () => true) };',
    '  const events = { publish: vi.fn(), emit: vi.fn() };',
    '  const cache = { get: vi.fn(), set: vi.fn() };',
    `  const service = ${construct};`,
    "  const context = { userId: 'usr_1', tenantId: 'tnt_1', roles: ['admin'] };",
    '',
  ];
  for (let t = 0; t < rng.int(2, 5); t++) {
    lines.push(`  it('handles ${rng.pick(['an empty tenant', 'a missing record', 'pagination limits', 'archived rows', 'a concurrent update', 'a cache hit'])} (${t})', async () => {`);
    lines.push(`    repository.findOne.mockResolvedValueOnce({ id: '${camel(ent.name)}_1', tenantId: 'tnt_1' } as unknown as ${E}Like);`);
    lines.push(`    const result = await service.list({ limit: ${rng.int(1, 50)} } as never, context).catch((error: Error) => error);`);
    lines.push('    expect(result).toBeDefined();');
    lines.push('  });', '');
  }
  lines.push('});', '', `type ${E}Like = Record<string, unknown>;`, '');
  return lines;
}

function utilsFiles(rng, svc, base) {
  const files = {};
  files[`${base}/src/utils/retry.ts`] = [
    'export async function withRetry<T>(fn: () => Promise<T>, attempts = 3, delayMs = 100): Promise<T> {',
    '  let lastError: unknown;',
    '  for (let attempt = 0; attempt < attempts; attempt++) {',
    '    try {',
    '      return await fn();',
    '    } catch (error) {',
    '      lastError = error;',
    '      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));',
    '    }',
    '  }',
    '  throw lastError;',
    '}',
    '',
  ].join('\n');
  files[`${base}/src/utils/money.ts`] = [
    `export const DEFAULT_CURRENCY = '${rng.pick(['EUR', 'USD', 'GBP'])}';`,
    '',
    'export function toMinorUnits(amount: number, currency = DEFAULT_CURRENCY): number {',
    "  const digits = currency === 'JPY' ? 0 : 2;",
    '  return Math.round(amount * 10 ** digits);',
    '}',
    '',
    'export function formatMoney(minor: number, currency = DEFAULT_CURRENCY, locale = \'en-GB\'): string {',
    '  return new Intl.NumberFormat(locale, { style: \'currency\', currency }).format(minor / 100);',
    '}',
    '',
  ].join('\n');
  const tokenUtil = ['import jwt from \'jsonwebtoken\';', "import { decodeJwt } from 'jose';", ''];
  tokenUtil.push('export function tokenExpiresAt(token: string): Date | undefined {', '  const { exp } = decodeJwt(token);', '  return exp ? new Date(exp * 1000) : undefined;', '}', '');
  if (svc.mistakes.has('handRolledDecode')) {
    tokenUtil.push(
      'export function currentTenant(authorization: string): string {',
      "  const token = authorization.replace('Bearer ', '');",
      "  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64').toString('utf8'));",
      '  return claims.tid;',
      '}',
      '',
    );
  }
  if (svc.mistakes.has('verifyNoAlgorithms')) {
    tokenUtil.push(
      'export function verifyServiceToken(token: string): jwt.JwtPayload {',
      "  return jwt.verify(token, process.env.SERVICE_TOKEN_SECRET as string) as jwt.JwtPayload;",
      '}',
      '',
    );
  } else {
    tokenUtil.push(
      'export function verifyServiceToken(token: string): jwt.JwtPayload {',
      "  return jwt.verify(token, process.env.SERVICE_TOKEN_SECRET as string, { algorithms: ['HS256'], audience: 'internal' }) as jwt.JwtPayload;",
      '}',
      '',
    );
  }
  if (svc.mistakes.has('algNone')) {
    tokenUtil.push(
      'export function readLegacyToken(token: string): unknown {',
      "  return jwt.verify(token, process.env.LEGACY_KEY ?? '', { algorithms: ['HS256', 'none'] });",
      '}',
      '',
    );
  }
  files[`${base}/src/utils/tokens.ts`] = tokenUtil.join('\n');
  files[`${base}/scripts/seed.js`] = [
    "'use strict';",
    "const path = require('node:path');",
    "const jwt = require('jsonwebtoken');",
    '',
    `const ADMIN_TOKEN = jwt.sign({ sub: 'seed-admin', roles: ['admin'] }, process.env.JWT_SECRET || 'seed-secret', { expiresIn: '5m' });`,
    '',
    'async function main() {',
    `  const base = process.env.SERVICE_URL || 'http://localhost:${3000 + svc.index}';`,
    '  const fixtures = require(path.join(__dirname, \'fixtures.json\'));',
    '  for (const row of fixtures) {',
    '    await fetch(`${base}/api/${row.kind}`, { method: \'POST\', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, \'content-type\': \'application/json\' }, body: JSON.stringify(row) });',
    '  }',
    '}',
    '',
    'main().catch((error) => {',
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');
  return files;
}

// ---------------------------------------------------------------------------------------------
// Express service

function expressService(rng, svc) {
  const files = {};
  const base = `services/${svc.name}`;
  const m = svc.mistakes;
  files[`${base}/src/config/index.ts`] = [
    "import 'dotenv/config';",
    '',
    'export const config = {',
    `  port: Number(process.env.PORT ?? ${3000 + svc.index}),`,
    '  jwt: {',
    `    secret: ${m.has('hardcodedSecret') ? "'express-signing-secret'" : m.has('fallbackSecret') ? "process.env.JWT_SECRET || 'changeme'" : "process.env.JWT_SECRET as string"},`,
    "    issuer: process.env.TOKEN_ISSUER ?? 'https://id.acme.internal',",
    "    audience: 'acme-api',",
    `    expiresIn: '${rng.pick(['15m', '1h', '2h'])}',`,
    '  },',
    "  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean),",
    '};',
    '',
  ].join('\n');
  const useExpressJwt = rng.chance(0.4);
  files[`${base}/src/middleware/authenticate.ts`] = useExpressJwt
    ? [
        "import { expressjwt } from 'express-jwt';",
        "import { config } from '../config';",
        '',
        'export const authenticate = expressjwt({',
        '  secret: config.jwt.secret,',
        `  algorithms: ['HS256'],`,
        ...(m.has('noIssuer') ? [] : ['  issuer: config.jwt.issuer,', '  audience: config.jwt.audience,']),
        ...(m.has('credentialsOptional') ? ['  credentialsRequired: false,'] : []),
        "}).unless({ path: ['/health', '/auth/login'] });",
        '',
      ].join('\n')
    : [
        "import type { NextFunction, Request, Response } from 'express';",
        "import jwt from 'jsonwebtoken';",
        "import { bearerToken, type AccessClaims } from '@acme/auth-core';",
        "import { config } from '../config';",
        '',
        'export interface AuthedRequest extends Request {',
        '  auth?: AccessClaims;',
        '}',
        '',
        'export function authenticate(req: AuthedRequest, res: Response, next: NextFunction): void {',
        '  const token = bearerToken(req.headers.authorization);',
        '  if (!token) {',
        "    res.status(401).json({ error: 'missing_token' });",
        '    return;',
        '  }',
        '  try {',
        ...(m.has('decodeAsVerify')
          ? ['    req.auth = jwt.decode(token) as AccessClaims;']
          : m.has('verifyNoAlgorithms')
            ? ['    req.auth = jwt.verify(token, config.jwt.secret) as AccessClaims;']
            : [`    req.auth = jwt.verify(token, config.jwt.secret, { algorithms: ['HS256']${m.has('noIssuer') ? '' : ', issuer: config.jwt.issuer, audience: config.jwt.audience'}${m.has('ignoreExpiration') ? ', ignoreExpiration: true' : ''} }) as AccessClaims;`]),
        '    next();',
        '  } catch (error) {',
        "    res.status(401).json({ error: 'invalid_token', detail: (error as Error).message });",
        '  }',
        '}',
        '',
      ].join('\n');
  files[`${base}/src/middleware/error-handler.ts`] = [
    "import type { NextFunction, Request, Response } from 'express';",
    "import { HttpError, Logger } from '@acme/common';",
    '',
    "const logger = new Logger('error-handler');",
    '',
    'export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {',
    '  if (error instanceof HttpError) {',
    '    res.status(error.status).json({ error: error.code, message: error.message });',
    '    return;',
    '  }',
    '  logger.error(`unhandled error on ${req.method} ${req.path}`, { error: String(error) });',
    "  res.status(500).json({ error: 'internal' });",
    '}',
    '',
  ].join('\n');
  files[`${base}/src/auth/login.ts`] = [
    "import { Router } from 'express';",
    "import jwt from 'jsonwebtoken';",
    "import { config } from '../config';",
    '',
    'export const authRouter = Router();',
    '',
    "authRouter.post('/login', async (req, res) => {",
    '  const { email, password } = req.body ?? {};',
    "  if (typeof email !== 'string' || typeof password !== 'string') {",
    "    res.status(400).json({ error: 'invalid_credentials' });",
    '    return;',
    '  }',
    `  const token = jwt.sign({ sub: email, roles: ['user'] }, config.jwt.secret, { algorithm: 'HS256'${m.has('signNoExpiry') ? '' : ', expiresIn: config.jwt.expiresIn'}, issuer: config.jwt.issuer });`,
    '  res.json({ token });',
    '});',
    '',
  ].join('\n');
  const routerImports = [];
  const mounts = [];
  const unguarded = m.has('missingGuard') ? rng.pick(svc.entities).name : undefined;
  for (const ent of svc.entities) {
    const E = pascal(ent.name);
    const e = camel(ent.name);
    const k = kebab(ent.name);
    files[`${base}/src/models/${k}.ts`] = entityInterface(ent).join('\n');
    files[`${base}/src/validators/${k}.schema.ts`] = [
      "import { z } from 'zod';",
      '',
      `export const create${E}Schema = z.object({`,
      ...ent.fields.map(([n, t]) => `  ${n}: ${t === 'number' ? 'z.number().nonnegative()' : t === 'boolean' ? 'z.boolean()' : t === 'Date' ? 'z.coerce.date()' : t === 'string[]' ? 'z.array(z.string())' : 'z.string().max(255)'},`),
      '});',
      '',
      `export const update${E}Schema = create${E}Schema.partial();`,
      '',
      `export type Create${E}Input = z.infer<typeof create${E}Schema>;`,
      `export type Update${E}Input = z.infer<typeof update${E}Schema>;`,
      '',
    ].join('\n');
    const sv = [
      "import { Logger, notFound, badRequest } from '@acme/common';",
      `import { ${e.toUpperCase()}_DEFAULTS, type ${E} } from '../models/${k}';`,
      `import type { Create${E}Input, Update${E}Input } from '../validators/${k}.schema';`,
      "import { db } from '../db';",
      "import { events } from '../events';",
      "import { cache } from '../cache';",
      '',
      'export interface Ctx {',
      '  userId: string;',
      '  tenantId: string;',
      '  [key: string]: any;',
      '}',
      '',
      `const logger = new Logger('${k}-service');`,
      `const repo = db.table<${E}>('${plural(k).replace(/-/g, '_')}');`,
      '',
      `export async function list${plural(E)}(context: Ctx, filter: any): Promise<${E}[]> {`,
      '  const id = context.userId;',
      ...logicBlock(rng, ent, 2, { repo: 'repo', logger: 'logger', events: 'events', cache: 'cache', thrower: (msg) => `throw badRequest(${msg});` }),
      "  return repo.findMany({ where: { tenantId: context.tenantId }, take: filter.limit ?? 25 });",
      '}',
      '',
      `export async function get${E}(id: string, context: Ctx): Promise<${E}> {`,
      '  const row = await repo.findOne({ where: { id, tenantId: context.tenantId } });',
      `  if (!row) throw notFound('${e}');`,
      '  return row;',
      '}',
      '',
      `export async function create${E}(input: Create${E}Input, context: Ctx): Promise<${E}> {`,
      `  const row = await repo.create({ ...${e.toUpperCase()}_DEFAULTS, ...input, tenantId: context.tenantId } as Partial<${E}>);`,
      '  const id = row.id;',
      ...logicBlock(rng, ent, 2, { repo: 'repo', logger: 'logger', events: 'events', cache: 'cache', thrower: (msg) => `throw badRequest(${msg});` }),
      '  return row;',
      '}',
      '',
      `export async function update${E}(id: string, input: Update${E}Input, context: Ctx): Promise<${E}> {`,
      ...logicBlock(rng, ent, 2, { repo: 'repo', logger: 'logger', events: 'events', cache: 'cache', thrower: (msg) => `throw badRequest(${msg});` }),
      `  await repo.update(id, input as Partial<${E}>);`,
      `  return get${E}(id, context);`,
      '}',
    ];
    for (let i = 0; i < rng.int(1, svc.methodsPerService); i++) {
      const verb = rng.pick(['reconcile', 'archive', 'export', 'rebuild', 'audit', 'notify', 'merge']);
      sv.push('', `export async function ${verb}${E}${i}(id: string, context: Ctx): Promise<{ ok: boolean }> {`);
      sv.push(...logicBlock(rng, ent, 2, { repo: 'repo', logger: 'logger', events: 'events', cache: 'cache', thrower: (msg) => `throw badRequest(${msg});` }));
      sv.push('  return { ok: true };', '}');
    }
    sv.push('');
    files[`${base}/src/services/${k}.service.ts`] = sv.join('\n');
    files[`${base}/src/controllers/${k}.controller.ts`] = [
      "import type { NextFunction, Response } from 'express';",
      "import { parsePaging } from '@acme/common';",
      "import type { AuthedRequest } from '../middleware/authenticate';",
      `import * as ${e}Service from '../services/${k}.service';`,
      `import { create${E}Schema, update${E}Schema } from '../validators/${k}.schema';`,
      '',
      'function ctx(req: AuthedRequest) {',
      "  return { userId: req.auth?.sub ?? 'anonymous', tenantId: req.auth?.tid ?? 'none' };",
      '}',
      '',
      'export async function list(req: AuthedRequest, res: Response, next: NextFunction) {',
      '  try {',
      `    res.json(await ${e}Service.list${plural(E)}(ctx(req), parsePaging(req.query)));`,
      '  } catch (error) {',
      '    next(error);',
      '  }',
      '}',
      '',
      'export async function get(req: AuthedRequest, res: Response, next: NextFunction) {',
      '  try {',
      `    res.json(await ${e}Service.get${E}(req.params.id, ctx(req)));`,
      '  } catch (error) {',
      '    next(error);',
      '  }',
      '}',
      '',
      'export async function create(req: AuthedRequest, res: Response, next: NextFunction) {',
      `  const parsed = create${E}Schema.safeParse(req.body);`,
      '  if (!parsed.success) {',
      "    res.status(400).json({ error: 'validation', issues: parsed.error.issues });",
      '    return;',
      '  }',
      '  try {',
      `    res.status(201).json(await ${e}Service.create${E}(parsed.data, ctx(req)));`,
      '  } catch (error) {',
      '    next(error);',
      '  }',
      '}',
      '',
      'export async function update(req: AuthedRequest, res: Response, next: NextFunction) {',
      `  const parsed = update${E}Schema.safeParse(req.body);`,
      '  if (!parsed.success) {',
      "    res.status(400).json({ error: 'validation', issues: parsed.error.issues });",
      '    return;',
      '  }',
      '  try {',
      `    res.json(await ${e}Service.update${E}(req.params.id, parsed.data, ctx(req)));`,
      '  } catch (error) {',
      '    next(error);',
      '  }',
      '}',
      '',
    ].join('\n');
    const guard = unguarded === ent.name ? '' : 'authenticate, ';
    files[`${base}/src/routes/${k}.routes.ts`] = [
      "import { Router } from 'express';",
      "import { requireRole } from '@acme/auth-core';",
      "import { authenticate } from '../middleware/authenticate';",
      `import * as controller from '../controllers/${k}.controller';`,
      '',
      'const router = Router();',
      '',
      `router.get('/', ${guard}controller.list);`,
      `router.get('/:id', ${guard}controller.get);`,
      `router.post('/', ${guard}requireRole('${rng.pick(ROLES)}'), controller.create);`,
      `router.put('/:id', ${guard}requireRole('${rng.pick(ROLES)}'), controller.update);`,
      '',
      'export default router;',
      '',
    ].join('\n');
    routerImports.push(`import ${e}Routes from './routes/${k}.routes';`);
    mounts.push(`app.use('/api/${plural(k)}', ${e}Routes);`);
  }
  files[`${base}/src/db.ts`] = dbFile();
  files[`${base}/src/events.ts`] = eventsFile();
  files[`${base}/src/cache.ts`] = cacheFile();
  files[`${base}/src/app.ts`] = [
    "import express from 'express';",
    "import helmet from 'helmet';",
    "import cors from 'cors';",
    "import { config } from './config';",
    "import { authRouter } from './auth/login';",
    "import { errorHandler } from './middleware/error-handler';",
    ...routerImports,
    '',
    'export const app = express();',
    '',
    'app.use(helmet());',
    'app.use(cors({ origin: config.corsOrigins, credentials: true }));',
    "app.use(express.json({ limit: '1mb' }));",
    "app.get('/health', (_req, res) => res.json({ ok: true }));",
    "app.use('/auth', authRouter);",
    ...mounts,
    'app.use(errorHandler);',
    '',
  ].join('\n');
  files[`${base}/src/server.ts`] = [
    "import { app } from './app';",
    "import { config } from './config';",
    '',
    'app.listen(config.port, () => {',
    '  console.log(`listening on ${config.port}`);',
    '});',
    '',
  ].join('\n');
  for (const ent of svc.entities) {
    const k = kebab(ent.name);
    const E = pascal(ent.name);
    files[`${base}/test/${k}.service.test.ts`] = specFile(rng, ent, `../src/services/${k}.service`, `list${plural(E)}`, `{ list: list${plural(E)} }`).join('\n');
  }
  Object.assign(files, utilsFiles(rng, svc, base));
  return files;
}

function dbFile() {
  return [
    'type Where<T> = Partial<Record<keyof T | string, unknown>>;',
    '',
    'export interface Table<T extends { id: string }> {',
    '  findOne(query: { where: Where<T> }): Promise<T | undefined>;',
    '  findMany(query: { where: Where<T>; take?: number; skip?: number; orderBy?: Record<string, string> }): Promise<T[]>;',
    '  count(query: { where: Where<T> }): Promise<number>;',
    '  create(input: Partial<T>): Promise<T>;',
    '  update(id: string, patch: Partial<T>): Promise<void>;',
    '  ping(): Promise<boolean>;',
    '}',
    '',
    'function memoryTable<T extends { id: string }>(name: string): Table<T> {',
    '  const rows = new Map<string, T>();',
    '  const matches = (row: T, where: Where<T>) => Object.entries(where).every(([key, value]) => value === undefined || (row as Record<string, unknown>)[key] === value);',
    '  return {',
    '    async findOne({ where }) {',
    '      return [...rows.values()].find((row) => matches(row, where));',
    '    },',
    '    async findMany({ where, take, skip }) {',
    '      return [...rows.values()].filter((row) => matches(row, where)).slice(skip ?? 0, (skip ?? 0) + (take ?? rows.size));',
    '    },',
    '    async count({ where }) {',
    '      return [...rows.values()].filter((row) => matches(row, where)).length;',
    '    },',
    '    async create(input) {',
    '      const row = { ...input, id: `${name}_${rows.size + 1}` } as T;',
    '      rows.set(row.id, row);',
    '      return row;',
    '    },',
    '    async update(id, patch) {',
    '      const row = rows.get(id);',
    '      if (row) rows.set(id, { ...row, ...patch });',
    '    },',
    '    async ping() {',
    '      return true;',
    '    },',
    '  };',
    '}',
    '',
    'export const db = {',
    '  table: <T extends { id: string }>(name: string) => memoryTable<T>(name),',
    '};',
    '',
  ].join('\n');
}

function eventsFile() {
  return [
    "import { EventEmitter } from 'node:events';",
    '',
    'const emitter = new EventEmitter();',
    '',
    'export const events = {',
    '  async publish(topic: string, payload: Record<string, unknown>): Promise<void> {',
    '    emitter.emit(topic, payload);',
    '  },',
    '  subscribe(topic: string, handler: (payload: Record<string, unknown>) => void): () => void {',
    '    emitter.on(topic, handler);',
    '    return () => emitter.off(topic, handler);',
    '  },',
    '};',
    '',
  ].join('\n');
}

function cacheFile() {
  return [
    'const store = new Map<string, { value: string; expires: number }>();',
    '',
    'export const cache = {',
    '  async get(key: string): Promise<string | undefined> {',
    '    const hit = store.get(key);',
    '    if (!hit || hit.expires < Date.now()) return undefined;',
    '    return hit.value;',
    '  },',
    '  async set(key: string, value: string, ttlMs = 60_000): Promise<void> {',
    '    store.set(key, { value, expires: Date.now() + ttlMs });',
    '  },',
    '};',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Fastify service

function fastifyService(rng, svc) {
  const files = {};
  const base = `services/${svc.name}`;
  const m = svc.mistakes;
  const useJose = rng.chance(0.5);
  files[`${base}/src/config.ts`] = [
    'export const settings = {',
    `  port: Number(process.env.PORT ?? ${3000 + svc.index}),`,
    `  jwtSecret: ${m.has('hardcodedSecret') ? "'fastify-secret-value'" : m.has('fallbackSecret') ? "process.env.JWT_SECRET ?? 'insecure-default'" : 'process.env.JWT_SECRET!'},`,
    "  jwksUrl: process.env.JWKS_URL ?? 'https://id.acme.internal/.well-known/jwks.json',",
    "  issuer: 'https://id.acme.internal',",
    "  audience: 'acme-api',",
    '};',
    '',
  ].join('\n');
  files[`${base}/src/plugins/auth.ts`] = useJose
    ? [
        "import fp from 'fastify-plugin';",
        "import type { FastifyReply, FastifyRequest } from 'fastify';",
        "import { createRemoteJWKSet, jwtVerify } from 'jose';",
        "import { settings } from '../config';",
        '',
        'const JWKS = createRemoteJWKSet(new URL(settings.jwksUrl));',
        '',
        "declare module 'fastify' {",
        '  interface FastifyInstance {',
        '    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;',
        '  }',
        '  interface FastifyRequest {',
        '    claims?: Record<string, unknown>;',
        '  }',
        '}',
        '',
        'export default fp(async (fastify) => {',
        "  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {",
        "    const token = request.headers.authorization?.replace(/^Bearer /i, '');",
        '    if (!token) {',
        "      await reply.code(401).send({ error: 'unauthorized' });",
        '      return;',
        '    }',
        '    try {',
        m.has('noIssuer')
          ? '      const { payload } = await jwtVerify(token, JWKS);'
          : "      const { payload } = await jwtVerify(token, JWKS, { algorithms: ['RS256'], issuer: settings.issuer, audience: settings.audience });",
        '      request.claims = payload;',
        '    } catch {',
        "      await reply.code(401).send({ error: 'unauthorized' });",
        '    }',
        '  });',
        '});',
        '',
      ].join('\n')
    : [
        "import fp from 'fastify-plugin';",
        "import fastifyJwt from '@fastify/jwt';",
        "import type { FastifyReply, FastifyRequest } from 'fastify';",
        "import { settings } from '../config';",
        '',
        "declare module 'fastify' {",
        '  interface FastifyInstance {',
        '    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;',
        '  }',
        '}',
        '',
        'export default fp(async (fastify) => {',
        '  await fastify.register(fastifyJwt, {',
        '    secret: settings.jwtSecret,',
        `    sign: { algorithm: 'HS256', expiresIn: '${rng.pick(['10m', '1h'])}', iss: settings.issuer },`,
        `    verify: { algorithms: ['HS256']${m.has('noIssuer') ? '' : ", allowedIss: settings.issuer, requiredClaims: ['iss', 'exp']"}${m.has('ignoreExpiration') ? ', ignoreExpiration: true' : ''} },`,
        '  });',
        "  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {",
        '    try {',
        m.has('decodeAsVerify') ? '      await request.jwtDecode();' : '      await request.jwtVerify();',
        '    } catch (error) {',
        '      await reply.send(error);',
        '    }',
        '  });',
        '});',
        '',
      ].join('\n');
  const registrations = [];
  const imports = [];
  const unguarded = m.has('missingGuard') ? rng.pick(svc.entities).name : undefined;
  for (const ent of svc.entities) {
    const E = pascal(ent.name);
    const e = camel(ent.name);
    const k = kebab(ent.name);
    files[`${base}/src/models/${k}.ts`] = entityInterface(ent).join('\n');
    files[`${base}/src/schemas/${k}.ts`] = [
      `export const ${e}Body = {`,
      "  type: 'object',",
      `  required: [${ent.fields.slice(0, 2).map(([n]) => `'${n}'`).join(', ')}],`,
      '  properties: {',
      ...ent.fields.map(([n, t]) => `    ${n}: { type: '${t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : t === 'string[]' ? 'array' : 'string'}' },`),
      '  },',
      '  additionalProperties: false,',
      '} as const;',
      '',
      `export const ${e}Params = {`,
      "  type: 'object',",
      "  required: ['id'],",
      "  properties: { id: { type: 'string', minLength: 1 } },",
      '} as const;',
      '',
    ].join('\n');
    const sv = [
      `import type { ${E} } from '../models/${k}';`,
      "import { db } from '../db';",
      "import { events } from '../events';",
      "import { cache } from '../cache';",
      '',
      'type Ctx = { userId: string; tenantId: string; [key: string]: any };',
      '',
      `export class ${E}Service {`,
      `  private readonly ${e}Repository = db.table<${E}>('${plural(k).replace(/-/g, '_')}');`,
      '  private readonly events = events;',
      '  private readonly cache = cache;',
      '  private readonly logger = console;',
      '',
      `  async list(context: Ctx, filter: any): Promise<${E}[]> {`,
      '    const id = context.userId;',
      ...logicBlock(rng, ent, 4),
      `    return this.${e}Repository.findMany({ where: { tenantId: context.tenantId }, take: filter.limit });`,
      '  }',
      '',
      `  async create(input: Partial<${E}>, context: Ctx): Promise<${E}> {`,
      `    const row = await this.${e}Repository.create({ ...input, tenantId: context.tenantId });`,
      '    const id = row.id;',
      ...logicBlock(rng, ent, 4),
      '    return row;',
      '  }',
    ];
    for (let i = 0; i < rng.int(1, svc.methodsPerService); i++) {
      const verb = rng.pick(['refresh', 'close', 'reopen', 'transfer', 'verify', 'compact']);
      sv.push('', `  async ${verb}${i}(id: string, context: Ctx): Promise<boolean> {`);
      sv.push(...logicBlock(rng, ent, 4));
      sv.push('    return true;', '  }');
    }
    sv.push('}', '', `export const ${e}Service = new ${E}Service();`, '');
    files[`${base}/src/services/${k}.service.ts`] = sv.join('\n');
    const hook = unguarded === ent.name ? '' : 'onRequest: [fastify.authenticate], ';
    files[`${base}/src/routes/${k}.ts`] = [
      "import type { FastifyInstance, FastifyRequest } from 'fastify';",
      `import { ${e}Body, ${e}Params } from '../schemas/${k}';`,
      `import { ${e}Service } from '../services/${k}.service';`,
      '',
      'function ctx(request: FastifyRequest) {',
      '  const user = (request as FastifyRequest & { user?: { sub?: string; tid?: string } }).user;',
      "  return { userId: user?.sub ?? 'anonymous', tenantId: user?.tid ?? 'none' };",
      '}',
      '',
      `export default async function ${e}Routes(fastify: FastifyInstance): Promise<void> {`,
      `  fastify.get('/${plural(k)}', { ${hook}}, async (request) => ${e}Service.list(ctx(request), request.query));`,
      `  fastify.post('/${plural(k)}', { ${hook}schema: { body: ${e}Body } }, async (request, reply) => {`,
      `    const created = await ${e}Service.create(request.body as never, ctx(request));`,
      '    return reply.code(201).send(created);',
      '  });',
      `  fastify.route({`,
      "    method: 'DELETE',",
      `    url: '/${plural(k)}/:id',`,
      `    schema: { params: ${e}Params },`,
      ...(hook ? ['    onRequest: [fastify.authenticate],'] : []),
      '    handler: async (request, reply) => {',
      `      await ${e}Service.close0?.((request.params as { id: string }).id, ctx(request));`,
      '      return reply.code(204).send();',
      '    },',
      '  });',
      '}',
      '',
    ].join('\n');
    imports.push(`import ${e}Routes from './routes/${k}';`);
    registrations.push(`  await app.register(${e}Routes, { prefix: '/api' });`);
  }
  files[`${base}/src/db.ts`] = dbFile();
  files[`${base}/src/events.ts`] = eventsFile();
  files[`${base}/src/cache.ts`] = cacheFile();
  files[`${base}/src/app.ts`] = [
    "import Fastify from 'fastify';",
    "import authPlugin from './plugins/auth';",
    "import { settings } from './config';",
    ...imports,
    '',
    'export async function buildApp() {',
    "  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });",
    '  await app.register(authPlugin);',
    "  app.get('/health', async () => ({ ok: true }));",
    ...registrations,
    '  return app;',
    '}',
    '',
    'if (process.env.NODE_ENV !== \'test\') {',
    '  buildApp()',
    "    .then((app) => app.listen({ port: settings.port, host: '0.0.0.0' }))",
    '    .catch((error) => {',
    '      console.error(error);',
    '      process.exit(1);',
    '    });',
    '}',
    '',
  ].join('\n');
  Object.assign(files, utilsFiles(rng, svc, base));
  return files;
}

// ---------------------------------------------------------------------------------------------
// The monorepo

const MISTAKES = [
  'hardcodedSecret', 'fallbackSecret', 'ignoreExpiration', 'noIssuer', 'decodeAsVerify', 'verifyNoAlgorithms',
  'handRolledDecode', 'algNone', 'missingGuard', 'signNoExpiry', 'tokenInQuery', 'credentialsOptional',
];

/** Lines as authlint counts them (and `wc -l`, plus an unterminated last line). */
function countLines(text) {
  let n = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Generates the file map in memory: { relPath: text }. */
export function generateFiles({ lines, seed = 1 }) {
  const rng = new Rng(seed);
  const files = {};
  let total = 0;
  const add = (map) => {
    for (const [p, text] of Object.entries(map)) {
      files[p] = text;
      total += countLines(text);
    }
  };
  add(sharedPackages(rng));
  const used = new Map();
  for (let index = 0; total < lines; index++) {
    const domain = DOMAINS[index % DOMAINS.length];
    const round = used.get(domain) ?? 0;
    used.set(domain, round + 1);
    const name = round === 0 ? `${domain}-service` : `${domain}-service-${round + 1}`;
    const roll = rng.next();
    const framework = roll < 0.5 ? 'nest' : roll < 0.8 ? 'express' : 'fastify';
    const entityNames = rng.sample(ENTITIES, rng.int(3, 8));
    const entities = entityNames.map((n) => ({ name: n, fields: rng.sample(FIELDS, rng.int(5, 12)) }));
    const mistakes = new Set();
    for (const mistake of MISTAKES) if (rng.chance(0.12)) mistakes.add(mistake);
    const svc = { name, index, framework, entities, mistakes, methodsPerService: rng.int(3, 12) };
    add(framework === 'nest' ? nestService(rng, svc) : framework === 'express' ? expressService(rng, svc) : fastifyService(rng, svc));
    files[`services/${name}/package.json`] = JSON.stringify(
      { name: `@acme/${name}`, version: '1.0.0', private: true, scripts: { build: 'tsc -p .', test: 'vitest run' } },
      null,
      2,
    ) + '\n';
  }
  return { files, lines: total };
}

const ROOT_FILES = {
  'package.json': JSON.stringify(
    {
      name: 'acme-platform',
      private: true,
      workspaces: ['packages/*', 'services/*'],
      dependencies: {
        '@fastify/jwt': '^10.0.0', '@nestjs/common': '^11.0.0', '@nestjs/core': '^11.0.0', '@nestjs/jwt': '^11.0.0',
        '@nestjs/passport': '^11.0.0', 'express': '^5.1.0', 'express-jwt': '^8.5.1', 'fastify': '^5.4.0', 'jose': '^6.0.0',
        'jsonwebtoken': '^9.0.2', 'passport-jwt': '^4.0.1', 'zod': '^3.25.0',
      },
    },
    null,
    2,
  ) + '\n',
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true, emitDecoratorMetadata: true,
        baseUrl: '.', paths: { '@acme/auth-core': ['packages/auth-core/src'], '@acme/common': ['packages/common/src'] },
      },
    },
    null,
    2,
  ) + '\n',
  '.gitignore': 'node_modules/\ndist/\n',
  'authlint.config.json': JSON.stringify(
    {
      project: {
        tokenContract: { algorithms: ['RS256', 'HS256'], issuer: 'https://id.acme.internal', audiences: ['acme-api'] },
        authenticationMiddleware: ['authenticate', 'JwtAuthGuard'],
        authorizationMiddleware: ['requireRole', 'requireScope', 'RolesGuard'],
        publicMarkers: ['Public'],
        sharedLibrary: { packages: ['@acme/auth-core'] },
      },
    },
    null,
    2,
  ) + '\n',
};

/** Writes the monorepo into `out` (replacing it) and returns { files, lines }. */
export function writeMonorepo({ lines, out, seed = 1 }) {
  const { files, lines: total } = generateFiles({ lines, seed });
  fs.rmSync(out, { recursive: true, force: true });
  const all = { ...ROOT_FILES, ...files };
  for (const [rel, text] of Object.entries(all)) {
    const abs = path.join(out, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  const sourceFiles = Object.keys(files).filter((p) => /\.[cm]?[jt]sx?$/.test(p)).length;
  const meta = { generatorVersion: GENERATOR_VERSION, seed, requestedLines: lines, sourceFiles, sourceLines: total };
  fs.writeFileSync(path.join(out, '.monorepo.json'), JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

/** The metadata of an existing generated monorepo when it matches the request, else undefined. */
export function existingMonorepo({ lines, out, seed = 1 }) {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(out, '.monorepo.json'), 'utf8'));
    if (meta.generatorVersion === GENERATOR_VERSION && meta.seed === seed && meta.requestedLines === lines) return meta;
  } catch {
    // absent or unreadable: generate
  }
  return undefined;
}

function parseLines(text) {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(String(text).trim());
  if (!match) throw new Error(`--lines: expected a number like 100000, 100k or 1m, got '${text}'`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * factor);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (name) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const lines = parseLines(get('--lines') ?? '100k');
  const seed = Number(get('--seed') ?? 1);
  const out = path.resolve(get('--out') ?? path.join('.bench', `mono-${lines >= 1_000_000 ? `${lines / 1_000_000}m` : `${Math.round(lines / 1000)}k`}`));
  const meta = writeMonorepo({ lines, out, seed });
  console.log(`wrote ${meta.sourceFiles} source files, ${meta.sourceLines} lines to ${path.relative(process.cwd(), out) || out}`);
}
