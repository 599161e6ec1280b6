import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTree } from './support.js';

/** A small Express service: passport guards the admin route, a hand-written middleware guards the orders router. */
export const SHOP_SERVICE: Record<string, string> = {
  'package.json': '{ "name": "shop", "private": true, "dependencies": { "express": "^4.21.0", "jsonwebtoken": "^9.0.2", "passport": "^0.7.0" } }\n',
  'src/middleware/auth.js': [
    "const jwt = require('jsonwebtoken');",
    '',
    'function requireAuth(req, res, next) {',
    "  const header = req.headers.authorization || '';",
    '  try {',
    "    req.user = jwt.verify(header.replace('Bearer ', ''), process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'], issuer: 'https://id.example.com', audience: 'shop' });",
    '  } catch (e) {',
    '    return res.status(401).end();',
    '  }',
    '  return next();',
    '}',
    '',
    'module.exports = { requireAuth };',
    '',
  ].join('\n'),
  'src/routes/orders.js': [
    "const { Router } = require('express');",
    "const { requireAuth } = require('../middleware/auth');",
    '',
    'const orders = Router();',
    "orders.get('/', requireAuth, (req, res) => res.json([]));",
    "orders.post('/:id/cancel', requireAuth, async (req, res) => res.json(await Order.update({ status: 'cancelled' }, { where: { id: req.params.id } })));",
    'module.exports = orders;',
    '',
  ].join('\n'),
  'src/routes/legacy.js': [
    "const { Router } = require('express');",
    '',
    'const legacy = Router();',
    "legacy.get('/report', (req, res) => res.json({ owner: req.user }));",
    'module.exports = legacy;',
    '',
  ].join('\n'),
  'src/app.js': [
    "const express = require('express');",
    "const passport = require('passport');",
    "const orders = require('./routes/orders');",
    "const legacy = require('./routes/legacy');",
    '',
    'const app = express();',
    "app.get('/admin/stats', passport.authenticate('jwt', { session: false }), (req, res) => { if (!req.user.isAdmin) return res.sendStatus(403); res.json({}); });",
    "app.use('/orders', orders);",
    "app.use('/legacy', legacy);",
    'app.listen(3000);',
    '',
  ].join('\n'),
};

/** The middleware after a careless edit: it no longer checks anything. */
export const OPEN_AUTH_MIDDLEWARE = ['function requireAuth(req, res, next) {', '  return next();', '}', '', 'module.exports = { requireAuth };', ''].join('\n');

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=authlint test', '-c', 'user.email=test@authlint.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A temporary git repository with `files` committed on `main`. */
export function makeGitRepo(files: Record<string, string>): string {
  const dir = makeTree(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

export function writeFile(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

export function commitAll(root: string, message: string): void {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', message);
}
