import type { RuleCases } from '../support/rule-cases.js';

const TOKENS = `import { subMinutes } from 'date-fns';
import jwt from 'jsonwebtoken';
export function getPayload(token: string) {
  const payload = jwt.decode(token);
  if (!payload || typeof payload === 'string') throw new Error('invalid');
  return payload;
}
export function userForToken(token: string, secret: string) {
  const payload = getPayload(token);
  if (payload.expiresAt && new Date(payload.expiresAt) < new Date()) throw new Error('expired');
  jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'wiki', audience: 'wiki' });
  return payload.id;
}
export function userForSigninToken(token: string, secret: string) {
  const payload = getPayload(token);
  if (new Date(payload.createdAt) < subMinutes(new Date(), 10)) throw new Error('expired');
  jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'wiki', audience: 'wiki' });
  return payload.id;
}
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'jsonwebtoken verify with issuer and audience from a config module',
      files: { 'src/config.ts': "export const tokenOptions = { algorithms: ['RS256'], issuer: process.env.ISSUER, audience: 'orders' };\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { tokenOptions } from './config';\nexport const check = (t: string, k: string) => jwt.verify(t, k, { ...tokenOptions, clockTolerance: 30 });\n",
    },
    {
      name: 'express-oauth2-jwt-bearer reads issuer and audience from the environment',
      code: "import express from 'express';\nimport { auth } from 'express-oauth2-jwt-bearer';\nconst app = express();\napp.use(auth());\n",
    },
    {
      name: 'fast-jwt allowedIss and allowedAud with requiredClaims',
      code: "import { createVerifier } from 'fast-jwt';\nexport const verifyToken = createVerifier({ key: process.env.PUBLIC_KEY, algorithms: ['RS256'], allowedIss: 'https://id', allowedAud: 'api', requiredClaims: ['iss', 'aud', 'exp'] });\n",
    },
    {
      name: 'NestJS JwtService verify inheriting issuer and audience from JwtModule',
      files: {
        'src/auth/auth.module.ts': "import { JwtModule } from '@nestjs/jwt';\nexport const jwtModule = JwtModule.register({ publicKey: process.env.JWT_PUBLIC_KEY, verifyOptions: { algorithms: ['RS256'], issuer: 'https://id', audience: 'catalog' } });\n",
      },
      code: "import { JwtService } from '@nestjs/jwt';\nexport class Guard {\n  constructor(private readonly jwt: JwtService) {}\n  check(token: string) { return this.jwt.verifyAsync(token); }\n}\n",
    },
    {
      name: 'NestJS JwtModule.register that only signs is judged at the calls that verify, not at the module',
      code: "import { JwtModule } from '@nestjs/jwt';\nexport const jwtModule = JwtModule.register({ privateKey: process.env.JWT_PRIVATE_KEY, signOptions: { algorithm: 'RS256', expiresIn: '15m' } });\n",
    },
    {
      name: 'jws verifies a signature over any payload; claims are not its concern',
      code: "import jws from 'jws';\nexport const isSigned = (signature: string, key: string) => jws.verify(signature, 'RS256', key);\n",
    },
    {
      name: 'issuer and audience checked by hand after verification',
      code: "import jwt from 'jsonwebtoken';\nexport function check(t: string, k: string) {\n  const payload = jwt.verify(t, k, { algorithms: ['RS256'] }) as jwt.JwtPayload;\n  if (payload.iss !== 'https://id' || payload.aud !== 'orders') throw new Error('wrong token');\n  return payload;\n}\n",
    },
    {
      name: 'decode-only call is not a verification',
      code: "import { decodeJwt } from 'jose';\nexport const expiresAt = (t: string) => decodeJwt(t).exp;\n",
    },
    {
      name: 'verify options passed in by the caller',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, k: string, opts: jwt.VerifyOptions) => jwt.verify(t, k, opts);\n",
    },
    {
      name: 'jsonwebtoken sign of a spread payload whose content is unknown',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (claims: Record<string, unknown>) => jwt.sign({ ...claims, scope: 'api' }, process.env.JWT_PRIVATE_KEY!, { algorithm: 'RS256' });\n",
    },
    {
      name: 'jsonwebtoken sign of a payload parameter',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (payload: object) => jwt.sign(payload, process.env.JWT_PRIVATE_KEY!, { algorithm: 'RS256' });\n",
    },
    {
      name: 'jsonwebtoken sign with exp written in the payload',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ sub: id, exp: Math.floor(Date.now() / 1000) + 900 }, process.env.JWT_PRIVATE_KEY!, { algorithm: 'RS256' });\n",
    },
    {
      name: 'jose SignJWT with setExpirationTime on the builder variable',
      code: "import { SignJWT } from 'jose';\nexport async function issue(id: string, key: CryptoKey) {\n  const builder = new SignJWT({ sub: id }).setProtectedHeader({ alg: 'ES256' });\n  builder.setExpirationTime('15m');\n  return builder.sign(key);\n}\n",
    },
    {
      name: 'NestJS JwtService sign inheriting expiresIn from JwtModule signOptions',
      files: {
        'src/auth/auth.module.ts': "import { JwtModule } from '@nestjs/jwt';\nexport const jwtModule = JwtModule.register({ privateKey: process.env.JWT_PRIVATE_KEY, signOptions: { algorithm: 'RS256', expiresIn: '15m' } });\n",
      },
      code: "import { JwtService } from '@nestjs/jwt';\nexport class Tokens {\n  constructor(private readonly jwt: JwtService) {}\n  issue(id: string) { return this.jwt.sign({ sub: id }); }\n}\n",
    },
    {
      name: 'fast-jwt createSigner with expiresIn',
      code: "import { createSigner } from 'fast-jwt';\nexport const signToken = createSigner({ key: process.env.JWT_PRIVATE_KEY, algorithm: 'RS256', expiresIn: '10m' });\n",
    },
    {
      name: '@fastify/jwt with expiresIn under sign and issuer checks under verify',
      code: "import fastify from 'fastify';\nimport fastifyJwt from '@fastify/jwt';\nconst app = fastify();\napp.register(fastifyJwt, {\n  secret: { public: process.env.PUBLIC_KEY!, private: process.env.PRIVATE_KEY! },\n  sign: { expiresIn: '1h', iss: 'https://id' },\n  verify: { allowedIss: 'https://id', allowedAud: 'api', requiredClaims: ['iss', 'aud'] },\n});\n",
    },
    {
      name: 'an email confirmation token this service signs and verifies with a secret of its own needs no issuer or audience',
      filename: 'src/auth/auth.service.ts',
      files: {
        'src/auth/auth.module.ts':
          "import { Module } from '@nestjs/common';\nimport { JwtModule } from '@nestjs/jwt';\nimport { AuthService } from './auth.service';\n@Module({ imports: [JwtModule.register({})], providers: [AuthService] })\nexport class AuthModule {}\n",
      },
      code: "import { JwtService } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport class AuthService {\n  constructor(private readonly jwt: JwtService, private readonly config: ConfigService) {}\n  confirmationHash(userId: string) {\n    return this.jwt.signAsync({ confirmEmailUserId: userId }, { secret: this.config.getOrThrow('auth.confirmEmailSecret'), expiresIn: '1d' });\n  }\n  async confirm(hash: string) {\n    return this.jwt.verifyAsync(hash, { secret: this.config.getOrThrow('auth.confirmEmailSecret') });\n  }\n}\n",
    },
    {
      name: "tokens whose custom 'expiresAt' or 'createdAt' claim the service compares with the clock where it reads them (outline's session and sign-in tokens)",
      files: { 'src/utils/jwt.ts': TOKENS },
      filename: 'src/models/user.ts',
      code: "import { addHours } from 'date-fns';\nimport jwt from 'jsonwebtoken';\nexport class User {\n  id = '';\n  jwtSecret = '';\n  sessionToken = (expiresAt: Date) => jwt.sign({ id: this.id, expiresAt: expiresAt.toISOString(), type: 'session' }, this.jwtSecret, { algorithm: 'HS256' });\n  collaborationToken = () => jwt.sign({ id: this.id, expiresAt: addHours(new Date(), 24).toISOString() }, this.jwtSecret, { algorithm: 'HS256' });\n  signinToken = () => jwt.sign({ id: this.id, createdAt: new Date().toISOString(), type: 'email-signin' }, this.jwtSecret, { algorithm: 'HS256' });\n}\n",
    },
  ],
  invalid: [
    {
      name: "a custom 'expiresAt' claim that nothing compares with the clock, and a claim compared with the clock outside a token payload",
      files: { 'src/utils/session.ts': "export function isStale(user: { createdAt: string }) {\n  return new Date(user.createdAt) < new Date();\n}\n" },
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ id, expiresAt: new Date(Date.now() + 3600_000).toISOString(), createdAt: new Date().toISOString() }, process.env.JWT_PRIVATE_KEY!, { algorithm: 'RS256' });\n",
      errors: [{ messageId: 'noExpiry', line: 2, column: 38 }],
    },
    {
      name: 'jsonwebtoken verify with no issuer or audience',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, k: string) => jwt.verify(t, k, { algorithms: ['RS256'] });\n",
      errors: [{ messageId: 'missingClaims', line: 2, column: 48, data: { claims: 'issuer or audience' } }],
    },
    {
      name: 'a password reset secret only verified here (another service signs with it) still needs issuer and audience',
      code: "import jwt from 'jsonwebtoken';\nexport const readReset = (token: string) => jwt.verify(token, process.env.PASSWORD_RESET_SECRET!, { algorithms: ['HS256'] });\n",
      errors: [{ messageId: 'missingClaims', line: 2, column: 45, data: { claims: 'issuer or audience' } }],
    },
    {
      name: 'jose jwtVerify without audience',
      code: "import { jwtVerify, createRemoteJWKSet } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL('https://id/.well-known/jwks.json'));\nexport const check = (t: string) => jwtVerify(t, JWKS, { issuer: 'https://id' });\n",
      errors: [{ messageId: 'missingClaims', line: 3, column: 37, data: { claims: 'audience' } }],
    },
    {
      name: 'passport-jwt strategy ignoring expiration',
      code: "import { Strategy, ExtractJwt } from 'passport-jwt';\nexport const strategy = new Strategy({\n  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n  secretOrKey: process.env.JWT_PUBLIC_KEY,\n  algorithms: ['RS256'],\n  issuer: 'https://id',\n  audience: 'api',\n  ignoreExpiration: true,\n}, (p, done) => done(null, p));\n",
      errors: [{ messageId: 'ignoreExpiration', line: 8, column: 21 }],
    },
    {
      name: 'jsonwebtoken verify with a one-day clock tolerance from a constant',
      files: { 'src/limits.ts': 'export const SKEW = 24 * 60 * 60;\nexport const ONE_DAY = 86400;\n' },
      code: "import jwt from 'jsonwebtoken';\nimport { ONE_DAY } from './limits';\nexport const check = (t: string, k: string) => jwt.verify(t, k, { algorithms: ['RS256'], issuer: 'i', audience: 'a', clockTolerance: ONE_DAY });\n",
      errors: [{ messageId: 'clockTolerance', line: 3, column: 134 }],
    },
    {
      name: 'jose compactVerify used on a bearer token',
      code: "import { compactVerify, importSPKI } from 'jose';\nexport async function authenticate(bearerToken: string, pem: string) {\n  const { payload } = await compactVerify(bearerToken, await importSPKI(pem, 'RS256'));\n  return JSON.parse(new TextDecoder().decode(payload));\n}\n",
      errors: [{ messageId: 'signatureOnly', line: 3, column: 29 }],
    },
    {
      name: '@fastify/jwt allowedIss without requiredClaims',
      code: "import fastify from 'fastify';\nimport fastifyJwt from '@fastify/jwt';\nconst app = fastify();\napp.register(fastifyJwt, { secret: { public: process.env.PUBLIC_KEY!, private: process.env.PRIVATE_KEY! }, verify: { allowedIss: 'https://id', allowedAud: 'api' } });\n",
      errors: [
        { messageId: 'claimNotRequired', line: 4, column: 130 },
        { messageId: 'claimNotRequired', line: 4, column: 156 },
      ],
    },
    {
      name: 'issuer contradicting the token contract',
      settings: { tokenContract: { issuer: 'https://id.acme.example', audiences: ['orders'] } },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, k: string) => jwt.verify(t, k, { algorithms: ['RS256'], issuer: 'https://staging-id.acme.example', audience: 'orders' });\n",
      errors: [{ messageId: 'issuerMismatch', line: 2, column: 98 }],
    },
    {
      name: 'NestJS JwtService verify with no claim checks anywhere',
      files: { 'src/auth/auth.module.ts': "import { JwtModule } from '@nestjs/jwt';\nexport const jwtModule = JwtModule.register({ publicKey: process.env.JWT_PUBLIC_KEY, verifyOptions: { algorithms: ['RS256'] } });\n" },
      code: "import { JwtService } from '@nestjs/jwt';\nexport class Guard {\n  constructor(private readonly jwt: JwtService) {}\n  check(token: string) { return this.jwt.verifyAsync(token); }\n}\n",
      errors: [{ messageId: 'missingClaims', line: 4, column: 33 }],
    },
    {
      name: 'hono jwt middleware with expiry disabled',
      code: "import { Hono } from 'hono';\nimport { jwt } from 'hono/jwt';\nconst app = new Hono();\napp.use('/api/*', jwt({ secret: process.env.JWT_PUBLIC_KEY!, alg: 'RS256', verification: { iss: 'https://id', aud: 'api', exp: false } }));\n",
      errors: [{ messageId: 'ignoreExpiration', line: 4, column: 128 }],
    },
    {
      name: 'jsonwebtoken sign of a literal payload without expiresIn',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ sub: id, role: 'member' }, process.env.JWT_PRIVATE_KEY!, { algorithm: 'RS256' });\n",
      errors: [{ messageId: 'noExpiry', line: 2, column: 38 }],
    },
    {
      name: 'jose SignJWT chain without setExpirationTime',
      code: "import { SignJWT } from 'jose';\nexport const issue = (id: string, key: CryptoKey) =>\n  new SignJWT({ sub: id }).setProtectedHeader({ alg: 'ES256' }).setIssuedAt().sign(key);\n",
      errors: [{ messageId: 'noExpiry', line: 3, column: 3 }],
    },
    {
      name: 'NestJS JwtService sign when neither the module nor the call sets expiresIn',
      files: {
        'src/auth/auth.module.ts': "import { JwtModule } from '@nestjs/jwt';\nexport const jwtModule = JwtModule.register({ privateKey: process.env.JWT_PRIVATE_KEY, signOptions: { algorithm: 'RS256' } });\n",
      },
      code: "import { JwtService } from '@nestjs/jwt';\nexport class Tokens {\n  constructor(private readonly jwt: JwtService) {}\n  issue(id: string) { return this.jwt.signAsync({ sub: id }, { audience: 'web' }); }\n}\n",
      errors: [{ messageId: 'noExpiry', line: 4, column: 30 }],
    },
    {
      name: 'fast-jwt createSigner without expiresIn',
      code: "import { createSigner } from 'fast-jwt';\nexport const signToken = createSigner({ key: process.env.JWT_PRIVATE_KEY, algorithm: 'RS256' });\n",
      errors: [{ messageId: 'noExpiry', line: 2, column: 26 }],
    },
    {
      name: '@fastify/jwt with expiresIn and issuer at the top level, where the plugin ignores them',
      code: "import fastify from 'fastify';\nimport fastifyJwt from '@fastify/jwt';\nconst app = fastify();\napp.register(fastifyJwt, {\n  secret: { public: process.env.PUBLIC_KEY!, private: process.env.PRIVATE_KEY! },\n  expiresIn: '1d',\n  issuer: 'https://id',\n  verify: { allowedAud: 'api', requiredClaims: ['aud'] },\n});\n",
      errors: [
        { messageId: 'missingClaims', line: 4, column: 1 },
        { messageId: 'ignoredOption', line: 6, column: 3 },
        { messageId: 'ignoredOption', line: 7, column: 3 },
      ],
    },
  ],
};
