import { AnalysisProject, defineFileFact, type FileFact, type SourceFileInfo } from '../core/project.js';
import { isRecording, isSameData, recordCheck, registerReadCheck, withoutRecording, type ReadCheck } from '../core/reads.js';

/**
 * Module specifiers a file may load: `import … from`, `export … from`, side-effect `import '…'`,
 * `import('…')`, `require('…')` and `import x = require('…')`. Read from the text, so it over-approximates
 * (a specifier in a comment counts): that only makes reachability answers more conservative.
 */
const SPECIFIER = /\b(?:from|require|import)\s*\(?\s*(['"`])([^'"`\n]{1,300})\1/g;

export const MODULE_SPECIFIERS = defineFileFact(
  'module-specifiers',
  (file: SourceFileInfo): string[] => {
    const found = new Set<string>();
    for (const match of file.text.matchAll(SPECIFIER)) found.add(match[2] as string);
    return [...found];
  },
  { local: true },
);

/**
 * The answers for one key. A scanned file's answer is kept by path: the projects that inherit it (see the inheritance
 * below) have the same import graph and the same test results, so they share one table instead of copying it on every
 * editor snapshot. Files loaded on demand are versions of this project alone and keep their answers here.
 */
interface ReachAnswers {
  scanned: Map<string, boolean>;
  unscanned: Map<SourceFileInfo, boolean>;
}

interface ReachMemo {
  revision: number;
  byKey: Map<string, ReachAnswers>;
  /** The test each key was asked with (tests are functions of one file's text). */
  tests: Map<string, (file: SourceFileInfo) => boolean>;
  /**
   * The repository files each visited file's specifiers resolve to, in specifier order, for every key: the searches of
   * all keys walk the same import graph, and a file is visited by several searches (a search that succeeds leaves the
   * files off its chain unanswered). Valid for the revision (no file added since).
   */
  targets: Map<SourceFileInfo, readonly SourceFileInfo[]>;
}

const memos = new WeakMap<AnalysisProject, ReachMemo>();

const checks = new Map<string, ReadCheck>();

/**
 * An answer of `canReach` for a key holds in the next project when every changed file passes the test as before and
 * loads the same specifiers: the import graph and the files passing the test are then the same. The check holds no
 * project (frames outlive the snapshot that recorded them): it takes the test the earlier project was asked with.
 */
function reachCheck(key: string, testFact?: FileFact<boolean>): ReadCheck {
  let check = checks.get(key);
  if (!check) {
    check = {
      name: `reach:${key}`,
      unchanged: (before: SourceFileInfo, after: SourceFileInfo, from: AnalysisProject, to: AnalysisProject) => {
        const test = memos.get(from)?.tests.get(key);
        return test !== undefined && test(before) === test(after) && isSameData(from.fileFact(MODULE_SPECIFIERS, before), to.fileFact(MODULE_SPECIFIERS, after));
      },
      // The scan cache compares a file's versions by the test's answer and the specifiers it loads (run-cache.ts).
      ...(testFact
        ? {
            signature: (file: SourceFileInfo, project: AnalysisProject) => `${String(project.fileFact(testFact, file))}\u0000${project.fileFact(MODULE_SPECIFIERS, file).join('\u0000')}`,
            // A file no search of this key reached or kept an answer for decided no answer (see canReach).
            asked: (file: SourceFileInfo, project: AnalysisProject) => {
              const answers = memos.get(project)?.byKey.get(key);
              return answers !== undefined && getAnswer(project, answers, file) !== undefined;
            },
          }
        : {}),
    };
    checks.set(key, check);
    if (testFact) registerReadCheck(check);
  }
  return check;
}

/**
 * `canReach` for one key and a test that is a local fact of the file (its text alone), defined once per module: the
 * key's check is then known by name before any search runs, so the scan cache can compare a changed file's answers.
 */
export function defineReach(key: string, test: FileFact<boolean>): (project: AnalysisProject, file: SourceFileInfo) => boolean {
  reachCheck(key, test);
  return (project, file) => canReach(project, file, key, (f) => project.fileFact(test, f));
}

/**
 * The answers stay true in a project that replaces some files by versions with the same module specifiers and the
 * same test result (an edit inside a function body): the import graph and the files passing the test are the same.
 */
AnalysisProject.registerInheritance((from, to, replaced) => {
  const memo = memos.get(from);
  if (!memo || memo.revision !== from.revision) return;
  const sameSpecifiers = [...replaced].every(([old, next]) => {
    if (!next) return false;
    const a = from.fileFact(MODULE_SPECIFIERS, old);
    const b = to.fileFact(MODULE_SPECIFIERS, next);
    return a.length === b.length && a.every((s, i) => s === b[i]);
  });
  if (!sameSpecifiers) return;
  const inherited: ReachMemo = { revision: to.revision, byKey: new Map(), tests: new Map(), targets: new Map() };
  memo.byKey.forEach((answers, key) => {
    const test = memo.tests.get(key);
    if (!test || [...replaced].some(([old, next]) => !next || test(old) !== test(next))) return;
    // The same scanned paths, import graph and test results: the answers by path hold in both projects, shared (the
    // later project's answers hold in the earlier one too). Neighbours loaded on demand are loaded again by each project.
    inherited.byKey.set(key, { scanned: answers.scanned, unscanned: new Map() });
    inherited.tests.set(key, test);
  });
  memos.set(to, inherited);
});

/**
 * Whether a file, or any repository file it imports directly or transitively (relative and tsconfig-`paths`
 * imports), passes `test` — typically "its text names one of these packages". A value can only come from a
 * package through such an import chain, so a file that cannot reach a package needs no origin resolution
 * for it. `key` names the test for the memo.
 *
 * Exact for every answer: a negative is cached for every file the search visited (everything they reach was
 * visited and failed the test); a positive for every file on the import chain from the file asked about to the one
 * that passed.
 */
export function canReach(project: AnalysisProject, start: SourceFileInfo, key: string, test: (file: SourceFileInfo) => boolean): boolean {
  let memo = memos.get(project);
  if (!memo || memo.revision !== project.revision) {
    memo = { revision: project.revision, byKey: new Map(), tests: new Map(), targets: new Map() };
    memos.set(project, memo);
  }
  memo.tests.set(key, test);
  if (isRecording()) {
    // The answer is recorded as depending on the import graph and the test, not on every file the search read.
    recordCheck(reachCheck(key));
    return withoutRecording(() => canReach(project, start, key, test));
  }
  let known = memo.byKey.get(key);
  if (!known) {
    known = { scanned: new Map(), unscanned: new Map() };
    memo.byKey.set(key, known);
  }
  const answers = known;
  const cached = getAnswer(project, answers, start);
  if (cached !== undefined) return cached;
  const setAnswer = (file: SourceFileInfo, answer: boolean): void => {
    if (project.isScanned(file)) answers.scanned.set(file.path, answer);
    else answers.unscanned.set(file, answer);
  };
  // Each visited file's importer on the search: a file that passes makes every file on its chain back to `start` pass.
  const importer = new Map<SourceFileInfo, SourceFileInfo | undefined>([[start, undefined]]);
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop() as SourceFileInfo;
    const state = getAnswer(project, answers, file);
    if (state === false) continue;
    if (state === true || test(file)) {
      for (let on: SourceFileInfo | undefined = file; on !== undefined; on = importer.get(on)) setAnswer(on, true);
      return true;
    }
    for (const target of getTargets(project, memo, file)) {
      if (!importer.has(target)) {
        importer.set(target, file);
        pending.push(target);
      }
    }
  }
  const visited = importer.keys();
  for (const file of visited) setAnswer(file, false);
  return false;
}

function getAnswer(project: AnalysisProject, answers: ReachAnswers, file: SourceFileInfo): boolean | undefined {
  return project.isScanned(file) ? answers.scanned.get(file.path) : answers.unscanned.get(file);
}

/** The files `file` imports (see ReachMemo.targets), resolved once per revision. */
function getTargets(project: AnalysisProject, memo: ReachMemo, file: SourceFileInfo): readonly SourceFileInfo[] {
  let targets = memo.targets.get(file);
  if (targets) return targets;
  const found: SourceFileInfo[] = [];
  for (const specifier of project.fileFact(MODULE_SPECIFIERS, file)) {
    const target = project.resolveImport(file, specifier);
    if (target) found.push(target);
  }
  targets = found;
  memo.targets.set(file, targets);
  return targets;
}
