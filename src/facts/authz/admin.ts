import path from 'node:path';
import type { ProjectSettings } from '../../core/types.js';
import { ADMIN_WORDS, ACCOUNT_SCOPE_SEGMENTS, PRIVILEGE_CATALOGUE_WORDS, QUESTION_WORDS } from '../../models/route-patterns.js';
import { getWords } from '../routes/exposure.js';
import { getSegments } from '../routes/paths.js';
import type { RouteFact } from '../routes/types.js';
import type { ResourceAccess } from './types.js';

function adminWord(name: string, extra: readonly string[]): string | undefined {
  const words = getWords(name);
  if (words.length > 1 && QUESTION_WORDS.has(words[0] as string)) return undefined;
  return words.find((w) => ADMIN_WORDS.has(w) || extra.includes(w));
}

/**
 * Why a route administers the service (auth-idioms B10 and issue 9): an admin word in a static path
 * segment, the controller or router name, or the file name; settings `adminPathWords` add words.
 */
export function getAdminReason(route: Pick<RouteFact, 'path' | 'owner' | 'file'>, settings: ProjectSettings): string | undefined {
  const extra = (settings.adminPathWords ?? []).map((w) => w.toLowerCase());
  const segment = getSegments(route.path).find((s) => !s.startsWith(':') && !s.includes('<') && adminWord(s, extra) !== undefined);
  if (segment) return `path segment '${segment}'`;
  if (route.owner && adminWord(route.owner, extra)) return `declared in '${route.owner}'`;
  const base = path.posix.basename(route.file).replace(/\.[cm]?[jt]sx?$/, '');
  if (adminWord(base, extra)) return `file '${route.file}'`;
  return undefined;
}

/**
 * A read of the privileges the application defines (Flowise's `GET /api/v1/auth/permissions/:type` answers its
 * permission table from code): a GET or HEAD whose only admin word is a catalogue word (`permissions`, `roles`) and whose
 * handler loads no stored record. It administers nothing; listing the roles stored in a table, or assigning them, does.
 */
export function isPrivilegeCatalogueRead(route: Pick<RouteFact, 'path' | 'owner' | 'file' | 'methods'>, accesses: readonly ResourceAccess[], settings: ProjectSettings): boolean {
  if (accesses.length > 0 || route.methods.length === 0 || !route.methods.every((m) => m === 'GET' || m === 'HEAD')) return false;
  const extra = (settings.adminPathWords ?? []).map((w) => w.toLowerCase());
  const words = getSegments(route.path).filter((s) => !s.startsWith(':') && !s.includes('<')).flatMap((s) => (adminWord(s, extra) === undefined ? [] : [adminWord(s, extra) as string]));
  const elsewhere = (route.owner !== undefined && adminWord(route.owner, extra) !== undefined) || adminWord(path.posix.basename(route.file).replace(/\.[cm]?[jt]sx?$/, ''), extra) !== undefined;
  return words.length > 0 && words.every((w) => PRIVILEGE_CATALOGUE_WORDS.has(w) && !extra.includes(w)) && !elsewhere;
}

/** `/users/:userId/orders/:id`, `/accounts/:accountId/...`: the resource is scoped under an account named in the path. */
export function isAccountScopedPath(routePath: string): boolean {
  const segments = getSegments(routePath);
  return segments.some((s, i) => ACCOUNT_SCOPE_SEGMENTS.has(s.toLowerCase()) && (segments[i + 1] ?? '').startsWith(':') && i + 2 < segments.length);
}

/**
 * A query that lists accounts with a filter made of constants only
 * (NodeGoat's `users.find({ isAdmin: { $ne: true } })` behind `GET /benefits`): the route manages other
 * users, which makes it administrative whatever its path says.
 */
export function getAccountListing(accesses: readonly ResourceAccess[]): ResourceAccess | undefined {
  return accesses.find((a) => a.account && a.bulk && a.operation === 'read' && !a.principalBound && a.constantFilter);
}
