import fs from 'node:fs';
import path from 'node:path';
import { CODEOWNERS_LOCATIONS, parseCodeowners } from '../core/codeowners.js';
import type { ServiceProfile } from '../core/profile.js';
import type { Finding } from '../core/types.js';
import { buildServiceProfiles, type OwnershipSources } from '../report/profile.js';
import type { VersionControlInfo } from '../report/types.js';
import type { ScanOutcome } from './run-scan.js';

function readCodeownersText(checkout: string): string | undefined {
  for (const location of CODEOWNERS_LOCATIONS) {
    try {
      return fs.readFileSync(path.join(checkout, location), 'utf8');
    } catch {
      // not at this location; GitHub and GitLab look at the next one
    }
  }
  return undefined;
}

/** CODEOWNERS of the checkout the scan root belongs to (or of the scan root outside git). */
export function readOwnershipSources(root: string, vcs: VersionControlInfo | undefined): OwnershipSources {
  const inRepo = vcs?.rootInRepository ?? '';
  const depth = inRepo === '' ? 0 : inRepo.split('/').length;
  const checkout = path.resolve(root, ...Array<string>(depth).fill('..'));
  const text = readCodeownersText(checkout);
  if (text !== undefined) return { codeowners: { rules: parseCodeowners(text), rootInRepository: inRepo } };
  // A service folder copied out of its repository may carry its own CODEOWNERS.
  const own = inRepo === '' ? undefined : readCodeownersText(root);
  return own === undefined ? {} : { codeowners: { rules: parseCodeowners(own), rootInRepository: '' } };
}

/** The profiles of a finished scan, for the JSON report and `authlint posture`. */
export function getServiceProfiles(outcome: ScanOutcome, vcs: VersionControlInfo | undefined): ServiceProfile[] | undefined {
  if (!outcome.services) return undefined;
  const findings = outcome.result.findings.map((f: Finding) => ({ ruleId: f.ruleId, level: f.level, file: f.file, ...(f.suppression ? { suppressed: true } : {}) }));
  return buildServiceProfiles(outcome.services, findings, readOwnershipSources(outcome.result.root, vcs));
}
