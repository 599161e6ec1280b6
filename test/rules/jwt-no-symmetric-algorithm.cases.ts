import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'jsonwebtoken RS256 sign with a private key read from disk',
      code: "import fs from 'node:fs';\nimport jwt from 'jsonwebtoken';\nconst privateKey = fs.readFileSync('keys/private.pem');\nexport const issue = (sub: string) => jwt.sign({ sub }, privateKey, { algorithm: 'RS256', expiresIn: '15m' });\n",
    },
    {
      name: 'jsonwebtoken verify with a jwks-rsa key provider',
      code: "import jwt from 'jsonwebtoken';\nimport jwksClient from 'jwks-rsa';\nconst client = jwksClient({ jwksUri: 'https://id.example.com/.well-known/jwks.json' });\nfunction getKey(header, cb) { client.getSigningKey(header.kid, (err, key) => cb(err, key?.getPublicKey())); }\nexport const check = (t: string) => jwt.verify(t, getKey, { algorithms: ['RS256'] }, () => {});\n",
    },
    {
      name: 'jose jwtVerify against a remote JWKS',
      code: "import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL(process.env.JWKS_URI!));\nexport const check = (t: string) => jwtVerify(t, JWKS, { issuer: 'https://id', audience: 'orders' });\n",
    },
    {
      name: 'HS256 allowed by the configured token contract',
      settings: { tokenContract: { algorithms: ['HS256'] } },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: ['HS256'] });\n",
    },
    {
      name: 'passport-jwt with a public key from the environment',
      code: "import { Strategy, ExtractJwt } from 'passport-jwt';\nexport const strategy = new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] }, (p, done) => done(null, p));\n",
    },
    {
      name: "a 'sign' method of an unrelated signer module",
      files: { 'src/signer.ts': "export function sign(data: string, secret: string) { return data + secret; }\n" },
      code: "import { sign } from './signer';\nexport const s = sign('payload', 'secret');\n",
    },
    {
      name: 'jsonwebtoken sign with options passed in by the caller',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (p: object, key: string, options: jwt.SignOptions) => jwt.sign(p, key, options);\n",
    },
    {
      name: 'HMAC over a webhook body',
      code: "import crypto from 'node:crypto';\nexport const sign = (body: string, secret: string) => crypto.createHmac('sha256', secret).update(body).digest('hex');\n",
    },
    {
      name: 'jsonwebtoken verify with a PEM public key from the environment',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_PUBLIC_KEY!.replace(/\\\\n/g, '\\n'));\n",
    },
    {
      name: 'test helper minting an HS256 token',
      filename: 'test/helpers/tokens.ts',
      code: "import jwt from 'jsonwebtoken';\nexport const tokenFor = (sub: string) => jwt.sign({ sub }, 'test-secret');\n",
    },
    {
      name: 'jsonwebtoken verify with an environment public key',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.AUTH_PUBLIC_KEY as string);\n",
    },
    {
      name: "legacy jose JWT.sign with a private key read from a file",
      filename: "src/tokens.js",
      code: "const fs = require('fs');\nconst { JWT, JWK } = require('jose');\nconst key = JWK.asKey(fs.readFileSync(process.env.JWT_PRIVATE_KEY_FILE));\nexports.issue = (user) => JWT.sign({ sub: user.id }, key, { algorithm: 'ES256', expiresIn: '15m' });\n",
    },
  ],
  invalid: [
    {
      name: 'jsonwebtoken sign without algorithm defaults to HS256',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ id }, process.env.JWT_SECRET!, { expiresIn: '1h' });\n",
      errors: [{ messageId: 'defaultAlgorithm', line: 2, column: 38, data: { call: "jsonwebtoken 'sign'", algorithm: 'HS256' } }],
    },
    {
      name: 'jsonwebtoken verify accepting HS256 from an imported constant',
      files: { 'src/config/auth.ts': "export const JWT_ALGORITHM = 'HS256';\n" },
      code: "import { verify } from 'jsonwebtoken';\nimport { JWT_ALGORITHM } from './config/auth';\nexport const check = (t: string, k: string) => verify(t, k, { algorithms: [JWT_ALGORITHM] });\n",
      errors: [{ messageId: 'symmetricAlgorithm', line: 3, column: 75 }],
    },
    {
      name: 'jsonwebtoken verify with an environment secret',
      code: "const jwt = require('jsonwebtoken');\nmodule.exports = (req) => jwt.verify(req.headers.authorization, process.env.JWT_SECRET);\n",
      errors: [{ messageId: 'sharedSecret', line: 2, column: 27 }],
    },
    {
      name: 'NestJS JwtModule registered with a secret',
      files: { 'src/auth/constants.ts': "export const jwtConstants = { secret: process.env.JWT_SECRET };\n" },
      code: "import { Module } from '@nestjs/common';\nimport { JwtModule } from '@nestjs/jwt';\nimport { jwtConstants } from './auth/constants';\n@Module({\n  imports: [JwtModule.register({\n    secret: jwtConstants.secret,\n    signOptions: { expiresIn: '60s' },\n  })],\n})\nexport class AuthModule {}\n",
      errors: [{ messageId: 'sharedSecret', line: 6, column: 13 }],
    },
    {
      name: 'jose SignJWT with an HS256 protected header',
      code: "import { SignJWT } from 'jose';\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\nexport const issue = (sub: string) =>\n  new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);\n",
      errors: [{ messageId: 'symmetricAlgorithm', line: 4, column: 50 }],
    },
    {
      name: 'jose jwtVerify with a TextEncoder secret',
      code: "import * as jose from 'jose';\nconst key = new TextEncoder().encode(process.env.SESSION_KEY);\nexport const check = (t: string) => jose.jwtVerify(t, key, { issuer: 'api' });\n",
      errors: [{ messageId: 'sharedSecret', line: 3, column: 37 }],
    },
    {
      name: '@fastify/jwt registered with a string secret',
      code: "import Fastify from 'fastify';\nimport fastifyJwt from '@fastify/jwt';\nconst app = Fastify();\napp.register(fastifyJwt, { secret: process.env.JWT_SECRET! });\n",
      errors: [{ messageId: 'sharedSecret', line: 4, column: 36 }],
    },
    {
      name: 'hono jwt middleware with HS256',
      code: "import { Hono } from 'hono';\nimport { jwt } from 'hono/jwt';\nconst app = new Hono();\napp.use('/api/*', jwt({ secret: 'it-is-very-secret', alg: 'HS256' }));\n",
      errors: [{ messageId: 'symmetricAlgorithm', line: 4, column: 59 }],
    },
    {
      name: 'hand-rolled HMAC-SHA256 over header.payload',
      code: "import crypto from 'node:crypto';\nconst b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');\nexport function issue(sub: string, secret: string) {\n  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub })}`;\n  const sig = crypto.createHmac('sha256', secret).update(body).digest('base64url');\n  return `${body}.${sig}`;\n}\n",
      errors: [{ messageId: 'handRolledHmac', line: 5, column: 15 }],
    },
    {
      name: 'jsonwebtoken verify with a key from an environment variable of neutral name',
      files: { 'src/config.ts': "export const config = { auth: { tokenKey: process.env.AUTH_TOKEN_KEY as string } };\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { config } from './config';\nexport const check = (t: string) => jwt.verify(t, config.auth.tokenKey);\n",
      errors: [{ messageId: 'sharedSecret', line: 3, column: 37 }],
    },
    {
      name: "legacy jose JWT.sign with a secret from the environment",
      filename: "src/tokens.js",
      code: "const { JWT, JWK } = require('jose');\nconst key = JWK.asKey(process.env.JWT_SECRET);\nexports.issue = (user) => JWT.sign({ sub: user.id }, key, { expiresIn: '15m' });\n",
      errors: [{ messageId: "sharedSecret", line: 3, column: 27, data: { call: "jose 'JWT.sign'" } }],
    },
    {
      name: "an email confirmation token signed and verified with its own secret in one service is a note",
      filename: "src/auth/auth.service.ts",
      code: "import { JwtService } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport class AuthService {\n  constructor(private readonly jwt: JwtService, private readonly config: ConfigService) {}\n  confirmationHash(userId: string) {\n    return this.jwt.signAsync({ confirmEmailUserId: userId }, { secret: this.config.getOrThrow('auth.confirmEmailSecret'), expiresIn: '1d' });\n  }\n  async confirm(hash: string) {\n    return this.jwt.verifyAsync(hash, { secret: this.config.getOrThrow('auth.confirmEmailSecret'), algorithms: ['HS256'] });\n  }\n}\n",
      errors: [{ messageId: "purposeSecret", line: 6, column: 73, level: "note", data: { purpose: "email confirmation", name: "auth.confirmEmailSecret", action: "signs" } }, { messageId: "purposeSecret", line: 9, column: 112, level: "note", data: { action: "verifies" } }],
    },
    {
      name: "a password reset token signed with the access-token secret stays a warning",
      code: "import jwt from 'jsonwebtoken';\nexport const resetToken = (userId: string) => jwt.sign({ resetUserId: userId }, process.env.JWT_SECRET!, { expiresIn: '15m' });\nexport const readReset = (token: string) => jwt.verify(token, process.env.JWT_SECRET!);\n",
      errors: [{ messageId: "defaultAlgorithm", line: 2, column: 47, level: "warning" }, { messageId: "sharedSecret", line: 3, column: 45, level: "warning" }],
    },
    {
      name: "a reset secret only signed here, for another service to verify, stays a warning",
      code: "import jwt from 'jsonwebtoken';\nexport const resetLink = (userId: string) => jwt.sign({ sub: userId }, process.env.PASSWORD_RESET_SECRET!, { algorithm: 'HS256', expiresIn: '15m' });\n",
      errors: [{ messageId: "symmetricAlgorithm", line: 2, column: 121, level: "warning" }],
    },
  ],
};
