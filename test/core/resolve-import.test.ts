import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { resolveImportedName } from '../../src/facts/imports.js';

function resolver(files: Record<string, string>): (from: string, specifier: string) => string | undefined {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
  return (from, specifier) => {
    const file = project.getFile(from);
    if (!file) throw new Error(`no ${from}`);
    return project.resolveImport(file, specifier)?.relPath;
  };
}

const GUARD = 'export class JwtAuthGuard {}\n';

describe('import resolution through tsconfig', () => {
  it('resolves a non-relative import through baseUrl alone, and leaves packages alone', () => {
    const resolve = resolver({
      '/repo/tsconfig.json': '{ "compilerOptions": { "baseUrl": "./", /* Nest CLI default */ "outDir": "./dist", } }',
      '/repo/src/auth/guards/jwt-auth.guard.ts': GUARD,
      '/repo/src/orders/orders.controller.ts': '',
    });
    expect(resolve('/repo/src/orders/orders.controller.ts', 'src/auth/guards/jwt-auth.guard')).toBe('src/auth/guards/jwt-auth.guard.ts');
    expect(resolve('/repo/src/orders/orders.controller.ts', '@nestjs/common')).toBeUndefined();
    expect(resolve('/repo/src/orders/orders.controller.ts', 'auth/guards/jwt-auth.guard')).toBeUndefined();
  });

  it('takes the nearest tsconfig of the importing file, so each package of a monorepo has its own baseUrl', () => {
    const resolve = resolver({
      '/repo/tsconfig.json': '{ "compilerOptions": { "baseUrl": "." } }',
      '/repo/services/api/tsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }',
      '/repo/services/api/src/auth/guard.ts': GUARD,
      '/repo/services/api/src/main.ts': '',
      '/repo/services/worker/src/main.ts': '',
    });
    expect(resolve('/repo/services/api/src/main.ts', 'auth/guard')).toBe('services/api/src/auth/guard.ts');
    expect(resolve('/repo/services/worker/src/main.ts', 'auth/guard')).toBeUndefined();
    expect(resolve('/repo/services/worker/src/main.ts', 'services/api/src/auth/guard')).toBe('services/api/src/auth/guard.ts');
  });

  it('inherits baseUrl and paths through extends chains, relative to the config that declares them', () => {
    const resolve = resolver({
      '/repo/configs/tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "..", "paths": { "@auth/*": ["src/auth/*"] } } }',
      '/repo/tsconfig.paths': '{ "extends": "./configs/tsconfig.base.json" }',
      '/repo/tsconfig.paths.json': '{ "extends": "./configs/tsconfig.base.json" }',
      '/repo/apps/api/tsconfig.json': '{ "extends": ["../../tsconfig.paths"], "compilerOptions": { "strict": true } }',
      '/repo/src/auth/guard.ts': GUARD,
      '/repo/apps/api/main.ts': '',
    });
    expect(resolve('/repo/apps/api/main.ts', '@auth/guard')).toBe('src/auth/guard.ts');
    expect(resolve('/repo/apps/api/main.ts', 'src/auth/guard')).toBe('src/auth/guard.ts');
  });

  it('resolves inherited paths against a baseUrl the extending config declares, and prefers the longest pattern prefix', () => {
    const resolve = resolver({
      '/repo/tsconfig.base.json': '{ "compilerOptions": { "paths": { "@app/*": ["lib/*"], "@app/auth/*": ["auth/*"] } } }',
      '/repo/tsconfig.json': '{ "extends": "./tsconfig.base", "compilerOptions": { "baseUrl": "src" } }',
      '/repo/src/lib/users.ts': '',
      '/repo/src/auth/guard.ts': GUARD,
      '/repo/lib/users.ts': '',
      '/repo/main.ts': '',
    });
    expect(resolve('/repo/main.ts', '@app/users')).toBe('src/lib/users.ts');
    expect(resolve('/repo/main.ts', '@app/auth/guard')).toBe('src/auth/guard.ts');
  });

  it('takes the options of the referenced project for a solution-style tsconfig (files: [] with references); a plain config keeps its own', () => {
    const resolve = resolver({
      '/repo/apps/api/tsconfig.json': '{ "files": [], "include": [], "references": [{ "path": "./tsconfig.spec.json" }, { "path": "./tsconfig.app.json" }] }',
      '/repo/apps/api/tsconfig.app.json': '{ "compilerOptions": { "paths": { "@app/auth": ["../../libs/auth/src/index.ts"] } } }',
      '/repo/apps/api/tsconfig.spec.json': '{ "compilerOptions": { "paths": { "@app/auth": ["./test/fake-auth.ts"] } } }',
      '/repo/libs/auth/src/index.ts': GUARD,
      '/repo/apps/api/test/fake-auth.ts': GUARD,
      '/repo/apps/api/src/main.ts': '',
      '/repo/apps/worker/tsconfig.json': '{ "compilerOptions": { "baseUrl": "src" }, "references": [{ "path": "../api" }] }',
      '/repo/apps/worker/src/auth.ts': GUARD,
      '/repo/apps/worker/src/main.ts': '',
    });
    expect(resolve('/repo/apps/api/src/main.ts', '@app/auth')).toBe('libs/auth/src/index.ts');
    expect(resolve('/repo/apps/worker/src/main.ts', 'auth')).toBe('apps/worker/src/auth.ts');
    expect(resolve('/repo/apps/worker/src/main.ts', '@app/auth')).toBeUndefined();
  });

  it('resolves a relative import across rootDirs', () => {
    const resolve = resolver({
      '/repo/tsconfig.json': '{ "compilerOptions": { "rootDirs": ["src", "generated"] } }',
      '/repo/src/routes/orders.ts': '',
      '/repo/generated/routes/guards.ts': GUARD,
    });
    expect(resolve('/repo/src/routes/orders.ts', './guards')).toBe('generated/routes/guards.ts');
    expect(resolve('/repo/src/routes/orders.ts', './missing')).toBeUndefined();
  });
});

