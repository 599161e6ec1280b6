import { JWT_PACKAGES } from './jwt/index.js';

/**
 * JWT libraries that validate or issue tokens but have no API model in `src/models/jwt` yet: enough to say that a file
 * uses one directly (jwt-use-shared-library), not to read its calls.
 */
export const UNMODELLED_JWT_PACKAGES: readonly string[] = [
  'aws-jwt-verify',
  'njwt',
  'node-jose',
  'jsrsasign',
  '@tsndr/cloudflare-worker-jwt',
  'jose-node-cjs-runtime',
  'jose-node-esm-runtime',
  'jose-browser-runtime',
];

/** Every package whose direct import means "this file handles JWTs itself". */
export const ALL_JWT_PACKAGES: readonly string[] = [...new Set([...JWT_PACKAGES, ...UNMODELLED_JWT_PACKAGES])].sort();

/** The JWT package a module specifier loads (subpath imports such as `jose/jwt/verify` included), if any. */
export function getJwtPackageOf(specifier: string): string | undefined {
  if (ALL_JWT_PACKAGES.includes(specifier)) return specifier;
  return ALL_JWT_PACKAGES.find((pkg) => specifier.startsWith(`${pkg}/`));
}
