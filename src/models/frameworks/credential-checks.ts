/** Names of request parts that carry a credential (guard and hook bodies). */
export const CREDENTIAL_SOURCES = /^(?:authorization|cookies?|signedCookies|session|token|accessToken|access_token|bearer|apiKey|api_key|x-api-key|x-auth-token|jwt)$/i;

/** Request members that hold the authenticated caller (`request.user`). */
export const PRINCIPAL_NAMES = /^(?:user|principal|currentUser|identity|auth)$/;

/** Names that denote roles, scopes or permissions in an authorization check. */
export const AUTHORIZATION_NAMES = /^(?:roles?|permissions?|scopes?|scp|groups?|isAdmin|is_admin|authorities|privileges?|ability|policies|policy|can|cannot|hasRole|hasPermission|hasScope|hasAnyRole)$/;
