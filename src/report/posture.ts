import type { ServiceProfile } from '../core/profile.js';
import type { Level, TokenContract } from '../core/types.js';

/** Version of the `authlint posture --format json` shape; bumped on any incompatible change. */
export const POSTURE_VERSION = 1;

export interface PostureFinding {
  ruleId: string;
  level: Level;
  message: string;
  file: string;
  line: number;
}

export interface PostureRepository {
  uri: string;
  revision?: string;
  branch?: string;
  /** The scan root inside the repository, '' for its root. */
  root: string;
}

/** One service as `authlint posture` receives it: its profile and where it came from. */
export interface PostureInput {
  profile: ServiceProfile;
  /** The checkout or JSON report it was read from, as given on the command line. */
  source: string;
  repository?: PostureRepository;
  /** Unsuppressed findings in the service's folder. */
  findings: PostureFinding[];
}

/** What the organization expects: `project.tokenContract` and `project.sharedLibrary` of the posture configuration. */
export interface PostureContract {
  tokenContract?: TokenContract;
  sharedLibraries?: string[];
}

export type CheckStatus = 'pass' | 'deviates' | 'unknown' | 'n/a';

export interface CheckResult {
  status: CheckStatus;
  detail: string;
}

export interface ConsistencyCheck {
  id: string;
  title: string;
  /** What services are compared with: the contract, or what most services do. */
  expected: string;
  /** One result per service, in the order of `services`. */
  results: CheckResult[];
  /** Ids of the services that deviate. */
  deviating: string[];
}

export interface PostureService extends PostureInput {
  /** Unique across the report (package name, disambiguated by source when two services share it); used for anchors. */
  id: string;
  /** `authenticated / (total - public by design)`, null without routes to protect. */
  authenticatedShare: number | null;
  /** `(authorized + owner-scoped) / authenticated`, null when not available. */
  authorizedShare: number | null;
  deviations: number;
}

export interface PostureReport {
  version: typeof POSTURE_VERSION;
  contract: PostureContract;
  services: PostureService[];
  checks: ConsistencyCheck[];
  /** Ids of services whose auth code no CODEOWNERS rule or `owner` setting names. */
  unowned: string[];
}

const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/^HS/, 'HMAC'],
  [/^RS/, 'RSA'],
  [/^PS/, 'RSA-PSS'],
  [/^ES/, 'ECDSA'],
  [/^(EdDSA|Ed25519|Ed448)$/, 'EdDSA'],
  [/^none$/i, 'none'],
];

export function getAlgorithmFamily(algorithm: string): string {
  return FAMILIES.find(([pattern]) => pattern.test(algorithm))?.[1] ?? algorithm;
}

function families(algorithms: readonly string[]): string[] {
  return [...new Set(algorithms.map(getAlgorithmFamily))].sort();
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The most common value among services that have one (ties: the alphabetically first), with how many of them share it. */
function majority(values: readonly string[]): { value: string; count: number; of: number } | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return top ? { value: top[0], count: top[1], of: values.length } : undefined;
}

function describeMajority(found: { value: string; count: number; of: number }): string {
  return `most common: ${found.value} (${found.count} of ${found.of} ${found.of === 1 ? 'service' : 'services'} that write one)`;
}

const GENERIC_NAME_WORDS = new Set(['service', 'services', 'svc', 'api', 'app', 'server', 'backend', 'acme', 'the', 'http', 'https', 'www', 'com', 'org', 'io']);

function nameWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !GENERIC_NAME_WORDS.has(w));
}

/** Whether an audience names the service: it shares a word with the package name (scope and generic words aside). */
export function audienceNamesService(audience: string, serviceName: string): boolean {
  const words = new Set(nameWords(serviceName));
  return nameWords(audience).some((w) => words.has(w) || [...words].some((s) => s.startsWith(w) || w.startsWith(s)));
}

function verifies(p: ServiceProfile): boolean {
  return p.jwt.verifications > 0;
}

const NO_VERIFY: CheckResult = { status: 'n/a', detail: 'no token verification found' };

