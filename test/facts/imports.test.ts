import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { summarizeFile } from '../../src/core/extract.js';
import { getNodeAt, type NodeRef } from '../../src/core/node-ref.js';
import { AnalysisProject, type SourceFileInfo, type TextSource } from '../../src/core/project.js';
import { EXPORTS, IMPORTS, isBindingAt, resolveExport, resolveImportedName } from '../../src/facts/imports.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';
import { evaluate, followLocalModule, getLocalOriginKind, resolveOrigin } from '../../src/facts/values.js';
import { findAll } from '../../src/core/walk.js';

function projectOf(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  return new AnalysisProject('/repo', {}, source);
}

/** A project whose files are added with their portable facts as an extraction thread hands them over (copied). */
function extractedProject(files: Record<string, string>): { project: AnalysisProject; file: (relPath: string) => SourceFileInfo } {
  const project = projectOf(files);
  const added = new Map<string, SourceFileInfo>();
  for (const [absPath, text] of Object.entries(files)) {
    const relPath = absPath.slice('/repo/'.length);
    const facts = structuredClone(summarizeFile(absPath, text, PORTABLE_FACTS, relPath).facts) ?? {};
    added.set(relPath, project.addFile(absPath, text, { facts }));
  }
  return { project, file: (relPath) => added.get(relPath) as SourceFileInfo };
}

function textAt(file: SourceFileInfo, at: NodeRef): string {
  return file.text.slice(at.pos, at.end).trim();
}

describe('IMPORTS: the bindings of a file as plain data', () => {
  const text = [
    "import jwt, { verify as check, sign } from 'jsonwebtoken';",
    "import * as crypto from 'node:crypto';",
    "import type { Request } from 'express';",
    "import './polyfill';",
    "import passport = require('passport');",
    "const { Strategy: JwtStrategy, ExtractJwt } = require('passport-jwt');",
    "const express = require('express');",
    "const Router = require('express').Router;",
    "const deep = require('a').b.c;",
    'function load() {',
    "  const config = require('./config');",
    '  return config;',
    '}',
    '',
  ].join('\n');

  it('records named, renamed, default, namespace, import-equals, destructured, member and nested requires', () => {
    const project = projectOf({ '/repo/app.ts': text });
    const file = project.getFile('/repo/app.ts') as SourceFileInfo;
    const imports = project.fileFact(IMPORTS, file);
    expect([...imports.values()].map((b) => [b.local, b.module, b.imported, ts.SyntaxKind[b.at.kind], textAt(file, b.at)])).toEqual([
      ['jwt', 'jsonwebtoken', 'default', 'ImportClause', 'jwt, { verify as check, sign }'],
      ['check', 'jsonwebtoken', 'verify', 'ImportSpecifier', 'verify as check'],
      ['sign', 'jsonwebtoken', 'sign', 'ImportSpecifier', 'sign'],
      ['crypto', 'node:crypto', '*', 'NamespaceImport', '* as crypto'],
      ['Request', 'express', 'Request', 'ImportSpecifier', 'Request'],
      ['passport', 'passport', '*', 'ImportEqualsDeclaration', "import passport = require('passport');"],
      ['JwtStrategy', 'passport-jwt', 'Strategy', 'BindingElement', 'Strategy: JwtStrategy'],
      ['ExtractJwt', 'passport-jwt', 'ExtractJwt', 'BindingElement', 'ExtractJwt'],
      ['express', 'express', '*', 'VariableDeclaration', "express = require('express')"],
      ['Router', 'express', 'Router', 'VariableDeclaration', "Router = require('express').Router"],
      ['config', './config', '*', 'VariableDeclaration', "config = require('./config')"],
    ]);
  });

  it('finds each binding node again in the tree from its position', () => {
    const project = projectOf({ '/repo/app.ts': text });
    const file = project.getFile('/repo/app.ts') as SourceFileInfo;
    for (const binding of project.fileFact(IMPORTS, file).values()) {
      const node = getNodeAt(file, binding.at);
      expect({ local: binding.local, kind: ts.SyntaxKind[node.kind], matches: isBindingAt(binding, node) }).toEqual({
        local: binding.local,
        kind: ts.SyntaxKind[binding.at.kind],
        matches: true,
      });
    }
  });

  it('tells a shadowing declaration of the same name from the binding', () => {
    const source = "const jwt = require('jsonwebtoken');\nfunction f() {\n  const jwt = makeFake();\n  return jwt;\n}\n";
    const project = projectOf({ '/repo/a.js': source });
    const file = project.getFile('/repo/a.js') as SourceFileInfo;
    const binding = project.fileFact(IMPORTS, file).get('jwt');
    const declarations: ts.VariableDeclaration[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node)) declarations.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
    expect(declarations.map((d) => isBindingAt(binding, d))).toEqual([true, false]);
  });
});

