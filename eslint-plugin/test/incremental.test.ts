import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, type AuthlintPlugin } from '../src/plugin.js';
import { ProjectState } from '../src/project-state.js';
import { makeTempDir } from './support/case-files.js';
import { buildFlatConfig } from './support/eslint-run.js';
import { authlint } from './support/source-plugin.js';

/**
 * The editor keeps one project per root and, on every edit, builds a snapshot that shares every unchanged file
 * with the previous one and takes over what depends only on those files. Whatever it reuses, each lint must
 * report exactly what a fresh plugin reports for the same disk state and buffer.
 */

const temp = makeTempDir('authlint-incremental-');
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'package.json': '{"name":"orders-service","dependencies":{"express":"4.19.2","jsonwebtoken":"9.0.2","axios":"1.7.2"}}',
  'src/app.ts': [
    "import express from 'express';",
    "import { requireAdmin } from './auth/require-admin';",
    "import { requireUser } from './auth/require-user';",
    "import { ordersRouter } from './routes/orders';",
    "import { adminRouter } from './routes/admin';",
    '',
    'const app = express();',
    'app.use(express.json());',
    "app.use('/api/orders', requireUser, ordersRouter);",
    "app.use('/api/admin', requireAdmin, adminRouter);",
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/config.ts': "export const JWT_SECRET = process.env.JWT_SECRET ?? 'dev-secret-change-me';\nexport const BILLING_URL = 'http://billing.internal:8080';\n",
  'src/auth/require-user.ts': [
    "import type { NextFunction, Request, Response } from 'express';",
    "import jwt from 'jsonwebtoken';",
    "import { JWT_SECRET } from '../config';",
    '',
    'export function requireUser(req: Request, res: Response, next: NextFunction) {',
    "  const header = req.headers.authorization ?? '';",
    '  try {',
    "    const claims = jwt.verify(header.replace('Bearer ', ''), JWT_SECRET, { algorithms: ['HS256'] });",
    '    (req as any).user = claims;',
    '    next();',
    '  } catch {',
    '    res.status(401).end();',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/auth/require-admin.ts': [
    "import type { NextFunction, Request, Response } from 'express';",
    "import jwt from 'jsonwebtoken';",
    "import { JWT_SECRET } from '../config';",
    '',
    'export function requireAdmin(req: Request, res: Response, next: NextFunction) {',
    "  const claims = jwt.verify(String(req.headers.authorization).slice(7), JWT_SECRET, { algorithms: ['HS256'] }) as { role?: string };",
    "  if (claims.role !== 'admin') return res.status(403).end();",
    '  next();',
    '}',
    '',
  ].join('\n'),
  'src/routes/orders.ts': [
    "import { Router } from 'express';",
    "import { deleteOrder, findOrder } from '../services/orders';",
    '',
    'export const ordersRouter = Router();',
    '',
    "ordersRouter.get('/:id', async (req, res) => {",
    '  res.json(await findOrder(req.params.id));',
    '});',
    '',
    "ordersRouter.delete('/:id', async (req, res) => {",
    '  await deleteOrder(req.params.id);',
    '  res.status(204).end();',
    '});',
    '',
  ].join('\n'),
  'src/routes/admin.ts': [
    "import { Router } from 'express';",
    '',
    'export const adminRouter = Router();',
    '',
    "adminRouter.post('/users/:id/disable', async (req, res) => {",
    '  res.json({ ok: true, id: req.params.id });',
    '});',
    '',
  ].join('\n'),
  'src/services/orders.ts': [
    "import axios from 'axios';",
    "import { BILLING_URL } from '../config';",
    '',
    'const orders = new Map<string, { id: string; owner: string }>();',
    '',
    'export async function findOrder(id: string) {',
    '  return orders.get(id);',
    '}',
    '',
    'export async function deleteOrder(id: string) {',
    '  await axios.post(`${BILLING_URL}/refunds`, { id });',
    '  orders.delete(id);',
    '}',
    '',
  ].join('\n'),
};

const SOURCE_FILES = Object.keys(FILES).filter((f) => f.endsWith('.ts'));
const SETTINGS = { refreshInterval: 0 };

