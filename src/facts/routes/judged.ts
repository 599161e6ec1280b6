import { getLineOfPosition, type AnalysisProject } from '../../core/project.js';
import type { Notification } from '../../core/types.js';
import { compareStrings } from '../../core/engine.js';
import { formatRouteName, getLocationFile, getUnknownAccessSteps, hasAuthentication, ROUTES } from './index.js';
import type { RouteFact } from './types.js';

/**
 * Why the route rules cannot tell whether a route is protected:
 * - `detached`: declared on a router or controller that no resolved application reaches, so the app-level middleware
 *   and global guards in front of it are unknown;
 * - `unresolved-path`: a part of its path other than a configured global prefix is only known at run time, so path-scoped
 *   middleware and public/internal patterns cannot be matched;
 * - `unknown-step`: no step authenticates, but middleware that could not be classified looks like access control.
 */
export type UnjudgedReason = 'detached' | 'unresolved-path' | 'unknown-step';

const REASON_TEXT: Record<UnjudgedReason, string> = {
  detached: 'declared on a router or controller that no resolved application reaches',
  'unresolved-path': 'with a path part known only at run time',
  'unknown-step': 'behind unclassified middleware that may authenticate',
};

const REASON_ORDER: readonly UnjudgedReason[] = ['unknown-step', 'unresolved-path', 'detached'];

/** How many examples of each reason the notification names: enough to start looking, short on a monorepo. */
const EXAMPLES_PER_REASON = 2;

/** The reason the route rules do not judge a route's authentication, or undefined when they do. */
export function getUnjudgedReason(route: RouteFact): UnjudgedReason | undefined {
  if (route.detached) return 'detached';
  if (!route.pathResolved && !route.unresolvedPrefixOnly) return 'unresolved-path';
  if (!hasAuthentication(route) && getUnknownAccessSteps(route).length > 0) return 'unknown-step';
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * One notification counting the routes the route rules could not judge, by reason with a few examples each, so that "no
 * finding" is never read as "protected". Undefined when every route was judged. Test files count only when reported,
 * and only routes in files the run reports (`--include`) count.
 */
export function getUnjudgedRoutesNotification(project: AnalysisProject, isReportedFile: (file: string) => boolean = () => true): Notification | undefined {
  const byReason = new Map<UnjudgedReason, Array<{ route: RouteFact; line: number }>>();
  const seen = new Set<string>();
  for (const route of project.projectFact(ROUTES)) {
    const reason = getUnjudgedReason(route);
    if (!reason) continue;
    const file = getLocationFile(project, route);
    if (!file || (file.isTestFile && !project.settings.reportTestFiles) || !isReportedFile(route.file)) continue;
    const key = `${route.file}:${route.start}:${formatRouteName(route)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = getLineOfPosition(file, route.start) + 1;
    byReason.set(reason, [...(byReason.get(reason) ?? []), { route, line }]);
  }
  if (byReason.size === 0) return undefined;
  const parts = REASON_ORDER.filter((reason) => byReason.has(reason)).map((reason) => {
    const routes = byReason.get(reason) ?? [];
    const examples = [...routes]
      .sort((a, b) => compareStrings(a.route.file, b.route.file) || a.line - b.line)
      .slice(0, EXAMPLES_PER_REASON)
      .map(({ route, line }) => {
        const step = reason === 'unknown-step' ? getUnknownAccessSteps(route)[0]?.name : undefined;
        return `${formatRouteName(route)} at ${route.file}:${line}${step ? ` behind '${step}'` : ''}`;
      });
    const more = routes.length > examples.length ? ', …' : '';
    return `${routes.length} ${REASON_TEXT[reason]} (${examples.join(', ')}${more})`;
  });
  const count = [...byReason.values()].reduce((sum, routes) => sum + routes.length, 0);
  const hint = byReason.has('unknown-step') ? ' Name in-house middleware in project.authenticationMiddleware or project.authorizationMiddleware;' : '';
  return {
    kind: 'routes-not-judged',
    level: 'warning',
    count,
    message: `${plural(count, 'route')} not judged: the route rules cannot tell whether ${count === 1 ? 'it requires' : 'they require'} authentication, so no finding does not mean protected: ${parts.join('; ')}.${hint} 'authlint routes' lists them.`,
  };
}
