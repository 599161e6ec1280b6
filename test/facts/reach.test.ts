import { describe, expect, it, vi } from 'vitest';
import { AnalysisProject, type SourceFileInfo, type TextSource } from '../../src/core/project.js';
import { canReach } from '../../src/facts/reach.js';
import { getJwtCalls, type JwtCall } from '../../src/facts/jwt.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(files)) if (/\.[jt]s$/.test(p)) project.addFile(p, text);
  return project;
}

const mentionsJsonwebtoken = (file: SourceFileInfo): boolean => file.text.includes('jsonwebtoken');

function reaches(project: AnalysisProject, path: string): boolean {
  const file = project.getFile(path);
  if (!file) throw new Error(`no ${path}`);
  return canReach(project, file, 'jsonwebtoken', mentionsJsonwebtoken);
}

const summary = (c: JwtCall) => `${c.library}:${c.apiName}:${c.operation}`;

const CHAIN = {
  '/repo/src/c.ts': "import jwt from 'jsonwebtoken';\nexport const x = jwt.verify;\n",
  '/repo/src/b.ts': "export { x } from './c';\n",
  '/repo/src/a.ts': "import { x } from './b';\nx(token, key);\n",
  '/repo/src/d.ts': "import { readFileSync } from 'node:fs';\nimport { join } from './paths';\nreadFileSync(join('a'));\n",
  '/repo/src/paths.ts': "import path from 'node:path';\nexport const join = (p: string) => path.join('/srv', p);\n",
};

// a imports b, b imports a back and also c; c names the package. Only b has the edge to c.
const CYCLE_WITH_EXIT = {
  '/repo/src/c.ts': "export { sign } from 'jsonwebtoken';\n",
  '/repo/src/b.ts': "import { run } from './a';\nimport { sign } from './c';\nexport const go = () => run(sign);\n",
  '/repo/src/a.ts': "import { go } from './b';\nexport const run = (f: unknown) => f;\ngo();\n",
};

const PURE_CYCLE = {
  '/repo/src/b.ts': "import { ping } from './a';\nexport const pong = () => ping();\n",
  '/repo/src/a.ts': "import { pong } from './b';\nexport const ping = () => pong();\n",
  '/repo/src/e.ts': "import { ping } from './a';\nping();\n",
};

