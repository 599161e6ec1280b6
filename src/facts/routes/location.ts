import { ts } from '@ts-morph/common';
import type { SourceFileInfo } from '../../core/project.js';
import { skipOuterExpressions } from '../scope.js';
import type { SourceLocation } from './types.js';

/** The source range of a node, as route facts, mounts and listeners report it. */
export function location(file: SourceFileInfo, node: ts.Node): SourceLocation {
  return { file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd() };
}

/**
 * Where a route is reported: its registration call, or for a call on a chain or at its head (`router.route('/:id').get(…).delete(…)`,
 * Hono's `app.get(…).post(…)`, Fastify's `fastify.post(…).get(…)`) the method name onwards, so each method's finding
 * and code frame show its own line instead of the chain's first line shared by all of them.
 */
export function routeLocation(file: SourceFileInfo, node: ts.Node): SourceLocation {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (ts.isCallExpression(skipOuterExpressions(node.expression.expression)) || isChainReceiver(node))) {
    return { file: file.relPath, start: node.expression.name.getStart(file.sourceFile), end: node.getEnd() };
  }
  return location(file, node);
}

/** The first call of a chain (`fastify.post(…)` in `fastify\n  .post(…)\n  .get(…)`): another method is called on its result. */
function isChainReceiver(call: ts.CallExpression): boolean {
  let outer: ts.Node = call;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return ts.isPropertyAccessExpression(outer.parent) && outer.parent.expression === outer && ts.isCallExpression(outer.parent.parent);
}
