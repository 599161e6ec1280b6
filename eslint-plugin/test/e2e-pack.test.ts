import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './support/case-files.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const ROOT_PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

function run(command: string, args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' } });
  return { code: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function mustRun(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function copy(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|\.git)$/.test(src) });
}

/**
 * Builds and packs both packages from a staged copy of their files, so the shared dist/ folders of the
 * work tree are never rewritten while other tests read them.
 */
function packBoth(temp: string): { authlint: string; plugin: string } {
  const stage = path.join(temp, 'stage');
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'bin', 'docs', 'schema', 'rules', 'src', 'tsconfig.json', 'tsconfig.build.json']) {
    if (fs.existsSync(path.join(REPO, entry))) copy(path.join(REPO, entry), path.join(stage, entry));
  }
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'src', 'tsconfig.json']) copy(path.join(REPO, 'eslint-plugin', entry), path.join(stage, 'eslint-plugin', entry));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  fs.mkdirSync(path.join(stage, 'eslint-plugin/node_modules'));
  fs.symlinkSync(stage, path.join(stage, 'eslint-plugin/node_modules/authlint'), 'dir');
  // Like `npm run build`; tsc still emits when another work-in-progress file of the repository has type errors.
  run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], stage);
  if (!fs.existsSync(path.join(stage, 'dist/src/index.js'))) throw new Error('authlint build produced no dist/src/index.js');
  mustRun(process.execPath, [TSC, '-p', 'tsconfig.json'], path.join(stage, 'eslint-plugin'));
  const packs = path.join(temp, 'packs');
  fs.mkdirSync(packs);
  const pack = (dir: string) => {
    const [info] = JSON.parse(mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], dir)) as Array<{ filename: string }>;
    return path.join(packs, info!.filename);
  };
  return { authlint: pack(stage), plugin: pack(path.join(stage, 'eslint-plugin')) };
}

const SERVICE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders-service', private: true, type: 'module', dependencies: { jsonwebtoken: '^9.0.2' } }),
  'eslint.config.mjs': [
    "import authlint from 'eslint-plugin-authlint';",
    "import tseslint from 'typescript-eslint';",
    '',
    'export default [',
    "  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },",
    '  authlint.configs.all,',
    '];',
    '',
  ].join('\n'),
  'src/config/jwt.ts': "export const ACCEPTED_ALGORITHMS = ['RS256', 'none'];\n",
  'src/auth/verify.ts': [
    "import jwt from 'jsonwebtoken';",
    "import { ACCEPTED_ALGORITHMS } from '../config/jwt.js';",
    '',
    'export const verifyToken = (token: string, publicKey: string) =>',
    '  jwt.verify(token, publicKey, { algorithms: ACCEPTED_ALGORITHMS });',
    '',
  ].join('\n'),
  'src/auth/issue.ts': [
    "import jwt from 'jsonwebtoken';",
    '',
    "export const issueToken = (id: string) => jwt.sign({ id }, process.env.JWT_SECRET!, { expiresIn: '1h' });",
    '// authlint-disable-next-line jwt-no-symmetric-algorithm -- internal service-to-service token, rotated daily',
    "export const issueInternal = (id: string) => jwt.sign({ id }, process.env.INTERNAL_SECRET!, { expiresIn: '5m' });",
    '',
  ].join('\n'),
  'src/legacy/session.cjs': [
    "const jwt = require('jsonwebtoken');",
    'module.exports = (req) => jwt.verify(req.headers.authorization, process.env.JWT_SECRET);',
    '',
  ].join('\n'),
};

function findingKeys(list: Array<{ rule: string; file: string; line: number; column: number }>): string[] {
  return list.map((f) => `${f.rule} ${f.file} ${f.line}:${f.column}`).sort();
}

/**
 * Why the test cannot run here, or undefined: it installs ESLint and typescript-eslint from the npm registry, so
 * `npm test` offline skips it after one `npm ping` with a short timeout instead of failing after minutes of retries.
 */
