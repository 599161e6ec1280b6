import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/core/discover.js';
import { makeTree } from '../cli/support.js';

/** The source files git itself would list as not ignored (an untracked tree, so every file is judged by the ignore files). */
function notIgnoredByGit(root: string): string[] {
  execFileSync('git', ['init', '-q'], { cwd: root });
  const listed = execFileSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((file) => /\.[cm]?[jt]sx?$/.test(file))
    .sort();
}

describe('discovery', () => {
  it('leaves out what the .gitignore files of the file’s own folders ignore, as git does, and nothing another folder’s file names', () => {
    const root = makeTree({
      '.gitignore': 'dist/\n*.gen.ts\n!keep.gen.ts\n/scratch.ts\n',
      'scratch.ts': 'export const a = 1;\n',
      'src/scratch.ts': 'export const a = 1;\n',
      'src/app.ts': 'export const a = 1;\n',
      'src/api.gen.ts': 'export const a = 1;\n',
      'src/keep.gen.ts': 'export const a = 1;\n',
      'dist/app.js': 'exports.a = 1;\n',
      // A nested file: an anchored pattern, a folder, a negation of the root's pattern.
      'packages/a/.gitignore': '/local.ts\ntmp/\n!important.gen.ts\nonly-in-a.ts\n',
      'packages/a/local.ts': 'export const a = 1;\n',
      'packages/a/src/local.ts': 'export const a = 1;\n',
      'packages/a/src/tmp/x.ts': 'export const a = 1;\n',
      'packages/a/src/important.gen.ts': 'export const a = 1;\n',
      'packages/a/src/other.gen.ts': 'export const a = 1;\n',
      'packages/a/deep/only-in-a.ts': 'export const a = 1;\n',
      // A sibling whose name starts like the folder above: the patterns of packages/a do not reach it.
      'packages/ab/only-in-a.ts': 'export const a = 1;\n',
      'packages/ab/tmp/y.ts': 'export const a = 1;\n',
      'packages/ab/important.gen.ts': 'export const a = 1;\n',
      // A deeper nested file under the first.
      'packages/a/sub/.gitignore': '*.spec.ts\n!local.ts\n',
      'packages/a/sub/local.ts': 'export const a = 1;\n',
      'packages/a/sub/x.spec.ts': 'export const a = 1;\n',
      'packages/a/sub/x.ts': 'export const a = 1;\n',
      'packages/b/x.spec.ts': 'export const a = 1;\n',
    });
    const found = discoverFiles({ root, paths: [root] }).files.map((file) => file.relPath);
    expect(found).toEqual(notIgnoredByGit(root));
    // What the fixture is for: each kind of rule decided something.
    expect(found).toEqual(expect.arrayContaining(['src/scratch.ts', 'src/keep.gen.ts', 'packages/a/src/local.ts', 'packages/a/src/important.gen.ts', 'packages/ab/only-in-a.ts', 'packages/ab/tmp/y.ts', 'packages/a/sub/local.ts', 'packages/b/x.spec.ts']));
    expect(found).not.toEqual(expect.arrayContaining(['scratch.ts']));
    for (const ignored of ['scratch.ts', 'src/api.gen.ts', 'dist/app.js', 'packages/a/local.ts', 'packages/a/src/tmp/x.ts', 'packages/a/src/other.gen.ts', 'packages/a/deep/only-in-a.ts', 'packages/ab/important.gen.ts', 'packages/a/sub/x.spec.ts']) {
      expect(found).not.toContain(ignored);
    }
  });
});
