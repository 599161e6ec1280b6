import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RouteInventory } from '../core/inventory.js';
import { diffRouteInventories, formatRouteDiffJson, formatRouteDiffMarkdown, formatRouteDiffText, type RouteDiff } from '../report/route-diff.js';
import { resolveScanPaths, runAnalysis, type LoadOptions } from './analysis.js';
import { getCheckoutRoot, resolveCommit, runGit } from './changed.js';
import { UsageError } from './formats.js';
import type { CliIo } from './io.js';

const EMPTY: RouteInventory = { routes: [], summary: { total: 0, authenticated: 0, optional: 0, unknown: 0, unauthenticated: 0 } };

/** Reads an inventory written by `authlint routes --format json`. */
export function readInventoryFile(file: string, cwd: string): RouteInventory {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new UsageError(`--compare ${file}: ${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message)}`);
  }
  const inventory = data as Partial<RouteInventory> & { version?: unknown };
  if (typeof inventory !== 'object' || inventory === null || inventory.version !== 1 || !Array.isArray(inventory.routes)) {
    throw new UsageError(`--compare ${file}: not a route inventory (the output of authlint routes --format json, version 1)`);
  }
  const bad = inventory.routes.findIndex((r: unknown) => {
    const row = r as Record<string, unknown> | null;
    return typeof row !== 'object' || row === null || typeof row['method'] !== 'string' || typeof row['path'] !== 'string' || typeof row['authentication'] !== 'string';
  });
  if (bad !== -1) throw new UsageError(`--compare ${file}: routes[${bad}] needs method, path and authentication`);
  return { routes: inventory.routes, summary: inventory.summary ?? EMPTY.summary };
}

/**
 * Writes the tree of `commit` below `subdir` into `dest` through a private index file, so the
 * repository's own index, work tree and worktree list are left alone.
 */
function exportTree(checkout: string, commit: string, subdir: string, dest: string): void {
  const purpose = '--compare';
  const env = { ...process.env, GIT_INDEX_FILE: path.join(dest, '.authlint-index') };
  if (runGit(checkout, ['read-tree', commit], purpose, env) === undefined) throw new UsageError(`--compare: git cannot read the tree of ${commit}`);
  const prefix = `${path.join(dest, 'tree')}${path.sep}`;
  const args = subdir === '' ? ['checkout-index', '-a', '-f', `--prefix=${prefix}`] : ['checkout-index', '-f', `--prefix=${prefix}`, '--stdin', '-z'];
  const input = subdir === '' ? undefined : runGit(checkout, ['ls-files', '-z', '--', subdir], purpose, env);
  if (runGit(checkout, args, purpose, env, input) === undefined) throw new UsageError(`--compare: git cannot write the files of ${commit}`);
}

/** What `--compare` names: an inventory file (read at once) or a commit; checked before the current tree is analysed. */
export type CompareBase = { name: string; inventory: RouteInventory } | { name: string; checkout: string; commit: string; root: string };

export function resolveCompareBase(io: CliIo, target: string | undefined, base: string): CompareBase {
  if (isInventoryFile(base, io.cwd)) return { name: base, inventory: readInventoryFile(base, io.cwd) };
  const { root } = resolveScanPaths(io, target ? [target] : []);
  const checkout = getCheckoutRoot(root, '--compare');
  return { name: base, checkout, commit: resolveCommit(checkout, base, '--compare'), root };
}

/** The route inventory of the same folder at a commit, analysed from a temporary copy of that commit. */
async function getInventoryAtCommit(io: CliIo, base: Extract<CompareBase, { commit: string }>, options: LoadOptions): Promise<RouteInventory> {
  const { checkout, commit } = base;
  const subdir = path.relative(checkout, fs.realpathSync(base.root)).split(path.sep).join('/');
  const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-compare-')));
  try {
    exportTree(checkout, commit, subdir, temp);
    const baseRoot = path.join(temp, 'tree', subdir);
    if (!fs.existsSync(baseRoot)) return EMPTY;
    let config = options.config !== undefined ? path.resolve(io.cwd, options.config) : undefined;
    if (config !== undefined && fs.existsSync(config)) {
      const inCheckout = path.relative(checkout, fs.realpathSync(config));
      const atBase = path.join(temp, 'tree', inCheckout);
      // The configuration as it was at the commit when it lives in the repository; otherwise the one given.
      if (!inCheckout.startsWith('..') && fs.existsSync(atBase)) config = atBase;
    }
    const { inventory } = await runAnalysis({ ...io, cwd: baseRoot }, ['.'], { ...options, ...(config !== undefined ? { config } : {}), progress: false, cache: false }, 'routes');
    return inventory ?? EMPTY;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Whether `--compare` names an inventory file rather than a git ref. */
function isInventoryFile(base: string, cwd: string): boolean {
  return base.endsWith('.json') && fs.statSync(path.resolve(cwd, base), { throwIfNoEntry: false })?.isFile() === true;
}

export async function compareRoutes(io: CliIo, base: CompareBase, head: RouteInventory, options: LoadOptions): Promise<RouteDiff> {
  const before = 'inventory' in base ? base.inventory : await getInventoryAtCommit(io, base, options);
  return diffRouteInventories(before, head, base.name);
}

export function formatRouteDiff(diff: RouteDiff, format: 'table' | 'json' | 'markdown'): string {
  return format === 'json' ? formatRouteDiffJson(diff) : format === 'markdown' ? formatRouteDiffMarkdown(diff) : formatRouteDiffText(diff);
}
