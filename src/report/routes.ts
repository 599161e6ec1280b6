import type { RouteInventory, RouteInventoryRow } from '../core/inventory.js';

/** Version of the `authlint routes --format json` shape; bumped on any incompatible change. */
export const ROUTE_INVENTORY_VERSION = 1;

function authenticationText(row: RouteInventoryRow): string {
  const step = row.authenticationStep?.name;
  switch (row.authentication) {
    case 'present':
      return step ?? 'yes';
    case 'optional':
      return `optional: ${step ?? '?'}`;
    case 'unknown':
      return step !== undefined ? `unknown: ${step}` : 'unknown';
    default:
      return 'none';
  }
}

function authorizationText(row: RouteInventoryRow): string {
  const steps = row.authorization.map((s) => s.name);
  const others = [...new Set((row.authorizationEvidence ?? []).filter((e) => e.kind !== 'chain-step').map((e) => `${e.kind} ${e.file}:${e.line}`))];
  const detail = [...steps, ...others].join(', ');
  const status = row.authorizationStatus ?? 'unknown';
  return detail === '' ? status : `${status}: ${detail}`;
}

function publicText(row: RouteInventoryRow): string {
  if (row.publicMarkers.length > 0) return `marker: ${row.publicMarkers.join(', ')}`;
  return row.publicReason ?? '-';
}

function notes(row: RouteInventoryRow): string {
  const parts: string[] = [];
  if (row.internal.length > 0) parts.push(`internal: ${row.internal[0]}`);
  if (row.detached) parts.push(row.framework === 'nestjs' ? 'controller not reached from any NestFactory.create application' : 'router not mounted by a resolved app');
  if (row.unknownSteps.length > 0 && row.authentication !== 'unknown') parts.push(`unknown: ${row.unknownSteps.join(', ')}`);
  if (row.registrations && row.registrations.length > 0) parts.push(`also registered at ${row.registrations.map((r) => `${r.file}:${r.line}`).join(', ')}`);
  return parts.join('; ');
}

function summaryLine(inventory: RouteInventory): string {
  const s = inventory.summary;
  const noun = s.total === 1 ? 'route' : 'routes';
  return `${s.total} ${noun}: ${s.authenticated} authenticated, ${s.unauthenticated} without authentication, ${s.optional} with optional authentication, ${s.unknown} unknown.`;
}

/** An aligned plain-text table for terminals. */
export function formatRouteTable(inventory: RouteInventory): string {
  const header = ['METHOD', 'PATH', 'AUTHENTICATION', 'AUTHORIZATION', 'PUBLIC', 'LOCATION', 'NOTES'];
  const rows = inventory.routes.map((r) => [r.method, r.path, authenticationText(r), authorizationText(r), publicText(r), `${r.file}:${r.line}`, notes(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  if (rows.length === 0) return 'No routes found.\n';
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${summaryLine(inventory)}\n`;
}

/** The inventory as versioned JSON. */
export function formatRouteJson(inventory: RouteInventory): string {
  return `${JSON.stringify({ version: ROUTE_INVENTORY_VERSION, summary: inventory.summary, routes: inventory.routes }, null, 2)}\n`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Markdown table for pull-request comments and audits. */
export function formatRouteMarkdown(inventory: RouteInventory): string {
  const lines = [
    '| Method | Path | Authentication | Authorization | Public | Location | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...inventory.routes.map(
      (r) =>
        `| ${r.method} | \`${r.path.replace(/`/g, "'")}\` | ${escapeMarkdown(authenticationText(r))} | ${escapeMarkdown(authorizationText(r))} | ${escapeMarkdown(publicText(r))} | ${escapeMarkdown(`${r.file}:${r.line}`)} | ${escapeMarkdown(notes(r))} |`,
    ),
  ];
  return `${lines.join('\n')}\n\n${summaryLine(inventory)}\n`;
}
