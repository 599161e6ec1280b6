import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { getJwtCalls, getModuleConfigurations, getVerifyCalls, type JwtCall } from '../../src/facts/jwt.js';
import { JWT_PACKAGES, matchesApiPath } from '../../src/models/jwt/index.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(files)) if (/\.[jt]s$/.test(p)) project.addFile(p, text);
  return project;
}

function calls(files: Record<string, string>, path = Object.keys(files).at(-1)!): JwtCall[] {
  const project = memoryProject(files);
  return [...getJwtCalls(project, project.getFile(path)!)];
}

const summary = (c: JwtCall) => `${c.library}:${c.apiName}:${c.operation}`;

describe('JWT library models', () => {
  it('matches alternatives, optional steps and chains', () => {
    expect(matchesApiPath(['SignJWT', 'new', '**', 'sign'], ['SignJWT', 'new', 'setProtectedHeader', '()', 'sign'])).toBe(true);
    expect(matchesApiPath(['Jwt?', 'verify'], ['verify'])).toBe(true);
    expect(matchesApiPath(['Jwt?', 'verify'], ['Jwt', 'verify'])).toBe(true);
    expect(matchesApiPath(['JwtService', '#instance|new', 'verify|verifyAsync'], ['JwtService', '#instance', 'verifyAsync'])).toBe(true);
    expect(matchesApiPath([], ['verify'])).toBe(false);
    expect(JWT_PACKAGES).toContain('fastify-jwt');
    expect(JWT_PACKAGES).toContain('@hapi/jwt');
  });
});

