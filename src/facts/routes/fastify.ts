import type { RouteExtractor } from './types.js';

/** Placeholder until the fastify model lands. */
export const FASTIFY_EXTRACTOR: RouteExtractor = {
  framework: 'fastify',
  extract: () => [],
};
