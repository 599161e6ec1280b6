import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, type AuthlintPlugin } from '../src/plugin.js';
import { canReuseSourceFile } from '../src/reuse.js';
import { makeTempDir } from './support/case-files.js';
import { buildFlatConfig, lintWithPlugin } from './support/eslint-run.js';
import { authlint, sourcePlugin } from './support/source-plugin.js';
import { SYNTHETIC_RULES } from './support/synthetic-rules.js';

const temp = makeTempDir('authlint-adapter-');
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function writeRepo(name: string, files: Record<string, string>): string {
  const root = path.join(temp, name);
  for (const [rel, text] of Object.entries({ 'package.json': '{"name":"service"}', ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function newPlugin(): AuthlintPlugin {
  return createPlugin(authlint, SYNTHETIC_RULES);
}

async function lintText(plugin: AuthlintPlugin, root: string, rel: string, code: string, settings: Record<string, unknown> = {}, extra: unknown[] = []) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [...(buildFlatConfig(plugin, settings) as unknown[]), ...extra] as ESLint.Options['overrideConfig'],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, rel) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'} ${m.line}:${m.column} ${m.message}`);
}

describe('rule metadata', () => {
  it('carries the core rule messages, schema, defaults and a doc URL for every authlint rule', () => {
    const version = authlint.getPackageVersion();
    for (const rule of authlint.ALL_RULES) {
      const eslintRule = sourcePlugin.rules[rule.id];
      expect(eslintRule, rule.id).toBeDefined();
      expect(eslintRule?.meta.messages).toEqual({ ...rule.messages, authlintSuppression: '{{message}}' });
      expect(eslintRule?.meta.schema).toEqual([rule.schema]);
      expect(eslintRule?.defaultOptions).toEqual([rule.defaultOptions]);
      expect(eslintRule?.meta.docs?.description).toBe(rule.meta.description);
      expect(eslintRule?.meta.docs?.url).toBe(`https://github.com/authlint/authlint/blob/v${version}/rules/${rule.id}.md`);
      expect(sourcePlugin.configs.all.rules?.[`authlint/${rule.id}`]).toBe(rule.meta.level === 'error' ? 'error' : 'warn');
      expect(`authlint/${rule.id}` in (sourcePlugin.configs.recommended.rules ?? {})).toBe(rule.meta.recommended);
    }
  });
  it('names its flat configs and registers itself under the authlint prefix', () => {
    expect(sourcePlugin.configs.recommended.name).toBe('authlint/recommended');
    expect(sourcePlugin.configs.all.plugins?.['authlint']).toBe(sourcePlugin);
    expect(sourcePlugin.meta.name).toBe('eslint-plugin-authlint');
  });
});

describe('project rules', () => {
  const files = {
    'src/app.ts': "import { handler } from './handlers';\nexport default handler;\n",
    'src/handlers.ts': '// INSECURE: no authentication\nexport const handler = 1;\n',
  };

  it('reports a finding that depends on another file', async () => {
    const root = writeRepo('cross-file', files);
    const found = await lintWithPlugin(newPlugin(), root, ['src/app.ts', 'src/handlers.ts'], {});
    expect(found.map((f) => `${f.ruleId} ${f.file} ${f.line}:${f.column}`)).toEqual(['authlint/test-insecure-import src/app.ts 1:25']);
  });

  it("uses ESLint's text for the linted file (an unsaved editor buffer)", async () => {
    const root = writeRepo('unsaved', files);
    const messages = await lintText(newPlugin(), root, 'src/app.ts', "\n\nimport { handler } from './handlers';\n");
    expect(messages).toEqual(["authlint/test-insecure-import 3:25 './handlers' is marked INSECURE."]);
  });

  it('builds the project once for many files and refreshes it when a file changes on disk', async () => {
    const root = writeRepo('refresh', files);
    const plugin = newPlugin();
    const code = fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8');
    expect(await lintText(plugin, root, 'src/app.ts', code, { refreshInterval: 0 })).toHaveLength(1);
    expect(await lintText(plugin, root, 'src/handlers.ts', files['src/handlers.ts'], { refreshInterval: 0 })).toEqual([]);
    const state = plugin.analyzer.getState(root);
    expect(state?.snapshotsBuilt).toBe(1);
    expect(plugin.analyzer.stats.projectRuleRuns).toBe(1);

    const handlers = path.join(root, 'src/handlers.ts');
    fs.writeFileSync(handlers, '// reviewed: behind the gateway\nexport const handler = 1;\n');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(handlers, later, later);
    expect(await lintText(plugin, root, 'src/app.ts', code, { refreshInterval: 60_000 })).toHaveLength(1);
    expect(await lintText(plugin, root, 'src/app.ts', code, { refreshInterval: 0 })).toEqual([]);
    expect(state?.snapshotsBuilt).toBe(2);
  });
});

describe('one analysis per file', () => {
  it('runs every authlint file rule in one batch and reuses it while the text is unchanged', async () => {
    const root = writeRepo('shared', {});
    const plugin = newPlugin();
    const code = 'var token = dangerous();\n';
    expect(await lintText(plugin, root, 'src/index.ts', code)).toEqual([
      "authlint/test-flag-var 1:1 A var declaration.",
      "authlint/test-flag-call 1:13 Call to 'dangerous' is not allowed.",
    ]);
    expect(plugin.analyzer.stats.fileRuleBatches).toBe(1);
    await lintText(plugin, root, 'src/index.ts', code);
    expect(plugin.analyzer.stats.fileRuleBatches).toBe(1);
    await lintText(plugin, root, 'src/index.ts', `${code}dangerous();\n`);
    expect(plugin.analyzer.stats.fileRuleBatches).toBe(2);
  });
});

describe('suppressions and configuration', () => {
  it("drops findings suppressed by authlint's comments and honours eslint-disable", async () => {
    const root = writeRepo('suppressed', {});
    const code = [
      'dangerous(); // authlint-disable-line test-flag-call -- reviewed in SEC-12',
      '// eslint-disable-next-line authlint/test-flag-call',
      'dangerous();',
      '// authlint-disable-next-line authlint/test-flag-call',
      'dangerous();',
      'dangerous();',
      '',
    ].join('\n');
    expect(await lintText(newPlugin(), root, 'src/index.ts', code)).toEqual(["authlint/test-flag-call 6:1 Call to 'dangerous' is not allowed."]);
  });

  it('applies a suppression above a decorator stack to the decorated method, for both kinds of comment', async () => {
    const root = writeRepo('decorators', {});
    const code = [
      'export class OrdersController {',
      '  // eslint-disable-next-line authlint/test-flag-call -- the editor quick fix',
      "  @ApiOperation({ summary: 'Delete an order' })",
      '  @dangerous()',
      '  remove() {}',
      '',
      '  // authlint-disable-next-line test-flag-call -- reviewed in SEC-14',
      "  @ApiOperation({ summary: 'Cancel an order' })",
      '  @dangerous()',
      '  cancel() {',
      '    dangerous();',
      '  }',
      '}',
      '',
    ].join('\n');
    // ESLint reports an eslint-disable directive it did not need as unused (ruleId null): it must count as used here.
    expect(await lintText(newPlugin(), root, 'src/orders.controller.ts', code)).toEqual(["authlint/test-flag-call 11:5 Call to 'dangerous' is not allowed."]);
  });

  it("reports authlint's unused suppressions naming a rule, and unknown rule names, once each", async () => {
    const root = writeRepo('notices', {});
    const code = [
      '// authlint-disable-next-line test-flag-call -- stale',
      'const ok = 1;',
      'const fine = 2; // authlint-disable-line test-flag-cal',
      '// authlint-disable-next-line test-flag-call',
      'dangerous();',
      '',
    ].join('\n');
    expect(await lintText(newPlugin(), root, 'src/index.ts', code)).toEqual([
      "authlint/test-flag-call 1:1 Unused suppression for 'test-flag-call': no such finding on the line it covers.",
      "authlint/test-flag-call 3:17 Suppression names unknown or disabled rule 'test-flag-cal'; did you mean 'test-flag-call'?",
    ]);
  });

  it('reads authlint.config.json like the CLI, and ESLint rule options override it', async () => {
    const root = writeRepo('configured', {
      'authlint.config.json': JSON.stringify({ rules: { 'test-flag-call': ['error', { names: ['risky'] }], 'test-flag-var': 'off' } }),
    });
    const code = 'var a = dangerous();\nvar b = risky();\nvar c = other();\n';
    expect(await lintText(newPlugin(), root, 'src/index.ts', code)).toEqual(["authlint/test-flag-call 2:9 Call to 'risky' is not allowed."]);
    const override = { rules: { 'authlint/test-flag-call': ['error', { names: ['other'] }] } };
    expect(await lintText(newPlugin(), root, 'src/index.ts', code, {}, [override])).toEqual([
      "authlint/test-flag-call 3:9 Call to 'other' is not allowed.",
    ]);
  });

  it('fails loudly on an invalid authlint.config.json, as the CLI does', async () => {
    const root = writeRepo('bad-config', { 'authlint.config.json': '{"rules":{"test-flag-call":["error",{"names":"risky"}]}}' });
    const plugin = newPlugin();
    const problem = "'rules.test-flag-call[1].names' must be array";
    const file = path.relative(process.cwd(), path.join(root, 'authlint.config.json')).split(path.sep).join('/');
    const where = file.startsWith('..') ? path.join(root, 'authlint.config.json') : file;
    await expect(lintText(plugin, root, 'src/index.ts', 'dangerous();\n')).rejects.toThrow(`authlint: invalid configuration in ${where}: ${problem}`);
    await expect(lintText(plugin, root, 'src/other.ts', 'dangerous();\n')).rejects.toThrow(`authlint: invalid configuration in ${where}: ${problem}`);
  });

  it('names the config file, the key and the closest rule id for an unknown rule', async () => {
    const root = writeRepo('unknown-rule', { '.authlintrc.json': '{ "rules": { "test-flag-cal": "warn" } }' });
    await expect(lintText(newPlugin(), root, 'src/index.ts', 'dangerous();\n')).rejects.toThrow(
      /^authlint: invalid configuration in \S*\.authlintrc\.json: 'rules\.test-flag-cal' is not a known rule; did you mean 'test-flag-call'\?\n/,
    );
  });
});

describe('parsers', () => {
  it("works with ESLint's default parser on .js, .mjs and .cjs", async () => {
    const root = writeRepo('plain-js', {
      'src/a.js': "import { handler } from './handlers.js';\nvar x = dangerous();\n",
      'src/b.mjs': 'export const y = dangerous();\n',
      'src/c.cjs': "const z = require('./handlers.js');\nmodule.exports = dangerous(z);\n",
      'src/handlers.js': '// INSECURE\nexport const handler = 1;\n',
    });
    const found = await lintWithPlugin(newPlugin(), root, ['src/a.js', 'src/b.mjs', 'src/c.cjs'], {});
    expect(found.map((f) => `${f.ruleId} ${f.file} ${f.line}:${f.column}`).sort()).toEqual([
      'authlint/test-flag-call src/a.js 2:9',
      'authlint/test-flag-call src/b.mjs 1:18',
      'authlint/test-flag-call src/c.cjs 2:18',
      'authlint/test-flag-var src/a.js 2:1',
      'authlint/test-insecure-import src/a.js 1:25',
    ]);
  });

  it('gives the same findings with typescript-eslint with and without projectService', async () => {
    const root = writeRepo('typed', {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext' }, include: ['src'] }),
      'src/app.ts': "import { handler } from './handlers.js';\nexport const run = (): unknown => dangerous(handler);\ndeclare function dangerous(x: unknown): unknown;\n",
      'src/handlers.ts': '// INSECURE\nexport const handler = 1;\n',
    });
    const plain = await lintWithPlugin(newPlugin(), root, ['src/app.ts', 'src/handlers.ts'], {});
    const typed = await lintWithPlugin(newPlugin(), root, ['src/app.ts', 'src/handlers.ts'], {}, { projectService: true, tsconfigRootDir: root });
    expect(plain.map((f) => f.ruleId).sort()).toEqual(['authlint/test-flag-call', 'authlint/test-insecure-import']);
    expect(typed).toEqual(plain);
  });
});

describe('reusing the TypeScript AST of typescript-eslint', () => {
  const identity = { version: '6.0.2', sourceFileKind: 308 };
  const sourceFile = { kind: 308, text: 'x;', statements: [] as Array<{ parent?: unknown }> };
  sourceFile.statements.push({ parent: sourceFile });

  it('is refused unless the TypeScript versions match and the AST is of the linted text', () => {
    expect(canReuseSourceFile(sourceFile, 'x;', '6.0.2', identity)).toBe(true);
    expect(canReuseSourceFile(sourceFile, 'x;', '5.9.3', identity)).toBe(false);
    expect(canReuseSourceFile(sourceFile, 'x;', undefined, identity)).toBe(false);
    expect(canReuseSourceFile(sourceFile, 'y;', '6.0.2', identity)).toBe(false);
    expect(canReuseSourceFile({ ...sourceFile, kind: 307 }, 'x;', '6.0.2', identity)).toBe(false);
    expect(canReuseSourceFile({ ...sourceFile, statements: [{}] }, 'x;', '6.0.2', identity)).toBe(false);
  });

  it('when enabled and the versions match, gives the same findings without a second parse', async () => {
    const root = writeRepo('reuse', { 'src/handlers.ts': '// INSECURE\nexport const handler = 1;\n' });
    const code = "import { handler } from './handlers';\nvar x = dangerous(handler);\n";
    const reusing = newPlugin();
    const withReuse = await lintText(reusing, root, 'src/app.ts', code, { reuseTypeScriptAst: true });
    const withoutReuse = await lintText(newPlugin(), root, 'src/app.ts', code);
    expect(withReuse).toEqual(withoutReuse);
    expect(withReuse).toHaveLength(3);
    expect(reusing.analyzer.stats.reusedAsts).toBe(1);
  });

  it('when enabled, gives the same findings from a tree typescript-eslint built with JSDoc nodes (type-aware linting parses them)', async () => {
    const root = writeRepo('reuse-jsdoc', {
      'src/auth.ts': [
        "import jwt from 'jsonwebtoken';",
        '/** Verifies the bearer token. @param token the raw header @returns the claims */',
        "export const check = (token: string) => jwt.verify(token, 'hard-coded-secret');",
        '',
      ].join('\n'),
    });
    const code = [
      "import jwt from 'jsonwebtoken';",
      '/**',
      ' * Decodes without verifying. @deprecated use check()',
      ' */',
      'export const peek = (token: string) => jwt.decode(token);',
      "export const sign = (sub: string) => jwt.sign({ sub }, 'another-secret', { algorithm: 'HS256' });",
      '',
    ].join('\n');
    const jsDoc = { jsDocParsingMode: 'all' as const };
    // The parser option does give a tree with JSDoc nodes.
    const parsed = tsParser.parseForESLint(code, { ...jsDoc, filePath: path.join(root, 'src/app.ts') });
    const tree = parsed.services.esTreeNodeToTSNodeMap.get(parsed.ast as never) as unknown as { statements: Array<{ jsDoc?: unknown[] }> };
    expect(tree.statements.some((statement) => (statement.jsDoc?.length ?? 0) > 0)).toBe(true);
    const withDocs = createPlugin(authlint);
    const docs = await lintText(withDocs, root, 'src/app.ts', code, { reuseTypeScriptAst: true }, [{ files: ['**/*.ts'], languageOptions: { parserOptions: jsDoc } }]);
    const own = await lintText(createPlugin(authlint), root, 'src/app.ts', code);
    expect(docs).toEqual(own);
    expect(docs.some((line) => line.startsWith('authlint/jwt-no-hardcoded-secret'))).toBe(true);
    expect(withDocs.analyzer.stats.reusedAsts).toBe(1);
  });
});

describe('rule failures', () => {
  it('surface as an ESLint error naming the rule and file instead of silently missing findings', async () => {
    const broken = authlint.defineRule<Record<string, never>, 'never'>({
      ...SYNTHETIC_RULES[0]!,
      id: 'test-broken',
      messages: { never: 'never' },
      defaultOptions: {},
      schema: { type: 'object' },
      create: () => ({
        CallExpression() {
          throw new Error('model table is missing an entry');
        },
      }),
    });
    const root = writeRepo('broken', {});
    const plugin = createPlugin(authlint, [broken]);
    await expect(lintText(plugin, root, 'src/index.ts', 'call();\n')).rejects.toThrow(/test-broken.*model table is missing an entry/s);
  });
});
