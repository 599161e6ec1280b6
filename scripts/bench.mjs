#!/usr/bin/env node
/**
 * `npm run bench`: scans generated monorepos of ~100k and ~1M lines and compares the full scan
 * with the parse-only floor (read + ts.createSourceFile with parent pointers, nothing else) of
 * the same files. Every measurement runs in its own child process so peak RSS is clean.
 *
 *   node --expose-gc scripts/bench.mjs [--sizes 100k,1m] [--runs N] [--no-write] [--profile]
 *   node --expose-gc scripts/bench.mjs --repo PATH [--runs N] [--scan-args '--jobs 2'] [--no-write] [--profile]
 *
 * --repo PATH  measure a real checkout instead of the generated monorepos: the CLI (`authlint scan PATH --format json`,
 *              module loading and the scan thread included) against the single-thread parse floor of the same files
 *              (read + ts.createSourceFile, each tree dropped after parsing), run back to back in alternating order;
 *              reports wall and CPU seconds, cores used (CPU seconds over wall seconds) and peak RSS of each, and the
 *              median and range of the per-run ratios. Results go to docs/performance.md between marks named after
 *              the folder.
 * --scan-args  extra CLI arguments for the --repo scan (split on spaces)
 *              --repo also measures the scan cache on a copy of the checkout in a temporary folder (the checkout itself
 *              is never written): per run a cold scan with `--cache-location` (the cache removed first: a full scan
 *              that writes it), the same scan again (nothing changed: the output comes from the cache), and a scan
 *              after one line is appended to one route file (a miss of the whole output: discover, read and hash,
 *              then only the rule runs whose reads the edit changed run again); reported with the ratios to the cold
 *              scan of the same run. --edit-file REL edits that file of the checkout instead of the first route file.
 *              --no-cache-bench leaves it out; --cache-only measures only the cache (no scan/floor pairs).
 * --runs N     measurement pairs per size (default 5, and 3 for the million-line repo); medians are reported,
 *              plus the median and range of the per-run scan/floor ratios (floor and scan back to back)
 *
 * --no-write   print only; do not update docs/performance.md
 * --profile    also run the scan of the largest size under --cpu-prof and summarise where time goes
 *              (profile written to .bench/profiles/)
 *
 * Internal: --child floor|floor-drop|scan|cli --dir D runs one measurement and prints one JSON line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const DOC = path.join(ROOT, 'docs', 'performance.md');
const SELF = fileURLToPath(import.meta.url);
const START_MARK = '<!-- bench:start (written by npm run bench; edit outside these marks) -->';
const END_MARK = '<!-- bench:end -->';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};

function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size '${text}' (use e.g. 100k or 1m)`);
  return Math.round(Number(match[1]) * { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase()]);
}

// ---------------------------------------------------------------------------------------------
// Child measurements

async function importDist(rel) {
  return import(pathToFileURL(path.join(ROOT, 'dist', rel)).href);
}

async function listFiles(dir) {
  const { discoverFiles } = await importDist('src/core/discover.js');
  return discoverFiles({ root: dir, paths: [dir] }).files.map((f) => f.path);
}

/** User + system CPU seconds of this process (all its threads) since `from`: robust to a busy machine. */
function cpuSince(from) {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function peakRss() {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * The parse-only floor: read + parse of every file on one thread with parent pointers. `keepTrees` keeps every tree,
 * as the scan does, so RSS is comparable (the synthetic repos); without it each tree is dropped after parsing (the
 * floor of the issue's table for a real checkout).
 */
async function childFloor(dir, { keepTrees }) {
  const { ts } = await import('@ts-morph/common');
  const files = await listFiles(dir);
  const kinds = { '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX, '.jsx': ts.ScriptKind.JSX };
  globalThis.gc?.();
  const keep = [];
  let lines = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kinds[path.extname(file)] ?? ts.ScriptKind.JS);
    lines += sourceFile.getLineStarts().length - (/\r?\n$|\r$/.test(text) || text === '' ? 1 : 0); // as the scan counts
    if (keepTrees) keep.push(sourceFile);
  }
  const seconds = (performance.now() - started) / 1000;
  return { files: files.length, lines, seconds, cpuSeconds: cpuSince(cpu), rss: peakRss() };
}

/**
 * `authlint scan DIR --format json` as a user runs it, in this process so that its CPU time (every thread) and peak RSS
 * can be read: from process start (module loading, the scan thread's start-up) to the written report.
 */
async function childCli(dir, extra) {
  const out = path.join(os.tmpdir(), `authlint-bench-${process.pid}.json`);
  const { main } = await importDist('src/cli/main.js');
  const code = await main(['scan', dir, '--format', 'json', '--output', out, '--fail-on', 'none', '--no-progress', ...extra]);
  const seconds = performance.now() / 1000; // since this process started
  const used = process.cpuUsage();
  const cpuSeconds = (used.user + used.system) / 1e6;
  let report;
  try {
    report = JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(out, { force: true });
  }
  if (code !== 0) throw new Error(`authlint scan exited with ${code}`);
  const byRule = {};
  for (const f of report.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return {
    files: report.summary.files,
    lines: report.summary.lines,
    seconds,
    cpuSeconds,
    rss: peakRss(),
    findings: report.findings.length,
    byRule,
    notifications: report.notifications.length,
  };
}

async function childScan(dir) {
  let mod;
  try {
    mod = await importDist('src/index.js');
  } catch {
    mod = await importDist('src/scan.js');
  }
  globalThis.gc?.();
  const marks = {};
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = mod.scan({
    root: dir,
    onProgress(progress) {
      if (progress.phase === 'analyze' && marks.analyze === undefined) marks.analyze = performance.now();
      if (progress.phase === 'project' && marks.project === undefined) marks.project = performance.now();
    },
  });
  const ended = performance.now();
  const cpuSeconds = cpuSince(cpu);
  const byRule = {};
  for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const ruleErrors = result.notifications.filter((n) => n.kind === 'rule-error');
  const analyze = marks.analyze ?? ended;
  const project = marks.project ?? ended;
  return {
    files: result.filesScanned,
    lines: result.linesScanned,
    seconds: (ended - started) / 1000,
    cpuSeconds,
    phases: { load: (analyze - started) / 1000, fileRules: (project - analyze) / 1000, projectRules: (ended - project) / 1000 },
    rules: result.rules.length,
    findings: result.findings.length,
    byRule,
    ruleErrors: ruleErrors.slice(0, 5).map((n) => n.message),
    ruleErrorCount: ruleErrors.length,
    rss: peakRss(),
  };
}

// ---------------------------------------------------------------------------------------------
// Parent

function newestMtime(dir, test) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !test(entry.name)) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const built = path.join(ROOT, 'dist', 'src', 'scan.js');
  const builtAt = fs.existsSync(built) ? Math.min(fs.statSync(built).mtimeMs, fs.statSync(path.join(ROOT, 'dist', 'rules', 'index.js')).mtimeMs) : 0;
  const isTs = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');
  const sourceAt = Math.max(newestMtime(path.join(ROOT, 'src'), isTs), newestMtime(path.join(ROOT, 'rules'), isTs), fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs);
  if (builtAt >= sourceAt) return 'up to date';
  console.error('dist/ is missing or older than src/ and rules/: npm run build');
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status === 0) return 'rebuilt';
  if (fs.existsSync(built)) {
    console.error('warning: the build reported errors; measuring whatever dist/ holds now');
    return 'build reported errors';
  }
  console.error('error: could not build dist/');
  process.exit(1);
}

