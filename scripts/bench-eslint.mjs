#!/usr/bin/env node
/**
 * Editor cost of eslint-plugin-authlint: what authlint adds to ESLint in an editor session.
 *
 *   node scripts/bench-eslint.mjs [--lines 100000] [--runs 20] [--no-write]
 *
 * On a generated monorepo (scripts/gen-monorepo.mjs, into .bench/eslint-mono-<lines>) plus one
 * 1,000-line route module written into its first service, each measurement runs in its own child
 * process (modules loaded before timing starts):
 *   - warm lint of the 1,000-line file: the project is already built; re-lint of unchanged text
 *     (cache hit) and re-lint after an edit (what every keystroke costs), median of --runs;
 *   - first lint of a project: the first file linted in a fresh process, which builds the project
 *     around it: the service (nearest package.json, the default) and the whole monorepo
 *     (settings.authlint.root = the repository root, as `authlint scan` of the root sees it);
 *     then the rest of the project's files in the same process, per file.
 * Times are CPU milliseconds of the child process (steadier than wall time on a shared machine).
 * Every figure is also measured with the same ESLint setup without authlint's rules (parser only),
 * so the difference is authlint's own cost. Results go to docs/performance.md, section "Editor cost",
 * between the bench-eslint marks (--no-write: print only).
 *
 *
 *   node scripts/bench-eslint.mjs --repo PATH [--file REL] [--runs 20] [--no-write]
 *
 * On a real checkout (never modified): a TypeScript file of 1,000–1,400 lines (--file, else the one closest to
 * 1,200 lines), linted by ESLint with and without authlint in a fresh process per measurement:
 *   - cold: the first lint of the file, which builds the project around it;
 *   - per edit: --runs one-character edits (a character typed into a string literal near the middle of the file,
 *     each edit a new text), each linted as an editor's ESLint server does; wall and CPU time, median and p90;
 * once with the package around the file as the project (the default root) and once with the repository root
 * (settings.authlint.root), plus `authlint scan` of both folders for comparison with the cold lint. Results go to
 * docs/performance.md between the bench-eslint-repo marks.
 *
 *
 *   node scripts/bench-eslint.mjs --repo PATH --sample [--package REL] [--every 9] [--also REL,…] [--edits 8] [--keep 6]
 *                                 [--pairs 1] [--root] [--json OUT] [--cpu-profile OUT]
 *   node scripts/bench-eslint.mjs --repo PATH --files REL,REL,… [same options]
 *
 * Per-keystroke cost over a sample of files (issue 14's editor target, round 7's method). The sample: every --every-th
 * `*.service.ts` or `*.controller.ts` directly in a folder of `<package>/src/lib/` in name order (the 9th, 18th, …),
 * files with no string literal to type into left out, plus --also (default: ever-gauzy's invite.service.ts when it
 * exists); or the files named by --files. In one ESLint process (the package as the project, or the repository root
 * with --root), each file is linted once, then --edits one-character edits are typed into a string near its middle, each
 * a new text; the file's figure is the median CPU and wall time of the last --keep edits. ESLint with the parser alone
 * is measured the same way; authlint's added cost is the difference. --pairs N runs both N times, alternated, and
 * keeps each file's smallest median. Prints a per-file table and the median, 90th percentile and worst file; --json
 * writes the raw figures. Nothing is written to docs/. --cpu-profile OUT instead runs authlint once and writes, per file,
 * a CPU profile of the edits whose median is taken (OUT-01.cpuprofile, OUT-02…).
 *
 *   node scripts/bench-eslint.mjs --repo PATH --equiv --files REL,… [--package REL] [--root]
 *
 * Equivalence of the editor's reuse: one long-lived plugin lints a chain of cumulative edits of each file (characters
 * typed into a string, comment lines added on top, which moves every span, an import added, a guard decorator removed,
 * an export added, with typing between them); after each, a fresh plugin lints the same buffer, and every difference
 * in the reported messages is printed. Exits 1 when there is one.
 *
 * Internal: --child warm|first|edits|sample|equiv --dir D --file F [--root R] runs one measurement, prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const DOC = path.join(ROOT, 'docs', 'performance.md');
const START_MARK = '<!-- bench-eslint:start (written by node scripts/bench-eslint.mjs; edit outside these marks) -->';
const END_MARK = '<!-- bench-eslint:end -->';
const REPO_START_MARK = '<!-- bench-eslint-repo:start (written by node scripts/bench-eslint.mjs --repo; edit outside these marks) -->';
const REPO_END_MARK = '<!-- bench-eslint-repo:end -->';
const LARGE_FILE = 'src/routes/bench-large-routes.ts';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which 90 % of the values lie (nearest rank). */
function p90(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// Child measurements

async function loadEslint(withAuthlint, settings, given) {
  const { ESLint } = await import(pathToFileURL(path.join(ROOT, 'node_modules/eslint/lib/api.js')).href);
  const tsParser = (await import(pathToFileURL(path.join(ROOT, 'node_modules/@typescript-eslint/parser/dist/index.js')).href)).default;
  const espree = await import(pathToFileURL(path.join(ROOT, 'node_modules/espree/dist/espree.cjs')).href);
  const plugin = given ?? (withAuthlint ? (await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href)).default : undefined);
  return (cwd) =>
    new ESLint({
      cwd,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.{ts,tsx,mts,cts,jsx}'], languageOptions: { parser: tsParser } },
        { files: ['**/*.{js,mjs,cjs}'], languageOptions: { parser: espree } },
        ...(plugin ? [plugin.configs.all, { settings: { authlint: settings } }] : []),
      ],
    });
}

