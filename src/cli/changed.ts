import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/types.js';
import { UsageError } from './formats.js';
import type { RouteDependency } from './run-scan.js';

/** Runs git in `cwd` and returns its standard output; undefined when git fails. Throws a UsageError when git is missing. */
export function runGit(cwd: string, args: readonly string[], purpose: string, env?: NodeJS.ProcessEnv, input?: string): string | undefined {
  try {
    return execFileSync('git', [...args], {
      cwd,
      encoding: 'utf8',
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      ...(env ? { env } : {}),
      ...(input !== undefined ? { input } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${purpose} needs git, which is not installed or not on PATH`);
    return undefined;
  }
}

/** The top folder of the git checkout that contains `dir`. */
export function getCheckoutRoot(dir: string, purpose: string): string {
  const top = runGit(dir, ['rev-parse', '--show-toplevel'], purpose)?.trim();
  if (!top) throw new UsageError(`${purpose} needs a git checkout, and ${dir} is not inside one`);
  return path.resolve(top);
}

/** The commit a ref names, or a UsageError saying it is unknown (with the shallow-clone hint CI users need). */
export function resolveCommit(checkout: string, ref: string, purpose: string): string {
  const sha = ref.startsWith('-') ? undefined : runGit(checkout, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], purpose)?.trim();
  if (!sha) {
    throw new UsageError(
      `${purpose}: unknown git ref '${ref}' (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`,
    );
  }
  return sha;
}

function splitNul(output: string | undefined): string[] {
  return (output ?? '').split('\0').filter((p) => p !== '');
}

/**
 * Files changed since `ref`, relative to `root` with POSIX separators: what `git diff --name-only
 * REF...HEAD` lists (the changes of this branch since it left REF) plus staged, unstaged and
 * untracked files. Files outside `root` are left out.
 */
export function getChangedFiles(root: string, ref: string): Set<string> {
  const purpose = '--changed-since';
  const checkout = getCheckoutRoot(root, purpose);
  resolveCommit(checkout, ref, purpose);
  const branch = runGit(checkout, ['diff', '--name-only', '-z', '--no-renames', `${ref}...HEAD`, '--'], purpose);
  if (branch === undefined) {
    throw new UsageError(`${purpose}: git finds no common ancestor of '${ref}' and HEAD (a shallow clone? fetch with fetch-depth: 0)`);
  }
  const uncommitted = runGit(checkout, ['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--'], purpose);
  const untracked = runGit(checkout, ['ls-files', '--others', '--exclude-standard', '--full-name', '-z'], purpose);
  const realRoot = fs.realpathSync(root);
  const changed = new Set<string>();
  for (const file of [...splitNul(branch), ...splitNul(uncommitted), ...splitNul(untracked)]) {
    const rel = path.relative(realRoot, path.join(checkout, file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    changed.add(rel.split(path.sep).join('/'));
  }
  return changed;
}

/**
 * Whether a finding concerns the change: its location or a related location is in a changed file, or
 * it is reported on a route whose registration, mounts, chain steps or step definitions are.
 */
export function touchesChangedFiles(finding: Finding, changed: ReadonlySet<string>, routes: ReadonlyMap<string, readonly string[]>): boolean {
  if (changed.has(finding.file)) return true;
  if ((finding.related ?? []).some((r) => changed.has(r.file))) return true;
  return (routes.get(`${finding.file}:${finding.start}`) ?? []).some((f) => changed.has(f));
}

export function indexRouteDependencies(dependencies: readonly RouteDependency[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const d of dependencies) {
    const key = `${d.file}:${d.start}`;
    index.set(key, [...(index.get(key) ?? []), ...d.files]);
  }
  return index;
}
