/** What a JWT API call does with a token. `configure` sets up verification and/or signing used later. */
export type JwtOperation = 'sign' | 'verify' | 'decode' | 'configure' | 'unsecured';

/** A path of property names inside an options object. */
export type OptionPath = readonly string[];

/** Where a value sits in a call: a positional argument, or a property of the options argument. */
export type ArgOrOption = { arg: number } | { option: OptionPath };

/**
 * What the library does when the caller pins no algorithm list:
 * `key-type` infers it from the key (jsonwebtoken, fast-jwt), `key-bound` uses the algorithm the key is bound to
 * (jose), `token` takes it from the token header (jwt-simple, jws when the caller passes `header.alg`),
 * `module` reads it from the wrapper's own configuration, `required` refuses to run without it.
 */
export type AlgorithmDefault = 'key-type' | 'key-bound' | 'token' | 'module' | 'required' | 'safe';

/** How a claim option behaves: checked only when the claim is present, required when set, or required unless disabled. */
export type ClaimSemantics = 'required-when-set' | 'checked-if-present' | 'required-unless-false' | 'unsupported';

export interface ClaimOptions {
  semantics: ClaimSemantics;
  issuer?: readonly OptionPath[];
  audience?: readonly OptionPath[];
  ignoreExpiration?: OptionPath;
  /** `exp: false` style switch (hono `verification.exp`, @hapi/jwt `verify.exp`). */
  expiryEnabled?: OptionPath;
  clockTolerance?: { path: OptionPath; unit: 's' | 'ms' };
  maxAge?: OptionPath;
  requiredClaims?: OptionPath;
  /** Claims checked even when no option is written (express-oauth2-jwt-bearer reads AUDIENCE/ISSUER from the env). */
  implicit?: readonly ('issuer' | 'audience')[];
  /** A JWS library that signs and verifies any payload (jws): claims are the caller's business, not checked at its calls. */
  payloadAgnostic?: boolean;
  /**
   * A configuration that may serve signing only (`JwtModule.register`): missing issuer/audience options are judged at
   * the calls that verify with it (`JwtService.verify` inherits it), not at the configuration.
   */
  judgedAtVerifyCalls?: boolean;
}

export interface KeyLocation {
  at: ArgOrOption;
  role: 'sign' | 'verify' | 'both';
  /** The option name says the key is a shared secret whatever its value (@nestjs/jwt `secret`). */
  namedSecret?: boolean;
  /** A string here (literal, environment variable, configuration lookup) is an HMAC secret unless it is a PEM. */
  stringMeansSecret?: boolean;
}

export interface AlgorithmLocation {
  at: ArgOrOption;
  role: 'sign' | 'verify';
  /** A single algorithm string rather than a list. */
  single?: boolean;
}

/** Where a signing API sets the token lifetime; a call that reaches none of these mints tokens that never expire. */
export interface ExpirySettings {
  /** Options of the call that set a lifetime (`expiresIn`). */
  options?: readonly OptionPath[];
  /** The payload argument, which sets a lifetime when it holds `exp`. */
  payloadArg?: number;
  /** jose `SignJWT`: the builder method that sets it, earlier in the chain or on the same variable. */
  chainMethod?: string;
  /** jose `SignJWT`: the payload is the constructor argument at the root of the chain. */
  payloadFromChainRoot?: boolean;
  /** Options of the module configuration the call inherits (`JwtModule` `signOptions.expiresIn`). */
  moduleOptions?: readonly OptionPath[];
}

/** A top-level option a plugin does not read, and where it belongs (@fastify/jwt reads only `sign`/`verify`). */
export interface IgnoredOption {
  name: string;
  belongs: string;
  effect: 'expiry' | 'issuer' | 'audience' | 'maxAge';
}

