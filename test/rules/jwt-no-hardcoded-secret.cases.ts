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
    {
      name: "a literal default overridden by the environment in Object.assign",
      code: "import jwt from 'jsonwebtoken';\nconst defaults = { secret: 'placeholder-secret', expiresIn: '1h' };\nconst options = Object.assign({}, defaults, { secret: process.env.JWT_SECRET! });\nexport const issue = (sub: string) => jwt.sign({ sub }, options.secret, { algorithm: 'HS256' });\n",
    },
    {
      name: "a variable assigned from the secret store after its declaration",
      code: "import jwt from 'jsonwebtoken';\nimport { readSecret } from './vault';\nlet secret: string;\nexport async function init() {\n  secret = await readSecret('jwt');\n}\nexport const issue = (sub: string) => jwt.sign({ sub }, secret, { algorithm: 'HS256' });\n",
      files: { "src/vault.ts": "export async function readSecret(name: string): Promise<string> {\n  return name;\n}\n" },
    },
    {
      name: "the literal's file is linted alone while the key is used elsewhere by a decode only",
      filename: "src/config.ts",
      code: "export const display = { secret: 'not-a-key-only-decoded' };\n",
      files: { "src/read.ts": "import jwt from 'jsonwebtoken';\nimport { display } from './config';\nexport const read = (t: string) => jwt.decode(t, display as any);\n" },
    },
  ],
  invalid: [
    {
      name: 'jsonwebtoken sign with a literal secret',
      code: "import jwt from 'jsonwebtoken';\nexport const issue = (sub: string) => jwt.sign({ sub }, 'shhhhh', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 57, data: { call: "jsonwebtoken 'sign'", preview: "'shh…' (6 characters)" } }],
    },
    {
      name: 'env fallback in an imported config module',
      filename: 'src/config/index.ts',
      files: { 'src/index.ts': "import jwt from 'jsonwebtoken';\nimport config from './config';\nexport const check = (t: string) => jwt.verify(t, config.jwt.secret, { algorithms: ['HS256'] });\n" },
      code: "export default {\n  jwt: { secret: process.env.JWT_SECRET || 'changeme' },\n};\n",
      errors: [{ messageId: 'hardcodedFallback', line: 2, column: 44, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'NestJS docs constants file',
      filename: 'src/auth/constants.ts',
      files: { 'src/index.ts': "import { JwtModule } from '@nestjs/jwt';\nimport { jwtConstants } from './auth/constants';\nexport const m = JwtModule.register({ global: true, secret: jwtConstants.secret, signOptions: { expiresIn: '60s' } });\n" },
      code: "export const jwtConstants = {\n  secret: 'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.',\n};\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 11 }],
    },
    {
      name: 'jose key from TextEncoder over a literal',
      code: "import { SignJWT } from 'jose';\nconst key = new TextEncoder().encode('a-string-secret-at-least-256-bits-long');\nexport const issue = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 38 }],
    },
    {
      name: 'passport-jwt secretOrKey from ConfigService with a default',
      code: "import { PassportStrategy } from '@nestjs/passport';\nimport { ConfigService } from '@nestjs/config';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor(config: ConfigService) {\n    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.get('JWT_SECRET', 'dev-secret') });\n  }\n}\n",
      errors: [{ messageId: 'hardcodedFallback', line: 6, column: 109 }],
    },
    {
      name: 'private key PEM literal used to sign',
      code: "import jwt from 'jsonwebtoken';\nconst PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\\n-----END PRIVATE KEY-----';\nexport const issue = (sub: string) => jwt.sign({ sub }, PRIVATE_KEY, { algorithm: 'ES256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 21 }],
    },
    {
      name: 'literal secret in a test file when the config asks for test files',
      filename: 'test/helpers/tokens.ts',
      settings: { reportTestFiles: true },
      code: "import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 'u1' }, 'test-secret', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedKey', line: 2, column: 46 }],
    },
    {
      name: 'NestJS registerAs namespace read through ConfigService',
      filename: 'src/config/jwt.config.ts',
      files: { 'src/index.ts': "import { JwtModule } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport const m = JwtModule.registerAsync({\n  inject: [ConfigService],\n  useFactory: (config: ConfigService) => ({ secret: config.get<string>('jwt.secret') }),\n});\n" },
      code: "import { registerAs } from '@nestjs/config';\nexport default registerAs('jwt', () => ({\n  secret: process.env.JWT_SECRET || 'nest-dev-secret',\n  expiresIn: '1h',\n}));\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 37, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'configuration lookup with a literal after ||',
      code: "import jwt from 'jsonwebtoken';\nimport config from 'config';\nexport const issue = (sub: string) => jwt.sign({ sub }, config.get<string>('auth.jwtSecret') || 'fallback-secret', { algorithm: 'HS256' });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 3, column: 97 }],
    },
    {
      name: 'zod environment schema default',
      filename: 'src/env.ts',
      files: { 'src/index.ts': "import jwt from 'jsonwebtoken';\nimport { env } from './env';\nexport const issue = (sub: string) => jwt.sign({ sub }, env.JWT_SECRET, { algorithm: 'HS256' });\n" },
      code: "import { z } from 'zod';\nconst envSchema = z.object({\n  PORT: z.coerce.number().default(3000),\n  JWT_SECRET: z.string().min(8).default('development-secret'),\n});\nexport const env = envSchema.parse(process.env);\n",
      errors: [{ messageId: 'hardcodedFallback', line: 4, column: 41, data: { source: 'JWT_SECRET' } }],
    },
    {
      name: 'envalid devDefault',
      filename: 'src/config/env.ts',
      files: { 'src/index.ts': "import { expressjwt } from 'express-jwt';\nimport { env } from './config/env';\nexport const requireAuth = expressjwt({ secret: env.JWT_SECRET, algorithms: ['HS256'] });\n" },
      code: "import { cleanEnv, str } from 'envalid';\nexport const env = cleanEnv(process.env, { JWT_SECRET: str({ devDefault: 'local-only-secret' }) });\n",
      errors: [{ messageId: 'hardcodedFallback', line: 2, column: 74 }],
    },
    {
      name: 'one fallback used by two calls is reported once, at the literal',
      filename: 'src/config/jwt.ts',
      files: { 'src/index.ts': "import jwt from 'jsonwebtoken';\nimport { jwtConfig } from './config/jwt';\nexport const issue = (sub: string) => jwt.sign({ sub }, jwtConfig.secret, { algorithm: 'HS256', expiresIn: '1h' });\nexport const check = (t: string) => jwt.verify(t, jwtConfig.secret, { algorithms: ['HS256'] });\n" },
      code: "export const jwtConfig = { secret: process.env.JWT_SECRET_KEY || 'default-secret' };\n",
      errors: [{ messageId: 'hardcodedFallback', line: 1, column: 66, data: { source: 'JWT_SECRET_KEY', uses: ' and 1 more use' } }],
    },
    {
      name: "one literal used as a key in two other files is one finding at the literal",
      filename: "src/config.ts",
      code: "export const auth = {\n  secret: Buffer.from('buffer-held-signing-secret', 'utf8'),\n};\n",
      files: { "src/issue.ts": "import jwt from 'jsonwebtoken';\nimport { auth } from './config';\nexport const issue = (sub: string) => jwt.sign({ sub }, auth.secret, { algorithm: 'HS256', expiresIn: '1h' });\n", "src/check.ts": "import jwt from 'jsonwebtoken';\nimport { auth } from './config';\nexport const check = (t: string) => jwt.verify(t, auth.secret, { algorithms: ['HS256'] });\n" },
      errors: [{ messageId: "hardcodedKey", line: 2, column: 23, data: { uses: " and 1 more use" } }],
    },
    {
      name: "a literal merged into the options with Object.assign",
      code: "import jwt from 'jsonwebtoken';\nconst defaults = { secret: 'merged-default-secret', expiresIn: '1h' };\nconst options = Object.assign({}, defaults, { issuer: 'orders' });\nexport const issue = (sub: string) => jwt.sign({ sub }, options.secret, { algorithm: 'HS256' });\n",
      errors: [{ messageId: "hardcodedKey", line: 2, column: 28 }],
    },
    {
      name: "a literal spread from another config object",
      code: "import jwt from 'jsonwebtoken';\nconst base = { jwtSecret: 'spread-base-secret' };\nconst config = { ...base, port: 3000 };\nexport const issue = (sub: string) => jwt.sign({ sub }, config.jwtSecret, { algorithm: 'HS256' });\n",
      errors: [{ messageId: "hardcodedKey", line: 2, column: 27 }],
    },
    {
      name: "a variable given its literal after the declaration",
      code: "import jwt from 'jsonwebtoken';\nlet secret: string;\nsecret = 'assigned-later-secret';\nexport const issue = (sub: string) => jwt.sign({ sub }, secret, { algorithm: 'HS256' });\n",
      errors: [{ messageId: "hardcodedKey", line: 3, column: 10 }],
    },
    {
      name: "an environment secret replaced by a literal when unset",
      code: "import jwt from 'jsonwebtoken';\nlet secret = process.env.JWT_SECRET;\nif (!secret) secret = 'dev-only-secret';\nexport const issue = (sub: string) => jwt.sign({ sub }, secret!, { algorithm: 'HS256' });\n",
      errors: [{ messageId: "hardcodedFallback", line: 3, column: 23, data: { source: "JWT_SECRET" } }],
    },
  ],
};
