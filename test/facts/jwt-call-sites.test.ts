import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/core/extract.js';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { getJwtCalls, type JwtCall } from '../../src/facts/jwt.js';
import { JWT_CALL_SITES } from '../../src/facts/jwt-call-sites.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';

/** A project whose files come with their portable facts, as the CLI's extraction threads hand them over. */
function extractedProject(files: Record<string, string>, options: { select?: boolean } = {}): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source, options);
  for (const [p, text] of Object.entries(files)) {
    if (!/\.[jt]s$/.test(p)) continue;
    project.addFile(p, text, { facts: summarizeFile(p, text, PORTABLE_FACTS, p.slice('/repo/'.length)).facts ?? {} });
  }
  return project;
}

const summary = (c: JwtCall) => `${c.library}:${c.apiName}:${c.operation}@${c.node.getStart(c.file.sourceFile)}`;

/** The calls of `path` with the gate, checked against every call the walk finds when nothing is selected. */
function gatedCalls(files: Record<string, string>, path: string): { calls: string[]; parsed: boolean } {
  const project = extractedProject(files);
  const file = project.getFile(path)!;
  const calls = getJwtCalls(project, file).map(summary);
  const parsed = file.isParsed;
  const everything = extractedProject(files, { select: false });
  expect(calls).toEqual(getJwtCalls(everything, everything.getFile(path)!).map(summary));
  return { calls, parsed };
}

const BARREL = {
  '/repo/src/lib/index.ts': "export * from './token';\nexport * from './format';\nexport * as tokens from './token';\n",
  '/repo/src/lib/token.ts': [
    "import jwt from 'jsonwebtoken';",
    "export { verify as checkToken, sign } from 'jsonwebtoken';",
    "export { JwtService } from '@nestjs/jwt';",
    'export const check = jwt.verify;',
    'export const issue = (sub: string) => jwt.sign({ sub }, process.env.SECRET!);',
  ].join('\n'),
  '/repo/src/lib/format.ts': [
    "import { SetMetadata } from '@nestjs/common';",
    'export function format(s: string) { return s.trim(); }',
    'export class Users { static find(id: string) { return id; } }',
    "export const Permissions = (...names: string[]) => SetMetadata('permissions', names);",
    'export default { format };',
  ].join('\n'),
};

