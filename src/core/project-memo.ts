import type { AnalysisProject } from './project.js';

/**
 * A memo keyed by tree nodes (or other objects), one per project. A module-level WeakMap keyed by nodes alone outlives
 * the project that filled it: the editor's snapshots share the trees of unchanged files, so an answer that read another
 * file (a function's returned labels, a guard's classification) would still be served after that file changed.
 */
export function defineProjectMemo<K extends object, V>(): (project: AnalysisProject) => WeakMap<K, V> {
  const memos = new WeakMap<AnalysisProject, WeakMap<K, V>>();
  return (project) => {
    let memo = memos.get(project);
    if (!memo) memos.set(project, (memo = new WeakMap()));
    return memo;
  };
}
