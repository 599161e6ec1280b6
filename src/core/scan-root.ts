import fs from 'node:fs';
import path from 'node:path';

/**
 * The scan root of absolute paths: the single folder given, else the working directory, or the deepest folder the
 * paths share when one lies outside it (`scan /srv/wiki/server /srv/wiki/plugins` run elsewhere): reported paths are
 * relative to the root, so every scanned path must be inside it.
 */
export function getDefaultScanRoot(absPaths: readonly string[], cwd: string): string {
  const only = absPaths.length === 1 ? absPaths[0] : undefined;
  if (only !== undefined && isDirectory(only)) return only;
  if (absPaths.every((p) => isWithin(cwd, p))) return cwd;
  return absPaths.map((p) => (isDirectory(p) ? p : path.dirname(p))).reduce(commonFolder);
}

function isWithin(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}

function commonFolder(a: string, b: string): string {
  let folder = a;
  while (!isWithin(folder, b)) folder = path.dirname(folder);
  return folder;
}
