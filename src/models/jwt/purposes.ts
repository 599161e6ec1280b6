/**
 * Single-purpose tokens a service issues to itself (email confirmation, password reset, signed links), recognised by
 * the name of the secret they are signed with: the environment variable, configuration key or helper that gives it.
 * The first matching entry names the purpose.
 */
export const PURPOSE_SECRET_NAMES: readonly { pattern: RegExp; purpose: string }[] = [
  { pattern: /confirm|verif\w*e_?mail|e_?mail\w*verif|activat/i, purpose: 'email confirmation' },
  { pattern: /forgot|reset|recover|password/i, purpose: 'password reset' },
  { pattern: /invit/i, purpose: 'invitation' },
  { pattern: /magic|login_?link|passwordless/i, purpose: 'magic link' },
  { pattern: /download|signed_?url|share|unsubscribe|link/i, purpose: 'signed link' },
];

/** Names of secrets that sign tokens presented on every request: never a purpose secret, whatever else they say. */
export const SESSION_SECRET_NAME = /access|refresh|session|auth_?token|id_?token|bearer/i;

/** The purpose a secret's name gives it (`auth.confirmEmailSecret` → email confirmation), if any. */
export function getSecretPurpose(name: string): string | undefined {
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (SESSION_SECRET_NAME.test(last)) return undefined;
  return PURPOSE_SECRET_NAMES.find((entry) => entry.pattern.test(last))?.purpose;
}
