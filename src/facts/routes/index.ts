import path from 'node:path';
import type { ts } from '@ts-morph/common';
import { defineProjectFact, type AnalysisProject, type ProjectFact, type SourceFileInfo } from '../../core/project.js';
import type { Level, RelatedLocation } from '../../core/types.js';
import { compareStrings } from '../../core/engine.js';
import { defineProjectMemo } from '../../core/project-memo.js';
import { FILE_UPLOAD_PACKAGES } from '../../models/middleware.js';
import { getInternalReasons } from './exposure.js';
import { EXPRESS_EXTRACTOR } from './express.js';
import { FASTIFY_EXTRACTOR } from './fastify.js';
import { findHandlerFunction, getHandlerAuthentication, getHandlerEvidence } from './handler.js';
import { HONO_EXTRACTOR } from './hono.js';
import { KOA_EXTRACTOR } from './koa.js';
import { NESTJS_EXTRACTOR } from './nestjs.js';
import { formatRouteName, type ChainStep, type HandlerEvidence, type MountLocation, type RouteExtractor, type RouteFact, type SourceLocation } from './types.js';

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
  return extractRegistrations(project, extractors).map((route) => withHandlerFacts(project, route));
}

/** The routes as registered (chains, paths, internal reasons), without what their handlers do. */
function extractRegistrations(project: AnalysisProject, extractors: readonly RouteExtractor[]): RouteFact[] {
  const extracted = extractors.flatMap((extractor) => project.projectFact(getExtractorFact(extractor)));
  const listeners = new Set(extracted.flatMap((r) => r.listeners.map((l) => `${l.file}:${l.start}`)));
  extracted.sort(compareRoutes);
  const registrations = getOtherRegistrations(extracted);
  return extracted.map((route) => withSharedFacts(project, route, listeners.size, registrations.get(route)));
}

/**
 * One framework's registered routes, a project fact of its own: an edit that only one framework's model reads (a Nest
 * controller) leaves the others' routes as they were in the editor's next snapshot instead of extracting them again.
 */
function getExtractorFact(extractor: RouteExtractor): ProjectFact<RouteFact[]> {
  let fact = EXTRACTOR_FACTS.get(extractor);
  if (!fact) {
    fact = defineProjectFact(`route-registrations:${extractor.framework}:${EXTRACTOR_FACTS_MADE++}`, (project: AnalysisProject) => extractor.extract(project), { plain: true });
    EXTRACTOR_FACTS.set(extractor, fact);
  }
  return fact;
}

const EXTRACTOR_FACTS = new WeakMap<RouteExtractor, ProjectFact<RouteFact[]>>();
let EXTRACTOR_FACTS_MADE = 0;

/**
 * The route an extractor made, with the heuristics that depend on every route (internal reasons, the route's other
 * registrations): a copy, since an extractor's routes may be a unit's answer, shared with the editor's next snapshot.
 * The same route with the same inputs gives the same copy, so that what is keyed by route objects (handler facts,
 * authorization units) is found again when one controller of many was extracted again.
 */
function withSharedFacts(project: AnalysisProject, route: RouteFact, listeners: number, registrations: SourceLocation[] | undefined): RouteFact {
  const known = SHARED_FACTS.get(route);
  const settings = getSettingsKey(project.settings);
  if (known && known.settings === settings && known.listeners === listeners && isSameLocations(known.registrations, registrations)) return known.route;
  const reasons = getInternalReasons(route, project.settings, listeners);
  const copy: RouteFact = { ...route, internalReasons: [...new Set([...route.internalReasons, ...reasons])] };
  if (registrations) copy.registrations = registrations;
  SHARED_FACTS.set(route, { settings, listeners, registrations, route: copy });
  return copy;
}

const SHARED_FACTS = new WeakMap<RouteFact, { settings: string; listeners: number; registrations: SourceLocation[] | undefined; route: RouteFact }>();

/** The project settings as text, by settings object: each editor snapshot may hold its own copy of the same settings. */
function getSettingsKey(settings: object): string {
  let key = SETTINGS_KEYS.get(settings);
  if (key === undefined) SETTINGS_KEYS.set(settings, (key = JSON.stringify(settings)));
  return key;
}

const SETTINGS_KEYS = new WeakMap<object, string>();

