import { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import { findAll } from '../src/core/walk.js';
import { createFlowContext, getSignatureCall, getSigningInput } from '../src/facts/token-segments.js';
import { describeCall, isReportedFile, getJwtCalls, isSharedSecretKey, type JwtCall } from '../src/facts/jwt.js';
import { getPurposeSecret } from '../src/facts/jwt-purpose.js';
import { isSymmetricAlgorithm } from '../src/models/jwt/index.js';

export type Options = Record<string, never>;
export type MessageId = 'symmetricAlgorithm' | 'sharedSecret' | 'defaultAlgorithm' | 'handRolledHmac' | 'purposeSecret';

const IMPLIED_HMAC = 'HS256';

function describeKey(call: JwtCall, key: JwtCall['keys'][number]): string {
  const text = key.node.getText(call.file.sourceFile).replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

export default defineRule<Options, MessageId>({
  id: 'jwt-no-symmetric-algorithm',
  meta: {
    description: 'Disallow HMAC (HS256/HS384/HS512) JWT signatures and shared-secret JWT configurations',
    category: 'jwt',
    level: 'warning',
    precision: 'high',
    securitySeverity: 5.9,
    cwe: [327],
    scope: 'file',
    recommended: true,
  },
  messages: {
    symmetricAlgorithm:
      '{{call}} {{action}} {{algorithms}}: with an HMAC algorithm every service that can verify a token can also forge one. Use RS256/ES256 keys published through a JWKS endpoint.',
    sharedSecret:
      '{{call}} is configured with the shared secret {{key}}, so its tokens are HMAC-signed (HS256). Use an asymmetric key pair (RS256/ES256) and verify against a JWKS endpoint.',
    handRolledHmac:
      '{{api}} computes an HMAC (HS256) signature over a JWT header.payload by hand, so the token is symmetric. Issue and verify tokens with asymmetric keys through the shared JWT library.',
    purposeSecret:
      "{{call}} {{action}} {{article}} {{purpose}} token with its own HMAC secret '{{name}}', which this service alone signs and verifies with: no other service holds it, so HMAC is acceptable here. Keep it distinct from the access-token secret.",
    defaultAlgorithm:
      '{{call}} sets no algorithm, so it signs with {{algorithm}} by default. Sign with an asymmetric key and an explicit algorithm such as RS256 or ES256.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    const allowed = new Set((context.settings.tokenContract?.algorithms ?? []).map((a) => a.toUpperCase()));
    const isForbidden = (alg: string) => isSymmetricAlgorithm(alg) && !allowed.has(alg.toUpperCase());
    return {
      'SourceFile:exit'(file) {
        if (!isReportedFile(context.settings, file)) return;
        for (const call of getJwtCalls(context.project, file)) {
          if (call.viaFactory || call.decodeOnly || call.operation === 'decode' || call.operation === 'unsecured') continue;
          const data = { call: describeCall(call) };
          // A single-purpose token this service issues to itself: HMAC with a secret no other service holds is a note.
          const purpose = call.signs || call.verifies ? getPurposeSecret(context.project, call) : undefined;
          const report = (node: ts.Node, messageId: MessageId, extra: Record<string, string>) =>
            purpose
              ? context.report({ node, messageId: 'purposeSecret', level: 'note', data: { ...data, ...purpose, article: /^[aeiou]/i.test(purpose.purpose) ? 'an' : 'a', action: call.signs ? 'signs' : 'verifies' } })
              : context.report({ node, messageId, data: { ...data, ...extra } });
          const explicit = call.algorithms.find((a) => a.values.some(isForbidden));
          if (explicit) {
            const algorithms = explicit.values.filter(isForbidden).map((a) => `'${a}'`).join(', ');
            report(explicit.node, 'symmetricAlgorithm', { algorithms, action: explicit.role === 'sign' ? 'signs with' : 'accepts' });
            continue;
          }
          // An algorithm setting that is pinned, allowed by the contract, or not knowable decides the family.
          if (call.algorithms.some((a) => a.values.length > 0 || !a.complete)) continue;
          if (allowed.has(IMPLIED_HMAC)) continue;
          const signSetting = call.algorithms.some((a) => a.role === 'sign');
          const asymmetricKey = call.keys.some((k) => k.kind === 'asymmetric' || k.kind === 'jwks' || k.kind === 'provider');
          if (call.operation === 'sign' && call.api.defaultSignAlgorithm && !signSetting && call.options.state !== 'unknown' && !asymmetricKey) {
            report(call.node, 'defaultAlgorithm', { algorithm: call.api.defaultSignAlgorithm });
            continue;
          }
          const secret = call.keys.find(isSharedSecretKey);
          if (!secret || asymmetricKey) continue;
          // A secret known only from its option name is HMAC unless options we cannot see pin another algorithm.
          if (secret.kind !== 'secret' && !secret.namedSecret && call.options.state === 'unknown') continue;
          // A positional key is reported at its call; a key option at the option that configures it.
          const node = secret.where.startsWith('argument') ? call.node : secret.node;
          report(node, 'sharedSecret', { key: describeKey(call, secret) });
        }
        if (allowed.has(IMPLIED_HMAC) || !/Hmac/.test(file.text)) return;
        const ctx = createFlowContext(context.project, file);
        for (const node of findAll(file.sourceFile, ts.isCallExpression)) {
          const signature = getSignatureCall(ctx, node);
          if (signature?.api.kind === 'hmac' && getSigningInput(ctx, signature.data)) {
            context.report({ node, messageId: 'handRolledHmac', data: { api: signature.label } });
          }
        }
      },
    };
  },
});
