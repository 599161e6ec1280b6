import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../core/project.js';
import type { ProjectSettings } from '../core/types.js';
import {
  DECISION_PATH_WORDS,
  PERMISSION_CHECK_FUNCTION,
  PERMISSION_PATH_PATTERNS,
  PERMISSION_PATH_WORDS,
  PERMISSION_SERVICE_WORDS,
  POLICY_ENGINE_WORDS,
} from '../models/http-clients.js';
import { getFunctionName } from './jwt-flow.js';
import type { OutboundCall } from './outbound-http.js';
import { analyzeBody } from './routes/check-body.js';
import { getWords } from './routes/exposure.js';
import { classifyTarget } from './url-shape.js';

/** A service named after a permission word: which word, and whether it only ever answers decisions (OPA, a PDP). */
function getServiceWord(call: OutboundCall, settings: ProjectSettings): { reason: string; decides: boolean } | undefined {
  const { target } = call;
  const configured = (settings.permissionServices ?? []).find((fragment) => {
    const f = fragment.toLowerCase();
    return target.display.toLowerCase().includes(f) || target.host === f || target.baseName?.toLowerCase() === f;
  });
  if (configured) return { reason: `the URL matches the configured permission service '${configured}'`, decides: true };
  for (const [name, label] of [
    [target.host, `its host '${target.host}'`],
    [target.baseName, `'${target.baseName}'`],
  ] as const) {
    if (!name) continue;
    const words = getWords(name);
    if (words.some((w) => POLICY_ENGINE_WORDS.has(w))) return { reason: `${label} names a policy decision service`, decides: true };
    if (words.some((w) => PERMISSION_SERVICE_WORDS.has(w))) return { reason: `${label} names a permission service`, decides: false };
  }
  if (getWords(target.path).some((w) => PERMISSION_PATH_WORDS.has(w))) return { reason: `the path '${target.path}' is a permission API`, decides: false };
  if (call.receiver && getWords(call.receiver).some((w) => PERMISSION_PATH_WORDS.has(w))) return { reason: `it goes through '${call.receiver}'`, decides: false };
  return undefined;
}

function getEnclosingFunctions(node: ts.Node): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) out.push(current as ts.FunctionLikeDeclaration);
  }
  return out;
}

/** A decision endpoint in the URL's path: `/check`, `/v1/data/…`, `…/permissions` of a subject. */
function getDecisionPathSignal(call: OutboundCall): string | undefined {
  const { path } = call.target;
  if (PERMISSION_PATH_PATTERNS.some((p) => p.test(path))) return `'${path}' is a policy decision endpoint`;
  const words = getWords(path.split('?')[0] ?? '');
  if (words.some((w) => DECISION_PATH_WORDS.has(w))) return `'${path}' asks for a decision`;
  const last = words[words.length - 1];
  if (last && PERMISSION_PATH_WORDS.has(last)) return `'${path}' reads a subject's permissions`;
  return undefined;
}

/**
 * That the call asks for a decision rather than managing permission data (`/role-permissions/import`):
 * a decision endpoint (`/check`, `/v1/data/…`, `…/permissions` of a subject), a function named like a check,
 * or a function that answers 403 / returns false on its result.
 */
function getDecisionSignal(project: AnalysisProject, file: SourceFileInfo, call: OutboundCall, node: ts.Node): { reason: string; byName: boolean } | undefined {
  const byPath = getDecisionPathSignal(call);
  if (byPath) return { reason: byPath, byName: false };
  for (const fn of getEnclosingFunctions(node)) {
    const name = getFunctionName(fn);
    if (name && PERMISSION_CHECK_FUNCTION.test(name)) return { reason: `it is sent by '${name}'`, byName: true };
    const signals = analyzeBody(project, file, fn, { guard: name === 'canActivate' });
    if (signals.rejectsForbidden || (name === 'canActivate' && signals.returnsFalse)) return { reason: 'its answer decides a 403', byName: false };
  }
  return undefined;
}

/** Why an outbound call asks a permission / policy service for a decision; undefined when nothing says so. */
export function getPermissionServiceEvidence(project: AnalysisProject, file: SourceFileInfo, call: OutboundCall, node: ts.Node, settings: ProjectSettings): string | undefined {
  if (call.authorizationClient) return `${call.client} is a remote policy decision service`;
  const service = getServiceWord(call, settings);
  if (service?.decides) return service.reason;
  const decision = getDecisionSignal(project, file, call, node);
  if (service && decision) return `${service.reason} and ${decision.reason}`;
  // A function name alone is weaker evidence: not for calls to public hosts (OAuth flows name functions `authorize…` too).
  if (service || !decision?.byName || classifyTarget(call.target, settings).kind === 'public') return undefined;
  return decision.reason;
}

/**
 * Why an outbound call is an authorization decision for the route that sends it, wherever the decision
 * point runs: the evidence above, or a decision endpoint in its path (an OPA sidecar's
 * `/v1/data/…` on localhost names no service but still decides).
 */
export function getPolicyDecisionEvidence(project: AnalysisProject, file: SourceFileInfo, call: OutboundCall, node: ts.Node, settings: ProjectSettings): string | undefined {
  return getPermissionServiceEvidence(project, file, call, node, settings) ?? getDecisionPathSignal(call);
}

/**
 * Looser than the above: the request asks for a decision by its service, path, sending function's name
 * or a 403 on its answer. Used to see what the request hands over as the subject, not as evidence.
 */
export function getPermissionRequestSignal(project: AnalysisProject, file: SourceFileInfo, call: OutboundCall, node: ts.Node, settings: ProjectSettings): string | undefined {
  return getPermissionServiceEvidence(project, file, call, node, settings) ?? getDecisionSignal(project, file, call, node)?.reason;
}
