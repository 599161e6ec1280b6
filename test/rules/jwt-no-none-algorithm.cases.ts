import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'jsonwebtoken verify pinned to RS256',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, key: string) => jwt.verify(t, key, { algorithms: ['RS256'] });\n",
    },
    {
      name: 'jsonwebtoken sign with an asymmetric algorithm from a constant',
      files: { 'src/config.ts': "export const SIGNING_ALG = 'ES256';\n" },
      code: "import { sign } from 'jsonwebtoken';\nimport { SIGNING_ALG } from './config';\nexport const issue = (p: object, k: string) => sign(p, k, { algorithm: SIGNING_ALG });\n",
    },
    {
      name: "a local helper named 'none' unrelated to JWTs",
      code: "const algorithms = ['none'];\nexport function pick(list = algorithms) { return list[0]; }\n",
    },
    {
      name: 'UnsecuredJWT from a package that is not jose',
      code: "import { UnsecuredJWT } from './fake-jose';\nexport const t = new UnsecuredJWT({ sub: '1' }).encode();\n",
      files: { 'src/fake-jose.ts': 'export class UnsecuredJWT { constructor(private p: object) {} encode() { return JSON.stringify(this.p); } }\n' },
    },
    {
      name: 'jsonwebtoken 9 verify with no key (throws instead of accepting unsigned tokens)',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"^9.0.2"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, undefined);\n",
    },
    {
      name: 'jsonwebtoken ^8 range with a key: unsigned tokens need a falsy key',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"^8.1.0"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string, key: string) => jwt.verify(t, key);\n",
    },
    {
      name: "JWT and JWK members of jose 4, where the legacy namespaces no longer exist",
      code: "import * as jose from 'jose';\nexport const debugToken = (sub: string) => (jose as any).JWT.sign({ sub }, (jose as any).JWK.None);\n",
      files: { "package.json": "{\"name\":\"case\",\"dependencies\":{\"jose\":\"^4.15.4\"}}" },
    },
    {
      name: "legacy jose JWT.verify with an imported public key",
      filename: "src/auth.js",
      code: "const fs = require('fs');\nconst { JWT, JWK } = require('jose');\nconst key = JWK.asKey(fs.readFileSync('keys/public.pem'));\nexports.verify = (token) => JWT.verify(token, key, { algorithms: ['RS256'], issuer: 'https://id.example.com', audience: 'orders' });\n",
    },
  ],
  invalid: [
    {
      name: "jsonwebtoken verify accepting 'none' from a constant list",
      files: { 'src/jwt-config.ts': "export const ACCEPTED = ['RS256', 'none'];\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { ACCEPTED } from './jwt-config';\nexport const check = (t: string) =>\n  jwt.verify(t, null, { algorithms: ACCEPTED });\n",
      errors: [{ messageId: 'noneAlgorithm', line: 4, column: 37 }],
    },
    {
      name: "jsonwebtoken sign with algorithm 'none'",
      code: "const jwt = require('jsonwebtoken');\nexports.issue = (user) => jwt.sign({ sub: user.id }, null, { algorithm: 'none' });\n",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 73, data: { call: "jsonwebtoken 'sign'", action: 'signs with' } }],
    },
    {
      name: 'jose UnsecuredJWT encode and decode',
      code: "import { UnsecuredJWT } from 'jose';\nexport const mint = (sub: string) => new UnsecuredJWT({ sub }).encode();\nexport const read = (t: string) => UnsecuredJWT.decode(t);\n",
      errors: [
        { messageId: 'unsecuredJwt', line: 2, column: 38 },
        { messageId: 'unsecuredJwt', line: 3, column: 36 },
      ],
    },
    {
      name: "fast-jwt verifier accepting 'none'",
      code: "import { createVerifier } from 'fast-jwt';\nexport const verifyToken = createVerifier({ algorithms: ['none'] });\n",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 57 }],
    },
    {
      name: "jws verify with 'none'",
      code: "import jws from 'jws';\nexport const ok = (sig: string) => jws.verify(sig, 'none', '');\n",
      errors: [{ messageId: 'noneAlgorithm', line: 2, column: 52 }],
    },
    {
      name: 'jsonwebtoken 8 verify without a key or algorithms',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"^8.5.1"}}' },
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, undefined);\n",
      errors: [{ messageId: 'falsyKeyLegacy', line: 2, column: 51 }],
    },
    {
      name: 'jsonwebtoken 0.4 verify without algorithms accepts unsigned tokens',
      files: { 'package.json': '{"dependencies":{"jsonwebtoken":"0.4.0"}}' },
      code: "import jwt from 'jsonwebtoken';\nimport fs from 'node:fs';\nconst publicKey = fs.readFileSync('keys/jwt.pub', 'utf8');\nexport const check = (t: string, cb: jwt.VerifyCallback) => jwt.verify(t, publicKey, cb);\n",
      errors: [{ messageId: 'legacyAcceptsNone', line: 4, column: 61 }],
    },
    {
      name: "legacy jose 2.x JWT.verify with the JWK.None key",
      filename: "src/auth.js",
      code: "const { JWT, JWK } = require('jose');\nfunction authenticate(req, res, next) {\n  req.user = JWT.verify(String(req.headers.authorization).slice(7), JWK.None);\n  next();\n}\nmodule.exports = { authenticate };\n",
      files: { "package.json": "{\"name\":\"case\",\"dependencies\":{\"jose\":\"^2.0.5\"}}" },
      errors: [{ messageId: "unsecuredJwt", line: 3, column: 69, data: { call: "jose 'JWT.verify'", action: "accepts" } }],
    },
    {
      name: "legacy jose 1.x JWT.sign with JWK.None through the namespace",
      code: "import jose from 'jose';\nexport const debugToken = (sub: string) => jose.JWT.sign({ sub }, jose.JWK.None);\n",
      errors: [{ messageId: "unsecuredJwt", line: 2, column: 67, data: { action: "creates" } }],
    },
  ],
};
