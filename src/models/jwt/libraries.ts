import type { ClaimOptions, JwtApiModel, JwtLibraryModel } from './types.js';

const JSONWEBTOKEN_VERIFY_CLAIMS: ClaimOptions = {
  semantics: 'required-when-set',
  issuer: [['issuer']],
  audience: [['audience']],
  ignoreExpiration: ['ignoreExpiration'],
  clockTolerance: { path: ['clockTolerance'], unit: 's' },
  maxAge: ['maxAge'],
};

const JOSE_VERIFY_CLAIMS: ClaimOptions = {
  semantics: 'required-when-set',
  issuer: [['issuer']],
  audience: [['audience']],
  clockTolerance: { path: ['clockTolerance'], unit: 's' },
  maxAge: ['maxTokenAge'],
  requiredClaims: ['requiredClaims'],
};

// fast-jwt (and @fastify/jwt on top of it) only check iss/aud when the token carries them (auth-idioms §A6).
const FAST_JWT_VERIFY_CLAIMS: ClaimOptions = {
  semantics: 'checked-if-present',
  issuer: [['allowedIss']],
  audience: [['allowedAud']],
  ignoreExpiration: ['ignoreExpiration'],
  clockTolerance: { path: ['clockTolerance'], unit: 'ms' },
  maxAge: ['maxAge'],
  requiredClaims: ['requiredClaims'],
};

const NEST_MODULE_CLAIMS: ClaimOptions = {
  semantics: 'required-when-set',
  issuer: [['verifyOptions', 'issuer']],
  audience: [['verifyOptions', 'audience']],
  ignoreExpiration: ['verifyOptions', 'ignoreExpiration'],
  clockTolerance: { path: ['verifyOptions', 'clockTolerance'], unit: 's' },
  maxAge: ['verifyOptions', 'maxAge'],
  judgedAtVerifyCalls: true,
};

const NEST_MODULE_KEYS = [
  { at: { option: ['secret'] }, role: 'both', namedSecret: true },
  { at: { option: ['secretOrPrivateKey'] }, role: 'both' },
  { at: { option: ['privateKey'] }, role: 'sign' },
  { at: { option: ['publicKey'] }, role: 'verify' },
  { at: { option: ['secretOrKeyProvider'] }, role: 'both' },
] as const;

const NEST_MODULE_ALGORITHMS = [
  { at: { option: ['signOptions', 'algorithm'] }, role: 'sign', single: true },
  { at: { option: ['verifyOptions', 'algorithms'] }, role: 'verify' },
] as const;

// jose 1.x/2.x (before the 2021 rewrite): `JWT`/`JWS`/`JWK` namespaces; a key is a `JWK.asKey` object or what asKey
// accepts (a string that is not a PEM becomes an `oct` secret); options take `maxTokenAge` and `ignoreExp`.
const JOSE_LEGACY_VERIFY_CLAIMS: ClaimOptions = {
  semantics: 'required-when-set',
  issuer: [['issuer']],
  audience: [['audience']],
  ignoreExpiration: ['ignoreExp'],
  clockTolerance: { path: ['clockTolerance'], unit: 's' },
  maxAge: ['maxTokenAge'],
};

const JOSE_LEGACY_VERIFY: Omit<JwtApiModel, 'name'> = {
  operation: 'verify',
  tokenArg: 0,
  optionsArg: 2,
  keys: [{ at: { arg: 1 }, role: 'verify', stringMeansSecret: true }],
  algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
  whenAlgorithmsOmitted: 'key-bound',
  availableBelowMajor: 3,
};

const JOSE_LEGACY_APIS: readonly JwtApiModel[] = [
  {
    name: 'JWT.sign',
    path: ['JWT', 'sign'],
    operation: 'sign',
    optionsArg: 2,
    keys: [{ at: { arg: 1 }, role: 'sign', stringMeansSecret: true }],
    algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
    expiry: { options: [['expiresIn']], payloadArg: 0 },
    availableBelowMajor: 3,
  },
  { ...JOSE_LEGACY_VERIFY, name: 'JWT.verify', path: ['JWT', 'verify'], claims: JOSE_LEGACY_VERIFY_CLAIMS },
  { name: 'JWT.decode', path: ['JWT', 'decode'], operation: 'decode', tokenArg: 0, optionsArg: 1, availableBelowMajor: 3 },
  {
    name: 'JWS.sign',
    path: ['JWS', 'sign'],
    operation: 'sign',
    optionsArg: 2,
    keys: [{ at: { arg: 1 }, role: 'sign', stringMeansSecret: true }],
    algorithms: [{ at: { option: ['alg'] }, role: 'sign', single: true }],
    availableBelowMajor: 3,
  },
  { ...JOSE_LEGACY_VERIFY, name: 'JWS.verify', path: ['JWS', 'verify'], signatureOnly: true },
];