function getSkipReason(): string | undefined {
  if (process.env['AUTHLINT_SKIP_E2E'] === '1') return 'AUTHLINT_SKIP_E2E=1';
  const ping = spawnSync('npm', ['ping', '--fetch-timeout=4000', '--fetch-retries=0'], { encoding: 'utf8', timeout: 10_000 });
  if (ping.status === 0) return undefined;
  const why = ping.error ? ping.error.message : (`${ping.stderr}`.split('\n').find((l) => /ERR|error/i.test(l)) ?? `npm ping exit ${ping.status}`).trim();
  return `the npm registry is not reachable (${why})`;
}

const skipReason = getSkipReason();
if (skipReason) {
  console.warn(
    `eslint-plugin/test/e2e-pack.test.ts skipped: ${skipReason}. It installs the packed packages with eslint from the registry; run it with network access: npx vitest run eslint-plugin/test/e2e-pack.test.ts`,
  );
}

describe('packed packages in a fresh project', () => {
  const temp = makeTempDir('authlint-e2e-');
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

  it.skipIf(skipReason !== undefined)(
    'npx eslint with eslint-plugin-authlint reports what authlint scan reports, on ESLint 10 and 9',
    () => {
      const tarballs = packBoth(temp);
      const project = path.join(temp, 'orders-service');
      for (const [rel, text] of Object.entries(SERVICE)) {
        fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
        fs.writeFileSync(path.join(project, rel), text);
      }
      const versions = ROOT_PACKAGE.devDependencies;
      mustRun(
        'npm',
        [
          'install',
          '--save-dev',
          tarballs.authlint,
          tarballs.plugin,
          `eslint@${versions['eslint']}`,
          `typescript-eslint@${versions['typescript-eslint']}`,
          `typescript@${versions['typescript']}`,
        ],
        project,
      );

      const cli = run('npx', ['--no-install', 'authlint', 'scan', '.', '--format', 'json'], project);
      expect(cli.code, cli.stderr).toBe(1);
      const report = JSON.parse(cli.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; column: number; suppressed?: unknown }> };
      expect(report.findings.filter((f) => f.suppressed).map((f) => `${f.file}:${f.line}`)).toEqual(['src/auth/issue.ts:5']);
      const fromCli = findingKeys(report.findings.filter((f) => !f.suppressed).map((f) => ({ rule: `authlint/${f.ruleId}`, file: f.file, line: f.line, column: f.column })));

      const lint = () => {
        const result = run('npx', ['--no-install', 'eslint', '--format', 'json', '.'], project);
        expect(result.code, result.stderr).toBe(1);
        const results = JSON.parse(result.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number }> }>;
        return findingKeys(
          results.flatMap((r) =>
            r.messages.map((m) => ({ rule: m.ruleId ?? 'parse', file: path.relative(project, r.filePath).split(path.sep).join('/'), line: m.line, column: m.column })),
          ),
        );
      };

      const eslint10 = lint();
      // Lines only: where on the line a rule reports is the rule's business; the comparison with the CLI below checks columns.
      expect(eslint10.map((k) => k.replace(/:\d+$/, ''))).toEqual(
        expect.arrayContaining([
          // Needs src/config/jwt.ts: the algorithm list is imported from there.
          'authlint/jwt-no-none-algorithm src/auth/verify.ts 5',
          'authlint/jwt-no-symmetric-algorithm src/auth/issue.ts 3',
          'authlint/jwt-no-symmetric-algorithm src/legacy/session.cjs 2',
        ]),
      );
      expect(eslint10.some((k) => k.includes('src/auth/issue.ts 5:'))).toBe(false);
      expect(eslint10).toEqual(fromCli);

      mustRun('npm', ['install', '--save-dev', 'eslint@9'], project);
      expect(lint()).toEqual(eslint10);
    },
    // Two installs from the npm registry: minutes on a slow network.
    900_000,
  );
});