describe('EXPORTS: what a module exports as plain data', () => {
  it('records ES exports, re-exports, namespace re-exports and the declarations local exports name', () => {
    const text = [
      "export * from './a';",
      "export * as helpers from './helpers';",
      "export { verify as check, sign } from 'jsonwebtoken';",
      'const secret = "s";',
      'function guard() {}',
      'export { secret as SECRET, guard };',
      'export const issuer = "me";',
      'export function audience() {}',
      'export default class AuthGuard {}',
      '',
    ].join('\n');
    const project = projectOf({ '/repo/index.ts': text });
    const file = project.getFile('/repo/index.ts') as SourceFileInfo;
    const exports = project.fileFact(EXPORTS, file);
    expect(exports.stars.map((s) => [s.module, textAt(file, s.at)])).toEqual([['./a', "export * from './a';"]]);
    expect([...exports.named].map(([name, t]) => [name, t.kind, t.kind === 'local' ? t.name : t.kind === 'reexport' ? `${t.module}#${t.imported}` : '', textAt(file, t.at)])).toEqual([
      ['helpers', 'reexport', './helpers#*', '* as helpers'],
      ['check', 'reexport', 'jsonwebtoken#verify', 'verify as check'],
      ['sign', 'reexport', 'jsonwebtoken#sign', 'sign'],
      ['SECRET', 'local', 'secret', 'secret as SECRET'],
      ['guard', 'local', 'guard', 'guard'],
      ['issuer', 'local', 'issuer', 'issuer = "me"'],
      ['audience', 'local', 'audience', 'export function audience() {}'],
      ['default', 'local', 'AuthGuard', 'export default class AuthGuard {}'],
    ]);
    expect([...exports.declarations].map(([name, at]) => [name, ts.SyntaxKind[at.kind], textAt(file, at)])).toEqual([
      ['secret', 'VariableDeclaration', 'secret = "s"'],
      ['guard', 'FunctionDeclaration', 'function guard() {}'],
      ['issuer', 'VariableDeclaration', 'issuer = "me"'],
      ['audience', 'FunctionDeclaration', 'export function audience() {}'],
      ['AuthGuard', 'ClassDeclaration', 'export default class AuthGuard {}'],
    ]);
  });

  it('records `export =`, `module.exports =` (and the members of its object literal), `exports.x =` and `module.exports.y =` as expressions', () => {
    const project = projectOf({
      '/repo/eq.ts': 'const config = { secret: "s" };\nexport = config;\n',
      '/repo/cjs.js': 'module.exports = { a: 1 };\nexports.secret = "s";\nmodule.exports.issuer = "me";\nexports.other += "no";\n',
    });
    const eq = project.getFile('/repo/eq.ts') as SourceFileInfo;
    const cjs = project.getFile('/repo/cjs.js') as SourceFileInfo;
    const read = (file: SourceFileInfo) => [...project.fileFact(EXPORTS, file).named].map(([name, t]) => [name, t.kind, ts.SyntaxKind[t.at.kind], textAt(file, t.at)]);
    expect(read(eq)).toEqual([['*', 'expression', 'Identifier', 'config']]);
    expect(read(cjs)).toEqual([
      ['*', 'expression', 'ObjectLiteralExpression', '{ a: 1 }'],
      ['a', 'expression', 'FirstLiteralToken', '1'],
      ['secret', 'expression', 'StringLiteral', '"s"'],
      ['issuer', 'expression', 'StringLiteral', '"me"'],
    ]);
  });
});

