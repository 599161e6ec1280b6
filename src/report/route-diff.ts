import type { AuthenticationStatus, RouteInventory, RouteInventoryRow } from '../core/inventory.js';

/** Version of the `authlint routes --compare --format json` shape; bumped on any incompatible change. */
export const ROUTE_DIFF_VERSION = 1;

export type RouteChangeKind =
  | 'authentication'
  | 'authorization-removed'
  | 'authorization-added'
  | 'public-marker-added'
  | 'public-marker-removed'
  | 'internal-added'
  | 'internal-removed';

export interface RouteChange {
  kind: RouteChangeKind;
  /** What it was and what it is, in the inventory's words (`present: requireJwt`, `none`, a step name). */
  from: string;
  to: string;
  /** True when the change exposes the route more than before. */
  weakens: boolean;
}

export interface ChangedRoute {
  method: string;
  path: string;
  file: string;
  line: number;
  changes: RouteChange[];
}

export interface RouteDiff {
  /** The git ref or inventory file compared against. */
  base: string;
  added: RouteInventoryRow[];
  removed: RouteInventoryRow[];
  changed: ChangedRoute[];
}

const AUTHENTICATION_RANK: Record<AuthenticationStatus, number> = { none: 0, optional: 1, unknown: 2, present: 3 };

function routeKey(row: Pick<RouteInventoryRow, 'method' | 'path'>): string {
  return `${row.method} ${row.path}`;
}

/** One row per method and path: when a route is registered twice, the weaker registration decides its exposure. */
function byRoute(inventory: RouteInventory): Map<string, RouteInventoryRow> {
  const rows = new Map<string, RouteInventoryRow>();
  for (const row of inventory.routes) {
    const key = routeKey(row);
    const known = rows.get(key);
    if (!known || AUTHENTICATION_RANK[row.authentication] < AUTHENTICATION_RANK[known.authentication]) rows.set(key, row);
  }
  return rows;
}

/** `requireJwt`, `optional: anonymousAllowed`, `unknown: checkSession`, or `none`. */
export function describeAuthentication(row: RouteInventoryRow): string {
  const step = row.authenticationStep?.name;
  if (row.authentication === 'none' || step === undefined) return row.authentication;
  return row.authentication === 'present' ? step : `${row.authentication}: ${step}`;
}

function setChanges(before: readonly string[], after: readonly string[], removed: RouteChangeKind, added: RouteChangeKind, removedWeakens: boolean): RouteChange[] {
  const changes: RouteChange[] = [];
  for (const name of before) if (!after.includes(name)) changes.push({ kind: removed, from: name, to: '', weakens: removedWeakens });
  for (const name of after) if (!before.includes(name)) changes.push({ kind: added, from: '', to: name, weakens: !removedWeakens });
  return changes;
}

function compareRows(base: RouteInventoryRow, head: RouteInventoryRow): RouteChange[] {
  const changes: RouteChange[] = [];
  if (base.authentication !== head.authentication) {
    changes.push({
      kind: 'authentication',
      from: describeAuthentication(base),
      to: describeAuthentication(head),
      weakens: AUTHENTICATION_RANK[head.authentication] < AUTHENTICATION_RANK[base.authentication],
    });
  }
  const names = (row: RouteInventoryRow) => [...new Set(row.authorization.map((s) => s.name))];
  changes.push(...setChanges(names(base), names(head), 'authorization-removed', 'authorization-added', true));
  changes.push(...setChanges(base.publicMarkers, head.publicMarkers, 'public-marker-removed', 'public-marker-added', false));
  if (base.internal.length === 0 && head.internal.length > 0) changes.push({ kind: 'internal-added', from: '', to: head.internal[0] as string, weakens: true });
  if (base.internal.length > 0 && head.internal.length === 0) changes.push({ kind: 'internal-removed', from: base.internal[0] as string, to: '', weakens: false });
  return changes;
}

/** Routes added, removed, and those whose protection changed between two inventories, keyed by method and path. */
export function diffRouteInventories(base: RouteInventory, head: RouteInventory, baseName: string): RouteDiff {
  const before = byRoute(base);
  const after = byRoute(head);
  const added = [...after.entries()].filter(([key]) => !before.has(key)).map(([, row]) => row);
  const removed = [...before.entries()].filter(([key]) => !after.has(key)).map(([, row]) => row);
  const changed: ChangedRoute[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    if (!old) continue;
    const changes = compareRows(old, row);
    if (changes.length > 0) changed.push({ method: row.method, path: row.path, file: row.file, line: row.line, changes });
  }
  return { base: baseName, added, removed, changed };
}

