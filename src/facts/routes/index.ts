import path from 'node:path';
import type { ts } from 'ts-morph';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import type { RelatedLocation } from '../../core/types.js';
import { compareStrings } from '../../core/engine.js';
import { getInternalReasons } from './exposure.js';
import { EXPRESS_EXTRACTOR } from './express.js';
import { FASTIFY_EXTRACTOR } from './fastify.js';
import { findHandlerFunction, getHandlerAuthentication, getHandlerEvidence } from './handler.js';
import { HONO_EXTRACTOR } from './hono.js';
import { KOA_EXTRACTOR } from './koa.js';
import { NESTJS_EXTRACTOR } from './nestjs.js';
import type { ChainStep, HandlerEvidence, MountLocation, RouteExtractor, RouteFact, SourceLocation } from './types.js';

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
  const handlers = new Map<ts.Node, { evidence: HandlerEvidence; step?: ChainStep }>();
  for (const route of routes) {
    const reasons = getInternalReasons(route, project.settings, listeners.size);
    route.internalReasons = [...new Set([...route.internalReasons, ...reasons])];
    addHandlerFacts(project, route, handlers);
  }
  return routes.sort(compareRoutes);
}

/** The handler's own evidence, and its in-handler authentication as the last step of the chain (shared by every framework). */
function addHandlerFacts(project: AnalysisProject, route: RouteFact, memo: Map<ts.Node, { evidence: HandlerEvidence; step?: ChainStep }>): void {
  const file = route.handler ? getLocationFile(project, route.handler) : undefined;
  const found = file && route.handler ? findHandlerFunction(project, file, route.handler) : undefined;
  if (!found) return;
  let facts = memo.get(found.fn);
  if (!facts) {
    const step = getHandlerAuthentication(project, found);
    facts = { evidence: getHandlerEvidence(project, found), ...(step ? { step } : {}) };
    memo.set(found.fn, facts);
  }
  route.handlerEvidence = facts.evidence;
  if (facts.step && !route.chain.some((s) => s.scope === 'handler')) route.chain.push({ ...facts.step });
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
