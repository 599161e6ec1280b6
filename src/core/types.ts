import type { ts } from '@ts-morph/common';

export type Level = 'error' | 'warning' | 'note';
export type RuleLevel = Level | 'off';

export interface Range {
  start: number;
  end: number;
}

export interface RelatedLocation extends Range {
  /** Path relative to the scan root, POSIX separators. */
  file: string;
  message: string;
}

export interface Suppression {
  kind: 'inSource';
  justification?: string;
  /** Written as an ESLint directive (`eslint-disable-next-line authlint/<id>`); ESLint applies those itself. */
  eslint?: boolean;
  /**
   * For an ESLint `next-line` directive above a decorator stack whose finding lies further down: an offset on
   * the line ESLint's directive covers, where the ESLint adapter reports the finding so that ESLint applies
   * (and counts as used) the directive.
   */
  eslintAt?: number;
  /** Character offset of the suppression comment. */
  start: number;
  end: number;
}

/** A rule's result, positioned by character offsets; only the edges turn offsets into lines. */
export interface Finding extends Range {
  ruleId: string;
  messageId: string;
  message: string;
  data: Record<string, string | number>;
  /** Path relative to the scan root, POSIX separators. */
  file: string;
  level: Level;
  related?: RelatedLocation[];
  suppression?: Suppression;
}

export type NotificationKind =
  | 'parse-error'
  | 'binary-file'
  | 'too-large'
  | 'minified'
  | 'encoding'
  | 'unreadable'
  | 'symlink'
  | 'rule-error'
  | 'unused-suppression'
  | 'config'
  | 'no-files'
  | 'probe'
  | 'routes-not-judged'
  | 'cache';

/** Something the tool could not do fully: reported in every format, never thrown. */
export interface Notification {
  kind: NotificationKind;
  level: Level;
  message: string;
  file?: string;
  ruleId?: string;
  start?: number;
  end?: number;
  /** How many things the notification stands for (`routes-not-judged`: the routes the route rules could not judge). */
  count?: number;
}

export interface TokenContract {
  algorithms?: string[];
  issuer?: string | string[];
  audiences?: string[];
  jwksUri?: string;
}

/** The `project` section of the configuration: organisation facts that rules read. */
export interface ProjectSettings {
  tokenContract?: TokenContract;
  authenticationMiddleware?: string[];
  authorizationMiddleware?: string[];
  publicMarkers?: string[];
  publicRoutes?: string[];
  internalRoutes?: string[];
  sharedLibrary?: { packages: string[]; allowedPaths?: string[] };
  permissionServices?: string[];
  /** Host patterns of the organisation's internal services (`*.acme.corp`, `payments`). */
  internalServices?: string[];
  /** Variable or configuration-key patterns that hold internal service base URLs (`*_BASE_URL`). */
  internalServiceVariables?: string[];
  /** In-house functions that decide access (`canEditOrder`, `assertOwner`): a call in the request path authorizes the route. */
  authorizationFunctions?: string[];
  /** Identity headers set by a trusted gateway (`x-user-id` after the gateway verified the token). */
  trustedIdentityHeaders?: string[];
  /** Words that make a route administrative for route-require-authorization, added to the built-in ones. */
  adminPathWords?: string[];
  reportTestFiles?: boolean;
  /** Who owns the service's auth code, for `authlint posture` when CODEOWNERS names nobody. */
  owner?: string | string[];
  /**
   * `route-require-authentication`: 'evidence' (default) ranks findings by what the handler does (an unauthenticated
   * read-only route touching no identity is a note); 'all' makes every unauthenticated route an error.
   */
  requireAuthentication?: 'evidence' | 'all';
}

export type SourceKind = ts.ScriptKind;