function writeRepo(name: string): string {
  const root = path.join(temp, name);
  for (const [rel, text] of Object.entries(FILES)) write(root, rel, text);
  return root;
}

let tick = 0;
function write(root: string, rel: string, text: string): void {
  const target = path.join(root, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  // A distinct modification time per write, as an editor's save gives.
  const when = new Date(Date.now() + ++tick * 2000);
  fs.utimesSync(target, when, when);
}

async function lint(plugin: AuthlintPlugin, root: string, rel: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: buildFlatConfig(plugin, SETTINGS) });
  const [result] = await eslint.lintText(text, { filePath: path.join(root, rel) });
  return (result?.messages ?? []).map((m) => `${rel} ${m.ruleId ?? 'parse'} ${m.line}:${m.column} ${m.message}`);
}

let copies = 0;
/**
 * Lints with the long-lived plugin (the buffer as ESLint's text) and with a fresh plugin on a copy of the repository
 * where the buffer is saved, which builds the whole project from disk as `authlint scan` does; both must agree.
 */
async function lintBoth(editor: AuthlintPlugin, root: string, rel: string, text?: string): Promise<string[]> {
  const code = text ?? fs.readFileSync(path.join(root, rel), 'utf8');
  const incremental = await lint(editor, root, rel, code);
  const copy = `${root}-copy-${++copies}`;
  fs.cpSync(root, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, rel), code);
  const fresh = await lint(createPlugin(authlint), copy, rel, code);
  fs.rmSync(copy, { recursive: true, force: true });
  expect(incremental, `${rel} after the edits so far`).toEqual(fresh);
  return incremental;
}

/** The successive buffers of typing `insert` at `at` in `text`, a few characters at a time (half-typed code included). */
function typing(text: string, at: string, insert: string, steps = 3): string[] {
  const index = text.indexOf(at);
  expect(index, `'${at}' in the fixture`).toBeGreaterThanOrEqual(0);
  const buffers: string[] = [];
  for (let i = 1; i <= steps; i++) {
    const typed = insert.slice(0, Math.ceil((insert.length * i) / steps));
    buffers.push(text.slice(0, index) + typed + text.slice(index));
  }
  return buffers;
}