/** CPU milliseconds (user + system) of this process since `from`: steadier than wall time on a shared machine. */
function cpuMs(from) {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

function countFindings(results) {
  return results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId?.startsWith('authlint/')).length, 0);
}

async function childWarm(dir, file, runs) {
  const text = fs.readFileSync(file, 'utf8');
  const out = {};
  for (const [variant, withAuthlint, settings] of [
    ['baseline', false, {}],
    ['authlint', true, {}],
    ['reuse', true, { reuseTypeScriptAst: true }],
  ]) {
    const eslint = (await loadEslint(withAuthlint, settings))(dir);
    const first = await eslint.lintText(text, { filePath: file });
    const unchanged = [];
    const edited = [];
    for (let i = 0; i < runs; i++) {
      let t = process.cpuUsage();
      await eslint.lintText(text, { filePath: file });
      unchanged.push(cpuMs(t));
      const edit = text.replace('/orders', `/orders-${i}`);
      t = process.cpuUsage();
      await eslint.lintText(edit, { filePath: file });
      edited.push(cpuMs(t));
    }
    out[variant] = { unchanged: median(unchanged), edited: median(edited), findings: countFindings(first) };
  }
  return out;
}

/**
 * `runs` distinct one-character edits of `text`: a character typed into a string literal near the middle of the
 * file (inside a function body in a service), so every edit parses and is a new text the plugin has not seen.
 */
function oneCharacterEdits(text, runs) {
  const lines = text.split('\n');
  let offset = 0;
  const starts = lines.map((line) => ((offset += line.length + 1), offset - line.length - 1));
  const order = lines.map((_, i) => i).sort((a, b) => Math.abs(a - lines.length / 2) - Math.abs(b - lines.length / 2));
  for (const i of order) {
    const match = /(['"`])([A-Za-z][^'"`\\$]*)\1/.exec(lines[i]);
    if (!match || /^\s*(import|export|@|\/\/|\*)/.test(lines[i])) continue;
    const at = starts[i] + match.index + 1 + match[2].length;
    const typed = 'abcdefghijklmnopqrstuvwxyz';
    return Array.from({ length: runs }, (_, n) => text.slice(0, at) + typed.slice(0, (n % typed.length) + 1) + '_'.repeat(Math.floor(n / typed.length)) + text.slice(at));
  }
  throw new Error('no string literal to type into');
}

async function childEdits(dir, file, root, runs) {
  const withAuthlint = args.includes('--authlint');
  const eslint = (await loadEslint(withAuthlint, root ? { root } : {}))(dir);
  const text = fs.readFileSync(file, 'utf8');
  let t = process.cpuUsage();
  let w = performance.now();
  const first = await eslint.lintText(text, { filePath: file });
  const cold = { cpu: cpuMs(t), wall: performance.now() - w };
  const cpu = [];
  const wall = [];
  let messages = 0;
  // Per edit, what the new snapshot computed again and took over (units, answers compared one by one, facts cut off).
  const plugin = withAuthlint ? (await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href)).default : undefined;
  const snapshots = [];
  for (const edit of oneCharacterEdits(text, runs)) {
    t = process.cpuUsage();
    w = performance.now();
    const [result] = await eslint.lintText(edit, { filePath: file });
    wall.push(performance.now() - w);
    cpu.push(cpuMs(t));
    const last = plugin?.analyzer.getState(root ?? dir)?.lastSnapshotStats;
    if (last) snapshots.push({ unitsComputed: last.units ?? 0, inherited: last.inherited });
    messages = result.messages.length;
    if (result.messages.some((m) => m.fatal)) throw new Error(`edit does not parse: ${result.messages[0].message}`);
  }
  const stats = withAuthlint ? (await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href)).default.analyzer.stats : undefined;
  return { cold, cpu, wall, findings: countFindings(first), messages, stats, snapshots };
}

