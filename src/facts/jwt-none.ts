import type { ts } from '@ts-morph/common';
import type { AnalysisProject } from '../core/project.js';
import { NONE_ADVISORIES } from '../models/jwt/advisories.js';
import { isNoneAlgorithm } from '../models/jwt/index.js';
import { getPackageVersion, isVersionBelow, type JwtCall } from './jwt.js';

/**
 * Why a JWT call signs or accepts unsigned (alg 'none') tokens:
 * - `unsecured`: an API made for unsecured JWTs (jose `UnsecuredJWT`);
 * - `none-key`: a key constant that means "no signature" (legacy jose `JWK.None`);
 * - `none-algorithm`: 'none' written in the algorithm setting;
 * - `legacy-any-key`: no algorithm allowlist under a library version that then accepts 'none' whatever the key;
 * - `legacy-falsy-key`: no key and no allowlist under a version that then accepts 'none'.
 * The last two are the missing allowlist itself, so jwt-require-algorithm-allowlist leaves such calls to jwt-no-none-algorithm.
 */
export type NoneCause = 'unsecured' | 'none-key' | 'none-algorithm' | 'legacy-any-key' | 'legacy-falsy-key';

export interface NoneAcceptance {
  cause: NoneCause;
  /** Where to report, in the call's file. */
  node: ts.Node;
  role: 'sign' | 'verify';
  /** The declared library version, for the legacy causes. */
  version?: string;
}

/** Every reason the call signs or accepts 'none' tokens, at most one per reported node; empty when it does not. */
export function getNoneAcceptance(project: AnalysisProject, call: JwtCall): NoneAcceptance[] {
  if (call.viaFactory) return [];
  if (call.operation === 'unsecured') return [{ cause: 'unsecured', node: call.node, role: call.decodeOnly ? 'verify' : 'sign' }];
  const noneKey = call.keys.find((k) => k.kind === 'none');
  if (noneKey) return [{ cause: 'none-key', node: noneKey.node, role: call.signs ? 'sign' : 'verify' }];
  const found: NoneAcceptance[] = [];
  const starts = new Set<number>();
  for (const setting of call.algorithms) {
    const start = setting.node.getStart(call.file.sourceFile);
    if (!setting.values.some(isNoneAlgorithm) || starts.has(start)) continue;
    starts.add(start);
    found.push({ cause: 'none-algorithm', node: setting.node, role: setting.role });
  }
  const advisory = NONE_ADVISORIES[call.library];
  if (found.length > 0 || !advisory || call.operation !== 'verify' || call.algorithms.length > 0 || call.options.state === 'unknown') return found;
  const version = getPackageVersion(project, call);
  if (isVersionBelow(version, ...advisory.anyKeyBelow)) return [{ cause: 'legacy-any-key', node: call.node, role: 'verify', version: version?.raw ?? '' }];
  const key = call.keys[0];
  const noKey = !key || (key.kind === 'falsy' && key.literals.length === 0);
  if (noKey && isVersionBelow(version, ...advisory.falsyKeyBelow)) {
    return [{ cause: 'legacy-falsy-key', node: key?.node ?? call.node.arguments?.[1] ?? call.node, role: 'verify', version: version?.raw ?? '' }];
  }
  return [];
}

/** The call accepts 'none' because it pins no algorithm allowlist (the cause jwt-no-none-algorithm reports). */
export function acceptsNoneWithoutAllowlist(project: AnalysisProject, call: JwtCall): boolean {
  return getNoneAcceptance(project, call).some((a) => a.cause === 'legacy-any-key' || a.cause === 'legacy-falsy-key' || a.cause === 'none-key');
}
