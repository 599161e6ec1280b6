import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_AUTHORIZATION } from '../../src/facts/authz/index.js';
import { formatRouteName, ROUTES } from '../../src/facts/routes/index.js';
import { scan } from '../../src/scan.js';
import { makeTree } from '../cli/support.js';
import { FIXTURES, scannedFixtures } from '../support/services.js';
import { checkFileOrder, checkRouteOrder } from '../support/analysis-order.js';

describe('route analyses do not depend on order', () => {
  const fixtures = scannedFixtures().map((dir) => ({ group: path.relative(FIXTURES, path.dirname(dir)) || '.', name: path.basename(dir), dir }));
  it.each(fixtures)('$group / $name: each route alone and all in reverse as in one pass', ({ dir }) => {
    const report = checkRouteOrder(dir);
    expect(report.differences).toEqual([]);
  });

  it('reads the caller from a request-scoped store the same way from a route near the store and one six calls away', () => {
    // The archive route (analysed first) reaches currentUserId at the depth where following calls stops; the orders
    // route calls it directly and must still see the caller it returns.
    const root = makeTree({
      'package.json': '{ "name": "orders", "dependencies": { "express": "4.21.2", "mongoose": "8.9.0", "passport": "0.7.0" } }\n',
      'src/order.js': "const mongoose = require('mongoose');\nmodule.exports = mongoose.model('Order', new mongoose.Schema({ owner: String, total: Number }));\n",
      'src/context.js': [
        "const { AsyncLocalStorage } = require('node:async_hooks');",
        'const storage = new AsyncLocalStorage();',
        'function requestStore() { return storage.getStore(); }',
        'function currentUserId() { return requestStore().userId; }',
        'function tenantScope() { return currentUserId(); }',
        'function regionScope() { return tenantScope(); }',
        'function shardScope() { return regionScope(); }',
        'function auditScope() { return shardScope(); }',
        'function archiveScope() { return auditScope(); }',
        'module.exports = { currentUserId, archiveScope };',
        '',
      ].join('\n'),
      'src/archive.routes.js': [
        "const express = require('express');",
        'const router = express.Router();',
        "const Order = require('./order');",
        "const { archiveScope } = require('./context');",
        "router.get('/archive/orders/:id', async (req, res) => res.json(await Order.findOne({ _id: req.params.id, owner: archiveScope() })));",
        'module.exports = router;',
        '',
      ].join('\n'),
      'src/orders.routes.js': [
        "const express = require('express');",
        'const router = express.Router();',
        "const Order = require('./order');",
        "const { currentUserId } = require('./context');",
        "router.get('/orders/:id', async (req, res) => res.json(await Order.findOne({ _id: req.params.id, owner: currentUserId() })));",
        'module.exports = router;',
        '',
      ].join('\n'),
      'src/app.js': [
        "const express = require('express');",
        "const passport = require('passport');",
        'const app = express();',
        "app.use(passport.authenticate('jwt', { session: false }));",
        "app.use('/api', require('./archive.routes'));",
        "app.use('/api', require('./orders.routes'));",
        'module.exports = app;',
        '',
      ].join('\n'),
    });
    const verdicts: Record<string, string | undefined> = {};
    scan({
      root,
      onProject: (project) => {
        const facts = project.projectFact(ROUTE_AUTHORIZATION);
        for (const route of project.projectFact(ROUTES)) verdicts[formatRouteName(route)] = facts.get(route)?.verdict;
      },
    });
    expect(verdicts).toEqual({ 'GET /api/archive/orders/:id': 'none', 'GET /api/orders/:id': 'owner-scoped' });
    expect(checkRouteOrder(root).differences).toEqual([]);
  });
});

describe('file rules do not depend on which files were linted first', () => {
  const fixtures = scannedFixtures().map((dir) => ({ group: path.relative(FIXTURES, path.dirname(dir)) || '.', name: path.basename(dir), dir }));
  it.each(fixtures)('$group / $name: each file alone and all in reverse as in one pass', ({ dir }) => {
    expect(checkFileOrder(dir).differences).toEqual([]);
  });
});

// Real services, when named: AUTHLINT_ORDER_ROOTS=/work/eval/juice-shop:/work/eval/dvws-node npx vitest run test/facts/analysis-order.test.ts
const roots = (process.env.AUTHLINT_ORDER_ROOTS ?? '').split(':').filter(Boolean);
describe.runIf(roots.length > 0)('route analyses of real services do not depend on order', () => {
  it.each(roots)('%s', (root) => {
    const report = checkRouteOrder(root, { aloneLimit: Number(process.env.AUTHLINT_ORDER_ALONE ?? Infinity) });
    console.log(`${root}: ${report.routes} routes, ${report.alone} alone, ${report.differences.length} differences`);
    for (const d of report.differences) console.log(`  ${d.order} ${d.part} ${d.route}\n    expected ${d.expected}\n    actual   ${d.actual}`);
    expect(report.differences).toEqual([]);
    const files = checkFileOrder(root);
    console.log(`${root}: ${files.files} files, ${files.differences.length} file-rule differences`);
    for (const d of files.differences) console.log(`  ${d.order} ${d.file}\n    expected ${d.expected}\n    actual   ${d.actual}`);
    expect(files.differences).toEqual([]);
  }, 3_600_000);
});