async function childFirst(dir, file, root) {
  const withAuthlint = args.includes('--authlint');
  const eslint = (await loadEslint(withAuthlint, root ? { root } : {}))(dir);
  const files = fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f))
    .filter((f) => f !== file)
    .sort();
  let t = process.cpuUsage();
  const firstResults = await eslint.lintFiles([file]);
  const first = cpuMs(t);
  t = process.cpuUsage();
  const rest = await eslint.lintFiles(files);
  const restMs = cpuMs(t);
  return { first, restPerFile: restMs / Math.max(files.length, 1), files: files.length + 1, findings: countFindings([...firstResults, ...rest]) };
}

/**
 * Round 7's per-file keystroke: in one process, each file linted once (the first builds the project), then `edits`
 * one-character edits typed into it; per file the median CPU and wall time of the last `keep` edits.
 */
async function childSample(dir, files, root, edits, keep) {
  const withAuthlint = args.includes('--authlint');
  const eslint = (await loadEslint(withAuthlint, root ? { root } : {}))(dir);
  const plugin = withAuthlint ? (await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href)).default : undefined;
  const out = [];
  const profile = option('--cpu-profile');
  let session;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    let t = process.cpuUsage();
    let w = performance.now();
    const [first] = await eslint.lintText(text, { filePath: file });
    const firstLint = { cpu: cpuMs(t), wall: performance.now() - w };
    const cpu = [];
    const wall = [];
    const units = [];
    for (const [n, edit] of oneCharacterEdits(text, edits).entries()) {
      if (profile && n === edits - keep) session = await startProfile();
      t = process.cpuUsage();
      w = performance.now();
      const [result] = await eslint.lintText(edit, { filePath: file });
      wall.push(performance.now() - w);
      cpu.push(cpuMs(t));
      if (result.messages.some((m) => m.fatal)) throw new Error(`${file}: edit does not parse: ${result.messages[0].message}`);
      const last = plugin?.analyzer.getState(root ?? dir)?.lastSnapshotStats;
      if (last) units.push(last.units ?? 0);
    }
    if (session) await stopProfile(session, profile.replace(/(\.cpuprofile)?$/, `-${String(out.length + 1).padStart(2, '0')}.cpuprofile`));
    session = undefined;
    out.push({
      file,
      lines: text.split('\n').length,
      first: firstLint,
      cpu: median(cpu.slice(-keep)),
      wall: median(wall.slice(-keep)),
      units: units.length > 0 ? median(units.slice(-keep)) : undefined,
      findings: countFindings([first]),
    });
  }
  return { files: out };
}

/** A CPU profile of what follows (the cold lint left out), through the inspector. */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfile(session, file) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

