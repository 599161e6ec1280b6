import { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import {
  describeCall,
  isReportedFile,
  enclosingFunction,
  getJwtCalls,
  getModuleConfigurations,
  lookupOption,
  type JwtCall,
  type OptionLookup,
} from '../src/facts/jwt.js';
import { findAll } from '../src/core/walk.js';
import { getPurposeSecret } from '../src/facts/jwt-purpose.js';
import { getClockCheckedClaim } from '../src/facts/jwt-expiry.js';
import { getAlternatives, getStringAlternatives, type Value } from '../src/facts/values.js';
import type { AnalysisProject } from '../src/core/project.js';
import type { TokenContract } from '../src/core/types.js';

export type Options = { maxClockToleranceSeconds: number };
export type MessageId =
  | 'missingClaims'
  | 'ignoreExpiration'
  | 'clockTolerance'
  | 'signatureOnly'
  | 'claimNotRequired'
  | 'issuerMismatch'
  | 'audienceMismatch'
  | 'noExpiry'
  | 'ignoredOption';

type Claim = 'issuer' | 'audience';
const CLAIM_NAMES: Record<Claim, string> = { issuer: 'iss', audience: 'aud' };

/** A claim option of the call, else of the module configuration a service or decorator call inherits. */
function effective(project: AnalysisProject, call: JwtCall, pick: (c: NonNullable<JwtCall['claims']>) => OptionLookup): OptionLookup {
  const own = call.claims ? pick(call.claims) : ({ state: 'absent' } as const);
  if (own.state !== 'absent' || !call.api.inheritsConfiguration) return own;
  const modules = getModuleConfigurations(project, call).filter((m) => m.claims);
  if (modules.length === 0) return { state: 'unknown' };
  for (const m of modules) {
    const found = pick(m.claims!);
    if (found.state !== 'absent') return found;
  }
  return { state: 'absent' };
}

function isChecked(call: JwtCall, found: OptionLookup, claim: Claim): boolean {
  if (call.claims?.manual[claim]) return true;
  const semantics = call.api.claims?.semantics;
  if (call.api.claims?.implicit?.includes(claim)) return true;
  if (semantics === 'required-unless-false') return !(found.state === 'present' && found.value.kind === 'boolean' && !found.value.value);
  if (found.state === 'unknown') return true;
  if (found.state === 'absent') return false;
  return getAlternatives(found.value).some((v) => v.kind !== 'null' && v.kind !== 'undefined' && !(v.kind === 'boolean' && !v.value));
}

function toSeconds(value: Value, unit: 's' | 'ms'): number | undefined {
  if (value.kind === 'number') return unit === 'ms' ? value.value / 1000 : value.value;
  if (value.kind !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?\s*$/i.exec(value.value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const u = (match[2] ?? (unit === 'ms' ? 'ms' : 's')).toLowerCase();
  if (u === 'ms') return amount / 1000;
  if (u.startsWith('s')) return amount;
  if (u.startsWith('m')) return amount * 60;
  if (u.startsWith('h')) return amount * 3600;
  return amount * 86400;
}

/** A signing call mints tokens without `exp`: neither its options, its payload nor the module configuration set one. */
function signsWithoutExpiry(project: AnalysisProject, call: JwtCall): boolean {
  if (call.expiry !== 'missing') return false;
  const fromModule = call.api.expiry?.moduleOptions;
  if (!fromModule || !call.api.inheritsConfiguration) return true;
  const modules = getModuleConfigurations(project, call);
  if (modules.length === 0) return false;
  return modules.every((m) => fromModule.every((path) => lookupOption(m.options, path, m.file).state === 'absent'));
}

const IGNORED_EFFECT: Record<string, string> = {
  expiry: 'tokens it signs never expire',
  issuer: 'the issuer is never set or checked',
  audience: 'the audience is never set or checked',
  maxAge: 'token age is never limited',
};

function requiredClaims(found: OptionLookup): Set<string> | undefined {
  if (found.state === 'absent') return new Set();
  if (found.state === 'unknown' || found.value.kind !== 'array' || !found.value.complete) return undefined;
  return new Set(found.value.items.flatMap(getStringAlternatives));
}

/** jose `compactVerify` on a JWT: the payload is JSON-parsed or the input is named like a token. */
function looksLikeJwt(call: JwtCall): boolean {
  const text = call.token?.getText(call.file.sourceFile) ?? '';
  if (/tok|jwt|bearer|auth/i.test(text)) return true;
  const scope = enclosingFunction(call.node);
  return scope?.body !== undefined && findAll(scope.body, ts.isCallExpression).some((c) => c.expression.getText(call.file.sourceFile) === 'JSON.parse');
}

function contradicts(value: Value, allowed: readonly string[]): string | undefined {
  const alternatives = getAlternatives(value).flatMap((v) => (v.kind === 'array' ? v.items.flatMap(getAlternatives) : [v]));
  if (alternatives.length === 0 || alternatives.some((v) => v.kind !== 'string')) return undefined;
  const strings = alternatives.map((v) => (v.kind === 'string' ? v.value : ''));
  return strings.some((s) => allowed.includes(s)) ? undefined : strings.join("', '");
}

function contractList(contract: TokenContract | undefined, claim: Claim): string[] {
  if (!contract) return [];
  if (claim === 'audience') return contract.audiences ?? [];
  return contract.issuer === undefined ? [] : Array.isArray(contract.issuer) ? contract.issuer : [contract.issuer];
}

export default defineRule<Options, MessageId>({
  id: 'jwt-require-claim-checks',
  meta: {
    description: 'Require JWT verification to check issuer, audience and expiry',
    category: 'jwt',
    level: 'warning',
    precision: 'high',
    securitySeverity: 6.5,
    cwe: [345, 613],
    scope: 'file',
    recommended: true,
  },
  messages: {
    missingClaims: '{{call}} checks no {{claims}}, so tokens issued for other services or by other issuers are accepted. Pass {{options}}.',
    ignoreExpiration: '{{call}} disables the expiry check ({{option}}), so stolen tokens never expire. Remove it.',
    clockTolerance: '{{call}} allows {{seconds}} seconds of clock skew, which keeps expired tokens valid; keep it at 5 minutes or less.',
    signatureOnly: '{{call}} checks only the signature of a JWT: expiry, issuer and audience are not validated. Use jwtVerify with issuer and audience.',
    claimNotRequired:
      "{{call}} sets '{{option}}' but a token without the '{{claim}}' claim still passes; add '{{claim}}' to requiredClaims.",
    issuerMismatch: "{{call}} accepts issuer '{{value}}', which the token contract does not list ({{expected}}).",
    audienceMismatch: "{{call}} accepts audience '{{value}}', which the token contract does not list ({{expected}}).",
    noExpiry: "{{call}} signs tokens without an expiry ({{where}}), so a leaked token stays valid forever. Set {{fix}}.",
    ignoredOption: "{{call}} ignores the top-level option '{{option}}', so {{effect}}. Move it to {{belongs}}.",
  },
  schema: {
    type: 'object',
    properties: { maxClockToleranceSeconds: { type: 'number', minimum: 0, description: 'Largest clock tolerance accepted, in seconds.' } },
    additionalProperties: false,
  },
  defaultOptions: { maxClockToleranceSeconds: 300 },
  create(context, options) {
    const contract = context.settings.tokenContract;
    return {
      'SourceFile:exit'(file) {
        if (!isReportedFile(context.settings, file)) return;
        for (const call of getJwtCalls(context.project, file)) {
          if (call.viaFactory || call.viaDecorator) continue;
          // A custom claim the service compares with the clock where it reads the token (outline's `expiresAt`) is its expiry.
          if (call.operation === 'sign' && signsWithoutExpiry(context.project, call) && !getClockCheckedClaim(context.project, call)) {
            const spec = call.api.expiry!;
            const fix = spec.chainMethod ? `.${spec.chainMethod}(…)` : `'expiresIn'`;
            const where = spec.moduleOptions ? `no 'expiresIn' here or in the module signOptions, no 'exp' in the payload` : spec.payloadArg !== undefined || spec.payloadFromChainRoot ? `no ${fix}, no 'exp' in the payload` : `no ${fix}`;
            context.report({ node: call.node, messageId: 'noExpiry', data: { call: describeCall(call), where, fix } });
          }
          for (const ignored of call.api.ignoredOptions ?? []) {
            const found = lookupOption(call.options, [ignored.name], file);
            if (found.state !== 'present' || found.node.getSourceFile() !== file.sourceFile) continue;
            const node = ts.isPropertyAssignment(found.node.parent) || ts.isShorthandPropertyAssignment(found.node.parent) ? found.node.parent : found.node;
            context.report({
              node,
              messageId: 'ignoredOption',
              data: { call: describeCall(call), option: ignored.name, effect: IGNORED_EFFECT[ignored.effect] ?? '', belongs: ignored.belongs },
            });
          }
          if (!call.verifies) continue;
          const data = { call: describeCall(call) };
          if (call.api.signatureOnly) {
            if (looksLikeJwt(call)) context.report({ node: call.node, messageId: 'signatureOnly', data });
            continue;
          }
          const spec = call.api.claims;
          if (!call.claims || !spec) continue;
          const ignore = call.claims.ignoreExpiration;
          if (ignore.state === 'present' && ignore.value.kind === 'boolean' && ignore.value.value) {
            context.report({ node: ignore.node, messageId: 'ignoreExpiration', data: { ...data, option: `${spec.ignoreExpiration?.join('.')}: true` } });
          }
          const expiry = call.claims.expiryEnabled;
          if (expiry.state === 'present' && expiry.value.kind === 'boolean' && !expiry.value.value) {
            context.report({ node: expiry.node, messageId: 'ignoreExpiration', data: { ...data, option: `${spec.expiryEnabled?.join('.')}: false` } });
          }
          const tolerance = call.claims.clockTolerance;
          const seconds = tolerance.state === 'present' && spec.clockTolerance ? toSeconds(tolerance.value, spec.clockTolerance.unit) : undefined;
          if (tolerance.state === 'present' && seconds !== undefined && seconds > options.maxClockToleranceSeconds) {
            context.report({ node: tolerance.node, messageId: 'clockTolerance', data: { ...data, seconds } });
          }
          if (spec.payloadAgnostic) continue;
          // A module configuration that may only sign is judged at the calls that verify with it.
          const judgeMissing = !(call.operation === 'configure' && spec.judgedAtVerifyCalls);
          const missing: Claim[] = [];
          const required = requiredClaims(call.claims.requiredClaims);
          for (const claim of ['issuer', 'audience'] as const) {
            const found = effective(context.project, call, (c) => c[claim]);
            if (judgeMissing && !isChecked(call, found, claim)) missing.push(claim);
            if (found.state !== 'present') continue;
            if (spec.semantics === 'checked-if-present' && required && !required.has(CLAIM_NAMES[claim]) && found.node.getSourceFile() === file.sourceFile) {
              const option = spec[claim]?.[0]?.join('.') ?? claim;
              context.report({ node: found.node, messageId: 'claimNotRequired', data: { ...data, option, claim: CLAIM_NAMES[claim] } });
            }
            const expected = contractList(contract, claim);
            const value = expected.length > 0 ? contradicts(found.value, expected) : undefined;
            if (value !== undefined && found.node.getSourceFile() === file.sourceFile) {
              context.report({ node: found.node, messageId: claim === 'issuer' ? 'issuerMismatch' : 'audienceMismatch', data: { ...data, value, expected: expected.join(', ') } });
            }
          }
          if (missing.length === 0) continue;
          // A single-purpose token (email confirmation, password reset) that this service alone signs and verifies with
          // a secret of its own: no other issuer or service holds the secret, so none of their tokens verifies here.
          if (getPurposeSecret(context.project, call)) continue;
          const names = missing.map((claim) => spec[claim]?.[0]?.join('.') ?? claim);
          context.report({
            node: call.node,
            messageId: 'missingClaims',
            data: { ...data, claims: missing.join(' or '), options: names.map((n) => `'${n}'`).join(' and ') },
          });
        }
      },
    };
  },
});
