import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import fs from 'node:fs';
import path from 'node:path';
import type { Notification } from './types.js';
import { SOURCE_EXTENSIONS } from './extensions.js';

export const DEFAULT_IGNORES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/coverage/**',
  '**/.next/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
  '**/*.min.mjs',
  '**/*.min.cjs',
  '**/*.bundle.js',
];

/** The names of folders that DEFAULT_IGNORES ignores everything under, at any depth: discovery lists nothing below them. */
export const PRUNED_FOLDER_NAMES: ReadonlySet<string> = new Set(
  DEFAULT_IGNORES.flatMap((pattern) => {
    const name = /^\*\*\/([^*/]+)\/\*\*$/.exec(pattern)?.[1];
    return name === undefined ? [] : [name];
  }),
);

export interface DiscoverOptions {
  root: string;
  /** Files or folders given on the command line (absolute). */
  paths: string[];
  include?: string[];
  exclude?: string[];
}

export interface DiscoveredFile {
  path: string;
  relPath: string;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  notifications: Notification[];
}

export class PathNotFoundError extends Error {
  readonly path: string;
  constructor(p: string) {
    super(`path does not exist: ${p}`);
    this.name = 'PathNotFoundError';
    this.path = p;
  }
}

/** An `--include` glob that selects no source file: a typo or a wrong folder, not a clean result. */
export class IncludeMatchesNothingError extends Error {
  readonly pattern: string;
  constructor(pattern: string) {
    super(`--include '${pattern}' matches no JavaScript or TypeScript file`);
    this.name = 'IncludeMatchesNothingError';
    this.pattern = pattern;
  }
}

const SOURCE_GLOB = `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Whether the .gitignore files ignore a path (relative to the root, POSIX). Each nested file's patterns are scoped to
 * its folder (at any depth below it, or right in it when anchored) and every file's patterns are applied in path order,
 * the root's first, as one list. A path is tested only against the patterns of the .gitignore files of its own
 * folders: a pattern scoped to another folder can match neither the path nor any of its parents, so leaving it out
 * changes no answer (ever-gauzy has 66 .gitignore files with 393 patterns; a file is tested against about a hundred).
 */
function loadGitignores(root: string, entries: string[]): (relPath: string) => boolean {
  const rules: Array<{ dir: string; patterns: string[] }> = [];
  for (const entry of entries.sort()) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, entry), 'utf8');
    } catch {
      continue;
    }
    const dir = path.posix.dirname(entry);
    const patterns: string[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      if (dir === '.') {
        patterns.push(line);
        continue;
      }
      const negated = line.startsWith('!');
      const body = negated ? line.slice(1) : line;
      const anchored = body.startsWith('/') || body.slice(0, -1).includes('/');
      const scoped = anchored ? `${dir}/${body.replace(/^\//, '')}` : `${dir}/**/${body}`;
      patterns.push(negated ? `!${scoped}` : scoped);
    }
    rules.push({ dir, patterns });
  }
  // One matcher per set of .gitignore files that apply together (those of a folder and of its parents).
  const matchers = new Map<string, Ignore>();
  const byFolder = new Map<string, Ignore>();
  const matcherOf = (folder: string): Ignore => {
    let matcher = byFolder.get(folder);
    if (matcher) return matcher;
    const applying = rules.filter(({ dir }) => dir === '.' || folder === dir || folder.startsWith(`${dir}/`));
    const key = applying.map(({ dir }) => dir).join('\u0000');
    matcher = matchers.get(key);
    if (!matcher) {
      matcher = ignore();
      for (const { patterns } of applying) matcher.add(patterns);
      matchers.set(key, matcher);
    }
    byFolder.set(folder, matcher);
    return matcher;
  };
  return (relPath) => matcherOf(path.posix.dirname(relPath)).ignores(relPath);
}

/**
 * Lists the source files under the given paths. Symbolic links are never followed as folders
 * (so loops cannot occur); a linked file is scanned only when its target is inside the root.
 */
export function discoverFiles(options: DiscoverOptions): DiscoverResult {
  const root = path.resolve(options.root);
  const notifications: Notification[] = [];
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const realRoot = fs.realpathSync(root);
  const userIgnores = options.exclude ?? [];

  for (const given of options.paths) {
    const abs = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(abs);
    } catch {
      throw new PathNotFoundError(given);
    }
    if (stat.isFile() || stat.isSymbolicLink()) {
      const rel = toPosix(path.relative(root, abs)) || path.basename(abs);
      addEntry(abs, rel, stat.isSymbolicLink(), true);
      continue;
    }
    let realBase = abs;
    try {
      realBase = fs.realpathSync(abs);
    } catch {
      // reported per file when read
    }
    const base = toPosix(path.relative(root, abs));
    const prefix = base ? `${base}/` : '';
    const patterns = (options.include && options.include.length > 0 ? options.include : [SOURCE_GLOB]).map((p) => prefix + p.replace(/^\.\//, ''));
    const entries = fg.sync([...patterns, `${prefix}**/.gitignore`], {
      cwd: root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      ignore: [...DEFAULT_IGNORES, ...userIgnores],
      suppressErrors: true,
      objectMode: true,
    });
    const gitignores = entries.filter((e) => path.posix.basename(e.path) === '.gitignore').map((e) => e.path);
    const rootGitignore = fs.existsSync(path.join(root, '.gitignore')) && !gitignores.includes('.gitignore') ? ['.gitignore'] : [];
    const isIgnored = loadGitignores(root, [...rootGitignore, ...gitignores]);
    for (const entry of entries) {
      if (path.posix.basename(entry.path) === '.gitignore') continue;
      if (!SOURCE_EXTENSIONS.includes(path.extname(entry.path).toLowerCase())) continue;
      if (entry.dirent.isDirectory()) continue;
      if (isIgnored(entry.path)) continue;
      addEntry(path.join(root, entry.path), entry.path, entry.dirent.isSymbolicLink(), false, abs, realBase);
    }
  }

  function addEntry(abs: string, rel: string, isLink: boolean, explicit: boolean, base?: string, realBase?: string): void {
    if (isLink) {
      let target: string;
      try {
        target = fs.realpathSync(abs);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        notifications.push({
          kind: 'symlink',
          level: 'warning',
          file: rel,
          message: code === 'ELOOP' ? `Skipped ${rel}: symbolic link loop.` : `Skipped ${rel}: broken symbolic link.`,
        });
        return;
      }
      if (!isInside(realRoot, target)) {
        notifications.push({ kind: 'symlink', level: 'note', file: rel, message: `Skipped ${rel}: symbolic link points outside the scan root.` });
        return;
      }
      let targetStat: fs.Stats;
      try {
        targetStat = fs.statSync(target);
      } catch {
        return;
      }
      if (!targetStat.isFile()) return;
      if (seen.has(target)) return;
      seen.add(target);
      files.push({ path: abs, relPath: rel });
      return;
    }
    // Folders below a given path are never followed through links, so a listed file's real path is the given
    // folder's real path joined with the rest; only explicitly given files need a realpath call.
    let real = realBase !== undefined && base !== undefined ? path.join(realBase, path.relative(base, abs)) : abs;
    if (realBase === undefined) {
      try {
        real = fs.realpathSync(abs);
      } catch {
        // unreadable parents are reported when the file is read
      }
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (!explicit || SOURCE_EXTENSIONS.includes(path.extname(abs).toLowerCase())) files.push({ path: abs, relPath: rel });
  }

  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, notifications };
}
