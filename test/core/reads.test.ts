import { describe, expect, it } from 'vitest';
import { AnalysisProject, defineFileFact, defineProjectFact, defineTextTest, type ProjectFact, type SourceFileInfo, type TextSource } from '../../src/core/project.js';
import { defineProjectMemo } from '../../src/core/project-memo.js';
import { ts } from '@ts-morph/common';
import { innerTable, memoTakeOvers, recordOwn } from '../../src/core/reads.js';
import { classifyMiddleware } from '../../src/facts/routes/classify.js';
import { resolveOrigin, type Origin } from '../../src/facts/values.js';
import { ROUTE_AUTHORIZATION } from '../../src/facts/authz/index.js';
import { ROUTES, formatRouteName } from '../../src/facts/routes/index.js';

/** Builds a project over in-memory files; with `previous`, shares its unchanged files and takes over its answers as the editor does. */
function build(root: string, files: Record<string, string>, previous?: AnalysisProject, options: { consume?: boolean } = {}): AnalysisProject {
  const source: TextSource = { read: (p) => files[p.slice(root.length + 1)], exists: (p) => p.slice(root.length + 1) in files };
  const project = new AnalysisProject(root, {}, source, { record: true });
  for (const [rel, text] of Object.entries(files)) {
    if (!/\.[jt]s$/.test(rel)) continue;
    const known = previous?.getFile(`${root}/${rel}`);
    if (known && known.text === text) project.addSharedFile(known);
    else project.addFile(`${root}/${rel}`, text);
  }
  if (previous) {
    const replaced = new Map<SourceFileInfo, SourceFileInfo | undefined>();
    for (const info of previous.files()) {
      const own = project.getFile(info.path);
      if (own !== info) replaced.set(info, own);
    }
    expect(project.inheritFrom(previous, replaced, options)).toBe(true);
  }
  return project;
}

const FILES: Record<string, string> = {
  'src/a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
  'src/b.ts': "export const b = 1;\nexport function greet() { return 'hello'; }\n",
  'src/c.ts': 'export const c = 2;\n',
};

let computed: string[] = [];
const EXPORT_NAMES = defineFileFact(
  'test-export-names',
  (file: SourceFileInfo) => [...file.text.matchAll(/export (?:const|function) (\w+)/g)].map((m) => m[1] as string),
  { portable: true },
);
/** Reads b.ts whole. */
const B_TEXT = defineProjectFact('test-b-text', (project: AnalysisProject) => {
  computed.push('b-text');
  return project.getFile(`${project.root}/src/b.ts`)?.text.length;
});
/** Reads only a portable fact of every file. */
const ALL_EXPORTS = defineProjectFact('test-all-exports', (project: AnalysisProject) => {
  computed.push('all-exports');
  return project.files().flatMap((f) => project.fileFact(EXPORT_NAMES, f));
});
/** Reads the files that mention `greet`. */
const GREETERS = defineProjectFact('test-greeters', (project: AnalysisProject) => {
  computed.push('greeters');
  return project.filesMentioning(['greet']).map((f) => f.relPath);
});
const namesGreet = defineTextTest('test-names-greet', (file) => file.text.includes('greet'));
const GREET_TEST = defineProjectFact('test-greet-test', (project: AnalysisProject) => {
  computed.push('greet-test');
  return project.files().filter(namesGreet).length;
});

const THREE: ReadonlyArray<ProjectFact<unknown>> = [ALL_EXPORTS, GREETERS, GREET_TEST];
const FOUR: ReadonlyArray<ProjectFact<unknown>> = [B_TEXT, ...THREE];