async function ensureMonorepo(lines) {
  const { existingMonorepo, writeMonorepo } = await import('./gen-monorepo.mjs');
  const label = lines >= 1_000_000 ? `${lines / 1_000_000}m` : `${Math.round(lines / 1000)}k`;
  const out = path.join(BENCH_DIR, `mono-${label}`);
  let meta = existingMonorepo({ lines, out });
  if (!meta) {
    console.error(`generating ${path.relative(ROOT, out)} (~${lines} lines)…`);
    meta = writeMonorepo({ lines, out });
  }
  return { label, out, meta };
}

function runChild(kind, dir, extraNodeArgs = [], extraArgs = []) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', ...extraNodeArgs, SELF, '--child', kind, '--dir', dir, ...extraArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    throw new Error(`${kind} child failed (${child.status}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop();
  return JSON.parse(line);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtSec = (n) => n.toFixed(2);
const fmtMb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;

function machine() {
  const cpus = os.cpus();
  let tsVersion = '?';
  try {
    tsVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'ts-morph', 'package.json'), 'utf8')).version;
  } catch {
    // informative only
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}`,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    tsMorph: tsVersion,
    commit,
  };
}

function summariseProfile(file) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  const bucketOf = (frame) => {
    const url = frame.url;
    if (!url) return frame.functionName.startsWith('(') ? frame.functionName : undefined;
    if (url.includes('typescript.js')) return 'typescript (parser/scanner/utilities)';
    const rule = /\/dist\/rules\/([^/]+)\.js$/.exec(url);
    if (rule) return `rule ${rule[1]}`;
    const own = /\/dist\/(src\/.+)\.js$/.exec(url);
    if (own) return own[1];
    if (url.includes('node_modules')) return `dep ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]}`;
    if (url.startsWith('node:')) return 'node internals';
    return undefined;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const node = byId.get(id);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const bucket = bucketOf(byId.get(cur).callFrame);
      if (bucket && !seen.has(bucket)) {
        seen.add(bucket);
        inclusive.set(bucket, (inclusive.get(bucket) ?? 0) + delta);
      }
    }
  }
  const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nCPU profile ${path.relative(ROOT, file)}: ${(total / 1e6).toFixed(2)} s sampled`);
  console.log('\nInclusive time by module (a sample counts once per module on its stack):');
  for (const [k, v] of top(inclusive, 40)) console.log(`  ${(v / 1e6).toFixed(2).padStart(7)} s  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  console.log('\nSelf time by function:');
  for (const [k, v] of top(self, 30)) console.log(`  ${(v / 1e6).toFixed(2).padStart(7)} s  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}

