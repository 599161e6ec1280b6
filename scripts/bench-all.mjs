#!/usr/bin/env node
/**
 * `npm run bench`: the scan benchmark (scripts/bench.mjs), then the editor (bench-eslint.mjs) and posture
 * (bench-posture.mjs) benchmarks. Arguments go to scripts/bench.mjs; with `--repo PATH` (a real checkout) the scan
 * benchmark and the editor benchmark run on that checkout (the editor one gets --repo, --no-write when given, and
 * --editor-runs N as its --runs), and the posture benchmark, which generates its own reports, is left out. To measure
 * only the scan: node --expose-gc scripts/bench.mjs --repo PATH.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repo = option('--repo');
const editorRuns = option('--editor-runs');
const scanArgs = args.filter((a, i) => a !== '--editor-runs' && args[i - 1] !== '--editor-runs');
const steps = [['--expose-gc', path.join(here, 'bench.mjs'), ...scanArgs]];
if (repo === undefined) steps.push([path.join(here, 'bench-eslint.mjs')], [path.join(here, 'bench-posture.mjs')]);
else {
  const editorArgs = ['--repo', repo, ...(args.includes('--no-write') ? ['--no-write'] : []), ...(editorRuns ? ['--runs', editorRuns] : [])];
  steps.push([path.join(here, 'bench-eslint.mjs'), ...editorArgs]);
}
for (const step of steps) {
  const run = spawnSync(process.execPath, step, { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