/** Whether oneCharacterEdits finds a string literal to type into. */
function hasStringToType(text) {
  try {
    oneCharacterEdits(text, 1);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cumulative edits of one file as a user makes them, typing between the others: characters typed into a string, comment
 * lines added on top (every span moves), a namespace import of a sibling file added (the import graph changes), the
 * first guard decorator removed, an export added. Each step is the whole new text.
 */
function editChain(file, text) {
  const steps = [];
  let current = text;
  let typed = 0;
  const step = (name, next) => {
    if (next === undefined || next === current) return;
    current = next;
    steps.push({ name, text: current });
  };
  const type = () => step(`typed '${'qrstuvwxyz'[typed % 10]}'`, typeInto(current, 'qrstuvwxyz'[typed++ % 10]));
  type();
  type();
  step('comment lines added on top', `// authlint edit check\n// moves every span\n// of the file\n${current}`);
  type();
  const sibling = fs
    .readdirSync(path.dirname(file))
    .filter((f) => /\.ts$/.test(f) && !/\.(d|spec|test)\.ts$/.test(f) && path.join(path.dirname(file), f) !== file)
    .sort()[0];
  if (sibling) step(`import of ./${sibling} added`, `import * as authlintEditProbe from './${sibling.replace(/\.ts$/, '')}';\n${current}`);
  type();
  const lines = current.split('\n');
  const guard = lines.findIndex((l) => /^\s*@UseGuards\(/.test(l) && /\)\s*$/.test(l));
  if (guard !== -1) step('guard decorator removed', [...lines.slice(0, guard), ...lines.slice(guard + 1)].join('\n'));
  type();
  step('export added', `${current.trimEnd()}\n\nexport const authlintEditProbe2 = 'probe';\n`);
  type();
  type();
  step('back to the text on disk', text);
  return steps;
}

/** `text` with `character` typed at the end of the string literal oneCharacterEdits would type into. */
function typeInto(text, character) {
  const [edit] = oneCharacterEdits(text, 1);
  let at = 0;
  while (at < text.length && text[at] === edit[at]) at++;
  return text.slice(0, at) + character + text.slice(at);
}

/** The messages ESLint reports for authlint's rules (and parse errors), one string each. */
function describeMessages(result) {
  return (result?.messages ?? []).filter((m) => m.fatal || m.ruleId?.startsWith('authlint/')).map((m) => `${m.ruleId ?? 'parse'} ${m.line}:${m.column} ${m.message}`);
}

/** One long-lived plugin against a fresh plugin after each step of editChain, for every file. */
async function childEquiv(dir, files, root) {
  const { createPlugin } = await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href);
  const api = await import(pathToFileURL(path.join(ROOT, 'dist/src/index.js')).href);
  const settings = root ? { root } : {};
  const editor = (await loadEslint(true, settings, createPlugin(api)))(dir);
  const report = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    await editor.lintText(text, { filePath: file });
    for (const { name, text: edited } of editChain(file, text)) {
      let t = process.cpuUsage();
      const [kept] = await editor.lintText(edited, { filePath: file });
      const editCpu = cpuMs(t);
      const fresh = (await loadEslint(true, settings, createPlugin(api)))(dir);
      t = process.cpuUsage();
      const [built] = await fresh.lintText(edited, { filePath: file });
      const freshCpu = cpuMs(t);
      const a = describeMessages(kept);
      const b = describeMessages(built);
      const onlyKept = a.filter((m) => !b.includes(m));
      const onlyFresh = b.filter((m) => !a.includes(m));
      const same = onlyKept.length === 0 && onlyFresh.length === 0 && a.length === b.length;
      report.push({ file, step: name, same, findings: a.length, onlyKept, onlyFresh, editCpu, freshCpu });
      process.stderr.write(`${same ? 'same' : 'DIFFERENT'}  ${path.basename(file)}: ${name} (${a.length} findings; ${editCpu.toFixed(0)} ms in the editor, ${freshCpu.toFixed(0)} ms fresh)\n`);
    }
  }
  return { steps: report };
}

// ---------------------------------------------------------------------------------------------
// Parent: build, generate, measure, write

function isStale(output, inputs) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return inputs.some((dir) =>
    fs.readdirSync(dir, { recursive: true }).some((f) => /\.ts$/.test(f) && fs.statSync(path.join(dir, f)).mtimeMs > built),
  );
}

function build() {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  if (isStale(path.join(ROOT, 'dist/src/index.js'), [path.join(ROOT, 'src'), path.join(ROOT, 'rules')])) {
    console.error('building dist/ …');
    // tsc still emits when another work-in-progress file has type errors.
    spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  }
  if (isStale(path.join(ROOT, 'eslint-plugin/dist/index.js'), [path.join(ROOT, 'eslint-plugin/src'), path.join(ROOT, 'src')])) {
    console.error('building eslint-plugin/dist/ …');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: path.join(ROOT, 'eslint-plugin'), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`eslint-plugin build failed:\n${result.stdout}${result.stderr}`);
  }
}

/** 1,000 lines of an Express router with JWT checks, in the shape the generated services use. */
function largeRouteModule() {
  const lines = ["import { Router } from 'express';", "import jwt from 'jsonwebtoken';", '', 'export const router = Router();', ''];
  for (let i = 0; lines.length < 995; i++) {
    lines.push(
      `router.get('/orders/${i}/:id', async (req, res) => {`,
      "  const header = req.headers.authorization ?? '';",
      "  const token = header.replace(/^Bearer /, '');",
      `  const claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY ?? '', { algorithms: ['RS256'], audience: 'acme-api' });`,
      `  if (typeof claims === 'string') return res.status(401).end();`,
      `  const order = { id: req.params.id, owner: claims.sub, page: ${i} };`,
      '  return res.json(order);',
      '});',
      '',
    );
  }
  while (lines.length < 999) lines.push('');
  lines.push('export default router;');
  return `${lines.join('\n')}\n`;
}

async function prepare(lines) {
  const out = path.join(ROOT, '.bench', `eslint-mono-${lines}`);
  const { existingMonorepo, writeMonorepo } = await import(pathToFileURL(path.join(ROOT, 'scripts/gen-monorepo.mjs')).href);
  if (!existingMonorepo({ lines, out })) {
    console.error(`generating ${path.relative(ROOT, out)} (~${lines} lines)…`);
    writeMonorepo({ lines, out });
  }
  const services = fs.readdirSync(path.join(out, 'services')).sort();
  const service = path.join(out, 'services', services[0]);
  const large = path.join(service, LARGE_FILE);
  fs.mkdirSync(path.dirname(large), { recursive: true });
  fs.writeFileSync(large, largeRouteModule());
  return { out, service, large };
}

