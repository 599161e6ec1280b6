import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'jsonwebtoken verify with a pinned allowlist from a config module',
      files: { 'src/config.ts': "export const jwtConfig = { verify: { algorithms: ['RS256'], issuer: 'https://id' } };\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { jwtConfig } from './config';\nexport const check = (t: string, k: string) => jwt.verify(t, k, jwtConfig.verify);\n",
    },
    {
      name: 'jose jwtVerify with a remote JWKS and no allowlist',
      code: "import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL('https://id.example.com/.well-known/jwks.json'));\nexport const check = (t: string) => jwtVerify(t, JWKS, { issuer: 'https://id.example.com', audience: 'orders' });\n",
    },
    {
      name: 'jose jwtVerify with an imported SPKI public key',
      code: "import { importSPKI, jwtVerify } from 'jose';\nconst key = await importSPKI(process.env.JWT_PUBLIC_KEY!, 'ES256');\nexport const check = (t: string) => jwtVerify(t, key);\n",
    },
    {
      name: 'NestJS JwtService verify: algorithms come from the module configuration',
      code: "import { Injectable } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\n@Injectable()\nexport class TokenService {\n  constructor(private readonly jwt: JwtService) {}\n  check(t: string) { return this.jwt.verify(t); }\n}\n",
    },
    {
      name: 'jws verify with a fixed algorithm',
      code: "import jws from 'jws';\nexport const ok = (sig: string, key: string) => jws.verify(sig, 'RS256', key);\n",
    },
    {
      name: 'jsonwebtoken decode before verify to pick the key',
      code: "import jwt from 'jsonwebtoken';\nexport function check(t: string, keys: Record<string, string>) {\n  const { header } = jwt.decode(t, { complete: true })!;\n  return jwt.verify(t, keys[header.kid!]!, { algorithms: ['ES256'] });\n}\n",
    },
    {
      name: 'verify options handed in by the caller',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, k: string, opts: jwt.VerifyOptions) => jwt.verify(t, k, opts);\n",
    },
    {
      name: 'jws 4 verify called with two arguments (throws in jws >= 3 rather than trusting the header)',
      files: { 'package.json': '{"dependencies":{"jws":"^4.0.0"}}' },
      code: "import * as jws from 'jws';\nexport const check = (sig: string, key: string) => jws.verify(sig, key);\n",
    },
    {
      name: 'express-jwt 7 without algorithms (the library refuses to start)',
      files: { 'package.json': '{"dependencies":{"express-jwt":"^7.7.8"}}' },
      code: "import { expressjwt } from 'express-jwt';\nexport const requireAuth = expressjwt({ secret: process.env.JWT_PUBLIC_KEY! } as any);\n",
    },
    {
      name: 'express-jwt 5 with a pinned allowlist',
      files: { 'package.json': '{"dependencies":{"express-jwt":"5.3.3"}}' },
      code: "const jwt = require('express-jwt');\nmodule.exports = jwt({ secret: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] });\n",
    },
    {
      name: "jsonwebtoken 0.4 verify without algorithms: jwt-no-none-algorithm reports it for accepting 'none'",
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"0.4.0"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, key: string, cb: jwt.VerifyCallback) => jwt.verify(t, key, cb);\n",
    },
    {
      name: "jsonwebtoken 8 verify without a key or algorithms: jwt-no-none-algorithm reports it for accepting 'none'",
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"^8.5.1"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, undefined);\n",
    },
  ],
  invalid: [
    {
      name: 'jsonwebtoken 9 verify without algorithms',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"^9.0.2"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_PUBLIC_KEY!, { issuer: 'https://id' });\n",
      errors: [{ messageId: 'inferredFromKey', line: 2, column: 37, data: { call: "jsonwebtoken 'verify'" } }],
    },
    {
      name: 'jsonwebtoken 8 verify without algorithms',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"8.5.1"}}' },
      code: "const jwt = require('jsonwebtoken');\nmodule.exports = (token, key) => jwt.verify(token, key);\n",
      errors: [{ messageId: 'vulnerableVersion', line: 2, column: 34, data: { version: '8.5.1' } }],
    },
    {
      name: 'jws verify with the algorithm read from the token header',
      code: "import jws from 'jws';\nexport function check(sig: string, key: string) {\n  const decoded = jws.decode(sig);\n  return jws.verify(sig, decoded.header.alg, key);\n}\n",
      errors: [{ messageId: 'algorithmFromToken', line: 4, column: 26 }],
    },
    {
      name: 'jwt-simple decode without an algorithm',
      code: "import jwtSimple from 'jwt-simple';\nexport const read = (t: string) => jwtSimple.decode(t, process.env.TOKEN_SECRET!);\n",
      errors: [{ messageId: 'headerChoosesAlgorithm', line: 2, column: 36 }],
    },
    {
      name: 'fast-jwt verifier without algorithms',
      code: "import { createVerifier } from 'fast-jwt';\nexport const verifyToken = createVerifier({ key: async () => process.env.JWT_PUBLIC_KEY, allowedIss: 'https://id' });\n",
      errors: [{ messageId: 'inferredFromKey', line: 2, column: 28 }],
    },
    {
      name: 'passport-jwt with algorithms nested in jsonWebTokenOptions',
      code: "import passport from 'passport';\nimport { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\npassport.use(new JwtStrategy({\n  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n  secretOrKey: process.env.JWT_PUBLIC_KEY,\n  jsonWebTokenOptions: { algorithms: ['RS256'] },\n}, (payload, done) => done(null, payload)));\n",
      errors: [{ messageId: 'nestedAlgorithmsIgnored', line: 3, column: 14 }],
    },
    {
      name: 'koa-jwt without algorithms',
      code: "import Koa from 'koa';\nimport jwt from 'koa-jwt';\nconst app = new Koa();\napp.use(jwt({ secret: process.env.JWT_SECRET! }));\n",
      errors: [{ messageId: 'inferredFromKey', line: 4, column: 9 }],
    },
    {
      name: 'jose jwtVerify with a shared secret and no allowlist',
      code: "import { jwtVerify } from 'jose';\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\nexport const check = (t: string) => jwtVerify(t, secret, { issuer: 'api', audience: 'web' });\n",
      errors: [{ messageId: 'inferredFromKey', line: 3, column: 37 }],
    },
    {
      name: 'jws 0.2 verify with the token and the key only',
      files: { 'package.json': '{"dependencies":{"jws":"0.2.6"}}' },
      code: "import * as jws from 'jws';\nconst publicKey = process.env.PUBLIC_KEY!;\nexport const isGenuine = (token: string) => jws.verify(token, publicKey);\n",
      errors: [{ messageId: 'legacyVerifyArity', line: 3, column: 45, data: { version: 'jws 0.2.6' } }],
    },
    {
      name: 'jws two-argument verify with no declared version',
      code: "const jws = require('jws');\nmodule.exports = (token, key) => jws.verify(token, key);\n",
      errors: [{ messageId: 'legacyVerifyArity', line: 2, column: 34, data: { version: 'jws before 3.0.0' } }],
    },
    {
      name: 'express-jwt 5 without algorithms',
      files: { 'package.json': '{"dependencies":{"express-jwt":"^5.3.1"}}' },
      code: "const jwt = require('express-jwt');\nmodule.exports = jwt({ secret: process.env.JWT_PUBLIC_KEY });\n",
      errors: [{ messageId: 'vulnerableVersion', line: 2, column: 18, data: { package: 'express-jwt', version: '^5.3.1' } }],
    },
    {
      name: 'express-jwt 0.1 without algorithms, through a default import',
      files: { 'package.json': '{"dependencies":{"express-jwt":"0.1.3"}}' },
      code: "import expressJwt from 'express-jwt';\nexport const isAuthorized = () => expressJwt({ secret: process.env.PUBLIC_KEY! });\n",
      errors: [{ messageId: 'vulnerableVersion', line: 2, column: 35, data: { version: '0.1.3' } }],
    },
  ],
};
