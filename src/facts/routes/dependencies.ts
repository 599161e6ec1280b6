import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { skipOuterExpressions } from '../scope.js';
import { evaluate, resolveOrigin } from '../values.js';
import { getLocationFile, ROUTES } from './index.js';
import type { RouteFact, SourceLocation } from './types.js';

/** The expression written exactly at a location (a chain step as registered), if any. */
function getExpressionAt(file: SourceFileInfo, location: SourceLocation): ts.Expression | undefined {
  let node: ts.Node = file.sourceFile;
  for (;;) {
    if (node.getStart(file.sourceFile) === location.start && node.getEnd() === location.end && ts.isExpression(node)) return node;
    const next: ts.Node | undefined = node.getChildren(file.sourceFile).find((child) => child.getStart(file.sourceFile) <= location.start && child.getEnd() >= location.end);
    if (!next) return undefined;
    node = next;
  }
}

/** The files that define what a step expression names: the middleware function, its factory, the guard class. */
function getDefinitionFiles(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): string[] {
  const inner = skipOuterExpressions(expr);
  const targets = ts.isCallExpression(inner) || ts.isNewExpression(inner) ? [inner, inner.expression] : [inner];
  const files: string[] = [];
  for (const target of targets) {
    const value = evaluate(project, file, target);
    if (value.kind !== 'unknown') files.push(value.file.relPath);
    const origin = resolveOrigin(project, file, target);
    if (origin.kind === 'local') files.push(origin.file.relPath);
  }
  return files;
}

/**
 * Every file a route's protection depends on: its registration, handler, mounts, public markers, the
 * places its chain steps are attached and the files that define those steps. An edit in any of them
 * can change whether the route is protected.
 */
export function getRouteDependencyFiles(project: AnalysisProject, route: RouteFact): string[] {
  const files = new Set<string>([route.file, ...route.mounts.map((m) => m.file), ...route.publicMarkers.map((m) => m.file)]);
  if (route.handler) files.add(route.handler.file);
  for (const step of route.chain) {
    files.add(step.file);
    const file = getLocationFile(project, step);
    const expr = file ? getExpressionAt(file, step) : undefined;
    if (file && expr) for (const f of getDefinitionFiles(project, file, expr)) files.add(f);
  }
  return [...files].sort();
}

/** Each route's registration (where route findings are reported) with the files its protection depends on. */
export function getRouteDependencies(project: AnalysisProject): Array<{ file: string; start: number; files: string[] }> {
  return project.projectFact(ROUTES).map((route) => ({ file: route.file, start: route.start, files: getRouteDependencyFiles(project, route) }));
}