function runChild(childArgs) {
  const result = spawnSync(process.execPath, ['--stack-size=8000', SELF, ...childArgs], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`child ${childArgs.join(' ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function countLines(dir) {
  let total = 0;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    if (/\.(ts|js|mjs|cjs)$/.test(f) && !f.includes('node_modules')) total += fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length;
  }
  return total;
}

const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
/** authlint's share: the difference, or "≈ 0" when it is within the noise of the two measurements. */
const added = (baseline, withAuthlint) => (withAuthlint - baseline < Math.max(1, 0.1 * baseline) ? '≈ 0' : `${ms(withAuthlint - baseline)} ms`);

async function main() {
  const child = option('--child');
  if (child === 'warm') {
    process.stdout.write(`${JSON.stringify(await childWarm(option('--dir'), option('--file'), Number(option('--runs', '20'))))}\n`);
    return;
  }
  if (child === 'first') {
    process.stdout.write(`${JSON.stringify(await childFirst(option('--dir'), option('--file'), option('--root')))}\n`);
    return;
  }
  if (child === 'edits') {
    process.stdout.write(`${JSON.stringify(await childEdits(option('--dir'), option('--file'), option('--root'), Number(option('--runs', '20'))))}\n`);
    return;
  }
  if (child === 'sample') {
    const files = option('--files').split(',');
    process.stdout.write(`${JSON.stringify(await childSample(option('--dir'), files, option('--root'), Number(option('--edits', '8')), Number(option('--keep', '6'))))}\n`);
    return;
  }
  if (child === 'equiv') {
    process.stdout.write(`${JSON.stringify(await childEquiv(option('--dir'), option('--files').split(','), option('--root')))}\n`);
    return;
  }
  if (option('--repo') && args.includes('--equiv')) {
    build();
    await equivRepo(path.resolve(option('--repo')));
    return;
  }
  if (option('--repo') && (args.includes('--sample') || option('--files'))) {
    build();
    await benchSample(path.resolve(option('--repo')));
    return;
  }
  if (option('--repo')) {
    build();
    await benchRepo(path.resolve(option('--repo')), Number(option('--runs', '20')));
    return;
  }
  const lines = Number(option('--lines', '100000'));
  const runs = option('--runs', '20');
  build();
  const { out, service, large } = await prepare(lines);
  const rel = (p) => path.relative(out, p).split(path.sep).join('/');
  console.error('warm lint of the 1,000-line file …');
  const warm = runChild(['--child', 'warm', '--dir', service, '--file', large, '--runs', runs]);
  const first = {};
  for (const [label, dir, root] of [
    ['service', service, undefined],
    ['monorepo', out, out],
  ]) {
    console.error(`first lint of the ${label} …`);
    const base = ['--child', 'first', '--dir', dir, '--file', large, ...(root ? ['--root', root] : [])];
    first[label] = { baseline: runChild(base), authlint: runChild([...base, '--authlint']), lines: countLines(dir) };
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const rows = [
    '| measurement | ESLint, parser only | ESLint + authlint (configs.all) | authlint adds |',
    '|---|---:|---:|---:|',
    `| warm re-lint of the 1,000-line file, text unchanged | ${ms(warm.baseline.unchanged)} ms | ${ms(warm.authlint.unchanged)} ms | ${added(warm.baseline.unchanged, warm.authlint.unchanged)} |`,
    `| warm re-lint of the 1,000-line file after an edit (per keystroke) | ${ms(warm.baseline.edited)} ms | ${ms(warm.authlint.edited)} ms | ${added(warm.baseline.edited, warm.authlint.edited)} |`,
    `| the same with \`reuseTypeScriptAst: true\` (typescript-eslint's AST, no second parse) | ${ms(warm.baseline.edited)} ms | ${ms(warm.reuse.edited)} ms | ${added(warm.baseline.edited, warm.reuse.edited)} |`,
  ];
  for (const [label, data] of Object.entries(first)) {
    const what = label === 'service' ? `the service (${data.authlint.files} files, ${data.lines.toLocaleString('en-US')} lines; default root)` : `the monorepo (${data.authlint.files} files, ${data.lines.toLocaleString('en-US')} lines; root setting)`;
    rows.push(
      `| first lint of ${what}: first file | ${ms(data.baseline.first)} ms | ${ms(data.authlint.first)} ms | ${added(data.baseline.first, data.authlint.first)} |`,
      `| … then each further file of it | ${ms(data.baseline.restPerFile)} ms | ${ms(data.authlint.restPerFile)} ms | ${added(data.baseline.restPerFile, data.authlint.restPerFile)} |`,
    );
  }
  const section = [
    START_MARK,
    '',
    `Measured by \`node scripts/bench-eslint.mjs --lines ${lines} --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu} (${os.cpus().length} cores), on \`${path.relative(ROOT, out)}\`; the 1,000-line file is \`${rel(large)}\`. CPU time (user + system) of the linting process, which a shared machine disturbs less than wall time: medians of ${runs} runs for the warm rows, one run for the first-lint rows. Module loading is not included.`,
    '',
    ...rows,
    '',
    `Findings reported by authlint in these runs: ${warm.authlint.findings} in the 1,000-line file, ${first.service.authlint.findings} in the service, ${first.monorepo.authlint.findings} in the monorepo.`,
    '',
    END_MARK,
  ].join('\n');
  console.log(section);
  if (!args.includes('--no-write')) writeSection(section);
}

