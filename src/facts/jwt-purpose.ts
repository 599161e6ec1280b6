import { defineProjectFact, type AnalysisProject } from '../core/project.js';
import { getSecretPurpose } from '../models/jwt/index.js';
import { getJwtCalls, isSharedSecretKey, type JwtCall } from './jwt.js';

/** Purpose secrets of the project by name, with whether some call signs and some call verifies with each. */
const PURPOSE_SECRET_USES = defineProjectFact('jwt-purpose-secret-uses', (project: AnalysisProject) => {
  const uses = new Map<string, { signs: boolean; verifies: boolean }>();
  for (const file of project.files()) {
    if (file.isTestFile) continue;
    for (const call of getJwtCalls(project, file)) {
      for (const key of call.keys) {
        if (!key.sourceName || !isSharedSecretKey(key) || getSecretPurpose(key.sourceName) === undefined) continue;
        const entry = uses.get(key.sourceName) ?? { signs: false, verifies: false };
        entry.signs ||= call.signs;
        entry.verifies ||= call.verifies;
        uses.set(key.sourceName, entry);
      }
    }
  }
  return uses;
}, { plain: true });

/**
 * The call signs or verifies a single-purpose token (email confirmation, password reset, signed link) with a secret of
 * its own that this service both signs and verifies with, so the secret never leaves the service.
 */
export function getPurposeSecret(project: AnalysisProject, call: JwtCall): { purpose: string; name: string } | undefined {
  const names = call.keys.map((key) => key.sourceName).filter((name): name is string => name !== undefined);
  if (names.length === 0 || names.length !== call.keys.length) return undefined;
  const [name] = names as [string];
  const purpose = getSecretPurpose(name);
  const uses = purpose !== undefined && names.every((n) => n === name) ? project.projectFact(PURPOSE_SECRET_USES).get(name) : undefined;
  return purpose !== undefined && uses?.signs && uses.verifies ? { purpose, name } : undefined;
}
