import { defineRule } from '../src/core/rule.js';
import { describeCall, isReportedFile, getJwtCalls, getPackageVersion, isVersionBelow, type JwtCall } from '../src/facts/jwt.js';
import { isNoneAlgorithm } from '../src/models/jwt/index.js';
import { NONE_ADVISORIES } from '../src/models/jwt/advisories.js';

export type Options = Record<string, never>;
export type MessageId = 'noneAlgorithm' | 'unsecuredJwt' | 'falsyKeyLegacy' | 'legacyAcceptsNone';

function noneSettings(call: JwtCall): JwtCall['algorithms'] {
  return call.algorithms.filter((a) => a.values.some(isNoneAlgorithm));
}

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
          if (call.viaFactory) continue;
          if (call.operation === 'unsecured') {
            context.report({ node: call.node, messageId: 'unsecuredJwt', data: { call: describeCall(call), action: call.decodeOnly ? 'reads' : 'creates' } });
            continue;
          }
          const noneKey = call.keys.find((k) => k.kind === 'none');
          if (noneKey) {
            context.report({ node: noneKey.node, messageId: 'unsecuredJwt', data: { call: describeCall(call), action: call.signs ? 'creates' : 'accepts' } });
            continue;
          }
          const reported = new Set<number>();
          for (const { node, role } of noneSettings(call)) {
            if (reported.has(node.getStart(file.sourceFile))) continue;
            reported.add(node.getStart(file.sourceFile));
            context.report({ node, messageId: 'noneAlgorithm', data: { call: describeCall(call), action: role === 'sign' ? 'signs with' : 'accepts' } });
          }
          const advisory = NONE_ADVISORIES[call.library];
          if (reported.size > 0 || !advisory || call.operation !== 'verify') continue;
          const key = call.keys[0];
          const noKey = !key || (key.kind === 'falsy' && key.literals.length === 0);
          const version = getPackageVersion(context.project, call);
          if (call.algorithms.length === 0 && call.options.state !== 'unknown' && isVersionBelow(version, ...advisory.anyKeyBelow)) {
            context.report({ node: call.node, messageId: 'legacyAcceptsNone', data: { call: describeCall(call), version: version?.raw ?? '' } });
            continue;
          }
          if (noKey && call.algorithms.length === 0 && call.options.state !== 'unknown' && isVersionBelow(version, ...advisory.falsyKeyBelow)) {
            context.report({ node: key?.node ?? call.node.arguments?.[1] ?? call.node, messageId: 'falsyKeyLegacy', data: { call: describeCall(call), version: version?.raw ?? '' } });
          }
        }
      },
    };
  },
});
