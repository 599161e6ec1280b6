import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, scannedFixtures } from '../support/services.js';
import { checkRouteOrder } from '../support/route-order.js';

describe('route analyses do not depend on order', () => {
  const fixtures = scannedFixtures().map((dir) => ({ group: path.relative(FIXTURES, path.dirname(dir)) || '.', name: path.basename(dir), dir }));
  it.each(fixtures)('$group / $name: each route alone and all in reverse as in one pass', ({ dir }) => {
    const report = checkRouteOrder(dir);
    expect(report.differences).toEqual([]);
  });
});

// Real services, when named: AUTHLINT_ORDER_ROOTS=/work/eval/juice-shop:/work/eval/dvws-node npx vitest run test/facts/route-order.test.ts
const roots = (process.env.AUTHLINT_ORDER_ROOTS ?? '').split(':').filter(Boolean);
describe.runIf(roots.length > 0)('route analyses of real services do not depend on order', () => {
  it.each(roots)('%s', (root) => {
    const report = checkRouteOrder(root, { aloneLimit: Number(process.env.AUTHLINT_ORDER_ALONE ?? Infinity) });
    console.log(`${root}: ${report.routes} routes, ${report.alone} alone, ${report.differences.length} differences`);
    for (const d of report.differences) console.log(`  ${d.order} ${d.part} ${d.route}\n    expected ${d.expected}\n    actual   ${d.actual}`);
    expect(report.differences).toEqual([]);
  }, 3_600_000);
});
