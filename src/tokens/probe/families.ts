import type { Level } from '../../core/types.js';
import type { RuleDescriptor } from '../../report/types.js';

/** One attack family of `authlint probe`: its rule id, level and what the attack token is. */
export interface ProbeFamily {
  attack: AttackId;
  ruleId: string;
  description: string;
  level: Level;
  securitySeverity: number;
  cwe: number[];
  /** How the message names the token that got through. */
  label: string;
  /** Needs a correctly signed token: runs only with --signing-key. */
  needsSigningKey?: boolean;
}

export type AttackId =
  | 'missing-token'
  | 'none-algorithm'
  | 'forged-signature'
  | 'expired-token'
  | 'immature-token'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'unknown-kid'
  | 'embedded-jwk'
  | 'jku-header'
  | 'x5u-header'
  | 'algorithm-confusion';

export const PROBE_FAMILIES: readonly ProbeFamily[] = [
  { attack: 'missing-token', ruleId: 'probe-accepts-missing-token', description: 'Disallow an authenticated route answering a request without a token', level: 'error', securitySeverity: 9.1, cwe: [306], label: 'no token' },
  { attack: 'none-algorithm', ruleId: 'probe-accepts-none-algorithm', description: "Disallow accepting an unsigned token with alg 'none'", level: 'error', securitySeverity: 9.8, cwe: [347], label: "an unsigned token with alg 'none'" },
  { attack: 'forged-signature', ruleId: 'probe-accepts-forged-signature', description: 'Disallow accepting a token whose payload was changed after signing', level: 'error', securitySeverity: 9.8, cwe: [347], label: 'a token with a tampered payload and the original signature' },
  { attack: 'expired-token', ruleId: 'probe-accepts-expired-token', description: 'Disallow accepting a token whose exp has passed', level: 'error', securitySeverity: 6.5, cwe: [613], label: 'a token that expired an hour ago', needsSigningKey: true },
  { attack: 'immature-token', ruleId: 'probe-accepts-immature-token', description: 'Disallow accepting a token before its nbf', level: 'warning', securitySeverity: 4.3, cwe: [613], label: 'a token not valid for another hour (nbf)', needsSigningKey: true },
  { attack: 'wrong-issuer', ruleId: 'probe-accepts-wrong-issuer', description: 'Disallow accepting a token from another issuer', level: 'error', securitySeverity: 7.4, cwe: [287], label: 'a token with a foreign iss', needsSigningKey: true },
  { attack: 'wrong-audience', ruleId: 'probe-accepts-wrong-audience', description: 'Disallow accepting a token issued for another audience', level: 'error', securitySeverity: 7.4, cwe: [287], label: 'a token with a foreign aud', needsSigningKey: true },
  { attack: 'unknown-kid', ruleId: 'probe-accepts-unknown-kid', description: 'Disallow accepting a token whose kid names no known key', level: 'warning', securitySeverity: 3.7, cwe: [347], label: 'a token with an unknown kid', needsSigningKey: true },
  { attack: 'embedded-jwk', ruleId: 'probe-accepts-embedded-jwk', description: "Disallow trusting a key embedded in the token's jwk header", level: 'error', securitySeverity: 9.8, cwe: [347], label: "a token signed with an attacker key embedded in its 'jwk' header" },
  { attack: 'jku-header', ruleId: 'probe-accepts-jku-header', description: "Disallow trusting a key set named by the token's jku header", level: 'error', securitySeverity: 9.8, cwe: [347], label: "a token signed with an attacker key referenced by 'jku'" },
  { attack: 'x5u-header', ruleId: 'probe-accepts-x5u-header', description: "Disallow trusting a certificate named by the token's x5u header", level: 'error', securitySeverity: 9.8, cwe: [347], label: "a token signed with an attacker key referenced by 'x5u'" },
  { attack: 'algorithm-confusion', ruleId: 'probe-accepts-algorithm-confusion', description: 'Disallow accepting an HS256 token whose HMAC key is the public key', level: 'error', securitySeverity: 9.8, cwe: [327, 347], label: 'an HS256 token whose HMAC key is the public key' },
];

export const PROBE_DOC_URL = 'https://github.com/authlint/authlint/blob/main/docs/probe.md';

export function getFamily(attack: AttackId): ProbeFamily {
  return PROBE_FAMILIES.find((f) => f.attack === attack) as ProbeFamily;
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

export function describeProbeFamilies(): RuleDescriptor[] {
  return [...PROBE_FAMILIES]
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))
    .map((f) => ({
      id: f.ruleId,
      name: pascalCase(f.ruleId),
      description: f.description,
      helpUri: `${PROBE_DOC_URL}#${f.ruleId}`,
      level: f.level,
      category: 'probe',
      precision: 'high',
      securitySeverity: f.securitySeverity,
      cwe: f.cwe,
      scope: 'project',
    }));
}
