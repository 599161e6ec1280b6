import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { evaluate, getAlternatives, getStringAlternatives, resolveOrigin, stripDefault } from '../../src/facts/values.js';
import { findAll } from '../../src/core/walk.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = {
    read: (p) => files[p],
    exists: (p) => p in files,
  };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(files)) project.addFile(p, text);
  return project;
}

function callArgs(project: AnalysisProject, file: string, callee: string): ts.Expression[] {
  const info = project.getFile(file);
  if (!info) throw new Error(`no ${file}`);
  const call = findAll(info.sourceFile, ts.isCallExpression).find((c) => c.expression.getText(info.sourceFile) === callee);
  if (!call) throw new Error(`no call ${callee}`);
  return [...call.arguments];
}

describe('static values across files', () => {
  it('follows an imported constant object, spreads and env fallbacks', () => {
    const project = memoryProject({
      '/repo/src/config.ts': "const base = { issuer: 'https://id.example.com' };\nexport const jwtConfig = { ...base, secret: process.env.JWT_SECRET || 'changeme' };\n",
      '/repo/src/auth.ts': "import jwt from 'jsonwebtoken';\nimport { jwtConfig } from './config';\nconst { secret } = jwtConfig;\njwt.verify(token, secret, { issuer: jwtConfig.issuer });\n",
    });
    const file = project.getFile('/repo/src/auth.ts')!;
    const [, key, options] = callArgs(project, '/repo/src/auth.ts', 'jwt.verify');
    const keyValue = evaluate(project, file, key!);
    expect(keyValue.kind).toBe('env');
    expect(getStringAlternatives(keyValue)).toEqual(['changeme']);
    const opts = evaluate(project, file, options!);
    expect(opts.kind === 'object' && getStringAlternatives(opts.props.get('issuer')!)).toEqual(['https://id.example.com']);
  });

  it('binds a call to its package through default, named, renamed and require imports', () => {
    const project = memoryProject({
      '/repo/a.ts': "import jwt from 'jsonwebtoken';\nimport { verify as v } from 'jsonwebtoken';\nconst { decode } = require('jsonwebtoken');\nconst lib = require('jsonwebtoken');\njwt.verify(t, k);\nv(t, k);\ndecode(t);\nlib.sign(p, k);\n",
    });
    const file = project.getFile('/repo/a.ts')!;
    const calls = findAll(file.sourceFile, ts.isCallExpression).filter((c) => !c.getText(file.sourceFile).startsWith('require'));
    const origins = calls.map((c) => resolveOrigin(project, file, c.expression));
    expect(origins.map((o) => (o.kind === 'external' ? `${o.module}:${stripDefault(o.path).join('.')}` : o.kind))).toEqual([
      'jsonwebtoken:verify',
      'jsonwebtoken:verify',
      'jsonwebtoken:decode',
      'jsonwebtoken:sign',
    ]);
  });

  it('follows a re-export through a repository module and a Nest injected service', () => {
    const project = memoryProject({
      '/repo/lib/jwt.ts': "export { verify } from 'jsonwebtoken';\nexport * from 'jose';\n",
      '/repo/svc.ts': "import { verify, jwtVerify } from './lib/jwt';\nimport { JwtService } from '@nestjs/jwt';\nclass A { constructor(private readonly jwt: JwtService) {}\n run() { verify(t, k); jwtVerify(t, k); this.jwt.verify(t); } }\n",
    });
    const file = project.getFile('/repo/svc.ts')!;
    const calls = findAll(file.sourceFile, ts.isCallExpression);
    const origins = calls.map((c) => resolveOrigin(project, file, c.expression));
    expect(origins.map((o) => (o.kind === 'external' ? `${o.module}:${o.path.join('.')}` : o.kind))).toEqual([
      'jsonwebtoken:verify',
      'jose:jwtVerify',
      '@nestjs/jwt:JwtService.#instance.verify',
    ]);
  });

  it('evaluates members of a required module like the destructured form', () => {
    const project = memoryProject({
      '/repo/utils.js': "module.exports = { validateToken: (req, res, next) => next(), limits: { max: 5 } };\n",
      '/repo/lib/session.js': "function requireSession(req, res, next) { next(); }\nexports.checks = { session: requireSession };\nmodule.exports.audit = function audit() {};\n",
      '/repo/routes.js': [
        "const validateToken = require('./utils').validateToken;",
        "const { validateToken: destructured } = require('./utils');",
        "const max = require('./utils').limits.max;",
        "const session = require('./lib/session').checks.session;",
        "const audit = require('./lib/session').audit;",
        "const missing = require('./utils').nothingHere;",
        "use(validateToken, destructured, max, session, audit, missing);",
      ].join('\n'),
    });
    const file = project.getFile('/repo/routes.js')!;
    const values = callArgs(project, '/repo/routes.js', 'use').map((arg) => evaluate(project, file, arg));
    expect(values.map((v) => (v.kind === 'function' ? `function@${v.file.relPath}` : v.kind === 'number' ? String(v.value) : v.kind))).toEqual([
      'function@utils.js',
      'function@utils.js',
      '5',
      'function@lib/session.js',
      'function@lib/session.js',
      'unknown',
    ]);
  });
  it('follows calls into a module-level store: written from a parameter, read by a getter, bound to every call site', () => {
    const project = memoryProject({
      '/repo/config.ts': [
        "import merge from 'lodash/merge';",
        "let current = { port: 3000, plugins: [] };",
        "const extras = { hooks: [] };",
        "export function defineConfig(provided) { current = merge({}, current, provided); }",
        "export function addHooks(more) { Object.assign(extras, more); }",
        "export const getConfig = () => Object.freeze({ ...current, ...extras });",
      ].join('\n'),
      '/repo/main.ts': [
        "import { defineConfig, addHooks } from './config';",
        "export function bootstrap(options) { defineConfig(options); }",
        "bootstrap({ plugins: ['billing'] });",
        "bootstrap({ port: 8080, plugins: ['reports', 'audit'] });",
        "addHooks({ hooks: ['trace'] });",
      ].join('\n'),
      '/repo/read.ts': "import { getConfig } from './config';\nuse(getConfig().plugins, getConfig().hooks, getConfig());\n",
    });
    const file = project.getFile('/repo/read.ts')!;
    const strings = (v: ReturnType<typeof evaluate>): string[] =>
      getAlternatives(v).flatMap((o) => (o.kind === 'array' ? o.items.flatMap(strings) : o.kind === 'string' ? [o.value] : []));
    const [plugins, hooks, whole] = callArgs(project, '/repo/read.ts', 'use');
    const followed = evaluate(project, file, plugins!, { followCalls: true });
    expect(strings(followed).sort()).toEqual(['audit', 'billing', 'reports']);
    expect(strings(evaluate(project, file, hooks!, { followCalls: true }))).toEqual(['trace']);
    // The bootstrap parameter takes the argument of each of its two call sites, and the value says so.
    const options = getAlternatives(evaluate(project, file, whole!, { followCalls: true }));
    const bootstrapFile = project.getFile('/repo/main.ts')!;
    const parameter = findAll(bootstrapFile.sourceFile, ts.isParameter)[0]!;
    const atCallSites = evaluate(project, bootstrapFile, parameter.name as ts.Identifier, { followCalls: true });
    expect(atCallSites.kind === 'union' ? atCallSites.callSites : undefined).toBe(2);
    expect(options.some((o) => o.kind === 'object')).toBe(true);
    // Without followCalls a call stays a call.
    expect(evaluate(project, file, plugins!).kind).toBe('unknown');
  });

  it('binds a static method\'s parameters to the arguments of the call it evaluates', () => {
    const project = memoryProject({
      '/repo/feature.module.ts': "export class FeatureModule {\n  static forRoot(options, ...extra) { return { module: FeatureModule, imports: [...options.imports, ...extra] }; }\n}\n",
      '/repo/app.ts': "import { FeatureModule } from './feature.module';\nuse(FeatureModule.forRoot({ imports: ['a'] }, 'b', 'c'));\n",
    });
    const file = project.getFile('/repo/app.ts')!;
    const [call] = callArgs(project, '/repo/app.ts', 'use');
    const value = evaluate(project, file, call!, { followCalls: true });
    const imports = value.kind === 'object' ? value.props.get('imports') : undefined;
    expect(imports?.kind === 'array' ? imports.items.map((i) => (i.kind === 'string' ? i.value : i.kind)) : imports?.kind).toEqual(['a', 'b', 'c']);
  });
});
