import path from 'node:path';
import ignore from 'ignore';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import type { RouteInventoryRow } from '../core/inventory.js';
import type { JwtProfile, KeySource, ProfileRoute, RouteProtection, ServiceFacts } from '../core/profile.js';
import { compareStrings } from '../core/engine.js';
import { isTestPath } from '../core/parse.js';
import { getJwtCalls, lookupOption, type JwtCall, type JwtKey } from './jwt.js';
import { getPublicEndpointReason, isProbePath } from './routes/exposure.js';
import { getServiceKey } from './routes/index.js';
import { getRouteInventory } from './routes/inventory.js';
import { getStringAlternatives, type Value } from './values.js';

interface ServiceAccumulator {
  calls: JwtCall[];
  rows: RouteInventoryRow[];
  authFiles: Set<string>;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

function keySourceOf(key: JwtKey): KeySource {
  switch (key.kind) {
    case 'jwks':
      return 'jwks';
    case 'asymmetric':
      return 'public-key';
    case 'provider':
      return 'provider';
    case 'secret':
      if (key.literals.length > 0) return 'hard-coded';
      return key.stringSource === true || key.sourceName !== undefined ? 'secret-env' : 'unknown';
    default:
      return key.literals.some((l) => l.form === 'string' || l.form === 'buffer' || l.form === 'encoder') ? 'hard-coded' : 'unknown';
  }
}

function staticText(value: Value): string[] {
  if (value.kind === 'number') return [String(value.value)];
  return getStringAlternatives(value);
}

/** The lifetimes a signing call sets through its options (`expiresIn: '1h'`), `dynamic` when not static. */
function getLifetimes(call: JwtCall): string[] {
  if (!call.signs || call.expiry !== 'set') return [];
  for (const optionPath of call.api.expiry?.options ?? []) {
    const found = lookupOption(call.options, optionPath, call.file);
    if (found.state !== 'present') continue;
    const texts = staticText(found.value);
    return texts.length > 0 ? texts : ['dynamic'];
  }
  return ['dynamic'];
}

function isSharedLibraryFile(project: AnalysisProject, file: SourceFileInfo): boolean {
  const allowed = project.settings.sharedLibrary?.allowedPaths ?? [];
  return allowed.length > 0 && ignore().add(allowed).ignores(file.relPath);
}

function isUnder(module: string, packages: readonly string[]): boolean {
  return packages.some((pkg) => module === pkg || module.startsWith(`${pkg}/`));
}

function buildJwtProfile(project: AnalysisProject, calls: readonly JwtCall[]): JwtProfile {
  const verifying = calls.filter((c) => c.verifies);
  const signing = calls.filter((c) => c.signs);
  const keyCalls = verifying.length > 0 ? verifying : signing;
  const excludedRole = verifying.length > 0 ? 'sign' : 'verify';
  const present = (lookup: { state: string; value?: Value } | undefined): Value | undefined =>
    lookup?.state === 'present' && lookup.value ? lookup.value : undefined;
  const issuers: string[] = [];
  const audiences: string[] = [];
  let issuerChecked = 0;
  let audienceChecked = 0;
  for (const call of verifying) {
    const issuer = present(call.claims?.issuer);
    const audience = present(call.claims?.audience);
    if (issuer) issuers.push(...getStringAlternatives(issuer));
    if (audience) audiences.push(...getStringAlternatives(audience));
    if (issuer || call.claims?.manual.issuer) issuerChecked++;
    if (audience || call.claims?.manual.audience) audienceChecked++;
  }
  const shared = project.settings.sharedLibrary;
  const profile: JwtProfile = {
    signLibraries: sorted(signing.map((c) => c.library)),
    verifyLibraries: sorted(verifying.map((c) => c.library)),
    verifyAlgorithms: sorted(verifying.flatMap((c) => c.algorithms.filter((a) => a.role === 'verify').flatMap((a) => a.values))),
    signAlgorithms: sorted(signing.flatMap((c) => c.algorithms.filter((a) => a.role === 'sign').flatMap((a) => a.values))),
    keySources: sorted(keyCalls.flatMap((c) => c.keys.filter((k) => k.role !== excludedRole).map(keySourceOf))) as KeySource[],
    issuers: sorted(issuers),
    audiences: sorted(audiences),
    verifications: verifying.length,
    issuerChecked,
    audienceChecked,
    lifetimes: sorted(signing.flatMap(getLifetimes)),
    signWithoutLifetime: signing.filter((c) => c.expiry === 'missing').length,
    decodeOnly: calls.filter((c) => c.decodeOnly).length,
    directPackages: sorted(calls.map((c) => c.module)),
  };
  if (shared && shared.packages.length > 0) {
    profile.viaSharedLibrary = !verifying.some((c) => !isUnder(c.module, shared.packages) && !isSharedLibraryFile(project, c.file));
  }
  return profile;
}

/**
 * The authorization verdict of a route from the route model's authorization facts (`authorizationStatus`
 * of the inventory row), or undefined while the route facts carry none: the profile then reports
 * authorized and owner-scoped counts as not available. A route that only touches the caller's own
 * data (`caller-only`) counts as owner-scoped.
 */
export function getAuthorizationVerdict(row: RouteInventoryRow): 'authorized' | 'owner-scoped' | 'other' | undefined {
  const verdict: unknown = Object.entries(row).find(([key]) => key === 'authorizationStatus')?.[1];
  if (typeof verdict !== 'string') return undefined;
  if (verdict === 'caller-only') return 'owner-scoped';
  return verdict === 'authorized' || verdict === 'owner-scoped' ? verdict : 'other';
}

function getProtection(project: AnalysisProject, row: RouteInventoryRow): RouteProtection {
  if (row.authentication === 'present') {
    const verdict = getAuthorizationVerdict(row);
    return verdict === 'authorized' || verdict === 'owner-scoped' ? verdict : 'authenticated';
  }
  if (row.authentication === 'unknown') return 'unknown';
  const isPublic =
    row.publicMarkers.length > 0 ||
    (row.internal.length === 0 || isProbePath(row.path) ? getPublicEndpointReason({ path: row.path, methods: [row.method] }, project.settings) !== undefined : false);
  if (isPublic) return 'public';
  return row.internal.length > 0 ? 'internal' : 'unauthenticated';
}

function toProfileRoute(project: AnalysisProject, row: RouteInventoryRow): ProfileRoute {
  return {
    method: row.method,
    path: row.path,
    file: row.file,
    line: row.line,
    protection: getProtection(project, row),
    ...(row.authenticationStep ? { authentication: row.authenticationStep.name } : {}),
  };
}

function getServiceName(project: AnalysisProject, root: string): string {
  const name = project.getPackageJsonIn(root)?.['name'];
  if (typeof name === 'string' && name.trim() !== '') return name.trim();
  return root === '.' ? path.basename(project.root) : path.posix.basename(root);
}

function getDependencies(project: AnalysisProject, root: string): string[] {
  const pkg = project.getPackageJsonIn(root);
  const names: string[] = [];
  for (const field of ['dependencies', 'peerDependencies']) {
    const deps = pkg?.[field];
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) names.push(...Object.keys(deps));
  }
  return sorted(names);
}

