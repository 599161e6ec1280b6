import { importJWK, type JWK } from 'jose';
import { formatMessage } from '../core/rule.js';
import type { Finding, Level, Range } from '../core/types.js';
import type { RuleDescriptor } from '../report/types.js';
import { parseLocatedJson, type LocatedValue } from './json-positions.js';

interface JwksCheck {
  id: string;
  description: string;
  level: Level;
  securitySeverity: number;
  cwe: number[];
  messages: Record<string, string>;
}

/** The checks of `authlint jwks check`, documented in docs/jwks.md. */
export const JWKS_CHECKS = [
  {
    id: 'jwks-no-private-key-material',
    description: 'Disallow private or symmetric key members in a published JWKS',
    level: 'error',
    securitySeverity: 9.8,
    cwe: [321, 200],
    messages: {
      privateMembers: "Key {{key}} ({{kty}}) publishes the private members {{members}}: anyone who reads the set can sign tokens. Remove them and rotate the key.",
      symmetricKey: "Key {{key}} is a symmetric key (kty 'oct') with its secret 'k' published: anyone who reads the set can sign tokens. Remove it and rotate the secret.",
    },
  },
  {
    id: 'jwks-no-weak-rsa-key',
    description: 'Disallow RSA keys shorter than 2048 bits',
    level: 'error',
    securitySeverity: 7.5,
    cwe: [326],
    messages: { weakRsa: 'Key {{key}} is an RSA key of {{bits}} bits, below the 2048-bit minimum. Replace it with a key of 2048 bits or more.' },
  },
  {
    id: 'jwks-require-standard-curve',
    description: 'Require EC keys on P-256, P-384 or P-521 and OKP keys on Ed25519 or Ed448',
    level: 'warning',
    securitySeverity: 5.3,
    cwe: [327],
    messages: { nonStandardCurve: "Key {{key}} ({{kty}}) uses the curve '{{crv}}', which is not one of {{allowed}}. Use one of those curves." },
  },
  {
    id: 'jwks-require-unique-kid',
    description: "Require every key to carry a 'kid' that no other key of the set uses",
    level: 'warning',
    securitySeverity: 4.3,
    cwe: [694],
    messages: {
      missingKid: "Key {{key}} has no 'kid': verifiers cannot pick it by the token's header and must try every key. Give every key a unique 'kid'.",
      duplicateKid: "Key {{key}} repeats the 'kid' '{{kid}}' of key #{{first}}: a verifier may pick either. Give every key a unique 'kid'.",
    },
  },
  {
    id: 'jwks-require-use-and-alg',
    description: "Require every key to declare 'use' and an 'alg' consistent with its key type",
    level: 'warning',
    securitySeverity: 5.3,
    cwe: [327],
    messages: {
      missingUseAlg: "Key {{key}} declares no {{members}}: a verifier has to guess how the key may be used. Declare 'use' and 'alg'.",
      algMismatch: "Key {{key}} declares alg '{{alg}}', which does not fit its key type ({{keyType}}). Declare the algorithm the key is used with.",
    },
  },
  {
    id: 'jwks-require-importable-key',
    description: 'Require every key to be importable as a JWK',
    level: 'error',
    securitySeverity: 5.3,
    cwe: [20],
    messages: { unimportable: 'Key {{key}} cannot be imported by jose: {{reason}}. Fix or remove the key.' },
  },
  {
    id: 'jwks-single-key',
    description: 'Require a JWKS to hold more than one key so that signing keys can rotate',
    level: 'note',
    securitySeverity: 2.0,
    cwe: [324],
    messages: {
      singleKey: 'The set holds a single key: a new key cannot be published ahead of its first use, so a rotation has a window in which tokens fail. Publish the next key before switching.',
      emptySet: 'The set holds no keys: no token can be verified against it.',
    },
  },
] as const satisfies readonly JwksCheck[];

export type JwksCheckId = (typeof JWKS_CHECKS)[number]['id'];

const RSA_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
const CURVES: Record<string, readonly string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['Ed25519', 'Ed448'] };
const EC_ALGORITHM_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

