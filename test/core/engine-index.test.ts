import { describe, expect, it } from 'vitest';
import { ts } from '@ts-morph/common';
import { runFileRules, type ActiveRule } from '../../src/core/engine.js';
import { AnalysisProject, type SourceFileInfo, type TextSource } from '../../src/core/project.js';
import { defineRule, type RuleListeners } from '../../src/core/rule.js';
import { findAll, INDEXED_KINDS, walk } from '../../src/core/walk.js';

function memoryFile(text: string, path = '/repo/src/app.ts'): { project: AnalysisProject; file: SourceFileInfo } {
  const source: TextSource = { read: () => undefined, exists: () => false };
  const project = new AnalysisProject('/repo', {}, source);
  return { project, file: project.addFile(path, text) };
}

/** A file rule whose listeners append `<Kind>:<label>` to `seen` for every node they get. */
function recordingRule(id: string, kinds: Array<keyof typeof ts.SyntaxKind>, seen: string[]): ActiveRule {
  const rule = defineRule<Record<string, never>, 'seen'>({
    id,
    meta: {
      description: 'Require nothing (records visits)',
      category: 'jwt',
      level: 'note',
      precision: 'low',
      securitySeverity: 0,
      cwe: [],
      scope: 'file',
      recommended: false,
    },
    messages: { seen: 'Seen {{label}}.' },
    schema: {},
    defaultOptions: {},
    create(context) {
      const listeners: RuleListeners = Object.fromEntries(
        kinds.map((kind) => [
          kind,
          (node: ts.Node) => {
            seen.push(`${kind}:${label(node, context.file!.sourceFile)}`);
            context.report({ node, messageId: 'seen', data: { label: kind } });
          },
        ]),
      );
      return listeners;
    },
  });
  return { rule, level: 'note', options: {} };
}

function label(node: ts.Node, sourceFile: ts.SourceFile): string {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return node.expression.getText(sourceFile);
  return node.getText(sourceFile);
}

/** What a plain walk yields for the same kinds, in the same `<Kind>:<label>` form. */
function walked(file: SourceFileInfo, kinds: Array<keyof typeof ts.SyntaxKind>): string[] {
  const byKind = new Map(kinds.map((k) => [ts.SyntaxKind[k], k]));
  const out: string[] = [];
  walk(file.sourceFile, (node) => {
    const name = byKind.get(node.kind);
    if (name) out.push(`${name}:${label(node, file.sourceFile)}`);
  });
  return out;
}

const NESTED = 'a(b(), new C(d()));\n';

describe('runFileRules dispatch from the kind index', () => {
  it('indexes call and new expressions (the precondition of the other cases)', () => {
    expect(INDEXED_KINDS.has(ts.SyntaxKind.CallExpression)).toBe(true);
    expect(INDEXED_KINDS.has(ts.SyntaxKind.NewExpression)).toBe(true);
    expect(INDEXED_KINDS.has(ts.SyntaxKind.Identifier)).toBe(false);
    expect(INDEXED_KINDS.has(ts.SyntaxKind.StringLiteral)).toBe(false);
  });

  it('visits indexed kinds in source pre-order, outer call before inner', () => {
    const { project, file } = memoryFile(NESTED);
    const seen: string[] = [];
    const result = runFileRules(project, file, [recordingRule('calls', ['CallExpression', 'NewExpression'], seen)]);
    expect(seen).toEqual(['CallExpression:a', 'CallExpression:b', 'NewExpression:C', 'CallExpression:d']);
    expect(seen).toEqual(walked(file, ['CallExpression', 'NewExpression']));
    expect(result.notifications).toEqual([]);
    expect(result.findings.map((f) => f.start)).toEqual([0, 2, 7, 13]);
  });

  it('gives the same order on a second run over the cached index and to two rules of the same kinds', () => {
    const { project, file } = memoryFile('new Outer(first(), second(new Inner()));\nlast();\n');
    const one: string[] = [];
    const two: string[] = [];
    runFileRules(project, file, [recordingRule('calls', ['CallExpression'], [])]);
    runFileRules(project, file, [recordingRule('both', ['NewExpression', 'CallExpression'], one), recordingRule('news', ['NewExpression'], two)]);
    expect(one).toEqual([
      'NewExpression:Outer',
      'CallExpression:first',
      'CallExpression:second',
      'NewExpression:Inner',
      'CallExpression:last',
    ]);
    expect(one).toEqual(walked(file, ['CallExpression', 'NewExpression']));
    expect(two).toEqual(['NewExpression:Outer', 'NewExpression:Inner']);
  });

  it('still sees every node of a kind the index does not hold', () => {
    const { project, file } = memoryFile("a(b('x'), new C(d(\"y\")));\nconst z = `t`;\n");
    const ids: string[] = [];
    const strings: string[] = [];
    runFileRules(project, file, [recordingRule('ids', ['Identifier'], ids), recordingRule('strings', ['StringLiteral'], strings)]);
    expect(ids).toEqual(['Identifier:a', 'Identifier:b', 'Identifier:C', 'Identifier:d', 'Identifier:z']);
    expect(ids).toEqual(walked(file, ['Identifier']));
    expect(strings).toEqual(["StringLiteral:'x'", 'StringLiteral:"y"']);
  });

  it('dispatches indexed and non-indexed listeners of one run in one source order', () => {
    const { project, file } = memoryFile(NESTED);
    const seen: string[] = [];
    runFileRules(project, file, [recordingRule('calls', ['CallExpression', 'NewExpression'], seen), recordingRule('ids', ['Identifier'], seen)]);
    expect(seen).toEqual([
      'CallExpression:a',
      'Identifier:a',
      'CallExpression:b',
      'Identifier:b',
      'NewExpression:C',
      'Identifier:C',
      'CallExpression:d',
      'Identifier:d',
    ]);
    expect(seen).toEqual(walked(file, ['CallExpression', 'Identifier', 'NewExpression']));
  });

  it('reaches calls nested in functions, classes and arrow bodies', () => {
    const { project, file } = memoryFile(
      [
        "import { helper } from './helper';",
        'class Service {',
        '  run() { return outer(() => inner(helper())); }',
        '}',
        'function top() { return new Service().run(); }',
        'top();',
      ].join('\n'),
    );
    const seen: string[] = [];
    runFileRules(project, file, [recordingRule('calls', ['CallExpression', 'NewExpression'], seen)]);
    expect(seen).toEqual(walked(file, ['CallExpression', 'NewExpression']));
    expect(seen).toEqual([
      'CallExpression:outer',
      'CallExpression:inner',
      'CallExpression:helper',
      'CallExpression:new Service().run',
      'NewExpression:Service',
      'CallExpression:top',
    ]);
  });

  it('keeps a listener that throws from stopping the others', () => {
    const { project, file } = memoryFile(NESTED);
    const seen: string[] = [];
    const broken = recordingRule('broken', ['CallExpression'], []);
    const throwing: ActiveRule = {
      ...broken,
      rule: {
        ...broken.rule,
        create: () => ({
          CallExpression() {
            throw new Error('boom');
          },
        }),
      },
    };
    const result = runFileRules(project, file, [throwing, recordingRule('calls', ['CallExpression'], seen)]);
    expect(seen).toEqual(['CallExpression:a', 'CallExpression:b', 'CallExpression:d']);
    expect(result.notifications.map((n) => n.message)).toEqual(["Rule 'broken' failed on src/app.ts: boom"]);
  });
});

