import { ts } from '@ts-morph/common';
import { walk } from '../core/walk.js';
import { isAuthFunction, getEnclosingFunction, type DecodeSource } from './jwt-flow.js';
import { findDeclaration, getChainRoot, getPropertyName } from './scope.js';

/** Where unverified claims decide who the caller is or what it may do. */
export interface ClaimDecision {
  node: ts.Node;
  /** `the identity in 'req.user'`, `a check of 'role'`, … */
  decision: string;
}

interface Item {
  node: ts.Expression;
  state: 'claims' | 'complete';
  /** The whole decoded object (a null check of it decides nothing). */
  whole: boolean;
  claim: string | undefined;
  /** Object keys the claim was put under on its way to the current node (`{ where: { id: sub } }` → where, id). */
  via?: readonly string[];
  /** Repository functions entered on the way (their parameters hold the claims). */
  calls?: number;
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);
const DECISION_METHODS = new Set(['includes', 'indexOf', 'some', 'every', 'find', 'findIndex', 'has', 'startsWith', 'endsWith', 'match', 'test', 'localeCompare']);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InKeyword,
]);
const FLOWING = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.PlusToken]);
const IDENTITY_KEY =
  /^(user|users|auth|authInfo|claims|identity|principal|account|session|tenant|tenantId|orgId|organizationId|role|roles|scope|scopes|permissions|userId|user_id|uid|sub|currentUser|jwtPayload|member|actor|caller|viewer|profile|isAdmin|admin|customerId|accountId|email|username)$/i;
const IDENTITY_CLAIM = /^(sub|id|_id|userId|user_id|uid|email|username|preferred_username|tenantId|tenant_id|accountId|account_id|customerId|orgId|org_id|organizationId|workspaceId)$/;
const LOOKUP_CALL = /^(find|get|load|fetch|query|select|lookup|read|retrieve)\w*$/i;
// Writes and outbound requests: an unverified id here chooses which record changes or whose data another service sends.
const CHANGE_CALL = /^(update|delete|remove|destroy|upsert|insert|save|patch|put|post|request|exec|execute|where)\w*$/i;
const AUTHZ_WORD = /^can[A-Z]|role|privileg|permission|scope|access|allowed|admin|owner|entitle|authori[sz]/i;
const REQUEST_ROOT = /^(req|request|ctx|context|c|res|response|reply|event|socket|client|conn|connection|session|locals|state|info)$/;
const CALLBACK_NAME = /^(done|cb|callback|verified|next)$/;
const AUTHZ_CALL = /^((has|check|require|assert|ensure|can|is)(Any)?(Role|Roles|Permission|Permissions|Scope|Scopes|Access|Admin|Owner|Allowed)\w*|authori[sz]e\w*|can|cannot|enforce|defineAbilit\w*|createAbilit\w*)$/;

const LOGGING_CALLEE = /log|audit|metric|telemetry|analytics|track|trace|span/i;
const SELECTOR_KEY = /^(where|filter|query|params|conditions|_?id|\w*Id|\w*_id|sub|email|username)$/;

/** An argument of a write selects the data when the claim is passed directly or under a selector key, not as a field of the written record (an audit entry's actor). */
function selectsData(via: readonly string[] | undefined): boolean {
  return via === undefined || via.length === 0 || via.some((key) => SELECTOR_KEY.test(key));
}

/** `sub`, `user.id`: the last step of a claim path names an identity. */
function isIdentityClaim(claim: string | undefined): boolean {
  return claim !== undefined && IDENTITY_CLAIM.test(claim.slice(claim.lastIndexOf('.') + 1));
}

function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  const root = getChainRoot(expr);
  return root && ts.isIdentifier(root) ? root : undefined;
}

function memberName(expr: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  return undefined;
}

/** `req.user = …`, `ctx.state.user = …`, `res.locals.userId = …`: the request now carries an identity. */
function isIdentityTarget(left: ts.Expression): boolean {
  const name = memberName(left);
  const root = rootIdentifier(left);
  if (!name || !root || !IDENTITY_KEY.test(name)) return false;
  const decl = findDeclaration(root, root.text);
  return REQUEST_ROOT.test(root.text) || (!!decl && ts.isParameter(decl));
}

function isRequestMember(left: ts.Expression): boolean {
  const root = rootIdentifier(left);
  return root !== undefined && root !== left && REQUEST_ROOT.test(root.text);
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  return memberName(callee);
}

function isInCondition(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isIfStatement(parent) && parent.expression === node) ||
    (ts.isConditionalExpression(parent) && parent.condition === node) ||
    ((ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === node) ||
    (ts.isSwitchStatement(parent) && parent.expression === node)
  );
}

