import * as espree from 'espree';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { AuthlintPlugin } from '../../src/plugin.js';

/** Flat config as a user writes it: typescript-eslint's parser for TypeScript, ESLint's default parser for plain JavaScript. */
export function buildFlatConfig(plugin: AuthlintPlugin, settings: Record<string, unknown>, parserOptions: Record<string, unknown> = {}) {
  return [
    { files: ['**/*.{ts,tsx,mts,cts,jsx}'], languageOptions: { parser: tsParser, parserOptions } },
    { files: ['**/*.{js,mjs,cjs}'], languageOptions: { parser: espree, parserOptions: { ecmaFeatures: { jsx: true } } } },
    plugin.configs.all,
    { settings: { authlint: settings } },
  ] as unknown as ESLint.Options['overrideConfig'];
}

export interface EslintFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Lints `files` (relative to cwd) with the plugin's `configs.all`; fatal parse errors come back as findings of rule 'parse'. */
export async function lintWithPlugin(
  plugin: AuthlintPlugin,
  cwd: string,
  files: string[],
  settings: Record<string, unknown>,
  parserOptions: Record<string, unknown> = {},
): Promise<EslintFinding[]> {
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: buildFlatConfig(plugin, settings, parserOptions) });
  const results = await eslint.lintFiles(files);
  const findings: EslintFinding[] = [];
  for (const result of results) {
    const file = result.filePath.slice(cwd.length + 1).split('\\').join('/');
    for (const m of result.messages) {
      findings.push({ ruleId: m.fatal ? 'parse' : (m.ruleId ?? 'unknown'), file, line: m.line, column: m.column, message: m.message });
    }
  }
  return findings;
}