/** No authentication, or only one that lets anonymous requests through. */
function isWithoutAuthentication(row: RouteInventoryRow): boolean {
  return row.authentication === 'none' || row.authentication === 'optional';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function routeList(rows: ReadonlyArray<Pick<RouteInventoryRow, 'method' | 'path'>>): string {
  const shown = rows.slice(0, 5).map(routeKey);
  return rows.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** One or two sentences for a reviewer: "This change adds 3 routes, 1 without authentication (POST /api/exports)." */
export function summarizeRouteDiff(diff: RouteDiff): string {
  if (diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0) return `No route exposure changes since ${diff.base}.`;
  const parts: string[] = [];
  if (diff.added.length > 0) {
    const open = diff.added.filter(isWithoutAuthentication);
    parts.push(`adds ${plural(diff.added.length, 'route')}${open.length > 0 ? `, ${open.length} without authentication (${routeList(open)})` : ''}`);
  }
  const weakened = diff.changed.filter((c) => c.changes.some((change) => change.weakens));
  if (weakened.length > 0) parts.push(`weakens the protection of ${plural(weakened.length, 'route')} (${routeList(weakened)})`);
  const other = diff.changed.length - weakened.length;
  if (other > 0) parts.push(`changes the protection of ${plural(other, 'other route')}`);
  if (diff.removed.length > 0) parts.push(`removes ${plural(diff.removed.length, 'route')}`);
  return `This change ${parts.join('; ')}.`;
}

export function describeChange(change: RouteChange): string {
  switch (change.kind) {
    case 'authentication':
      return `authentication ${change.from} → ${change.to}`;
    case 'authorization-removed':
      return `authorization step removed: ${change.from}`;
    case 'authorization-added':
      return `authorization step added: ${change.to}`;
    case 'public-marker-added':
      return `public marker added: ${change.to}`;
    case 'public-marker-removed':
      return `public marker removed: ${change.from}`;
    case 'internal-added':
      return `newly internal: ${change.to}`;
    case 'internal-removed':
      return `no longer internal: ${change.from}`;
  }
}

function describeRow(row: RouteInventoryRow): string {
  return `${describeAuthentication(row)}${row.authorization.length > 0 ? `; authorization: ${row.authorization.map((s) => s.name).join(', ')}` : ''}`;
}

/** Plain text for terminals and CI logs. */
export function formatRouteDiffText(diff: RouteDiff): string {
  const out: string[] = [summarizeRouteDiff(diff)];
  if (diff.added.length > 0) {
    out.push('', 'Added');
    for (const r of diff.added) out.push(`  + ${routeKey(r)}  authentication ${describeRow(r)}  ${r.file}:${r.line}`);
  }
  if (diff.changed.length > 0) {
    out.push('', 'Protection changed');
    for (const c of diff.changed) {
      out.push(`  ${c.changes.some((x) => x.weakens) ? '!' : '~'} ${c.method} ${c.path}  ${c.file}:${c.line}`);
      for (const change of c.changes) out.push(`      ${describeChange(change)}`);
    }
  }
  if (diff.removed.length > 0) {
    out.push('', 'Removed');
    for (const r of diff.removed) out.push(`  - ${routeKey(r)}  ${r.file}:${r.line}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatRouteDiffJson(diff: RouteDiff): string {
  const weakened = diff.changed.filter((c) => c.changes.some((change) => change.weakens)).length;
  const addedWithoutAuthentication = diff.added.filter(isWithoutAuthentication).length;
  const data = {
    version: ROUTE_DIFF_VERSION,
    base: diff.base,
    summary: { added: diff.added.length, addedWithoutAuthentication, removed: diff.removed.length, changed: diff.changed.length, weakened, text: summarizeRouteDiff(diff) },
    added: diff.added,
    removed: diff.removed,
    changed: diff.changed,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function codeCell(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Markdown for a pull-request comment or the GitHub step summary. */
export function formatRouteDiffMarkdown(diff: RouteDiff): string {
  const out: string[] = ['### Route exposure', '', cell(summarizeRouteDiff(diff))];
  if (diff.added.length > 0) {
    out.push('', '| Added | Authentication | Authorization | Location |', '| --- | --- | --- | --- |');
    for (const r of diff.added) {
      out.push(`| ${r.method} ${codeCell(r.path)} | ${cell(describeAuthentication(r))} | ${cell(r.authorization.map((s) => s.name).join(', ') || '-')} | ${cell(`${r.file}:${r.line}`)} |`);
    }
  }
  if (diff.changed.length > 0) {
    out.push('', '| Protection changed | Change | Location |', '| --- | --- | --- |');
    for (const c of diff.changed) {
      const mark = c.changes.some((x) => x.weakens) ? '⚠️ ' : '';
      out.push(`| ${mark}${c.method} ${codeCell(c.path)} | ${cell(c.changes.map(describeChange).join('; '))} | ${cell(`${c.file}:${c.line}`)} |`);
    }
  }
  if (diff.removed.length > 0) {
    out.push('', '| Removed | Location |', '| --- | --- |');
    for (const r of diff.removed) out.push(`| ${r.method} ${codeCell(r.path)} | ${cell(`${r.file}:${r.line}`)} |`);
  }
  return `${out.join('\n')}\n`;
}
