/** What a test service trusts: the issuer's public key under its kid, and the expected iss and aud. */
export interface TrustedIssuer {
  kid: string;
  publicKeyPem: string;
  issuer: string;
  audience: string;
}

export type Variant = 'vulnerable' | 'fixed';
