/** A memo of answers computed from one tree object (a node or a node list), for as long as that object lives. */
export interface TreeMemo<K extends object, V> {
  get(owner: K): V | undefined;
  set(owner: K, value: V): void;
}

let onTrees = false;

/** Keeps the memos defined by `defineTreeMemo` on the tree objects from now on, in this thread (see there). */
export function keepMemosOnTrees(): void {
  onTrees = true;
}

/**
 * A memo kept in a symbol-keyed property of the tree object it answers for, not in a module-level WeakMap. V8's
 * young-generation collector keeps the values of a WeakMap that lives in the old generation (any module-level one) as if
 * they were strongly held, and an answer about a tree holds nodes of that tree, which reach all of it through `parent`:
 * every tree memoised that way survived the collections of the young generation and was promoted, and only a full
 * collection freed it. A thread that parses thousands of files and drops each tree (an extraction thread) spent most of
 * its collection time copying those dead trees. A property dies with its tree. An object that takes no new property (a
 * frozen one) falls back to a WeakMap.
 *
 * Only in a thread that drops its trees (`keepMemosOnTrees`, called by the extraction threads): where trees live as
 * long as the project (the scan thread, the editor), a property gives the tree objects a second shape and made the
 * editor's keystrokes about 5-8 % dearer in CPU (docs/performance.md, round 6 of issue 14), so the WeakMap is used.
 */
export function defineTreeMemo<K extends object, V>(name: string): TreeMemo<K, V> {
  const slot = Symbol(name);
  const fallback = new WeakMap<K, V>();
  return {
    get: (owner) => (owner as { [slot]?: V })[slot] ?? fallback.get(owner),
    set: (owner, value) => {
      if (onTrees && Object.isExtensible(owner)) (owner as { [slot]?: V })[slot] = value;
      else fallback.set(owner, value);
    },
  };
}
