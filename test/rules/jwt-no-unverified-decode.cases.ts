import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'claims wrapped in an object and passed to a service that only logs them',
      filename: 'src/auth.controller.ts',
      code: "import { decode } from 'hono/jwt';\nimport { AuthService, SessionClaims } from './auth.service';\nexport async function logout(refreshToken: string) {\n  const { payload } = decode(refreshToken);\n  await AuthService.logout(new SessionClaims(payload));\n}\n",
      files: { 'src/auth.service.ts': "import { db, eq, users } from './db';\nexport class SessionClaims {\n  user: { id: number };\n  constructor(payload: any) {\n    this.user = payload.user;\n  }\n}\nexport class AuthService {\n  static async logout(session: SessionClaims) {\n    console.info('logout', session.user.id);\n  }\n}\n" },
    },
    {
      name: 'decode after verifying the same token',
      code: "import jwt from 'jsonwebtoken';\nexport function authenticate(req: any, _res: any, next: () => void) {\n  const token = String(req.headers.authorization).slice(7);\n  jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });\n  req.user = jwt.decode(token);\n  next();\n}\n",
    },
    {
      name: 'header kid read before a JWKS verification',
      code: "import jwt from 'jsonwebtoken';\nimport jwksClient from 'jwks-rsa';\nconst client = jwksClient({ jwksUri: 'https://id.example.com/.well-known/jwks.json' });\nexport async function verifyAccessToken(token: string) {\n  const decoded = jwt.decode(token, { complete: true });\n  if (!decoded) throw new Error('malformed token');\n  const key = await client.getSigningKey(decoded.header.kid);\n  return jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'], audience: 'orders' });\n}\n",
    },
    {
      name: 'jose decodeProtectedHeader to pick the issuer key',
      code: "import { decodeProtectedHeader, jwtVerify, importSPKI } from 'jose';\nexport async function verify(token: string, keys: Record<string, string>) {\n  const { kid, alg } = decodeProtectedHeader(token);\n  if (!kid || alg !== 'ES256') throw new Error('unexpected header');\n  return jwtVerify(token, await importSPKI(keys[kid]!, 'ES256'));\n}\n",
    },
    {
      name: 'a React component reading the user name',
      filename: 'src/components/Header.tsx',
      code: "import { jwtDecode } from 'jwt-decode';\nexport function Header({ token }: { token: string }) {\n  const claims = jwtDecode<{ name: string; role: string }>(token);\n  return claims.role === 'admin' ? <span>{claims.name} (admin)</span> : <span>{claims.name}</span>;\n}\n",
    },
    {
      name: 'browser code scheduling a refresh from exp',
      filename: 'src/session.ts',
      code: "import { jwtDecode } from 'jwt-decode';\nexport function scheduleRefresh(refresh: () => void) {\n  const token = localStorage.getItem('access_token') ?? '';\n  const { exp } = jwtDecode(token);\n  if (exp) setTimeout(refresh, exp * 1000 - Date.now() - 60_000);\n}\n",
    },
    {
      name: 'a service client caching its own token until exp',
      code: "import { decodeJwt } from 'jose';\nlet cached: { token: string; exp: number } | undefined;\nexport async function serviceToken(fetchToken: () => Promise<string>) {\n  if (cached && cached.exp * 1000 > Date.now() + 30_000) return cached.token;\n  const token = await fetchToken();\n  const claims = decodeJwt(token);\n  if (!claims.exp) throw new Error('token without exp');\n  cached = { token, exp: claims.exp };\n  return token;\n}\n",
    },
    {
      name: 'decoded only for a log line',
      code: "import jwt from 'jsonwebtoken';\nexport function logCaller(req: any, logger: { info(o: object, m: string): void }) {\n  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { sub?: string } | null;\n  logger.info({ caller: claims?.sub }, 'incoming request');\n}\n",
    },
    {
      name: 'a handler behind express-jwt reading the raw token again',
      code: "import express from 'express';\nimport { expressjwt } from 'express-jwt';\nimport jwt from 'jsonwebtoken';\nconst app = express();\nconst requireToken = expressjwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['RS256'] });\napp.get('/admin/report', requireToken, (req, res) => {\n  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { role: string };\n  if (claims.role !== 'admin') return res.status(403).end();\n  return res.json({ rows: [] });\n});\napp.listen(3000);\n",
    },
    {
      name: 'a role middleware mounted after the verifying middleware',
      code: "import express from 'express';\nimport jwt from 'jsonwebtoken';\nconst app = express();\nfunction authenticate(req: any, res: any, next: () => void) {\n  try {\n    req.auth = jwt.verify(String(req.headers.authorization).slice(7), process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });\n    next();\n  } catch {\n    res.status(401).end();\n  }\n}\nfunction requireAdmin(req: any, res: any, next: () => void) {\n  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { role?: string };\n  if (claims.role !== 'admin') return res.status(403).end();\n  next();\n}\napp.use('/admin', authenticate, requireAdmin);\napp.get('/admin/stats', (_req, res) => res.json({}));\napp.listen(3000);\n",
    },
    {
      name: 'a refresh token compared with the stored copy',
      code: "import jwt from 'jsonwebtoken';\nexport async function rotate(refreshToken: string, users: { findById(id: string): Promise<{ refreshToken: string } | null> }) {\n  const { sub } = jwt.decode(refreshToken) as { sub: string };\n  const user = await users.findById(sub);\n  if (!user || user.refreshToken !== refreshToken) throw new Error('invalid refresh token');\n  return user;\n}\n",
    },
    {
      name: 'decode methods of unrelated libraries',
      code: "import he from 'he';\nimport querystring from 'node:querystring';\nexport function parse(req: any) {\n  const params = querystring.decode(String(req.url).split('?')[1] ?? '');\n  req.user = he.decode(String(params.name));\n  if (params.role === 'admin') req.admin = true;\n}\n",
    },
    {
      name: 'only a null check of the decoded token',
      code: "import jwt from 'jsonwebtoken';\nexport function looksLikeJwt(value: string): boolean {\n  const decoded = jwt.decode(value);\n  if (!decoded) return false;\n  return true;\n}\n",
    },
    {
      name: "jwt-simple decode with verification on and the algorithm in the fourth argument",
      code: "import jwtSimple from 'jwt-simple';\nexport function account(req: any) {\n  req.user = jwtSimple.decode(req.query.token, process.env.SECRET!, false, 'HS256');\n}\n",
    },
    {
      name: "a failed verification logged with the decoded subject before rejecting",
      code: "import jwt from 'jsonwebtoken';\nexport function authenticate(req: any, res: any, next: () => void) {\n  const token = String(req.headers.authorization).slice(7);\n  try {\n    req.user = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });\n    next();\n  } catch (error) {\n    const claims = jwt.decode(token) as { sub?: string } | null;\n    console.warn('rejected token', claims?.sub, error);\n    res.status(401).end();\n  }\n}\n",
    },
    {
      name: "an unverified subject written into an audit entry",
      code: "import jwt from 'jsonwebtoken';\nexport async function recordAttempt(token: string, audit: { insert(e: object): Promise<void> }) {\n  const claims = jwt.decode(token) as { sub?: string } | null;\n  await audit.insert({ event: 'login-attempt', actor: claims?.sub, at: Date.now() });\n}\n",
    },
    {
      name: "a jku header checked against the trusted issuers before fetching",
      code: "import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';\nconst TRUSTED_JKU = ['https://id.example.com/.well-known/jwks.json'];\nexport async function verifyToken(token: string) {\n  const { jku } = decodeProtectedHeader(token);\n  if (!jku || !TRUSTED_JKU.includes(jku)) throw new Error('untrusted key set');\n  return jwtVerify(token, createRemoteJWKSet(new URL(jku)), { algorithms: ['RS256'] });\n}\n",
    },
    {
      name: "a kid from the header selecting a key of a pinned JWKS",
      code: "import jwt from 'jsonwebtoken';\nimport jwksClient from 'jwks-rsa';\nconst client = jwksClient({ jwksUri: 'https://id.example.com/.well-known/jwks.json' });\nfunction getKey(header: any, callback: (e: Error | null, k?: string) => void) {\n  client.getSigningKey(header.kid, (err, key) => callback(err, key?.getPublicKey()));\n}\nexport const authenticate = (token: string, done: (e: unknown, c?: unknown) => void) => jwt.verify(token, getKey, { algorithms: ['RS256'] }, done);\n",
    },
    {
      name: "a jku read into a variable and compared with the configured URL",
      code: "import * as jose from 'jose';\nexport async function validate(token: string, trustedJku: string, http: { loadJSON(url: string): Promise<jose.JWK> }) {\n  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());\n  const url = header.jku;\n  if (url !== trustedJku) throw new Error('untrusted jku');\n  return jose.jwtVerify(token, await jose.importJWK(await http.loadJSON(url)));\n}\n",
    },
    {
      name: "the ID token of the token endpoint response a passport OAuth 2.0 strategy hands its verify callback (outline's Azure sign-in)",
      code: "import passport from 'passport';\nimport { Strategy } from 'passport-azure-ad-oauth2';\nimport jwt from 'jsonwebtoken';\nimport { findUserByEmail } from './users';\npassport.use(new Strategy({ clientID: 'web', passReqToCallback: true }, async (req, accessToken, refreshToken, params, profile, done) => {\n  const claims = jwt.decode(params.id_token) as { email: string };\n  done(null, await findUserByEmail(claims.email));\n}));\n",
      files: { 'src/users.ts': 'export async function findUserByEmail(email: string) {\n  return { email };\n}\n' },
    },
    {
      name: "a UserInfo response sent as a JWT, read from the fetch response the service received (outline's OIDC client)",
      code: "import jwt from 'jsonwebtoken';\nasync function readUserInfo(response: Response) {\n  const text = await response.text();\n  return jwt.decode(text.trim()) as { sub: string; role: string };\n}\nexport async function userInfo(accessToken: string) {\n  const response = await fetch('https://id.example.com/userinfo', { headers: { Authorization: `Bearer ${accessToken}` } });\n  const claims = await readUserInfo(response);\n  if (claims.role !== 'admin') throw new Error('forbidden');\n  return claims;\n}\n",
    },
  ],
  invalid: [
    {
      name: "an ID token the client posts, decoded without verification (a sign-in button's credential)",
      code: "import express from 'express';\nimport jwt from 'jsonwebtoken';\nimport { findUserByEmail } from './users';\nconst app = express();\napp.post('/auth/google', async (req, res) => {\n  const claims = jwt.decode(req.body.id_token) as { email: string };\n  res.json(await findUserByEmail(claims.email));\n});\n",
      files: { 'src/users.ts': 'export async function findUserByEmail(email: string) {\n  return { email };\n}\n' },
      errors: [{ messageId: 'unverifiedClaims', line: 6, column: 18 }],
    },
    {
      name: 'the ID token of the request a passport-custom strategy authenticates, not of a token endpoint response',
      code: "import passport from 'passport';\nimport { Strategy as CustomStrategy } from 'passport-custom';\nimport jwt from 'jsonwebtoken';\npassport.use('id-token', new CustomStrategy((req, done) => {\n  done(null, jwt.decode(req.body.id_token));\n}));\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 14 }],
    },
    {
      name: 'claims wrapped in an object (new SessionClaims(payload)) choose the record a service method updates',
      filename: 'src/auth.controller.ts',
      code: "import { decode } from 'hono/jwt';\nimport { AuthService, SessionClaims } from './auth.service';\nexport async function logout(refreshToken: string) {\n  const { payload } = decode(refreshToken);\n  await AuthService.logout(new SessionClaims(payload));\n}\n",
      files: { 'src/auth.service.ts': "import { db, eq, users } from './db';\nexport class SessionClaims {\n  user: { id: number };\n  constructor(payload: any) {\n    this.user = payload.user;\n  }\n}\nexport class AuthService {\n  static async logout(session: SessionClaims) {\n    await db.update(users).set({ refreshToken: null }).where(eq(users.id, session.user.id));\n  }\n}\n" },
      errors: [{ messageId: 'unverifiedClaims', line: 4, column: 23, data: { decision: "the data 'where' writes or requests for 'user.id'" } }],
    },
    {
      name: 'Express middleware sets req.user from jsonwebtoken decode',
      code: "import jwt from 'jsonwebtoken';\nexport function authenticate(req: any, res: any, next: () => void) {\n  const token = req.headers.authorization?.split(' ')[1];\n  if (!token) return res.status(401).end();\n  req.user = jwt.decode(token);\n  next();\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 14, data: { api: "jsonwebtoken 'decode'", decision: "the identity in 'req.user'" } }],
    },
    {
      name: 'jose decodeJwt role check in a Next.js middleware',
      filename: 'middleware.ts',
      code: "import { NextResponse, type NextRequest } from 'next/server';\nimport { decodeJwt } from 'jose';\nexport function middleware(request: NextRequest) {\n  const claims = decodeJwt(request.cookies.get('session')?.value ?? '');\n  if (request.nextUrl.pathname.startsWith('/admin') && claims.role !== 'admin') return NextResponse.redirect(new URL('/login', request.url));\n  return NextResponse.next();\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 4, column: 18, data: { decision: "a comparison of 'role'" } }],
    },
    {
      name: 'Nest guard deciding on JwtService.decode',
      code: "import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\n@Injectable()\nexport class AdminGuard implements CanActivate {\n  constructor(private readonly jwt: JwtService) {}\n  canActivate(context: ExecutionContext): boolean {\n    const request = context.switchToHttp().getRequest();\n    const payload = this.jwt.decode(String(request.headers.authorization).replace('Bearer ', ''));\n    return Array.isArray(payload?.roles) && payload.roles.includes('admin');\n  }\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 8, column: 21 }],
    },
    {
      name: 'a decode wrapper imported from another file',
      code: "import { decodeToken } from './auth/tokens';\nexport function deleteOrder(req: any, res: any) {\n  const claims = decodeToken(req.headers.authorization.slice(7));\n  if (!claims.scopes.includes('orders:delete')) return res.status(403).end();\n  return res.status(204).end();\n}\n",
      files: { 'src/auth/tokens.ts': "import jwt from 'jsonwebtoken';\nexport function decodeToken(token: string) {\n  return jwt.decode(token) as { sub: string; scopes: string[] };\n}\n" },
      errors: [{ messageId: 'unverifiedClaims', line: 3, column: 18, data: { api: "decodeToken (jsonwebtoken 'decode')" } }],
    },
    {
      name: 'a verifyToken that only decodes',
      code: "const jwt = require('jsonwebtoken');\nfunction verifyToken(token) {\n  const payload = jwt.decode(token);\n  if (!payload) throw new Error('invalid token');\n  return payload;\n}\nmodule.exports = { verifyToken };\n",
      filename: 'src/auth.js',
      errors: [{ messageId: 'unverifiedClaims', line: 3, column: 19, data: { decision: "the result of 'verifyToken'" } }],
    },
    {
      name: 'Koa middleware fills ctx.state.user from jwt-decode v3',
      code: "import jwt_decode from 'jwt-decode';\nexport async function currentUser(ctx: any, next: () => Promise<void>) {\n  const auth = ctx.get('Authorization');\n  ctx.state.user = jwt_decode(auth.replace(/^Bearer /, ''));\n  await next();\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 4, column: 20 }],
    },
    {
      name: 'jwt-simple decode with noVerify',
      code: "import jwtSimple from 'jwt-simple';\nexport function account(req: any) {\n  const claims = jwtSimple.decode(req.query.token, process.env.SECRET!, true);\n  req.accountId = claims.accountId;\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 3, column: 18 }],
    },
    {
      name: 'a custom passport strategy passing decoded claims to done',
      code: "import passport from 'passport';\nimport { Strategy as CustomStrategy } from 'passport-custom';\nimport jwt from 'jsonwebtoken';\npassport.use('bearer-lite', new CustomStrategy((req, done) => {\n  const user = jwt.decode(String(req.headers.authorization).slice(7));\n  done(null, user);\n}));\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 16, data: { decision: "the identity passed to 'done'" } }],
    },
    {
      name: 'the ID token is verified but the access token is only decoded',
      code: "import { jwtVerify, decodeJwt, createRemoteJWKSet } from 'jose';\nconst jwks = createRemoteJWKSet(new URL('https://id.example.com/jwks'));\nexport async function session(req: any) {\n  await jwtVerify(req.body.idToken, jwks, { audience: 'web' });\n  const access = decodeJwt(req.headers.authorization.slice(7));\n  if (access.scope !== 'admin') throw new Error('forbidden');\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 18 }],
    },
    {
      name: 'hono decode stored in the context',
      code: "import { Hono } from 'hono';\nimport { decode } from 'hono/jwt';\nconst app = new Hono();\napp.use('/api/*', async (c, next) => {\n  const { payload } = decode(c.req.header('Authorization')?.slice(7) ?? '');\n  c.set('user', payload);\n  await next();\n});\nexport default app;\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 23 }],
    },
    {
      name: 'a role middleware with no verifying middleware before it',
      code: "import express from 'express';\nimport jwt from 'jsonwebtoken';\nconst app = express();\nfunction requireEditor(req: any, res: any, next: () => void) {\n  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { role?: string };\n  if (claims.role !== 'editor') return res.status(403).end();\n  next();\n}\napp.get('/drafts', requireEditor, (_req, res) => res.json([]));\napp.listen(3000);\n",
      errors: [{ messageId: 'unverifiedClaims', line: 5, column: 18 }],
    },
    {
      name: '@hapi/jwt strategy with verify: false',
      code: "import Hapi from '@hapi/hapi';\nimport Jwt from '@hapi/jwt';\nexport async function start() {\n  const server = Hapi.server({ port: 3000 });\n  await server.register(Jwt);\n  server.auth.strategy('legacy', 'jwt', {\n    keys: 'unused',\n    verify: false,\n    validate: (artifacts: { decoded: { payload: { user: string } } }) => ({ isValid: true, credentials: { user: artifacts.decoded.payload.user } }),\n  });\n  server.auth.default('legacy');\n  await server.start();\n}\n",
      errors: [{ messageId: 'unverifiedStrategy', line: 6, column: 3, data: { api: "@hapi/jwt 'auth.strategy'" } }],
    },
    {
      name: 'jose UnsecuredJWT.decode claims checked in a handler set up next to a verifying strategy',
      code: "import Hapi from '@hapi/hapi';\nimport Jwt from '@hapi/jwt';\nimport { UnsecuredJWT } from 'jose';\nexport async function start() {\n  const server = Hapi.server({ port: 3000 });\n  await server.register(Jwt);\n  server.auth.strategy('main', 'jwt', { keys: { uri: 'https://id.example.com/jwks', algorithms: ['RS256'] }, verify: { aud: 'api', iss: 'https://id.example.com/', sub: false }, validate: () => ({ isValid: true }) });\n  server.route({ method: 'GET', path: '/debug', options: { auth: false }, handler: (request: { headers: Record<string, string> }) => {\n    const { payload } = UnsecuredJWT.decode(String(request.headers['x-debug-token']));\n    return payload.role === 'admin' ? 'debug on' : 'debug off';\n  } });\n  await server.start();\n}\n",
      errors: [{ messageId: 'unverifiedClaims', line: 9, column: 25 }],
    },
    {
      name: 'unverified sub used to load the profile',
      code: "import { Controller, Get, Headers } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\nimport { UsersService } from './users.service';\n@Controller('profile')\nexport class ProfileController {\n  constructor(private readonly jwt: JwtService, private readonly users: UsersService) {}\n  @Get()\n  get(@Headers('authorization') authorization: string) {\n    const payload = this.jwt.decode(authorization.split(' ')[1] ?? '');\n    return this.users.findById(payload.sub);\n  }\n}\n",
      files: { 'src/users.service.ts': "export class UsersService {\n  findById(id: string) {\n    return { id };\n  }\n}\n" },
      errors: [{ messageId: 'unverifiedClaims', line: 9, column: 21, data: { decision: "the lookup of 'sub'" } }],
    },
    {
      name: "jwt-simple decode with an algorithm name where noVerify goes",
      code: "import jwtSimple from 'jwt-simple';\nexport function account(req: any) {\n  req.user = jwtSimple.decode(req.query.token, process.env.SECRET!, 'HS256');\n}\n",
      errors: [{ messageId: "unverifiedClaims", line: 3, column: 14, data: { decision: "the identity in 'req.user'" } }],
    },
    {
      name: "an unverified subject selects the record an update changes",
      code: "import jwt from 'jsonwebtoken';\nexport async function updateProfile(req: any, prisma: any) {\n  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { sub: string };\n  return prisma.user.update({ where: { id: claims.sub }, data: req.body });\n}\n",
      errors: [{ messageId: "unverifiedClaims", line: 3, column: 18, data: { decision: "the data 'update' writes or requests for 'sub'" } }],
    },
    {
      name: "an unverified tenant id sent on to another service",
      code: "import axios from 'axios';\nimport { decodeJwt } from 'jose';\nexport async function exportInvoices(req: any) {\n  const { tenantId } = decodeJwt(String(req.headers.authorization).slice(7));\n  return axios.post(`http://billing.internal/tenants/${tenantId}/export`);\n}\n",
      errors: [{ messageId: "unverifiedClaims", line: 4, column: 24, data: { decision: "the data 'post' writes or requests for 'tenantId'" } }],
    },
    {
      name: "decoded claims returned when verification throws",
      code: "import jwt from 'jsonwebtoken';\nexport function readToken(token: string) {\n  try {\n    return jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });\n  } catch {\n    return jwt.decode(token);\n  }\n}\n",
      errors: [{ messageId: "fallbackClaims", line: 6, column: 12, data: { api: "jsonwebtoken 'decode'", decision: "the value returned instead" } }],
    },
    {
      name: "a jose verification failure handled by decoding instead",
      code: "import { jwtVerify, decodeJwt, createRemoteJWKSet } from 'jose';\nconst jwks = createRemoteJWKSet(new URL('https://id.example.com/jwks'));\nexport async function claimsOf(token: string) {\n  let claims;\n  try {\n    ({ payload: claims } = await jwtVerify(token, jwks));\n  } catch {\n    const unverified = decodeJwt(token);\n    claims = unverified;\n  }\n  return claims;\n}\n",
      errors: [{ messageId: "fallbackClaims", line: 8, column: 24, data: { decision: "'claims'" } }],
    },
    {
      name: "the error branch of a verify callback decodes the token",
      code: "import jwt from 'jsonwebtoken';\nexport function authenticate(req: any, _res: any, next: () => void) {\n  const token = String(req.headers.authorization).slice(7);\n  jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] }, (err, decoded) => {\n    if (err) {\n      req.user = jwt.decode(token);\n      return next();\n    }\n    req.user = decoded;\n    next();\n  });\n}\n",
      errors: [{ messageId: "fallbackClaims", line: 6, column: 18, data: { decision: "the identity in 'req.user'" } }],
    },
    {
      name: "legacy jose JWT.decode claims become req.user",
      filename: "src/auth.js",
      code: "const { JWT } = require('jose');\nexports.authenticate = (req, res, next) => {\n  req.user = JWT.decode(String(req.headers.authorization).slice(7));\n  next();\n};\n",
      errors: [{ messageId: "unverifiedClaims", line: 3, column: 14, data: { api: "jose 'JWT.decode'" } }],
    },
    {
      name: "jose importJWK of the token's embedded jwk header",
      code: "import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';\nexport async function verifyToken(token: string) {\n  const header = decodeProtectedHeader(token);\n  const key = await importJWK(header.jwk!, header.alg);\n  const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'] });\n  return payload;\n}\n",
      errors: [{ messageId: "tokenSuppliedKey", line: 5, column: 46, data: { call: "jose 'jwtVerify'", parameter: "jwk" } }],
    },
    {
      name: "a jsonwebtoken key callback fetching the key from the header's jku",
      code: "import jwt from 'jsonwebtoken';\nimport jwksClient from 'jwks-rsa';\nfunction getKey(header: any, callback: (e: Error | null, k?: string) => void) {\n  jwksClient({ jwksUri: header.jku }).getSigningKey(header.kid, (err, key) => callback(err, key?.getPublicKey()));\n}\nexport const authenticate = (token: string, done: (e: unknown, c?: unknown) => void) => jwt.verify(token, getKey, { algorithms: ['RS256'] }, done);\n",
      errors: [{ messageId: "tokenSuppliedKey", line: 6, column: 107, data: { parameter: "jku" } }],
    },
    {
      name: "a certificate fetched from x5u in a jose key function",
      code: "import { importX509, jwtVerify } from 'jose';\nexport const verify = (token: string) => jwtVerify(token, async (protectedHeader) => importX509(await (await fetch(String(protectedHeader.x5u))).text(), 'RS256'), { algorithms: ['RS256'] });\n",
      errors: [{ messageId: "tokenSuppliedKey", line: 2, column: 59, data: { parameter: "x5u" } }],
    },
    {
      name: "a hand-parsed header's jwk, checked only for presence, imported as the verification key",
      filename: "src/auth/jwk.processor.ts",
      code: "import * as jose from 'jose';\nimport { TokenProcessor } from './token.processor';\nexport class JwkProcessor extends TokenProcessor {\n  async validateToken(token: string) {\n    const [header, payload] = this.parse(token);\n    if (!header.jwk) throw new Error('no jwk');\n    const key = await jose.importJWK(header.jwk);\n    await jose.jwtVerify(token, key);\n    return payload;\n  }\n}\n",
      files: { "src/auth/token.processor.ts": "export abstract class TokenProcessor {\n  protected parse(token: string): [any, any] {\n    const [h, p] = token.split('.');\n    return [JSON.parse(Buffer.from(h!, 'base64').toString()), JSON.parse(Buffer.from(p!, 'base64').toString())];\n  }\n}\n" },
      errors: [{ messageId: "tokenSuppliedKey", line: 8, column: 33, data: { parameter: "jwk" } }],
    },
    {
      name: "a key set loaded from the URL in a hand-parsed jku header",
      code: "import * as jose from 'jose';\nexport async function validate(token: string, http: { loadJSON(url: string): Promise<jose.JWK> }) {\n  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());\n  const url = header.jku;\n  const jwk = await http.loadJSON(url);\n  return jose.jwtVerify(token, await jose.importJWK(jwk));\n}\n",
      errors: [{ messageId: "tokenSuppliedKey", line: 6, column: 32, data: { parameter: "jku" } }],
    },
  ],
};
