import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { defineRule, type AnalysisProject } from '../../src/index.js';
import { RACY_MS, takeStamp } from '../src/disk-check.js';
import { createPlugin, type AuthlintPlugin } from '../src/plugin.js';
import { makeTempDir } from './support/case-files.js';
import { buildFlatConfig } from './support/eslint-run.js';
import { authlint } from './support/source-plugin.js';

const temp = makeTempDir('authlint-disk-check-');
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** A project rule reporting, in every file, one message made from the project (`describe`). */
function projectRule(id: string, description: string, describe: (project: AnalysisProject) => string) {
  return defineRule<Record<string, never>, 'said'>({
    id,
    meta: { description, category: 'architecture', level: 'note', precision: 'high', securitySeverity: 0, cwe: [], scope: 'project', recommended: true },
    messages: { said: '{{text}}' },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    create(context) {
      return {
        project() {
          const text = describe(context.project);
          for (const file of context.project.files()) context.report({ file, range: { start: 0, end: 0 }, messageId: 'said', data: { text } });
        },
      };
    },
  });
}

/** Lists the project's files: its finding changes whenever the file list does. */
const listFiles = projectRule('test-list-files', 'Report the files of the project', (project) => `Project files: ${project.files().map((f) => f.relPath).join(', ')}.`);

/** Says whether `config/extra.json` (not a source file) exists, as the project's TextSource answers. */
const hasExtra = projectRule(
  'test-has-extra',
  'Report whether config/extra.json exists',
  (project) => `extra.json: ${project.hasFile(path.join(project.root, 'config/extra.json')) ? 'present' : 'absent'}.`,
);

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function writeRepo(name: string): string {
  const root = path.join(temp, name);
  write(root, 'package.json', '{"name":"service"}');
  write(root, 'src/app.ts', 'export const app = 1;\n');
  write(root, 'src/users.ts', 'export const users = 1;\n');
  return root;
}

/** The project's files as the lint of src/app.ts (with its text on disk) sees them. */
async function listedFiles(plugin: AuthlintPlugin, root: string, refreshInterval = 0): Promise<string> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: buildFlatConfig(plugin, { refreshInterval }) });
  const file = path.join(root, 'src/app.ts');
  const [result] = await eslint.lintText(fs.readFileSync(file, 'utf8'), { filePath: file });
  return (result?.messages ?? []).map((m) => m.message).join('\n');
}

/** Polls `done` every 25 ms until it holds; fails after `limit` ms. */
async function until(done: () => boolean, limit: number): Promise<void> {
  const end = Date.now() + limit;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not done within ${limit} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every stamp taken now is older than the racy window, so the check trusts the folders' stamps. */
function waitOutRacyWindow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
}

