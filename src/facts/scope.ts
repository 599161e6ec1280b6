import { ts } from '@ts-morph/common';
import { defineTreeMemo } from '../core/tree-memo.js';
import { walk } from '../core/walk.js';

export type LocalDeclaration =
  | ts.VariableDeclaration
  | ts.BindingElement
  | ts.ParameterDeclaration
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.ImportClause
  | ts.ImportSpecifier
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration;

function matchBindingName(name: ts.BindingName, text: string): ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | undefined {
  if (ts.isIdentifier(name)) return name.text === text ? (name.parent as ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration) : undefined;
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = matchBindingName(element.name, text);
    if (found) return found;
  }
  return undefined;
}

function addBindingNames(name: ts.BindingName, table: Map<string, LocalDeclaration>): void {
  if (ts.isIdentifier(name)) {
    if (!table.has(name.text)) table.set(name.text, name.parent as ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) addBindingNames(element.name, table);
  }
}

/**
 * The names a statement list declares, each bound to its first declaration in statement order.
 * Built once per list (trees are immutable): name lookups used to rescan the list every time.
 */
const statementTables = defineTreeMemo<readonly ts.Statement[], Map<string, LocalDeclaration>>('statementTable');

/**
 * The tables asked for last, at a file's top level and in a block: lookups come in runs over one function and end at
 * the top level (imports, globals), so most are answered without the WeakMap.
 */
let lastTopLevel: { statements: readonly ts.Statement[]; table: Map<string, LocalDeclaration> } | undefined;
let lastBlock: { statements: readonly ts.Statement[]; table: Map<string, LocalDeclaration> } | undefined;

function getStatementTable(statements: readonly ts.Statement[], topLevel: boolean): Map<string, LocalDeclaration> {
  const last = topLevel ? lastTopLevel : lastBlock;
  if (last?.statements === statements) return last.table;
  const table = getStatementTableOf(statements);
  if (topLevel) lastTopLevel = { statements, table };
  else lastBlock = { statements, table };
  return table;
}

function getStatementTableOf(statements: readonly ts.Statement[]): Map<string, LocalDeclaration> {
  let table = statementTables.get(statements);
  if (table) return table;
  table = new Map();
  const add = (text: string, decl: LocalDeclaration) => {
    if (!table.has(text)) table.set(text, decl);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) addBindingNames(decl.name, table);
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      if (statement.name) add(statement.name.text, statement);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, clause);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) add(named.name.text, named);
      if (named && ts.isNamedImports(named)) for (const element of named.elements) add(element.name.text, element);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, statement);
    }
  }
  statementTables.set(statements, table);
  return table;
}

function findInStatements(statements: readonly ts.Statement[], text: string, topLevel = false): LocalDeclaration | undefined {
  return getStatementTable(statements, topLevel).get(text);
}

/**
 * A set of syntax kinds as a table indexed by kind: one load per node where a chain of `ts.isX` guards costs a call
 * each (measured ten times slower on hot loops over real trees).
 */
export function kindTable(kinds: Iterable<ts.SyntaxKind>): Uint8Array {
  const table = new Uint8Array(ts.SyntaxKind.Count + 1);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

const FUNCTION_LIKE_KINDS = Array.from({ length: ts.SyntaxKind.Count + 1 }, (_, kind: ts.SyntaxKind) => kind).filter((kind) => ts.isFunctionLike({ kind } as ts.Node));

/** The kinds of node that can declare a name for `findDeclaration`: most ancestors of a name are expressions, skipped with one look-up. */
const SCOPE_KINDS = kindTable([
  ...FUNCTION_LIKE_KINDS,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.CatchClause,
]);

/**
 * The last look-up and its answer: facts that read a name often ask for it twice in a row (a callee's root for its
 * origin, then for what wraps it); on ever-gauzy 139,666 of a scan's 498,011 look-ups repeat the one before. Trees do
 * not change once parsed, so the answer holds while the node lives.
 */
let lastFrom: ts.Node | undefined;
let lastText = '';
let lastFound: LocalDeclaration | undefined;

/** The declaration a name refers to at `from`, by lexical scope (no type checker). */
export function findDeclaration(from: ts.Node, text: string): LocalDeclaration | undefined {
  if (from === lastFrom && text === lastText) return lastFound;
  const found = findDeclarationFrom(from, text);
  lastFrom = from;
  lastText = text;
  lastFound = found;
  return found;
}

function findDeclarationFrom(from: ts.Node, text: string): LocalDeclaration | undefined {
  let node: ts.Node | undefined = from.parent;
  while (node) {
    if (SCOPE_KINDS[node.kind] !== 1) {
      node = node.parent;
      continue;
    }
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node)) {
      const found = findInStatements(node.statements, text, node.kind === ts.SyntaxKind.SourceFile);
      if (found) return found;
    } else if (ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const found = findInStatements(node.statements, text);
      if (found) return found;
    } else if (ts.isFunctionLike(node)) {
      for (const parameter of node.parameters) {
        const found = matchBindingName(parameter.name, text);
        if (found) return found;
      }
      if ((ts.isFunctionExpression(node) || ts.isClassExpression(node as ts.Node)) && (node as ts.FunctionExpression).name?.text === text) return undefined;
    } else if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
      for (const decl of node.initializer.declarations) {
        const found = matchBindingName(decl.name, text);
        if (found) return found;
      }
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      const found = matchBindingName(node.variableDeclaration.name, text);
      if (found) return found;
    }
    node = node.parent;
  }
  return undefined;
}