describe('findAll over the kind index', () => {
  const MODULE = [
    "import jwt from 'jsonwebtoken';",
    "import type { Request } from 'express';",
    "import './polyfills';",
    "import legacy = require('./legacy');",
    "export { verify } from './verify';",
    "export * from './tokens';",
    'export const local = 1;',
    "namespace Inner { import x = legacy.x; export import y = legacy.y; }",
    'declare module "ambient" { import { z } from "zlib"; export { z }; }',
  ].join('\n');

  function walkFilter<T extends ts.Node>(root: ts.Node, guard: (node: ts.Node) => node is T): T[] {
    const out: T[] = [];
    walk(root, (node) => {
      if (guard(node)) out.push(node);
    });
    return out;
  }

  /** Node identity, not structural equality: the index must hand out the tree's own nodes. */
  function expectSameNodes(actual: readonly ts.Node[], expected: readonly ts.Node[]): void {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((node, i) => expect(node).toBe(expected[i]));
  }

  it('returns the same import declarations as a walk-based filter', () => {
    const { file } = memoryFile(MODULE);
    const found = findAll(file.sourceFile, ts.isImportDeclaration);
    expectSameNodes(found, walkFilter(file.sourceFile, ts.isImportDeclaration));
    expect(found.map((n) => n.moduleSpecifier.getText(file.sourceFile))).toEqual(["'jsonwebtoken'", "'express'", "'./polyfills'", '"zlib"']);
  });

  it('returns the same export and import-equals declarations as a walk-based filter', () => {
    const { file } = memoryFile(MODULE);
    const exports = findAll(file.sourceFile, ts.isExportDeclaration);
    expectSameNodes(exports, walkFilter(file.sourceFile, ts.isExportDeclaration));
    expect(exports).toHaveLength(3);
    const equals = findAll(file.sourceFile, ts.isImportEqualsDeclaration);
    expectSameNodes(equals, walkFilter(file.sourceFile, ts.isImportEqualsDeclaration));
    expect(equals.map((n) => n.name.text)).toEqual(['legacy', 'x', 'y']);
  });

  it('returns a copy that callers may change without changing later answers', () => {
    const { file } = memoryFile(MODULE);
    const first = findAll(file.sourceFile, ts.isImportDeclaration);
    first.length = 0;
    expect(findAll(file.sourceFile, ts.isImportDeclaration)).toHaveLength(4);
  });

  it('walks a subtree root instead of answering from the whole-file index', () => {
    const { file } = memoryFile(MODULE);
    const inner = findAll(file.sourceFile, ts.isModuleDeclaration).find((m) => m.name.getText(file.sourceFile) === 'Inner')!;
    expect(findAll(inner, ts.isImportEqualsDeclaration).map((n) => n.name.text)).toEqual(['x', 'y']);
    expect(findAll(inner, ts.isImportDeclaration)).toEqual([]);
  });
});