/** One API of a JWT library: how to recognise the call and where its key, algorithms and claim options sit. */
export interface JwtApiModel {
  /** Display name used in messages, e.g. `verify`, `JwtModule.register`. */
  name: string;
  /**
   * Export path after the default/namespace step, matched against the origin of the callee.
   * A step may list alternatives with `|`; `**` matches any number of steps (method chains).
   */
  path?: readonly string[];
  /** Decorated instance members (@fastify/jwt): matched by the callee's trailing member names. */
  decorator?: readonly string[];
  /** A framework plugin registration `x.register(plugin, options)` with the package's default export. */
  plugin?: boolean;
  /** A hapi `server.auth.strategy(name, scheme, options)` with this scheme. */
  authScheme?: string;
  /** A NestJS `super(options)` inside a class extending `PassportStrategy(<this export>)`. */
  passportStrategy?: boolean;
  operation: JwtOperation;
  /** For `configure`: whether the configuration verifies incoming tokens and/or signs new ones. */
  verifies?: boolean;
  signs?: boolean;
  tokenArg?: number;
  optionsArg?: number;
  /** The options object is what `useFactory` returns (NestJS `registerAsync`). */
  optionsFromFactory?: string;
  keys?: readonly KeyLocation[];
  algorithms?: readonly AlgorithmLocation[];
  /** jose `SignJWT`: the algorithm is in `.setProtectedHeader({ alg })` earlier in the chain. */
  algorithmFromProtectedHeader?: boolean;
  /** The algorithm used when signing without one. */
  defaultSignAlgorithm?: string;
  whenAlgorithmsOmitted?: AlgorithmDefault;
  claims?: ClaimOptions;
  /** jwt-simple `decode(token, key, noVerify)`: a truthy argument here skips verification. */
  noVerifyArg?: number;
  /** jose `compactVerify`/`flattenedVerify`/`generalVerify`: signature only, no JWT claims validated. */
  signatureOnly?: boolean;
  /** Per-call options are merged over a module configuration (`JwtService` over `JwtModule.register`). */
  inheritsConfiguration?: boolean;
  /** Signing APIs: where the token lifetime is set. */
  expiry?: ExpirySettings;
  /** Options the library silently ignores at this level. */
  ignoredOptions?: readonly IgnoredOption[];
  /** Matches only calls with exactly this many arguments (jws < 3 `verify(token, key)` next to `verify(token, alg, key)`). */
  argumentCount?: number;
  /**
   * This call form is the library's API before that major version: jws < 3 `verify(token, key)` takes the algorithm
   * from the token header; from 3.0.0 on the form throws instead of verifying.
   */
  legacyBelowMajor?: number;
  /** Algorithm options the library does not apply (passport-jwt reads `algorithms` only at the top level). */
  ignoredAlgorithmOptions?: readonly OptionPath[];
  /**
   * This API exists only in the library's versions below this major (jose 1.x/2.x `JWT.verify`, removed by the 3.0
   * rewrite): it is not matched when the repository's lockfile or manifest installs a later major.
   */
  availableBelowMajor?: number;
  /** fast-jwt factories: the call returns a function that does the work on a token. */
  returnsFunction?: boolean;
}

export interface JwtLibraryModel {
  /** Stable id used in facts and messages, e.g. `jsonwebtoken`, `@fastify/jwt`. */
  id: string;
  /** Package names (current and historic) and subpath imports that load it. */
  packages: readonly string[];
  apis: readonly JwtApiModel[];
  /**
   * Calls of these exports only produce keys (jwks-rsa, jose key import helpers). `input`: the key is whatever the
   * first argument is (legacy jose `JWK.asKey('secret')` is a shared secret, `JWK.asKey(pem)` an asymmetric key).
   */
  keySources?: readonly { path: readonly string[]; kind: 'jwks' | 'asymmetric' | 'secret' | 'provider' | 'input' }[];
  /** Exported key values: legacy jose `JWK.None` signs and accepts unsecured (alg 'none') tokens. */
  keyConstants?: readonly { path: readonly string[]; kind: 'none' }[];
}
