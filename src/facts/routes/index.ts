import path from 'node:path';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import type { RelatedLocation } from '../../core/types.js';
import { compareStrings } from '../../core/engine.js';
import { getInternalReasons } from './exposure.js';
import { EXPRESS_EXTRACTOR } from './express.js';
import { FASTIFY_EXTRACTOR } from './fastify.js';
import { HONO_EXTRACTOR } from './hono.js';
import { KOA_EXTRACTOR } from './koa.js';
import { NESTJS_EXTRACTOR } from './nestjs.js';
import type { MountLocation, RouteExtractor, RouteFact, SourceLocation } from './types.js';

export * from './types.js';

/** Every framework model; each one lives in its own file under src/facts/routes/. */
export const ROUTE_EXTRACTORS: readonly RouteExtractor[] = [
  EXPRESS_EXTRACTOR,
  FASTIFY_EXTRACTOR,
  HONO_EXTRACTOR,
  KOA_EXTRACTOR,
  NESTJS_EXTRACTOR,
];

export function compareRoutes(a: RouteFact, b: RouteFact): number {
  return (
    compareStrings(a.file, b.file) ||
    a.start - b.start ||
    compareStrings(a.path, b.path) ||
    compareStrings(a.methods.join(','), b.methods.join(',')) ||
    a.end - b.end
  );
}

/** Runs the given extractors and fills in the shared internal-route heuristics; sorted by file and position. */
export function extractRoutes(project: AnalysisProject, extractors: readonly RouteExtractor[] = ROUTE_EXTRACTORS): RouteFact[] {
  const routes = extractors.flatMap((extractor) => extractor.extract(project));
  const listeners = new Set(routes.flatMap((r) => r.listeners.map((l) => `${l.file}:${l.start}`)));
  for (const route of routes) {
    const reasons = getInternalReasons(route, project.settings, listeners.size);
    route.internalReasons = [...new Set([...route.internalReasons, ...reasons])];
  }
  return routes.sort(compareRoutes);
}

/** Every HTTP route of the project with its effective chain, from every framework model. */
export const ROUTES = defineProjectFact('routes', (project: AnalysisProject): RouteFact[] => extractRoutes(project));

/** The file of a fact location (relative to the scan root), loaded on demand. */
export function getLocationFile(project: AnalysisProject, location: SourceLocation): SourceFileInfo | undefined {
  return project.getFile(path.resolve(project.root, location.file));
}

/** Related locations for a finding on a route: the mounts that gave it its prefix. */
export function getMountRelatedLocations(mounts: readonly MountLocation[]): RelatedLocation[] {
  return mounts.map((m) => ({ file: m.file, start: m.start, end: m.end, message: `Mounted at '${m.prefix}' here.` }));
}

export { getServiceKey } from './service.js';
