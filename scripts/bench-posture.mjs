#!/usr/bin/env node
// Posture benchmark: generates N JSON scan reports (one service each, seeded, varied the way an
// organisation's services vary), times `authlint posture` over all of them, then loads the HTML in
// Debian's Chromium and times the first render and a sort, a filter and a page change.
// Usage: node scripts/bench-posture.mjs [--services 300] [--routes 40] [--keep DIR]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const SERVICES = Number(option('services', '300'));
const ROUTES = Number(option('routes', '40'));
const keep = option('keep', undefined);
const ROOT = path.resolve(import.meta.dirname, '..');

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const PROTECTIONS = ['authenticated', 'authenticated', 'authenticated', 'public', 'unauthenticated', 'internal', 'unknown'];
const RULES = ['jwt-require-claim-checks', 'jwt-no-symmetric-algorithm', 'route-require-authentication', 'jwt-no-hardcoded-secret', 'route-no-unprotected-internal'];
const LEVELS = ['error', 'warning', 'warning', 'note'];

function makeReport(i) {
  const name = `@acme/svc-${String(i).padStart(3, '0')}`;
  const style = pick(['jwks', 'jwks', 'jwks', 'secret-env', 'hard-coded']);
  const library = style === 'jwks' ? pick(['jose', 'jwks-rsa', '@acme/auth']) : 'jsonwebtoken';
  const inventory = Array.from({ length: ROUTES }, (_, r) => ({
    method: pick(['GET', 'POST', 'PUT', 'DELETE']),
    path: `/v1/${name.slice(6)}/resource-${r}/:id`,
    file: `src/routes/resource-${r % 8}.ts`,
    line: 10 + r,
    protection: pick(PROTECTIONS),
    authentication: 'authenticate',
  }));
  const count = (p) => inventory.filter((r) => r.protection === p).length;
  const findings = Array.from({ length: Math.floor(random() * 30) }, (_, f) => {
    const ruleId = pick(RULES);
    return {
      ruleId,
      level: pick(LEVELS),
      message: `Finding ${f} of ${name}.`,
      file: `src/routes/resource-${f % 8}.ts`,
      line: 10 + f,
      column: 1,
      endLine: 10 + f,
      endColumn: 20,
      related: [],
      fingerprint: `${i}`.padStart(32, '0'),
    };
  });
  const byRule = {};
  const totals = { error: 0, warning: 0, note: 0 };
  for (const f of findings) {
    byRule[f.ruleId] ??= { error: 0, warning: 0, note: 0 };
    byRule[f.ruleId][f.level]++;
    totals[f.level]++;
  }
  const service = {
    name,
    root: '.',
    frameworks: [pick(['express', 'nestjs', 'fastify', 'koa'])],
    dependencies: [library],
    jwt: {
      signLibraries: [],
      verifyLibraries: [library],
      verifyAlgorithms: style === 'jwks' ? ['RS256'] : ['HS256'],
      signAlgorithms: [],
      keySources: [style === 'jwks' ? 'jwks' : style],
      issuers: [random() < 0.9 ? 'https://id.acme.example' : 'https://legacy.acme.example'],
      audiences: random() < 0.8 ? [name.slice(6)] : ['api'],
      verifications: 1,
      issuerChecked: 1,
      audienceChecked: 1,
      lifetimes: [],
      signWithoutLifetime: 0,
      decodeOnly: 0,
      directPackages: [library],
    },
    routes: {
      total: inventory.length,
      authenticated: count('authenticated'),
      authorized: null,
      ownerScoped: null,
      publicByDesign: count('public'),
      unauthenticated: count('unauthenticated'),
      internalUnauthenticated: count('internal'),
      unknown: count('unknown'),
    },
    inventory,
    findings: { total: findings.length, ...totals, byRule },
    owner: random() < 0.85 ? { owners: [`@acme/team-${i % 20}`], source: 'codeowners', unownedFiles: [] } : { owners: [], source: 'none', unownedFiles: ['src/auth.ts'] },
    authFiles: ['src/auth.ts'],
  };
  return {
    version: 1,
    tool: { name: 'authlint', version: '0.1.0' },
    root: '.',
    repository: { uri: `https://github.com/acme/svc-${i}.git`, revision: 'c0ffee', root: '' },
    findings,
    notifications: [],
    summary: { files: 40, lines: 4000, findings: findings.length, errors: totals.error, warnings: totals.warning, notes: totals.note, suppressed: 0, notifications: 0, successful: true },
    profileVersion: 1,
    services: [service],
  };
}

const work = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-posture-bench-'));
fs.mkdirSync(work, { recursive: true });
const files = [];
for (let i = 0; i < SERVICES; i++) {
  const file = path.join(work, `svc-${i}.json`);
  fs.writeFileSync(file, JSON.stringify(makeReport(i)));
  files.push(file);
}
const out = path.join(work, 'posture.html');
const started = performance.now();
execFileSync(process.execPath, [path.join(ROOT, 'bin/authlint.js'), 'posture', ...files, '--output', out], { stdio: 'inherit' });
const renderMs = performance.now() - started;
const size = fs.statSync(out).size;

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const loadStart = performance.now();
await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
const loadMs = performance.now() - loadStart;
// Timed inside the page: the handler's work plus the style and layout it causes (forced by reading a layout property).
const time = (script) =>
  page.evaluate((body) => {
    const t = performance.now();
    new Function(body)();
    void document.body.offsetHeight;
    return performance.now() - t;
  }, script);
const sortMs = await time("[...document.querySelectorAll('#overview-table thead button')].find((b) => b.textContent === 'Errors').click()");
const filterMs = await time("const f = document.getElementById('filter'); f.value = 'svc-1'; f.dispatchEvent(new Event('input'));");
await time("const f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input'));");
const pageMs = await time("document.getElementById('page-next').click()");
const visible = await page.locator('#overview-table tbody tr:not([hidden])').count();
await browser.close();
if (!keep) fs.rmSync(work, { recursive: true, force: true });

const round = (ms) => `${Math.round(ms)} ms`;
console.log(`posture over ${SERVICES} JSON reports (${ROUTES} routes each): ${round(renderMs)} to write ${(size / 1024 / 1024).toFixed(1)} MB of HTML`);
console.log(`Chromium: load ${round(loadMs)}, sort ${round(sortMs)}, filter ${round(filterMs)}, next page ${round(pageMs)}; ${visible} overview rows on screen`);
