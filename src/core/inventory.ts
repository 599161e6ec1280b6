/**
 * The route inventory printed by `authlint routes`: plain rows built from the route facts, so the
 * reporters that format them depend on nothing but this file.
 */

/** `present`: a step authenticates; `optional`: only steps that let anonymous requests through; `unknown`: unresolved steps that may authenticate; `none`. */
export type AuthenticationStatus = 'present' | 'optional' | 'unknown' | 'none';

export interface InventoryStep {
  name: string;
  reason: string;
  /** Relative path, POSIX separators. */
  file: string;
  line: number;
}

/** How the route decides who may act on what (see `AuthorizationVerdict` in the authorization facts). */
export type AuthorizationStatus = 'authorized' | 'owner-scoped' | 'caller-only' | 'none' | 'unknown';

/** One piece of authorization evidence: a chain step, a policy call, an ownership filter, an owner comparison or a role check. */
export interface InventoryEvidence {
  kind: string;
  reason: string;
  file: string;
  line: number;
}

export interface RouteInventoryRow {
  framework: string;
  method: string;
  /** Full path; unresolvable parts appear as `<unresolved>`. */
  path: string;
  pathResolved: boolean;
  /** Relative path of the registration, POSIX separators. */
  file: string;
  line: number;
  column: number;
  authentication: AuthenticationStatus;
  /** The step that authenticates (or the optional / unknown step that decides the status). */
  authenticationStep?: InventoryStep;
  authorization: InventoryStep[];
  /** The authorization verdict and the evidence behind it (absent in inventories written before they existed). */
  authorizationStatus?: AuthorizationStatus;
  authorizationEvidence?: InventoryEvidence[];
  /** Public marker names (`@Public()`, `config.public`), empty when none. */
  publicMarkers: string[];
  /** Why the route counts as public without a marker: a configured `publicRoutes` pattern or a built-in kind (credential flow, probe, docs). */
  publicReason?: string;
  /** Middleware that could not be classified, by name. */
  unknownSteps: string[];
  /** Why the route counts as internal; empty when it does not. */
  internal: string[];
  /** Declared on a router that no resolved app mounts. */
  detached: boolean;
  /**
   * Other calls that register the same method and path on the same app (`app.post(path, a)` then `app.post(path, b)`).
   * Registrations with the same protection share one row; those that differ keep their own rows, each listing the others.
   */
  registrations?: Array<{ file: string; line: number }>;
}

export interface RouteInventorySummary {
  total: number;
  authenticated: number;
  optional: number;
  unknown: number;
  unauthenticated: number;
}

export interface RouteInventory {
  routes: RouteInventoryRow[];
  summary: RouteInventorySummary;
}
