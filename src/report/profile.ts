import { getCodeowners, type CodeownersRule } from '../core/codeowners.js';
import type { FindingsByLevel, ProfileRoute, RouteCounts, ServiceFacts, ServiceOwnership, ServiceProfile } from '../core/profile.js';
import type { Level } from '../core/types.js';

/** What profiles need to know about a finding. */
export interface ProfileFinding {
  ruleId: string;
  level: Level;
  file: string;
  suppressed?: unknown;
}

export interface OwnershipSources {
  /** Parsed CODEOWNERS of the repository, with the scan root's path inside the repository. */
  codeowners?: { rules: readonly CodeownersRule[]; rootInRepository: string };
}

/** Whether a path (relative to the scan root) lies in a service folder. */
export function isInService(root: string, file: string): boolean {
  return root === '.' || file === root || file.startsWith(`${root}/`);
}

/** The service a file belongs to: the deepest service folder holding it. */
export function findService<T extends { root: string }>(services: readonly T[], file: string): T | undefined {
  const depth = (root: string) => (root === '.' ? 0 : root.length);
  let best: T | undefined;
  for (const service of services) {
    if (isInService(service.root, file) && (!best || depth(service.root) > depth(best.root))) best = service;
  }
  return best;
}

export function countRoutes(routes: readonly ProfileRoute[], authorizationFacts: boolean): RouteCounts {
  const count = (...kinds: string[]) => routes.filter((r) => kinds.includes(r.protection)).length;
  return {
    total: routes.length,
    authenticated: count('authenticated', 'authorized', 'owner-scoped'),
    authorized: authorizationFacts ? count('authorized') : null,
    ownerScoped: authorizationFacts ? count('owner-scoped') : null,
    publicByDesign: count('public'),
    unauthenticated: count('unauthenticated'),
    internalUnauthenticated: count('internal'),
    unknown: count('unknown'),
  };
}

function joinPath(prefix: string, file: string): string {
  return prefix === '' || prefix === '.' ? file : `${prefix}/${file}`;
}

function getOwnership(authFiles: readonly string[], configOwners: readonly string[], sources: OwnershipSources): ServiceOwnership {
  const owners = new Set<string>();
  const unownedFiles: string[] = [];
  if (sources.codeowners) {
    for (const file of authFiles) {
      const found = getCodeowners(sources.codeowners.rules, joinPath(sources.codeowners.rootInRepository, file));
      if (found && found.length > 0) found.forEach((o) => owners.add(o));
      else unownedFiles.push(file);
    }
  } else unownedFiles.push(...authFiles);
  if (owners.size > 0) return { owners: [...owners].sort(), source: 'codeowners', unownedFiles };
  if (configOwners.length > 0) return { owners: [...configOwners], source: 'config', unownedFiles: [] };
  return { owners: [], source: 'none', unownedFiles };
}

function emptyLevels(): FindingsByLevel {
  return { error: 0, warning: 0, note: 0 };
}

/** Profiles of the scanned services: their facts with routes counted, findings attributed by folder and owners attached. */
export function buildServiceProfiles(facts: readonly ServiceFacts[], findings: readonly ProfileFinding[], sources: OwnershipSources = {}): ServiceProfile[] {
  const profiles: ServiceProfile[] = facts.map((service) => ({
    name: service.name,
    root: service.root,
    frameworks: service.frameworks,
    dependencies: service.dependencies,
    jwt: service.jwt,
    routes: countRoutes(service.routes, service.authorizationFacts),
    inventory: service.routes,
    findings: { total: 0, ...emptyLevels(), byRule: {} },
    owner: getOwnership(service.authFiles, service.configOwners, sources),
    authFiles: service.authFiles,
  }));
  for (const finding of findings) {
    if (finding.suppressed) continue;
    const profile = findService(profiles, finding.file);
    if (!profile) continue;
    profile.findings.total++;
    profile.findings[finding.level]++;
    const byRule = (profile.findings.byRule[finding.ruleId] ??= emptyLevels());
    byRule[finding.level]++;
  }
  for (const profile of profiles) {
    profile.findings.byRule = Object.fromEntries(Object.entries(profile.findings.byRule).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return profiles;
}