function isSameLocations(a: readonly SourceLocation[] | undefined, b: readonly SourceLocation[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x.file === b[i]?.file && x.start === b[i]?.start && x.end === b[i]?.end);
}

/**
 * The registered routes of every framework model. A project fact of its own: the editor's next snapshot keeps it
 * when the edit changed no registration (reads.ts), and only the handlers' facts are looked up again.
 */
const ROUTE_REGISTRATIONS = defineProjectFact('route-registrations', (project: AnalysisProject): RouteFact[] => extractRegistrations(project, ROUTE_EXTRACTORS), {
  plain: true,
});

/** One route to a client: the same app, method and path (parameter names aside), however many calls register it. */
export function getRouteKey(route: Pick<RouteFact, 'framework' | 'app' | 'methods' | 'path'>): string {
  // Asked of every route by several rules on each run: kept by route object (the four fields never change once built).
  let key = KEYS_BY_ROUTE.get(route);
  if (key === undefined) KEYS_BY_ROUTE.set(route, (key = [route.framework, route.app ?? '', route.methods.join('|'), route.path.replace(/:[^/]+/g, ':')].join('\u0000')));
  return key;
}

const KEYS_BY_ROUTE = new WeakMap<object, string>();

/**
 * The routes whose findings can land in `focus` (relative paths; RuleContext.focus): those located there, and every
 * route sharing a route key with one of them, since selectRouteFindings picks one registration of a route among all.
 * Every route without a focus.
 */
export function routesForFocus(routes: readonly RouteFact[], focus: ReadonlySet<string> | undefined): readonly RouteFact[] {
  if (!focus) return routes;
  const keys = new Set<string>();
  for (const route of routes) if (focus.has(route.file)) keys.add(getRouteKey(route));
  return keys.size === 0 ? [] : routes.filter((route) => focus.has(route.file) || keys.has(getRouteKey(route)));
}

/** For each registration of a route registered by several calls (sorted routes), the others. */
function getOtherRegistrations(routes: readonly RouteFact[]): Map<RouteFact, SourceLocation[]> {
  const result = new Map<RouteFact, SourceLocation[]>();
  const groups = new Map<string, Map<string, { location: SourceLocation; routes: RouteFact[] }>>();
  for (const route of routes) {
    if (!route.pathResolved && !route.unresolvedPrefixOnly) continue;
    const key = getRouteKey(route);
    const sites = groups.get(key) ?? new Map<string, { location: SourceLocation; routes: RouteFact[] }>();
    groups.set(key, sites);
    const site = `${route.file}:${route.start}`;
    const known = sites.get(site);
    if (known) known.routes.push(route);
    else sites.set(site, { location: { file: route.file, start: route.start, end: route.end }, routes: [route] });
  }
  for (const sites of groups.values()) {
    if (sites.size < 2) continue;
    for (const [site, { routes: siteRoutes }] of sites) {
      const others = [...sites].filter(([other]) => other !== site).map(([, { location }]) => location);
      for (const route of siteRoutes) result.set(route, others);
    }
  }
  return result;
}

const LEVEL_RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/**
 * One finding per route however many calls register it: of a route's flagged registrations the most severe (the first
 * on a tie) carries the finding, and its other registrations become related locations after the finding's own.
 */
export function selectRouteFindings<T extends { route: RouteFact; level?: Level; related: RelatedLocation[] }>(candidates: readonly T[], defaultLevel: Level): T[] {
  const chosen = new Map<string, T>();
  for (const candidate of candidates) {
    const key = getRouteKey(candidate.route);
    const known = chosen.get(key);
    if (!known || LEVEL_RANK[candidate.level ?? defaultLevel] > LEVEL_RANK[known.level ?? defaultLevel]) chosen.set(key, candidate);
  }
  return [...chosen.values()].map((candidate) => {
    const name = formatRouteName(candidate.route);
    const others = (candidate.route.registrations ?? []).map((r) => ({ ...r, message: `'${name}' is also registered here.` }));
    return others.length === 0 ? candidate : { ...candidate, related: [...candidate.related, ...others] };
  });
}

interface HandlerFacts {
  evidence: HandlerEvidence;
  step?: ChainStep;
}

interface HandlerMemo {
  get(fn: ts.Node): HandlerFacts | undefined;
  set(fn: ts.Node, facts: HandlerFacts): unknown;
}