/** The variable declaration a binding element belongs to, and the property path to reach it. */
export function getBindingPath(element: ts.BindingElement): { declaration: ts.VariableDeclaration | ts.ParameterDeclaration; path: Array<string | number> } | undefined {
  const path: Array<string | number> = [];
  let current: ts.Node = element;
  while (ts.isBindingElement(current)) {
    const pattern: ts.BindingPattern = current.parent;
    if (ts.isObjectBindingPattern(pattern)) {
      const key = current.propertyName ?? current.name;
      if (ts.isIdentifier(key) || ts.isStringLiteral(key)) path.unshift(key.text);
      else return undefined;
    } else {
      path.unshift(pattern.elements.indexOf(current));
    }
    current = pattern.parent;
  }
  if (ts.isVariableDeclaration(current) || ts.isParameter(current)) return { declaration: current, path };
  return undefined;
}

/**
 * Where a member chain starts: `req` in `req.user.id`, `this` in `this.jwtService.sign`. With `throughCalls`, calls,
 * `new` and `await` are stepped through as well (`getJwt` in `(await getJwt()).verify`).
 */
export function getChainRoot(expr: ts.Expression, throughCalls = false): ts.Identifier | ts.ThisExpression | undefined {
  let current = skipOuterExpressions(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuterExpressions(current.expression);
    else if (throughCalls && (ts.isCallExpression(current) || ts.isNewExpression(current) || ts.isAwaitExpression(current))) {
      current = skipOuterExpressions(current.expression);
    } else break;
  }
  if (ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword) return current as ts.Identifier | ts.ThisExpression;
  return undefined;
}

/** Parentheses, `as`, `<T>x`, `x!` and `satisfies`: wrappers that leave the value as it is. */
const OUTER_EXPRESSION_KINDS = kindTable([
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.SatisfiesExpression,
]);

export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  while (OUTER_EXPRESSION_KINDS[current.kind] === 1) current = (current as ts.ParenthesizedExpression).expression;
  return current;
}

/** The name of a property key when it is static. */
export function getPropertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/**
 * The values later assigned to a `let` (or a name it destructures) in its function: `let where = {}; if (options.where)
 * where = options.where;`, `let token; … token = req.headers['x-token']`. None for a `const`, a parameter or a top-level name.
 */
export function getLetReassignments(decl: ts.VariableDeclaration | ts.BindingElement): ts.Expression[] {
  let list: ts.Node | undefined = decl.parent;
  while (list && (ts.isBindingElement(list) || ts.isObjectBindingPattern(list) || ts.isArrayBindingPattern(list) || ts.isVariableDeclaration(list))) list = list.parent;
  if (!ts.isIdentifier(decl.name) || !list || !ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) !== 0) return [];
  const name = decl.name.text;
  let scope: ts.Node | undefined = list;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope || ts.isSourceFile(scope)) return [];
  const out: ts.Expression[] = [];
  walk(scope, (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name && findDeclaration(node.left, name) === decl) out.push(node.right);
  });
  return out;
}
