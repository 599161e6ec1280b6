import * as authlint from 'authlint';
import { createPlugin } from './plugin.js';

/**
 * `import authlint from 'eslint-plugin-authlint'`, then `authlint.configs.recommended` or `authlint.configs.all`
 * in a flat config; rules are named `authlint/<id>`.
 */
const plugin = createPlugin(authlint);

export default plugin;
export const { rules, configs, meta } = plugin;
export { createPlugin, type AuthlintPlugin, type AuthlintDocs, type AuthlintEslintRule } from './plugin.js';
export type { AdapterSettings } from './settings.js';