/** Library knowledge for every JWT package authlint understands (auth-idioms.md §A). */
/** jws signs and verifies any payload: what the claims say is the caller's business, not the library's. */
const JWS_CLAIMS: ClaimOptions = { semantics: 'unsupported', payloadAgnostic: true };

/** passport-jwt's `new Strategy(options, verify)`, and the same options passed to NestJS's `PassportStrategy(Strategy)`. */
const PASSPORT_JWT_STRATEGY: JwtApiModel = {
  name: 'JwtStrategy',
  operation: 'configure',
  verifies: true,
  optionsArg: 0,
  keys: [
    { at: { option: ['secretOrKey'] }, role: 'verify', stringMeansSecret: true },
    { at: { option: ['secretOrKeyProvider'] }, role: 'verify' },
  ],
  // Only top-level algorithms/issuer/audience reach jsonwebtoken (auth-idioms §A11).
  algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
  ignoredAlgorithmOptions: [['jsonWebTokenOptions', 'algorithms']],
  whenAlgorithmsOmitted: 'key-type',
  claims: {
    ...JSONWEBTOKEN_VERIFY_CLAIMS,
    clockTolerance: { path: ['jsonWebTokenOptions', 'clockTolerance'], unit: 's' },
    maxAge: ['jsonWebTokenOptions', 'maxAge'],
  },
};

