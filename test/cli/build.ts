import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isBuildStale(): boolean {
  const built = fs.statSync(path.join(REPO, 'dist/src/cli/main.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return Math.max(newestSourceTime(path.join(REPO, 'src')), newestSourceTime(path.join(REPO, 'rules'))) > built;
}

/** Tests that run bin/authlint.js need the compiled code (`npm run build`, which CI runs first); rebuild when sources are newer. */
export function ensureBuilt(): void {
  // tsc still emits when another work-in-progress file has type errors.
  if (isBuildStale()) {
    spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'ignore' });
  }
  if (!fs.existsSync(path.join(REPO, 'dist/src/cli/main.js'))) throw new Error('npm run build did not produce dist/src/cli/main.js');
}
