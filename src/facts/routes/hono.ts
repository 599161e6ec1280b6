import type { RouteExtractor } from './types.js';

/** Placeholder until the hono model lands. */
export const HONO_EXTRACTOR: RouteExtractor = {
  framework: 'hono',
  extract: () => [],
};
