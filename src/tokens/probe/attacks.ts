import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, SignJWT, type JWTPayload } from 'jose';
import { getFamily, PROBE_FAMILIES, type AttackId } from './families.js';

/** The test environment's signing key, as given with --signing-key. */
export interface SigningKey {
  key: KeyObject;
  alg: string;
  kid?: string;
}

export interface ProbeKeys {
  /** A valid token a tester supplied (--token). */
  validToken?: string;
  signing?: SigningKey;
  /** Public keys as SPKI PEM (--public-key, --jwks), the HMAC keys of algorithm confusion. */
  publicKeyPems: string[];
  /** Claims added to every minted token (--claim). */
  claims: Record<string, string>;
}

export interface AttackRequest {
  attack: AttackId;
  /** Undefined: the request carries no Authorization header. */
  token?: string;
  /** What the report says about the token: its header and claims, never a key. */
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  note?: string;
}

export interface AttackPlan {
  /** A token the service should accept: the supplied one, else one minted with the signing key. */
  control?: { token: string; source: 'token' | 'signing-key' };
  attacks: AttackRequest[];
  skipped: Array<{ attack: AttackId; reason: string }>;
}

/** Where jku and x5u point: the discard port of the loopback address, which serves nothing. */
export const DEAD_KEY_URL = 'http://127.0.0.1:9/authlint-probe/jwks.json';
const FOREIGN_ISSUER = 'https://issuer.authlint-probe.invalid/';
const FOREIGN_AUDIENCE = 'authlint-probe-foreign-audience';
const UNKNOWN_KID = 'authlint-probe-unknown-kid';
const TAMPER_CLAIM = 'authlint_probe_tampered';
const MAX_CONFUSION_KEYS = 3;
const TIME_CLAIMS: ReadonlySet<string> = new Set(['exp', 'nbf', 'iat', 'jti']);

/** Reads a signing key: a PEM private key, a private JWK, or any other text as an HMAC secret (one trailing newline dropped). */
export function parseSigningKey(text: string, alg: string | undefined, kid: string | undefined): SigningKey {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) key = createPrivateKey(trimmed);
  else if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as Record<string, unknown>;
    key = jwk['kty'] === 'oct' ? createSecretKey(Buffer.from(String(jwk['k']), 'base64url')) : createPrivateKey({ key: jwk as never, format: 'jwk' });
    kid ??= typeof jwk['kid'] === 'string' ? jwk['kid'] : undefined;
    alg ??= typeof jwk['alg'] === 'string' ? jwk['alg'] : undefined;
  } else key = createSecretKey(Buffer.from(text.replace(/\r?\n$/, ''), 'utf8'));
  return { key, alg: alg ?? defaultAlgorithm(key), ...(kid !== undefined ? { kid } : {}) };
}

function defaultAlgorithm(key: KeyObject): string {
  if (key.type === 'secret') return 'HS256';
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256';
}

