/**
 * NestJS 9–11: how controllers, routes, guards and metadata markers are declared.
 * Declarative knowledge only; the extractor is src/facts/routes/nestjs.ts.
 */

export const NEST_COMMON = '@nestjs/common';
export const NEST_CORE = '@nestjs/core';
export const NEST_PASSPORT = '@nestjs/passport';

/** Method decorators of @nestjs/common and the HTTP methods they register. */
export const NEST_ROUTE_DECORATORS: Readonly<Record<string, readonly string[]>> = {
  Get: ['GET'],
  Post: ['POST'],
  Put: ['PUT'],
  Patch: ['PATCH'],
  Delete: ['DELETE'],
  Options: ['OPTIONS'],
  Head: ['HEAD'],
  Search: ['SEARCH'],
  All: ['ALL'],
  Propfind: ['PROPFIND'],
  Proppatch: ['PROPPATCH'],
  Mkcol: ['MKCOL'],
  Copy: ['COPY'],
  Move: ['MOVE'],
  Lock: ['LOCK'],
  Unlock: ['UNLOCK'],
};

/** `RequestMethod.X` members used in `exclude` / `forRoutes` route infos. */
export const NEST_REQUEST_METHODS: Readonly<Record<string, string>> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  DELETE: 'DELETE',
  PATCH: 'PATCH',
  ALL: 'ALL',
  OPTIONS: 'OPTIONS',
  HEAD: 'HEAD',
  SEARCH: 'SEARCH',
};

/** Reflector methods that read metadata: the first argument is the key (or a `createDecorator` decorator). */
export const NEST_REFLECTOR_READS = new Set(['get', 'getAll', 'getAllAndOverride', 'getAllAndMerge']);

/** Passport strategy names that never authenticate a request. */
export const PASSPORT_ANONYMOUS_STRATEGIES = new Set(['anonymous']);

/** Strategy names that check a username and password on a login route; they are not a gate for other routes. */
export const PASSPORT_CREDENTIAL_STRATEGIES = new Set(['local']);

/** Guards shipped by packages, by module and export name. */
export const NEST_KNOWN_GUARDS: ReadonlyArray<{ module: string; name: string; kind: 'neutral' | 'authentication' | 'authorization'; reason: string }> = [
  { module: '@nestjs/throttler', name: 'ThrottlerGuard', kind: 'neutral', reason: 'rate limiting (@nestjs/throttler), not authentication' },
  { module: 'nest-access-control', name: 'ACGuard', kind: 'authorization', reason: 'nest-access-control role check' },
  { module: 'nest-casl', name: 'AccessGuard', kind: 'authorization', reason: 'nest-casl ability check' },
  { module: 'nest-keycloak-connect', name: 'AuthGuard', kind: 'authentication', reason: 'nest-keycloak-connect token validation' },
  { module: 'nest-keycloak-connect', name: 'RoleGuard', kind: 'authorization', reason: 'nest-keycloak-connect role check' },
  { module: 'nest-keycloak-connect', name: 'ResourceGuard', kind: 'authorization', reason: 'nest-keycloak-connect resource check' },
  { module: '@clerk/nestjs', name: 'ClerkAuthGuard', kind: 'authentication', reason: 'Clerk session verification' },
];

/** Decorators that mark a method as a non-HTTP handler (microservices, gateways, GraphQL). */
export const NEST_NON_HTTP_DECORATORS = new Set(['MessagePattern', 'EventPattern', 'SubscribeMessage', 'Query', 'Mutation', 'Subscription', 'ResolveField']);

/** Exceptions whose throw rejects with 401 / 403. */
export const NEST_UNAUTHORIZED_EXCEPTIONS = new Set(['UnauthorizedException']);
export const NEST_FORBIDDEN_EXCEPTIONS = new Set(['ForbiddenException']);
