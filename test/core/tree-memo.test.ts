import { ts } from '@ts-morph/common';
import { describe, expect, it } from 'vitest';
import { defineTreeMemo, keepMemosOnTrees } from '../../src/core/tree-memo.js';
import { indexedNodes } from '../../src/core/walk.js';
import { parseSource } from '../../src/core/parse.js';

describe('defineTreeMemo', () => {
  // Order matters: the first test runs before this thread keeps memos on trees, the others after.
  it('keeps answers in a WeakMap until the thread is one that drops its trees', () => {
    const memo = defineTreeMemo<object, number>('before');
    const owner = {};
    memo.set(owner, 1);
    expect(memo.get(owner)).toBe(1);
    expect(Object.getOwnPropertySymbols(owner)).toHaveLength(0);
    const { sourceFile } = parseSource('/repo/a.ts', 'foo();\n');
    expect(indexedNodes(sourceFile, ts.isCallExpression)).toHaveLength(1);
    expect(Object.getOwnPropertySymbols(sourceFile)).toHaveLength(0);
    keepMemosOnTrees();
    // An answer stored before is still found.
    expect(memo.get(owner)).toBe(1);
  });

  it('keeps each answer on its own tree object, apart from other memos and other objects', () => {
    const lengths = defineTreeMemo<object, number>('length');
    const names = defineTreeMemo<object, string>('name');
    const first = {};
    const second = {};
    lengths.set(first, 1);
    names.set(first, 'first');
    expect(lengths.get(first)).toBe(1);
    expect(names.get(first)).toBe('first');
    expect(lengths.get(second)).toBeUndefined();
    // The answer is a property of the object (it dies with it), not an entry of a long-lived WeakMap.
    expect(Object.getOwnPropertySymbols(first)).toHaveLength(2);
    expect(Object.keys(first)).toEqual([]);
  });

  it('answers for an object that takes no new property from a WeakMap instead', () => {
    const memo = defineTreeMemo<object, string>('frozen');
    const frozen = Object.freeze({});
    memo.set(frozen, 'kept');
    expect(memo.get(frozen)).toBe('kept');
    expect(memo.get({})).toBeUndefined();
  });

  it('holds the kind index of a parsed file on the tree itself', () => {
    const { sourceFile } = parseSource('/repo/a.ts', 'import x from "y";\nfoo(x);\n');
    expect(indexedNodes(sourceFile, ts.isCallExpression).map((call) => call.getText(sourceFile))).toEqual(['foo(x)']);
    expect(Object.getOwnPropertySymbols(sourceFile)).toHaveLength(1);
  });
});