describe('canReach', () => {
  it('follows an import and an export-from re-export to a file that names the package', () => {
    const project = memoryProject(CHAIN);
    expect(reaches(project, '/repo/src/a.ts')).toBe(true);
    expect(reaches(project, '/repo/src/b.ts')).toBe(true);
    expect(reaches(project, '/repo/src/c.ts')).toBe(true);
  });

  it('does not reach through imports of unrelated packages and repository modules', () => {
    const project = memoryProject(CHAIN);
    expect(reaches(project, '/repo/src/d.ts')).toBe(false);
    expect(reaches(project, '/repo/src/paths.ts')).toBe(false);
  });

  it('answers the same whichever file is asked first', () => {
    const orders = [
      ['/repo/src/c.ts', '/repo/src/b.ts', '/repo/src/a.ts', '/repo/src/d.ts', '/repo/src/paths.ts'],
      ['/repo/src/paths.ts', '/repo/src/d.ts', '/repo/src/a.ts', '/repo/src/b.ts', '/repo/src/c.ts'],
      ['/repo/src/d.ts', '/repo/src/b.ts', '/repo/src/paths.ts', '/repo/src/c.ts', '/repo/src/a.ts'],
    ];
    for (const order of orders) {
      const project = memoryProject(CHAIN);
      const answers = Object.fromEntries(order.map((p) => [p, reaches(project, p)]));
      expect(answers).toEqual({
        '/repo/src/a.ts': true,
        '/repo/src/b.ts': true,
        '/repo/src/c.ts': true,
        '/repo/src/d.ts': false,
        '/repo/src/paths.ts': false,
      });
    }
  });

  it('leaves an import cycle through its one exit to the package, asked from either side first', () => {
    for (const order of [
      ['/repo/src/a.ts', '/repo/src/b.ts'],
      ['/repo/src/b.ts', '/repo/src/a.ts'],
    ]) {
      const project = memoryProject(CYCLE_WITH_EXIT);
      expect(order.map((p) => reaches(project, p))).toEqual([true, true]);
    }
  });

  it('terminates on a pure import cycle and answers no for every file of it and its importers', () => {
    for (const order of [
      ['/repo/src/a.ts', '/repo/src/b.ts', '/repo/src/e.ts'],
      ['/repo/src/b.ts', '/repo/src/e.ts', '/repo/src/a.ts'],
      ['/repo/src/e.ts', '/repo/src/a.ts', '/repo/src/b.ts'],
    ]) {
      const project = memoryProject(PURE_CYCLE);
      expect(order.map((p) => reaches(project, p))).toEqual([false, false, false]);
    }
  });

  it('a file that imports a positive file answers yes after that file was answered', () => {
    const project = memoryProject({ ...PURE_CYCLE, '/repo/src/jwt.ts': "export * from 'jsonwebtoken';\n", '/repo/src/f.ts': "import './jwt';\nimport './e';\n" });
    expect(reaches(project, '/repo/src/jwt.ts')).toBe(true);
    expect(reaches(project, '/repo/src/e.ts')).toBe(false);
    expect(reaches(project, '/repo/src/f.ts')).toBe(true);
    expect(reaches(project, '/repo/src/a.ts')).toBe(false);
  });

  it('follows require(), dynamic import() and import x = require() edges', () => {
    const project = memoryProject({
      '/repo/src/required.ts': "module.exports = require('jsonwebtoken');\n",
      '/repo/src/lazy.ts': "export const load = () => import('jsonwebtoken');\n",
      '/repo/src/legacy.ts': "import jwt = require('jsonwebtoken');\nexport = jwt;\n",
      '/repo/src/via-require.js': "const jwt = require('./required');\nmodule.exports = jwt;\n",
      '/repo/src/via-import.ts': "export async function verifyLater() { const m = await import('./lazy'); return m.load(); }\n",
      '/repo/src/via-import-equals.ts': "import legacy = require('./legacy');\nexport const v = legacy.verify;\n",
      '/repo/src/via-template.ts': 'export const load = () => import(`./lazy`);\n',
      '/repo/src/unrelated.ts': "const fs = require('node:fs');\nexport const read = () => import('node:path');\nimport os = require('node:os');\n",
    });
    expect(reaches(project, '/repo/src/via-require.js')).toBe(true);
    expect(reaches(project, '/repo/src/via-import.ts')).toBe(true);
    expect(reaches(project, '/repo/src/via-import-equals.ts')).toBe(true);
    expect(reaches(project, '/repo/src/via-template.ts')).toBe(true);
    expect(reaches(project, '/repo/src/unrelated.ts')).toBe(false);
  });

  it('follows side-effect imports and .js-suffixed specifiers to .ts files', () => {
    const project = memoryProject({
      '/repo/src/setup.ts': "import 'jsonwebtoken';\n",
      '/repo/src/main.ts': "import './setup.js';\n",
    });
    expect(reaches(project, '/repo/src/main.ts')).toBe(true);
  });

  it('follows tsconfig paths aliases, including through an extended config', () => {
    const project = memoryProject({
      '/repo/tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@auth/*': ['src/auth/*'], '@shared': ['src/shared/index.ts'] } } }),
      '/repo/tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }),
      '/repo/src/auth/tokens.ts': "import jwt from 'jsonwebtoken';\nexport const verify = jwt.verify;\n",
      '/repo/src/shared/index.ts': "export { verify } from '@auth/tokens';\n",
      '/repo/src/routes/users.ts': "import { verify } from '@shared';\nverify(token, key);\n",
      '/repo/src/routes/health.ts': "import { uptime } from '@health/status';\nuptime();\n",
    });
    expect(reaches(project, '/repo/src/routes/users.ts')).toBe(true);
    expect(reaches(project, '/repo/src/routes/health.ts')).toBe(false);
  });

  it('keeps answers of different tests apart', () => {
    const project = memoryProject(CHAIN);
    const a = project.getFile('/repo/src/a.ts')!;
    expect(canReach(project, a, 'mentions-jose', (f) => f.text.includes('jose'))).toBe(false);
    expect(canReach(project, a, 'jsonwebtoken', mentionsJsonwebtoken)).toBe(true);
  });

  it('resolves each file\'s imports once for the searches of every test', () => {
    const project = memoryProject(CHAIN);
    const a = project.getFile('/repo/src/a.ts')!;
    const resolve = vi.spyOn(project, 'resolveImport');
    expect(canReach(project, a, 'mentions-jose', (f) => f.text.includes('jose'))).toBe(false);
    const first = resolve.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    expect(canReach(project, a, 'jsonwebtoken', mentionsJsonwebtoken)).toBe(true);
    expect(canReach(project, project.getFile('/repo/src/d.ts')!, 'mentions-koa', (f) => f.text.includes('koa'))).toBe(false);
    // d.ts and paths.ts were not on a's search: only their imports are resolved now.
    expect(resolve.mock.calls.map(([file]) => file.relPath).slice(first).sort()).toEqual(['src/d.ts', 'src/d.ts', 'src/paths.ts']);
  });

  it('remembers a negative answer for every file the search visited', () => {
    const project = memoryProject(PURE_CYCLE);
    const tested: string[] = [];
    const counting = (f: SourceFileInfo) => {
      tested.push(f.relPath);
      return mentionsJsonwebtoken(f);
    };
    expect(canReach(project, project.getFile('/repo/src/e.ts')!, 'counted', counting)).toBe(false);
    expect([...tested].sort()).toEqual(['src/a.ts', 'src/b.ts', 'src/e.ts']);
    tested.length = 0;
    expect(canReach(project, project.getFile('/repo/src/b.ts')!, 'counted', counting)).toBe(false);
    expect(canReach(project, project.getFile('/repo/src/a.ts')!, 'counted', counting)).toBe(false);
    expect(tested).toEqual([]);
  });

  it('remembers a positive answer for every file on the chain to the passing file, and only for those', () => {
    const project = memoryProject({ ...CHAIN, '/repo/src/side.ts': "import './paths';\n", '/repo/src/top.ts': "import './side';\nimport './a';\n" });
    const tested: string[] = [];
    const counting = (f: SourceFileInfo) => {
      tested.push(f.relPath);
      return mentionsJsonwebtoken(f);
    };
    expect(canReach(project, project.getFile('/repo/src/top.ts')!, 'counted', counting)).toBe(true);
    expect(tested).toContain('src/c.ts');
    tested.length = 0;
    // top → a → b → c: a and b answer from memory; d was not on the chain and is still searched.
    expect(canReach(project, project.getFile('/repo/src/a.ts')!, 'counted', counting)).toBe(true);
    expect(canReach(project, project.getFile('/repo/src/b.ts')!, 'counted', counting)).toBe(true);
    expect(tested).toEqual([]);
    expect(canReach(project, project.getFile('/repo/src/d.ts')!, 'counted', counting)).toBe(false);
    expect(tested).toContain('src/d.ts');
  });

  it('recomputes after a file is added to the project', () => {
    const project = memoryProject({
      '/repo/src/handler.ts': "import { verifyToken } from './token';\nverifyToken(header);\n",
      '/repo/src/other.ts': "import { verifyToken } from './handler';\n",
    });
    expect(reaches(project, '/repo/src/handler.ts')).toBe(false);
    expect(reaches(project, '/repo/src/other.ts')).toBe(false);
    project.addFile('/repo/src/token.ts', "import jwt from 'jsonwebtoken';\nexport const verifyToken = (t: string) => jwt.verify(t, 'k');\n");
    expect(reaches(project, '/repo/src/handler.ts')).toBe(true);
    expect(reaches(project, '/repo/src/other.ts')).toBe(true);
  });
});

