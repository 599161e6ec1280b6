import type { DataOperation } from '../../models/data-access.js';
import type { SourceLocation } from '../routes/types.js';

/**
 * How a route decides who may act on what:
 * `authorized` a role/scope/permission step, a policy-engine call or an owner comparison runs;
 * `owner-scoped` the principal's id is part of the filter of the data access;
 * `caller-only` the route touches only the caller's own data (nothing named by the request is accessed, or only
 *   to connect or disconnect the caller in one of its relations);
 * `none` a resource named by the request is accessed and nothing ties it to the caller;
 * `unknown` part of the path could not be followed (an unresolved call given the principal or the request, an unclassified step).
 */
export type AuthorizationVerdict = 'authorized' | 'owner-scoped' | 'caller-only' | 'none' | 'unknown';

/**
 * `caller-link`: a change whose only effect is connecting or disconnecting the caller in a relation of the
 * record the request names (favouriting, following); like an ownership filter it ties the change to the caller.
 */
export type AuthorizationEvidenceKind = 'chain-step' | 'policy-call' | 'ownership-filter' | 'owner-comparison' | 'role-check' | 'caller-link';

export interface AuthorizationEvidence extends SourceLocation {
  kind: AuthorizationEvidenceKind;
  reason: string;
}

/** A query that loads, changes or deletes records, as seen from the route. */
export interface ResourceAccess extends SourceLocation {
  operation: DataOperation;
  library: string;
  /** Model, table or entity name, when known. */
  entity?: string;
  /** True when the entity's schema has an owner field, false when its fields are known and none is; undefined when unknown. */
  owned?: boolean;
  /** The owner field or relation that makes it owned. */
  ownerField?: string;
  /** The entity is an account (`User`): its id is the principal's id. */
  account: boolean;
  /** Request input in the filter: `params.id`, `body.userId`. */
  keyedBy: string[];
  /** Request input used as the owner field of the filter (`{ userId: req.body.userId }`). */
  ownerKeyFromRequest?: string;
  /** The principal is part of the filter. */
  principalBound: boolean;
  /**
   * The access is tied to the caller: its own filter has the principal, or an earlier query of the same
   * entity, selected by the same request input, had the principal in its filter (load-then-delete).
   */
  covered: boolean;
  /** Set when the change only connects or disconnects the caller in a relation (why, for the evidence). */
  callerLink?: string;
  /** The call loads many records (`find`, `findMany`, `findAll`), not one. */
  bulk: boolean;
  /** The filter is made of literals only (or absent): it selects without naming anyone. */
  constantFilter: boolean;
}

/** A decision on privilege or identity taken from client input (`req.query.isAdmin`, `x-user-role`). */
export interface ClientDecision extends SourceLocation {
  /** What the client controls, e.g. `query.isAdmin`, `header x-user-role`, `role of the user named by params.id`. */
  input: string;
  kind: 'privilege' | 'identity-header' | 'named-user-privilege';
}

export interface RouteAuthorization {
  verdict: AuthorizationVerdict;
  evidence: AuthorizationEvidence[];
  accesses: ResourceAccess[];
  /** Why the verdict is unknown, with where. */
  unknowns: Array<SourceLocation & { reason: string }>;
  decisions: ClientDecision[];
  /** The handler's code could be read (a function in the repository). */
  handlerRead: boolean;
  /**
   * False when every authentication step is repository code that checks a credential naming no user (an
   * API or infra token looked up in a table): there is no caller whose role or ownership could be checked.
   */
  callerIdentified: boolean;
}
