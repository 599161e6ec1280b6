import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { findDeclaration, kindTable, skipOuterExpressions } from '../../src/facts/scope.js';
import { getWords } from '../../src/facts/routes/exposure.js';

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('/repo/scope.ts', text, ts.ScriptTarget.Latest, true);
}

/** Every identifier `name` read in the file (not a declaration's own name), in source order. */
function readsOf(sourceFile: ts.SourceFile, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && !isDeclarationName(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isImportSpecifier(parent)) && parent.name === node;
}

/** The line of the declaration each read of `name` resolves to (0 when none), in source order. */
function resolvedLines(text: string, name: string): number[] {
  const sourceFile = parse(text);
  return readsOf(sourceFile, name).map((read) => {
    const decl = findDeclaration(read, name);
    return decl ? sourceFile.getLineAndCharacterOfPosition(decl.getStart(sourceFile)).line + 1 : 0;
  });
}

describe('findDeclaration', () => {
  it('binds a name to the innermost scope that declares it, through expressions of any depth', () => {
    const text = [
      "import { token } from './token';", // 1
      'function outer(token: string) {', // 2
      '  const inner = () => {', // 3
      '    const token = 1;', // 4
      '    return ((token as number)! + 1) * 2;', // 5
      '  };', // 6
      '  return token.length;', // 7
      '}', // 8
      'export const top = token;', // 9
    ].join('\n');
    expect(resolvedLines(text, 'token')).toEqual([4, 2, 1]);
  });

  it('finds loop, catch, case and destructured declarations, and stops at a named function expression', () => {
    const text = [
      'for (const item of list) use(item);', // 1
      'for (let i = 0; i < 3; i++) use(i);', // 2
      'try { run(); } catch ({ message: err }) { use(err); }', // 3
      'switch (kind) { case 1: { const c = 2; use(c); } default: const d = 3; use(d); }', // 4
      'const f = function self() { return self; };', // 5
    ].join('\n');
    expect(resolvedLines(text, 'item')).toEqual([1]);
    expect(resolvedLines(text, 'i')).toEqual([2, 2, 2]);
    expect(resolvedLines(text, 'err')).toEqual([3]);
    expect(resolvedLines(text, 'c')).toEqual([4]);
    expect(resolvedLines(text, 'd')).toEqual([4]);
    expect(resolvedLines(text, 'self')).toEqual([0]);
  });

  it('gives undefined for a global', () => {
    expect(resolvedLines('const x = () => console.log(process.env.A);', 'console')).toEqual([0]);
  });
});

describe('skipOuterExpressions', () => {
  it('steps through parentheses, as, type assertions, non-null and satisfies, and nothing else', () => {
    const sourceFile = parse('const a = ((<any>(b as unknown))! satisfies object);\nconst c = (d).e;');
    const [first, second] = sourceFile.statements.map((s) => (s as ts.VariableStatement).declarationList.declarations[0]!.initializer!);
    const inner = skipOuterExpressions(first!);
    expect(ts.isIdentifier(inner) && inner.text).toBe('b');
    expect(skipOuterExpressions(second!)).toBe(second);
  });
});

describe('kindTable', () => {
  it('marks exactly the kinds given', () => {
    const table = kindTable([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile]);
    expect([...table.keys()].filter((kind) => table[kind] === 1)).toEqual([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile].sort((a, b) => a - b));
  });
});

describe('getWords', () => {
  it('splits names into lower-case words, the same (and unchangeable) when asked again', () => {
    const first = getWords('adminRouter_v2-API.routes');
    expect(first).toEqual(['admin', 'router', 'v2', 'api', 'routes']);
    expect(getWords('adminRouter_v2-API.routes')).toEqual(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