function updateDoc(block, [startMark, endMark] = [START_MARK, END_MARK]) {
  let text = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Performance\n\n## Scan speed\n\n## Editor cost\n\n';
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark);
  if (start !== -1 && end > start) {
    text = text.slice(0, start) + block + text.slice(end + endMark.length);
  } else {
    const heading = text.indexOf('## Scan speed');
    const insertAt = heading === -1 ? text.length : text.indexOf('\n', heading) + 1;
    text = `${text.slice(0, insertAt)}\n${block}\n${text.slice(insertAt)}`;
  }
  fs.writeFileSync(DOC, text);
}

/** `--repo PATH`: the CLI against the tree-dropping parse floor on a real checkout, pairs back to back. */
async function benchRepo(dir) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`error: --repo ${dir}: not a folder`);
    process.exit(2);
  }
  const label = path.basename(dir);
  const scanArgs = option('--scan-args', '');
  const passArgs = scanArgs ? ['--scan-args', scanArgs] : [];
  const runs = Math.max(1, Number(option('--runs', 5)));
  const build = ensureBuilt();
  const floors = [];
  const scans = [];
  for (let r = 0; r < (flag('--cache-only') ? 0 : runs); r++) {
    process.stderr.write(`${label}: run ${r + 1}/${runs} `);
    const order = r % 2 === 0 ? ['floor-drop', 'cli'] : ['cli', 'floor-drop'];
    for (const kind of order) {
      const result = runChild(kind, dir, [], kind === 'cli' ? passArgs : []);
      (kind === 'cli' ? scans : floors).push(result);
      process.stderr.write(`${kind === 'cli' ? 'scan' : 'floor'} ${fmtSec(result.seconds)} s (CPU ${fmtSec(result.cpuSeconds)}, ${fmtMb(result.rss)})${kind === order[0] ? ', ' : ''}`);
    }
    process.stderr.write(`, ratio ${(scans.at(-1).seconds / floors.at(-1).seconds).toFixed(2)}×\n`);
  }
  const paired = floors.map((f, i) => scans[i].seconds / f.seconds);
  // CPU seconds are disturbed less than wall seconds when other work shares the cores.
  const pairedCpu = floors.map((f, i) => scans[i].cpuSeconds / f.cpuSeconds);
  const cores = (list) => median(list.map((x) => x.cpuSeconds / x.seconds));
  const row = (name, list) => {
    const sec = median(list.map((x) => x.seconds));
    const cpu = median(list.map((x) => x.cpuSeconds));
    const rss = list.map((x) => x.rss);
    return `| ${label} | ${fmtInt(list[0].files)} | ${fmtInt(list[0].lines)} | ${name} | ${fmtSec(sec)} (${fmtSec(Math.min(...list.map((x) => x.seconds)))}–${fmtSec(Math.max(...list.map((x) => x.seconds)))}) | ${fmtSec(cpu)} | ${cores(list).toFixed(2)} | ${fmtMb(median(rss))} (max ${fmtMb(Math.max(...rss))}) |`;
  };
  const m = machine();
  const cacheOnly = flag('--cache-only');
  const last = scans.at(-1);
  const lines = cacheOnly ? benchCache(dir, label, scanArgs, runs, row) : [
    `| repo | files | lines | | wall s: median (range) | CPU s | cores used (CPU / wall) | peak RSS: median (max) |`,
    '|---|---:|---:|---|---:|---:|---:|---:|',
    row('parse floor (1 thread, trees dropped)', floors),
    row(`\`authlint scan${scanArgs ? ` ${scanArgs}` : ''}\``, scans),
    '',
    `Per-run scan / floor: wall median **${median(paired).toFixed(2)}×** (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}), CPU median ${median(pairedCpu).toFixed(2)}× (${Math.min(...pairedCpu).toFixed(2)}–${Math.max(...pairedCpu).toFixed(2)}) over ${runs} pair${runs === 1 ? '' : 's'}; ${fmtInt(last.findings)} findings, ${last.notifications} notifications.`,
  ];
  if (!cacheOnly && !flag('--no-cache-bench')) lines.push('', ...benchCache(dir, label, scanArgs, runs, row));
  const header = `Measured with \`npm run bench -- --repo ${label}${scanArgs ? ` --scan-args '${scanArgs}'` : ''}${cacheOnly ? ' --cache-only' : ''}\` at commit \`${m.commit}\` on ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.`;
  console.log(`\nMachine: ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}, commit ${m.commit}, dist ${build}\n`);
  console.log(lines.join('\n'));
  if (!flag('--no-write')) {
    const name = `${cacheOnly ? 'bench-cache' : 'bench-repo'} ${label}`;
    const marks = [`<!-- ${name}:start (written by npm run bench -- --repo${cacheOnly ? ' --cache-only' : ''}; edit outside these marks) -->`, `<!-- ${name}:end -->`];
    updateDoc([marks[0], '', header, '', ...lines, '', marks[1]].join('\n'), marks);
    console.log(`\nupdated ${path.relative(ROOT, DOC)}`);
  }
  if (flag('--profile')) {
    const profileDir = path.join(BENCH_DIR, 'profiles');
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
    console.error(`profiling the scan of ${label}…`);
    runChild('cli', dir, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500'], passArgs);
    // One profile per thread: summarise each, the scan threads' first (largest).
    const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    files.sort((a, b) => fs.statSync(path.join(profileDir, b)).size - fs.statSync(path.join(profileDir, a)).size);
    for (const file of files) summariseProfile(path.join(profileDir, file));
  }
}

