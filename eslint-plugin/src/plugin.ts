import fs from 'node:fs';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import { Analyzer, getLintedPath } from './analyzer.js';
import type { AnyRule, AuthlintApi } from './api.js';
import { canReuseSourceFile, getAuthlintTypeScript, getParserSourceFile, getParserTypeScriptVersion } from './reuse.js';
import { readAdapterSettings } from './settings.js';

export const DOCS_REPOSITORY = 'https://github.com/authlint/authlint';
/** The message id of authlint's notices about its own suppression comments (unused, unknown rule), added to every rule. */
export const SUPPRESSION_NOTICE = 'authlintSuppression';

export interface AuthlintDocs {
  recommended: boolean;
  /** authlint's own metadata, for tools that list the rules. */
  authlint: Pick<AnyRule['meta'], 'category' | 'level' | 'precision' | 'securitySeverity' | 'cwe' | 'scope'>;
}

type Options = [Record<string, unknown>?];
export type AuthlintEslintRule = TSESLint.RuleModule<string, Options, AuthlintDocs>;

export interface AuthlintPlugin {
  meta: { name: string; version: string };
  rules: Record<string, AuthlintEslintRule>;
  configs: { recommended: TSESLint.FlatConfig.Config; all: TSESLint.FlatConfig.Config };
  /** The adapter's shared state: exposed for tests and the benchmark. */
  analyzer: Analyzer;
}

const PLUGIN_PACKAGE = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** Turns authlint rules into ESLint rules; `rules` defaults to every authlint rule. */
export function createPlugin(api: AuthlintApi, rules: readonly AnyRule[] = api.ALL_RULES): AuthlintPlugin {
  const version = api.getPackageVersion();
  const createRule = ESLintUtils.RuleCreator<AuthlintDocs>((id) => `${DOCS_REPOSITORY}/blob/v${version}/rules/${id}.md`);
  const analyzer = new Analyzer(api, rules);

  const toEslintRule = (rule: AnyRule): AuthlintEslintRule =>
    createRule<Options, string>({
      name: rule.id,
      meta: {
        type: 'problem',
        docs: {
          description: rule.meta.description,
          recommended: rule.meta.recommended,
          authlint: {
            category: rule.meta.category,
            level: rule.meta.level,
            precision: rule.meta.precision,
            securitySeverity: rule.meta.securitySeverity,
            cwe: rule.meta.cwe,
            scope: rule.meta.scope,
          },
        },
        // authlint and ESLint share the {{name}} placeholder syntax, so the templates pass through unchanged.
        messages: { ...rule.messages, [SUPPRESSION_NOTICE]: '{{message}}' },
        // authlint validates options with the same JSON Schema dialect (draft-07 subset via Ajv) that ESLint uses.
        schema: [rule.schema as unknown as JSONSchema4],
      },
      // Not meta.defaultOptions: ESLint would merge those into context.options and hide which options the
      // ESLint config set, and those must override authlint.config.json while the defaults must not.
      defaultOptions: [rule.defaultOptions as Record<string, unknown>],
      create(context) {
        const { sourceCode } = context;
        const settings = readAdapterSettings(context.settings, context.cwd);
        const file = getLintedPath(context.filename, context.cwd);
        const getSourceFile = settings.reuseTypeScriptAst
          ? () => {
              const candidate = getParserSourceFile(sourceCode);
              const own = getAuthlintTypeScript(api.getPackageRoot());
              return canReuseSourceFile(candidate, sourceCode.text, getParserTypeScriptVersion(context.cwd), own) ? candidate : undefined;
            }
          : undefined;
        analyzer.register(
          sourceCode,
          file,
          sourceCode.text,
          settings,
          { rule, eslintOptions: context.options[0], hasEslintOptions: context.options.length > 0 },
          getSourceFile,
        );
        return {
          Program() {
            for (const finding of analyzer.getFindings(sourceCode, rule.id)) {
              context.report({
                loc: { start: sourceCode.getLocFromIndex(finding.start), end: sourceCode.getLocFromIndex(finding.end) },
                messageId: finding.messageId,
                data: finding.data,
              });
            }
            for (const notice of analyzer.getSuppressionNotices(sourceCode, rule.id)) {
              const start = notice.start ?? 0;
              context.report({
                loc: { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(notice.end ?? start) },
                messageId: SUPPRESSION_NOTICE,
                data: { message: notice.message },
              });
            }
          },
        };
      },
    });

  const eslintRules: Record<string, AuthlintEslintRule> = {};
  for (const rule of rules) eslintRules[rule.id] = toEslintRule(rule);
  const severity = (rule: AnyRule): 'error' | 'warn' => (rule.meta.level === 'error' ? 'error' : 'warn');
  const plugin: AuthlintPlugin = {
    meta: { name: PLUGIN_PACKAGE.name, version: PLUGIN_PACKAGE.version },
    rules: eslintRules,
    configs: { recommended: {}, all: {} },
    analyzer,
  };
  const pluginForConfig = plugin as unknown as TSESLint.FlatConfig.Plugin;
  plugin.configs.recommended = {
    name: 'authlint/recommended',
    plugins: { authlint: pluginForConfig },
    rules: Object.fromEntries(rules.filter((r) => r.meta.recommended).map((r) => [`authlint/${r.id}`, severity(r)])),
  };
  plugin.configs.all = {
    name: 'authlint/all',
    plugins: { authlint: pluginForConfig },
    rules: Object.fromEntries(rules.map((r) => [`authlint/${r.id}`, severity(r)])),
  };
  return plugin;
}