describe('name resolution through barrels, from the portable summaries', () => {
  const files = {
    '/repo/src/app.ts': "import { check, AuthGuard, SECRET } from './lib';\nimport * as lib from './lib';\n",
    '/repo/src/lib/index.ts': "export * from './jwt';\nexport * from './guards';\n",
    '/repo/src/lib/jwt.ts': "export { verify as check } from 'jsonwebtoken';\n",
    '/repo/src/lib/guards/index.ts': "export * from './auth.guard';\nexport { secret as SECRET } from './secret';\nexport * from './helper';\n",
    '/repo/src/lib/guards/helper.ts': 'export function helper(token: string) {\n  return token.length > 0;\n}\n',
    '/repo/src/lib/guards/auth.guard.ts': "import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class AuthGuard {}\n",
    '/repo/src/lib/guards/secret.ts': "const secret = process.env.SECRET ?? 'dev';\nexport { secret };\n",
  };

  it('reaches a package export through three barrels without parsing any file', () => {
    const { project, file } = extractedProject(files);
    expect(resolveImportedName(project, file('src/app.ts'), 'check')).toEqual({ kind: 'external', module: 'jsonwebtoken', path: ['verify'] });
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual([]);
    expect(project.stats.parsed).toBe(0);
  });

  it('reaches a declaration without parsing; reading its node parses the declaring file alone', () => {
    const { project, file } = extractedProject(files);
    const guard = resolveImportedName(project, file('src/app.ts'), 'AuthGuard');
    const secret = resolveExport(project, file('src/lib/index.ts'), 'SECRET');
    expect(guard).toMatchObject({ kind: 'declaration', file: { relPath: 'src/lib/guards/auth.guard.ts' }, at: { kind: ts.SyntaxKind.ClassDeclaration } });
    expect(secret).toMatchObject({ kind: 'declaration', file: { relPath: 'src/lib/guards/secret.ts' }, at: { kind: ts.SyntaxKind.VariableDeclaration } });
    expect(project.stats.parsed).toBe(0);
    const node = guard?.kind === 'declaration' ? guard.node : undefined;
    expect(node && ts.isClassDeclaration(node) ? node.name?.text : undefined).toBe('AuthGuard');
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/lib/guards/auth.guard.ts']);
    expect(guard?.kind === 'declaration' && guard.node === node).toBe(true);
  });

  it('gives a namespace import as the module without parsing it until its node is read', () => {
    const { project, file } = extractedProject(files);
    const lib = resolveImportedName(project, file('src/app.ts'), 'lib');
    expect(lib).toMatchObject({ kind: 'declaration', file: { relPath: 'src/lib/index.ts' }, at: { kind: ts.SyntaxKind.SourceFile } });
    expect(project.stats.parsed).toBe(0);
    expect(lib?.kind === 'declaration' && ts.isSourceFile(lib.node)).toBe(true);
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/lib/index.ts']);
  });

  it('resolves the same way when the scan thread computes the summaries itself', () => {
    const extracted = extractedProject(files);
    const project = projectOf(files);
    for (const absPath of Object.keys(files)) project.addFile(absPath, files[absPath as keyof typeof files]);
    const app = project.files()[0] as SourceFileInfo;
    for (const name of ['check', 'AuthGuard', 'SECRET', 'lib', 'missing']) {
      const own = resolveImportedName(project, app, name);
      const handed = resolveImportedName(extracted.project, extracted.file('src/app.ts'), name);
      const shape = (r: typeof own) => (r && r.kind !== 'external' && r.kind !== 'unknown' ? { kind: r.kind, file: r.file.relPath, at: r.at, text: r.node.getText() } : r);
      expect({ name, resolved: shape(handed) }).toEqual({ name, resolved: shape(own) });
    }
  });

  it('gives the origin of a class, a namespace or a required module reached through barrels without parsing them', () => {
    const { project, file } = extractedProject({
      ...files,
      '/repo/src/use.ts': "import { AuthGuard } from './lib';\nimport * as lib from './lib';\nconst util = require('./lib/jwt');\nnew AuthGuard();\nlib.check(t);\nutil.check(t);\n",
    });
    const use = file('src/use.ts');
    const callee = (text: string) => {
      const found = findAll(use.sourceFile, (n): n is ts.Expression => (ts.isCallExpression(n) || ts.isNewExpression(n)) && n.expression.getText() === text);
      const call = found[0] as ts.CallExpression | ts.NewExpression;
      return resolveOrigin(project, use, call.expression);
    };
    const guard = callee('AuthGuard');
    const viaNamespace = callee('lib.check');
    const viaRequire = callee('util.check');
    const shapeOf = (o: ReturnType<typeof resolveOrigin>) => (o.kind === 'local' ? { file: o.file.relPath, kind: ts.SyntaxKind[getLocalOriginKind(o)], path: o.path } : o);
    expect([shapeOf(guard), shapeOf(viaNamespace), shapeOf(viaRequire)]).toEqual([
      { file: 'src/lib/guards/auth.guard.ts', kind: 'ClassDeclaration', path: [] },
      { file: 'src/lib/index.ts', kind: 'SourceFile', path: ['check'] },
      { file: 'src/lib/jwt.ts', kind: 'SourceFile', path: ['check'] },
    ]);
    expect(followLocalModule(project, viaNamespace)).toEqual({ kind: 'external', module: 'jsonwebtoken', path: ['verify'] });
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/use.ts']);
    const node = guard.kind === 'local' ? guard.node : undefined;
    expect(node && ts.isClassDeclaration(node) ? node.name?.text : undefined).toBe('AuthGuard');
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/lib/guards/auth.guard.ts', 'src/use.ts']);
  });

  it('evaluates an imported function or class reached through barrels without parsing their files until a node is read', () => {
    const { project, file } = extractedProject({ ...files, '/repo/src/wire.ts': "import { helper, AuthGuard } from './lib';\nuse(helper, AuthGuard);\n" });
    const wire = file('src/wire.ts');
    const call = findAll(wire.sourceFile, ts.isCallExpression)[0] as ts.CallExpression;
    const [fn, cls] = call.arguments.map((arg) => evaluate(project, wire, arg));
    const [followedFn, followedCls] = call.arguments.map((arg) => evaluate(project, wire, arg, { followCalls: true }));
    expect([fn, cls, followedFn, followedCls].map((v) => [v?.kind, v?.file.relPath])).toEqual([
      ['function', 'src/lib/guards/helper.ts'],
      ['unknown', 'src/lib/guards/auth.guard.ts'],
      ['function', 'src/lib/guards/helper.ts'],
      ['unknown', 'src/lib/guards/auth.guard.ts'],
    ]);
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/wire.ts']);
    expect(cls?.node).toBe(call.arguments[1]);
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/wire.ts']);
    expect(fn?.kind === 'function' && ts.isFunctionDeclaration(fn.fn) ? fn.fn.name?.text : undefined).toBe('helper');
    expect(followedCls && ts.isClassDeclaration(followedCls.node) ? followedCls.node.name?.text : undefined).toBe('AuthGuard');
    expect(project.files().filter((f) => f.isParsed).map((f) => f.relPath)).toEqual(['src/lib/guards/helper.ts', 'src/lib/guards/auth.guard.ts', 'src/wire.ts']);
  });
});