function checkIssuer(services: readonly PostureService[], contract: PostureContract): ConsistencyCheck {
  const expectedList = asList(contract.tokenContract?.issuer);
  const common = majority(services.filter((s) => s.profile.jwt.issuers.length > 0).map((s) => s.profile.jwt.issuers.join(', ')));
  const expected = expectedList.length > 0 ? expectedList : common !== undefined ? common.value.split(', ') : [];
  const results = services.map(({ profile: p }): CheckResult => {
    if (!verifies(p)) return NO_VERIFY;
    if (p.jwt.issuerChecked < p.jwt.verifications) return { status: 'deviates', detail: `${p.jwt.verifications - p.jwt.issuerChecked} of ${p.jwt.verifications} verifications check no issuer` };
    if (p.jwt.issuers.length === 0) return { status: 'unknown', detail: 'issuer checked, value not written in the code' };
    const other = p.jwt.issuers.filter((i) => !expected.includes(i));
    return other.length > 0 ? { status: 'deviates', detail: `accepts ${other.join(', ')}` } : { status: 'pass', detail: p.jwt.issuers.join(', ') };
  });
  return finish('issuer', 'Same token issuer', expectedList.length > 0 ? `contract: ${expectedList.join(', ')}` : common ? describeMajority(common) : 'no issuer written anywhere', services, results);
}

function checkAlgorithms(services: readonly PostureService[], contract: PostureContract): ConsistencyCheck {
  const allowed = contract.tokenContract?.algorithms ?? [];
  const common = majority(services.filter((s) => s.profile.jwt.verifyAlgorithms.length > 0).map((s) => families(s.profile.jwt.verifyAlgorithms).join('+')));
  const results = services.map(({ profile: p }): CheckResult => {
    if (!verifies(p)) return NO_VERIFY;
    const algs = p.jwt.verifyAlgorithms;
    if (algs.length === 0) return { status: allowed.length > 0 || common ? 'deviates' : 'unknown', detail: 'accepted algorithms not restricted in the code' };
    if (allowed.length > 0) {
      const extra = algs.filter((a) => !allowed.includes(a));
      return extra.length > 0 ? { status: 'deviates', detail: `accepts ${extra.join(', ')}` } : { status: 'pass', detail: algs.join(', ') };
    }
    const family = families(algs).join('+');
    return family === common?.value ? { status: 'pass', detail: algs.join(', ') } : { status: 'deviates', detail: `${family} (${algs.join(', ')})` };
  });
  const expected = allowed.length > 0 ? `contract: ${allowed.join(', ')}` : common ? describeMajority(common) : 'no algorithm written anywhere';
  return finish('algorithms', 'Same algorithm family', expected, services, results);
}

function checkKeySource(services: readonly PostureService[], contract: PostureContract): ConsistencyCheck {
  const jwksExpected = contract.tokenContract?.jwksUri !== undefined || services.some((s) => s.profile.jwt.keySources.includes('jwks'));
  const results = services.map(({ profile: p }): CheckResult => {
    if (!verifies(p)) return NO_VERIFY;
    const sources = p.jwt.keySources;
    if (sources.includes('hard-coded')) return { status: 'deviates', detail: 'key written in the code' };
    if (sources.includes('secret-env')) return jwksExpected ? { status: 'deviates', detail: 'shared secret from the environment' } : { status: 'pass', detail: 'shared secret from the environment' };
    if (sources.length === 0 || sources.every((s) => s === 'unknown')) return { status: 'unknown', detail: 'key source not recognised' };
    return { status: 'pass', detail: sources.filter((s) => s !== 'unknown').join(', ') };
  });
  const expected = contract.tokenContract?.jwksUri ? `contract: JWKS at ${contract.tokenContract.jwksUri}` : jwksExpected ? 'JWKS, as other services do' : 'no hard-coded keys';
  return finish('key-source', 'Keys from JWKS, not shared secrets', expected, services, results);
}

function checkSharedLibrary(services: readonly PostureService[], contract: PostureContract): ConsistencyCheck {
  const packages = contract.sharedLibraries ?? [];
  const results = services.map(({ profile: p }): CheckResult => {
    if (packages.length === 0) return { status: 'n/a', detail: 'no shared library configured' };
    if (p.jwt.viaSharedLibrary === false) return { status: 'deviates', detail: `verifies with ${p.jwt.verifyLibraries.join(', ')} directly` };
    const usesShared = p.dependencies.some((d) => packages.includes(d));
    if (p.jwt.viaSharedLibrary !== true && verifies(p)) return { status: 'deviates', detail: `verifies with ${p.jwt.verifyLibraries.join(', ')} directly` };
    if (usesShared || p.jwt.viaSharedLibrary === true) return { status: 'pass', detail: packages.filter((x) => p.dependencies.includes(x)).join(', ') || 'through the shared library' };
    return p.routes.authenticated > 0 ? { status: 'unknown', detail: 'authenticates without a visible verification or the shared library' } : NO_VERIFY;
  });
  return finish('shared-library', 'Validation through the shared library', packages.length > 0 ? packages.join(', ') : 'not configured (project.sharedLibrary)', services, results);
}