describe('memoised resolution', () => {
  it('answers per importing folder: the same relative specifier in two folders names two files', () => {
    const resolve = resolver({
      '/repo/a/x.ts': '',
      '/repo/a/util.ts': '',
      '/repo/b/y.ts': '',
      '/repo/b/util.ts': '',
      '/repo/b/z.ts': '',
    });
    expect(resolve('/repo/a/x.ts', './util')).toBe('a/util.ts');
    expect(resolve('/repo/b/y.ts', './util')).toBe('b/util.ts');
    expect(resolve('/repo/b/z.ts', './util')).toBe('b/util.ts');
    expect(resolve('/repo/a/x.ts', './util')).toBe('a/util.ts');
  });

  it('forgets its answers when a file is added, for imports and for imported names', () => {
    const source: TextSource = { read: () => undefined, exists: () => false };
    const project = new AnalysisProject('/repo', {}, source);
    const app = project.addFile('/repo/src/app.ts', "import { guard } from './guard';\nexport const x = guard;\n");
    expect(project.resolveImport(app, './guard')).toBeUndefined();
    expect(resolveImportedName(project, app, 'guard')).toMatchObject({ kind: 'external', module: './guard', path: ['guard'] });
    project.addFile('/repo/src/guard.ts', 'export function guard() {}\n');
    expect(project.resolveImport(app, './guard')?.relPath).toBe('src/guard.ts');
    expect(resolveImportedName(project, app, 'guard')).toMatchObject({ kind: 'declaration', file: { relPath: 'src/guard.ts' } });
  });

  it('gives each caller its own member path of a package export', () => {
    const project = new AnalysisProject('/repo', {}, { read: () => undefined, exists: () => false });
    const app = project.addFile('/repo/src/app.ts', "import { sign } from 'jsonwebtoken';\n");
    const first = resolveImportedName(project, app, 'sign');
    if (first?.kind !== 'external') throw new Error('expected a package export');
    first.path.push('changed');
    expect(resolveImportedName(project, app, 'sign')).toEqual({ kind: 'external', module: 'jsonwebtoken', path: ['sign'] });
  });
  it('resolves a package of the repository\'s own workspaces by its package.json name where no paths entry maps it', () => {
    const files: Record<string, string> = {
      '/repo/package.json': JSON.stringify({ private: true, workspaces: { packages: ['apps/*', 'packages/*'] } }),
      '/repo/lerna.json': JSON.stringify({ packages: ['tools/cli'] }),
      '/repo/tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "." } }',
      '/repo/packages/plugin/package.json': JSON.stringify({ name: '@acme/plugin', main: './src/index.js', typings: './src/index.d.ts' }),
      '/repo/packages/plugin/src/index.ts': 'export * from "./lib/plugin";\n',
      '/repo/packages/plugin/src/lib/plugin.ts': 'export function AcmePlugin() {}\n',
      '/repo/packages/plugin/extra.ts': 'export const extra = 1;\n',
      '/repo/packages/utils/package.json': JSON.stringify({ name: '@acme/utils' }),
      '/repo/packages/utils/src/index.ts': 'export const merge = 1;\n',
      '/repo/tools/cli/package.json': JSON.stringify({ name: '@acme/cli', types: './lib/main.d.ts' }),
      '/repo/tools/cli/lib/main.ts': 'export const run = 1;\n',
      '/repo/apps/api/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
      '/repo/apps/api/src/main.ts': '',
    };
    const project = new AnalysisProject('/repo', {}, { read: (p) => files[p], exists: (p) => p in files });
    for (const [p, text] of Object.entries(files)) if (p.endsWith('.ts')) project.addFile(p, text);
    const main = project.getFile('/repo/apps/api/src/main.ts')!;
    const resolve = (specifier: string) => project.resolveImport(main, specifier)?.relPath;
    expect(resolve('@acme/plugin')).toBe('packages/plugin/src/index.ts');
    expect(resolve('@acme/plugin/src/lib/plugin')).toBe('packages/plugin/src/lib/plugin.ts');
    expect(resolve('@acme/utils')).toBe('packages/utils/src/index.ts');
    expect(resolve('@acme/cli')).toBe('tools/cli/lib/main.ts');
    expect(resolve('@acme/missing')).toBeUndefined();
    // A name that only starts like a package's is not that package (not packages/plugin/extra.ts).
    expect(resolve('@acme/plugin-extra')).toBeUndefined();
    // Another folder under the same config gets the same answers (they are kept per config, not per folder).
    const other = project.addFile('/repo/apps/api/src/users/users.ts', '');
    expect(project.resolveImport(other, '@acme/plugin')?.relPath).toBe('packages/plugin/src/index.ts');
    expect(project.resolveImport(other, '@acme/plugin-extra')).toBeUndefined();
    expect(resolve('@nestjs/common')).toBeUndefined();
  });
  it('follows star re-exports through a cycle of barrels to the module that declares the name, and gives up on a name none declares', () => {
    const files: Record<string, string> = {
      '/repo/src/a/index.ts': "export * from '../b';\nexport * from '../c';\n",
      '/repo/src/b/index.ts': "export * from '../a';\nexport * from '../c';\n",
      '/repo/src/c/index.ts': "export * from './guard';\n",
      '/repo/src/c/guard.ts': 'export class RolesGuard {}\n',
      '/repo/src/app.ts': "import { RolesGuard, Missing } from './a';\n",
    };
    const project = new AnalysisProject('/repo', {}, { read: (p) => files[p], exists: (p) => p in files });
    for (const [p, text] of Object.entries(files)) project.addFile(p, text);
    const app = project.getFile('/repo/src/app.ts')!;
    expect(resolveImportedName(project, app, 'RolesGuard')).toMatchObject({ kind: 'declaration', file: { relPath: 'src/c/guard.ts' } });
    expect(resolveImportedName(project, app, 'Missing')).toEqual({ kind: 'unknown' });
  });
  it('finds a name a large barrel exports late, after star re-exports of many other modules', () => {
    const files: Record<string, string> = {
      '/repo/src/index.ts': "export * from './lib/core';\nexport * from './lib/shared';\n",
      '/repo/src/lib/core/index.ts': Array.from({ length: 40 }, (_, i) => `export * from './part${i}';`).join('\n'),
      '/repo/src/lib/shared/index.ts': "export * from './guards';\n",
      '/repo/src/lib/shared/guards/index.ts': "export * from './auth.guard';\n",
      '/repo/src/lib/shared/guards/auth.guard.ts': 'export class AuthGuard {}\n',
      '/repo/plugins/changelog.controller.ts': "import { AuthGuard } from '../src';\n",
    };
    for (let i = 0; i < 40; i++) files[`/repo/src/lib/core/part${i}.ts`] = `export const part${i} = ${i};\n`;
    const project = new AnalysisProject('/repo', {}, { read: (p) => files[p], exists: (p) => p in files });
    for (const [p, text] of Object.entries(files)) project.addFile(p, text);
    const controller = project.getFile('/repo/plugins/changelog.controller.ts')!;
    expect(resolveImportedName(project, controller, 'AuthGuard')).toMatchObject({ kind: 'declaration', file: { relPath: 'src/lib/shared/guards/auth.guard.ts' } });
  });
});
