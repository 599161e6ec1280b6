import { defineRule } from '../src/core/rule.js';
import { isReportedFile } from '../src/facts/jwt.js';
import { isClientSideFile } from '../src/facts/jwt-flow.js';
import { OUTBOUND_HTTP_CALLS } from '../src/facts/outbound-http.js';
import { classifyTarget } from '../src/facts/url-shape.js';
import { UNAUTHENTICATED_ENDPOINTS } from '../src/models/http-clients.js';

export type Options = Record<string, never>;
export type MessageId = 'noCredential';

export default defineRule<Options, MessageId>({
  id: 's2s-require-token',
  meta: {
    description: 'Require a token or other service credential on calls to internal services',
    category: 'service',
    level: 'warning',
    precision: 'high',
    securitySeverity: 6.5,
    cwe: [306],
    scope: 'project',
    recommended: true,
  },
  messages: {
    noCredential:
      "'{{call}}' calls the internal service {{target}} ({{reason}}) without an Authorization header or other service credential. Send a token the callee verifies (client credentials or the caller's forwarded token), or attach one on the client instance.",
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const { project, settings } = context;
        for (const file of project.files()) {
          // Findings are reported in the file that sends the request.
          if ((context.focus && !context.focus.has(file.relPath)) || !isReportedFile(settings, file)) continue;
          const calls = project.fileFact(OUTBOUND_HTTP_CALLS, file).filter((c) => c.credential.state === 'absent' && !c.authorizationClient);
          if (calls.length === 0 || isClientSideFile(project, file)) continue;
          for (const call of calls) {
            const where = classifyTarget(call.target, settings);
            if (where.kind !== 'internal' || UNAUTHENTICATED_ENDPOINTS.some((p) => p.test(call.target.path))) continue;
            context.report({
              file,
              range: call,
              messageId: 'noCredential',
              data: { call: call.callee, target: call.target.display, reason: where.reason },
            });
          }
        }
      },
    };
  },
});