const HANDLER_FACTS = defineProjectMemo<ts.Node, HandlerFacts>();

/**
 * The handler's own evidence, and its in-handler authentication as the last step of the chain (shared by every
 * framework). `memo` shares the facts of one handler function between the routes of one pass that it handles.
 */
export function addHandlerFacts(project: AnalysisProject, route: RouteFact, memo: HandlerMemo): void {
  const facts = route.handler ? getHandlerFacts(project, route.handler, memo) : undefined;
  if (facts) applyHandlerFacts(route, facts);
}

function getHandlerFacts(project: AnalysisProject, handler: SourceLocation, memo: HandlerMemo): HandlerFacts | undefined {
  const file = getLocationFile(project, handler);
  const found = file ? findHandlerFunction(project, file, handler) : undefined;
  if (!found) return undefined;
  let facts = memo.get(found.fn);
  if (!facts) {
    const step = getHandlerAuthentication(project, found);
    facts = { evidence: getHandlerEvidence(project, found), ...(step ? { step } : {}) };
    memo.set(found.fn, facts);
  }
  return facts;
}

function applyHandlerFacts(route: RouteFact, facts: HandlerFacts): void {
  route.handlerEvidence = facts.evidence;
  const upload = facts.evidence.writes ? undefined : route.chain.find((s) => s.scope === 'route' && s.library !== undefined && FILE_UPLOAD_PACKAGES.has(s.library));
  if (upload) route.handlerEvidence = { ...facts.evidence, writes: `stores the uploaded files (${upload.name} in ${upload.file})` };
  if (facts.step && !route.chain.some((s) => s.scope === 'handler')) route.chain.push({ ...facts.step });
}

/**
 * A copy of a registered route with what its handler does. A unit per handler location (AnalysisProject.unit), so that
 * the editor's next snapshot reads again only the handlers whose analysis read the edited file.
 */
function withHandlerFacts(project: AnalysisProject, registered: RouteFact): RouteFact {
  const handler = registered.handler;
  const facts = handler ? project.unit('route-handler', handlerKey(handler), () => getHandlerFacts(project, handler, HANDLER_FACTS(project))) : undefined;
  const known = COMBINED_ROUTES.get(registered);
  if (known && known.facts === facts) return known.route;
  const route: RouteFact = { ...registered, chain: [...registered.chain] };
  if (facts) applyHandlerFacts(route, facts);
  COMBINED_ROUTES.set(registered, { facts, route });
  return route;
}

/**
 * The route made of a registered route and its handler's facts, by registered route: the same two objects give the
 * same route, so an editor snapshot that takes both over builds its route list without copying every route, and the
 * list compares equal to the one before at a glance (early cutoff, see AnalysisProject.inheritFrom).
 */
const COMBINED_ROUTES = new WeakMap<RouteFact, { facts: HandlerFacts | undefined; route: RouteFact }>();

/** The unit key of a handler location, made once per location object (a snapshot that takes the registrations over has the same ones). */
const HANDLER_KEYS = new WeakMap<SourceLocation, string>();

function handlerKey(handler: SourceLocation): string {
  let key = HANDLER_KEYS.get(handler);
  if (key === undefined) HANDLER_KEYS.set(handler, (key = `${handler.file}:${handler.start}:${handler.end}`));
  return key;
}

/** Every HTTP route of the project with its effective chain, from every framework model. */
export const ROUTES = defineProjectFact(
  'routes',
  (project: AnalysisProject): RouteFact[] => project.projectFact(ROUTE_REGISTRATIONS).map((route) => withHandlerFacts(project, route)),
  { plain: true },
);

/** The file of a fact location (relative to the scan root), loaded on demand. */
export function getLocationFile(project: AnalysisProject, location: SourceLocation): SourceFileInfo | undefined {
  return project.getFile(path.resolve(project.root, location.file));
}

/** Related locations for a finding on a route: the mounts that gave it its prefix. */
export function getMountRelatedLocations(mounts: readonly MountLocation[]): RelatedLocation[] {
  return mounts.map((m) => ({ file: m.file, start: m.start, end: m.end, message: `Mounted at '${m.prefix}' here.` }));
}

export { getServiceKey } from './service.js';
