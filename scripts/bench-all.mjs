#!/usr/bin/env node
/**
 * `npm run bench`: the scan benchmark (scripts/bench.mjs), then the editor (bench-eslint.mjs) and posture
 * (bench-posture.mjs) benchmarks. Arguments go to scripts/bench.mjs; with `--repo PATH` (a real checkout) only
 * that benchmark runs.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const steps = [['--expose-gc', path.join(here, 'bench.mjs'), ...args]];
if (!args.includes('--repo')) steps.push([path.join(here, 'bench-eslint.mjs')], [path.join(here, 'bench-posture.mjs')]);
for (const step of steps) {
  const run = spawnSync(process.execPath, step, { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