function checkAudience(services: readonly PostureService[], contract: PostureContract): ConsistencyCheck {
  const allowed = contract.tokenContract?.audiences ?? [];
  const results = services.map(({ profile: p }): CheckResult => {
    if (!verifies(p)) return NO_VERIFY;
    if (p.jwt.audienceChecked < p.jwt.verifications) return { status: 'deviates', detail: `${p.jwt.verifications - p.jwt.audienceChecked} of ${p.jwt.verifications} verifications check no audience` };
    if (p.jwt.audiences.length === 0) return { status: 'unknown', detail: 'audience checked, value not written in the code' };
    const outside = allowed.length > 0 ? p.jwt.audiences.filter((a) => !allowed.includes(a)) : [];
    if (outside.length > 0) return { status: 'deviates', detail: `${outside.join(', ')} not in the contract` };
    const named = p.jwt.audiences.some((a) => audienceNamesService(a, p.name));
    return named ? { status: 'pass', detail: p.jwt.audiences.join(', ') } : { status: 'deviates', detail: `${p.jwt.audiences.join(', ')} does not name ${p.name}` };
  });
  return finish('audience', 'Audience names the service', allowed.length > 0 ? `contract: ${allowed.join(', ')}, naming the service` : 'an audience naming the service', services, results);
}

