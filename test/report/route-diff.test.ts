import { describe, expect, it } from 'vitest';
import type { RouteInventory, RouteInventoryRow } from '../../src/core/inventory.js';
import { diffRouteInventories, summarizeRouteDiff } from '../../src/report/route-diff.js';

function row(method: string, path: string, extra: Partial<RouteInventoryRow> = {}): RouteInventoryRow {
  return {
    framework: 'nestjs',
    method,
    path,
    pathResolved: true,
    file: 'src/orders.controller.ts',
    line: 10,
    column: 3,
    authentication: 'present',
    authenticationStep: { name: 'JwtAuthGuard', reason: 'passport-jwt strategy', file: 'src/app.module.ts', line: 5 },
    authorization: [],
    publicMarkers: [],
    unknownSteps: [],
    internal: [],
    detached: false,
    ...extra,
  };
}

function inventory(routes: RouteInventoryRow[]): RouteInventory {
  return { routes, summary: { total: routes.length, authenticated: 0, optional: 0, unknown: 0, unauthenticated: 0 } };
}

describe('diffRouteInventories', () => {
  it('names each protection change and whether it exposes the route more', () => {
    const roles = { name: "RolesGuard('admin')", reason: 'roles metadata', file: 'src/roles.guard.ts', line: 3 };
    const base = inventory([
      row('GET', '/orders'),
      row('POST', '/orders', { authorization: [roles] }),
      row('GET', '/health', { authentication: 'none' }),
      row('GET', '/metrics'),
      row('GET', '/reports'),
    ]);
    const head = inventory([
      row('GET', '/orders', { publicMarkers: ['@Public()'] }),
      row('POST', '/orders'),
      row('GET', '/health', { authentication: 'none', authorization: [roles] }),
      row('GET', '/metrics', { internal: ["path segment 'metrics'"] }),
      row('GET', '/reports', { authentication: 'optional', authenticationStep: { name: 'AnonymousGuard', reason: 'allows anonymous', file: 'src/a.ts', line: 1 } }),
    ]);
    const diff = diffRouteInventories(base, head, 'main');
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [`${c.method} ${c.path}`, c.changes.map((x) => `${x.kind} ${x.from}→${x.to} ${x.weakens ? 'weakens' : 'strengthens'}`)])).toEqual([
      ['GET /orders', ['public-marker-added →@Public() weakens']],
      ['POST /orders', ["authorization-removed RolesGuard('admin')→ weakens"]],
      ['GET /health', ["authorization-added →RolesGuard('admin') strengthens"]],
      ['GET /metrics', ["internal-added →path segment 'metrics' weakens"]],
      ['GET /reports', ['authentication JwtAuthGuard→optional: AnonymousGuard weakens']],
    ]);
    expect(summarizeRouteDiff(diff)).toBe(
      'This change weakens the protection of 4 routes (GET /orders, POST /orders, GET /metrics, GET /reports); changes the protection of 1 other route.',
    );
  });

  it('judges a route registered twice by its weaker registration', () => {
    const base = inventory([row('GET', '/exports')]);
    const head = inventory([row('GET', '/exports'), row('GET', '/exports', { file: 'src/legacy.ts', authentication: 'none' })]);
    expect(diffRouteInventories(base, head, 'v1.2.0').changed).toEqual([
      { method: 'GET', path: '/exports', file: 'src/legacy.ts', line: 10, changes: [{ kind: 'authentication', from: 'JwtAuthGuard', to: 'none', weakens: true }] },
    ]);
  });

  it('says so when nothing changed', () => {
    const same = inventory([row('GET', '/orders')]);
    expect(summarizeRouteDiff(diffRouteInventories(same, same, 'main'))).toBe('No route exposure changes since main.');
  });
});