/**
 * The facts of every service in the scan (one per nearest package.json of its routes and JWT
 * calls; the scan root when nothing is found), in root order. Test files are left out: their
 * tokens and secrets describe fixtures, not the service.
 */
export function getServiceFacts(project: AnalysisProject): ServiceFacts[] {
  const services = new Map<string, ServiceAccumulator>();
  const get = (key: string): ServiceAccumulator => {
    const root = key === '' ? '.' : key;
    let found = services.get(root);
    if (!found) {
      found = { calls: [], rows: [], authFiles: new Set() };
      services.set(root, found);
    }
    return found;
  };
  const includeTests = project.settings.reportTestFiles === true;
  for (const file of project.files()) {
    if (file.isTestFile && !includeTests) continue;
    const calls = getJwtCalls(project, file);
    if (calls.length === 0) continue;
    const service = get(getServiceKey(project, { file: file.relPath }));
    service.calls.push(...calls);
    if (calls.some((c) => c.verifies || c.signs)) service.authFiles.add(file.relPath);
  }
  for (const row of getRouteInventory(project).routes) {
    if (isTestPath(row.file) && !includeTests) continue;
    const service = get(getServiceKey(project, row));
    service.rows.push(row);
  }
  // Without a verification of its own, the service's auth code is where its middleware is applied.
  for (const service of services.values()) {
    if (service.authFiles.size > 0) continue;
    for (const row of service.rows) {
      for (const step of [...(row.authenticationStep && row.authentication === 'present' ? [row.authenticationStep] : []), ...row.authorization]) {
        if (!step.file.startsWith('../')) service.authFiles.add(step.file);
      }
    }
  }
  if (services.size === 0) get('');
  const owner = project.settings.owner;
  const configOwners = owner === undefined ? [] : Array.isArray(owner) ? owner : [owner];
  return [...services.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([root, service]) => ({
      name: getServiceName(project, root),
      root,
      frameworks: sorted(service.rows.map((r) => r.framework)),
      dependencies: getDependencies(project, root),
      jwt: buildJwtProfile(project, service.calls),
      routes: service.rows.map((row) => toProfileRoute(project, row)),
      authorizationFacts: service.rows.some((row) => getAuthorizationVerdict(row) !== undefined),
      authFiles: sorted(service.authFiles),
      configOwners,
    }));
}
