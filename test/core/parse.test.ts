import { ts } from '@ts-morph/common';
import { describe, expect, it } from 'vitest';
import { getScriptKind, parseSource } from '../../src/core/parse.js';
import { findAll, linkParentsAndIndex } from '../../src/core/walk.js';

/** Every node with its parent's kind and position, JSDoc included, in a fixed order. */
function parentMap(sourceFile: ts.SourceFile): string[] {
  const rows: string[] = [];
  const visit = (node: ts.Node): void => {
    rows.push(`${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end} <- ${node.parent ? `${ts.SyntaxKind[node.parent.kind]}@${node.parent.pos}` : 'none'}`);
    for (const doc of (node as { jsDoc?: ts.Node[] }).jsDoc ?? []) visit(doc);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return rows;
}

const SOURCE = [
  "import jwt from 'jsonwebtoken';",
  '/** Verifies a token. @param token the bearer token @returns the claims */',
  'export function check(token: string): unknown {',
  '  const decoded = jwt.verify(token, process.env.KEY!, { algorithms: ["RS256"] });',
  '  return (decoded as { sub?: string })?.sub ?? new Error(`no ${token.length}`);',
  '}',
  'export class Guard { /** @deprecated */ canActivate = async (ctx: { req: unknown }) => !!ctx.req; }',
  'const view = <div className="x">{[1, 2].map((n) => <span key={n}>{n}</span>)}</div>;',
  '',
].join('\n');

describe('parseSource', () => {
  it('sets the same parent pointers as TypeScript\'s own pass, and parses no JSDoc into nodes', () => {
    for (const name of ['/repo/src/guard.ts', '/repo/src/view.tsx', '/repo/src/plain.js']) {
      const ours = parseSource(name, SOURCE).sourceFile;
      const reference = ts.createSourceFile(name, SOURCE, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, getScriptKind(name));
      expect(parentMap(ours)).toEqual(parentMap(reference));
      expect(parentMap(ours).filter((row) => row.startsWith('JSDoc'))).toEqual([]);
      // The comments are still in the text, where suppressions and other comment readers look.
      expect(ours.text).toContain('@deprecated');
    }
  });

  it('links the JSDoc nodes of a tree parsed with them as TypeScript\'s own pass does', () => {
    for (const name of ['/repo/src/guard.ts', '/repo/src/view.tsx', '/repo/src/plain.js']) {
      const withDocs = ts.createSourceFile(name, SOURCE, ts.ScriptTarget.Latest, false, getScriptKind(name));
      linkParentsAndIndex(withDocs);
      const reference = ts.createSourceFile(name, SOURCE, ts.ScriptTarget.Latest, true, getScriptKind(name));
      expect(parentMap(withDocs)).toEqual(parentMap(reference));
      expect(parentMap(withDocs).filter((row) => row.startsWith('JSDoc')).length).toBeGreaterThan(0);
    }
  });

  it('has the kind index ready: findAll over the file returns what a walk finds', () => {
    const { sourceFile } = parseSource('/repo/src/guard.tsx', SOURCE);
    const calls = findAll(sourceFile, ts.isCallExpression).map((c) => c.getText(sourceFile).slice(0, 20));
    expect(calls).toEqual(['jwt.verify(token, pr', '[1, 2].map((n) => <s']);
  });
});
