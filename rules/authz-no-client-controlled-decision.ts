import { defineRule } from '../src/core/rule.js';
import { ROUTE_AUTHORIZATION, type AuthorizationEvidenceKind, type ClientDecision } from '../src/facts/authz/index.js';
import { formatRouteName, getLocationFile, ROUTES } from '../src/facts/routes/index.js';

export type Options = Record<string, never>;
export type MessageId = 'privilegeFromInput' | 'identityFromHeader' | 'namedUserPrivilege';

const MESSAGE: Record<ClientDecision['kind'], MessageId> = {
  privilege: 'privilegeFromInput',
  'identity-header': 'identityFromHeader',
  'named-user-privilege': 'namedUserPrivilege',
};

/** Evidence that the route checks the caller's own privileges: a role guard, a policy-engine call, a role comparison. */
const CALLER_PRIVILEGE_EVIDENCE = new Set<AuthorizationEvidenceKind>(['chain-step', 'policy-call', 'role-check']);

export default defineRule<Options, MessageId>({
  id: 'authz-no-client-controlled-decision',
  meta: {
    description: 'Disallow access decisions on role, permission or identity values that the client controls',
    category: 'authorization',
    level: 'error',
    precision: 'high',
    securitySeverity: 8.8,
    cwe: [807, 639],
    scope: 'project',
    recommended: true,
  },
  messages: {
    privilegeFromInput: "Access on route '{{route}}' is decided by '{{input}}', which the client sends. Decide on the verified principal's claims instead.",
    identityFromHeader: "Route '{{route}}' takes the caller's identity or role from the {{input}}, which any client can set. Use the verified token, or list the header in project.trustedIdentityHeaders if a gateway sets it.",
    namedUserPrivilege: "Route '{{route}}' checks the {{input}} instead of the caller's own privileges.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const project = context.project;
        const trusted = new Set((context.settings.trustedIdentityHeaders ?? []).map((h) => h.toLowerCase()));
        const facts = project.projectFact(ROUTE_AUTHORIZATION);
        const reported = new Set<string>();
        for (const route of project.projectFact(ROUTES)) {
          const authz = facts.get(route);
          for (const decision of authz?.decisions ?? []) {
            const key = `${decision.file}:${decision.start}`;
            if (reported.has(key)) continue;
            // Behind a credential that names no user (an infra or API token), the privilege in the request is the operator's instruction.
            if (decision.kind === 'privilege' && authz?.callerIdentified === false) continue;
            if (decision.kind === 'identity-header' && trusted.has(decision.input.replace(/^header /, ''))) continue;
            // The named user's role is then a rule of the operation (the last owner cannot be demoted), not the access decision.
            if (decision.kind === 'named-user-privilege' && authz?.evidence.some((e) => CALLER_PRIVILEGE_EVIDENCE.has(e.kind))) continue;
            const file = getLocationFile(project, decision);
            if (!file || (file.isTestFile && !context.settings.reportTestFiles)) continue;
            reported.add(key);
            context.report({ file, range: decision, messageId: MESSAGE[decision.kind], data: { route: formatRouteName(route), input: decision.kind === 'identity-header' ? `'${decision.input.replace(/^header /, '')}' header` : decision.input } });
          }
        }
      },
    };
  },
});
