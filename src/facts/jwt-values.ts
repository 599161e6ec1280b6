import { ts } from 'ts-morph';
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
  return value;
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
