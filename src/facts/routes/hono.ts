import { HONO_MODEL } from '../../models/frameworks/hono.js';
import { extractStackRoutes } from './stack.js';
import type { RouteExtractor } from './types.js';

export const HONO_EXTRACTOR: RouteExtractor = {
  framework: 'hono',
  extract: (project) => extractStackRoutes(project, HONO_MODEL),
};
