import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'secret read from the environment without a fallback',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (sub: string) => jwt.sign({ sub }, process.env.JWT_SECRET!, { algorithm: 'HS256' });\n",
    },
    {
      name: 'NestJS ConfigService lookup by name',
      code: "import { JwtModule } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport const m = JwtModule.registerAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>('JWT_SECRET') }) });\n",
    },
    {
      name: 'public key PEM committed with the service',
      code: "import jwt from 'jsonwebtoken';\nconst PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----`;\nexport const check = (t: string) => jwt.verify(t, PUBLIC_KEY, { algorithms: ['ES256'] });\n",
    },
    {
      name: 'literal secret in a test file',
      filename: 'src/auth/tokens.spec.ts',
      code: "import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 'u1' }, 'test-secret', { algorithm: 'HS256' });\n",
    },
    {
      name: 'an HMAC over a webhook body with a literal is not a JWT key',
      code: "import { createHmac } from 'node:crypto';\nexport const sign = (body: string) => createHmac('sha256', 'webhook-secret').update(body).digest('hex');\n",
    },
    {
      name: 'empty fallback that makes the service fail closed',
      code: "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET || '', { algorithms: ['HS256'] });\n",
    },
    {
      name: 'envalid environment without a default',
      files: { 'src/env.ts': "import { cleanEnv, str } from 'envalid';\nexport const env = cleanEnv(process.env, { JWT_SECRET: str({ desc: 'HMAC key' }) });\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { env } from './env';\nexport const issue = (sub: string) => jwt.sign({ sub }, env.JWT_SECRET, { algorithm: 'HS256' });\n",
    },
  ],
  invalid: [
    {
      name: 'jsonwebtoken sign with a literal secret',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (sub: string) => jwt.sign({ sub }, 'shhhhh', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 39, data: { call: "jsonwebtoken 'sign'", preview: "'shh…' (6 characters)" } }],
    },
    {
      name: 'env fallback in an imported config module',
      files: { 'src/config/index.ts': "export default {\n  jwt: { secret: process.env.JWT_SECRET || 'changeme' },\n};\n" },
      code: "import jwt from 'jsonwebtoken';\nimport config from './config';\nexport const check = (t: string) => jwt.verify(t, config.jwt.secret, { algorithms: ['HS256'] });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 37, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'NestJS docs constants file',
      files: { 'src/auth/constants.ts': "export const jwtConstants = {\n  secret: 'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.',\n};\n" },
      code: "import { JwtModule } from '@nestjs/jwt';\nimport { jwtConstants } from './auth/constants';\nexport const m = JwtModule.register({ global: true, secret: jwtConstants.secret, signOptions: { expiresIn: '60s' } });\n",
      errors: [{ messageId: 'hardcodedKey', line: 3, column: 61 }],
    },
    {
      name: 'jose key from TextEncoder over a literal',
      code: "import { SignJWT } from 'jose';\nconst key = new TextEncoder().encode('a-string-secret-at-least-256-bits-long');\nexport const issue = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);\n",
      errors: [{ messageId: 'hardcodedKey', line: 3, column: 28 }],
    },
    {
      name: 'passport-jwt secretOrKey from ConfigService with a default',
      code: "import { PassportStrategy } from '@nestjs/passport';\nimport { ConfigService } from '@nestjs/config';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor(config: ConfigService) {\n    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.get('JWT_SECRET', 'dev-secret') });\n  }\n}\n",
      errors: [{ messageId: 'hardcodedFallback', line: 6, column: 84 }],
    },
    {
      name: 'private key PEM literal used to sign',
      code: "import jwt from 'jsonwebtoken';\nconst PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\\n-----END PRIVATE KEY-----';\nexport const issue = (sub: string) => jwt.sign({ sub }, PRIVATE_KEY, { algorithm: 'ES256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 3, column: 39 }],
    },
    {
      name: 'literal secret in a test file when the config asks for test files',
      filename: 'test/helpers/tokens.ts',
      settings: { reportTestFiles: true },
      code: "import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 'u1' }, 'test-secret', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 22 }],
    },
    {
      name: 'NestJS registerAs namespace read through ConfigService',
      files: { 'src/config/jwt.config.ts': "import { registerAs } from '@nestjs/config';\nexport default registerAs('jwt', () => ({\n  secret: process.env.JWT_SECRET || 'nest-dev-secret',\n  expiresIn: '1h',\n}));\n" },
      code: "import { JwtModule } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport const m = JwtModule.registerAsync({\n  inject: [ConfigService],\n  useFactory: (config: ConfigService) => ({ secret: config.get<string>('jwt.secret') }),\n});\n",
      errors: [{ messageId: 'hardcodedFallback', line: 5, column: 53, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'configuration lookup with a literal after ||',
      code: "import jwt from 'jsonwebtoken';\nimport config from 'config';\nexport const issue = (sub: string) => jwt.sign({ sub }, config.get<string>('auth.jwtSecret') || 'fallback-secret', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 39 }],
    },
    {
      name: 'zod environment schema default',
      files: { 'src/env.ts': "import { z } from 'zod';\nconst envSchema = z.object({\n  PORT: z.coerce.number().default(3000),\n  JWT_SECRET: z.string().min(8).default('development-secret'),\n});\nexport const env = envSchema.parse(process.env);\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { env } from './env';\nexport const issue = (sub: string) => jwt.sign({ sub }, env.JWT_SECRET, { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 39, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'envalid devDefault',
      files: { 'src/config/env.ts': "import { cleanEnv, str } from 'envalid';\nexport const env = cleanEnv(process.env, { JWT_SECRET: str({ devDefault: 'local-only-secret' }) });\n" },
      code: "import { expressjwt } from 'express-jwt';\nimport { env } from './config/env';\nexport const requireAuth = expressjwt({ secret: env.JWT_SECRET, algorithms: ['HS256'] });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 49 }],
    },
    {
      name: 'one fallback used by two calls of the same file is reported once, at its first use',
      files: { 'src/config/jwt.ts': "export const jwtConfig = { secret: process.env.JWT_SECRET_KEY || 'default-secret' };\n" },
      code: "import jwt from 'jsonwebtoken';\nimport { jwtConfig } from './config/jwt';\nexport const issue = (sub: string) => jwt.sign({ sub }, jwtConfig.secret, { algorithm: 'HS256', expiresIn: '1h' });\nexport const check = (t: string) => jwt.verify(t, jwtConfig.secret, { algorithms: ['HS256'] });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 39, data: { source: 'JWT_SECRET_KEY', uses: ' (and 1 more use in this file)' } }],
    },
  ],
};
