import type { RouteExtractor } from './types.js';

/** Placeholder until the express model lands. */
export const EXPRESS_EXTRACTOR: RouteExtractor = {
  framework: 'express',
  extract: () => [],
};
