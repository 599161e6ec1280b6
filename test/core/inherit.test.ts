import { describe, expect, it } from 'vitest';
import { AnalysisProject, defineFileFact, type SourceFileInfo, type TextSource } from '../../src/core/project.js';
import { canReach } from '../../src/facts/reach.js';

const FILES: Record<string, string> = {
  '/repo/tsconfig.json': '{ "compilerOptions": { "baseUrl": "." } }',
  '/repo/src/a.ts': "import { b } from './b';\nexport const a = b;\n",
  '/repo/src/b.ts': "import { c } from 'src/c';\nexport const b = c;\n",
  '/repo/src/c.ts': 'export const c = 1;\n',
};
const SOURCE: TextSource = { read: (p) => FILES[p], exists: (p) => p in FILES };

let computed: string[] = [];
const LENGTH = defineFileFact('test-length', (file: SourceFileInfo) => {
  computed.push(`length ${file.relPath}`);
  return file.text.length;
}, { local: true });
const IMPORTERS = defineFileFact('test-resolved', (file: SourceFileInfo, project: AnalysisProject) => {
  computed.push(`resolved ${file.relPath}`);
  return project.resolveImport(file, './b')?.text;
});

function build(texts: Record<string, string>, shared?: AnalysisProject): AnalysisProject {
  const project = new AnalysisProject('/repo', {}, SOURCE);
  for (const [abs, text] of Object.entries(texts)) {
    const known = shared?.getFile(abs);
    if (known && known.text === text) project.addSharedFile(known);
    else project.addFile(abs, text);
  }
  return project;
}

const SCANNED = { '/repo/src/a.ts': FILES['/repo/src/a.ts'] as string, '/repo/src/b.ts': FILES['/repo/src/b.ts'] as string, '/repo/src/c.ts': FILES['/repo/src/c.ts'] as string };

