import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashText, STAMP_MARGIN_MS } from '../../src/core/scan-cache.js';
import { loadRuns } from '../../src/core/run-cache.js';
import { loadSummaries, type SummaryKey } from '../../src/core/summary-cache.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';
import { ensureBuilt } from './build.js';
import { makeTree, runCli } from './support.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/authlint.js');
const SAMPLE = path.resolve(import.meta.dirname, '../../fixtures/sample-service');

beforeAll(() => ensureBuilt(), 240_000);

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A copy of the sample service and a folder to run from. */
function sample(): { root: string; cwd: string } {
  const cwd = makeTree({});
  const root = path.join(cwd, 'service');
  fs.cpSync(SAMPLE, root, { recursive: true });
  return { root, cwd };
}

const cacheDir = (cwd: string) => path.join(cwd, 'node_modules/.cache/authlint');

describe('authlint scan --cache', () => {
  it('lets two runs share one cache location at the same time: both succeed with the same report and leave one valid cache file, one valid run file and one valid summary file', { timeout: 240_000 }, async () => {
    const { root, cwd } = sample();
    const uncached = await run(['scan', root, '--format', 'json'], cwd);
    expect(uncached.code).toBe(1);
    // Files copied just now: a stamp taken within the margin is not trusted, and a hit that had to read files stores
    // their stamps again (the file would change below). Waited out here, so the check does not depend on the speed.
    await new Promise((resolve) => setTimeout(resolve, STAMP_MARGIN_MS + 100));
    const [a, b] = await Promise.all([run(['scan', root, '--format', 'json', '--cache'], cwd), run(['scan', root, '--format', 'json', '--cache'], cwd)]);
    expect([a.code, b.code]).toEqual([1, 1]);
    expect(a.stderr + b.stderr).toBe('');
    expect(a.stdout).toBe(uncached.stdout);
    expect(b.stdout).toBe(uncached.stdout);
    const files = fs.readdirSync(cacheDir(cwd)).sort();
    expect(files).toEqual([expect.stringMatching(/^scan-[0-9a-f]+\.json$/), expect.stringMatching(/^scan-[0-9a-f]+\.runs\.bin$/), expect.stringMatching(/^summaries-[0-9a-f]+\.bin$/)]);
    const file = path.join(cacheDir(cwd), files[0] as string);
    const before = fs.statSync(file);
    // Valid: the next run takes the output from it and leaves it as it is.
    const again = await run(['scan', root, '--format', 'json', '--cache'], cwd);
    expect(again.stdout).toBe(uncached.stdout);
    const after = fs.statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);

    // After an edit both runs miss, read the summaries and rewrite both files at once; the summaries stay whole.
    fs.appendFileSync(path.join(root, 'src/server.ts'), '\n// edited\n');
    const edited = await run(['scan', root, '--format', 'json'], cwd);
    const [c, d] = await Promise.all([run(['scan', root, '--format', 'json', '--cache'], cwd), run(['scan', root, '--format', 'json', '--cache'], cwd)]);
    expect(c.stderr + d.stderr).toBe('');
    expect([c.stdout, d.stdout]).toEqual([edited.stdout, edited.stdout]);
    expect(fs.readdirSync(cacheDir(cwd)).sort()).toEqual(files);
    // The CLI's key names the compiled code: read it from the file's first line, then read the file whole.
    const summaryFile = path.join(cacheDir(cwd), files[2] as string);
    const bytes = fs.readFileSync(summaryFile);
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString('utf8')) as { key: SummaryKey };
    expect(header.key.facts).toEqual(PORTABLE_FACTS.map((f) => f.name));
    const summaries = loadSummaries(summaryFile, header.key);
    expect(summaries.notification).toBeUndefined();
    expect(summaries.summaries.get('src/server.ts')?.hash).toBe(hashText(fs.readFileSync(path.join(root, 'src/server.ts'), 'utf8')));
    // The run file is whole too, and holds every scanned file's rule run.
    const runs = loadRuns(path.join(cacheDir(cwd), files[1] as string));
    expect(runs.notification).toBeUndefined();
    expect(runs.store?.runs.names).toContain('file:src/server.ts');
  });

  it('gives the same report with extraction threads (--jobs 2): cold, unchanged, and after an edit that changes a finding in another file', { timeout: 240_000 }, async () => {
    const { root, cwd } = sample();
    const args = ['scan', root, '--format', 'json'];
    const plain = await runCli([...args, '--jobs', '1'], { cwd });
    const cold = await runCli([...args, '--jobs', '2', '--cache'], { cwd });
    const warm = await runCli([...args, '--jobs', '2', '--cache'], { cwd });
    expect([cold.stdout, warm.stdout]).toEqual([plain.stdout, plain.stdout]);
    const config = path.join(root, 'src/config/index.ts');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace("'orders-dev-secret'", 'process.env.FALLBACK_SECRET'));
    const edited = await runCli([...args, '--jobs', '1'], { cwd });
    expect(edited.stdout).not.toBe(plain.stdout);
    const rescan = await runCli([...args, '--jobs', '2', '--cache'], { cwd });
    expect(rescan.stderr).toBe('');
    expect(rescan.stdout).toBe(edited.stdout);
  });

  it.each(['sarif', 'json', 'text'])('writes the same %s report from the cache as without it', async (format) => {
    const { root, cwd } = sample();
    const plain = await runCli(['scan', root, '--format', format], { cwd });
    const cold = await runCli(['scan', root, '--format', format, '--cache'], { cwd });
    const warm = await runCli(['scan', root, '--format', format, '--cache'], { cwd });
    expect(cold.stdout).toBe(plain.stdout);
    expect(warm.stdout).toBe(plain.stdout);
    expect([cold.code, warm.code]).toEqual([plain.code, plain.code]);
    if (format === 'sarif') expect(warm.stdout).toContain('"help"');
  });

  it('is off by default and with --no-cache: nothing is read or written', async () => {
    const { root, cwd } = sample();
    await runCli(['scan', root, '--format', 'json'], { cwd });
    expect(fs.existsSync(cacheDir(cwd))).toBe(false);
    await runCli(['scan', root, '--format', 'json', '--cache'], { cwd });
    const name = fs.readdirSync(cacheDir(cwd)).find((f) => f.startsWith('scan-'));
    const file = path.join(cacheDir(cwd), name as string);
    fs.writeFileSync(file, 'not a cache');
    const refused = await runCli(['scan', root, '--format', 'json', '--cache', '--no-cache'], { cwd });
    expect(refused.stdout).not.toContain('"cache"');
    expect(fs.readFileSync(file, 'utf8')).toBe('not a cache');
  });

  it('reports an ignored cache file as a note in text, JSON and SARIF, with the same findings', async () => {
    const { root, cwd } = sample();
    const location = path.join(cwd, 'elsewhere');
    const plain = await runCli(['scan', root, '--format', 'json'], { cwd });
    await runCli(['scan', root, '--cache-location', location], { cwd });
    const [name] = fs.readdirSync(location);
    const file = path.join(location, name as string);
    const text = fs.readFileSync(file, 'utf8');
    const corrupt = (): void => fs.writeFileSync(file, text.slice(0, text.length - 10));

    corrupt();
    const json = await runCli(['scan', root, '--format', 'json', '--cache-location', location], { cwd });
    const report = JSON.parse(json.stdout) as { findings: unknown[]; notifications: Array<{ kind: string; level: string; message: string }> };
    expect(report.notifications.filter((n) => n.kind === 'cache')).toEqual([
      { kind: 'cache', level: 'note', message: expect.stringContaining('it is truncated; it is rewritten after this scan') },
    ]);
    expect(report.findings).toEqual((JSON.parse(plain.stdout) as { findings: unknown[] }).findings);

    corrupt();
    const sarif = await runCli(['scan', root, '--format', 'sarif', '--cache-location', location], { cwd });
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ descriptor: { id: string }; message: { text: string } }> }> }> };
    const notes = log.runs[0]?.invocations[0]?.toolExecutionNotifications.filter((n) => n.descriptor.id === 'cache') ?? [];
    expect(notes.map((n) => n.message.text)).toEqual([expect.stringContaining('truncated')]);

    corrupt();
    const plainText = await runCli(['scan', root, '--cache-location', location], { cwd });
    expect(plainText.stdout).toContain('it is truncated; it is rewritten after this scan');
  });
});