describe('JWT calls behind an import chain', () => {
  const WRAPPED = {
    '/repo/src/auth/jwt.ts': "import jwt from 'jsonwebtoken';\nexport const verify = jwt.verify;\n",
    '/repo/src/auth/index.ts': "export * from './jwt';\n",
    '/repo/src/routes/users.ts': "import { verify } from '../auth';\nexport function me(token: string, secret: string) {\n  return verify(token, secret);\n}\n",
  };

  it('binds a call of a re-exported package function in a file that never names the package', () => {
    const project = memoryProject(WRAPPED);
    const users = project.getFile('/repo/src/routes/users.ts')!;
    expect(users.text).not.toContain('jsonwebtoken');
    const found = getJwtCalls(project, users);
    expect(found.map(summary)).toEqual(['jsonwebtoken:verify:verify']);
    expect(found[0]!.node.getText(users.sourceFile)).toBe('verify(token, secret)');
  });

  it('gives no call for a local verify function without an import chain to a JWT package', () => {
    const local = "function verify(token: string, secret: string) { return token === secret; }\nexport const ok = verify(token, secret);\n";
    const alone = memoryProject({ '/repo/src/routes/compare.ts': local });
    expect(getJwtCalls(alone, alone.getFile('/repo/src/routes/compare.ts')!)).toEqual([]);
    // Another file of the project uses jsonwebtoken, but this one does not import it.
    const beside = memoryProject({ ...WRAPPED, '/repo/src/routes/compare.ts': local });
    expect(getJwtCalls(beside, beside.getFile('/repo/src/routes/compare.ts')!)).toEqual([]);
  });

  it('finds the call once the wrapper module is added to the project', () => {
    const project = memoryProject({ '/repo/src/routes/users.ts': WRAPPED['/repo/src/routes/users.ts'] });
    const before = project.getFile('/repo/src/routes/users.ts')!;
    expect(getJwtCalls(project, before)).toEqual([]);
    project.addFile('/repo/src/auth/jwt.ts', WRAPPED['/repo/src/auth/jwt.ts']);
    project.addFile('/repo/src/auth/index.ts', WRAPPED['/repo/src/auth/index.ts']);
    const users = project.addFile('/repo/src/routes/users.ts', WRAPPED['/repo/src/routes/users.ts']);
    expect(getJwtCalls(project, users).map(summary)).toEqual(['jsonwebtoken:verify:verify']);
  });
});
