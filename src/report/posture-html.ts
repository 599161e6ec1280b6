import type { ProfileRoute, RouteProtection } from '../core/profile.js';
import { formatShare, getOverviewCells, getSourceLink, PROTECTION_ORDER, serviceAnchor, type CheckStatus, type PostureReport, type PostureService } from './posture.js';

export interface PostureHtmlOptions {
  toolVersion: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);
}

/**
 * Fill of each protection category: colour plus a pattern, so the bars still read in greyscale
 * and for colour-blind readers. Lightness decreases from "protected" to "open" as a second cue.
 */
export const PROTECTION_STYLE: Record<RouteProtection, { colour: string; pattern?: string }> = {
  authorized: { colour: '#1b5e20' },
  'owner-scoped': { colour: '#2e7d32', pattern: 'dots' },
  authenticated: { colour: '#66bb6a' },
  public: { colour: '#90caf9', pattern: 'diagonal' },
  unknown: { colour: '#bdbdbd', pattern: 'cross' },
  internal: { colour: '#6a1b9a', pattern: 'horizontal' },
  unauthenticated: { colour: '#e53935' },
};

const STATUS_SYMBOL: Record<CheckStatus, { symbol: string; label: string }> = {
  pass: { symbol: '✓', label: 'consistent' },
  deviates: { symbol: '✗', label: 'deviates' },
  unknown: { symbol: '?', label: 'unknown' },
  'n/a': { symbol: '–', label: 'not applicable' },
};

