import { formatShare, getOverviewCells, getSourceLink, PROTECTION_ORDER, serviceAnchor, type PostureReport, type PostureService } from './posture.js';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)];
}

const STATUS_TEXT = { pass: 'ok', deviates: '**deviates**', unknown: 'unknown', 'n/a': 'n/a' } as const;

function serviceSection(service: PostureService): string[] {
  const p = service.profile;
  const r = p.routes;
  const lines = [`### ${service.id}`, '', `<a id="${serviceAnchor(service)}"></a>`, ''];
  lines.push(`Source: \`${service.source}\`${p.root === '.' ? '' : ` (folder \`${p.root}\`)`}. Frameworks: ${p.frameworks.join(', ') || 'none found'}.`);
  lines.push(`Owners: ${p.owner.owners.length > 0 ? `${p.owner.owners.join(', ')} (${p.owner.source === 'config' ? 'authlint config' : 'CODEOWNERS'})` : '**none**'}${p.owner.unownedFiles.length > 0 ? `; auth files without a CODEOWNERS owner: ${p.owner.unownedFiles.map((f) => `\`${f}\``).join(', ')}` : ''}.`);
  const lifetimes = p.jwt.lifetimes.length > 0 ? p.jwt.lifetimes.join(', ') : '-';
  lines.push(`Tokens: verified with ${p.jwt.verifyLibraries.join(', ') || '-'} (${p.jwt.verifications} ${p.jwt.verifications === 1 ? 'call' : 'calls'}), signed with ${p.jwt.signLibraries.join(', ') || '-'}; lifetimes ${lifetimes}${p.jwt.signWithoutLifetime > 0 ? `, ${p.jwt.signWithoutLifetime} signed without one` : ''}; ${p.jwt.decodeOnly} unverified decodes.`);
  lines.push('');
  const counts = PROTECTION_ORDER.map(([key, label]) => {
    const value = key === 'authorized' ? r.authorized : key === 'owner-scoped' ? r.ownerScoped : service.profile.inventory.filter((x) => x.protection === key).length;
    return `${label}: ${value === null ? 'n/a' : value}`;
  });
  lines.push(`Routes: ${r.total} (${counts.join(', ')}).`, '');
  const location = (file: string, line: number): string => {
    const link = getSourceLink(service.repository, file, line);
    return link ? `[${file}:${line}](${link})` : `${file}:${line}`;
  };
  if (p.inventory.length > 0) {
    lines.push(...table(['Method', 'Path', 'Protection', 'Location'], p.inventory.map((route) => [route.method, `\`${route.path}\``, route.protection, location(route.file, route.line)])), '');
  }
  if (service.findings.length > 0) {
    lines.push(...table(['Level', 'Rule', 'Message', 'Location'], service.findings.map((f) => [f.level, f.ruleId, f.message, location(f.file, f.line)])), '');
  } else lines.push('No findings.', '');
  return lines;
}

/** The posture report as markdown, for a wiki page or a pull request. */
export function formatPostureMarkdown(report: PostureReport): string {
  const lines = ['# Auth posture', ''];
  const deviating = report.services.filter((s) => s.deviations > 0).length;
  lines.push(`${report.services.length} ${report.services.length === 1 ? 'service' : 'services'}; ${deviating} deviate from the contract or from the others in at least one check.`, '');
  lines.push('## Overview', '');
  lines.push(
    ...table(
      ['Service', 'Owner', 'Library', 'Algorithms', 'Key source', 'Issuer / audience', 'Authenticated', 'Authorized', 'Errors', 'Warnings', 'Notes', 'Deviations'],
      report.services.map((s) => {
        const c = getOverviewCells(s);
        const f = s.profile.findings;
        return [`[${s.id}](#${serviceAnchor(s)})`, c.owner, c.library, c.algorithms, c.keySource, c.issuerAudience, c.authenticated, c.authorized, String(f.error), String(f.warning), String(f.note), String(s.deviations)];
      }),
    ),
    '',
  );
  lines.push('## Consistency checks', '');
  for (const check of report.checks) {
    lines.push(`- **${check.title}** (expected: ${check.expected}): ${check.deviating.length === 0 ? 'no service deviates.' : `${check.deviating.join(', ')}.`}`);
  }
  lines.push('', ...table(['Service', ...report.checks.map((c) => c.title)], report.services.map((s, i) => [s.id, ...report.checks.map((c) => {
    const result = c.results[i];
    return result ? `${STATUS_TEXT[result.status]}: ${result.detail}` : '';
  })])), '');
  lines.push('## Ownership', '');
  lines.push(report.unowned.length === 0 ? 'Every service names an owner of its auth code.' : `Services whose auth code has no owner: ${report.unowned.join(', ')}.`, '');
  lines.push('## Services', '');
  for (const service of report.services) lines.push(...serviceSection(service));
  lines.push(`Authenticated share: authenticated routes out of the routes that are not public by design (${formatShare(null)} when there are none).`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The posture report as versioned JSON. */
export function formatPostureJson(report: PostureReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
