import { KOA_MODEL } from '../../models/frameworks/koa.js';
import { extractStackRoutes } from './stack.js';
import type { RouteExtractor } from './types.js';

export const KOA_EXTRACTOR: RouteExtractor = {
  framework: 'koa',
  extract: (project) => extractStackRoutes(project, KOA_MODEL),
};
