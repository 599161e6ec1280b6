import { ts } from '@ts-morph/common';
import type { SourceFileInfo } from './project.js';

/**
 * Where a node of a file is, as plain data (a portable file fact may hold it, a tree node it may not): its full
 * start (leading trivia included), its end and its kind. `getNodeAt` finds the node again in the file's tree.
 */
export interface NodeRef {
  pos: number;
  end: number;
  kind: ts.SyntaxKind;
}

export function toNodeRef(node: ts.Node): NodeRef {
  return { pos: node.pos, end: node.end, kind: node.kind };
}

/** Whether `node` is the node `ref` points at (compared by position and kind, so no tree is needed for the ref). */
export function isNodeAt(node: ts.Node, ref: NodeRef): boolean {
  return node.pos === ref.pos && node.end === ref.end && node.kind === ref.kind;
}

/**
 * The node of `file`'s tree that `ref` points at (parsing the file when its tree is not parsed yet): the outermost node
 * with that span and kind, found by descending through the children that contain the span. Throws when the tree has
 * none, which means the ref was taken from another text.
 */
export function getNodeAt(file: SourceFileInfo, ref: NodeRef): ts.Node {
  let node: ts.Node = file.sourceFile;
  for (;;) {
    if (isNodeAt(node, ref)) return node;
    const inner: ts.Node | undefined = ts.forEachChild(node, (child) => (child.pos <= ref.pos && ref.end <= child.end && child.pos < child.end ? child : undefined));
    if (!inner) throw new Error(`No ${ts.SyntaxKind[ref.kind]} at ${ref.pos}-${ref.end} in ${file.relPath}`);
    node = inner;
  }
}
