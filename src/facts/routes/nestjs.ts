import type { RouteExtractor } from './types.js';

/** Placeholder until the nestjs model lands. */
export const NESTJS_EXTRACTOR: RouteExtractor = {
  framework: 'nestjs',
  extract: () => [],
};
