import type { RuleCases } from '../support/rule-cases.js';

const HS256_ADMIN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcHNAZXhhbXBsZS5jb20iLCJyb2xlIjoiYWRtaW4iLCJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiYmlsbGluZy1hcGkiLCJpYXQiOjE3MDAwMDAwMDB9.G4kD4UKb6zIfitI4ma4V20pTU6y62IhH74oKxf8QDY4';
const HS256_EXPIRING = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxODkzNDU2MDAwfQ.KctU57ePUJlGMSKMIiFjJDf6lbn5zUHe8GCu33lHkp8';
const UNSIGNED = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiI2ZjFjMmExZS0yYjliLTRjMWEtOWY3ZS0wZDNjMWIyYTRlNWYiLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzAwMDAwMDAwfQ.';
const RS256_SERVICE =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzdmMtcmVwb3J0aW5nIiwic2NvcGUiOiJyZXBvcnRzOnJlYWQiLCJpc3MiOiJyZXBvcnRpbmciLCJhdWQiOlsiYXBpIiwiYWRtaW4iXSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MzU2ODk2MDB9.fjJjwI1WJN25-HSVfr7YlsFidnSF-wS6XQx8g42t_p3w5dsw5cqx7zcz6ieQeQP_h15T6pxDPF0npPsET8h9E2Unckw31VSp5bkjeeCV_mRgBbzgwu7-RIkz6JY4CoU60OFTu2ZKT3rvc-HMnd0qRCc_pemTDySxGta4d_nl1nQNg8zQeQrmwnD4YySCCcOCq3AOhP5m_wvJ-Z8uJbgsW9U-T6ufl_vNyJBfXtZaUdw1hle8evYtaMq7aNEqdR93vpqY0MtCXjU5ppWQ41CVzUlXyxwQkK4sEPbQmBmG_CPXcfTMcRr-XZNT5p2M0iFFtw-tJy0keYhixf_U9TeMiQ';
/** Header {"alg":"HS256"}, payload the bytes "notjson". */
const OPAQUE_PAYLOAD = 'eyJhbGciOiJIUzI1NiJ9.bm90anNvbg.c2lnbmF0dXJl';

export const cases: RuleCases = {
  valid: [
    {
      name: 'reads the token from the environment',
      code: "export const serviceToken = process.env.REPORTING_TOKEN ?? '';\n",
    },
    {
      name: 'a token-shaped string whose header is not base64url JSON',
      code: "export const build = 'eyJunk-not-json.eyAbcdef.signature';\n",
    },
    {
      name: 'a header that decodes to JSON without alg',
      code: "export const fragment = 'eyJ0eXAiOiJKV1QifQ.eyJ4IjoxfQ.abc';\n",
    },
    {
      name: 'a JWT in a comment is documentation, not code',
      code: `// Example: Authorization: Bearer ${HS256_ADMIN}\n/* ${UNSIGNED} */\nexport const header = 'Authorization';\n`,
    },
    {
      name: 'a token assembled from variables at run time',
      code: "export function join(header: string, payload: string, signature: string) {\n  return `${header}.${payload}.${signature}`;\n}\n",
    },
    {
      name: 'a JWE has five segments',
      code: "export const sealed = 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn';\n",
    },
    {
      name: 'a single base64url JSON segment',
      code: "export const state = 'eyJyZXR1cm5UbyI6Ii9ob21lIn0';\n",
    },
    {
      name: 'a token in a test file',
      filename: 'test/auth.test.ts',
      code: `import { it } from 'vitest';\nit('rejects', () => fetch('/me', { headers: { authorization: 'Bearer ${HS256_ADMIN}' } }));\n`,
    },
  ],
  invalid: [
    {
      name: 'an HMAC token with issuer, audience and an e-mail subject',
      code: `export const adminToken = '${HS256_ADMIN}';\n`,
      errors: [
        {
          messageId: 'hardcodedToken',
          line: 1,
          column: 27,
          data: { alg: "alg 'HS256', HMAC", expiry: 'no exp, never expires', claims: 'iss URL, aud string, sub e-mail address' },
        },
      ],
    },
    {
      name: 'an expiring token in a Bearer header template',
      code: `export const headers = {\n  Authorization: \`Bearer ${HS256_EXPIRING}\`,\n};\n`,
      errors: [{ messageId: 'hardcodedToken', line: 2, column: 18, data: { expiry: 'exp 2030-01-01 00:00:00 UTC', claims: 'sub numeric id' } }],
    },
    {
      name: "an unsigned token with alg 'none'",
      code: `const DEV_SESSION = "${UNSIGNED}";\nexport default DEV_SESSION;\n`,
      errors: [{ messageId: 'hardcodedToken', line: 1, column: 21, data: { alg: "alg 'none', unsigned", claims: 'sub UUID' } }],
    },
    {
      name: 'an RS256 service token with an audience list, in plain JavaScript',
      filename: 'src/client.js',
      code: `const axios = require('axios');\nmodule.exports = axios.create({ headers: { authorization: 'Bearer ' + '${RS256_SERVICE}' } });\n`,
      errors: [
        {
          messageId: 'hardcodedToken',
          line: 2,
          column: 71,
          data: { alg: "alg 'RS256'", expiry: 'exp 2025-01-01 00:00:00 UTC', claims: 'iss string, aud list of 2, sub string' },
        },
      ],
    },
    {
      name: 'a token whose payload is not a claims set still names its algorithm',
      code: `export const legacy = '${OPAQUE_PAYLOAD}';\n`,
      errors: [{ messageId: 'hardcodedToken', line: 1, column: 23, data: { expiry: 'payload not a JSON claims set', claims: 'no readable claims' } }],
    },
    {
      name: 'a token in a test file when reportTestFiles is set',
      filename: 'test/auth.test.ts',
      settings: { reportTestFiles: true },
      code: `export const token = '${HS256_EXPIRING}';\n`,
      errors: [{ messageId: 'hardcodedToken', line: 1, column: 22 }],
    },
    {
      name: 'a token in a JSX attribute',
      filename: 'src/Preview.tsx',
      code: `export const Preview = () => <iframe src="/embed" data-token="${HS256_EXPIRING}" />;\n`,
      errors: [{ messageId: 'hardcodedToken', line: 1, column: 62 }],
    },
  ],
};
