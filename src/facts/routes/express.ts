import { EXPRESS_MODEL } from '../../models/frameworks/express.js';
import { extractStackRoutes } from './stack.js';
import type { RouteExtractor } from './types.js';

export const EXPRESS_EXTRACTOR: RouteExtractor = {
  framework: 'express',
  extract: (project) => extractStackRoutes(project, EXPRESS_MODEL),
};
