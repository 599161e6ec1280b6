import { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../src/core/project.js';
import { findClaimDecision, findFallbackUse, type CalleeResolver } from '../src/facts/claim-use.js';
import { describeCall } from '../src/facts/jwt.js';
import { getDecodeSources, getFailedVerificationBranch, getFunctionName, getUnverifiedStrategies, hasVerificationIn, isClientSideFile, type DecodeSource } from '../src/facts/jwt-flow.js';
import { ROUTES, type ChainStep, type RouteFact } from '../src/facts/routes/index.js';
import { resolveFunction } from '../src/facts/routes/classify.js';
import { getTokenSuppliedKeys } from '../src/facts/token-key.js';

export type Options = Record<string, never>;
export type MessageId = 'unverifiedClaims' | 'unverifiedStrategy' | 'fallbackClaims' | 'tokenSuppliedKey';

/** A verification of the same token in the decode's function or in a function around it. */
function isVerifiedAround(project: AnalysisProject, file: SourceFileInfo, source: DecodeSource): boolean {
  let current: ts.Node | undefined = source.node.parent;
  while (current) {
    if (ts.isFunctionLike(current) && hasVerificationIn(project, file, current, source.token)) return true;
    current = current.parent;
  }
  return false;
}

/** An authentication step that verifies a credential (not one that only checks that `req.user` is set). */
function isVerifyingStep(step: ChainStep): boolean {
  if (step.kind !== 'authentication' || step.optional) return false;
  return step.source !== 'body' || !/^(requires an authenticated principal|compares a credential header)/.test(step.reason);
}

const stepName = (step: ChainStep) => step.name.replace(/\(.*$/, '');

/** Routes by the files their handler and steps are in, and by step name. */
const ROUTE_LOCATIONS = defineProjectFact('jwt-no-unverified-decode/route-locations', (project: AnalysisProject) => {
  const byFile = new Map<string, RouteFact[]>();
  const byStepName = new Map<string, RouteFact[]>();
  const add = (map: Map<string, RouteFact[]>, key: string, route: RouteFact) => {
    const list = map.get(key);
    if (!list) map.set(key, [route]);
    else if (list[list.length - 1] !== route) list.push(route);
  };
  for (const route of project.projectFact(ROUTES)) {
    if (route.handler) add(byFile, route.handler.file, route);
    for (const step of route.chain) {
      add(byFile, step.file, route);
      add(byStepName, stepName(step), route);
    }
  }
  return { byFile, byStepName };
});

/**
 * The decode sits in a route handler (or controller method) that a verifying authentication step runs before, or in a
 * middleware, guard or hook that runs after one (matched by name or by where it is written).
 */
function isBehindAuthentication(project: AnalysisProject, file: SourceFileInfo, node: ts.Node): boolean {
  const functions: ts.Node[] = [];
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) functions.push(current);
  if (functions.length === 0) return false;
  const start = node.getStart(file.sourceFile);
  const inside = (loc: { start: number; end: number }, outer: ts.Node) => loc.start >= outer.getStart(file.sourceFile) && loc.end <= outer.end;
  const names = new Set(functions.map(getFunctionName).filter((n): n is string => n !== undefined));
  // Only routes with the handler or a step in this file, or a step named like an enclosing function, can match.
  const index = project.projectFact(ROUTE_LOCATIONS);
  const candidates = new Set(index.byFile.get(file.relPath));
  for (const name of names) for (const route of index.byStepName.get(name) ?? []) candidates.add(route);
  return [...candidates].some((route) => {
    const handler = route.handler;
    const inHandler = handler?.file === file.relPath && (functions.some((fn) => inside(handler, fn)) || (handler.start <= start && handler.end >= node.end));
    const verifying = route.chain.findIndex(isVerifyingStep);
    if (verifying === -1) return false;
    if (inHandler) return route.chain.every((step) => step.kind !== 'authentication' || step.file !== file.relPath || step.start > start || step.end < node.end);
    const isThisStep = (step: ChainStep) =>
      names.has(stepName(step)) || (step.file === file.relPath && functions.some((fn) => step.start <= fn.getStart(file.sourceFile) && step.end >= fn.end));
    return route.chain.some((step, index) => index > verifying && isThisStep(step));
  });
}

export default defineRule<Options, MessageId>({
  id: 'jwt-no-unverified-decode',
  meta: {
    description: 'Disallow identity and access decisions based on JWT claims read without verifying the token',
    category: 'jwt',
    level: 'error',
    precision: 'high',
    securitySeverity: 8.1,
    cwe: [345],
    scope: 'file',
    recommended: true,
  },
  messages: {
    unverifiedStrategy:
      '{{api}} authenticates requests with claims whose signature it does not check (verify: false). Enable verification with the shared JWT keys.',
    unverifiedClaims:
      'Claims read with {{api}}, which checks no signature, decide {{decision}} and the token is not verified on this path. Verify it with the shared JWT library and use the claims it returns.',
    tokenSuppliedKey:
      "{{call}} verifies with a key built from the token's own '{{parameter}}' header, so whoever writes the token chooses the key that checks it. Verify against keys the service trusts (a pinned key or JWKS URL), or check '{{parameter}}' against an allowlist first.",
    fallbackClaims:
      'Claims read with {{api}} after verifying the same token failed become {{decision}}, so a forged or expired token is accepted. Reject the request when verification fails.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    const file = context.file;
    if (!file || file.isTestFile) return {};
    return {
      'SourceFile:exit'() {
        for (const strategy of getUnverifiedStrategies(context.project, file)) {
          context.report({ node: strategy.node, messageId: 'unverifiedStrategy', data: { api: describeCall(strategy) } });
        }
        for (const found of getTokenSuppliedKeys(context.project, file)) {
          context.report({ node: found.key.node, messageId: 'tokenSuppliedKey', data: { call: describeCall(found.call), parameter: found.parameter } });
        }
        const sources = getDecodeSources(context.project, file);
        if (sources.length === 0 || isClientSideFile(context.project, file)) return;
        const project = context.project;
        const calleeOf: CalleeResolver = (call) => {
          const at = project.getFile(call.getSourceFile().fileName);
          return at ? resolveFunction(project, at, call.expression)?.fn : undefined;
        };
        for (const source of sources) {
          // A token the service fetched itself from the issuer (an ID token from the token endpoint) is not the caller's to forge.
          if (source.fetched) continue;
          const branch = getFailedVerificationBranch(context.project, file, source);
          if (branch) {
            const used = findClaimDecision(source, calleeOf) ?? findFallbackUse(source, branch);
            if (used && !isBehindAuthentication(context.project, file, source.node)) {
              context.report({ node: source.node, messageId: 'fallbackClaims', data: { api: source.label, decision: used.decision } });
            }
            continue;
          }
          const found = findClaimDecision(source, calleeOf);
          if (!found) continue;
          if (isVerifiedAround(context.project, file, source) || isBehindAuthentication(context.project, file, source.node)) continue;
          context.report({ node: source.node, messageId: 'unverifiedClaims', data: { api: source.label, decision: found.decision } });
        }
      },
    };
  },
});
