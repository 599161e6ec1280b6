import { ts } from '@ts-morph/common';
import { defineProjectFact, type AnalysisProject } from '../core/project.js';
import { walk } from '../core/walk.js';
import { getJwtCalls, type JwtCall } from './jwt.js';
import { getDecodeSources, getEnclosingFunction } from './jwt-flow.js';
import { findDeclaration, skipOuterExpressions } from './scope.js';
import { evaluate, getAlternatives } from './values.js';

const ORDERING = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);
const REGISTERED_TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);

/** `new Date()` or `Date.now()` somewhere in the expression: it reads the clock. */
function readsClock(expr: ts.Node): boolean {
  let found = false;
  walk(expr, (node) => {
    if (found || ts.isFunctionLike(node)) return false;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) found = true;
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'now' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Date') found = true;
    return undefined;
  });
  return found;
}

/** Members of the variable declared by `decl` read in `expr` (`payload.expiresAt` → expiresAt). */
function claimsReadIn(expr: ts.Node, decl: ts.VariableDeclaration): string[] {
  const claims: string[] = [];
  walk(expr, (node) => {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && findDeclaration(node.expression, node.expression.text) === decl) claims.push(node.name.text);
    return undefined;
  });
  return claims;
}

/** The variable a token read is stored in: `const payload = getJWTPayload(token)`, `const claims = await jwt.verify(…)`. */
function getHoldingVariable(node: ts.Node): ts.VariableDeclaration | undefined {
  let current = node;
  while (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name) ? parent : undefined;
}

/**
 * Custom claims of verified or decoded token payloads that the service compares with the clock
 * (`if (new Date(payload.expiresAt) < new Date()) throw …`, `new Date(payload.createdAt) < subMinutes(new Date(), 10)`):
 * a lifetime the service enforces itself instead of through `exp`.
 */
const CLOCK_CHECKED_CLAIMS = defineProjectFact(
  'jwt-clock-checked-claims',
  (project: AnalysisProject): Set<string> => {
    const claims = new Set<string>();
    // A clock read names `Date`: files without the word compare nothing with it.
    for (const file of project.filesMentioning(['Date'])) {
      if (file.isTestFile) continue;
      const reads = [
        ...getDecodeSources(project, file).map((source) => source.node),
        ...getJwtCalls(project, file).filter((call) => call.verifies && call.operation !== 'configure').map((call) => call.node),
      ];
      for (const read of reads) {
        const variable = getHoldingVariable(read);
        const fn = variable ? getEnclosingFunction(variable) : undefined;
        if (!variable || !fn?.body) continue;
        walk(fn.body, (node) => {
          if (!ts.isBinaryExpression(node) || !ORDERING.has(node.operatorToken.kind)) return;
          const [left, right] = [skipOuterExpressions(node.left), skipOuterExpressions(node.right)];
          for (const [side, other] of [[left, right], [right, left]] as const) {
            if (!readsClock(other)) continue;
            for (const claim of claimsReadIn(side, variable)) if (!REGISTERED_TIME_CLAIMS.has(claim)) claims.add(claim);
          }
        });
      }
    }
    return claims;
  },
  { plain: true },
);

/**
 * The signing call's payload carries a claim that the service compares with the clock where it reads such tokens
 * (outline's `expiresAt` and `createdAt`), so its tokens do expire although they have no `exp`.
 */
export function getClockCheckedClaim(project: AnalysisProject, call: JwtCall): string | undefined {
  const payloadArg = call.api.expiry?.payloadArg;
  const payload = payloadArg !== undefined ? call.node.arguments?.[payloadArg] : undefined;
  if (!payload || ts.isSpreadElement(payload)) return undefined;
  const checked = project.projectFact(CLOCK_CHECKED_CLAIMS);
  if (checked.size === 0) return undefined;
  let found: string | undefined;
  for (const alt of getAlternatives(evaluate(project, call.file, payload))) {
    const claim = alt.kind === 'object' ? [...alt.props.keys()].find((key) => checked.has(key)) : undefined;
    if (!claim) return undefined;
    found ??= claim;
  }
  return found;
}
