import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEAD_KEY_URL, parseSigningKey, planAttacks, toPublicPem } from '../../src/tokens/probe/attacks.js';
import { describeBodyShape, fillPath } from '../../src/tokens/probe/runner.js';

const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = toPublicPem(issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString());
const NOW = 1_800_000_000;

describe('planAttacks', () => {
  it('mints every family with the signing key and the public key, and skips nothing', async () => {
    const signing = parseSigningKey(issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, 'k1');
    const plan = await planAttacks({ signing, publicKeyPems: [PUBLIC_PEM], claims: { aud: 'api' } }, NOW);
    expect(plan.skipped).toEqual([]);
    expect(plan.control?.source).toBe('signing-key');
    const byAttack = new Map(plan.attacks.map((a) => [a.attack, a]));

    const control = await jwtVerify(plan.control?.token as string, issuer.publicKey, { currentDate: new Date(NOW * 1000) });
    expect(control.payload).toMatchObject({ sub: 'authlint-probe', aud: 'api', iat: NOW, exp: NOW + 600 });
    expect(control.protectedHeader).toEqual({ alg: 'RS256', kid: 'k1' });

    expect(decodeProtectedHeader(byAttack.get('none-algorithm')?.token as string)).toEqual({ alg: 'none', typ: 'JWT' });
    expect(byAttack.get('none-algorithm')?.token?.endsWith('.')).toBe(true);

    const forged = byAttack.get('forged-signature')?.token as string;
    expect(forged.split('.')[2]).toBe(plan.control?.token.split('.')[2]);
    expect(decodeJwt(forged)['authlint_probe_tampered']).toBe(true);
    await expect(compactVerify(forged, issuer.publicKey)).rejects.toThrow();

    expect(decodeJwt(byAttack.get('expired-token')?.token as string).exp).toBe(NOW - 3600);
    expect(decodeJwt(byAttack.get('immature-token')?.token as string).nbf).toBe(NOW + 3600);
    expect(decodeJwt(byAttack.get('wrong-audience')?.token as string).aud).not.toBe('api');
    expect(decodeProtectedHeader(byAttack.get('unknown-kid')?.token as string).kid).not.toBe('k1');

    const embedded = byAttack.get('embedded-jwk')?.token as string;
    const header = decodeProtectedHeader(embedded);
    expect(header.jwk?.kty).toBe('RSA');
    await expect(compactVerify(embedded, issuer.publicKey)).rejects.toThrow();
    expect(decodeProtectedHeader(byAttack.get('jku-header')?.token as string).jku).toBe(DEAD_KEY_URL);

    const confusion = plan.attacks.filter((a) => a.attack === 'algorithm-confusion');
    expect(confusion).toHaveLength(2);
    await jwtVerify(confusion[0]?.token as string, createSecretKey(Buffer.from(PUBLIC_PEM)));
    await jwtVerify(confusion[1]?.token as string, createSecretKey(Buffer.from(PUBLIC_PEM.replace(/\n$/, ''))));
  });

  it('without keys: skips the signed families and algorithm confusion, forges over a random-key signature', async () => {
    const plan = await planAttacks({ publicKeyPems: [], claims: {} }, NOW);
    expect(plan.control).toBeUndefined();
    expect(plan.skipped.map((s) => s.attack)).toEqual(['expired-token', 'immature-token', 'wrong-issuer', 'wrong-audience', 'unknown-kid', 'algorithm-confusion']);
    expect(plan.attacks.map((a) => a.attack)).toEqual(['missing-token', 'none-algorithm', 'forged-signature', 'embedded-jwk', 'jku-header', 'x5u-header']);
    expect(plan.attacks.find((a) => a.attack === 'forged-signature')?.note).toBe('signature made with a random key');
  });

  it('copies the claims of a supplied token but its time claims, and uses it as the control', async () => {
    const valid = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsImlzcyI6Imh0dHBzOi8vaWQiLCJhdWQiOiJhcGkiLCJlbWFpbCI6Im9wc0BleGFtcGxlLmNvbSJ9.c2ln';
    const plan = await planAttacks({ validToken: valid, publicKeyPems: [], claims: {} }, NOW);
    expect(plan.control).toEqual({ token: valid, source: 'token' });
    expect(decodeJwt(plan.attacks.find((a) => a.attack === 'none-algorithm')?.token as string)).toEqual({ sub: '42', iss: 'https://id', aud: 'api', email: 'ops@example.com', iat: NOW, exp: NOW + 600 });
  });

  it('reads an HMAC secret file without its final newline and a private JWK with its kid and alg', () => {
    const secret = parseSigningKey('s3cret\n', undefined, undefined);
    expect(secret.alg).toBe('HS256');
    expect(secret.key.export().toString()).toBe('s3cret');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = { ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-1' };
    expect(parseSigningKey(JSON.stringify(jwk), undefined, undefined)).toMatchObject({ alg: 'ES384', kid: 'ec-1' });
  });
});

describe('request shaping', () => {
  it('fills Express, Fastify and NestJS path parameters from --param or the placeholder, and refuses unresolved paths', () => {
    expect(fillPath('/api/orders/:orderId/items/:itemId(\\d+)', { itemId: '7' })).toEqual({ path: '/api/orders/1/items/7', placeholders: ['orderId'] });
    expect(fillPath('/files/*', {})).toEqual({ path: '/files/1', placeholders: ['*'] });
    expect(fillPath('/users/{id}', { id: 'a b' })).toEqual({ path: '/users/a%20b', placeholders: [] });
    expect(fillPath('/<unresolved>/me', {})).toBeUndefined();
  });

  it('describes JSON bodies by their key structure and other bodies by content type', () => {
    expect(describeBodyShape('application/json; charset=utf-8', '{"id":"1","owner":{"sub":"x"},"tags":["a"]}')).toBe('json {id:string,owner:{sub:string},tags:[string]}');
    expect(describeBodyShape('application/json', '{"owner":"y","id":"2"}')).toBe(describeBodyShape('application/json', '{"id":"9","owner":"z"}'));
    expect(describeBodyShape('text/html', '<p>')).toBe('text/html');
    expect(describeBodyShape('', '')).toBe('empty');
  });
});
