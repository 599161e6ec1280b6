/**
 * The per-service auth profile: plain data computed from the JWT and route facts of one scan
 * (docs/json-format.md, `services`). Reporters and `authlint posture` depend only on this file.
 */

/** Version of the `services` profile shape inside the JSON report; bumped on any incompatible change. */
export const PROFILE_VERSION = 1;

/**
 * Where a service's verification keys come from: a `jwks` endpoint, a `public-key` (file, PEM,
 * key object), a `secret-env` (shared secret read from the environment or configuration), a
 * `hard-coded` literal, a key `provider` callback, or `unknown`.
 */
export type KeySource = 'jwks' | 'public-key' | 'secret-env' | 'hard-coded' | 'provider' | 'unknown';

/**
 * What protects one route: `authorized` and `owner-scoped` come from the authorization facts of
 * the route model; `authenticated` means authentication with no (or unknown) authorization
 * verdict; `public` is public by design (a marker or a health/login/docs path); `internal` is an
 * internal or admin route without authentication; `unauthenticated`; `unknown` (unresolved middleware).
 */
export type RouteProtection = 'authorized' | 'owner-scoped' | 'authenticated' | 'public' | 'internal' | 'unauthenticated' | 'unknown';

export interface ProfileRoute {
  method: string;
  path: string;
  /** Relative to the scan root, POSIX separators. */
  file: string;
  line: number;
  protection: RouteProtection;
  /** The authentication step in force, or the unknown step that decides. */
  authentication?: string;
}

/** Facts of one service, before findings and owners are attached. */
export interface ServiceFacts {
  /** Package name from the service's package.json, else the folder name. */
  name: string;
  /** Folder of the service relative to the scan root, POSIX; `.` for the root itself. */
  root: string;
  frameworks: string[];
  /** Declared dependencies of the service's package.json (to see which shared library it uses). */
  dependencies: string[];
  jwt: JwtProfile;
  routes: ProfileRoute[];
  /** Whether the route facts carry authorization verdicts; when false, authorized and owner-scoped counts are not available. */
  authorizationFacts: boolean;
  /** Files that verify or sign tokens, else where its authentication/authorization middleware is applied (relative to the scan root). */
  authFiles: string[];
  /** The `project.owner` setting of the scan's configuration. */
  configOwners: string[];
}

export interface JwtProfile {
  /** JWT libraries (model ids) that sign tokens. */
  signLibraries: string[];
  /** JWT libraries (model ids) that verify tokens. */
  verifyLibraries: string[];
  /** Algorithms the verification accepts, when written statically. */
  verifyAlgorithms: string[];
  /** Algorithms tokens are signed with, when written statically. */
  signAlgorithms: string[];
  keySources: KeySource[];
  /** Issuers checked at verification (static values). */
  issuers: string[];
  /** Audiences checked at verification (static values). */
  audiences: string[];
  /** Verifications that check the issuer, the audience, out of all verifications. */
  verifications: number;
  issuerChecked: number;
  audienceChecked: number;
  /** Token lifetimes set when signing (`'1h'`, `3600`; `dynamic` when not static). */
  lifetimes: string[];
  /** Signing calls that visibly set no lifetime. */
  signWithoutLifetime: number;
  /** Calls that read a token without checking its signature. */
  decodeOnly: number;
  /** JWT packages imported directly. */
  directPackages: string[];
  /** With `project.sharedLibrary` configured at scan time: true when no file outside its allowed paths verifies directly. */
  viaSharedLibrary?: boolean;
}

export interface RouteCounts {
  total: number;
  /** Routes with authentication in force (including authorized and owner-scoped ones). */
  authenticated: number;
  /** Null when the route facts carry no authorization verdicts. */
  authorized: number | null;
  ownerScoped: number | null;
  publicByDesign: number;
  unauthenticated: number;
  internalUnauthenticated: number;
  unknown: number;
}

export interface FindingsByLevel {
  error: number;
  warning: number;
  note: number;
}

export interface ServiceOwnership {
  owners: string[];
  /** `codeowners`: matched in CODEOWNERS; `config`: the `project.owner` setting; `none`. */
  source: 'codeowners' | 'config' | 'none';
  /** Auth files that no CODEOWNERS rule covers. */
  unownedFiles: string[];
}

/** One service of the JSON report's `services` array. */
export interface ServiceProfile {
  name: string;
  root: string;
  frameworks: string[];
  dependencies: string[];
  jwt: JwtProfile;
  routes: RouteCounts;
  inventory: ProfileRoute[];
  findings: FindingsByLevel & { total: number; byRule: Record<string, FindingsByLevel> };
  owner: ServiceOwnership;
  authFiles: string[];
}