const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--line:#d0d0d0;--bg:#fff;--head:#f3f3f3;--focus:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{padding:0 24px}
header{border-bottom:1px solid var(--line);padding-bottom:8px}
h1{font-size:22px;margin:16px 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
nav a{margin-right:16px}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.muted{color:var(--muted)}
.controls{display:flex;flex-wrap:wrap;gap:12px 20px;align-items:center;margin:8px 0 12px}
.controls input[type=search]{padding:4px 8px;min-width:260px;font:inherit}
.controls select,.pager button{font:inherit;padding:3px 8px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
#overview-table{font-size:13px}
th button{all:unset;cursor:pointer;font-weight:600}
th button::after{content:"";margin-left:4px}
th[aria-sort=ascending] button::after{content:"▲"}
th[aria-sort=descending] button::after{content:"▼"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:6px 0;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.matrix td.status{text-align:center;font-weight:700}
.status-pass{background:#e8f5e9}.status-deviates{background:#ffebee;color:#b71c1c}.status-unknown{background:#fff8e1}.status-na{color:#888}
.pager{display:flex;gap:12px;align-items:center;margin:8px 0}
details.service{border:1px solid var(--line);border-radius:4px;margin:8px 0;padding:0 12px;content-visibility:auto;contain-intrinsic-size:auto 44px}
details.service>summary{cursor:pointer;padding:10px 0;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:4px 0 12px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.level-error{font-weight:700}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
caption{caption-side:top;text-align:left;padding:2px 0 6px}
@media print{.controls,.pager,nav{display:none}}
`;

/** Sorting, filtering and paging of the overview; the matrix follows the overview's order and page. Plain DOM, no network. */
const SCRIPT = `
(function(){
  var table=document.getElementById('overview-table');
  var body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows);
  var matrix=document.getElementById('matrix-table');
  var matrixRows={};
  if(matrix){Array.prototype.forEach.call(matrix.tBodies[0].rows,function(r){matrixRows[r.getAttribute('data-id')]=r;});}
  var filter=document.getElementById('filter');
  var onlyDeviating=document.getElementById('only-deviating');
  var pageSize=document.getElementById('page-size');
  var status=document.getElementById('page-status');
  var prev=document.getElementById('page-prev');
  var next=document.getElementById('page-next');
  var page=0,sortCol=0,sortDir=1;
  var headers=Array.prototype.slice.call(table.tHead.rows[0].cells);
  function value(row,col){var c=row.cells[col];var v=c.getAttribute('data-v');return v===null?c.textContent.trim().toLowerCase():v;}
  function compare(a,b){
    var x=value(a,sortCol),y=value(b,sortCol);
    var numeric=headers[sortCol].getAttribute('data-type')==='number';
    if(numeric){x=x===''?-1:Number(x);y=y===''?-1:Number(y);}
    if(x<y)return -sortDir;if(x>y)return sortDir;
    var n=a.getAttribute('data-name'),m=b.getAttribute('data-name');return n<m?-1:n>m?1:0;
  }
  function update(){
    var q=filter.value.trim().toLowerCase();
    var shown=rows.filter(function(r){
      if(onlyDeviating.checked&&r.getAttribute('data-deviations')==='0')return false;
      return q===''||r.getAttribute('data-search').indexOf(q)!==-1;
    });
    shown.sort(compare);
    var size=Number(pageSize.value);
    var pages=size>0?Math.max(1,Math.ceil(shown.length/size)):1;
    if(page>=pages)page=pages-1;
    var from=size>0?page*size:0,to=size>0?Math.min(shown.length,from+size):shown.length;
    rows.forEach(function(r){r.hidden=true;});
    Object.keys(matrixRows).forEach(function(k){matrixRows[k].hidden=true;});
    var mbody=matrix?matrix.tBodies[0]:null;
    shown.forEach(function(r,i){
      body.appendChild(r);
      var m=matrixRows[r.getAttribute('data-id')];
      if(m)mbody.appendChild(m);
      if(i>=from&&i<to){r.hidden=false;if(m)m.hidden=false;}
    });
    status.textContent=shown.length===0?'No service matches.':'Showing '+(from+1)+'\\u2013'+to+' of '+shown.length+' services'+(shown.length<rows.length?' (filtered from '+rows.length+')':'');
    prev.disabled=page===0;next.disabled=page>=pages-1;
    headers.forEach(function(h,i){if(h.querySelector('button'))h.setAttribute('aria-sort',i===sortCol?(sortDir===1?'ascending':'descending'):'none');});
  }
  headers.forEach(function(h,i){
    var b=h.querySelector('button');if(!b)return;
    b.addEventListener('click',function(){
      if(sortCol===i)sortDir=-sortDir;else{sortCol=i;sortDir=h.getAttribute('data-type')==='number'?-1:1;}
      page=0;update();
    });
  });
  filter.addEventListener('input',function(){page=0;update();});
  onlyDeviating.addEventListener('change',function(){page=0;update();});
  pageSize.addEventListener('change',function(){page=0;update();});
  prev.addEventListener('click',function(){if(page>0){page--;update();}});
  next.addEventListener('click',function(){page++;update();});
  function openTarget(){
    var id=decodeURIComponent(location.hash.slice(1));var el=id&&document.getElementById(id);
    if(el&&el.tagName==='DETAILS'){el.open=true;el.scrollIntoView();}
  }
  window.addEventListener('hashchange',openTarget);
  document.documentElement.classList.add('js');
  update();openTarget();
})();
`;

function patternDefs(): string {
  const defs: string[] = [];
  for (const [key, style] of Object.entries(PROTECTION_STYLE)) {
    if (!style.pattern) continue;
    const id = `pat-${key}`;
    const mark =
      style.pattern === 'dots'
        ? '<circle cx="3" cy="3" r="1.3" fill="#fff"/>'
        : style.pattern === 'diagonal'
          ? '<path d="M0 6L6 0" stroke="#0d47a1" stroke-width="1.4"/>'
          : style.pattern === 'cross'
            ? '<path d="M0 0L6 6M6 0L0 6" stroke="#424242" stroke-width="1"/>'
            : '<path d="M0 3H6" stroke="#fff" stroke-width="1.4"/>';
    defs.push(`<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${style.colour}"/>${mark}</pattern>`);
  }
  return `<svg width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute"><defs>${defs.join('')}</defs></svg>`;
}

function fillOf(protection: RouteProtection): string {
  const style = PROTECTION_STYLE[protection];
  return style.pattern ? `url(#pat-${protection})` : style.colour;
}

function protectionCounts(routes: readonly ProfileRoute[]): Array<{ key: RouteProtection; label: string; count: number }> {
  return PROTECTION_ORDER.map(([key, label]) => ({ key, label, count: routes.filter((r) => r.protection === key).length }));
}

function protectionBar(service: PostureService, width = 160): string {
  const counts = protectionCounts(service.profile.inventory);
  const total = service.profile.inventory.length;
  const text = total === 0 ? 'no routes' : counts.filter((c) => c.count > 0).map((c) => `${c.count} ${c.label}`).join(', ');
  if (total === 0) return `<span class="muted">no routes</span>`;
  let x = 0;
  const rects = counts
    .filter((c) => c.count > 0)
    .map((c) => {
      const w = (c.count / total) * width;
      const rect = `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="14" fill="${fillOf(c.key)}"><title>${esc(`${c.count} ${c.label}`)}</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  return `<svg class="bar" width="${width}" height="14" viewBox="0 0 ${width} 14" role="img" aria-label="${esc(`Route protection: ${text}`)}">${rects}<rect x="0" y="0" width="${width}" height="14" fill="none" stroke="#333" stroke-width="0.5"/></svg>`;
}

function legend(): string {
  const items = PROTECTION_ORDER.map(
    ([key, label]) => `<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="${fillOf(key)}" stroke="#333" stroke-width="0.5"/></svg>${esc(label)}</li>`,
  );
  return `<ul class="legend" aria-label="Route protection legend">${items.join('')}</ul>`;
}

function num(value: number | null, text: string = value === null ? 'n/a' : String(value)): string {
  return `<td class="num" data-v="${value === null ? '' : String(value)}">${esc(text)}</td>`;
}

const OVERVIEW_HEADERS: ReadonlyArray<[string, 'text' | 'number' | 'none']> = [
  ['Service', 'text'],
  ['Route protection', 'none'],
  ['Routes', 'number'],
  ['Authenticated', 'number'],
  ['Authorized', 'number'],
  ['Errors', 'number'],
  ['Warnings', 'number'],
  ['Notes', 'number'],
  ['Deviations', 'number'],
  ['Owner', 'text'],
  ['Library', 'text'],
  ['Algorithms', 'text'],
  ['Key source', 'text'],
  ['Issuer / audience', 'text'],
];

function overviewRow(service: PostureService): string {
  const c = getOverviewCells(service);
  const f = service.profile.findings;
  const search = [service.id, c.owner, c.library, c.algorithms, c.keySource, c.issuerAudience, ...service.profile.frameworks].join(' ').toLowerCase();
  return [
    `<tr data-id="${esc(service.id)}" data-name="${esc(service.id.toLowerCase())}" data-deviations="${service.deviations}" data-search="${esc(search)}">`,
    `<th scope="row"><a href="#${serviceAnchor(service)}">${esc(service.id)}</a></th>`,
    `<td>${protectionBar(service)}</td>`,
    num(service.profile.routes.total),
    num(service.authenticatedShare, c.authenticated),
    num(service.authorizedShare, c.authorized),
    num(f.error),
    num(f.warning),
    num(f.note),
    num(service.deviations),
    `<td>${c.owner === 'none' ? '<span class="muted">none</span>' : esc(c.owner)}</td>`,
    `<td>${esc(c.library)}</td><td>${esc(c.algorithms)}</td><td>${esc(c.keySource)}</td><td>${esc(c.issuerAudience)}</td>`,
    '</tr>',
  ].join('');
}

function overview(report: PostureReport): string {
  const head = OVERVIEW_HEADERS.map(([label, type], i) =>
    type === 'none'
      ? `<th scope="col">${esc(label)}</th>`
      : `<th scope="col"${type === 'number' ? ' class="num"' : ''} data-type="${type}" aria-sort="${i === 0 ? 'ascending' : 'none'}"><button type="button">${esc(label)}</button></th>`,
  ).join('');
  return `<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Overview</h2>
<div class="controls">
<label for="filter">Filter services</label><input id="filter" type="search" placeholder="name, owner, library, algorithm…" autocomplete="off">
<label><input id="only-deviating" type="checkbox"> Only services that deviate</label>
<label for="page-size">Services per page</label><select id="page-size"><option value="25">25</option><option value="50" selected>50</option><option value="100">100</option><option value="0">all</option></select>
</div>
${legend()}
<div class="table-wrap"><table id="overview-table">
<caption class="muted">One row per service; the column headings sort (again to reverse). Authenticated: share of the routes that are not public by design.</caption>
<thead><tr>${head}</tr></thead>
<tbody>${report.services.map(overviewRow).join('\n')}</tbody>
</table></div>
<div class="pager"><button type="button" id="page-prev">Previous page</button><span id="page-status" role="status" aria-live="polite">${report.services.length} services</span><button type="button" id="page-next">Next page</button></div>
</section>`;
}

function matrix(report: PostureReport): string {
  const head = report.checks.map((c) => `<th scope="col">${esc(c.title)}</th>`).join('');
  const rows = report.services.map((service, i) => {
    const cells = report.checks.map((check) => {
      const result = check.results[i];
      if (!result) return '<td></td>';
      const s = STATUS_SYMBOL[result.status];
      const cls = result.status === 'n/a' ? 'na' : result.status;
      return `<td class="status status-${cls}" title="${esc(result.detail)}"><span aria-hidden="true">${s.symbol}</span><span class="sr-only">${esc(`${s.label}: ${result.detail}`)}</span></td>`;
    });
    return `<tr data-id="${esc(service.id)}"><th scope="row"><a href="#${serviceAnchor(service)}">${esc(service.id)}</a></th>${cells.join('')}</tr>`;
  });
  const list = report.checks
    .map(
      (c) =>
        `<li><strong>${esc(c.title)}</strong> <span class="muted">(expected: ${esc(c.expected)})</span>: ${
          c.deviating.length === 0 ? 'no service deviates.' : `${c.deviating.length} deviate: ${c.deviating.map((id) => esc(id)).join(', ')}.`
        }</li>`,
    )
    .join('');
  const contract = report.contract.tokenContract || report.contract.sharedLibraries ? 'Services are compared with the configured contract.' : 'No project.tokenContract is configured: services are compared with what most of them do.';
  return `<section id="checks" aria-labelledby="checks-title">
<h2 id="checks-title">Consistency checks</h2>
<p>${esc(contract)} Symbols: ✓ consistent, ✗ deviates, ? unknown, – not applicable; hover or read the cell for the detail.</p>
<ul>${list}</ul>
<div class="table-wrap"><table id="matrix-table" class="matrix">
<caption class="muted">Services by consistency check</caption>
<thead><tr><th scope="col">Service</th>${head}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table></div>
</section>`;
}

function ownership(report: PostureReport): string {
  const unowned = report.unowned.length === 0 ? '<p>Every service names an owner of its auth code.</p>' : `<p>Services whose auth code has no owner (${report.unowned.length}): ${report.unowned.map(esc).join(', ')}.</p>`;
  return `<section id="ownership" aria-labelledby="ownership-title"><h2 id="ownership-title">Ownership</h2><p class="muted">From CODEOWNERS rules covering the files that verify or sign tokens (or apply auth middleware), else the <code>project.owner</code> setting.</p>${unowned}</section>`;
}

function location(service: PostureService, file: string, line: number): string {
  const text = esc(`${file}:${line}`);
  const link = getSourceLink(service.repository, file, line);
  return link ? `<a href="${esc(link)}" rel="noopener noreferrer">${text}</a>` : text;
}

function serviceSection(service: PostureService): string {
  const p = service.profile;
  const j = p.jwt;
  const owners = p.owner.owners.length > 0 ? `${p.owner.owners.join(', ')} (${p.owner.source === 'config' ? 'authlint config' : 'CODEOWNERS'})` : 'none';
  const facts: Array<[string, string]> = [
    ['Source', `${service.source}${p.root === '.' ? '' : ` (folder ${p.root})`}`],
    ['Frameworks', p.frameworks.join(', ') || 'none found'],
    ['Owners', owners],
    ['Auth files', p.authFiles.join(', ') || 'none found'],
    ['Verifies with', `${j.verifyLibraries.join(', ') || '-'} (${j.verifications} ${j.verifications === 1 ? 'call' : 'calls'})`],
    ['Signs with', j.signLibraries.join(', ') || '-'],
    ['Algorithms accepted', j.verifyAlgorithms.join(', ') || (j.verifications > 0 ? 'not restricted in the code' : '-')],
    ['Key source', j.keySources.join(', ') || '-'],
    ['Issuers checked', j.issuers.join(', ') || `${j.issuerChecked} of ${j.verifications} verifications`],
    ['Audiences checked', j.audiences.join(', ') || `${j.audienceChecked} of ${j.verifications} verifications`],
    ['Token lifetimes', `${j.lifetimes.join(', ') || '-'}${j.signWithoutLifetime > 0 ? `; ${j.signWithoutLifetime} signed without one` : ''}`],
    ['Unverified decodes', String(j.decodeOnly)],
    ['Via shared library', j.viaSharedLibrary === undefined ? 'not configured at scan time' : j.viaSharedLibrary ? 'yes' : 'no'],
  ];
  const r = p.routes;
  const routes = p.inventory.length === 0
    ? '<p>No routes found.</p>'
    : `<div class="table-wrap"><table><caption>Routes (${r.total}): authorized ${r.authorized ?? 'n/a'}, owner-scoped ${r.ownerScoped ?? 'n/a'}, authenticated ${r.authenticated}, public by design ${r.publicByDesign}, internal without authentication ${r.internalUnauthenticated}, without authentication ${r.unauthenticated}, unknown ${r.unknown}</caption>
<thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Protection</th><th scope="col">Authentication</th><th scope="col">Location</th></tr></thead><tbody>${p.inventory
        .map((route) => `<tr><td>${esc(route.method)}</td><td><code>${esc(route.path)}</code></td><td>${esc(route.protection)}</td><td>${esc(route.authentication ?? '-')}</td><td>${location(service, route.file, route.line)}</td></tr>`)
        .join('')}</tbody></table></div>`;
  const findings = service.findings.length === 0
    ? '<p>No findings.</p>'
    : `<div class="table-wrap"><table><caption>Findings (${service.findings.length})</caption><thead><tr><th scope="col">Level</th><th scope="col">Rule</th><th scope="col">Message</th><th scope="col">Location</th></tr></thead><tbody>${service.findings
        .map((f) => `<tr><td class="level-${f.level}">${esc(f.level)}</td><td>${esc(f.ruleId)}</td><td>${esc(f.message)}</td><td>${location(service, f.file, f.line)}</td></tr>`)
        .join('')}</tbody></table></div>`;
  const summary = `${service.id} — ${r.total} routes, ${formatShare(service.authenticatedShare)} authenticated, ${p.findings.error} errors, ${p.findings.warning} warnings, ${service.deviations} deviations`;
  return `<details class="service" id="${serviceAnchor(service)}"><summary>${esc(summary)}</summary>
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${protectionBar(service, 480)}
<h3>Route inventory</h3>${routes}
<h3>Findings</h3>${findings}
</details>`;
}

/** The posture report as one self-contained HTML page: inline CSS, SVG and script, no external resource. */
export function formatPostureHtml(report: PostureReport, options: PostureHtmlOptions): string {
  const n = report.services.length;
  const deviating = report.services.filter((s) => s.deviations > 0).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="authlint ${esc(options.toolVersion)}">
<title>Auth posture: ${n} ${n === 1 ? 'service' : 'services'}</title>
<style>${CSS}</style>
</head>
<body>
${patternDefs()}
<header>
<h1>Auth posture</h1>
<p>${n} ${n === 1 ? 'service' : 'services'}; ${deviating} deviate in at least one consistency check; ${report.unowned.length} without an owner of their auth code.</p>
<nav aria-label="Sections"><a href="#overview">Overview</a><a href="#checks">Consistency checks</a><a href="#ownership">Ownership</a><a href="#services">Services</a></nav>
</header>
<main>
${overview(report)}
${matrix(report)}
${ownership(report)}
<section id="services" aria-labelledby="services-title"><h2 id="services-title">Services</h2>
${report.services.map(serviceSection).join('\n')}
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
