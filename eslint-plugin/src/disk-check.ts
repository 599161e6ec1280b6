import fs from 'node:fs';
import path from 'node:path';

/** What a file or folder looked like on disk when it was checked. */
export interface Stamp {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  /**
   * Taken within RACY_MS of its own times: file systems keep coarse times (a clock tick on Linux, one or two seconds
   * on some), so a change in the same tick could leave the stamp equal. Such a stamp is never trusted (git's "racy"
   * index entries are the same problem).
   */
  racy: boolean;
}

export const RACY_MS = 2000;

export function takeStamp(target: string): Stamp | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stat) return undefined;
  return { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, size: stat.size, racy: Math.max(stat.mtimeMs, stat.ctimeMs) > Date.now() - RACY_MS };
}

export function isSameStamp(a: Stamp | undefined, b: Stamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size;
}

/** True when `known` can be trusted and the target still has it: nothing was written, created, deleted or renamed there since. */
export function isUnchanged(known: Stamp | undefined, current: Stamp | undefined): boolean {
  return known !== undefined && !known.racy && isSameStamp(known, current);
}

/**
 * The stamps of every folder discovery may list below `root` (all but symbolic links and the pruned folders; user
 * excludes are not applied, a superset is safe) and of every `.gitignore` in them. A folder's times change when an
 * entry is created, deleted or renamed in it, so while every stamp is unchanged, discovery would list the same files.
 * Each folder is stamped before it is read, so a change made during the walk shows in the next comparison.
 */
export function stampFolders(root: string, pruned: ReadonlySet<string>): Map<string, Stamp | undefined> {
  const stamps = new Map<string, Stamp | undefined>();
  const pending = [root];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    stamps.set(folder, takeStamp(folder));
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!pruned.has(entry.name)) pending.push(path.join(folder, entry.name));
      } else if (entry.name === '.gitignore') {
        const file = path.join(folder, entry.name);
        stamps.set(file, takeStamp(file));
      }
    }
  }
  return stamps;
}

/** True when no folder or `.gitignore` of `stampFolders` changed since. */
export function isLayoutUnchanged(stamps: ReadonlyMap<string, Stamp | undefined>): boolean {
  for (const [target, known] of stamps) if (!isUnchanged(known, takeStamp(target))) return false;
  return true;
}