describe('answers that record what they read (the editor reuses them across snapshots)', () => {
  it('keeps an answer that read none of the edited file, and computes one that read it again', () => {
    const before = build('/r1', FILES);
    for (const fact of FOUR) before.projectFact(fact);
    // c.ts edited: b's text, every export name, the files naming `greet` are as they were.
    computed = [];
    const edited = build('/r1', { ...FILES, 'src/c.ts': 'export const c = 3;\n' }, before);
    for (const fact of FOUR) edited.projectFact(fact);
    expect(computed).toEqual([]);
    // b.ts edited inside a function: its text changed (b-text), its export names and its mention of `greet` did not.
    const body = "export const b = 1;\nexport function greet() { return 'hello!'; }\n";
    const inBody = build('/r1', { ...FILES, 'src/b.ts': body }, edited);
    expect(inBody.projectFact(B_TEXT)).toBe(body.length);
    for (const fact of THREE) inBody.projectFact(fact);
    expect(computed).toEqual(['b-text']);
    // Every answer is decided by what its frames answer for b.ts, with no walk of its reads one by one: the one that read
    // b.ts whole is dropped, the others read of it only facts the edit left equal and no word it added or removed.
    expect(inBody.stats.inherited).toMatchObject({ projectFacts: 3, walked: 0, dropped: 1 });
  });

  it('compares one by one only an answer whose query of several words an edit may have left as it was', () => {
    const SALUTERS = defineProjectFact('test-saluters', (project: AnalysisProject) => {
      computed.push('saluters');
      return project.filesMentioning(['greet', 'salute']).map((f) => f.relPath);
    });
    const before = build('/r1w', FILES);
    expect(before.projectFact(SALUTERS)).toEqual(['src/b.ts']);
    computed = [];
    // b.ts already mentions `greet`: adding `salute` leaves the query's answer for it as it was, which only a walk of the
    // answer's reads can tell (the word was added, so the frames alone cannot).
    const both = build('/r1w', { ...FILES, 'src/b.ts': `${FILES['src/b.ts']}// salute\n` }, before);
    expect(both.projectFact(SALUTERS)).toEqual(['src/b.ts']);
    expect(computed).toEqual([]);
    expect(both.stats.inherited).toMatchObject({ projectFacts: 1, walked: 1, dropped: 0 });
    // c.ts starts mentioning `salute`: the walk finds the answer changed.
    const more = build('/r1w', { ...FILES, 'src/b.ts': `${FILES['src/b.ts']}// salute\n`, 'src/c.ts': 'export const salute = 2;\n' }, both);
    expect(more.projectFact(SALUTERS)).toEqual(['src/b.ts', 'src/c.ts']);
    expect(computed).toEqual(['saluters']);
    expect(more.stats.inherited).toMatchObject({ walked: 1, dropped: 1 });
  });

  it('computes again what read a portable fact, a word or a text test whose answer the edit changed', () => {
    const before = build('/r2', FILES);
    for (const fact of THREE) before.projectFact(fact);
    computed = [];
    const after = build('/r2', { ...FILES, 'src/c.ts': 'export const c = 2;\nexport const greeting = greet;\n' }, before);
    expect(after.projectFact(ALL_EXPORTS)).toEqual(['a', 'b', 'greet', 'c', 'greeting']);
    expect(after.projectFact(GREETERS)).toEqual(['src/b.ts', 'src/c.ts']);
    expect(after.projectFact(GREET_TEST)).toBe(2);
    expect(computed).toEqual(['all-exports', 'greeters', 'greet-test']);
  });

  it('takes over the files mentioning some words, with the edited file in its new version, unless the edit changed whether it mentions them', () => {
    const before = build('/r2m', FILES);
    expect(before.filesMentioning(['greet']).map((f) => f.relPath)).toEqual(['src/b.ts']);
    expect(before.filesMentioning(['c']).map((f) => f.relPath)).toEqual(['src/c.ts']);
    expect(before.filesMentioning(['salute']).map((f) => f.relPath)).toEqual([]);
    const body = "export const b = 1;\nexport function greet() { return 'hello, salute'; }\n";
    const after = build('/r2m', { ...FILES, 'src/b.ts': body }, before);
    const b = after.getFile('/r2m/src/b.ts');
    expect(b?.text).toBe(body);
    expect(after.filesMentioning(['greet'])).toEqual([b]);
    expect(after.filesMentioning(['c'])).toBe(before.filesMentioning(['c']));
    // b.ts starts mentioning `salute`: asked again, not taken over.
    expect(after.filesMentioning(['salute'])).toEqual([b]);
  });

  it('takes over again, unjudged, what the last snapshot took over when the same file is typed into again, until a fact of it changes', () => {
    const before = build('/r2r', FILES);
    for (const fact of FOUR) before.projectFact(fact);
    const typed = (text: string): string => `export const b = 1;\nexport function greet() { return '${text}'; }\n`;
    const first = build('/r2r', { ...FILES, 'src/b.ts': typed('hello!') }, before);
    for (const fact of FOUR) first.projectFact(fact);
    // The first edit of b.ts judges every answer; the next one takes over again the three it kept, and judges only the
    // answer computed since (b's text, read whole: dropped again).
    expect(first.stats.inherited).toMatchObject({ projectFacts: 3, dropped: 1, repeated: 0 });
    computed = [];
    const second = build('/r2r', { ...FILES, 'src/b.ts': typed('hello!!') }, first);
    for (const fact of FOUR) second.projectFact(fact);
    expect(computed).toEqual(['b-text']);
    expect(second.stats.inherited).toMatchObject({ projectFacts: 3, dropped: 1, repeated: 3 });
    // Typing a new export name changes a fact the answers read of b.ts: everything is judged again, and what read the
    // names is computed again.
    computed = [];
    const renamed = `${typed('hello!!')}export const bye = 2;\n`;
    const third = build('/r2r', { ...FILES, 'src/b.ts': renamed }, second);
    expect(third.projectFact(ALL_EXPORTS)).toEqual(['a', 'b', 'greet', 'bye', 'c']);
    for (const fact of FOUR) third.projectFact(fact);
    expect(third.stats.inherited).toMatchObject({ repeated: 0 });
    expect(computed).toEqual(['all-exports', 'b-text']);
    // Another file edited next: its own answers are judged, none is taken over unjudged.
    computed = [];
    const other = build('/r2r', { ...FILES, 'src/b.ts': renamed, 'src/c.ts': 'export const c = 3;\n' }, third);
    for (const fact of FOUR) other.projectFact(fact);
    expect(computed).toEqual([]);
    expect(other.stats.inherited).toMatchObject({ projectFacts: 4, repeated: 0 });
  });

  it('hands what a memo entry read to every answer that takes the entry, whichever answer filled it', () => {
    const memo = defineProjectMemo<SourceFileInfo, number>();
    const lengthOfB = (project: AnalysisProject): number => {
      const a = project.getFile(`${project.root}/src/a.ts`) as SourceFileInfo;
      const known = memo(project).get(a);
      if (known !== undefined) return known;
      const value = (project.resolveImport(a, './b')?.text.length ?? 0) + a.text.length;
      memo(project).set(a, value);
      return value;
    };
    const FIRST = defineProjectFact('test-first', (project: AnalysisProject) => (computed.push('first'), lengthOfB(project)));
    const SECOND = defineProjectFact('test-second', (project: AnalysisProject) => (computed.push('second'), lengthOfB(project) * 2));
    const before = build('/r3', FILES);
    before.projectFact(FIRST);
    before.projectFact(SECOND);
    computed = [];
    // SECOND read b.ts only through the entry FIRST stored: editing b.ts must void both.
    const after = build('/r3', { ...FILES, 'src/b.ts': 'export const b = 22;\n' }, before);
    expect(after.projectFact(SECOND)).toBe(2 * (FILES['src/a.ts'] as string).length + 2 * 'export const b = 22;\n'.length);
    expect(after.projectFact(FIRST)).toBe((FILES['src/a.ts'] as string).length + 'export const b = 22;\n'.length);
    expect(computed).toEqual(['second', 'first']);
  });
});