describe('JWT_CALLS', () => {
  it('binds jsonwebtoken through default, named, renamed and require imports, never by bare name', () => {
    const found = calls({
      '/repo/src/other.ts': 'export function verify(a: string, b: string) { return a === b; }\n',
      '/repo/src/auth.ts': [
        "import jwt from 'jsonwebtoken';",
        "import { verify as verifyJwt } from 'jsonwebtoken';",
        "import { verify } from './other';",
        "const { decode } = require('jsonwebtoken');",
        "jwt.sign({ sub: 1 }, 'k');",
        "verifyJwt(token, key, { algorithms: ['RS256'], issuer: 'https://id' });",
        'verify(token, key);',
        'decode(token);',
        'crypto.subtle.verify(a, b, c, d);',
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual(['jsonwebtoken:sign:sign', 'jsonwebtoken:verify:verify', 'jsonwebtoken:decode:decode']);
    const [sign, verify, decode] = found as [JwtCall, JwtCall, JwtCall];
    expect(sign.algorithms).toEqual([]);
    expect(sign.keys[0]).toMatchObject({ kind: 'secret', literals: [{ text: 'k', viaFallback: false }] });
    expect(verify.algorithms[0]).toMatchObject({ values: ['RS256'], complete: true, role: 'verify' });
    expect(verify.claims?.issuer.state).toBe('present');
    expect(verify.claims?.audience.state).toBe('absent');
    expect(decode.decodeOnly).toBe(true);
    expect(verify.callee).toBe('verifyJwt');
  });

  it('follows options, keys and algorithms across files, spreads and env fallbacks', () => {
    const found = calls({
      '/repo/src/config/jwt.ts': "const base = { algorithms: ['HS256'] as const };\nexport const verifyOptions = { ...base, audience: 'orders' };\nexport const SECRET = process.env.JWT_SECRET ?? 'dev-secret';\n",
      '/repo/src/lib/jwt.ts': "export * from 'jsonwebtoken';\n",
      '/repo/src/auth.ts': "import * as jwt from './lib/jwt';\nimport { SECRET, verifyOptions } from './config/jwt';\nexport const check = (t: string) => jwt.verify(t, SECRET, verifyOptions);\n",
    });
    expect(found.map(summary)).toEqual(['jsonwebtoken:verify:verify']);
    const [verify] = found as [JwtCall];
    expect(verify.algorithms[0]?.values).toEqual(['HS256']);
    expect(verify.keys[0]).toMatchObject({ kind: 'secret', sourceName: 'JWT_SECRET', literals: [{ text: 'dev-secret', viaFallback: true }] });
    expect(verify.claims?.audience.state).toBe('present');
    expect(verify.claims?.issuer.state).toBe('absent');
  });

  it('reads jose verify options, key kinds, SignJWT protected headers and unsecured tokens', () => {
    const found = calls({
      '/repo/src/jose.ts': [
        "import { jwtVerify, createRemoteJWKSet, SignJWT, decodeJwt, UnsecuredJWT, compactVerify, importSPKI } from 'jose';",
        "const JWKS = createRemoteJWKSet(new URL('https://id/.well-known/jwks.json'));",
        'const secret = new TextEncoder().encode(process.env.JWT_SECRET);',
        "await jwtVerify(token, JWKS, { issuer: 'https://id', audience: 'api' });",
        "await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('2h').sign(secret);",
        'decodeJwt(token);',
        'new UnsecuredJWT({ sub }).encode();',
        "await compactVerify(token, await importSPKI(pem, 'RS256'));",
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual([
      'jose:jwtVerify:verify',
      'jose:SignJWT.sign:sign',
      'jose:decodeJwt:decode',
      'jose:UnsecuredJWT:unsecured',
      'jose:compactVerify:verify',
    ]);
    const [verify, sign, , , compact] = found as JwtCall[];
    expect(verify?.keys[0]?.kind).toBe('jwks');
    expect(sign?.keys[0]?.kind).toBe('secret');
    expect(sign?.algorithms[0]).toMatchObject({ values: ['HS256'], role: 'sign' });
    expect(compact?.api.signatureOnly).toBe(true);
    expect(compact?.keys[0]?.kind).toBe('asymmetric');
  });

  it('models NestJS modules, injected JwtService and passport strategies', () => {
    const files = {
      '/repo/src/auth/constants.ts': "export const jwtConstants = { secret: 'secretKey' };\n",
      '/repo/src/auth/auth.module.ts': [
        "import { JwtModule } from '@nestjs/jwt';",
        "import { ConfigService } from '@nestjs/config';",
        'export const a = JwtModule.registerAsync({',
        '  inject: [ConfigService],',
        "  useFactory: (config: ConfigService) => ({ secret: config.get('JWT_SECRET'), verifyOptions: { issuer: 'https://id' } }),",
        '});',
      ].join('\n'),
      '/repo/src/auth/jwt.strategy.ts': [
        "import { PassportStrategy } from '@nestjs/passport';",
        "import { ExtractJwt, Strategy } from 'passport-jwt';",
        "import { jwtConstants } from './constants';",
        'export class JwtStrategy extends PassportStrategy(Strategy) {',
        '  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: jwtConstants.secret }); }',
        '}',
      ].join('\n'),
      '/repo/src/auth/auth.guard.ts': [
        "import { JwtService } from '@nestjs/jwt';",
        'export class AuthGuard {',
        '  constructor(private readonly jwtService: JwtService) {}',
        '  async check(token: string) { const p = await this.jwtService.verifyAsync(token); return this.jwtService.decode(token); }',
        '}',
      ].join('\n'),
    };
    const project = memoryProject(files);
    const module = getJwtCalls(project, project.getFile('/repo/src/auth/auth.module.ts')!);
    expect(module.map(summary)).toEqual(['@nestjs/jwt:JwtModule.registerAsync:configure']);
    expect(module[0]?.keys[0]).toMatchObject({ kind: 'secret', namedSecret: true, sourceName: 'JWT_SECRET' });
    expect(module[0]?.claims?.issuer.state).toBe('present');
    const strategy = getJwtCalls(project, project.getFile('/repo/src/auth/jwt.strategy.ts')!);
    expect(strategy.map(summary)).toEqual(['passport-jwt:JwtStrategy:configure']);
    expect(strategy[0]?.keys[0]).toMatchObject({ kind: 'secret', literals: [{ text: 'secretKey' }] });
    expect(strategy[0]?.claims?.ignoreExpiration.state).toBe('present');
    const guard = getJwtCalls(project, project.getFile('/repo/src/auth/auth.guard.ts')!);
    expect(guard.map(summary)).toEqual(['@nestjs/jwt:JwtService.verifyAsync:verify', '@nestjs/jwt:JwtService.decode:decode']);
    expect(getModuleConfigurations(project, guard[0]!).map(summary)).toEqual(['@nestjs/jwt:JwtModule.registerAsync:configure']);
  });

  it('binds @fastify/jwt registration and decorators only when the plugin is imported', () => {
    const files = {
      '/repo/src/plugins/auth.ts': [
        "import fastifyJwt from '@fastify/jwt';",
        'export default async function auth(app) {',
        "  app.register(fastifyJwt, { secret: process.env.JWT_SECRET, verify: { allowedIss: 'https://id' } });",
        "  app.decorate('authenticate', async (request) => { await request.jwtVerify(); });",
        '}',
      ].join('\n'),
      '/repo/src/routes/login.ts': "export default async function routes(app) { app.post('/login', async () => app.jwt.sign({ sub: 1 })); }\n",
    };
    const project = memoryProject(files);
    const plugin = getJwtCalls(project, project.getFile('/repo/src/plugins/auth.ts')!);
    expect(plugin.map(summary)).toEqual(['@fastify/jwt:register:configure', '@fastify/jwt:jwtVerify:verify']);
    expect(plugin[0]?.claims?.issuer.state).toBe('present');
    expect(plugin[0]?.claims?.requiredClaims.state).toBe('absent');
    expect(plugin[1]?.viaDecorator).toBe(true);
    expect(getJwtCalls(project, project.getFile('/repo/src/routes/login.ts')!).map(summary)).toEqual(['@fastify/jwt:jwt.sign:sign']);
    const without = calls({ '/repo/src/x.ts': 'export const f = (request) => request.jwtVerify();\n' });
    expect(without).toEqual([]);
  });

  it('models middleware configurations of express-jwt, koa-jwt, hono and hapi', () => {
    const found = calls({
      '/repo/src/app.ts': [
        "import { expressjwt } from 'express-jwt';",
        "const jwtV6 = require('express-jwt');",
        "import koaJwt from 'koa-jwt';",
        "import { jwt as honoJwt, verify as honoVerify } from 'hono/jwt';",
        "import Jwt from '@hapi/jwt';",
        "import jwksRsa from 'jwks-rsa';",
        "app.use(expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri }), algorithms: ['RS256'] }));",
        "app.use(jwtV6({ secret: 'shhhhhhared-secret', algorithms: ['HS256'] }));",
        "app.use(koaJwt({ secret: 'shared-secret' }));",
        "app.use('/api/*', honoJwt({ secret: 'it-is-very-secret', alg: 'HS256' }));",
        "await honoVerify(token, secret, 'HS256');",
        "server.auth.strategy('my_jwt', 'jwt', { keys: 'some_shared_secret', verify: { aud: false, iss: false, sub: false } });",
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual([
      'express-jwt:expressjwt:configure',
      'express-jwt:jwt:configure',
      'koa-jwt:jwt:configure',
      'hono/jwt:jwt:configure',
      'hono/jwt:verify:verify',
      '@hapi/jwt:auth.strategy:configure',
    ]);
    expect(found[0]?.keys[0]?.kind).toBe('jwks');
    expect(found[2]?.algorithms).toEqual([]);
    expect(found[3]?.algorithms[0]?.values).toEqual(['HS256']);
    expect(found[5]?.keys[0]?.kind).toBe('secret');
  });

  it('models jws, jwt-simple, fast-jwt and jwt-decode, including decode-only forms', () => {
    const found = calls({
      '/repo/src/legacy.js': [
        "const jws = require('jws');",
        "const jwtSimple = require('jwt-simple');",
        "const { createVerifier, createDecoder } = require('fast-jwt');",
        "const jwtDecode = require('jwt-decode');",
        'const decoded = jws.decode(token);',
        'jws.verify(token, decoded.header.alg, key);',
        'jwtSimple.decode(token, key);',
        'jwtSimple.decode(token, key, true);',
        'const verifier = createVerifier({ key: publicKey });',
        'const decodeToken = createDecoder();',
        'verifier(token);',
        'decodeToken(token);',
        'jwtDecode(token);',
      ].join('\n'),
    });
    expect(found.map((c) => `${summary(c)}${c.decodeOnly ? ':decode-only' : ''}${c.viaFactory ? ':via-factory' : ''}`)).toEqual([
      'jws:decode:decode:decode-only',
      'jws:verify:verify',
      'jwt-simple:decode:verify',
      'jwt-simple:decode:decode:decode-only',
      'fast-jwt:createVerifier:verify',
      'fast-jwt:createDecoder:decode:decode-only',
      'fast-jwt:createVerifier:verify:via-factory',
      'fast-jwt:createDecoder:decode:decode-only:via-factory',
      'jwt-decode:jwt_decode:decode:decode-only',
    ]);
    expect(found[1]?.algorithms[0]).toMatchObject({ fromToken: true, complete: false });
    expect(found[4]?.keys[0]?.kind).toBe('asymmetric');
  });

  it('lists the verify calls inside a function', () => {
    const project = memoryProject({
      '/repo/src/mw.ts': "import jwt from 'jsonwebtoken';\nexport function a(t) { jwt.decode(t); return jwt.verify(t, k); }\nexport function b(t) { return jwt.decode(t); }\n",
    });
    const file = project.getFile('/repo/src/mw.ts')!;
    const [, fnA, fnB] = file.sourceFile.statements;
    expect(getVerifyCalls(project, file, fnA).map(summary)).toEqual(['jsonwebtoken:verify:verify']);
    expect(getVerifyCalls(project, file, fnB)).toEqual([]);
  });

  it('follows class members, options filled in after declaration and promisified calls', () => {
    const found = calls({
      '/repo/src/auth.js': [
        "const util = require('util');",
        "const jwt = require('jsonwebtoken');",
        "const { Strategy, ExtractJwt } = require('passport-jwt');",
        'const opts = {};',
        'opts.jwtFromRequest = ExtractJwt.fromAuthHeaderAsBearerToken();',
        "opts.secretOrKey = 'secret';",
        "opts.issuer = 'accounts.examplesoft.com';",
        'new Strategy(opts, (payload, done) => done(null, payload));',
        'const verifyAsync = util.promisify(jwt.verify);',
        'class Tokens {',
        "  constructor() { this.secret = process.env.JWT_SECRET || 'dev-secret'; }",
        '  check(t) { return verifyAsync(t, this.secret); }',
        '}',
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual(['passport-jwt:JwtStrategy:configure', 'jsonwebtoken:verify:verify']);
    expect(found[0]?.keys[0]).toMatchObject({ kind: 'secret', literals: [{ text: 'secret' }] });
    expect(found[0]?.claims?.issuer.state).toBe('present');
    expect(found[1]?.keys[0]).toMatchObject({ literals: [{ text: 'dev-secret', viaFallback: true }] });
  });

  it('binds a hapi-auth-jwt2 strategy whose plugin is required inline', () => {
    const found = calls({
      '/repo/src/server.js': [
        "const Hapi = require('@hapi/hapi');",
        'async function start() {',
        '  const server = Hapi.server({ port: 3000 });',
        "  await server.register(require('hapi-auth-jwt2'));",
        "  server.auth.strategy('jwt', 'jwt', { key: process.env.JWT_SECRET, validate, verifyOptions: { algorithms: ['HS256'] } });",
        '}',
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual(['hapi-auth-jwt2:auth.strategy:configure']);
    expect(found[0]?.algorithms[0]?.values).toEqual(['HS256']);
  });
});

describe('JWT_CALLS pre-check of callee roots (only calls that cannot be JWT-bound skip resolution)', () => {
  it('finds calls on typed parameters whose type is imported from the package or through a repository re-export', () => {
    const found = calls({
      '/repo/src/jwt/index.ts': "export { JwtService as Tokens } from '@nestjs/jwt';\n",
      '/repo/src/auth.ts': [
        "import { JwtService } from '@nestjs/jwt';",
        "import { Tokens } from './jwt';",
        'export const direct = (svc: JwtService, t: string) => svc.verify(t);',
        'export const aliased = (tokens: Tokens, t: string) => tokens.decode(t);',
        '',
      ].join('\n'),
    });
    expect(found.map(summary)).toEqual(['@nestjs/jwt:JwtService.verify:verify', '@nestjs/jwt:JwtService.decode:decode']);
  });

  it('resolves calls rooted at a variable, and finds none rooted at local functions, untyped parameters or other packages', () => {
    const found = calls({
      '/repo/src/auth.ts': [
        "import jwt from 'jsonwebtoken';",
        "import { Router } from 'express';",
        'const lib = jwt;',
        'const getLib = () => jwt;',
        'function verify(t: string) { return t; }',
        'export function check(token: string, key: string, tool: { verify(t: string): string }) {',
        '  lib.verify(token, key);',
        '  getLib().verify(token, key);',
        '  verify(token);',
        '  tool.verify(token);',
        '  Router().get(token);',
        '}',
        '',
      ].join('\n'),
    });
    expect(found.map((c) => `${summary(c)}@${c.node.getText()}`)).toEqual(['jsonwebtoken:verify:verify@lib.verify(token, key)']);
  });
});
