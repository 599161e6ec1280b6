import path from 'node:path';
import type { AnalysisProject } from '../../core/project.js';
import type { RouteFact } from './types.js';

const serviceRoots = new WeakMap<AnalysisProject, Map<string, string>>();

/**
 * Which service a route belongs to: the folder of the nearest package.json between the route's file
 * and the scan root (one service per package of a monorepo); '' for the scan root itself.
 */
export function getServiceKey(project: AnalysisProject, route: Pick<RouteFact, 'file'>): string {
  let memo = serviceRoots.get(project);
  if (!memo) {
    memo = new Map();
    serviceRoots.set(project, memo);
  }
  const start = path.posix.dirname(route.file);
  const visited: string[] = [];
  let found = '';
  for (let dir = start; dir !== '.' && dir !== '' && dir !== '/' && !dir.startsWith('..'); dir = path.posix.dirname(dir)) {
    const known = memo.get(dir);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(dir);
    if (project.hasFile(path.resolve(project.root, dir, 'package.json'))) {
      found = dir;
      break;
    }
  }
  for (const dir of visited) memo.set(dir, found);
  return found;
}
