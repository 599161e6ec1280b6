import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, type AuthlintPlugin } from '../src/plugin.js';
import { makeTempDir } from './support/case-files.js';
import { buildFlatConfig } from './support/eslint-run.js';
import { authlint } from './support/source-plugin.js';

/**
 * Many edits of every file of fixture services (controllers, guards, middleware, services, modules, entities), each
 * linted by one long-lived plugin, whose snapshots share trees and memos with the ones before, and by a fresh plugin,
 * which builds the project from scratch: typed into the buffer, then saved and every file of the service linted
 * again, then saved back. Whatever the editor reuses, both must report the same.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const SERVICES = [
  'authz-no-client-controlled-decision/express-admin-flags-and-gateway-headers',
  'route-require-authorization/express-mongoose-orders-service',
  'route-require-authorization/nest-typeorm-posts-roles-and-casl',
  'route-require-authentication/express-orders-late-auth-and-bleeding',
  'jwt-no-hardcoded-secret/nestjs-koa-hono-services',
  // Client interceptors and defaults: a project-wide table that edits of one file recompute (early cutoff).
  's2s-require-token/express-checkout-calls-sibling-services',
];
const SETTINGS = { refreshInterval: 0 };
const SOURCE = /\.(?:ts|js)$/;

const temp = makeTempDir('authlint-edit-sequences-');
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function listSources(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => SOURCE.test(f) && !f.includes('node_modules'))
    .sort();
}

let tick = 0;
function save(root: string, rel: string, text: string): void {
  const target = path.join(root, rel);
  fs.writeFileSync(target, text);
  // A distinct modification time per save, as an editor gives.
  const when = new Date(Date.now() + ++tick * 2000);
  fs.utimesSync(target, when, when);
}

/** Lints files of one root with one plugin: ESLint's text is the buffer when given, else the file on disk. */
function linter(plugin: AuthlintPlugin, root: string): (rel: string, text?: string) => Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: buildFlatConfig(plugin, SETTINGS) });
  return async (rel, text) => {
    const [result] = await eslint.lintText(text ?? fs.readFileSync(path.join(root, rel), 'utf8'), { filePath: path.join(root, rel) });
    return (result?.messages ?? []).map((m) => `${rel} ${m.ruleId ?? 'parse'} ${m.line}:${m.column} ${m.message}`);
  };
}

/** The first relative import of another file of the service, rewritten to be written in `rel` (the import graph gains an edge). */
function borrowedImport(root: string, files: readonly string[], rel: string): string | undefined {
  for (const other of files) {
    if (other === rel) continue;
    const match = /^import (.+) from '(\.{1,2}\/[^']+)';$/m.exec(fs.readFileSync(path.join(root, other), 'utf8'));
    if (!match) continue;
    const target = path.posix.join(path.posix.dirname(other), match[2] as string);
    const specifier = path.posix.relative(path.posix.dirname(rel), target);
    return `import ${match[1]} from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';`;
  }
  return undefined;
}

/** The middle call statement of the next file of the service (a registration, a check, a query), to paste into `rel`. */
function borrowedStatement(root: string, files: readonly string[], rel: string): string | undefined {
  const other = files[(files.indexOf(rel) + 1) % files.length];
  if (!other || other === rel) return undefined;
  const lines = fs.readFileSync(path.join(root, other), 'utf8').split('\n');
  const calls = lines.filter((l) => /^\s*[\w.]+\(.*\);\s*$/.test(l));
  return calls[calls.length >> 1];
}

/**
 * Edits of a file that change what the analysis sees: a character typed into a string literal past the middle (a
 * path, a role, a secret), the first check removed (a line with `if (`), the first import removed and another file's
 * import added (the import graph and the word index change both ways), a statement's line removed at the middle,
 * another file's call statement pasted at the end.
 */
function editsOf(text: string, borrowed: string | undefined, pasted: string | undefined): Array<{ name: string; text: string }> {
  const lines = text.split('\n');
  const without = (index: number) => [...lines.slice(0, index), ...lines.slice(index + 1)].join('\n');
  const edits: Array<{ name: string; text: string }> = [];
  const quote = text.indexOf("'", text.length >> 1);
  if (quote !== -1) edits.push({ name: 'typed into a string', text: `${text.slice(0, quote + 1)}z${text.slice(quote + 1)}` });
  const check = lines.findIndex((l) => l.includes('if ('));
  if (check !== -1) edits.push({ name: 'check removed', text: without(check) });
  const imported = lines.findIndex((l) => /^import .* from /.test(l) || /= require\(/.test(l));
  if (imported !== -1) edits.push({ name: 'import removed', text: without(imported) });
  if (borrowed && !text.includes(borrowed)) edits.push({ name: 'import added', text: `${borrowed}\n${text}` });
  const middle = lines.findIndex((l, i) => i >= lines.length >> 1 && l.trim().endsWith(';'));
  if (middle !== -1) edits.push({ name: 'statement removed', text: without(middle) });
  if (pasted) edits.push({ name: 'statement pasted', text: `${text}\n${pasted.trim()}\n` });
  return edits;
}

describe('edit sequences in the editor', () => {
  it.each(SERVICES)('%s: every edit gives the findings of a fresh project', async (service) => {
    const root = path.join(temp, service.replace('/', '--'));
    fs.cpSync(path.join(FIXTURES, service), root, { recursive: true });
    const files = listSources(root);
    expect(files.length).toBeGreaterThan(2);
    const plugin = createPlugin(authlint);
    const editor = linter(plugin, root);
    const fresh = () => linter(createPlugin(authlint), root);
    const compareAll = async (label: string) => {
      const check = fresh();
      for (const rel of files) expect(await editor(rel), `${rel}, ${label}`).toEqual(await check(rel));
    };
    await compareAll('before any edit');
    let findings = 0;
    let edits = 0;
    for (const rel of files) {
      const original = fs.readFileSync(path.join(root, rel), 'utf8');
      for (const edit of editsOf(original, borrowedImport(root, files, rel), borrowedStatement(root, files, rel))) {
        edits++;
        const typed = await editor(rel, edit.text);
        expect(typed, `${rel} in the buffer, ${edit.name}`).toEqual(await fresh()(rel, edit.text));
        findings += typed.length;
        save(root, rel, edit.text);
        await compareAll(`${rel} saved (${edit.name})`);
        save(root, rel, original);
        expect(await editor(rel), `${rel} saved back after ${edit.name}`).toEqual(await fresh()(rel));
      }
    }
    // The sequence exercised edits that the analysis sees.
    expect(edits).toBeGreaterThan(files.length);
    expect(findings).toBeGreaterThan(0);
    expect(plugin.analyzer.getState(root)?.snapshotsInherited).toBeGreaterThan(edits / 2);
  });
});
