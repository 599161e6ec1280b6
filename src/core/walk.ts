import { ts } from 'ts-morph';

/**
 * Visits every node in source order without recursion, so tens of thousands of nesting levels
 * cannot overflow the stack. `visit` returning false skips the node's children.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): undefined => {
    children.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    if (visit(node) === false) continue;
    children.length = 0;
    ts.forEachChild(node, collect, (nodes) => {
      for (const n of nodes) children.push(n);
      return undefined;
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as ts.Node);
  }
}

/** Every descendant of `root` (root included) whose kind is one of `kinds`, in source order. */
export function findAll<T extends ts.Node>(root: ts.Node, predicate: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  walk(root, (node) => {
    if (predicate(node)) found.push(node);
  });
  return found;
}
