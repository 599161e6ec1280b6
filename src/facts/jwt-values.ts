import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import { findDeclaration, getPropertyName, skipOuterExpressions } from './scope.js';
import { evaluate, findEnclosingClass, getMember, type Value } from './values.js';

/**
 * `evaluate` plus two shapes JWT code uses for keys and options: members of the enclosing class
 * (`this.secret`, `this.options.verify`) and option objects filled in after their declaration
 * (`const opts = {}; opts.secretOrKey = …;`, the passport-jwt README style).
 */
export function evaluateJwtExpression(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression): Value {
  const expr = skipOuterExpressions(input);
  const chain: string[] = [];
  let root: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(root) || (ts.isElementAccessExpression(root) && ts.isStringLiteralLike(root.argumentExpression))) {
    chain.unshift(ts.isPropertyAccessExpression(root) ? root.name.text : (root.argumentExpression as ts.StringLiteral).text);
    root = skipOuterExpressions(root.expression);
  }
  if (root.kind === ts.SyntaxKind.ThisKeyword && chain.length > 0) {
    const member = evaluateThisMember(project, file, root, chain[0] as string);
    if (member) {
      let value: Value | undefined = member;
      for (const key of chain.slice(1)) value = value && getMember(value, key);
      if (value) return value;
    }
  }
  const value = evaluate(project, file, expr);
  if (ts.isIdentifier(expr) && value.kind === 'object') return withLaterAssignments(project, file, expr, value);
  if (value.kind === 'unknown' && chain.length > 0) return evaluateSchemaEnv(project, file, expr, root, chain) ?? value;
  return value;
}

/**
 * `env.JWT_SECRET` where `env` is a validated environment: zod `schema.parse(process.env)`,
 * t3 `createEnv({ server: { … } })` or envalid `cleanEnv(process.env, { … })`; a schema default is the env fallback.
 */
function evaluateSchemaEnv(project: AnalysisProject, file: SourceFileInfo, at: ts.Expression, root: ts.Expression, chain: string[]): Value | undefined {
  const name = chain[chain.length - 1] as string;
  const base = evaluate(project, file, root);
  if (base.kind !== 'call' || chain.length !== 1) return undefined;
  const call = base.call;
  const callee = skipOuterExpressions(call.expression);
  let field: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'parse' || callee.name.text === 'parseAsync')) {
    field = getSchemaField(findObjectArgument(resolveLocal(callee.expression)), [name]);
  } else {
    const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const [first, second] = call.arguments ?? [];
    if (calleeName === 'cleanEnv') field = getSchemaField(second && resolveLocal(second), [name]);
    if (calleeName === 'createEnv') {
      const options = first && resolveLocal(first);
      field = getSchemaField(options, ['server', name]) ?? getSchemaField(options, ['shared', name]);
    }
  }
  if (!field) return undefined;
  const fallback = findSchemaDefault(field);
  const fieldFile = project.getFile(field.getSourceFile().fileName) ?? base.file;
  return { kind: 'env', name, ...(fallback ? { fallback: evaluate(project, fieldFile, fallback) } : {}), node: at, file };
}

function resolveLocal(expr: ts.Expression): ts.Expression {
  const inner = skipOuterExpressions(expr);
  if (!ts.isIdentifier(inner)) return inner;
  const decl = findDeclaration(inner, inner.text);
  return decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuterExpressions(decl.initializer) : inner;
}

/** The object literal given to `z.object({...})` somewhere in a schema chain (`.strict()`, `.extend()`). */
function findObjectArgument(expr: ts.Expression): ts.Expression | undefined {
  let current: ts.Expression = expr;
  for (let i = 0; i < 8 && ts.isCallExpression(current); i++) {
    const callee = skipOuterExpressions(current.expression);
    const first = current.arguments[0];
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'object' && first) return resolveLocal(first);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    current = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

function getSchemaField(objectExpr: ts.Expression | undefined, path: string[]): ts.Expression | undefined {
  let current = objectExpr && skipOuterExpressions(objectExpr);
  for (const key of path) {
    if (!current || !ts.isObjectLiteralExpression(current)) return undefined;
    const property = current.properties.find((p) => ts.isPropertyAssignment(p) && getPropertyName(p.name) === key);
    current = property && ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
  }
  return current;
}

/** `z.string().min(32).default('dev')`, envalid `str({ default: 'dev', devDefault: 'dev' })`. */
function findSchemaDefault(field: ts.Expression): ts.Expression | undefined {
  let current: ts.Expression = skipOuterExpressions(field);
  for (let i = 0; i < 12 && ts.isCallExpression(current); i++) {
    const callee = skipOuterExpressions(current.expression);
    const [first] = current.arguments;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'default' && first) return first;
    if (first && ts.isObjectLiteralExpression(first)) {
      const fallback = getSchemaField(first, ['default']) ?? getSchemaField(first, ['devDefault']);
      if (fallback) return fallback;
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    current = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

function evaluateThisMember(project: AnalysisProject, file: SourceFileInfo, at: ts.Node, name: string): Value | undefined {
  const cls = findEnclosingClass(at);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && getPropertyName(member.name) === name && member.initializer) {
      return evaluate(project, file, member.initializer);
    }
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        const assigned = getAssignment(statement);
        if (assigned && assigned.target.kind === ts.SyntaxKind.ThisKeyword && assigned.key === name) return evaluate(project, file, assigned.value);
      }
    }
  }
  return undefined;
}

function getAssignment(statement: ts.Statement): { target: ts.Expression; key: string; value: ts.Expression } | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return undefined;
  const { left, right, operatorToken } = statement.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  if (ts.isPropertyAccessExpression(left)) return { target: skipOuterExpressions(left.expression), key: left.name.text, value: right };
  if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression)) {
    return { target: skipOuterExpressions(left.expression), key: left.argumentExpression.text, value: right };
  }
  return undefined;
}

function withLaterAssignments(project: AnalysisProject, file: SourceFileInfo, id: ts.Identifier, value: Value & { kind: 'object' }): Value {
  const decl = findDeclaration(id, id.text);
  if (!decl || !ts.isVariableDeclaration(decl) || decl.getSourceFile() !== file.sourceFile) return value;
  const block = decl.parent.parent.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return value;
  let props: Map<string, Value> | undefined;
  for (const statement of block.statements) {
    const assigned = getAssignment(statement);
    if (!assigned || !ts.isIdentifier(assigned.target) || assigned.target.text !== id.text) continue;
    props ??= new Map(value.props);
    props.set(assigned.key, evaluate(project, file, assigned.value));
  }
  return props ? { ...value, props } : value;
}
