import type { RuleCases } from '../support/rule-cases.js';
import type { ProjectSettings } from '../../src/core/types.js';

const SHARED: ProjectSettings = { sharedLibrary: { packages: ['@acme/auth'], allowedPaths: ['src/auth/**', 'libs/token-kit/**'] } };

export const cases: RuleCases = {
  valid: [
    {
      name: 'no shared library configured',
      code: "import jwt from 'jsonwebtoken';\nexport const verify = (t: string) => jwt.verify(t, process.env.KEY!, { algorithms: ['RS256'] });\n",
    },
    {
      name: 'imports the approved library',
      code: "import { requireToken } from '@acme/auth';\nexport const guard = requireToken({ audience: 'orders' });\n",
      settings: SHARED,
    },
    {
      name: 'a subpath of the approved library',
      code: "import { expressMiddleware } from '@acme/auth/express';\nexport const guard = expressMiddleware();\n",
      settings: SHARED,
    },
    {
      name: 'the wrapper module inside the allowed paths',
      filename: 'src/auth/verify.ts',
      code: "import { jwtVerify, createRemoteJWKSet } from 'jose';\nconst jwks = createRemoteJWKSet(new URL(process.env.JWKS_URI!));\nexport const verify = (t: string) => jwtVerify(t, jwks, { issuer: 'https://id.acme.example', audience: 'orders' });\n",
      settings: SHARED,
    },
    {
      name: 'type-only import of jsonwebtoken types',
      code: "import type { JwtPayload } from 'jsonwebtoken';\nimport { type Algorithm } from 'jsonwebtoken';\nexport type Claims = JwtPayload & { roles: string[]; alg?: Algorithm };\n",
      settings: SHARED,
    },
    {
      name: 'a non-JWT package whose name contains jwt-like words',
      code: "import { AuthGuard } from '@nestjs/passport';\nimport hono from 'hono';\nimport { jwtConfig } from './config/jwt';\nexport const guard = AuthGuard('jwt');\nexport { hono, jwtConfig };\n",
      files: { 'src/config/jwt.ts': "export const jwtConfig = { audience: 'orders' };\n" },
      settings: SHARED,
    },
    {
      name: 'a test file minting tokens',
      filename: 'test/helpers/tokens.ts',
      code: "import jwt from 'jsonwebtoken';\nexport const tokenFor = (sub: string) => jwt.sign({ sub }, 'test-only');\n",
      settings: SHARED,
    },
    {
      name: 'the approved library is itself a JWT package',
      code: "import { jwtVerify } from 'jose';\nexport const verify = jwtVerify;\n",
      settings: { sharedLibrary: { packages: ['jose'] } },
    },
  ],
  invalid: [
    {
      name: 'default import of jsonwebtoken in a route module',
      filename: 'src/routes/orders.ts',
      code: "import { Router } from 'express';\nimport jwt from 'jsonwebtoken';\nexport const orders = Router();\norders.use((req, _res, next) => { jwt.verify(String(req.headers.authorization), process.env.KEY!); next(); });\n",
      settings: SHARED,
      errors: [{ messageId: 'directImport', line: 2, column: 1, data: { module: 'jsonwebtoken', approved: "'@acme/auth'" } }],
    },
    {
      name: 'require with destructuring and a dynamic import',
      filename: 'src/legacy/session.js',
      code: "const { decode } = require('jsonwebtoken');\nasync function keys() {\n  const { createRemoteJWKSet } = await import('jose');\n  return createRemoteJWKSet(new URL(process.env.JWKS_URI));\n}\nmodule.exports = { decode, keys };\n",
      settings: SHARED,
      errors: [
        { messageId: 'directImport', line: 1, column: 20, data: { module: 'jsonwebtoken' } },
        { messageId: 'directImport', line: 3, column: 40, data: { module: 'jose' } },
      ],
    },
    {
      name: 'jose subpath, jwt-decode and passport-jwt',
      code: "import { jwtVerify } from 'jose/jwt/verify';\nimport { jwtDecode } from 'jwt-decode';\nimport { Strategy, ExtractJwt } from 'passport-jwt';\nexport { jwtVerify, jwtDecode, Strategy, ExtractJwt };\n",
      settings: SHARED,
      errors: [
        { messageId: 'directImport', line: 1, column: 1, data: { module: 'jose/jwt/verify' } },
        { messageId: 'directImport', line: 2, column: 1, data: { module: 'jwt-decode' } },
        { messageId: 'directImport', line: 3, column: 1, data: { module: 'passport-jwt' } },
      ],
    },
    {
      name: 'a re-export of a JWT library outside the allowed paths',
      filename: 'src/common/jwt.ts',
      code: "export { verify, sign } from 'jsonwebtoken';\nexport * from '@nestjs/jwt';\n",
      settings: SHARED,
      errors: [
        { messageId: 'directImport', line: 1, column: 1, data: { module: 'jsonwebtoken' } },
        { messageId: 'directImport', line: 2, column: 1, data: { module: '@nestjs/jwt' } },
      ],
    },
    {
      name: 'hono/jwt middleware and jwks-rsa without allowed paths',
      code: "import { jwt } from 'hono/jwt';\nimport jwksClient = require('jwks-rsa');\nexport const auth = jwt({ secret: process.env.SECRET!, alg: 'HS256' });\nexport const client = jwksClient({ jwksUri: process.env.JWKS_URI! });\n",
      settings: { sharedLibrary: { packages: ['@acme/auth', '@acme/auth-hono'] } },
      errors: [
        { messageId: 'directImport', line: 1, column: 1, data: { module: 'hono/jwt', approved: "'@acme/auth' or '@acme/auth-hono'" } },
        { messageId: 'directImport', line: 2, column: 1, data: { module: 'jwks-rsa' } },
      ],
    },
    {
      name: 'a JWT verifier package without an API model',
      filename: 'src/lambda/authorizer.ts',
      code: "import { CognitoJwtVerifier } from 'aws-jwt-verify';\nexport const verifier = CognitoJwtVerifier.create({ userPoolId: 'eu-west-1_abc', tokenUse: 'access', clientId: 'orders' });\n",
      settings: SHARED,
      errors: [{ messageId: 'directImport', line: 1, column: 1, data: { module: 'aws-jwt-verify' } }],
    },
  ],
};
