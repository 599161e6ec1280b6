import { defineRule } from '../src/core/rule.js';
import { ALGORITHM_ADVISORIES } from '../src/models/jwt/advisories.js';
import { acceptsNoneWithoutAllowlist } from '../src/facts/jwt-none.js';
import { describeCall, isReportedFile, getJwtCalls, getPackageVersion, isVersionBelow, lookupOption, type JwtCall } from '../src/facts/jwt.js';

export type Options = Record<string, never>;
export type MessageId =
  | 'inferredFromKey'
  | 'vulnerableVersion'
  | 'algorithmFromToken'
  | 'headerChoosesAlgorithm'
  | 'nestedAlgorithmsIgnored'
  | 'legacyVerifyArity';

interface Problem {
  messageId: MessageId;
  data: Record<string, string>;
}

function checkCall(call: JwtCall, version: ReturnType<typeof getPackageVersion>): Problem | undefined {
  const data = { call: describeCall(call), option: 'algorithms' };
  const fromToken = call.algorithms.find((a) => a.fromToken);
  if (fromToken) return { messageId: 'algorithmFromToken', data };
  if (call.algorithms.length > 0) return undefined;
  if (call.options.state === 'unknown' && call.api.optionsArg !== undefined) return undefined;
  const mode = call.api.whenAlgorithmsOmitted;
  const vulnerable = ALGORITHM_ADVISORIES[call.library];
  const legacy = vulnerable && isVersionBelow(version, vulnerable.major, vulnerable.minor, vulnerable.patch);
  const legacyData = { ...data, package: call.library, version: version?.raw ?? '', advisory: vulnerable?.advisory ?? '' };
  const legacyBelow = call.api.legacyBelowMajor;
  if (mode === 'token' && legacyBelow !== undefined) {
    // A call form of an older major (jws < 3 `verify(token, key)`); from that major on it throws instead of verifying.
    if (version && !isVersionBelow(version, legacyBelow)) return undefined;
    const release = version ? `${call.library} ${version.raw}` : `${call.library} before ${legacyBelow}.0.0`;
    return { messageId: 'legacyVerifyArity', data: { ...data, version: release, package: call.library, major: String(legacyBelow) } };
  }
  if (mode === 'token') {
    if (call.keys.some((k) => k.literals.some((l) => l.form === 'pem-public' && /BEGIN( RSA)? PUBLIC KEY/.test(l.text)))) return undefined;
    return { messageId: 'headerChoosesAlgorithm', data: { ...data, option: 'algorithm (4th argument)' } };
  }
  if (mode === 'key-type') {
    const ignored = call.api.ignoredAlgorithmOptions?.find((path) => lookupOption(call.options, path, call.file).state === 'present');
    if (ignored) return { messageId: 'nestedAlgorithmsIgnored', data: { ...data, ignored: ignored.join('.') } };
    return legacy ? { messageId: 'vulnerableVersion', data: legacyData } : { messageId: 'inferredFromKey', data };
  }
  if (mode === 'key-bound') {
    return call.keys.some((k) => k.kind === 'secret') ? { messageId: 'inferredFromKey', data } : undefined;
  }
  if (mode === 'required' && legacy) return { messageId: 'vulnerableVersion', data: legacyData };
  return undefined;
}

export default defineRule<Options, MessageId>({
  id: 'jwt-require-algorithm-allowlist',
  meta: {
    description: 'Require JWT verification to pin the accepted algorithms instead of taking them from the token or the key',
    category: 'jwt',
    level: 'warning',
    precision: 'high',
    securitySeverity: 7.4,
    cwe: [757],
    scope: 'file',
    recommended: true,
  },
  messages: {
    inferredFromKey: "{{call}} accepts any algorithm the key allows; pin '{{option}}'.",
    vulnerableVersion:
      "{{call}} pins no '{{option}}' and {{package}} {{version}} lets the token choose the algorithm ({{advisory}}). Pin '{{option}}' and upgrade the library.",
    algorithmFromToken: "{{call}} takes the algorithm from the token's own header, so the token chooses how it is checked; pass a fixed algorithm.",
    headerChoosesAlgorithm: "{{call}} is called without an {{option}}, so the token header chooses the algorithm; pass the expected algorithm.",
    legacyVerifyArity:
      "{{call}} is called with the token and the key only; {{version}} then takes the algorithm from the token header, so a token signed with HS256 using the public key as the secret passes. Upgrade {{package}} to {{major}} or later and pass the expected algorithm as the second argument.",
    nestedAlgorithmsIgnored:
      "{{call}} ignores '{{ignored}}', so no allowlist applies; move 'algorithms' to the top-level options.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      'SourceFile:exit'(file) {
        if (!isReportedFile(context.settings, file)) return;
        for (const call of getJwtCalls(context.project, file)) {
          if (!call.verifies || call.viaFactory || call.viaDecorator) continue;
          // jwt-no-none-algorithm already reports the missing allowlist as the reason the call accepts unsigned tokens.
          if (acceptsNoneWithoutAllowlist(context.project, call)) continue;
          const problem = checkCall(call, getPackageVersion(context.project, call));
          if (!problem) continue;
          const fromToken = call.algorithms.find((a) => a.fromToken);
          context.report({ node: fromToken?.node ?? call.node, messageId: problem.messageId, data: problem.data });
        }
      },
    };
  },
});
