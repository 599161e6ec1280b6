import fs from 'node:fs';
import path from 'node:path';
import { ts } from '@ts-morph/common';
import { describe, expect, it } from 'vitest';
import { defineProjectMemo } from '../../src/core/project-memo.js';
import { AnalysisProject } from '../../src/core/project.js';

const REPO = path.resolve(import.meta.dirname, '../..');

/**
 * Module-level memos keyed by tree nodes whose answer reads only the node's own file (the statements of one scope,
 * the assignments to a variable or its members in its scope, the fields of an entity class). Any other node-keyed memo must be per project: the editor's snapshots
 * share the trees of unchanged files, so a module-level answer that read another file outlives that file's version.
 */
const LOCAL_NODE_MEMOS = new Set(['src/facts/authz/entities.ts ENTITIES', 'src/facts/routes/classify.ts STORED_PARAMETERS', 'src/facts/scope.ts statementTables', 'src/facts/values.ts LATER_ASSIGNMENTS', 'src/facts/values.ts MEMBER_ASSIGNMENTS', 'src/facts/values.ts MERGES_INTO']);

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('defineProjectMemo', () => {
  it('keeps one memo per project, so a project never reads what another one stored for the same node', () => {
    const memo = defineProjectMemo<object, string>();
    const first = new AnalysisProject('/repo');
    const second = new AnalysisProject('/repo');
    const node = {};
    memo(first).set(node, 'answer of the first project');
    expect(memo(first).get(node)).toBe('answer of the first project');
    expect(memo(second).has(node)).toBe(false);
    expect(memo(first)).toBe(memo(first));
  });

  it('is what every module-level memo keyed by tree nodes uses, unless its answer reads only the node’s own file', () => {
    const files = ['src/facts', 'src/models', 'rules'].flatMap((dir) => listTs(path.join(REPO, dir)));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const decl of statement.declarationList.declarations) {
          const init = decl.initializer;
          const memo = init && (ts.isNewExpression(init) || ts.isCallExpression(init)) ? init : undefined;
          if (!memo || !ts.isIdentifier(memo.expression) || !['WeakMap', 'Map', 'defineTreeMemo'].includes(memo.expression.text)) continue;
          const key = memo.typeArguments?.[0]?.getText(source) ?? '';
          if (/^(?:readonly )?ts\./.test(key)) found.push(`${path.relative(REPO, file).split(path.sep).join('/')} ${decl.name.getText(source)}`);
        }
      }
    }
    expect(found.sort()).toEqual([...LOCAL_NODE_MEMOS].sort());
  });
});