/** A TypeScript file of 1,000–1,400 lines, the one closest to 1,200 (tests, declarations and generated code left out). */
function pickFile(repo) {
  let best;
  for (const rel of fs.readdirSync(repo, { recursive: true })) {
    if (!/\.ts$/.test(rel) || /\.(d|spec|test)\.ts$|node_modules|migrations?\//.test(rel)) continue;
    const lines = fs.readFileSync(path.join(repo, rel), 'utf8').split('\n').length;
    if (lines < 1000 || lines > 1400) continue;
    const score = Math.abs(lines - 1200);
    if (!best || score < best.score || (score === best.score && rel < best.rel)) best = { rel, score };
  }
  if (!best) throw new Error(`no TypeScript file of 1,000–1,400 lines under ${repo}`);
  return path.join(repo, best.rel);
}

/** The folder the plugin takes as the project by default: the nearest with an authlint config, package.json or .git. */
function packageOf(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (['authlint.config.json', '.authlintrc.json', 'package.json', '.git'].some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

/** Wall seconds of `authlint scan DIR` (JSON report to a temporary file), in its own process. */
function cliScan(dir) {
  const out = path.join(os.tmpdir(), `authlint-bench-${process.pid}.json`);
  const start = performance.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/authlint.js'), 'scan', dir, '--format', 'json', '--output', out, '--no-progress'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`authlint scan ${dir} failed (${result.status}):\n${result.stderr}`);
  fs.rmSync(out, { force: true });
  return seconds;
}

function countSourceFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(f) && !/node_modules/.test(f)).length;
}

async function benchRepo(repo, runs) {
  const file = option('--file') ? path.resolve(repo, option('--file')) : pickFile(repo);
  const pkg = packageOf(file);
  const rel = (p) => path.relative(repo, p).split(path.sep).join('/') || '.';
  const lines = fs.readFileSync(file, 'utf8').split('\n').length;
  const measure = (label, root, withAuthlint) => {
    console.error(`${label}: ${withAuthlint ? 'ESLint + authlint' : 'ESLint parser only'}, cold lint and ${runs} edits …`);
    return runChild(['--child', 'edits', '--dir', pkg, '--file', file, '--runs', String(runs), ...(root ? ['--root', root] : []), ...(withAuthlint ? ['--authlint'] : [])]);
  };
  const baseline = measure('parser', undefined, false);
  const projects = [
    { label: `the package \`${rel(pkg)}\` (${countSourceFiles(pkg).toLocaleString('en-US')} source files; default root)`, root: undefined, dir: pkg },
    { label: `the repository root (${countSourceFiles(repo).toLocaleString('en-US')} source files; \`settings.authlint.root\`)`, root: repo, dir: repo },
  ];
  const rows = [
    '| project | ESLint, parser only | ESLint + authlint | authlint adds | `authlint scan` of the project | cold / scan |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  const editRows = ['| project | per edit, parser only (wall median / p90) | with authlint (wall median / p90) | authlint adds (median wall) | with authlint, CPU median / p90 | authlint adds (median CPU) |', '|---|---:|---:|---:|---:|---:|'];
  const reuseRows = ['| project | answers computed again per edit (median) | taken over | compared one by one | facts computed again for the cutoff |', '|---|---:|---:|---:|---:|'];
  let findings = 0;
  for (const project of projects) {
    const measured = measure(project.label, project.root, true);
    console.error(`authlint scan ${rel(project.dir)} …`);
    const scan = cliScan(project.dir);
    findings = measured.findings;
    rows.push(
      `| ${project.label}: cold lint of the file | ${ms(baseline.cold.wall)} ms | ${ms(measured.cold.wall)} ms | ${ms(measured.cold.wall - baseline.cold.wall)} ms | ${scan.toFixed(1)} s | ${(measured.cold.wall / 1000 / scan).toFixed(2)}× |`,
    );
    editRows.push(
      `| ${project.label} | ${ms(median(baseline.wall))} / ${ms(p90(baseline.wall))} ms | ${ms(median(measured.wall))} / ${ms(p90(measured.wall))} ms | **${ms(median(measured.wall) - median(baseline.wall))} ms** | ${ms(median(measured.cpu))} / ${ms(p90(measured.cpu))} ms | ${ms(median(measured.cpu) - median(baseline.cpu))} ms |`,
    );
    const snapshots = measured.snapshots ?? [];
    if (snapshots.length > 0) {
      const of = (pick) => Math.round(median(snapshots.map(pick))).toLocaleString('en-US');
      reuseRows.push(
        `| ${project.label} | ${of((x) => x.unitsComputed)} units | ${of((x) => (x.inherited?.units ?? 0) + (x.inherited?.fileFacts ?? 0) + (x.inherited?.projectFacts ?? 0))} | ${of((x) => x.inherited?.walked ?? 0)} | ${of((x) => x.inherited?.recomputed ?? 0)} |`,
      );
    }
  }
  const gitHead = (dir, length) => spawnSync('git', ['-C', dir, 'rev-parse', `--short=${length}`, 'HEAD'], { encoding: 'utf8' }).stdout?.trim();
  const commit = gitHead(repo, 12) ? `commit \`${gitHead(repo, 12)}\`` : 'a checkout without git metadata';
  const own = gitHead(ROOT, 7) || 'unknown';
  const section = [
    REPO_START_MARK,
    '',
    `Measured by \`node scripts/bench-eslint.mjs --repo ${path.basename(repo)} --runs ${runs}\` at authlint commit \`${own}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end), on ${path.basename(repo)} (${commit}). The edited file is \`${rel(file)}\` (${lines.toLocaleString('en-US')} lines). Each row is a fresh process; module loading is not included.`,
    '',
    ...rows,
    '',
    `Per one-character edit (${runs} edits, each a new text, typed into a string literal near the middle of the file), after the cold lint:`,
    '',
    ...editRows,
    '',
    'What each edit\'s snapshot computed again and took over from the one before (see "answers that record what they read"):',
    '',
    ...reuseRows,
    '',
    `Findings reported by authlint in the file: ${findings}.`,
    '',
    REPO_END_MARK,
  ].join('\n');
  console.log(section);
  if (!args.includes('--no-write')) writeSection(section, REPO_START_MARK, REPO_END_MARK);
}

/** Round 7's sample: every `every`-th service or controller directly in a folder of `<pkg>/src/lib/`, in name order. */
function sampleFiles(pkg, every) {
  const lib = path.join(pkg, 'src', 'lib');
  const candidates = [];
  for (const folder of fs.readdirSync(lib, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(lib, folder.name))) {
      if (/\.(service|controller)\.ts$/.test(f)) candidates.push(`${folder.name}/${f}`);
    }
  }
  candidates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return candidates
    .filter((_, i) => (i + 1) % every === 0)
    .map((f) => path.join(lib, f))
    .filter((f) => hasStringToType(fs.readFileSync(f, 'utf8')));
}

/** The files of --files, or the sample of --package plus --also. */
function chosenFiles(repo, pkg) {
  if (option('--files')) return option('--files').split(',').map((f) => path.resolve(repo, f));
  const also = option('--also', 'packages/core/src/lib/invite/invite.service.ts')
    .split(',')
    .filter(Boolean)
    .map((f) => path.resolve(repo, f))
    .filter((f) => fs.existsSync(f));
  const files = sampleFiles(pkg, Number(option('--every', '9')));
  return [...files, ...also.filter((f) => !files.includes(f))];
}

async function benchSample(repo) {
  const pkg = path.resolve(repo, option('--package', 'packages/core'));
  const files = chosenFiles(repo, pkg);
  const root = args.includes('--root') ? repo : undefined;
  const pairs = Number(option('--pairs', '1'));
  const edits = option('--edits', '8');
  const keep = option('--keep', '6');
  const base = ['--child', 'sample', '--dir', pkg, '--files', files.join(','), '--edits', edits, '--keep', keep, ...(root ? ['--root', root] : [])];
  if (option('--cpu-profile')) {
    // One run with authlint, each file's last `keep` edits profiled.
    runChild([...base, '--authlint', '--cpu-profile', path.resolve(option('--cpu-profile'))]);
    console.error(`wrote ${option('--cpu-profile')}`);
    return;
  }
  const runs = { parser: [], authlint: [] };
  const started = new Date().toISOString();
  const loads = [os.loadavg()[0]];
  for (let i = 0; i < pairs; i++) {
    console.error(`pair ${i + 1}/${pairs}: ESLint parser only, ${files.length} files …`);
    runs.parser.push(runChild(base).files);
    console.error(`pair ${i + 1}/${pairs}: ESLint + authlint …`);
    runs.authlint.push(runChild([...base, '--authlint']).files);
    loads.push(os.loadavg()[0]);
  }
  const smallest = (list, i, key) => Math.min(...list.map((run) => run[i][key]));
  const rel = (p) => path.relative(repo, p).split(path.sep).join('/');
  const rows = files.map((file, i) => {
    const parser = { cpu: smallest(runs.parser, i, 'cpu'), wall: smallest(runs.parser, i, 'wall') };
    const authlint = { cpu: smallest(runs.authlint, i, 'cpu'), wall: smallest(runs.authlint, i, 'wall') };
    const one = runs.authlint[0][i];
    return { file: rel(file), lines: one.lines, parser, authlint, addedCpu: authlint.cpu - parser.cpu, addedWall: authlint.wall - parser.wall, units: one.units, findings: one.findings };
  });
  const table = [
    '| file | lines | parser only, CPU / wall | with authlint, CPU / wall | authlint adds, CPU | wall | units computed again |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| \`${r.file.replace(/^.*\/src\/lib\//, '')}\` | ${r.lines} | ${ms(r.parser.cpu)} / ${ms(r.parser.wall)} | ${ms(r.authlint.cpu)} / ${ms(r.authlint.wall)} | ${ms(r.addedCpu)} | ${ms(r.addedWall)} | ${r.units ?? ''} |`,
    ),
  ];
  const worst = rows.reduce((a, b) => (b.addedCpu > a.addedCpu ? b : a));
  const summary = [
    `${rows.length} files, ${root ? 'the repository root' : `\`${rel(pkg)}\``} as the project, ${edits} edits per file (median of the last ${keep}), ${pairs} alternated pair(s), smallest median per file; ${started}, load average ${loads.map((l) => l.toFixed(1)).join(' → ')}.`,
    '',
    `authlint adds per keystroke, CPU: median of files **${ms(median(rows.map((r) => r.addedCpu)))} ms**, 90th percentile ${ms(p90(rows.map((r) => r.addedCpu)))} ms, worst ${ms(worst.addedCpu)} ms (\`${path.basename(worst.file)}\`); wall: median ${ms(median(rows.map((r) => r.addedWall)))} ms, 90th percentile ${ms(p90(rows.map((r) => r.addedWall)))} ms.`,
  ];
  console.log([...table, '', ...summary].join('\n'));
  if (option('--json')) fs.writeFileSync(option('--json'), JSON.stringify({ started, loads, root: root ?? null, pkg: rel(pkg), edits, keep, runs, rows }, null, 1));
}

