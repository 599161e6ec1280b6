/**
 * JOSE header parameters that carry or point to a verification key (RFC 7515 §4.1.2–4.1.5): a verifier that builds
 * its key from them lets the token choose the key it is checked with. `x5c` (a certificate chain) is left out: it is
 * normally validated against a trusted root before use.
 */
export const KEY_HEADER_PARAMETERS: readonly string[] = ['jwk', 'jku', 'x5u'];
