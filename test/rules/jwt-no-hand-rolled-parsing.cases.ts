import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'verifies through jsonwebtoken',
      code: "import jwt from 'jsonwebtoken';\nexport function claims(token: string) {\n  return jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });\n}\n",
    },
    {
      name: 'splits a semantic version on dots',
      code: "export function major(version: string) {\n  const [major, minor] = version.split('.');\n  return Number(major) * 100 + Number(minor);\n}\n",
    },
    {
      name: 'splits a hostname and a file name',
      code: "export function describe(host: string, file: string) {\n  const labels = host.split('.');\n  const ext = file.split('.').pop();\n  return { tld: labels[labels.length - 1], ext };\n}\n",
    },
    {
      name: 'decodes a Basic authorization header',
      code: "export function basic(header: string) {\n  const encoded = header.split(' ')[1];\n  const [user, password] = Buffer.from(encoded, 'base64').toString('utf8').split(':');\n  return { user, password };\n}\n",
    },
    {
      name: 'base64-decodes a certificate from the environment',
      code: "export const caCert = Buffer.from(process.env.CA_CERT_B64 ?? '', 'base64').toString('utf8');\n",
    },
    {
      name: 'decodes the hex part of a dotted identifier',
      code: "export function shard(id: string) {\n  const parts = id.split('.');\n  return Buffer.from(parts[1], 'hex').readUInt16BE(0);\n}\n",
    },
    {
      name: 'decodes the secret of a keyId.secret API key',
      code: "export function apiKeySecret(apiKey: string) {\n  const [keyId, secret] = apiKey.split('.');\n  return { keyId, secret: Buffer.from(secret, 'base64') };\n}\n",
    },
    {
      name: 'decodes the secret of an id.secret credential that rejects a third part (logto trusted device)',
      code: "export function parseCredential(value: string) {\n  const [id, secret, extra] = value.split('.');\n  if (!id || !secret || extra !== undefined) {\n    return;\n  }\n  return { id, secret: Buffer.from(secret, 'base64url') };\n}\n",
    },
    {
      name: 'parses a signed cookie value.signature',
      code: "export function readCookie(value: string) {\n  const [data, signature] = value.split('.');\n  return { session: JSON.parse(Buffer.from(data, 'base64').toString()), signature };\n}\n",
    },
    {
      name: 'signs a webhook payload timestamp.body with HMAC',
      code: "import crypto from 'node:crypto';\nexport function sign(timestamp: string, body: string) {\n  return crypto.createHmac('sha256', process.env.WEBHOOK_SECRET!).update(`${timestamp}.${body}`).digest('hex');\n}\n",
    },
    {
      name: 'unsigns a value.signature cookie with a signing helper',
      code: "import crypto from 'node:crypto';\nfunction sign(value: string, secret: string) {\n  return `${value}.${crypto.createHmac('sha256', secret).update(value).digest('base64url')}`;\n}\nexport function unsign(input: string, secret: string) {\n  const value = input.slice(0, input.lastIndexOf('.'));\n  return sign(value, secret) === input ? value : false;\n}\n",
    },
    {
      name: 'decodes the signature segment only to pass it to a library',
      code: "export function signatureBytes(token: string) {\n  return Buffer.from(token.split('.')[2], 'base64url');\n}\n",
    },
    {
      name: 'a local decode helper that is never given a token segment',
      code: "function fromBase64Url(input: string) {\n  return Buffer.from(input, 'base64url').toString('utf8');\n}\nexport const banner = fromBase64Url(process.env.BANNER ?? '');\n",
    },
  ],
  invalid: [
    {
      name: 'Buffer.from base64url of the payload segment',
      code: "export function claims(token: string) {\n  const payload = token.split('.')[1];\n  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 3, column: 21, data: { part: 'payload', token: 'token' } }],
    },
    {
      name: 'atob of a destructured segment with base64url normalisation',
      code: "export function parseJwt(token: string) {\n  const [, body] = token.split('.');\n  const base64 = body.replace(/-/g, '+').replace(/_/g, '/');\n  return JSON.parse(atob(base64));\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 4, column: 21, data: { decoder: 'atob' } }],
    },
    {
      name: 'a destructured payload decoded after checking that the third part, the signature, is there',
      code: "export function claims(value: string) {\n  const [, payload, signature] = value.split('.');\n  if (signature === undefined) throw new Error('unsigned');\n  return JSON.parse(Buffer.from(payload, 'base64url').toString());\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 4, column: 21, data: { part: 'payload' } }],
    },
    {
      name: 'parts variable indexed after a length check',
      code: "export function header(jwt: string) {\n  const parts = jwt.split('.');\n  if (parts.length !== 3) throw new Error('malformed');\n  return JSON.parse(Buffer.from(parts[0], 'base64').toString());\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 4, column: 21, data: { part: 'header' } }],
    },
    {
      name: 'a local base64url helper called with a segment',
      code: "function b64urlDecode(input: string): string {\n  const padded = input + '='.repeat((4 - (input.length % 4)) % 4);\n  return Buffer.from(padded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString();\n}\nexport function claims(authorization: string) {\n  const parts = authorization.slice(7).split('.');\n  return JSON.parse(b64urlDecode(parts[1]));\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 7, column: 21, data: { decoder: 'b64urlDecode' } }],
    },
    {
      name: 'a decode helper imported from another repository file',
      code: "import { decodeSegment } from './util/base64';\nexport const claimsOf = (token: string) => JSON.parse(decodeSegment(token.split('.')[1]));\n",
      files: { 'src/util/base64.ts': "export const decodeSegment = (segment: string) => Buffer.from(segment, 'base64url').toString('utf8');\n" },
      errors: [{ messageId: 'decodedByHand', line: 2, column: 55 }],
    },
    {
      name: 'the base64url package and a mapped decoder',
      code: "import base64url from 'base64url';\nexport function parts(token: string) {\n  return token.split('.').map(base64url.decode);\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 3, column: 10, data: { decoder: 'base64url.decode' } }],
    },
    {
      name: 'jose base64url helper inside a map callback',
      code: "import { base64url } from 'jose';\nconst text = new TextDecoder();\nexport function decodeAll(token: string) {\n  return token.split('.').slice(0, 2).map((part) => JSON.parse(text.decode(base64url.decode(part))));\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 4, column: 76 }],
    },
    {
      name: 'HMAC recomputed over the split header and payload and compared with ===',
      code: "import { createHmac } from 'crypto';\nexport function isValid(token: string, secret: string) {\n  const [header, payload, signature] = token.split('.');\n  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');\n  return expected === signature;\n}\n",
      errors: [{ messageId: 'verifiedByHand', line: 4, column: 20, data: { api: 'crypto.createHmac' } }],
    },
    {
      name: 'RSA signature verified over the token up to its last dot',
      code: "const crypto = require('crypto');\nfunction verifyRs256(token, publicKey) {\n  const data = token.slice(0, token.lastIndexOf('.'));\n  const verifier = crypto.createVerify('RSA-SHA256');\n  verifier.update(data);\n  return verifier.verify(publicKey, token.split('.')[2], 'base64');\n}\nmodule.exports = { verifyRs256 };\n",
      filename: 'src/verify.js',
      errors: [{ messageId: 'verifiedByHand', line: 5, column: 3, data: { api: 'crypto.createVerify' } }],
    },
    {
      name: 'WebCrypto HMAC verify in an edge middleware',
      code: "export async function verify(token: string, key: CryptoKey) {\n  const [h, p, s] = token.split('.');\n  const data = new TextEncoder().encode(h + '.' + p);\n  return crypto.subtle.verify('HMAC', key, Uint8Array.from(atob(s), (c) => c.charCodeAt(0)), data);\n}\n",
      errors: [{ messageId: 'verifiedByHand', line: 4, column: 10, data: { api: 'crypto.subtle.verify' } }],
    },
    {
      name: 'a token minted by hand with a signing helper',
      code: "import crypto from 'node:crypto';\nconst encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');\nfunction mac(input: string) {\n  return crypto.createHmac('sha256', process.env.SECRET!).update(input).digest('base64url');\n}\nexport function mint(claims: object) {\n  const head = encode({ alg: 'HS256', typ: 'JWT' });\n  const body = encode(claims);\n  return `${head}.${body}.${mac(`${head}.${body}`)}`;\n}\n",
      errors: [{ messageId: 'signedByHand', line: 9, column: 29, data: { api: 'mac' } }],
    },
    {
      name: 'decode helper as a class method called through this',
      code: "export class TokenReader {\n  read(bearer: string) {\n    const parts = bearer.split('.');\n    return this.decodePart(parts[1]);\n  }\n  private decodePart(part: string) {\n    return JSON.parse(Buffer.from(part, 'base64').toString());\n  }\n}\n",
      errors: [{ messageId: 'decodedByHand', line: 4, column: 12 }],
    },
  ],
};
