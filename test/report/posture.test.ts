import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCodeowners, parseCodeowners } from '../../src/core/codeowners.js';
import type { ServiceFacts, ServiceProfile } from '../../src/core/profile.js';
import type { RouteInventoryRow } from '../../src/core/inventory.js';
import { getAuthorizationVerdict, getServiceFacts } from '../../src/facts/profile.js';
import { audienceNamesService, buildPostureReport, getSourceLink, type PostureInput, type PostureReport } from '../../src/report/posture.js';
import { formatPostureHtml, PROTECTION_STYLE } from '../../src/report/posture-html.js';
import { formatPostureMarkdown } from '../../src/report/posture-markdown.js';
import { buildServiceProfiles, countRoutes } from '../../src/report/profile.js';
import { scan } from '../../src/scan.js';

const ORG = path.resolve(import.meta.dirname, '../../fixtures/posture-org');

function scanOrg(): { facts: ServiceFacts[]; profiles: ServiceProfile[] } {
  let facts: ServiceFacts[] = [];
  const result = scan({ paths: [ORG], root: ORG, onProject: (project) => (facts = getServiceFacts(project)) });
  const rules = parseCodeowners(fs.readFileSync(path.join(ORG, 'CODEOWNERS'), 'utf8'));
  const findings = result.findings.map((f) => ({ ruleId: f.ruleId, level: f.level, file: f.file }));
  return { facts, profiles: buildServiceProfiles(facts, findings, { codeowners: { rules, rootInRepository: '' } }) };
}