/** A public key in SPKI PEM form from PEM text (public key, certificate or private key). */
export function toPublicPem(text: string): string {
  return createPublicKey(text.trim()).export({ type: 'spki', format: 'pem' }).toString();
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function baseClaims(keys: ProbeKeys): JWTPayload {
  const from = keys.validToken ? safeDecode(keys.validToken) : undefined;
  const claims: JWTPayload = from ? {} : { sub: 'authlint-probe' };
  // The service may look the caller up by any claim (sub, id, email): keep them all but the time claims.
  for (const [name, value] of Object.entries(from ?? {})) if (!TIME_CLAIMS.has(name)) claims[name] = value;
  return { ...claims, ...keys.claims };
}

function safeDecode(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

async function sign(claims: JWTPayload, header: Record<string, unknown> & { alg: string }, key: KeyObject | Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** Mints every attack token once per run; attacks that need keys the tester did not give are listed as skipped. */
export async function planAttacks(keys: ProbeKeys, now = Math.floor(Date.now() / 1000)): Promise<AttackPlan> {
  const claims = { ...baseClaims(keys), iat: now, exp: now + 600 };
  const attacks: AttackRequest[] = [];
  const skipped: AttackPlan['skipped'] = [];
  const signing = keys.signing;

  attacks.push({ attack: 'missing-token', header: {}, claims: {} });
  const noneHeader = { alg: 'none', typ: 'JWT' };
  attacks.push({ attack: 'none-algorithm', token: `${encodeSegment(noneHeader)}.${encodeSegment(claims)}.`, header: noneHeader, claims });

  let control: AttackPlan['control'];
  if (keys.validToken) control = { token: keys.validToken, source: 'token' };
  else if (signing) control = { token: await sign(claims, { alg: signing.alg, ...(signing.kid ? { kid: signing.kid } : {}) }, signing.key), source: 'signing-key' };

  const original = control?.token ?? (await sign(claims, { alg: 'HS256', typ: 'JWT' }, randomBytes(32)));
  const [headerSegment, payloadSegment, signature] = original.split('.');
  const tampered = { ...(safeDecode(original) ?? {}), [TAMPER_CLAIM]: true };
  attacks.push({
    attack: 'forged-signature',
    token: `${headerSegment}.${encodeSegment(tampered)}.${signature}`,
    header: decodeProtectedHeader(original) as Record<string, unknown>,
    claims: tampered,
    note: control ? `signature of the ${control.source === 'token' ? 'supplied' : 'minted'} token` : 'signature made with a random key',
  });
  void payloadSegment;

  if (signing) {
    const header = { alg: signing.alg, ...(signing.kid ? { kid: signing.kid } : {}) };
    const variants: Array<[AttackId, JWTPayload, Record<string, unknown>]> = [
      ['expired-token', { ...claims, iat: now - 7200, exp: now - 3600 }, header],
      ['immature-token', { ...claims, nbf: now + 3600 }, header],
      ['wrong-issuer', { ...claims, iss: FOREIGN_ISSUER }, header],
      ['wrong-audience', { ...claims, aud: FOREIGN_AUDIENCE }, header],
      ['unknown-kid', claims, { ...header, kid: UNKNOWN_KID }],
    ];
    for (const [attack, body, h] of variants) {
      attacks.push({ attack, token: await sign(body, h as typeof header, signing.key), header: h, claims: body });
    }
  } else {
    for (const family of PROBE_FAMILIES) {
      if (family.needsSigningKey) skipped.push({ attack: family.attack, reason: 'needs the test environment signing key (--signing-key)' });
    }
  }

  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const attackerJwk = await exportJWK(attacker.publicKey);
  const headers: Array<[AttackId, Record<string, unknown> & { alg: string }]> = [
    ['embedded-jwk', { alg: 'RS256', typ: 'JWT', jwk: attackerJwk }],
    ['jku-header', { alg: 'RS256', typ: 'JWT', kid: 'authlint-probe', jku: DEAD_KEY_URL }],
    ['x5u-header', { alg: 'RS256', typ: 'JWT', x5u: DEAD_KEY_URL.replace('jwks.json', 'cert.pem') }],
  ];
  for (const [attack, header] of headers) {
    attacks.push({ attack, token: await sign(claims, header, attacker.privateKey), header: attack === 'embedded-jwk' ? { ...header, jwk: '{attacker public key}' } : header, claims });
  }

  if (keys.publicKeyPems.length === 0) {
    skipped.push({ attack: 'algorithm-confusion', reason: 'needs the public key (--public-key or --jwks)' });
  } else {
    for (const [index, pem] of keys.publicKeyPems.slice(0, MAX_CONFUSION_KEYS).entries()) {
      const forms = [pem, pem.replace(/\n$/, '')];
      for (const form of forms) {
        const header = { alg: 'HS256', typ: 'JWT' };
        attacks.push({
          attack: 'algorithm-confusion',
          token: await sign(claims, header, Buffer.from(form)),
          header,
          claims,
          note: `public key #${index + 1} as PEM ${form.endsWith('\n') ? 'with' : 'without'} its final newline`,
        });
      }
    }
  }
  attacks.sort((a, b) => PROBE_FAMILIES.indexOf(getFamily(a.attack)) - PROBE_FAMILIES.indexOf(getFamily(b.attack)));
  return { ...(control ? { control } : {}), attacks, skipped };
}