export const JWT_LIBRARIES: readonly JwtLibraryModel[] = [
  {
    id: 'jsonwebtoken',
    packages: ['jsonwebtoken'],
    apis: [
      {
        name: 'sign',
        path: ['sign'],
        operation: 'sign',
        optionsArg: 2,
        // jsonwebtoken treats any non-PEM string key as an HMAC secret.
        keys: [{ at: { arg: 1 }, role: 'sign', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
        defaultSignAlgorithm: 'HS256',
        expiry: { options: [['expiresIn']], payloadArg: 0 },
      },
      {
        name: 'verify',
        path: ['verify'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'key-type',
        claims: JSONWEBTOKEN_VERIFY_CLAIMS,
      },
      { name: 'decode', path: ['decode'], operation: 'decode', tokenArg: 0, optionsArg: 1 },
    ],
  },
  {
    id: 'jose',
    packages: ['jose', 'jose/jwt/verify', 'jose/jwt/sign', 'jose/jwt/decode', 'jose/jwt/unsecured', 'jose/jws/compact/verify', 'jose/jws/flattened/verify', 'jose/util/decode_protected_header', 'jose/jwt/decrypt'],
    apis: [
      {
        name: 'jwtVerify',
        path: ['jwtVerify'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify' }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'key-bound',
        claims: JOSE_VERIFY_CLAIMS,
      },
      {
        name: 'jwtDecrypt',
        path: ['jwtDecrypt'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify' }],
        whenAlgorithmsOmitted: 'safe',
        claims: JOSE_VERIFY_CLAIMS,
      },
      ...(['compactVerify', 'flattenedVerify', 'generalVerify'] as const).map((name) => ({
        name,
        path: [name],
        operation: 'verify' as const,
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify' as const }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' as const }],
        whenAlgorithmsOmitted: 'key-bound' as const,
        signatureOnly: true,
      })),
      {
        name: 'SignJWT.sign',
        path: ['SignJWT', 'new', '**', 'sign'],
        operation: 'sign',
        keys: [{ at: { arg: 0 }, role: 'sign' }],
        algorithmFromProtectedHeader: true,
        expiry: { chainMethod: 'setExpirationTime', payloadFromChainRoot: true },
      },
      {
        name: 'CompactSign.sign',
        path: ['CompactSign', 'new', '**', 'sign'],
        operation: 'sign',
        keys: [{ at: { arg: 0 }, role: 'sign' }],
        algorithmFromProtectedHeader: true,
      },
      { name: 'decodeJwt', path: ['decodeJwt'], operation: 'decode', tokenArg: 0 },
      { name: 'decodeProtectedHeader', path: ['decodeProtectedHeader'], operation: 'decode', tokenArg: 0 },
      { name: 'UnsecuredJWT', path: ['UnsecuredJWT', 'new'], operation: 'unsecured' },
      { name: 'UnsecuredJWT.decode', path: ['UnsecuredJWT', 'decode'], operation: 'unsecured', tokenArg: 0 },
      ...JOSE_LEGACY_APIS,
    ],
    keySources: [
      { path: ['createRemoteJWKSet'], kind: 'jwks' },
      { path: ['createLocalJWKSet'], kind: 'jwks' },
      { path: ['importSPKI'], kind: 'asymmetric' },
      { path: ['importPKCS8'], kind: 'asymmetric' },
      { path: ['importX509'], kind: 'asymmetric' },
      { path: ['generateKeyPair'], kind: 'asymmetric' },
      { path: ['generateSecret'], kind: 'secret' },
      { path: ['base64url', 'decode'], kind: 'secret' },
      { path: ['JWK', 'asKey'], kind: 'input' },
    ],
    keyConstants: [{ path: ['JWK', 'None'], kind: 'none' }],
  },
  {
    id: 'jwt-decode',
    packages: ['jwt-decode'],
    apis: [
      { name: 'jwtDecode', path: ['jwtDecode'], operation: 'decode', tokenArg: 0 },
      { name: 'jwt_decode', path: [], operation: 'decode', tokenArg: 0 },
    ],
  },
  {
    id: 'jws',
    packages: ['jws'],
    apis: [
      {
        name: 'sign',
        path: ['sign|createSign'],
        operation: 'sign',
        optionsArg: 0,
        keys: [
          { at: { option: ['secret'] }, role: 'sign' },
          { at: { option: ['privateKey'] }, role: 'sign' },
        ],
        algorithms: [{ at: { option: ['header', 'alg'] }, role: 'sign', single: true }],
      },
      {
        // jws < 3: `verify(signature, secretOrKey)` takes the algorithm from the token header (3.0.0 added the
        // required algorithm argument); in jws >= 3 this form throws, as the key is read as the algorithm.
        name: 'verify',
        path: ['verify'],
        argumentCount: 2,
        legacyBelowMajor: 3,
        operation: 'verify',
        tokenArg: 0,
        keys: [{ at: { arg: 1 }, role: 'verify' }],
        whenAlgorithmsOmitted: 'token',
        claims: JWS_CLAIMS,
      },
      {
        name: 'verify',
        path: ['verify'],
        operation: 'verify',
        tokenArg: 0,
        keys: [{ at: { arg: 2 }, role: 'verify' }],
        algorithms: [{ at: { arg: 1 }, role: 'verify', single: true }],
        whenAlgorithmsOmitted: 'required',
        claims: JWS_CLAIMS,
      },
      {
        name: 'createVerify',
        path: ['createVerify'],
        operation: 'verify',
        optionsArg: 0,
        keys: [
          { at: { option: ['secret'] }, role: 'verify' },
          { at: { option: ['publicKey'] }, role: 'verify' },
          { at: { option: ['key'] }, role: 'verify' },
        ],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'verify', single: true }],
        whenAlgorithmsOmitted: 'required',
        claims: JWS_CLAIMS,
      },
      { name: 'decode', path: ['decode'], operation: 'decode', tokenArg: 0 },
    ],
  },
  {
    id: 'jwt-simple',
    packages: ['jwt-simple'],
    apis: [
      {
        name: 'encode',
        path: ['encode'],
        operation: 'sign',
        keys: [{ at: { arg: 1 }, role: 'sign' }],
        algorithms: [{ at: { arg: 2 }, role: 'sign', single: true }],
        defaultSignAlgorithm: 'HS256',
      },
      {
        name: 'decode',
        path: ['decode'],
        operation: 'verify',
        tokenArg: 0,
        keys: [{ at: { arg: 1 }, role: 'verify' }],
        algorithms: [{ at: { arg: 3 }, role: 'verify', single: true }],
        noVerifyArg: 2,
        whenAlgorithmsOmitted: 'token',
        claims: { semantics: 'unsupported' },
      },
    ],
  },
  {
    id: 'fast-jwt',
    packages: ['fast-jwt'],
    apis: [
      {
        name: 'createSigner',
        path: ['createSigner'],
        operation: 'sign',
        optionsArg: 0,
        keys: [{ at: { option: ['key'] }, role: 'sign', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
        expiry: { options: [['expiresIn']] },
        returnsFunction: true,
      },
      {
        name: 'createVerifier',
        path: ['createVerifier'],
        operation: 'verify',
        optionsArg: 0,
        keys: [{ at: { option: ['key'] }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'key-type',
        claims: FAST_JWT_VERIFY_CLAIMS,
        returnsFunction: true,
      },
      { name: 'createDecoder', path: ['createDecoder'], operation: 'decode', optionsArg: 0, returnsFunction: true },
    ],
  },
  {
    id: '@nestjs/jwt',
    packages: ['@nestjs/jwt'],
    apis: [
      {
        name: 'JwtModule.register',
        path: ['JwtModule', 'register'],
        operation: 'configure',
        verifies: true,
        signs: true,
        optionsArg: 0,
        keys: NEST_MODULE_KEYS,
        algorithms: NEST_MODULE_ALGORITHMS,
        whenAlgorithmsOmitted: 'module',
        claims: NEST_MODULE_CLAIMS,
      },
      {
        name: 'JwtModule.registerAsync',
        path: ['JwtModule', 'registerAsync'],
        operation: 'configure',
        verifies: true,
        signs: true,
        optionsArg: 0,
        optionsFromFactory: 'useFactory',
        keys: NEST_MODULE_KEYS,
        algorithms: NEST_MODULE_ALGORITHMS,
        whenAlgorithmsOmitted: 'module',
        claims: NEST_MODULE_CLAIMS,
      },
      {
        name: 'JwtService',
        path: ['JwtService', 'new'],
        operation: 'configure',
        verifies: true,
        signs: true,
        optionsArg: 0,
        keys: NEST_MODULE_KEYS,
        algorithms: NEST_MODULE_ALGORITHMS,
        whenAlgorithmsOmitted: 'module',
        claims: NEST_MODULE_CLAIMS,
      },
      {
        name: 'JwtService.sign',
        inheritsConfiguration: true,
        path: ['JwtService', '#instance|new', 'sign|signAsync'],
        operation: 'sign',
        optionsArg: 1,
        keys: [
          { at: { option: ['secret'] }, role: 'sign', namedSecret: true },
          { at: { option: ['privateKey'] }, role: 'sign' },
        ],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
        expiry: { options: [['expiresIn']], payloadArg: 0, moduleOptions: [['signOptions', 'expiresIn']] },
      },
      {
        name: 'JwtService.verify',
        inheritsConfiguration: true,
        path: ['JwtService', '#instance|new', 'verify|verifyAsync'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 1,
        keys: [
          { at: { option: ['secret'] }, role: 'verify', namedSecret: true },
          { at: { option: ['publicKey'] }, role: 'verify' },
        ],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'module',
        claims: JSONWEBTOKEN_VERIFY_CLAIMS,
      },
      { name: 'JwtService.decode', path: ['JwtService', '#instance|new', 'decode'], operation: 'decode', tokenArg: 0, optionsArg: 1, inheritsConfiguration: true },
    ],
  },
  {
    id: '@fastify/jwt',
    packages: ['@fastify/jwt', 'fastify-jwt'],
    apis: [
      {
        name: 'register',
        plugin: true,
        operation: 'configure',
        verifies: true,
        signs: true,
        optionsArg: 1,
        keys: [
          { at: { option: ['secret'] }, role: 'both', stringMeansSecret: true },
          { at: { option: ['secret', 'private'] }, role: 'sign' },
          { at: { option: ['secret', 'public'] }, role: 'verify' },
        ],
        algorithms: [
          { at: { option: ['sign', 'algorithm'] }, role: 'sign', single: true },
          { at: { option: ['verify', 'algorithms'] }, role: 'verify' },
        ],
        whenAlgorithmsOmitted: 'module',
        // The plugin reads only sign/verify/decode/secret/cookie/… from its options; signer and verifier options
        // written at the top level are dropped without an error.
        ignoredOptions: [
          { name: 'expiresIn', belongs: 'sign.expiresIn', effect: 'expiry' },
          { name: 'issuer', belongs: 'sign.iss and verify.allowedIss', effect: 'issuer' },
          { name: 'iss', belongs: 'sign.iss and verify.allowedIss', effect: 'issuer' },
          { name: 'allowedIss', belongs: 'verify.allowedIss', effect: 'issuer' },
          { name: 'audience', belongs: 'sign.aud and verify.allowedAud', effect: 'audience' },
          { name: 'aud', belongs: 'sign.aud and verify.allowedAud', effect: 'audience' },
          { name: 'allowedAud', belongs: 'verify.allowedAud', effect: 'audience' },
          { name: 'maxAge', belongs: 'verify.maxAge', effect: 'maxAge' },
        ],
        claims: {
          ...FAST_JWT_VERIFY_CLAIMS,
          issuer: [['verify', 'allowedIss']],
          audience: [['verify', 'allowedAud']],
          ignoreExpiration: ['verify', 'ignoreExpiration'],
          clockTolerance: { path: ['verify', 'clockTolerance'], unit: 'ms' },
          maxAge: ['verify', 'maxAge'],
          requiredClaims: ['verify', 'requiredClaims'],
        },
      },
      {
        name: 'jwt.sign',
        decorator: ['jwt', 'sign'],
        inheritsConfiguration: true,
        operation: 'sign',
        optionsArg: 1,
        keys: [{ at: { option: ['key'] }, role: 'sign' }],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
      },
      { name: 'jwtSign', decorator: ['jwtSign'], inheritsConfiguration: true, operation: 'sign', optionsArg: 1, algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }] },
      {
        name: 'jwt.verify',
        decorator: ['jwt', 'verify'],
        inheritsConfiguration: true,
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 1,
        keys: [{ at: { option: ['key'] }, role: 'verify' }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'module',
      },
      { name: 'jwtVerify', decorator: ['jwtVerify'], inheritsConfiguration: true, operation: 'verify', optionsArg: 0, whenAlgorithmsOmitted: 'module' },
      { name: 'jwt.decode', decorator: ['jwt', 'decode'], operation: 'decode', tokenArg: 0 },
      { name: 'jwtDecode', decorator: ['jwtDecode'], operation: 'decode' },
    ],
  },
  {
    id: 'express-jwt',
    packages: ['express-jwt'],
    apis: [
      {
        name: 'expressjwt',
        path: ['expressjwt|expressJwt'],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [{ at: { option: ['secret'] }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'required',
        claims: JSONWEBTOKEN_VERIFY_CLAIMS,
      },
      {
        name: 'jwt',
        path: [],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [{ at: { option: ['secret'] }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        // express-jwt < 6 passed no allowlist to jsonwebtoken (CVE-2020-15084); 6+ throws without one.
        whenAlgorithmsOmitted: 'required',
        claims: JSONWEBTOKEN_VERIFY_CLAIMS,
      },
    ],
  },
  {
    id: 'express-oauth2-jwt-bearer',
    packages: ['express-oauth2-jwt-bearer'],
    apis: [
      {
        name: 'auth',
        path: ['auth'],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [{ at: { option: ['secret'] }, role: 'verify' }],
        algorithms: [{ at: { option: ['tokenSigningAlg'] }, role: 'verify', single: true }],
        whenAlgorithmsOmitted: 'safe',
        claims: {
          semantics: 'required-when-set',
          issuer: [['issuerBaseURL'], ['issuer']],
          audience: [['audience']],
          clockTolerance: { path: ['clockTolerance'], unit: 's' },
          maxAge: ['maxTokenAge'],
          implicit: ['issuer', 'audience'],
        },
      },
    ],
  },
  {
    id: 'passport-jwt',
    packages: ['passport-jwt'],
    apis: [
      { ...PASSPORT_JWT_STRATEGY, path: ['Strategy', 'new'] },
      // NestJS: `class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ … }) } }`.
      { ...PASSPORT_JWT_STRATEGY, path: ['Strategy'], passportStrategy: true },
    ],
  },
  {
    id: 'jwks-rsa',
    packages: ['jwks-rsa'],
    apis: [],
    keySources: [
      { path: [], kind: 'jwks' },
      { path: ['**'], kind: 'jwks' },
    ],
  },
  {
    id: 'koa-jwt',
    packages: ['koa-jwt'],
    apis: [
      {
        name: 'jwt',
        path: [],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [{ at: { option: ['secret'] }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'key-type',
        claims: JSONWEBTOKEN_VERIFY_CLAIMS,
      },
    ],
  },
  {
    id: 'hono/jwt',
    packages: ['hono/jwt', 'hono/utils/jwt', 'hono/utils/jwt/jwt'],
    apis: [
      {
        name: 'jwt',
        path: ['jwt'],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [{ at: { option: ['secret'] }, role: 'verify', stringMeansSecret: true }],
        algorithms: [{ at: { option: ['alg'] }, role: 'verify', single: true }],
        // Before hono 4.11.4 an omitted `alg` meant HS256.
        defaultSignAlgorithm: 'HS256',
        whenAlgorithmsOmitted: 'module',
        claims: {
          semantics: 'required-when-set',
          issuer: [['verification', 'iss']],
          audience: [['verification', 'aud']],
          expiryEnabled: ['verification', 'exp'],
        },
      },
      {
        name: 'verify',
        path: ['Jwt?', 'verify'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify', stringMeansSecret: true }],
        algorithms: [
          { at: { arg: 2 }, role: 'verify', single: true },
          { at: { option: ['alg'] }, role: 'verify', single: true },
        ],
        defaultSignAlgorithm: 'HS256',
        whenAlgorithmsOmitted: 'module',
        claims: { semantics: 'required-when-set', issuer: [['iss']], audience: [['aud']], expiryEnabled: ['exp'] },
      },
      {
        name: 'sign',
        path: ['sign'],
        operation: 'sign',
        keys: [{ at: { arg: 1 }, role: 'sign', stringMeansSecret: true }],
        algorithms: [{ at: { arg: 2 }, role: 'sign', single: true }],
        defaultSignAlgorithm: 'HS256',
      },
      { name: 'decode', path: ['decode'], operation: 'decode', tokenArg: 0 },
    ],
  },
  {
    id: 'hono/jwk',
    packages: ['hono/jwk'],
    apis: [
      {
        name: 'jwk',
        path: ['jwk'],
        operation: 'configure',
        verifies: true,
        optionsArg: 0,
        keys: [
          { at: { option: ['jwks_uri'] }, role: 'verify' },
          { at: { option: ['keys'] }, role: 'verify' },
        ],
        algorithms: [{ at: { option: ['alg'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'module',
        claims: { semantics: 'required-when-set', issuer: [['verification', 'iss']], audience: [['verification', 'aud']], expiryEnabled: ['verification', 'exp'] },
      },
    ],
  },
  {
    id: '@hapi/jwt',
    packages: ['@hapi/jwt'],
    apis: [
      {
        name: 'auth.strategy',
        authScheme: 'jwt',
        operation: 'configure',
        verifies: true,
        optionsArg: 2,
        keys: [
          { at: { option: ['keys'] }, role: 'verify', stringMeansSecret: true },
        ],
        algorithms: [{ at: { option: ['keys', 'algorithms'] }, role: 'verify' }],
        // @hapi/jwt restricts algorithms to the family of each configured key.
        whenAlgorithmsOmitted: 'safe',
        claims: {
          semantics: 'required-unless-false',
          issuer: [['verify', 'iss']],
          audience: [['verify', 'aud']],
          expiryEnabled: ['verify', 'exp'],
          clockTolerance: { path: ['verify', 'timeSkewSec'], unit: 's' },
          maxAge: ['verify', 'maxAgeSec'],
        },
      },
      {
        name: 'token.generate',
        path: ['token', 'generate'],
        operation: 'sign',
        keys: [
          { at: { arg: 1 }, role: 'sign' },
          { at: { option: ['key'] }, role: 'sign' },
        ],
        algorithms: [{ at: { option: ['algorithm'] }, role: 'sign', single: true }],
        optionsArg: 1,
        defaultSignAlgorithm: 'HS256',
      },
      {
        name: 'token.verify',
        path: ['token', 'verify'],
        operation: 'verify',
        tokenArg: 0,
        optionsArg: 2,
        keys: [{ at: { arg: 1 }, role: 'verify' }],
        whenAlgorithmsOmitted: 'safe',
        claims: { semantics: 'required-when-set', issuer: [['iss']], audience: [['aud']], expiryEnabled: ['exp'] },
      },
      { name: 'token.decode', path: ['token', 'decode'], operation: 'decode', tokenArg: 0 },
    ],
  },
  {
    id: 'hapi-auth-jwt2',
    packages: ['hapi-auth-jwt2'],
    apis: [
      {
        name: 'auth.strategy',
        authScheme: 'jwt',
        operation: 'configure',
        verifies: true,
        optionsArg: 2,
        keys: [{ at: { option: ['key'] }, role: 'verify' }],
        algorithms: [{ at: { option: ['verifyOptions', 'algorithms'] }, role: 'verify' }],
        whenAlgorithmsOmitted: 'key-type',
        claims: {
          semantics: 'required-when-set',
          issuer: [['verifyOptions', 'issuer']],
          audience: [['verifyOptions', 'audience']],
          ignoreExpiration: ['verifyOptions', 'ignoreExpiration'],
          clockTolerance: { path: ['verifyOptions', 'clockTolerance'], unit: 's' },
          maxAge: ['verifyOptions', 'maxAge'],
        },
      },
    ],
  },
];