describe('incremental snapshots in the editor', () => {
  it('give the findings of a fresh plugin after every edit, in the edited file and in the files that depend on it', async () => {
    const root = writeRepo('express');
    const editor = createPlugin(authlint);
    const seen = new Set<string>();
    const check = async (rel: string, text?: string) => {
      for (const f of await lintBoth(editor, root, rel, text)) seen.add(f);
    };

    for (const rel of SOURCE_FILES) await check(rel);

    // Typing a client-controlled access decision into a handler, then an owner lookup into the service it calls.
    const orders = FILES['src/routes/orders.ts'] as string;
    const decision = "  if (req.headers['x-role'] !== 'admin') return res.status(403).end();\n";
    for (const buffer of typing(orders, '  await deleteOrder', decision)) await check('src/routes/orders.ts', buffer);
    const service = FILES['src/services/orders.ts'] as string;
    for (const buffer of typing(service, '  orders.delete(id);', "  await axios.post(`${BILLING_URL}/audit`, { id }, { headers: { Authorization: 'Bearer x' } });\n")) {
      await check('src/services/orders.ts', buffer);
    }
    await check('src/services/orders.ts', service.replace('axios.post(`${BILLING_URL}/refunds`, { id })', 'axios.post(`${BILLING_URL}/refunds`, { id }, { headers: { Authorization: `Bearer ${id}` } })'));

    // The guard in another file fails open: once saved, the routes that use it are judged again.
    const guard = FILES['src/auth/require-user.ts'] as string;
    const failOpen = guard.replace('    res.status(401).end();', '    next();');
    await check('src/auth/require-user.ts', failOpen);
    await check('src/routes/orders.ts');
    expect([...seen].some((f) => f.startsWith('src/routes/orders.ts authlint/route-require-authentication'))).toBe(false);
    write(root, 'src/auth/require-user.ts', failOpen);
    await check('src/routes/orders.ts');
    expect([...seen].some((f) => f.startsWith('src/routes/orders.ts authlint/route-require-authentication'))).toBe(true);
    for (const buffer of typing(orders, '  await deleteOrder', decision, 2)) await check('src/routes/orders.ts', buffer);

    // The secret's fallback edited and removed; then the admin mount loses its guard and is saved.
    const config = FILES['src/config.ts'] as string;
    await check('src/config.ts', config.replace('dev-secret-change-me', 'another-dev-secret'));
    await check('src/config.ts', config.replace(" ?? 'dev-secret-change-me'", ''));
    const app = FILES['src/app.ts'] as string;
    const unguarded = app.replace("'/api/admin', requireAdmin, adminRouter", "'/api/admin', adminRouter");
    await check('src/app.ts', unguarded);
    write(root, 'src/app.ts', unguarded);
    await check('src/routes/admin.ts');
    await check('src/routes/orders.ts');

    // A new import of a JWT package in a file that had none, and an unverified decode in a handler.
    const decoding = orders
      .replace("import { Router } from 'express';", "import { Router } from 'express';\nimport jwt from 'jsonwebtoken';")
      .replace('  await deleteOrder(req.params.id);', "  const claims = jwt.decode(String(req.headers.authorization).slice(7)) as { role?: string };\n  if (claims.role !== 'admin') return res.status(403).end();\n  await deleteOrder(req.params.id);");
    await check('src/routes/orders.ts', decoding);
    for (const rel of SOURCE_FILES) await check(rel);

    // A new file not yet saved, which the project on disk does not have, then the files around it again.
    await check('src/routes/health.ts', "import { Router } from 'express';\nexport const healthRouter = Router();\nhealthRouter.delete('/cache', (req, res) => res.end());\n");
    await check('src/routes/admin.ts');

    // The sequence exercised findings of project and file rules, and later snapshots took over earlier memos.
    const rules = new Set([...seen].map((f) => f.split(' ')[1]));
    const expected = ['route-require-authentication', 'route-no-unprotected-internal', 'authz-no-client-controlled-decision', 'jwt-no-hardcoded-secret', 's2s-require-token', 'jwt-no-unverified-decode'];
    for (const rule of expected) {
      expect(rules, rule).toContain(`authlint/${rule}`);
    }
    expect(editor.analyzer.getState(root)?.snapshotsInherited).toBeGreaterThan(5);

    // The guard saved back: the routes that use it are judged as before it failed open, in the buffer and on disk.
    const failing = await lintBoth(editor, root, 'src/routes/orders.ts', decoding);
    expect(failing.some((f) => f.startsWith('src/routes/orders.ts authlint/route-require-authentication'))).toBe(true);
    write(root, 'src/auth/require-user.ts', guard);
    const restored = await lintBoth(editor, root, 'src/routes/orders.ts', decoding);
    expect(restored.some((f) => f.startsWith('src/routes/orders.ts authlint/route-require-authentication'))).toBe(false);
  });

  it('give the findings of a fresh plugin when typing takes the snapshot before over, and after an undo to a text it had', async () => {
    const root = writeRepo('typing');
    const editor = createPlugin(authlint);
    for (const rel of SOURCE_FILES) await lintBoth(editor, root, rel);
    const orders = FILES['src/routes/orders.ts'] as string;
    const decision = "  if (req.headers['x-role'] !== 'admin') return res.status(403).end();\n";
    const buffers = typing(orders, '  await deleteOrder', decision);
    const decided = buffers[buffers.length - 1] as string;
    buffers.push(...typing(decided, '  await deleteOrder', '      ', 3));
    for (const buffer of buffers) await lintBoth(editor, root, 'src/routes/orders.ts', buffer);
    // Spaces typed into the same file: each snapshot took the one before over, which is no longer served.
    const state = editor.analyzer.getState(root);
    expect(state?.snapshotsConsumed).toBeGreaterThanOrEqual(2);
    // Undo, one text back at a time, to texts whose snapshots were taken over (so they are analysed again, never served
    // by a snapshot whose tables a later one changed); then another file, then typing again.
    const built = state?.snapshotsBuilt ?? 0;
    await lintBoth(editor, root, 'src/routes/orders.ts', buffers[buffers.length - 2]);
    expect(state?.snapshotsBuilt).toBe(built + 1);
    for (const buffer of [...buffers].reverse()) await lintBoth(editor, root, 'src/routes/orders.ts', buffer);
    await lintBoth(editor, root, 'src/services/orders.ts');
    for (const buffer of buffers) await lintBoth(editor, root, 'src/routes/orders.ts', buffer);
    await lintBoth(editor, root, 'src/routes/orders.ts');
  });

  it('judge a route again when a function its handler reaches through an unchanged file is saved with another result', async () => {
    // The handler reads the role through a helper (unchanged) that returns what a function of another file returns;
    // the flow analysis memoises what each function returns, and that memo must not outlive the version of the file
    // the answer came from.
    const root = path.join(temp, 'returned-labels');
    const files: Record<string, string> = {
      'package.json': '{"name":"roles-service","dependencies":{"express":"4.19.2"}}',
      'src/app.ts': [
        "import express from 'express';",
        "import { pickRole } from './roles/pick';",
        '',
        'const app = express();',
        "app.post('/api/reports/:id/publish', (req, res) => {",
        '  const role = pickRole(req);',
        "  if (role !== 'admin') return res.status(403).end();",
        '  res.json({ published: req.params.id });',
        '});',
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/roles/pick.ts': "import { roleOf } from './role-of';\n\nexport function pickRole(req: any) {\n  return roleOf(req);\n}\n",
      'src/roles/role-of.ts': "import { readRole } from './read';\n\nexport function roleOf(req: any) {\n  return readRole(req);\n}\n",
      'src/roles/read.ts': 'export function readRole(req: any) {\n  return req.query.role;\n}\n',
    };
    for (const [rel, text] of Object.entries(files)) write(root, rel, text);
    const editor = createPlugin(authlint);
    const decisions = (found: string[]) => found.filter((f) => f.includes('authz-no-client-controlled-decision'));
    expect(decisions(await lintBoth(editor, root, 'src/app.ts'))).toHaveLength(1);
    write(root, 'src/roles/read.ts', 'export function readRole(req: any) {\n  return req.user.role;\n}\n');
    expect(decisions(await lintBoth(editor, root, 'src/app.ts'))).toEqual([]);
    write(root, 'src/roles/read.ts', files['src/roles/read.ts'] as string);
    expect(decisions(await lintBoth(editor, root, 'src/app.ts'))).toHaveLength(1);
  });
});

describe('the files of a snapshot', () => {
  it('are the files on disk in discovery order, the linted buffer in its place, as in a snapshot built file by file', () => {
    const root = writeRepo('file-order');
    // A file the CLI skips (over maxFileSize), linted with a buffer, is added where discovery lists it too.
    write(root, 'authlint.config.json', JSON.stringify({ maxFileSize: 600 }));
    write(root, 'src/big.ts', `export const big = '${'x'.repeat(700)}';\n`);
    const state = new ProjectState(authlint, authlint.ALL_RULES, root, undefined);
    state.refresh(0);
    const onDisk = state.getSnapshot({ path: path.join(root, 'src/config.ts'), text: FILES['src/config.ts'] as string }).project.files();
    const listed = onDisk.map((f) => f.relPath);
    expect(listed).toEqual([...listed].sort());
    expect(listed).not.toContain('src/big.ts');
    for (const [rel, text] of [
      ['src/routes/orders.ts', `${FILES['src/routes/orders.ts'] as string}// typed\n`],
      ['src/app.ts', `${FILES['src/app.ts'] as string}// typed\n`],
      ['src/big.ts', 'export const big = 1;\n'],
      ['src/routes/health.ts', "export const health = 'ok';\n"],
    ] as const) {
      const files = state.getSnapshot({ path: path.join(root, rel), text }).project.files();
      const expected = rel === 'src/routes/health.ts' ? [...listed, rel] : [...listed, rel].filter((f, i, all) => all.indexOf(f) === i).sort();
      expect(files.map((f) => f.relPath), rel).toEqual(expected);
      // Every other file is the version the snapshot of the disk texts has; the linted one is the buffer.
      for (const file of files) {
        if (file.relPath === rel) expect(file.text).toBe(text);
        else expect(file).toBe(onDisk.find((f) => f.relPath === file.relPath));
      }
    }
  });
});
