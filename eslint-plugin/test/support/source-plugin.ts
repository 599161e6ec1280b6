import * as authlint from '../../../src/index.js';
import { createPlugin } from '../../src/plugin.js';

/** The plugin built over authlint's sources (the package entry imports the built `authlint`). */
export const sourcePlugin = createPlugin(authlint);
export { authlint };
