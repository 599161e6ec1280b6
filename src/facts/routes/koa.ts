import type { RouteExtractor } from './types.js';

/** Placeholder until the koa model lands. */
export const KOA_EXTRACTOR: RouteExtractor = {
  framework: 'koa',
  extract: () => [],
};
