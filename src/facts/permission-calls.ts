import { ts } from 'ts-morph';
import type { ProjectSettings } from '../core/types.js';
import { PERMISSION_CHECK_FUNCTION, PERMISSION_PATH_PATTERNS, PERMISSION_PATH_WORDS, PERMISSION_SERVICE_WORDS } from '../models/http-clients.js';
import { getFunctionName } from './jwt-flow.js';
import type { OutboundCall } from './outbound-http.js';
import { getWords } from './routes/exposure.js';
import { classifyTarget } from './url-shape.js';

/** Why an outbound call asks a permission / policy service for a decision; undefined when nothing says so. */
export function getPermissionServiceEvidence(call: OutboundCall, node: ts.Node, settings: ProjectSettings): string | undefined {
  if (call.authorizationClient) return `${call.client} is a remote policy decision service`;
  const { target } = call;
  const configured = (settings.permissionServices ?? []).find((fragment) => {
    const f = fragment.toLowerCase();
    return target.display.toLowerCase().includes(f) || target.host === f || target.baseName?.toLowerCase() === f;
  });
  if (configured) return `the URL matches the configured permission service '${configured}'`;
  if (target.host) {
    if (getWords(target.host).some((w) => PERMISSION_SERVICE_WORDS.has(w))) return `its host '${target.host}' names a permission service`;
  }
  if (target.baseName) {
    if (getWords(target.baseName).some((w) => PERMISSION_SERVICE_WORDS.has(w))) return `'${target.baseName}' names a permission service`;
  }
  if (PERMISSION_PATH_PATTERNS.some((p) => p.test(target.path))) return `'${target.path}' is a policy decision endpoint`;
  if (getWords(target.path).some((w) => PERMISSION_PATH_WORDS.has(w))) return `the path '${target.path}' is a permission API`;
  if (call.receiver) {
    if (getWords(call.receiver).some((w) => PERMISSION_PATH_WORDS.has(w))) return `it goes through '${call.receiver}'`;
  }
  // A function name alone is weaker evidence: not for calls to public hosts (OAuth flows name functions `authorize…` too).
  if (classifyTarget(target, settings).kind === 'public') return undefined;
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (ts.isFunctionLike(current)) {
      const name = getFunctionName(current);
      if (name && PERMISSION_CHECK_FUNCTION.test(name)) return `it is sent by '${name}'`;
    }
    current = current.parent;
  }
  return undefined;
}