/** The first route file (controller, routes, router) in path order, else the first source file: the file the rescan edits. */
function pickEditedFile(dir) {
  const files = [];
  const visit = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|js|mts|cts|mjs|cjs|tsx|jsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  visit(dir);
  files.sort();
  return files.find((f) => /(controller|routes?|router)\.[cm]?[jt]sx?$/.test(path.basename(f))) ?? files[0];
}

/** The scan cache on a copy of the checkout: cold (cache removed), unchanged (a hit) and one file edited, per run. */
function benchCache(dir, label, scanArgs, runs, row) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-bench-cache-'));
  try {
    const copy = path.join(work, label);
    process.stderr.write(`${label}: copying the checkout for the cache runs…\n`);
    fs.cpSync(dir, copy, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' && path.basename(src) !== '.git' });
    const cache = path.join(work, 'cache');
    const edited = option('--edit-file') ? path.join(copy, option('--edit-file')) : pickEditedFile(copy);
    const passArgs = ['--scan-args', `${scanArgs} --cache-location ${cache}`.trim()];
    const cold = [];
    const warm = [];
    const edit = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`${label}: cache run ${r + 1}/${runs} `);
      fs.rmSync(cache, { recursive: true, force: true });
      cold.push(runChild('cli', copy, [], passArgs));
      warm.push(runChild('cli', copy, [], passArgs));
      fs.appendFileSync(edited, `\n// edited by the benchmark (${r + 1})\n`);
      edit.push(runChild('cli', copy, [], passArgs));
      process.stderr.write(`cold ${fmtSec(cold.at(-1).seconds)} s, unchanged ${fmtSec(warm.at(-1).seconds)} s, one file edited ${fmtSec(edit.at(-1).seconds)} s\n`);
    }
    const ratio = (list, base, key) => list.map((x, i) => x[key] / base[i][key]);
    const describe = (name, list) => {
      const wall = ratio(list, cold, 'seconds');
      const cpu = ratio(list, cold, 'cpuSeconds');
      return `${name} / cold, per run: wall median **${median(wall).toFixed(3)}×** (${Math.min(...wall).toFixed(3)}–${Math.max(...wall).toFixed(3)}), CPU median ${median(cpu).toFixed(3)}× (${Math.min(...cpu).toFixed(3)}–${Math.max(...cpu).toFixed(3)})`;
    };
    const same = [...warm, ...edit].every((x) => x.findings === cold[0].findings && x.notifications === cold[0].notifications);
    return [
      `The scan cache, on a copy of the checkout (\`--cache-location\` in a temporary folder; the edit appends a comment line to \`${path.relative(copy, edited).split(path.sep).join('/')}\`):`,
      '',
      `| repo | files | lines | | wall s: median (range) | CPU s | cores used (CPU / wall) | peak RSS: median (max) |`,
      '|---|---:|---:|---|---:|---:|---:|---:|',
      row('cold: no cache yet (full scan, cache written)', cold),
      row('nothing changed (output from the cache)', warm),
      row('one file edited (stored rule runs reused where their reads are unchanged)', edit),
      '',
      `${describe('Nothing changed', warm)}; ${describe('one file edited', edit)}; over ${runs} run${runs === 1 ? '' : 's'}; ${same ? 'the same number of findings and notifications in every run' : '**the findings or notifications differ between runs**'}.`,
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  if (flag('--child')) {
    const kind = option('--child');
    const dir = option('--dir');
    const extra = (option('--scan-args', '') ?? '').split(' ').filter(Boolean);
    const children = { floor: (d) => childFloor(d, { keepTrees: true }), 'floor-drop': (d) => childFloor(d, { keepTrees: false }), scan: childScan, cli: (d) => childCli(d, extra) };
    const result = await children[kind](dir);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (option('--repo')) {
    await benchRepo(path.resolve(option('--repo')));
    return;
  }
  const sizes = option('--sizes', '100k,1m').split(',').map(parseSize);
  // Five runs per size by default, three for the million-line repo (under a minute per run).
  const runsFor = (lines) => Math.max(1, Number(option('--runs', lines >= 1_000_000 ? 3 : 5)));
  const build = ensureBuilt();
  const rows = [];
  for (const lines of sizes) {
    const repo = await ensureMonorepo(lines);
    const floors = [];
    const scans = [];
    const runs = runsFor(lines);
    for (let r = 0; r < runs; r++) {
      // Each run measures a floor and a scan back to back, alternating which goes first, so a machine that speeds up
      // or slows down (shared VMs do, by tens of percent) affects both sides of a run's ratio alike.
      process.stderr.write(`${repo.label}: run ${r + 1}/${runs} `);
      const order = r % 2 === 0 ? ['floor', 'scan'] : ['scan', 'floor'];
      for (const kind of order) {
        const result = runChild(kind, repo.out);
        (kind === 'floor' ? floors : scans).push(result);
        process.stderr.write(`${kind} ${fmtSec(result.seconds)} s (CPU ${fmtSec(result.cpuSeconds)})${kind === order[0] ? ', ' : ''}`);
      }
      process.stderr.write(`, ratio ${(scans.at(-1).seconds / floors.at(-1).seconds).toFixed(2)}×\n`);
    }
    const paired = floors.map((f, i) => scans[i].seconds / f.seconds);
    const floorSec = median(floors.map((f) => f.seconds));
    const scanSec = median(scans.map((s) => s.seconds));
    const floorCpu = median(floors.map((f) => f.cpuSeconds));
    const scanCpu = median(scans.map((s) => s.cpuSeconds));
    const last = scans.at(-1);
    rows.push({
      label: repo.label,
      files: last.files,
      lines: last.lines,
      floorFiles: floors[0].files,
      floorLines: floors[0].lines,
      floorSec,
      scanSec,
      floorCpu,
      scanCpu,
      pairedRatio: median(paired),
      pairedMin: Math.min(...paired),
      pairedMax: Math.max(...paired),
      floorRss: Math.max(...floors.map((f) => f.rss)),
      scanRss: Math.max(...scans.map((s) => s.rss)),
      phases: {
        load: median(scans.map((s) => s.phases.load)),
        fileRules: median(scans.map((s) => s.phases.fileRules)),
        projectRules: median(scans.map((s) => s.phases.projectRules)),
      },
      runs,
      rules: last.rules,
      findings: last.findings,
      byRule: last.byRule,
      ruleErrorCount: last.ruleErrorCount,
      ruleErrors: last.ruleErrors,
    });
  }

  const m = machine();
  const table = [
    '| repo | files | lines | | seconds (wall) | CPU seconds | lines/s (wall) | peak RSS | scan / floor (wall) | scan / floor (CPU) | per-run ratio: median (range) |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap((r) => [
      `| ${r.label} | ${fmtInt(r.floorFiles)} | ${fmtInt(r.floorLines)} | parse floor | ${fmtSec(r.floorSec)} | ${fmtSec(r.floorCpu)} | ${fmtInt(r.floorLines / r.floorSec)} | ${fmtMb(r.floorRss)} | | | |`,
      `| ${r.label} | ${fmtInt(r.files)} | ${fmtInt(r.lines)} | full scan | ${fmtSec(r.scanSec)} | ${fmtSec(r.scanCpu)} | ${fmtInt(r.lines / r.scanSec)} | ${fmtMb(r.scanRss)} | **${(r.scanSec / r.floorSec).toFixed(2)}×** | **${(r.scanCpu / r.floorCpu).toFixed(2)}×** | **${r.pairedRatio.toFixed(2)}×** (${r.pairedMin.toFixed(2)}–${r.pairedMax.toFixed(2)}) |`,
    ]),
  ];
  const phases = [
    '| repo | discover + read + parse (+ parent/index walk) s | file rules s | project rules + finalize s | rules | findings | rule errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fmtSec(r.phases.load)} | ${fmtSec(r.phases.fileRules)} | ${fmtSec(r.phases.projectRules)} | ${r.rules} | ${fmtInt(r.findings)} | ${r.ruleErrorCount} |`,
    ),
  ];
  console.log(`\nMachine: ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}, ts-morph ${m.tsMorph}, commit ${m.commit}, dist ${build}`);
  console.log(`Median of ${rows.map((r) => `${r.runs} run(s) for ${r.label}`).join(', ')}; peak RSS is the maximum over the runs, each in its own process; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.\n`);
  console.log(table.join('\n'));
  console.log('');
  console.log(phases.join('\n'));
  for (const r of rows) {
    if (r.floorLines !== r.lines) console.log(`note: ${r.label}: floor parsed ${r.floorLines} lines, scan reported ${r.lines}`);
    const counts = Object.entries(r.byRule).sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ');
    console.log(`${r.label} findings by rule: ${counts || 'none'}`);
    for (const e of r.ruleErrors) console.log(`  rule error: ${e}`);
  }

  if (!flag('--no-write')) {
    const block = [
      START_MARK,
      '',
      `Measured with \`npm run bench\` at commit \`${m.commit}\` on ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}, ts-morph ${m.tsMorph}.`,
      `Median of ${rows.map((r) => `${r.runs} run${r.runs === 1 ? '' : 's'} for ${r.label}`).join(', ')}; peak RSS is the maximum over the runs (each measurement in its own process). Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (on a shared machine, judge by the per-run ratios: floor and scan run back to back).`,
      '',
      ...table,
      '',
      ...phases,
      '',
      ...rows.map((r) => {
        const counts = Object.entries(r.byRule).sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ');
        return `- ${r.label} findings by rule: ${counts || 'none'}`;
      }),
      '',
      END_MARK,
    ].join('\n');
    updateDoc(block);
    console.log(`\nupdated ${path.relative(ROOT, DOC)}`);
  }

  if (flag('--profile')) {
    const largest = rows.at(-1);
    const repo = await ensureMonorepo(sizes.at(-1));
    const profileDir = path.join(BENCH_DIR, 'profiles');
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
    console.error(`profiling the scan of ${largest.label}…`);
    runChild('scan', repo.out, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500']);
    const [file] = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    if (file) summariseProfile(path.join(profileDir, file));
  }
}

if (flag('--summarise')) {
  summariseProfile(path.resolve(option('--summarise')));
} else {
  await main();
}
