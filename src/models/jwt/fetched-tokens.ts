/**
 * Tokens a service receives from a server it calls itself, over TLS, rather than from its caller. OpenID Connect Core
 * 1.0 §3.1.3.7 lets a client skip the signature check of an ID token it received directly from the token endpoint,
 * and a UserInfo response sent as a JWT comes the same way, so decoding them decides nothing an attacker wrote.
 */

/** Methods that read the body of a fetch `Response` (`await response.text()`). */
export const RESPONSE_BODY_METHODS: ReadonlySet<string> = new Set(['text', 'json']);

/** The type of a received fetch response (`response: Response`). */
export const RESPONSE_TYPE_NAMES: ReadonlySet<string> = new Set(['Response']);

/** Functions that send a request and resolve to a `Response`: the global `fetch` and the packages that mirror it. */
export const FETCH_FUNCTION_NAMES: ReadonlySet<string> = new Set(['fetch']);

/**
 * Passport strategy packages (`passport-oauth2` and the provider strategies built on it, also scoped forks such as
 * `@outlinewiki/passport-azure-ad-oauth2`).
 */
export const PASSPORT_STRATEGY_PACKAGE = /^(?:@[^/]+\/)?passport-/;

/**
 * An OAuth 2.0 strategy calls its verify callback with `(accessToken, refreshToken, params, profile, done)`, the
 * request first when `passReqToCallback` is set: `params`, third from the end, is the token endpoint's response.
 */
export const OAUTH2_VERIFY_ARITY = 5;
export const OAUTH2_TOKEN_RESPONSE_FROM_END = 3;

/** Members of a token endpoint response that hold a JWT. */
export const TOKEN_RESPONSE_MEMBERS: ReadonlySet<string> = new Set(['id_token']);