export const JWKS_DOC_URL = 'https://github.com/authlint/authlint/blob/main/docs/jwks.md';

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

/** The checks as rule descriptors for the reporters. */
export function describeJwksChecks(): RuleDescriptor[] {
  return JWKS_CHECKS.map((check) => ({
    id: check.id,
    name: pascalCase(check.id),
    description: check.description,
    helpUri: `${JWKS_DOC_URL}#${check.id}`,
    level: check.level,
    category: 'jwks',
    precision: 'very-high',
    securitySeverity: check.securitySeverity,
    cwe: check.cwe,
    scope: 'file',
  }));
}

/** Bits of a base64url big-endian unsigned integer, leading zero bits not counted. */
export function getModulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] as number));
}

/** Whether `alg` fits the key type (and the curve for EC); undefined when the algorithm is unknown to us. */
export function isAlgorithmForKey(alg: string, kty: unknown, crv: unknown): boolean {
  if (/^(RS|PS)(256|384|512)$/.test(alg) || /^RSA-OAEP(-256|-384|-512)?$/.test(alg) || alg === 'RSA1_5') return kty === 'RSA';
  if (alg in EC_ALGORITHM_CURVES) return kty === 'EC' && crv === EC_ALGORITHM_CURVES[alg];
  if (alg === 'ES256K') return kty === 'EC' && crv === 'secp256k1';
  if (alg === 'EdDSA') return kty === 'OKP' && (crv === 'Ed25519' || crv === 'Ed448');
  if (alg === 'Ed25519' || alg === 'Ed448') return kty === 'OKP' && crv === alg;
  if (/^ECDH-ES/.test(alg)) return kty === 'EC' || kty === 'OKP';
  if (/^HS(256|384|512)$/.test(alg) || /^A(128|192|256)(KW|GCMKW|GCM|CBC-HS\d+)$/.test(alg) || alg === 'dir') return kty === 'oct';
  return false;
}

/** The algorithm jose needs to import a key that declares none. */
function getDefaultAlgorithm(jwk: Record<string, unknown>): string | undefined {
  if (jwk['kty'] === 'RSA') return 'RS256';
  if (jwk['kty'] === 'EC') return Object.keys(EC_ALGORITHM_CURVES).find((alg) => EC_ALGORITHM_CURVES[alg] === jwk['crv']);
  if (jwk['kty'] === 'OKP') return 'EdDSA';
  if (jwk['kty'] === 'oct') return 'HS256';
  return undefined;
}

export interface JwksAuditResult {
  findings: Finding[];
  keyCount: number;
}

export class JwksInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksInputError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Audits the text of a JWKS (or of a single JWK) and returns findings positioned in that text.
 * `file` names the source in the findings: a path relative to the working directory or the URL.
 */
