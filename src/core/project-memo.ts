import type { AnalysisProject } from './project.js';
import { RecordingWeakMap } from './reads.js';

/**
 * A memo keyed by tree nodes (or other objects), one per project. A module-level WeakMap keyed by nodes alone outlives
 * the project that filled it: the editor's snapshots share the trees of unchanged files, so an answer that read another
 * file (a function's returned labels, a guard's classification) would still be served after that file changed.
 * Each entry keeps what was being read when it was stored and hands it to whoever reads the entry (reads.ts), so an
 * answer built from memo entries records every file behind them. A memo whose entries are Maps filled later (answers by
 * depth or labels) must make them RecordingMaps, so each inner answer keeps its own reads.
 */
export function defineProjectMemo<K extends object, V>(): (project: AnalysisProject) => WeakMap<K, V> {
  const memos = new WeakMap<AnalysisProject, RecordingWeakMap<K, V>>();
  return (project) => {
    let memo = memos.get(project);
    if (!memo) {
      memo = new RecordingWeakMap<K, V>();
      inheritEntries(memo, project, (parent) => memos.get(parent));
      memos.set(project, memo);
    }
    return memo;
  };
}

/**
 * The editor's next snapshot starts with empty memos: `memo` (this project's memo of tree nodes, however it is kept)
 * then takes over, when asked, the entries of the same memo of the snapshot it inherited from (`find`) whose reads
 * the edit left as they were (see AnalysisProject.getMemoParent). Nothing for a project that records no reads.
 */
export function inheritEntries<K extends object, V>(memo: RecordingWeakMap<K, V>, project: AnalysisProject, find: (parent: AnalysisProject) => RecordingWeakMap<K, V> | undefined): void {
  if (!project.records) return;
  memo.inheritsFrom = () => {
    const parent = project.getMemoParent();
    return parent ? { memo: find(parent.project), keep: parent.keep } : undefined;
  };
}