describe('a project that shares files with another takes over what depends only on them', () => {
  it('keeps local facts and import resolutions of shared files, and computes everything of the edited file again', () => {
    const before = build(SCANNED);
    const [a, b, c] = before.files() as [SourceFileInfo, SourceFileInfo, SourceFileInfo];
    for (const file of before.files()) before.fileFact(LENGTH, file);
    expect(before.fileFact(IMPORTERS, a)).toBe(b.text);
    expect(before.resolveImport(b, 'src/c')).toBe(c);

    const edited = "import { c } from 'src/c';\nexport const b = c + 1;\n";
    const after = build({ ...SCANNED, '/repo/src/b.ts': edited }, before);
    const b2 = after.getFile('/repo/src/b.ts') as SourceFileInfo;
    expect(after.getFile('/repo/src/a.ts')).toBe(a);
    expect(b2).not.toBe(b);
    expect(after.inheritFrom(before, new Map([[b, b2]]))).toBe(true);

    computed = [];
    expect(after.files().map((f) => after.fileFact(LENGTH, f))).toEqual([a.text.length, edited.length, c.text.length]);
    // The import of b now resolves to its new version; facts that read other files are computed again.
    expect(after.resolveImport(a, './b')).toBe(b2);
    expect(after.fileFact(IMPORTERS, a)).toBe(edited);
    expect(after.resolveImport(b2, 'src/c')).toBe(c);
    expect(computed).toEqual(['length src/b.ts', 'resolved src/a.ts']);
  });

  it('shares the import resolutions with the project it inherits from, each project answering with its own version of a file', () => {
    let looked = 0;
    const counting: TextSource = { read: (p) => FILES[p], exists: (p) => (looked++, p in FILES) };
    const before = new AnalysisProject('/repo', {}, counting);
    for (const [abs, text] of Object.entries(SCANNED)) before.addFile(abs, text);
    const [a, b] = before.files() as [SourceFileInfo, SourceFileInfo];
    expect(before.resolveImport(a, './b')).toBe(b);

    const after = new AnalysisProject('/repo', {}, counting);
    for (const info of before.files()) {
      if (info === b) after.addFile(b.path, `${b.text}// edited\n`);
      else after.addSharedFile(info);
    }
    const b2 = after.getFile(b.path) as SourceFileInfo;
    expect(after.inheritFrom(before, new Map([[b, b2]]))).toBe(true);
    expect(after.resolveImport(a, './b')).toBe(b2);
    expect(before.resolveImport(a, './b')).toBe(b);
    // A resolution answered first by the later project (a missing module: every candidate looked up on disk) is not
    // looked up again by the earlier one.
    looked = 0;
    expect(after.resolveImport(b2, './missing')).toBeUndefined();
    expect(looked).toBeGreaterThan(0);
    looked = 0;
    expect(before.resolveImport(b, './missing')).toBeUndefined();
    expect(looked).toBe(0);
  });

  it('keeps reachability answers only while the edited file names the same modules and passes the same test', () => {
    const mentionsJose = (file: SourceFileInfo) => file.text.includes("'jose'");
    const before = build(SCANNED);
    const [a, b] = before.files() as [SourceFileInfo, SourceFileInfo];
    expect(canReach(before, a, 'jose', mentionsJose)).toBe(false);

    const body = build({ ...SCANNED, '/repo/src/b.ts': "import { c } from 'src/c';\nexport const b = c * 2;\n" }, before);
    const bodyB = body.getFile('/repo/src/b.ts') as SourceFileInfo;
    body.inheritFrom(before, new Map([[b, bodyB]]));
    let tested = 0;
    expect(canReach(body, a, 'jose', (f) => (tested++, mentionsJose(f)))).toBe(false);
    expect(tested).toBe(0);

    const importing = build({ ...SCANNED, '/repo/src/b.ts': "import { c } from 'src/c';\nimport * as jose from 'jose';\nexport const b = c;\n" }, before);
    const importingB = importing.getFile('/repo/src/b.ts') as SourceFileInfo;
    importing.inheritFrom(before, new Map([[b, importingB]]));
    expect(canReach(importing, a, 'jose', mentionsJose)).toBe(true);
  });

  it('shares the reachability answers by path with the project it inherits from, both ways', () => {
    let tested = 0;
    const mentionsJose = (file: SourceFileInfo) => (tested++, file.text.includes("'jose'"));
    const before = build(SCANNED);
    const [a, b, c] = before.files() as [SourceFileInfo, SourceFileInfo, SourceFileInfo];
    expect(canReach(before, c, 'jose', mentionsJose)).toBe(false);

    const after = build({ ...SCANNED, '/repo/src/b.ts': "import { c } from 'src/c';\nexport const b = c * 2;\n" }, before);
    const b2 = after.getFile('/repo/src/b.ts') as SourceFileInfo;
    expect(after.inheritFrom(before, new Map([[b, b2]]))).toBe(true);
    // Asked first of the later project (its own version of b on the way), then of the earlier one: searched once.
    tested = 0;
    expect(canReach(after, a, 'jose', mentionsJose)).toBe(false);
    expect(tested).toBe(2);
    tested = 0;
    expect(canReach(before, a, 'jose', mentionsJose)).toBe(false);
    expect(canReach(before, b, 'jose', mentionsJose)).toBe(false);
    expect(tested).toBe(0);
  });

  it('patches the word index and the import graph for the edited file, answering as a project built from scratch', () => {
    const before = build(SCANNED);
    const [a, b, c] = before.files() as [SourceFileInfo, SourceFileInfo, SourceFileInfo];
    expect(before.filesMentioning(['c', 'guard'])).toEqual([b, c]);
    expect(before.importersOf(c)).toEqual([b]);
    expect(before.importersOf(b)).toEqual([a]);

    // b stops mentioning `c` as a value and starts mentioning `guard`, with the same imports.
    const edited = "import { c } from 'src/c';\nexport const b = guard(c);\n";
    const after = build({ ...SCANNED, '/repo/src/b.ts': edited }, before);
    const b2 = after.getFile('/repo/src/b.ts') as SourceFileInfo;
    after.inheritFrom(before, new Map([[b, b2]]));
    const fresh = build({ ...SCANNED, '/repo/src/b.ts': edited });
    const paths = (files: readonly SourceFileInfo[]) => files.map((f) => f.relPath);
    for (const words of [['guard'], ['c'], ['b', 'guard'], ['absent']]) {
      expect(paths(after.filesMentioning(words))).toEqual(paths(fresh.filesMentioning(words)));
    }
    expect(after.filesMentioning(['guard'])).toEqual([b2]);
    expect(after.importersOf(c)).toEqual([b2]);
    expect(after.importersOf(b2)).toEqual([a]);
    expect(after.importersOf(b)).toEqual([]);

    // An edit that drops an import rebuilds the graph.
    const dropped = build({ ...SCANNED, '/repo/src/b.ts': 'export const b = 2;\n' }, before);
    const b3 = dropped.getFile('/repo/src/b.ts') as SourceFileInfo;
    dropped.inheritFrom(before, new Map([[b, b3]]));
    expect(dropped.importersOf(c)).toEqual([]);
    expect(dropped.importersOf(b3)).toEqual([a]);
    expect(dropped.filesMentioning(['c'])).toEqual([c]);
  });

  it('keeps the word index right over a chain of snapshots, each patched from the one before', () => {
    // A vocabulary file keeps the patches small against the whole index; the last edit changes enough to be merged.
    const vocabulary = `export const words = [${Array.from({ length: 200 }, (_, i) => `'word${i}'`).join(', ')}];\n`;
    const texts: Record<string, string> = { ...SCANNED, '/repo/src/vocabulary.ts': vocabulary };
    const edits: Array<[string, string]> = [
      ['/repo/src/b.ts', "import { c } from 'src/c';\nexport const b = guard(c);\n"],
      ['/repo/src/b.ts', "import { c } from 'src/c';\nexport const b = policy(c);\n"],
      ['/repo/src/a.ts', "import { b } from './b';\nexport const a = token(b, word7);\n"],
      ['/repo/src/b.ts', "import { c } from 'src/c';\nexport const b = guard(c);\n"],
      ['/repo/src/vocabulary.ts', `export const words = [${Array.from({ length: 200 }, (_, i) => `'term${i}'`).join(', ')}];\n`],
    ];
    let previous = build(texts);
    previous.filesMentioning(['c']);
    for (const [abs, text] of edits) {
      const old = previous.getFile(abs) as SourceFileInfo;
      texts[abs] = text;
      const next = build(texts, previous);
      expect(next.inheritFrom(previous, new Map([[old, next.getFile(abs)]]))).toBe(true);
      const fresh = build(texts);
      for (const words of [['guard'], ['policy'], ['token', 'c'], ['word7'], ['word150'], ['term3'], ['absent']]) {
        expect(next.filesMentioning(words).map((f) => f.relPath), `${words.join(' ')} after an edit of ${abs}`).toEqual(fresh.filesMentioning(words).map((f) => f.relPath));
        for (const file of next.files()) expect(next.mentions(file, words)).toBe(fresh.mentions(fresh.getFile(file.path) as SourceFileInfo, words));
      }
      previous = next;
    }
  });

  it('takes over nothing when the projects scan different files (an unsaved new file)', () => {
    const before = build(SCANNED);
    const [a] = before.files() as [SourceFileInfo];
    expect(before.resolveImport(a, './d')).toBeUndefined();
    const after = build({ ...SCANNED, '/repo/src/d.ts': 'export const d = 1;\n' }, before);
    expect(after.inheritFrom(before, new Map())).toBe(false);
    expect(after.resolveImport(a, './d')?.relPath).toBe('src/d.ts');
  });

  it('refuses a file of a project with another root', () => {
    const other = new AnalysisProject('/elsewhere', {}, SOURCE);
    const info = other.addFile('/elsewhere/x.ts', '');
    expect(() => new AnalysisProject('/repo', {}, SOURCE).addSharedFile(info)).toThrow(/another root/);
    const own = build(SCANNED);
    const project = new AnalysisProject('/repo', {}, SOURCE);
    expect(() => project.addSharedFiles([...own.files(), info])).toThrow(/another root/);
    expect(project.files()).toEqual([]);
  });

  it('adds shared files in one run as one by one, answering word and import questions asked before and after', () => {
    const one = build(SCANNED);
    const [a, b, c] = one.files() as [SourceFileInfo, SourceFileInfo, SourceFileInfo];
    const runs = new AnalysisProject('/repo', {}, SOURCE);
    runs.addSharedFiles([a]);
    expect(runs.filesMentioning(['c'])).toEqual([]);
    // b not scanned yet: loaded on demand, another version than the one added next.
    expect(runs.resolveImport(a, './b')).not.toBe(b);
    runs.addSharedFiles([b, c]);
    expect(runs.files()).toEqual([a, b, c]);
    expect(runs.getFile(b.path)).toBe(b);
    expect(runs.filesMentioning(['c'])).toEqual(one.filesMentioning(['c']));
    expect(runs.resolveImport(a, './b')).toBe(b);
    expect(runs.importersOf(c)).toEqual([b]);
  });
});