function isAuthEntryPoint(fn: ts.FunctionLikeDeclaration): string | undefined {
  const named = isAuthFunction(fn);
  if (named) return named;
  const parent = fn.parent;
  if (ts.isCallExpression(parent) && /createParamDecorator$/.test(parent.expression.getText())) return 'createParamDecorator';
  return undefined;
}

function getReferences(decl: ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration, name: ts.Identifier): ts.Identifier[] {
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
  const refs: ts.Identifier[] = [];
  walk(scope, (node) => {
    if (!ts.isIdentifier(node) || node === name || node.text !== name.text) return;
    const parent = node.parent;
    if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return;
    if (findDeclaration(node, node.text) === decl) refs.push(node);
  });
  return refs;
}

/** The repository function a call runs, when it can be resolved. */
export type CalleeResolver = (call: ts.CallExpression) => ts.FunctionLikeDeclaration | undefined;

/**
 * Follows decoded claims through variables, members, objects and calls to the first identity or access decision; with
 * `calleeOf`, also into the parameters of the repository functions the claims are passed to (`AuthService.logout(claims)`).
 */
export function findClaimDecision(source: DecodeSource, calleeOf?: CalleeResolver): ClaimDecision | undefined {
  if (source.shape === 'header') return undefined;
  const queue: Item[] = [{ node: source.node, state: source.shape === 'complete' ? 'complete' : 'claims', whole: true, claim: undefined }];
  const seen = new Set<ts.Node>();
  const identityObjects = new Set<ts.Node>();
  const label = (item: Item) => (item.claim ? `'${item.claim}'` : 'the claims');
  for (let steps = 0; queue.length > 0 && steps < 400; steps++) {
    const item = queue.shift() as Item;
    if (seen.has(item.node)) continue;
    seen.add(item.node);
    const push = (node: ts.Expression, next: Partial<Item> = {}) => queue.push({ ...item, ...next, node });
    const bind = (decl: ts.VariableDeclaration | ts.BindingElement, name: ts.Identifier, next: Partial<Item>) => {
      for (const ref of getReferences(decl, name)) push(ref, next);
    };
    const node = item.node;
    const parent = node.parent;
    if (!parent) continue;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent)) {
      push(parent);
      continue;
    }
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
      const key = memberName(parent);
      if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent && key !== undefined && item.state === 'claims') {
        if (DECISION_METHODS.has(key) && !item.whole) return { node: parent.parent, decision: `a check of ${label(item)}` };
        push(parent.parent, { whole: false });
        continue;
      }
      if (item.state === 'complete') {
        if (key === 'payload') push(parent, { state: 'claims', whole: true });
        else if (key === 'decoded') push(parent, { state: 'complete', whole: true });
        continue;
      }
      if (key !== undefined && TIME_CLAIMS.has(key)) continue;
      const chained = item.claim !== undefined && key !== undefined && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node));
      push(parent, { whole: false, claim: chained ? `${item.claim}.${key}` : (item.claim ?? key) });
      continue;
    }
    if (item.state === 'complete' && !ts.isVariableDeclaration(parent)) continue;
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
      if (ts.isIdentifier(parent.name)) bind(parent, parent.name, {});
      else if (ts.isObjectBindingPattern(parent.name)) {
        for (const element of parent.name.elements) {
          const key = element.propertyName ? getPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
          if (!ts.isIdentifier(element.name) || key === undefined) continue;
          if (item.state === 'complete') {
            if (key === 'payload') bind(element, element.name, { state: 'claims', whole: true });
          } else if (!TIME_CLAIMS.has(key)) bind(element, element.name, { whole: false, claim: item.claim ?? key });
        }
      }
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken && parent.right === node) {
        if (isIdentityTarget(parent.left) || (identityObjects.has(node) && isRequestMember(parent.left))) {
          return { node: parent, decision: `the identity in '${parent.left.getText()}'` };
        }
        const left = parent.left;
        if (ts.isIdentifier(left)) {
          const decl = findDeclaration(left, left.text);
          if (decl && (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) && ts.isIdentifier(decl.name)) bind(decl, decl.name, {});
        }
        continue;
      }
      if (COMPARISONS.has(op)) {
        if (!item.whole) return { node: parent, decision: `a comparison of ${label(item)}` };
        continue;
      }
      if (FLOWING.has(op)) push(parent, op === ts.SyntaxKind.PlusToken ? { whole: false } : {});
      continue;
    }
    if (ts.isPrefixUnaryExpression(parent)) {
      push(parent);
      continue;
    }
    // `new JwtPayload(claims)`: an object built from the claims carries them on.
    if (ts.isNewExpression(parent) && parent.arguments?.[0] === node) {
      push(parent);
      continue;
    }
    if (isInCondition(node)) {
      if (!item.whole) return { node, decision: `a check of ${label(item)}` };
      continue;
    }
    if (ts.isConditionalExpression(parent) || ts.isTemplateSpan(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent)) {
      const target = ts.isTemplateSpan(parent) ? parent.parent : ts.isSpreadElement(parent) ? parent.parent : parent;
      if (ts.isExpression(target)) push(target, { whole: false });
      continue;
    }
    if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isSpreadAssignment(parent)) {
      const object = parent.parent;
      const key = ts.isSpreadAssignment(parent) ? undefined : getPropertyName(parent.name);
      if (key !== undefined && IDENTITY_KEY.test(key)) identityObjects.add(object);
      push(object, { whole: false, via: [...(item.via ?? []), key ?? '...'] });
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node)) {
      const name = calleeName(parent);
      const index = parent.arguments.indexOf(node);
      if (name && CALLBACK_NAME.test(name) && index === 1 && ts.isIdentifier(parent.expression)) return { node: parent, decision: `the identity passed to '${name}'` };
      if (name === 'set' && index === 1 && parent.arguments[0] && ts.isStringLiteralLike(parent.arguments[0]) && (IDENTITY_KEY.test(parent.arguments[0].text) || parent.arguments[0].text === 'jwtPayload')) {
        return { node: parent, decision: `the identity in '${parent.arguments[0].text}'` };
      }
      if (name && (AUTHZ_CALL.test(name) || AUTHZ_WORD.test(name))) return { node: parent, decision: `the authorization check '${name}'` };
      if (name && DECISION_METHODS.has(name) && !item.whole) return { node: parent, decision: `a check of ${label(item)}` };
      if (name && LOOKUP_CALL.test(name) && !item.whole && isIdentityClaim(item.claim)) return { node: parent, decision: `the lookup of ${label(item)}` };
      if (name && CHANGE_CALL.test(name) && !item.whole && isIdentityClaim(item.claim) && selectsData(item.via) && !LOGGING_CALLEE.test(parent.expression.getText())) return { node: parent, decision: `the data '${name}' writes or requests for ${label(item)}` };
      const param = (item.calls ?? 0) < 2 ? calleeOf?.(parent)?.parameters[index] : undefined;
      if (param && ts.isIdentifier(param.name) && !param.dotDotDotToken) {
        for (const ref of getReferences(param, param.name)) push(ref, { calls: (item.calls ?? 0) + 1 });
      }
      push(parent);
      continue;
    }
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) {
      const fn = ts.isArrowFunction(parent) ? parent : getEnclosingFunction(parent);
      const name = fn ? isAuthEntryPoint(fn) : undefined;
      if (name) return { node, decision: `the result of '${name}'` };
      continue;
    }
  }
  return undefined;
}

