import { ALL_RULES } from '../../rules/index.js';
import { loadConfig, resolveRules } from '../../src/core/config.js';
import { runFileRules, selectFileRules, type ActiveRule } from '../../src/core/engine.js';
import { AnalysisProject, type SourceFileInfo } from '../../src/core/project.js';
import { analyseRouteAuthorization, ROUTE_AUTHORIZATION } from '../../src/facts/authz/index.js';
import { addHandlerFacts, formatRouteName, ROUTES, type RouteFact } from '../../src/facts/routes/index.js';
import { scan } from '../../src/scan.js';

/** A route whose analysis gave another answer in another order. */
export interface OrderDifference {
  route: string;
  order: 'reverse' | 'alone';
  part: 'authorization' | 'handler';
  expected: string;
  actual: string;
}

export interface OrderReport {
  routes: number;
  /** How many routes were analysed on a project of their own (all of them unless `aloneLimit` is smaller). */
  alone: number;
  differences: OrderDifference[];
}

/**
 * A project over the same files as `base`, sharing their trees (as the editor's snapshots do) but none of its memos:
 * every fact and memo of the analyses starts empty.
 */
function freshProject(base: AnalysisProject): AnalysisProject {
  const project = new AnalysisProject(base.root, base.settings);
  for (const file of base.files()) project.addSharedFile(file);
  return project;
}

/** What the rules read of a route's handler: its evidence and the handler's own authentication step. */
function handlerView(route: RouteFact): string {
  return JSON.stringify({ evidence: route.handlerEvidence, step: route.chain.find((s) => s.scope === 'handler') });
}

/** The handler facts of `route` computed anew on `project`, with `memo` shared by the routes of that pass. */
function recomputeHandler(project: AnalysisProject, route: RouteFact, memo: Parameters<typeof addHandlerFacts>[2]): string {
  const { handlerEvidence: _dropped, ...rest } = route;
  const copy: RouteFact = { ...rest, chain: route.chain.filter((s) => s.scope !== 'handler') };
  addHandlerFacts(project, copy, memo);
  return handlerView(copy);
}

function describe(route: RouteFact): string {
  return `${formatRouteName(route)} (${route.file}:${route.start})`;
}

/**
 * Analyses every route of a project built as the CLI builds it (a), then again on fresh projects over the same files:
 * all routes in reverse order (b), and each route alone (c); reports every route whose handler facts or authorization
 * facts differ from (a). A route's result must be a function of the route and the project, whatever was analysed first.
 */
export function checkRouteOrder(root: string, options: { paths?: string[]; aloneLimit?: number } = {}): OrderReport {
  let report: OrderReport | undefined;
  scan({
    root,
    paths: options.paths ?? [root],
    onProject: (base) => {
      const routes = base.projectFact(ROUTES);
      const authorization = base.projectFact(ROUTE_AUTHORIZATION);
      const expected = routes.map((route) => ({ handler: handlerView(route), authorization: JSON.stringify(authorization.get(route)) }));
      const differences: OrderDifference[] = [];
      const compare = (index: number, order: OrderDifference['order'], part: OrderDifference['part'], actual: string) => {
        const route = routes[index] as RouteFact;
        const wanted = expected[index]?.[part] as string;
        if (actual !== wanted) differences.push({ route: describe(route), order, part, expected: wanted, actual });
      };

      const reverse = freshProject(base);
      const handlerMemo: Parameters<typeof addHandlerFacts>[2] = new Map();
      const stepMemo = new Map();
      const indexes = routes.map((_, i) => i).reverse();
      for (const i of indexes) compare(i, 'reverse', 'handler', recomputeHandler(reverse, routes[i] as RouteFact, handlerMemo));
      for (const i of indexes) compare(i, 'reverse', 'authorization', JSON.stringify(analyseRouteAuthorization(reverse, routes[i] as RouteFact, stepMemo)));

      const alone = Math.min(routes.length, options.aloneLimit ?? routes.length);
      // Spread the routes analysed alone over the whole list when only some of them are.
      const step = routes.length / Math.max(alone, 1);
      for (let k = 0; k < alone; k++) {
        const i = Math.floor(k * step);
        const route = routes[i] as RouteFact;
        compare(i, 'alone', 'handler', recomputeHandler(freshProject(base), route, new Map()));
        compare(i, 'alone', 'authorization', JSON.stringify(analyseRouteAuthorization(freshProject(base), route)));
      }
      report = { routes: routes.length, alone, differences };
    },
  });
  if (!report) throw new Error(`no project was built for ${root}`);
  return report;
}

/** A file whose file rules gave other findings in another order. */
export interface FileOrderDifference {
  file: string;
  order: 'reverse' | 'alone';
  expected: string;
  actual: string;
}

function fileFindings(project: AnalysisProject, file: SourceFileInfo, active: readonly ActiveRule[]): string {
  const result = runFileRules(project, file, selectFileRules(project, active)(file));
  return JSON.stringify([result.findings, result.notifications]);
}

/**
 * The file rules' findings of every scanned file after a scan as the CLI runs it (a), against the same rules run on
 * fresh projects over the same files: every file in reverse order on one project (b), each file alone (c). A file's
 * findings must not depend on which files were linted before it (the editor lints one file on a fresh snapshot).
 */
export function checkFileOrder(root: string): { files: number; differences: FileOrderDifference[] } {
  const loaded = loadConfig(root);
  const active = resolveRules(loaded.config, ALL_RULES, loaded.file).filter((a) => a.rule.meta.scope === 'file');
  let report: { files: number; differences: FileOrderDifference[] } | undefined;
  scan({
    root,
    onProject: (base, isReported) => {
      const files = base.files().filter((f) => isReported(f.relPath));
      const expected = files.map((file) => fileFindings(base, file, active));
      const differences: FileOrderDifference[] = [];
      const compare = (index: number, order: FileOrderDifference['order'], actual: string) => {
        const wanted = expected[index] as string;
        if (actual !== wanted) differences.push({ file: (files[index] as SourceFileInfo).relPath, order, expected: wanted, actual });
      };
      const reverse = freshProject(base);
      for (let i = files.length - 1; i >= 0; i--) compare(i, 'reverse', fileFindings(reverse, files[i] as SourceFileInfo, active));
      files.forEach((file, i) => compare(i, 'alone', fileFindings(freshProject(base), file, active)));
      report = { files: files.length, differences };
    },
  });
  if (!report) throw new Error(`no project was built for ${root}`);
  return report;
}