describe('JWT call-site gate', () => {
  it('does not parse a file that reaches jsonwebtoken through a barrel but calls nothing that can come from it', () => {
    const files = {
      ...BARREL,
      '/repo/src/users.service.ts': [
        "import { format, JwtService, Permissions, Users } from './lib';",
        "import * as lib from './lib';",
        "import helpers from './lib/format';",
        "import { Injectable } from '@nestjs/common';",
        "import { Repository } from 'typeorm';",
        'function local(x: string) { return x; }',
        '@Injectable()',
        'export class UsersService {',
        '  constructor(private readonly repo: Repository<string>, private readonly jwt: JwtService) {}',
        "  @Permissions('users')",
        '  find(id: string, cb) {',
        '    local(format(id)); lib.format(id); helpers.format(id); Users.find(id); new Users(); cb(id); console.log(id);',
        '    return this.repo.findOne({ where: { id } });',
        '  }',
        '}',
      ].join('\n'),
    };
    const project = extractedProject(files);
    const file = project.getFile('/repo/src/users.service.ts')!;
    expect(getJwtCalls(project, file)).toEqual([]);
    expect(file.isParsed).toBe(false);
    expect(project.stats.parsed).toBe(0);
    const everything = extractedProject(files, { select: false });
    expect(getJwtCalls(everything, everything.getFile('/repo/src/users.service.ts')!)).toEqual([]);
  });

  it('summarises where each callee enters the file: the import or require and the steps written after it', () => {
    const project = extractedProject({
      '/repo/src/a.ts': [
        "import * as lib from './lib';",
        "const { promisify } = require('util');",
        'class A {',
        '  constructor(private readonly svc: lib.JwtService) {}',
        '  private check = lib.check;',
        '  run(t: string) { this.svc.verify(t); this.check(t); const v = promisify(lib.sign); return v(t); }',
        '}',
      ].join('\n'),
    });
    const sites = project.fileFact(JWT_CALL_SITES, project.getFile('/repo/src/a.ts')!);
    expect(sites.seeds.map((s) => `${s.role} ${s.module} ${s.imported} ${s.steps.join('.')}`)).toEqual([
      'call ./lib * JwtService.#instance.verify',
      'call ./lib * check',
      'call ./lib * sign',
      'call util * promisify.()',
      'call util * promisify',
    ]);
  });


  it('gives a class member the same seed in every call, and gives up on a chain too long whichever call came first', () => {
    // `this.client` starts 40 steps from its import; a call with 30 more links exceeds the 64 steps a seed follows.
    const member = `lib${'.a'.repeat(38)}`;
    const long = `this.client${'.b'.repeat(30)}()`;
    const text = (first: string, second: string) =>
      ["import * as lib from './lib';", 'class A {', `  private client = ${member};`, `  run() { ${first}; ${second}; this.client.c(); }`, '}'].join('\n');
    const summarise = (source: string) => {
      const project = extractedProject({ '/repo/src/a.ts': source });
      const sites = project.fileFact(JWT_CALL_SITES, project.getFile('/repo/src/a.ts')!);
      return { unbounded: sites.unbounded, seeds: sites.seeds.map((s) => `${s.role} ${s.module} ${s.imported} ${s.steps.length} ${s.steps.at(-1)}`) };
    };
    const expected = { unbounded: true, seeds: ['call ./lib * 39 c', 'call ./lib * 38 a'] };
    expect(summarise(text('this.client()', long))).toEqual(expected);
    expect(summarise(text(long, 'this.client()'))).toEqual(expected);
  });
  it('lets through every call the walk binds: names, namespaces and aliases of a barrel, injected services, promisify, members', () => {
    const files = {
      ...BARREL,
      '/repo/src/lib/cjs.js': "module.exports = require('jsonwebtoken');\n",
      '/repo/src/lib/default.ts': "import jwt from 'jsonwebtoken';\nexport default jwt;\n",
      '/repo/src/auth.ts': [
        "import { checkToken, check, issue, JwtService, Users, tokens } from './lib';",
        "import cjs from './lib/cjs';",
        "import tok from './lib/default';",
        "import * as lib from './lib';",
        "import { promisify } from 'util';",
        'const verifyAsync = promisify(lib.sign);',
        'export class Guard {',
        '  private readonly verifier = lib.check;',
        '  constructor(private readonly jwtService: JwtService) {}',
        "  run(t: string) { checkToken(t, 'k'); check(t, 'k'); lib.check(t, 'k'); tokens.check(t, 'k'); this.verifier(t, 'k'); verifyAsync({}, 'k'); Users.find(t); issue(t); cjs.decode(t); tok.decode(t); return this.jwtService.verify(t); }",
        '}',
      ].join('\n'),
    };
    const { calls, parsed } = gatedCalls(files, '/repo/src/auth.ts');
    expect(parsed).toBe(true);
    expect(calls.map((c) => c.replace(/@\d+$/, ''))).toEqual([
      'jsonwebtoken:verify:verify',
      'jsonwebtoken:verify:verify',
      'jsonwebtoken:verify:verify',
      'jsonwebtoken:verify:verify',
      'jsonwebtoken:verify:verify',
      'jsonwebtoken:sign:sign',
      'jsonwebtoken:decode:decode',
      'jsonwebtoken:decode:decode',
      '@nestjs/jwt:JwtService.verify:verify',
    ]);
  });

  it('lets through require destructuring, passport strategies and plugins loaded inline', () => {
    expect(
      gatedCalls(
        {
          '/repo/src/strategy.ts': [
            "const { PassportStrategy } = require('@nestjs/passport');",
            "const { Strategy } = require('passport-jwt');",
            "const { verify: check } = require('jsonwebtoken');",
            "export class S extends PassportStrategy(Strategy) { constructor() { super({ secretOrKey: 'k' }); } }",
            "export const f = (t) => check(t, 'k');",
            "export const g = (app) => app.register(require('@fastify/jwt'), { secret: 'k' });",
          ].join('\n'),
        },
        '/repo/src/strategy.ts',
      ).calls.map((c) => c.replace(/@\d+$/, '')),
    ).toEqual(['passport-jwt:JwtStrategy:configure', 'jsonwebtoken:verify:verify', '@fastify/jwt:register:configure']);
  });

  it('lets through decorators and hapi schemes bound by a library another file registers, and only then', () => {
    const files = {
      '/repo/src/app.ts': "import fastifyJwt from '@fastify/jwt';\nimport Jwt from '@hapi/jwt';\nexport const p = [fastifyJwt, Jwt];\n",
      '/repo/src/routes.ts': "export const f = async (request, server) => { await request.jwtVerify(); server.auth.strategy('a', 'jwt', { keys: 'k' }); };\n",
    };
    expect(gatedCalls(files, '/repo/src/routes.ts').calls.map((c) => c.replace(/@\d+$/, ''))).toEqual([
      '@fastify/jwt:jwtVerify:verify',
      '@hapi/jwt:auth.strategy:configure',
    ]);
    const alone = gatedCalls({ '/repo/src/routes.ts': files['/repo/src/routes.ts'] }, '/repo/src/routes.ts');
    expect(alone).toEqual({ calls: [], parsed: false });
  });

  it('does not summarise, so without an extraction thread does not parse, a file that reaches no JWT package when no used library binds project-wide', () => {
    const files = {
      '/repo/src/auth.ts': "import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, 'k');\n",
      '/repo/src/routes.ts': "export const f = async (request, server) => { await request.jwtVerify(); server.auth.strategy('a', 'jwt', { keys: 'k' }); };\n",
    };
    // No summaries handed over: a summary asked for is computed from the file's tree, as with `--jobs 1`.
    const treeProject = (texts: Record<string, string>, options: { select?: boolean } = {}) => {
      const project = new AnalysisProject('/repo', {}, { read: (p) => texts[p], exists: (p) => p in texts }, options);
      for (const [p, text] of Object.entries(texts)) project.addFile(p, text);
      return project;
    };
    const project = treeProject(files);
    const routes = project.getFile('/repo/src/routes.ts')!;
    expect(getJwtCalls(project, routes)).toEqual([]);
    expect(routes.isParsed).toBe(false);
    expect(getJwtCalls(project, project.getFile('/repo/src/auth.ts')!).map(summary)).toEqual(['jsonwebtoken:verify:verify@68']);
    const everything = treeProject(files, { select: false });
    expect(getJwtCalls(everything, everything.getFile('/repo/src/routes.ts')!)).toEqual([]);
    // A used library bound by decorators (@fastify/jwt) makes every file's summary needed again.
    const withDecorators = treeProject({ ...files, '/repo/src/app.ts': "import fastifyJwt from '@fastify/jwt';\nexport const p = fastifyJwt;\n" });
    const read = withDecorators.getFile('/repo/src/routes.ts')!;
    expect(getJwtCalls(withDecorators, read).map((c) => summary(c).replace(/@\d+$/, ''))).toEqual(['@fastify/jwt:jwtVerify:verify']);
    expect(read.isParsed).toBe(true);
  });
});