function isOuterWrapper(node: ts.Node): node is ts.Expression {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

/** The value leaves the failure branch: returned, or assigned to something declared outside it. */
function leavesBranch(expr: ts.Expression, branch: ts.Node): string | undefined {
  let node: ts.Node = expr;
  while (node.parent && isOuterWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) return 'the value returned instead';
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left;
    const root = ts.isIdentifier(left) ? left : getChainRoot(left);
    const decl = root && ts.isIdentifier(root) ? findDeclaration(root, root.text) : undefined;
    if (!decl || decl.pos < branch.pos || decl.end > branch.end) return `'${left.getText()}'`;
  }
  return undefined;
}

/**
 * Claims decoded where verifying the same token failed (a `catch`, an error callback) that stand in for the verified
 * ones: returned, or assigned past the failure branch.
 */
export function findFallbackUse(source: DecodeSource, branch: ts.Node): ClaimDecision | undefined {
  if (source.shape === 'header') return undefined;
  const direct = leavesBranch(source.node, branch);
  if (direct) return { node: source.node, decision: direct };
  let node: ts.Node = source.node;
  while (node.parent && isOuterWrapper(node.parent)) node = node.parent;
  const decl = node.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== node || !ts.isIdentifier(decl.name)) return undefined;
  for (const ref of getReferences(decl, decl.name)) {
    const use = leavesBranch(ref, branch);
    if (use) return { node: ref, decision: use };
  }
  return undefined;
}
