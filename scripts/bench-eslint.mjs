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
 * Internal: --child warm|first --dir D --file F [--root R] runs one measurement, prints one JSON line.
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

// ---------------------------------------------------------------------------------------------
// Child measurements

async function loadEslint(withAuthlint, settings) {
  const { ESLint } = await import(pathToFileURL(path.join(ROOT, 'node_modules/eslint/lib/api.js')).href);
  const tsParser = (await import(pathToFileURL(path.join(ROOT, 'node_modules/@typescript-eslint/parser/dist/index.js')).href)).default;
  const espree = await import(pathToFileURL(path.join(ROOT, 'node_modules/espree/dist/espree.cjs')).href);
  const plugin = withAuthlint ? (await import(pathToFileURL(path.join(ROOT, 'eslint-plugin/dist/index.js')).href)).default : undefined;
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

function writeSection(section) {
  let doc = fs.readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START_MARK);
  const end = doc.indexOf(END_MARK);
  if (start !== -1 && end !== -1) {
    doc = doc.slice(0, start) + section + doc.slice(end + END_MARK.length);
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