async function equivRepo(repo) {
  const files = option('--files');
  if (!files) throw new Error('--equiv needs --files REL,…');
  const list = files.split(',').map((f) => path.resolve(repo, f));
  const pkg = option('--package') ? path.resolve(repo, option('--package')) : packageOf(list[0]);
  const root = args.includes('--root') ? repo : undefined;
  const result = spawnSync(process.execPath, ['--stack-size=8000', '--max-old-space-size=6144', SELF, '--child', 'equiv', '--dir', pkg, '--files', list.join(','), ...(root ? ['--root', root] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`equivalence child failed (${result.status})`);
  const { steps } = JSON.parse(result.stdout.trim().split('\n').pop());
  const different = steps.filter((s) => !s.same);
  for (const s of different) {
    console.log(`${path.relative(repo, s.file)}: ${s.step}\n  only the long-lived plugin: ${JSON.stringify(s.onlyKept)}\n  only a fresh plugin: ${JSON.stringify(s.onlyFresh)}`);
  }
  console.log(`${steps.length} edits of ${list.length} file(s), ${root ? 'the repository root' : path.relative(repo, pkg) || '.'} as the project: ${different.length} difference(s)`);
  if (different.length > 0) process.exitCode = 1;
}

function writeSection(section, startMark = START_MARK, endMark = END_MARK) {
  let doc = fs.readFileSync(DOC, 'utf8');
  const start = doc.indexOf(startMark);
  const end = doc.indexOf(endMark);
  if (start !== -1 && end !== -1) {
    doc = doc.slice(0, start) + section + doc.slice(end + endMark.length);
  } else {
    const heading = doc.indexOf('## Editor cost');
    if (heading === -1) doc = `${doc.trimEnd()}\n\n## Editor cost\n\n${section}\n`;
    else {
      const next = doc.indexOf('\n## ', heading + 1);
      const insertAt = next === -1 ? doc.length : next;
      doc = `${doc.slice(0, insertAt).trimEnd()}\n\n${section}\n${doc.slice(insertAt)}`;
    }
  }
  fs.writeFileSync(DOC, doc);
  console.error(`updated ${path.relative(ROOT, DOC)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
