import { ts } from '@ts-morph/common';
import { defineTreeMemo } from './tree-memo.js';

/**
 * Visits every node in source order without recursion, so tens of thousands of nesting levels
 * cannot overflow the stack. `visit` returning false skips the node's children.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  traverse(root, visit, false);
}

/** `walk`, optionally setting each child's `parent` to the node it was reached from. */
function traverse(root: ts.Node, visit: (node: ts.Node) => boolean | void, linkParents: boolean): void {
  const stack: ts.Node[] = [root];
  let current = root;
  // Children are pushed straight onto the stack in source order, then that segment is reversed so
  // the first child is visited first: no per-node arrays or closures.
  const push = (child: ts.Node): undefined => {
    if (linkParents) (child as { parent: ts.Node }).parent = current;
    stack.push(child);
    return undefined;
  };
  const pushAll = (nodes: ts.NodeArray<ts.Node>): undefined => {
    for (let i = 0; i < nodes.length; i++) push(nodes[i] as ts.Node);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    if (visit(node) === false) continue;
    current = node;
    const base = stack.length;
    ts.forEachChild(node, push, pushAll);
    for (let i = base, j = stack.length - 1; i < j; i++, j--) {
      const swap = stack[i] as ts.Node;
      stack[i] = stack[j] as ts.Node;
      stack[j] = swap;
    }
  }
}

/**
 * Kinds that facts look for over whole files, by the `ts.isX` guard they pass to `findAll`: those
 * lookups are served from one walk per file instead of one walk per fact and framework model.
 */
const INDEXED_GUARDS = new Map<(node: ts.Node) => boolean, ts.SyntaxKind>([
  [ts.isCallExpression, ts.SyntaxKind.CallExpression],
  [ts.isNewExpression, ts.SyntaxKind.NewExpression],
  [ts.isClassDeclaration, ts.SyntaxKind.ClassDeclaration],
  [ts.isVariableDeclaration, ts.SyntaxKind.VariableDeclaration],
  [ts.isObjectLiteralExpression, ts.SyntaxKind.ObjectLiteralExpression],
  [ts.isFunctionDeclaration, ts.SyntaxKind.FunctionDeclaration],
  [ts.isImportDeclaration, ts.SyntaxKind.ImportDeclaration],
  [ts.isExportDeclaration, ts.SyntaxKind.ExportDeclaration],
  [ts.isImportEqualsDeclaration, ts.SyntaxKind.ImportEqualsDeclaration],
]);
/** The kinds the per-file index holds; the engine dispatches rule listeners of these kinds from it without a walk. */
export const INDEXED_KINDS: ReadonlySet<ts.SyntaxKind> = new Set(INDEXED_GUARDS.values());

interface KindIndex {
  byKind: Map<ts.SyntaxKind, ts.Node[]>;
  /** Every indexed node, in source (pre-)order. */
  ordered: ts.Node[];
}

const kindIndex = defineTreeMemo<ts.SourceFile, KindIndex>('kindIndex');

/**
 * Sets every node's `parent` and builds the file's kind index in one walk. `parseSource` parses without TypeScript's
 * own parent pass (`setParentNodes: false`) and calls this instead: the tree is walked once, not twice. JSDoc nodes
 * (none in its own parses, which skip them; a tree parsed with them may be indexed too), which `forEachChild` does not
 * visit, get their parents as TypeScript's pass would give them.
 */
export function linkParentsAndIndex(sourceFile: ts.SourceFile): void {
  kindIndex.set(sourceFile, buildIndex(sourceFile, true));
}

function buildIndex(sourceFile: ts.SourceFile, linkParents: boolean): KindIndex {
  const byKind = new Map<ts.SyntaxKind, ts.Node[]>();
  for (const k of INDEXED_KINDS) byKind.set(k, []);
  const ordered: ts.Node[] = [];
  traverse(
    sourceFile,
    (node) => {
      const list = byKind.get(node.kind);
      if (list) {
        list.push(node);
        ordered.push(node);
      }
      const docs = linkParents ? (node as { jsDoc?: ts.Node[] }).jsDoc : undefined;
      if (docs) for (const doc of docs) linkJsDoc(doc, node);
    },
    linkParents,
  );
  return { byKind, ordered };
}

function linkJsDoc(doc: ts.Node, owner: ts.Node): void {
  (doc as { parent: ts.Node }).parent = owner;
  const pending: ts.Node[] = [doc];
  while (pending.length > 0) {
    const node = pending.pop() as ts.Node;
    ts.forEachChild(
      node,
      (child) => {
        (child as { parent: ts.Node }).parent = node;
        pending.push(child);
      },
      (children) => {
        for (const child of children) {
          (child as { parent: ts.Node }).parent = node;
          pending.push(child);
        }
      },
    );
  }
}

/** The index of a file (computed once per tree; trees are immutable). */
function getKindIndex(sourceFile: ts.SourceFile): KindIndex {
  let index = kindIndex.get(sourceFile);
  if (!index) {
    index = buildIndex(sourceFile, false);
    kindIndex.set(sourceFile, index);
  }
  return index;
}

/**
 * The nodes of a file whose kind is in `kinds`, in source order, read from the per-file index: every kind must
 * be one of INDEXED_KINDS (the caller checks), so no walk is needed after the first.
 */
export function indexedNodesOfKinds(sourceFile: ts.SourceFile, kinds: ReadonlySet<ts.SyntaxKind>): ts.Node[] {
  const index = getKindIndex(sourceFile);
  if (kinds.size === 1) {
    const [only] = kinds;
    return (index.byKind.get(only as ts.SyntaxKind) ?? []).slice();
  }
  return index.ordered.filter((node) => kinds.has(node.kind));
}

/**
 * The file's nodes that pass one of the indexed `ts.isX` guards, in source order, without a copy: for hot loops that
 * only read. Throws for a guard that is not indexed (use findAll).
 */
export function indexedNodes<T extends ts.Node>(sourceFile: ts.SourceFile, guard: (node: ts.Node) => node is T): readonly T[] {
  const kind = INDEXED_GUARDS.get(guard);
  if (kind === undefined) throw new Error('indexedNodes: this guard is not indexed; use findAll');
  return getKindIndex(sourceFile).byKind.get(kind) as ts.Node[] as T[];
}

/** Every descendant of `root` (root included) whose kind is one of `kinds`, in source order. */
export function findAll<T extends ts.Node>(root: ts.Node, predicate: (node: ts.Node) => node is T): T[] {
  if (root.kind === ts.SyntaxKind.SourceFile) {
    const kind = INDEXED_GUARDS.get(predicate);
    if (kind !== undefined) return (getKindIndex(root as ts.SourceFile).byKind.get(kind) as ts.Node[]).slice() as T[];
  }
  const found: T[] = [];
  walk(root, (node) => {
    if (predicate(node)) found.push(node);
  });
  return found;
}
