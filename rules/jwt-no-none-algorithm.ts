import { defineRule } from '../src/core/rule.js';
import { describeCall, isReportedFile, getJwtCalls } from '../src/facts/jwt.js';
import { getNoneAcceptance } from '../src/facts/jwt-none.js';

export type Options = Record<string, never>;
export type MessageId = 'noneAlgorithm' | 'unsecuredJwt' | 'falsyKeyLegacy' | 'legacyAcceptsNone';

export default defineRule<Options, MessageId>({
  id: 'jwt-no-none-algorithm',
  meta: {
    description: "Disallow signing or accepting JWTs with the 'none' algorithm",
    category: 'jwt',
    level: 'error',
    precision: 'very-high',
    securitySeverity: 9.1,
    cwe: [347],
    scope: 'file',
    recommended: true,
  },
  messages: {
    noneAlgorithm: "{{call}} {{action}} the 'none' algorithm, so tokens need no signature. Remove 'none' and pin a signing algorithm such as RS256.",
    unsecuredJwt: "{{call}} {{action}} unsigned (alg 'none') tokens. Sign and verify tokens with jwtVerify/SignJWT and a real key.",
    falsyKeyLegacy:
      "{{call}} is given no key and no 'algorithms' under jsonwebtoken {{version}}, which accepts unsigned tokens (CVE-2022-23540). Pass the key and pin 'algorithms'.",
    legacyAcceptsNone:
      "{{call}} pins no 'algorithms' under jsonwebtoken {{version}}, which accepts unsigned (alg 'none') tokens whatever the key (CVE-2015-9235). Upgrade jsonwebtoken and pin 'algorithms'.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      'SourceFile:exit'(file) {
        if (!isReportedFile(context.settings, file)) return;
        for (const call of getJwtCalls(context.project, file)) {
          for (const { cause, node, role, version } of getNoneAcceptance(context.project, call)) {
            const data = { call: describeCall(call) };
            if (cause === 'unsecured') context.report({ node, messageId: 'unsecuredJwt', data: { ...data, action: role === 'sign' ? 'creates' : 'reads' } });
            else if (cause === 'none-key') context.report({ node, messageId: 'unsecuredJwt', data: { ...data, action: role === 'sign' ? 'creates' : 'accepts' } });
            else if (cause === 'none-algorithm') context.report({ node, messageId: 'noneAlgorithm', data: { ...data, action: role === 'sign' ? 'signs with' : 'accepts' } });
            else context.report({ node, messageId: cause === 'legacy-any-key' ? 'legacyAcceptsNone' : 'falsyKeyLegacy', data: { ...data, version: version ?? '' } });
          }
        }
      },
    };
  },
});
