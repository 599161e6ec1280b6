import type { AnyRule } from '../src/core/rule.js';

/** Every authlint rule, in id order. Kept in sync with the files of this folder by test/meta.test.ts. */
export const ALL_RULES: readonly AnyRule[] = [];
