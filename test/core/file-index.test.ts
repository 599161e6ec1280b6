import { ts } from '@ts-morph/common';
import { describe, expect, it } from 'vitest';
import { computeFileIndex, FILE_INDEX_VERSION } from '../../src/core/file-index.js';
import { computeLineStarts } from '../../src/core/project.js';

const wordsOf = (text: string) => new Set(computeFileIndex(text).words);

describe('computeFileIndex', () => {
  it('holds identifiers, property names and keywords of code', () => {
    const words = wordsOf('const decoded = jwt.decode(token, { complete: true });');
    for (const word of ['const', 'decoded', 'jwt', 'decode', 'token', 'complete', 'true']) expect(words).toContain(word);
    expect(words).not.toContain('jwt.decode');
  });

  it('holds the words of string, template and regular expression contents', () => {
    const words = wordsOf(`import x from '@nestjs/jwt';\nconst y = require("jsonwebtoken");\nconst t = \`Bearer \${raw}.sig\`;\nconst r = /^authz-(\\w+)$/;`);
    for (const word of ['nestjs', 'jwt', 'jsonwebtoken', 'Bearer', 'raw', 'sig', 'authz', 'w']) expect(words).toContain(word);
  });

  it('holds the words of comments and JSX text', () => {
    const words = wordsOf('// authlint-disable-next-line route-require-authentication -- public\n/* passport */\nconst a = <Login provider="github">Sign in</Login>;');
    for (const word of ['authlint', 'disable', 'next', 'line', 'route', 'require', 'authentication', 'public', 'passport', 'Login', 'provider', 'github', 'Sign', 'in']) {
      expect(words).toContain(word);
    }
  });

  it('decodes unicode escapes into the word they belong to, as the parser and a string value do', () => {
    expect(wordsOf('const \\u006awt = 1;')).toContain('jwt');
    expect(wordsOf("require('json\\u0077ebtoken')")).toContain('jsonwebtoken');
    expect(wordsOf("require('json\\u{77}ebtoken')")).toContain('jsonwebtoken');
    expect(wordsOf("require('json\\x77ebtoken')")).toContain('jsonwebtoken');
    // An escaped letter stands for itself in a string; a control escape separates words.
    expect(wordsOf("'\\jose'")).toContain('jose');
    const separated = wordsOf("'line\\njose'");
    expect(separated).toContain('jose');
    expect(separated).toContain('line');
    // An escaped backslash is no escape of the letter after it.
    expect(wordsOf("'\\\\njose'")).toContain('njose');
  });

  it('gives the parts of a word with a dollar sign, as a regular expression word boundary sees them', () => {
    const words = wordsOf('const $jwt = a$b;');
    for (const word of ['$jwt', 'jwt', 'a$b', 'a', 'b']) expect(words).toContain(word);
  });

  it('holds letters of other scripts', () => {
    const words = wordsOf('const café = "Jeton d’accès";');
    expect(words).toContain('café');
    expect(words).toContain('accès');
  });

  it('lists every word once', () => {
    const { words } = computeFileIndex('a a b a b c');
    expect(words).toEqual(['a', 'b', 'c']);
  });

  it('counts lines as the compiler does, and the deepest bracket nesting', () => {
    for (const text of ['', 'a', 'a\n', 'a\r\nb\rc\nd', 'x\u2028y\u2029z', "'a\\\nb'\n", 'f(\n[\n{}])\n']) {
      const compiler = ts.createSourceFile('/x.ts', text, ts.ScriptTarget.Latest).getLineStarts();
      expect(computeFileIndex(text).lineStarts).toBe(compiler.length);
      expect(computeLineStarts(text)).toEqual([...compiler]);
    }
    expect(computeFileIndex('f([{ a: (1) }])').depth).toBe(4);
    expect(computeFileIndex('a').depth).toBe(0);
  });

  it('is plain, versioned data', () => {
    const index = computeFileIndex('export const x = 1;');
    expect(index.version).toBe(FILE_INDEX_VERSION);
    expect(structuredClone(index)).toEqual(index);
  });
});