function checkInternalRoutes(services: readonly PostureService[]): ConsistencyCheck {
  const results = services.map(({ profile: p }): CheckResult => {
    if (p.routes.total === 0) return { status: 'n/a', detail: 'no routes found' };
    const n = p.routes.internalUnauthenticated;
    return n > 0 ? { status: 'deviates', detail: `${n} internal ${n === 1 ? 'route' : 'routes'} without authentication` } : { status: 'pass', detail: 'none unauthenticated' };
  });
  return finish('internal-routes', 'Internal routes authenticated', 'every internal or admin route authenticates', services, results);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** How far below the median authorization coverage a service must be to deviate. */
export const COVERAGE_GAP = 0.25;

function checkAuthorizationCoverage(services: readonly PostureService[]): ConsistencyCheck {
  const shares = services.map((s) => s.authorizedShare).filter((v): v is number => v !== null);
  const mid = shares.length > 0 ? median(shares) : undefined;
  const results = services.map((s): CheckResult => {
    if (s.profile.routes.authorized === null) return { status: 'n/a', detail: 'authorization facts not available' };
    if (s.authorizedShare === null || mid === undefined) return { status: 'n/a', detail: 'no authenticated routes' };
    const pct = `${Math.round(s.authorizedShare * 100)} %`;
    return s.authorizedShare < mid - COVERAGE_GAP ? { status: 'deviates', detail: `${pct} authorized vs median ${Math.round(mid * 100)} %` } : { status: 'pass', detail: `${pct} authorized` };
  });
  const expected = mid === undefined ? 'not available: the route facts carry no authorization verdicts' : `within ${Math.round(COVERAGE_GAP * 100)} points of the median (${Math.round(mid * 100)} %)`;
  return finish('authorization-coverage', 'Authorization coverage', expected, services, results);
}

function finish(id: string, title: string, expected: string, services: readonly PostureService[], results: CheckResult[]): ConsistencyCheck {
  return { id, title, expected, results, deviating: services.filter((_, i) => results[i]?.status === 'deviates').map((s) => s.id) };
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares every service with the contract and with the others; pure, deterministic (services sorted by name, then source). */
export function buildPostureReport(inputs: readonly PostureInput[], contract: PostureContract = {}): PostureReport {
  const ordered = [...inputs].sort((a, b) => compare(a.profile.name, b.profile.name) || compare(a.source, b.source) || compare(a.profile.root, b.profile.root));
  const seen = new Map<string, number>();
  for (const input of ordered) seen.set(input.profile.name, (seen.get(input.profile.name) ?? 0) + 1);
  const services: PostureService[] = ordered.map((input) => {
    const r = input.profile.routes;
    const authz = r.authorized === null ? null : r.authorized + (r.ownerScoped ?? 0);
    const duplicate = (seen.get(input.profile.name) ?? 0) > 1;
    return {
      ...input,
      id: duplicate ? `${input.profile.name} (${input.source}${input.profile.root === '.' ? '' : `/${input.profile.root}`})` : input.profile.name,
      authenticatedShare: share(r.authenticated, r.total - r.publicByDesign),
      authorizedShare: authz === null ? null : share(authz, r.authenticated),
      deviations: 0,
    };
  });
  const checks = [
    checkIssuer(services, contract),
    checkAlgorithms(services, contract),
    checkKeySource(services, contract),
    checkSharedLibrary(services, contract),
    checkAudience(services, contract),
    checkInternalRoutes(services),
    checkAuthorizationCoverage(services),
  ];
  services.forEach((s, i) => {
    s.deviations = checks.filter((c) => c.results[i]?.status === 'deviates').length;
  });
  return {
    version: POSTURE_VERSION,
    contract,
    services,
    checks,
    unowned: services.filter((s) => s.profile.owner.owners.length === 0).map((s) => s.id),
  };
}

/** A browsable link to a file and line when the repository URL is a known web host; undefined otherwise. */
export function getSourceLink(repository: PostureRepository | undefined, file: string, line: number): string | undefined {
  if (!repository) return undefined;
  let base: URL;
  try {
    base = new URL(repository.uri);
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(base.protocol)) return undefined;
  const repoPath = base.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const web = `https://${base.hostname}${repoPath}`;
  const ref = encodeURIComponent(repository.revision ?? repository.branch ?? 'HEAD');
  const filePath = [repository.root, file]
    .filter((p) => p !== '' && p !== '.')
    .join('/')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  if (base.hostname === 'bitbucket.org') return `${web}/src/${ref}/${filePath}#lines-${line}`;
  if (base.hostname.includes('gitlab')) return `${web}/-/blob/${ref}/${filePath}#L${line}`;
  return `${web}/blob/${ref}/${filePath}#L${line}`;
}

/** The HTML id of a service's section: unique because ids are. */
export function serviceAnchor(service: Pick<PostureService, 'id'>): string {
  const slug = service.id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `service-${slug}-${hash(service.id)}`;
}

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0;
  return h.toString(36);
}

export function formatShare(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value * 100)} %`;
}

/** The overview's text per service, shared by the HTML and markdown reports. */
export interface OverviewCells {
  owner: string;
  library: string;
  algorithms: string;
  keySource: string;
  issuerAudience: string;
  authenticated: string;
  authorized: string;
}

export function getOverviewCells(service: PostureService): OverviewCells {
  const { jwt, owner } = service.profile;
  const libraries = jwt.verifyLibraries.length > 0 ? jwt.verifyLibraries : jwt.signLibraries;
  const issuer = jwt.issuers.length > 0 ? jwt.issuers.join(', ') : jwt.issuerChecked > 0 ? 'checked' : '-';
  const audience = jwt.audiences.length > 0 ? jwt.audiences.join(', ') : jwt.audienceChecked > 0 ? 'checked' : '-';
  return {
    owner: owner.owners.length > 0 ? owner.owners.join(', ') : 'none',
    library: libraries.length > 0 ? libraries.join(', ') : '-',
    algorithms: jwt.verifyAlgorithms.length > 0 ? jwt.verifyAlgorithms.join(', ') : jwt.verifications > 0 ? 'not restricted' : '-',
    keySource: jwt.keySources.length > 0 ? jwt.keySources.join(', ') : '-',
    issuerAudience: `${issuer} / ${audience}`,
    authenticated: formatShare(service.authenticatedShare),
    authorized: formatShare(service.authorizedShare),
  };
}

/** Route protection categories in the order the bars stack them, with their labels. */
export const PROTECTION_ORDER = [
  ['authorized', 'authorized'],
  ['owner-scoped', 'owner-scoped'],
  ['authenticated', 'authenticated'],
  ['public', 'public by design'],
  ['unknown', 'unknown'],
  ['internal', 'internal, no authentication'],
  ['unauthenticated', 'no authentication'],
] as const;