describe('the disk check between two lints', () => {
  it('sees files created and deleted, and folders added, on the next lint', async () => {
    const root = writeRepo('created-deleted');
    const plugin = createPlugin(authlint, [listFiles]);
    expect(await listedFiles(plugin, root)).toBe('Project files: src/app.ts, src/users.ts.');
    write(root, 'src/orders.ts', 'export const orders = 1;\n');
    write(root, 'src/admin/new/panel.ts', 'export const panel = 1;\n');
    expect(await listedFiles(plugin, root)).toBe('Project files: src/admin/new/panel.ts, src/app.ts, src/orders.ts, src/users.ts.');
    fs.rmSync(path.join(root, 'src/users.ts'));
    expect(await listedFiles(plugin, root)).toBe('Project files: src/admin/new/panel.ts, src/app.ts, src/orders.ts.');
  });

  it('lists the files again only when a folder or a .gitignore changed, and still sees every change', async () => {
    const root = writeRepo('stamped');
    write(root, '.gitignore', 'generated/\n');
    write(root, 'src/orders.ts', 'export const orders = 1;\n');
    const plugin = createPlugin(authlint, [listFiles]);
    await waitOutRacyWindow();
    expect(await listedFiles(plugin, root)).toBe('Project files: src/app.ts, src/orders.ts, src/users.ts.');
    const state = plugin.analyzer.getState(root);
    const discoveries = state?.discoveries;
    const built = state?.snapshotsBuilt;
    await waitOutRacyWindow();

    expect(await listedFiles(plugin, root)).toBe('Project files: src/app.ts, src/orders.ts, src/users.ts.');
    expect(state?.discoveries).toBe(discoveries);
    // Touched without a change of text: the snapshot and its parses stay.
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(path.join(root, 'src/users.ts'), later, later);
    await listedFiles(plugin, root);
    expect(state?.snapshotsBuilt).toBe(built);

    // A .gitignore saved in place leaves its folder's times alone.
    fs.appendFileSync(path.join(root, '.gitignore'), 'src/orders.ts\n');
    expect(await listedFiles(plugin, root)).toBe('Project files: src/app.ts, src/users.ts.');
    expect(state?.discoveries).toBe((discoveries ?? 0) + 1);

    write(root, 'src/invoices.ts', 'export const invoices = 1;\n');
    expect(await listedFiles(plugin, root)).toBe('Project files: src/app.ts, src/invoices.ts, src/users.ts.');
  });

  it('answers whether a file that is not scanned exists again once a folder changed (a file created there)', async () => {
    const root = writeRepo('exists');
    const plugin = createPlugin(authlint, [hasExtra]);
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: buildFlatConfig(plugin, { refreshInterval: 0 }) });
    const file = path.join(root, 'src/app.ts');
    // Each text differs from the disk's: every lint builds a snapshot of its own, which asks the disk again.
    const lint = async (n: number) => ((await eslint.lintText(`export const app = ${n};\n`, { filePath: file }))[0]?.messages ?? []).map((m) => m.message).join('\n');
    expect(await lint(2)).toBe('extra.json: absent.');
    expect(await lint(3)).toBe('extra.json: absent.');
    write(root, 'config/extra.json', '{}');
    expect(await lint(4)).toBe('extra.json: present.');
    fs.rmSync(path.join(root, 'config/extra.json'));
    expect(await lint(5)).toBe('extra.json: absent.');
  });

  it('re-reads a file saved in place with the same size and modification time', async () => {
    const root = writeRepo('same-size');
    const plugin = createPlugin(authlint, [listFiles]);
    await waitOutRacyWindow();
    await listedFiles(plugin, root);
    const state = plugin.analyzer.getState(root);
    const built = state?.snapshotsBuilt ?? 0;
    const users = path.join(root, 'src/users.ts');
    const before = fs.statSync(users);
    fs.writeFileSync(users, 'export const admins = 1;\n'.slice(0, before.size));
    fs.utimesSync(users, before.atime, before.mtime);
    await listedFiles(plugin, root);
    // Only the change time tells: the text is read again and the project rebuilt over it.
    expect(state?.snapshotsBuilt).toBe(built + 1);
  });

  it('checks the disk between lints, so that a lint within the interval sees what changed before that check', async () => {
    const root = writeRepo('ahead');
    const plugin = createPlugin(authlint, [listFiles]);
    expect(await listedFiles(plugin, root, 2000)).toBe('Project files: src/app.ts, src/users.ts.');
    write(root, 'src/orders.ts', 'export const orders = 1;\n');
    // Half the interval after the first lint's check (or twenty times that check's cost, when the machine is slow),
    // the idle process checks again. Polled rather than slept for, so a loaded CI machine does not fail it.
    const state = plugin.analyzer.getState(root);
    expect(state?.checksAhead).toBe(0);
    await until(() => (state?.checksAhead ?? 0) > 0, 30_000);
    expect(state?.checksAhead).toBe(1);
    expect(await listedFiles(plugin, root, 2000)).toBe('Project files: src/app.ts, src/orders.ts, src/users.ts.');
  });

  it('does not trust a stamp taken within the racy window of its own times', () => {
    const root = writeRepo('racy');
    expect(takeStamp(path.join(root, 'src/app.ts'))?.racy).toBe(true);
    expect(takeStamp(path.join(root, 'src'))?.racy).toBe(true);
    expect(takeStamp(path.join(root, 'missing.ts'))).toBeUndefined();
    // Node's own executable was installed long before this test ran.
    expect(takeStamp(process.execPath)?.racy).toBe(false);
  });
});