/** A portable fact with node refs: the span of each top-level declaration (an edit inside one moves its end). */
const DECLARATION_SPANS = defineFileFact(
  'test-declaration-spans',
  (file: SourceFileInfo) => file.sourceFile.statements.map((s) => ({ kind: s.kind, at: { pos: s.pos, end: s.end, kind: s.kind } })),
  { portable: true },
);
const DECLARATION_COUNT = defineProjectFact(
  'test-declaration-count',
  (project: AnalysisProject) => (computed.push('count'), project.files().reduce((n, f) => n + project.fileFact(DECLARATION_SPANS, f).length, 0)),
  { plain: true },
);
const DECLARATION_FILES = defineProjectFact(
  'test-declaration-files',
  (project: AnalysisProject) => (computed.push('files'), project.files().filter((f) => project.fileFact(DECLARATION_SPANS, f).length > 1).map((f) => f.relPath)),
  { plain: true },
);
const DECLARATION_COUNT_OBJECTS = defineProjectFact('test-declaration-count-objects', (project: AnalysisProject) => (computed.push('objects'), project.projectFact(DECLARATION_COUNT)));

describe('node refs that an edit moves', () => {
  it('keep a plain answer that names no moved file, and nothing else that read them', () => {
    const facts: ReadonlyArray<ProjectFact<unknown>> = [DECLARATION_COUNT, DECLARATION_FILES, DECLARATION_COUNT_OBJECTS];
    const before = build('/r4', FILES);
    for (const fact of facts) before.projectFact(fact);
    computed = [];
    // Inside greet's body: the spans of b.ts move, its declarations stay the same kinds.
    const after = build('/r4', { ...FILES, 'src/b.ts': "export const b = 1;\nexport function greet() { return 'hello, you'; }\n" }, before);
    expect(after.projectFact(DECLARATION_COUNT)).toBe(5);
    expect(after.projectFact(DECLARATION_FILES)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(after.projectFact(DECLARATION_COUNT_OBJECTS)).toBe(5);
    // The count names no file and is kept; the list names b.ts, whose spans moved; a fact not declared plain may hold
    // objects of the old version and needs the facts it read exactly equal.
    expect(computed).toEqual(['files', 'objects']);
  });

  it('keep them again, unjudged, when the same file is typed into again, and judge again what was computed since', () => {
    const facts: ReadonlyArray<ProjectFact<unknown>> = [DECLARATION_COUNT, DECLARATION_FILES, DECLARATION_COUNT_OBJECTS];
    const typed = (text: string): string => `export const b = 1;\nexport function greet() { return '${text}'; }\n`;
    let project = build('/r4r', FILES);
    for (const fact of facts) project.projectFact(fact);
    for (const [index, text] of ['hello, you', 'hello, you!', 'hello, you!!'].entries()) {
      computed = [];
      project = build('/r4r', { ...FILES, 'src/b.ts': typed(text) }, project);
      for (const fact of facts) project.projectFact(fact);
      // Every edit moves b.ts's spans: the count (plain, naming no file) is kept, from the second edit on without being
      // judged; the list naming b.ts and the fact that may hold objects are computed again each time.
      expect(computed).toEqual(['files', 'objects']);
      expect(project.stats.inherited).toMatchObject({ projectFacts: 1, repeated: index === 0 ? 0 : 1 });
    }
  });
});

/** Two routes in two files, each with its data access in a service file of its own. */
const SERVICE: Record<string, string> = {
  'package.json': '{ "name": "shop", "dependencies": { "express": "4.19.2", "@prisma/client": "5.0.0" } }\n',
  'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n",
  'src/app.ts': [
    "import express from 'express';",
    "import { orders } from './orders';",
    "import { notes } from './notes';",
    'const app = express();',
    'app.use(orders);',
    'app.use(notes);',
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/orders.ts': [
    "import { Router } from 'express';",
    "import { findOrder } from './order-store';",
    'export const orders = Router();',
    "orders.get('/orders/:id', async (req, res) => {",
    '  res.json(await findOrder(req.params.id, req.user.id));',
    '});',
    '',
  ].join('\n'),
  'src/order-store.ts': [
    "import { db } from './db';",
    'export function findOrder(id: string, userId: string) {',
    '  return db.order.findFirst({ where: { id, ownerId: userId } });',
    '}',
    '',
  ].join('\n'),
  'src/notes.ts': [
    "import { Router } from 'express';",
    "import { removeNote } from './note-store';",
    'export const notes = Router();',
    "notes.delete('/notes/:id', async (req, res) => {",
    '  await removeNote(req.params.id);',
    '  res.status(204).end();',
    '});',
    '',
  ].join('\n'),
  'src/note-store.ts': "import { db } from './db';\nexport function removeNote(id: string) {\n  return db.note.delete({ where: { id } });\n}\n",
};

function verdicts(project: AnalysisProject): Record<string, unknown> {
  const byRoute = project.projectFact(ROUTE_AUTHORIZATION);
  return Object.fromEntries(project.projectFact(ROUTES).map((route) => [formatRouteName(route), byRoute.get(route)]));
}

describe('route analyses reused one by one', () => {
  it('analyses again only the route whose analysis read the edited file, and answers as a fresh project does', () => {
    const before = build('/shop', SERVICE);
    const first = verdicts(before);
    expect(Object.keys(first).sort()).toEqual(['DELETE /notes/:id', 'GET /orders/:id']);
    const unitsBefore = before.stats.units ?? 0;

    // The ownership filter removed from the orders store: only that route's analysis read the file.
    const unfiltered = SERVICE['src/order-store.ts']?.replace(', ownerId: userId', '') as string;
    const edited = { ...SERVICE, 'src/order-store.ts': unfiltered };
    const after = build('/shop', edited, before);
    const second = verdicts(after);
    expect(second).toEqual(verdicts(build('/shop', edited)));
    expect(second['GET /orders/:id']).not.toEqual(first['GET /orders/:id']);
    expect(second['DELETE /notes/:id']).toEqual(first['DELETE /notes/:id']);
    expect(after.stats.inherited?.units).toBeGreaterThan(0);
    expect(after.stats.units ?? 0).toBeLessThan(unitsBefore);
  });
});

describe('typing takes the tables of the snapshot before over', () => {
  it('judges what was computed since the last keystroke by the facts it read of the file, read of the snapshot taken over', () => {
    const typed = (text: string): Record<string, string> => ({ ...FILES, 'src/b.ts': `export const b = 1;\nexport function greet() { return '${text}'; }\n` });
    const exportsOfB = (project: AnalysisProject): unknown =>
      project.unit('test-exports-of-b', 'b', () => {
        computed.push('exports-of-b');
        return project.fileFact(EXPORT_NAMES, project.getFile(`${project.root}/src/b.ts`) as SourceFileInfo);
      });
    const before = build('/r-take', FILES);
    before.projectFact(B_TEXT);
    // The unit is first computed after the first edit of b.ts; the next keystroke takes the tables over and judges it
    // by b's export names, which it compares with those of the version the snapshot taken over had.
    const first = build('/r-take', typed('hello!'), before);
    expect(exportsOfB(first)).toEqual(['b', 'greet']);
    computed = [];
    const second = build('/r-take', typed('hello!!'), first, { consume: true });
    expect(second.consumed).toBe(true);
    expect(exportsOfB(second)).toEqual(['b', 'greet']);
    expect(computed).toEqual([]);
    expect(() => first.projectFact(B_TEXT)).toThrow(/taken over/);
  });

  it('keeps and drops the same answers as copying them, answers as a fresh project does, and leaves the snapshot before unusable', () => {
    // Spaces typed at the end of a line of the orders store: no word, import or fact of it changes (the same file
    // replaced again is what lets the next snapshot take the tables over), but its text does.
    const typed = (spaces: number): Record<string, string> => ({
      ...SERVICE,
      'src/order-store.ts': SERVICE['src/order-store.ts']?.replace('userId: string) {', `userId: string) {${' '.repeat(spaces)}`) as string,
    });
    const run = (consume: boolean): Array<{ verdicts: Record<string, unknown>; units: number; inherited: unknown; consumed: boolean }> => {
      let project = build('/shop-typing', SERVICE);
      verdicts(project);
      const steps = [];
      for (const spaces of [1, 2, 3, 4]) {
        const previous = project;
        project = build('/shop-typing', typed(spaces), previous, { consume });
        steps.push({ verdicts: verdicts(project), units: project.stats.units ?? 0, inherited: project.stats.inherited, consumed: project.consumed });
        if (project.consumed) expect(() => verdicts(previous)).toThrow(/taken over/);
        else verdicts(previous);
      }
      return steps;
    };
    const taken = run(true);
    const copied = run(false);
    // The first edit of the store judges every answer (nothing to take over); from the second on the tables are taken.
    expect(taken.map((s) => s.consumed)).toEqual([false, true, true, true]);
    expect(copied.map((s) => s.consumed)).toEqual([false, false, false, false]);
    expect(taken.map((s) => [s.units, s.inherited])).toEqual(copied.map((s) => [s.units, s.inherited]));
    // Only the orders route's analysis read the store: the notes route's is kept on every keystroke.
    expect(taken[3]?.inherited).toMatchObject({ repeated: expect.any(Number) });
    expect((taken[3]?.inherited as { repeated: number }).repeated).toBeGreaterThan(0);
    for (const [index, step] of taken.entries()) expect(step.verdicts).toEqual(verdicts(build('/shop-typing', typed(index + 1))));
  });
});

describe('memo entries computed in a frame of their own', () => {
  it('hand a later reader what the entry read, not what its first reader had read', () => {
    for (const own of [true, false]) {
      const memo = defineProjectMemo<SourceFileInfo, number>();
      const lengthOfC = (project: AnalysisProject): number => {
        const c = project.getFile(`${project.root}/src/c.ts`) as SourceFileInfo;
        const known = memo(project).get(c);
        if (known !== undefined) return known;
        const compute = (): number => {
          const value = c.text.length;
          memo(project).set(c, value);
          return value;
        };
        return own ? recordOwn(compute) : compute();
      };
      const FIRST = defineProjectFact(`test-own-first-${own}`, (project: AnalysisProject) => {
        computed.push('first');
        return (project.getFile(`${project.root}/src/b.ts`)?.text.length ?? 0) + lengthOfC(project);
      });
      const SECOND = defineProjectFact(`test-own-second-${own}`, (project: AnalysisProject) => (computed.push('second'), lengthOfC(project)));
      const before = build(`/r5-${own}`, FILES);
      before.projectFact(FIRST);
      before.projectFact(SECOND);
      computed = [];
      // b.ts edited: FIRST read it; SECOND read only c.ts, through the entry FIRST filled.
      const after = build(`/r5-${own}`, { ...FILES, 'src/b.ts': 'export const b = 22;\n' }, before);
      expect(after.projectFact(SECOND)).toBe((FILES['src/c.ts'] as string).length);
      expect(after.projectFact(FIRST)).toBe('export const b = 22;\n'.length + (FILES['src/c.ts'] as string).length);
      // Without a frame of its own the entry keeps FIRST's whole frame (b.ts included): sound, but SECOND is recomputed.
      expect(computed).toEqual(own ? ['first'] : ['second', 'first']);
    }
  });

  it('keep a route whose analysis shares a helper with the route that read the edited file', () => {
    const shared: Record<string, string> = {
      ...SERVICE,
      'src/owner.ts': 'export function ownerOf(req: { user: { id: string } }) {\n  return req.user.id;\n}\n',
      'src/orders.ts': (SERVICE['src/orders.ts'] as string).replace("from './order-store';", "from './order-store';\nimport { ownerOf } from './owner';").replace('req.user.id', 'ownerOf(req)'),
      'src/notes.ts': (SERVICE['src/notes.ts'] as string).replace("from './note-store';", "from './note-store';\nimport { ownerOf } from './owner';").replace('removeNote(req.params.id)', 'removeNote(req.params.id, ownerOf(req))'),
      'src/note-store.ts': "import { db } from './db';\nexport function removeNote(id: string, userId: string) {\n  return db.note.deleteMany({ where: { id, authorId: userId } });\n}\n",
    };
    const before = build('/shop-shared', shared);
    const first = verdicts(before);
    // Each store edited in turn: whichever route filled the entry for ownerOf, one of the two edits voids that route.
    for (const [store, filter, route, other] of [
      ['src/order-store.ts', ', ownerId: userId', 'GET /orders/:id', 'DELETE /notes/:id'],
      ['src/note-store.ts', ', authorId: userId', 'DELETE /notes/:id', 'GET /orders/:id'],
    ] as const) {
      const edited = { ...shared, [store]: (shared[store] as string).replace(filter, '') };
      const after = build('/shop-shared', edited, before);
      const second = verdicts(after);
      expect(second).toEqual(verdicts(build('/shop-shared', edited)));
      expect(second[route]).not.toEqual(first[route]);
      expect(second[other]).toEqual(first[other]);
      // Only the edited store's route is analysed again (its handler and its authorization): the other took in the
      // entry for ownerOf, which read owner.ts alone, whichever route's analysis filled it.
      expect(after.stats.units).toBe(2);
    }
  });
});

describe('memos of tree nodes in the next snapshot', () => {
  it('take over the entries of the snapshot before whose reads the edit left as they were, inner tables entry by entry', () => {
    const memo = defineProjectMemo<SourceFileInfo, number>();
    const inner = defineProjectMemo<SourceFileInfo, Map<string, number>>();
    const wide = defineProjectMemo<SourceFileInfo, number>();
    const file = (project: AnalysisProject, rel: string) => project.getFile(`${project.root}/${rel}`) as SourceFileInfo;
    // By a.ts: its length; by c.ts: its length and b.ts's (so an edit of b.ts voids it); inner entries likewise.
    const lengths = (project: AnalysisProject): number[] => {
      const [a, b, c] = [file(project, 'src/a.ts'), file(project, 'src/b.ts'), file(project, 'src/c.ts')];
      const entry = (key: SourceFileInfo, read: SourceFileInfo[]): number => {
        const known = memo(project).get(key);
        if (known !== undefined) return known;
        return recordOwn(() => {
          computed.push(`memo ${key.relPath}`);
          const value = read.reduce((n, f) => n + f.text.length, 0);
          memo(project).set(key, value);
          return value;
        });
      };
      const innerEntry = (name: string, read: SourceFileInfo[]): number => {
        const table = innerTable(inner(project), c);
        const known = table.get(name);
        if (known !== undefined) return known;
        return recordOwn(() => {
          computed.push(`inner ${name}`);
          const value = read.reduce((n, f) => n + f.text.length, 0);
          table.set(name, value);
          return value;
        });
      };
      return [entry(a, [a]), entry(c, [c, b]), innerEntry('own', [c]), innerEntry('with-b', [c, b])];
    };
    // Stored in the frame open then (the fact's): not taken over even when that frame read nothing edited.
    const wideEntry = (project: AnalysisProject): number => {
      const c = file(project, 'src/c.ts');
      const known = wide(project).get(c);
      if (known !== undefined) return known;
      computed.push('wide src/c.ts');
      wide(project).set(c, c.text.length);
      return c.text.length;
    };
    const FIRST = defineProjectFact('test-memo-first', (project: AnalysisProject) => lengths(project));
    const SECOND = defineProjectFact('test-memo-second', (project: AnalysisProject) => lengths(project));
    const [WIDE_FIRST, WIDE_SECOND] = ['first', 'second'].map((n) => defineProjectFact(`test-memo-wide-${n}`, wideEntry)) as [ProjectFact<number>, ProjectFact<number>];
    const before = build('/r-memo', FILES);
    before.projectFact(FIRST);
    before.projectFact(WIDE_FIRST);
    computed = [];
    const edited = { ...FILES, 'src/b.ts': 'export const b = 333;\n' };
    const after = build('/r-memo', edited, before);
    expect(after.getMemoParent()?.project).toBe(before);
    const answer = after.projectFact(SECOND);
    // The entries that read b.ts are computed again; those by a.ts and c.ts's own come from `before`.
    expect(computed).toEqual(['memo src/c.ts', 'inner with-b']);
    expect(after.projectFact(WIDE_SECOND)).toBe((FILES['src/c.ts'] as string).length);
    expect(computed).toEqual(['memo src/c.ts', 'inner with-b', 'wide src/c.ts']);
    expect(answer).toEqual(build('/r-memo', edited).projectFact(SECOND));
    // A later snapshot links to this one only: the one before is no longer reachable from the memos.
    const typed = { ...edited, 'src/a.ts': `${FILES['src/a.ts'] as string}// typed\n` };
    const later = build('/r-memo', typed, after);
    expect(later.getMemoParent()?.project).toBe(after);
    expect(after.getMemoParent()).toBeUndefined();
    computed = [];
    const typedAnswer = later.projectFact(SECOND);
    // a.ts is a new version (a new key); the entries by c.ts read nothing that changed, and come from `after`.
    expect(computed).toEqual(['memo src/a.ts']);
    expect(typedAnswer).toEqual(build('/r-memo', typed).projectFact(SECOND));
  });
});

describe('origins and middleware classifications in the next snapshot', () => {
  it('are taken over from the snapshot before unless what they read was edited, and answer as a fresh project does', () => {
    const files: Record<string, string> = {
      'src/auth.ts': "import jwt from 'jsonwebtoken';\nexport function requireUser(req: any, res: any, next: any) {\n  jwt.verify(req.headers.authorization, 'key');\n  next();\n}\n",
      'src/helper.ts': "export { sign as helper } from 'jsonwebtoken';\n",
      'src/app.ts': "import { requireUser } from './auth';\nimport { helper } from './helper';\nrequireUser;\nhelper;\n",
      'src/other.ts': 'export const other = 2;\n',
    };
    const classifications = new Map<AnalysisProject, object>();
    const answers = (project: AnalysisProject): string[] => {
      const app = project.getFile(`${project.root}/src/app.ts`) as SourceFileInfo;
      const [, , guard, helper] = app.sourceFile.statements.map((s) => (ts.isExpressionStatement(s) ? s.expression : undefined)) as ts.Expression[];
      const shape = (o: Origin) => (o.kind === 'local' ? `${o.file.relPath} ${ts.SyntaxKind[o.node.kind]} ${o.path.join('.')}` : JSON.stringify(o));
      const classified = classifyMiddleware(project, app, guard as ts.Expression);
      classifications.set(project, classified);
      return [shape(resolveOrigin(project, app, guard as ts.Expression)), shape(resolveOrigin(project, app, helper as ts.Expression)), `${classified.kind} ${classified.reason}`];
    };
    // One fact per snapshot: a fact asked again would be taken over whole, its memo entries never asked.
    const [FIRST, SECOND, THIRD] = ['first', 'second', 'third'].map((n) => defineProjectFact(`test-origins-${n}`, answers)) as [ProjectFact<string[]>, ProjectFact<string[]>, ProjectFact<string[]>];
    const before = build('/r-origins', files);
    const first = before.projectFact(FIRST);
    expect(first[1]).toBe('{"kind":"external","module":"jsonwebtoken","path":["sign"]}');
    // Another file edited: both origins and the classification are taken over.
    const unrelated = { ...files, 'src/other.ts': 'export const other = 3;\n' };
    const taken = memoTakeOvers.entries;
    const after = build('/r-origins', unrelated, before);
    expect(after.projectFact(SECOND)).toEqual(first);
    expect(memoTakeOvers.entries - taken).toBeGreaterThanOrEqual(3);
    // The classification is the object the snapshot before computed.
    expect(classifications.get(after)).toBe(classifications.get(before));
    // The helper re-exported from another package: its origin is resolved again, the rest taken over.
    const edited = { ...unrelated, 'src/helper.ts': "export { SignJWT as helper } from 'jose';\n" };
    const again = memoTakeOvers.entries;
    const next = build('/r-origins', edited, after);
    const third = next.projectFact(THIRD);
    expect(memoTakeOvers.entries - again).toBeGreaterThanOrEqual(2);
    expect(third).toEqual(build('/r-origins', edited).projectFact(THIRD));
    expect(third[1]).toBe('{"kind":"external","module":"jose","path":["SignJWT"]}');
    expect([third[0], third[2]]).toEqual([first[0], first[2]]);
    expect(classifications.get(next)).toBe(classifications.get(before));
  });
});

describe('early cutoff', () => {
  /** Reads every file whole, and answers with what an edit inside a function body leaves as it was. */
  const EXPORTED = defineProjectFact(
    'test-cutoff-exported',
    (project: AnalysisProject) => (computed.push('exported'), project.files().flatMap((f) => [...f.text.matchAll(/export (?:const|function) (\w+)/g)].map((m) => m[1] as string))),
    { plain: true },
  );
  const COUNT = defineProjectFact('test-cutoff-count', (project: AnalysisProject) => (computed.push('count'), project.projectFact(EXPORTED).length));

  it('keeps what read a plain project fact that is computed again to the same value', () => {
    const before = build('/r6', FILES);
    expect(before.projectFact(COUNT)).toBe(4);
    computed = [];
    const inBody = build('/r6', { ...FILES, 'src/b.ts': "export const b = 1;\nexport function greet() { return 'hi'; }\n" }, before);
    // The table read b.ts whole: computed again while inheriting, to the same names, so the count that read it is kept.
    expect(computed).toEqual(['exported']);
    // The table, which read b.ts whole, is dropped at once; the count's reads are answered with the table passed over.
    expect(inBody.stats.inherited).toMatchObject({ recomputed: 1, walked: 0 });
    expect(inBody.projectFact(COUNT)).toBe(4);
    expect(computed).toEqual(['exported']);
    // Typing on: the count kept above still holds the table's frame of the first snapshot, which this edit voids too.
    computed = [];
    const typed = build('/r6', { ...FILES, 'src/b.ts': "export const b = 1;\nexport function greet() { return 'hi!'; }\n" }, inBody);
    expect(typed.projectFact(COUNT)).toBe(4);
    expect(computed).toEqual(['exported']);
    // A new export changes the table's value: the count is computed again.
    computed = [];
    const added = build('/r6', { ...FILES, 'src/c.ts': 'export const c = 2;\nexport const d = 3;\n' }, typed);
    expect(added.projectFact(COUNT)).toBe(5);
    expect(computed).toEqual(['exported', 'count']);
  });
});

describe('Nest controllers extracted one by one', () => {
  const NEST: Record<string, string> = {
    'src/main.ts': [
      "import { NestFactory } from '@nestjs/core';",
      "import { AppModule } from './app.module';",
      'async function bootstrap() {',
      '  const app = await NestFactory.create(AppModule);',
      "  app.setGlobalPrefix('api');",
      '  await app.listen(3000);',
      '}',
      'bootstrap();',
      '',
    ].join('\n'),
    'src/app.module.ts': [
      "import { Module } from '@nestjs/common';",
      "import { UsersModule } from './users.module';",
      "import { NotesModule } from './notes.module';",
      '@Module({ imports: [UsersModule, NotesModule] })',
      'export class AppModule {}',
      '',
    ].join('\n'),
    'src/users.module.ts': "import { Module } from '@nestjs/common';\nimport { UsersController } from './users.controller';\n@Module({ controllers: [UsersController] })\nexport class UsersModule {}\n",
    'src/notes.module.ts': "import { Module } from '@nestjs/common';\nimport { NotesController } from './notes.controller';\n@Module({ controllers: [NotesController] })\nexport class NotesModule {}\n",
    'src/users.controller.ts': [
      "import { Controller, Get, Param, UseGuards } from '@nestjs/common';",
      "import { AuthGuard } from '@nestjs/passport';",
      "@Controller('users')",
      "@UseGuards(AuthGuard('jwt'))",
      'export class UsersController {',
      "  @Get(':id')",
      "  find(@Param('id') id: string) {",
      '    return { id };',
      '  }',
      '}',
      '',
    ].join('\n'),
    'src/notes.controller.ts': [
      "import { Controller, Get, Post } from '@nestjs/common';",
      "@Controller('notes')",
      'export class NotesController {',
      '  @Get()',
      '  list() {',
      "    return 'notes';",
      '  }',
      '  @Post()',
      '  create() {',
      "    return 'created';",
      '  }',
      '}',
      '',
    ].join('\n'),
  };
  const describeRoutes = (project: AnalysisProject): string[] =>
    project.projectFact(ROUTES).map((route) => `${formatRouteName(route)} ${route.chain.map((step) => `${step.kind}:${step.name}`).join(',')}`);
  const usersRoute = (project: AnalysisProject) => project.projectFact(ROUTES).find((route) => route.path === '/api/users/:id');

  it('extracts again only the edited controller, and answers as a fresh project does', () => {
    const before = build('/nest', NEST);
    expect(describeRoutes(before)).toEqual(['GET /api/notes ', 'POST /api/notes ', "GET /api/users/:id authentication:AuthGuard('jwt')"]);
    const kept = usersRoute(before);
    // Typing inside a handler of the other controller moves the end of its class, not where it starts.
    const typed = { ...NEST, 'src/notes.controller.ts': (NEST['src/notes.controller.ts'] as string).replace("'notes';", "'all notes';") };
    const afterTyping = build('/nest', typed, before);
    expect(describeRoutes(afterTyping)).toEqual(describeRoutes(build('/nest', typed)));
    // The users controller's route is the same object: its extraction and every analysis keyed by it were kept.
    expect(usersRoute(afterTyping)).toBe(kept);
    // A path changed in the edited controller is seen; the other controller's route is still the one extracted first.
    const renamed = { ...typed, 'src/notes.controller.ts': (typed['src/notes.controller.ts'] as string).replace('@Get()', "@Get('all')") };
    const afterRename = build('/nest', renamed, afterTyping);
    expect(describeRoutes(afterRename)).toEqual(describeRoutes(build('/nest', renamed)));
    expect(describeRoutes(afterRename)).toContain('GET /api/notes/all ');
    expect(usersRoute(afterRename)).toBe(kept);
  });

  it('extracts every controller again when the application graph changes', () => {
    const before = build('/nest-graph', NEST);
    const prefixed = { ...NEST, 'src/main.ts': (NEST['src/main.ts'] as string).replace("setGlobalPrefix('api')", "setGlobalPrefix('v2')") };
    const after = build('/nest-graph', prefixed, before);
    expect(describeRoutes(after)).toEqual(describeRoutes(build('/nest-graph', prefixed)));
    expect(usersRoute(after)).toBeUndefined();
    expect(after.projectFact(ROUTES).map((route) => route.path)).toContain('/v2/users/:id');
  });
});

describe('names resolved through a barrel', () => {
  it('keep an answer when a file the barrel re-exports, but that does not export the name, is edited inside a function', async () => {
    const { resolveImportedName } = await import('../../src/facts/imports.js');
    const files: Record<string, string> = {
      'src/index.ts': "export * from './a';\nexport * from './b';\n",
      'src/a.ts': "export function helper() {\n  return 'a';\n}\n",
      'src/b.ts': 'export class Target {}\n',
      'src/use.ts': "import { Target } from './index';\nexport const t = new Target();\n",
    };
    let computations = 0;
    // Holds a node of b.ts: an answer kept only when every fact it read is exactly as it was.
    const TARGET = defineProjectFact('test-barrel-target', (project: AnalysisProject) => {
      computations++;
      const use = project.getFile(`${project.root}/src/use.ts`) as SourceFileInfo;
      const resolved = resolveImportedName(project, use, 'Target');
      return resolved?.kind === 'declaration' ? resolved.node : undefined;
    });
    const before = build('/barrel', files);
    expect(before.projectFact(TARGET)?.getText()).toBe('export class Target {}');
    // Typing inside a.ts's function moves where its export ends; its export names are as they were.
    const typed = build('/barrel', { ...files, 'src/a.ts': "export function helper() {\n  return 'abc';\n}\n" }, before);
    expect(typed.projectFact(TARGET)).toBe(before.projectFact(TARGET));
    expect(computations).toBe(1);
    // a.ts starting to export the name changes the answer.
    const shadowing = { ...files, 'src/a.ts': "export function helper() {\n  return 'a';\n}\nexport const Target = 1;\n" };
    const shadowed = build('/barrel', shadowing, typed);
    expect(shadowed.projectFact(TARGET)?.getText()).toBe('Target = 1');
    expect(computations).toBe(2);
  });
});
