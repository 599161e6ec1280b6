/** JWS algorithm names by family (RFC 7518 §3.1). */
export const SYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set(['HS256', 'HS384', 'HS512']);
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448',
]);
export const NONE_ALGORITHM = 'none';

export function isSymmetricAlgorithm(alg: string): boolean {
  return SYMMETRIC_ALGORITHMS.has(alg.toUpperCase());
}

export function isNoneAlgorithm(alg: string): boolean {
  return alg.toLowerCase() === NONE_ALGORITHM;
}

export function isAsymmetricAlgorithm(alg: string): boolean {
  return ASYMMETRIC_ALGORITHMS.has(alg) || ASYMMETRIC_ALGORITHMS.has(alg.toUpperCase());
}
