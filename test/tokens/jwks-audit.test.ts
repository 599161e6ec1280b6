import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { auditJwks, getModulusBits, isAlgorithmForKey, JwksInputError } from '../../src/tokens/jwks-audit.js';

async function publicJwk(type: 'rsa' | 'ec' | 'ed25519', extra: Record<string, unknown> = {}, modulusLength = 2048, namedCurve = 'P-256'): Promise<JWK> {
  const { publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve })
        : generateKeyPairSync('ed25519');
  return { ...(await exportJWK(publicKey)), ...extra };
}

async function privateJwk(type: 'rsa' | 'ec', extra: Record<string, unknown> = {}): Promise<JWK> {
  const { privateKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(await exportJWK(privateKey)), ...extra };
}

const RSA_2048 = await publicJwk('rsa', { kid: 'rsa-2025', use: 'sig', alg: 'RS256' });
const EC_P256 = await publicJwk('ec', { kid: 'ec-2025', use: 'sig', alg: 'ES256' });

function setText(keys: unknown[]): string {
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

async function audit(keys: unknown[]) {
  const text = setText(keys);
  const result = await auditJwks(text, 'jwks.json');
  return result.findings.map((f) => ({ ruleId: f.ruleId, messageId: f.messageId, data: f.data, at: text.slice(f.start, f.start + 6) }));
}

describe('auditJwks', () => {
  it('accepts a rotated set of well-formed public signing keys', async () => {
    expect(await audit([RSA_2048, EC_P256, await publicJwk('ed25519', { kid: 'ed-2025', use: 'sig', alg: 'EdDSA' })])).toEqual([]);
  });

  it('reports the private RSA members that a private key export publishes, at the first one', async () => {
    const findings = await audit([await privateJwk('rsa', { kid: 'leaked', use: 'sig', alg: 'RS256' }), EC_P256]);
    expect(findings).toEqual([
      {
        ruleId: 'jwks-no-private-key-material',
        messageId: 'privateMembers',
        data: { key: "#1 'leaked'", kty: 'RSA', members: "'d', 'p', 'q', 'dp', 'dq', 'qi'" },
        at: '"d": "',
      },
    ]);
  });

  it("reports an EC private key's d and a symmetric key's k", async () => {
    const findings = await audit([
      await privateJwk('ec', { kid: 'ec-leaked', use: 'sig', alg: 'ES256' }),
      { kty: 'oct', kid: 'hmac', use: 'sig', alg: 'HS256', k: randomBytes(32).toString('base64url') },
    ]);
    expect(findings.map((f) => [f.ruleId, f.messageId, f.data['key']])).toEqual([
      ['jwks-no-private-key-material', 'privateMembers', "#1 'ec-leaked'"],
      ['jwks-no-private-key-material', 'symmetricKey', "#2 'hmac'"],
    ]);
  });

  it('reports RSA keys under 2048 bits with their size', async () => {
    const weak = await publicJwk('rsa', { kid: 'old', use: 'sig', alg: 'RS256' }, 1024);
    const findings = await audit([weak, RSA_2048]);
    expect(findings).toEqual([{ ruleId: 'jwks-no-weak-rsa-key', messageId: 'weakRsa', data: { key: "#1 'old'", bits: 1024 }, at: '"n": "' }]);
  });

  it('reports EC curves outside the NIST set and OKP curves that are not signature curves', async () => {
    const k256 = await publicJwk('ec', { kid: 'k1', use: 'sig', alg: 'ES256K' }, 0, 'secp256k1');
    const findings = await audit([k256, { kty: 'OKP', crv: 'X25519', kid: 'x', use: 'enc', alg: 'ECDH-ES', x: randomBytes(32).toString('base64url') }]);
    expect(findings.filter((f) => f.ruleId === 'jwks-require-standard-curve').map((f) => f.data['crv'])).toEqual(['secp256k1', 'X25519']);
  });

  it('reports a missing kid and a kid used twice', async () => {
    const noKid = await publicJwk('ec', { use: 'sig', alg: 'ES256' });
    const again = { ...RSA_2048 };
    const findings = await audit([RSA_2048, noKid, again]);
    expect(findings).toEqual([
      { ruleId: 'jwks-require-unique-kid', messageId: 'missingKid', data: { key: '#2' }, at: '{\n    ' },
      { ruleId: 'jwks-require-unique-kid', messageId: 'duplicateKid', data: { key: "#3 'rsa-2025'", kid: 'rsa-2025', first: 1 }, at: '"kid":' },
    ]);
  });

  it("reports missing use/alg and an alg that does not fit the key, but accepts key_ops instead of use", async () => {
    const { use: _use, alg: _alg, ...bare } = { ...RSA_2048, kid: 'bare' };
    const wrongCurve = await publicJwk('ec', { kid: 'p256-as-es384', use: 'sig', alg: 'ES384' });
    const hmacOnRsa = { ...RSA_2048, kid: 'confused', alg: 'HS256' };
    const withOps = await publicJwk('ec', { kid: 'ops', key_ops: ['verify'], alg: 'ES256' });
    const findings = await audit([bare, wrongCurve, hmacOnRsa, withOps]);
    expect(findings.map((f) => [f.messageId, f.data['key'], f.data['members'] ?? f.data['alg']])).toEqual([
      ['missingUseAlg', "#1 'bare'", "'use' or 'alg'"],
      ['algMismatch', "#2 'p256-as-es384'", 'ES384'],
      ['algMismatch', "#3 'confused'", 'HS256'],
    ]);
  });

  it('reports keys jose cannot import', async () => {
    const truncated = { ...EC_P256, kid: 'broken', x: 'AAAA' };
    const findings = await audit([truncated, RSA_2048, { kty: 'XYZ', kid: 'alien', use: 'sig', alg: 'RS256' }]);
    const unimportable = findings.filter((f) => f.ruleId === 'jwks-require-importable-key');
    expect(unimportable.map((f) => f.data['key'])).toEqual(["#1 'broken'", "#3 'alien'"]);
    expect(unimportable[1]?.data['reason']).toBe("unsupported key type 'XYZ'");
  });

  it('notes a set of one key and an empty set', async () => {
    expect(await audit([RSA_2048])).toEqual([{ ruleId: 'jwks-single-key', messageId: 'singleKey', data: {}, at: '"keys"' }]);
    expect((await audit([])).map((f) => f.messageId)).toEqual(['emptySet']);
  });

  it('takes a single JWK as a set of one and refuses documents that are not a JWKS', async () => {
    const single = await auditJwks(JSON.stringify(RSA_2048), 'key.json');
    expect(single.keyCount).toBe(1);
    await expect(auditJwks('{"keys": {}}', 'x.json')).rejects.toThrow(JwksInputError);
    await expect(auditJwks('[1, 2]', 'x.json')).rejects.toThrow("x.json is not a JWKS: the document is not a JSON object");
    await expect(auditJwks('{"keys": [', 'x.json')).rejects.toThrow(/x\.json is not JSON/);
  });
});

describe('key facts', () => {
  it('counts modulus bits without leading zero bits', () => {
    expect(getModulusBits(Buffer.from([0x00, 0x80, 0x00]).toString('base64url'))).toBe(16);
    expect(getModulusBits(Buffer.from([0x01, 0xff]).toString('base64url'))).toBe(9);
    expect(getModulusBits('')).toBe(0);
  });

  it('matches algorithms to key types and curves', () => {
    expect(isAlgorithmForKey('PS512', 'RSA', undefined)).toBe(true);
    expect(isAlgorithmForKey('ES512', 'EC', 'P-521')).toBe(true);
    expect(isAlgorithmForKey('ES512', 'EC', 'P-384')).toBe(false);
    expect(isAlgorithmForKey('EdDSA', 'OKP', 'X25519')).toBe(false);
    expect(isAlgorithmForKey('none', 'RSA', undefined)).toBe(false);
  });
});