export async function auditJwks(text: string, file: string): Promise<JwksAuditResult> {
  let root: LocatedValue;
  try {
    root = parseLocatedJson(text);
  } catch (error) {
    throw new JwksInputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(root.value)) throw new JwksInputError(`${file} is not a JWKS: the document is not a JSON object`);
  const keysMember = root.members?.get('keys');
  let keys: LocatedValue[];
  if (keysMember) {
    if (!Array.isArray(keysMember.value.value)) throw new JwksInputError(`${file} is not a JWKS: 'keys' is not an array`);
    keys = keysMember.value.items ?? [];
  } else if (typeof root.value['kty'] === 'string') {
    keys = [root];
  } else {
    throw new JwksInputError(`${file} is not a JWKS: it has no 'keys' array and is not a JWK`);
  }

  const findings: Finding[] = [];
  const add = (check: JwksCheckId, messageId: string, range: Range, data: Record<string, string | number>): void => {
    const definition = JWKS_CHECKS.find((c) => c.id === check) as JwksCheck;
    const template = definition.messages[messageId] as string;
    findings.push({ ruleId: check, messageId, message: formatMessage(template, data), data, file, level: definition.level, start: range.start, end: range.end });
  };

  const firstByKid = new Map<string, number>();
  for (const [index, key] of keys.entries()) {
    const number = index + 1;
    const jwk = key.value;
    const at = (member: string): Range => key.members?.get(member)?.range ?? key.range;
    if (!isObject(jwk)) {
      add('jwks-require-importable-key', 'unimportable', key.range, { key: `#${number}`, reason: 'it is not a JSON object' });
      continue;
    }
    const kid = typeof jwk['kid'] === 'string' ? jwk['kid'] : undefined;
    const name = kid !== undefined ? `#${number} '${kid}'` : `#${number}`;
    const kty = typeof jwk['kty'] === 'string' ? jwk['kty'] : String(jwk['kty']);

    const privateMembers = (kty === 'RSA' ? RSA_PRIVATE_MEMBERS : ['d']).filter((m) => jwk[m] !== undefined);
    if (kty === 'oct' && jwk['k'] !== undefined) add('jwks-no-private-key-material', 'symmetricKey', at('k'), { key: name });
    else if (privateMembers.length > 0) {
      add('jwks-no-private-key-material', 'privateMembers', at(privateMembers[0] as string), { key: name, kty, members: privateMembers.map((m) => `'${m}'`).join(', ') });
    }

    if (kty === 'RSA' && typeof jwk['n'] === 'string') {
      const bits = getModulusBits(jwk['n']);
      if (bits < 2048) add('jwks-no-weak-rsa-key', 'weakRsa', at('n'), { key: name, bits });
    }

    const allowedCurves = CURVES[kty];
    if (allowedCurves && typeof jwk['crv'] === 'string' && !allowedCurves.includes(jwk['crv'])) {
      add('jwks-require-standard-curve', 'nonStandardCurve', at('crv'), { key: name, kty, crv: jwk['crv'], allowed: allowedCurves.join(', ') });
    }

    if (kid === undefined) add('jwks-require-unique-kid', 'missingKid', key.range, { key: name });
    else if (firstByKid.has(kid)) add('jwks-require-unique-kid', 'duplicateKid', at('kid'), { key: name, kid, first: firstByKid.get(kid) as number });
    else firstByKid.set(kid, number);

    const missing = ['use', 'alg'].filter((m) => jwk[m] === undefined);
    if (missing.length > 0 && !(missing.length === 1 && missing[0] === 'use' && jwk['key_ops'] !== undefined)) {
      add('jwks-require-use-and-alg', 'missingUseAlg', key.range, { key: name, members: missing.map((m) => `'${m}'`).join(' or ') });
    }
    const alg = typeof jwk['alg'] === 'string' ? jwk['alg'] : undefined;
    if (alg !== undefined && !isAlgorithmForKey(alg, jwk['kty'], jwk['crv'])) {
      const keyType = typeof jwk['crv'] === 'string' ? `${kty} ${jwk['crv']}` : kty;
      add('jwks-require-use-and-alg', 'algMismatch', at('alg'), { key: name, alg, keyType });
    }

    const importAlg = alg !== undefined && isAlgorithmForKey(alg, jwk['kty'], jwk['crv']) ? alg : getDefaultAlgorithm(jwk);
    if (importAlg === undefined) {
      add('jwks-require-importable-key', 'unimportable', key.range, { key: name, reason: `unsupported key type '${kty}'${typeof jwk['crv'] === 'string' ? ` or curve '${jwk['crv']}'` : ''}` });
    } else {
      try {
        await importJWK(jwk as JWK, importAlg);
      } catch (error) {
        add('jwks-require-importable-key', 'unimportable', key.range, { key: name, reason: (error as Error).message.replace(/\.$/, '') });
      }
    }
  }
  const setRange = keysMember?.range ?? root.range;
  if (keys.length === 0) add('jwks-single-key', 'emptySet', setRange, {});
  else if (keys.length === 1) add('jwks-single-key', 'singleKey', setRange, {});
  findings.sort((a, b) => a.start - b.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, keyCount: keys.length };
}