function byName(profiles: readonly ServiceProfile[], name: string): ServiceProfile {
  const found = profiles.find((p) => p.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

function inputs(profiles: readonly ServiceProfile[]): PostureInput[] {
  return profiles.map((profile) => ({ profile, source: 'fixtures/posture-org', findings: [] }));
}

function statuses(report: PostureReport, checkId: string): Record<string, string> {
  const check = report.checks.find((c) => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId}`);
  return Object.fromEntries(report.services.map((s, i) => [s.id, check.results[i]?.status ?? '']));
}

describe('service profiles of a monorepo whose services deviate in known ways', () => {
  const { facts, profiles } = scanOrg();

  it('finds one service per package, named by its package name', () => {
    expect(facts.map((f) => [f.name, f.root])).toEqual([
      ['@acme/billing', 'services/billing'],
      ['@acme/legacy-reports', 'services/legacy'],
      ['@acme/orders', 'services/orders'],
    ]);
  });

  it('describes how each service verifies and signs tokens', () => {
    expect(byName(profiles, '@acme/orders').jwt).toMatchObject({
      verifyLibraries: ['jose'],
      verifyAlgorithms: ['RS256'],
      keySources: ['jwks'],
      issuers: ['https://id.acme.example'],
      audiences: ['orders'],
      verifications: 1,
      issuerChecked: 1,
      audienceChecked: 1,
      signLibraries: [],
    });
    expect(byName(profiles, '@acme/billing').jwt).toMatchObject({ verifyLibraries: ['jsonwebtoken'], verifyAlgorithms: ['HS256'], keySources: ['secret-env'], audiences: ['payments'] });
    expect(byName(profiles, '@acme/legacy-reports').jwt).toMatchObject({
      keySources: ['hard-coded'],
      issuers: ['https://legacy.acme.example'],
      audiences: [],
      audienceChecked: 0,
      signLibraries: ['jsonwebtoken'],
      signAlgorithms: ['HS256'],
      lifetimes: ['30d'],
      signWithoutLifetime: 0,
    });
  });

  it('counts routes by protection, with authorization counts only when the route facts carry verdicts', () => {
    const hasVerdicts = facts.every((f) => f.authorizationFacts);
    expect(byName(profiles, '@acme/orders').routes).toMatchObject({
      total: 4,
      authenticated: 3,
      publicByDesign: 1,
      unauthenticated: 0,
      internalUnauthenticated: 0,
      unknown: 0,
    });
    for (const profile of profiles) {
      const verdicts = profile.inventory.filter((r) => r.protection === 'authorized').length;
      expect(profile.routes.authorized).toBe(hasVerdicts ? verdicts : null);
    }
    expect(byName(profiles, '@acme/billing').routes).toMatchObject({ total: 3, authenticated: 2, internalUnauthenticated: 1, unauthenticated: 0 });
    expect(byName(profiles, '@acme/legacy-reports').routes).toMatchObject({ total: 3, authenticated: 1, publicByDesign: 1, unauthenticated: 1 });
    expect(byName(profiles, '@acme/legacy-reports').inventory.map((r) => `${r.method} ${r.path} ${r.protection}`)).toEqual([
      'POST /login public',
      'GET /reports authenticated',
      'GET /reports/export unauthenticated',
    ]);
  });

  it('attributes findings to the service whose folder holds them', () => {
    expect(byName(profiles, '@acme/orders').findings.total).toBe(0);
    expect(byName(profiles, '@acme/billing').findings.byRule['route-no-unprotected-internal']).toEqual({ error: 1, warning: 0, note: 0 });
    expect(byName(profiles, '@acme/legacy-reports').findings.byRule['jwt-no-hardcoded-secret']).toEqual({ error: 1, warning: 0, note: 0 });
    expect(byName(profiles, '@acme/legacy-reports').findings.byRule['route-require-authentication']).toEqual({ error: 1, warning: 0, note: 0 });
  });

  it('takes owners from the CODEOWNERS rules that cover the files verifying tokens', () => {
    expect(byName(profiles, '@acme/orders').owner).toEqual({ owners: ['@acme/identity'], source: 'codeowners', unownedFiles: [] });
    expect(byName(profiles, '@acme/billing').owner.owners).toEqual(['@acme/payments', 'jane@acme.example']);
    expect(byName(profiles, '@acme/legacy-reports').owner).toEqual({ owners: [], source: 'none', unownedFiles: ['services/legacy/src/auth.js'] });
  });

  it('falls back to the configured owner when CODEOWNERS names nobody', () => {
    const legacy = facts.find((f) => f.name === '@acme/legacy-reports') as ServiceFacts;
    const [profile] = buildServiceProfiles([{ ...legacy, configOwners: ['@acme/reporting'] }], []);
    expect(profile?.owner).toEqual({ owners: ['@acme/reporting'], source: 'config', unownedFiles: [] });
  });

  it('without a contract, compares each service with what most services do', () => {
    const report = buildPostureReport(inputs(profiles));
    expect(statuses(report, 'issuer')).toEqual({ '@acme/billing': 'pass', '@acme/legacy-reports': 'deviates', '@acme/orders': 'pass' });
    expect(report.checks.find((c) => c.id === 'issuer')?.expected).toBe('most common: https://id.acme.example (2 of 3 services that write one)');
    expect(report.checks.find((c) => c.id === 'algorithms')?.expected).toBe('most common: HMAC (2 of 3 services that write one)');
    expect(statuses(report, 'algorithms')).toEqual({ '@acme/billing': 'pass', '@acme/legacy-reports': 'pass', '@acme/orders': 'deviates' });
    expect(statuses(report, 'key-source')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'deviates', '@acme/orders': 'pass' });
    expect(statuses(report, 'audience')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'deviates', '@acme/orders': 'pass' });
    expect(statuses(report, 'internal-routes')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'pass', '@acme/orders': 'pass' });
    expect(statuses(report, 'shared-library')).toEqual({ '@acme/billing': 'n/a', '@acme/legacy-reports': 'n/a', '@acme/orders': 'n/a' });
    expect(statuses(report, 'authorization-coverage')).toEqual({ '@acme/billing': 'pass', '@acme/legacy-reports': 'pass', '@acme/orders': 'pass' });
    expect(report.unowned).toEqual(['@acme/legacy-reports']);
    expect(report.services.map((s) => [s.id, s.deviations])).toEqual([
      ['@acme/billing', 3],
      ['@acme/legacy-reports', 3],
      ['@acme/orders', 1],
    ]);
  });

  it('with project.tokenContract and a shared library, compares every service with the contract', () => {
    const report = buildPostureReport(inputs(profiles), {
      tokenContract: { algorithms: ['RS256', 'ES256'], issuer: 'https://id.acme.example', audiences: ['orders', 'billing'], jwksUri: 'https://id.acme.example/.well-known/jwks.json' },
      sharedLibraries: ['@acme/auth'],
    });
    expect(statuses(report, 'algorithms')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'deviates', '@acme/orders': 'pass' });
    expect(statuses(report, 'audience')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'deviates', '@acme/orders': 'pass' });
    expect(report.checks.find((c) => c.id === 'audience')?.results[0]?.detail).toBe('payments not in the contract');
    expect(statuses(report, 'shared-library')).toEqual({ '@acme/billing': 'deviates', '@acme/legacy-reports': 'deviates', '@acme/orders': 'deviates' });
    expect(report.checks.find((c) => c.id === 'key-source')?.expected).toBe('contract: JWKS at https://id.acme.example/.well-known/jwks.json');
  });

  it('without a contract, a service that restricts no algorithm deviates once most services pin one; alone it is unknown', () => {
    const orders = byName(profiles, '@acme/orders');
    const withAlgorithms = (name: string, verifyAlgorithms: string[]): ServiceProfile => ({ ...orders, name, jwt: { ...orders.jwt, verifyAlgorithms } });
    const report = buildPostureReport(inputs([withAlgorithms('a', ['RS256']), withAlgorithms('b', ['RS256']), withAlgorithms('c', [])]));
    expect(statuses(report, 'algorithms')).toEqual({ a: 'pass', b: 'pass', c: 'deviates' });
    expect(report.checks.find((c) => c.id === 'algorithms')?.results[2]?.detail).toBe('accepted algorithms not restricted in the code');
    expect(statuses(buildPostureReport(inputs([withAlgorithms('c', [])])), 'algorithms')).toEqual({ c: 'unknown' });
  });

  it('flags a service whose authorization coverage is far below the others, once verdicts exist', () => {
    const orders = byName(profiles, '@acme/orders');
    const withVerdicts = (name: string, authorized: number, authenticated: number): ServiceProfile => ({
      ...orders,
      name,
      routes: { ...orders.routes, total: authenticated, authenticated, publicByDesign: 0, authorized, ownerScoped: 0 },
    });
    const report = buildPostureReport(inputs([withVerdicts('a', 9, 10), withVerdicts('b', 8, 10), withVerdicts('c', 1, 10)]));
    expect(statuses(report, 'authorization-coverage')).toEqual({ a: 'pass', b: 'pass', c: 'deviates' });
    expect(report.services.map((s) => s.authorizedShare)).toEqual([0.9, 0.8, 0.1]);
  });

  it('links inventory rows and findings to the file and line when the repository URL is known', () => {
    const orders = byName(profiles, '@acme/orders');
    const report = buildPostureReport([
      {
        profile: orders,
        source: 'orders.json',
        repository: { uri: 'https://github.com/acme/platform.git', revision: 'abc123', root: '' },
        findings: [{ ruleId: 'jwt-require-claim-checks', level: 'warning', message: 'No audience.', file: 'services/orders/src/auth.js', line: 8 }],
      },
    ]);
    const markdown = formatPostureMarkdown(report);
    expect(markdown).toContain('| GET | `/orders` | authenticated | [services/orders/src/app.js:6](https://github.com/acme/platform/blob/abc123/services/orders/src/app.js#L6) |');
    expect(markdown).toContain('| warning | jwt-require-claim-checks | No audience. | [services/orders/src/auth.js:8](https://github.com/acme/platform/blob/abc123/services/orders/src/auth.js#L8) |');
    const html = formatPostureHtml(report, { toolVersion: '0.0.0' });
    expect(html).toContain('<a href="https://github.com/acme/platform/blob/abc123/services/orders/src/auth.js#L8" rel="noopener noreferrer">services/orders/src/auth.js:8</a>');
    expect(formatPostureMarkdown(buildPostureReport(inputs([orders])))).toContain('| GET | `/orders` | authenticated | services/orders/src/app.js:6 |');
  });

  it('gives services with the same package name distinct ids', () => {
    const orders = byName(profiles, '@acme/orders');
    const report = buildPostureReport([
      { profile: orders, source: 'a.json', findings: [] },
      { profile: orders, source: 'b.json', findings: [] },
    ]);
    expect(report.services.map((s) => s.id)).toEqual(['@acme/orders (a.json/services/orders)', '@acme/orders (b.json/services/orders)']);
  });
});

describe('authorization verdicts', () => {
  const row: RouteInventoryRow = {
    framework: 'express',
    method: 'GET',
    path: '/orders/:id',
    pathResolved: true,
    file: 'src/app.js',
    line: 3,
    column: 1,
    authentication: 'present',
    authorization: [],
    publicMarkers: [],
    unknownSteps: [],
    internal: [],
    detached: false,
  };

  it('are read from the inventory row when the route facts carry them', () => {
    const withStatus = (authorizationStatus: NonNullable<RouteInventoryRow['authorizationStatus']>) => {
      const extended = { ...row, authorizationStatus };
      return getAuthorizationVerdict(extended);
    };
    expect(withStatus('authorized')).toBe('authorized');
    expect(withStatus('owner-scoped')).toBe('owner-scoped');
    expect(withStatus('caller-only')).toBe('owner-scoped');
    expect(withStatus('none')).toBe('other');
    expect(getAuthorizationVerdict(row)).toBeUndefined();
  });

  it('make authorized and owner-scoped counts available, and not available without them', () => {
    const routes = [
      { method: 'GET', path: '/a', file: 'a.js', line: 1, protection: 'authorized' as const },
      { method: 'GET', path: '/b', file: 'a.js', line: 2, protection: 'owner-scoped' as const },
      { method: 'GET', path: '/c', file: 'a.js', line: 3, protection: 'authenticated' as const },
    ];
    expect(countRoutes(routes, true)).toMatchObject({ total: 3, authenticated: 3, authorized: 1, ownerScoped: 1 });
    expect(countRoutes(routes.slice(2), false)).toMatchObject({ total: 1, authenticated: 1, authorized: null, ownerScoped: null });
  });
});

describe('CODEOWNERS', () => {
  const rules = parseCodeowners(
    [
      '# comment',
      '*           @acme/platform',
      'services/billing/ @acme/payments # trailing comment',
      '/services/orders/src/*.js @acme/identity alice@acme.example',
      'services/orders/src/generated.js',
      '[Reports] @acme/reporting',
      'services/legacy/',
      'docs/file\\#1.md @acme/docs',
    ].join('\n'),
  );

  it('lets the last matching rule win, with GitLab section defaults', () => {
    expect(getCodeowners(rules, 'services/billing/src/auth.js')).toEqual(['@acme/payments']);
    expect(getCodeowners(rules, 'services/orders/src/auth.js')).toEqual(['@acme/identity', 'alice@acme.example']);
    expect(getCodeowners(rules, 'services/orders/src/generated.js')).toEqual([]);
    expect(getCodeowners(rules, 'README.md')).toEqual(['@acme/platform']);
    expect(getCodeowners(rules, 'services/legacy/src/auth.js')).toEqual(['@acme/platform', '@acme/reporting']);
    expect(getCodeowners(rules, 'docs/file#1.md')).toEqual(['@acme/docs', '@acme/platform']);
  });

  it('matches nothing without rules', () => {
    expect(getCodeowners(parseCodeowners('# only a comment\n'), 'src/auth.ts')).toBeUndefined();
  });
});

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('route protection fills', () => {
  it('still tell categories apart in greyscale: solid fills differ in lightness, the others by pattern', () => {
    const styles = Object.values(PROTECTION_STYLE);
    const solid = styles.filter((s) => !s.pattern).map((s) => luminance(s.colour)).sort((a, b) => a - b);
    for (let i = 1; i < solid.length; i++) expect((solid[i] as number) - (solid[i - 1] as number)).toBeGreaterThan(0.08);
    const patterns = styles.flatMap((s) => (s.pattern ? [s.pattern] : []));
    expect(new Set(patterns).size).toBe(patterns.length);
  });
});

describe('posture helpers', () => {
  it('links to the file and line on GitHub, GitLab and Bitbucket, and not for unknown schemes', () => {
    expect(getSourceLink({ uri: 'https://github.com/acme/shop.git', revision: 'abc123', root: 'services/orders' }, 'src/app.js', 7)).toBe(
      'https://github.com/acme/shop/blob/abc123/services/orders/src/app.js#L7',
    );
    expect(getSourceLink({ uri: 'ssh://gitlab.com/acme/shop.git', branch: 'main', root: '' }, 'src/app.js', 3)).toBe('https://gitlab.com/acme/shop/-/blob/main/src/app.js#L3');
    expect(getSourceLink({ uri: 'https://bitbucket.org/acme/shop', root: '' }, 'a b.js', 1)).toBe('https://bitbucket.org/acme/shop/src/HEAD/a%20b.js#lines-1');
    expect(getSourceLink({ uri: 'file:///srv/repo', root: '' }, 'a.js', 1)).toBeUndefined();
    expect(getSourceLink(undefined, 'a.js', 1)).toBeUndefined();
  });

  it('tells whether an audience names the service', () => {
    expect(audienceNamesService('orders', '@acme/orders')).toBe(true);
    expect(audienceNamesService('https://api.acme.example/orders', '@acme/orders-service')).toBe(true);
    expect(audienceNamesService('payments', '@acme/billing')).toBe(false);
    expect(audienceNamesService('api', 'api')).toBe(false);
  });
});
