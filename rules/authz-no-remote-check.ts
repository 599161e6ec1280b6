import { defineRule } from '../src/core/rule.js';
import { isReportedFile } from '../src/facts/jwt.js';
import { getOutboundCallNode, OUTBOUND_HTTP_CALLS } from '../src/facts/outbound-http.js';
import { getPermissionServiceEvidence } from '../src/facts/permission-calls.js';
import { getRequestPathEntry } from '../src/facts/request-path.js';
import { formatRouteName } from '../src/facts/routes/index.js';
import { classifyTarget } from '../src/facts/url-shape.js';

export type Options = Record<string, never>;
export type MessageId = 'remoteCheck';

export default defineRule<Options, MessageId>({
  id: 'authz-no-remote-check',
  meta: {
    description: 'Disallow per-request calls to a remote permission or policy service',
    category: 'architecture',
    level: 'note',
    precision: 'medium',
    securitySeverity: 3.0,
    cwe: [],
    scope: 'project',
    recommended: true,
  },
  messages: {
    remoteCheck:
      "'{{call}}' asks a remote permission service ({{target}}) while serving '{{route}}' because {{evidence}}, so every such request waits on that service's latency and fails when it is down. Decide locally from the verified token's claims or an in-process policy engine, or query a sidecar on localhost.",
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
          for (const call of project.fileFact(OUTBOUND_HTTP_CALLS, file)) {
            if (classifyTarget(call.target, settings).kind === 'loopback') continue;
            const node = getOutboundCallNode(file, call);
            if (!node) continue;
            const evidence = getPermissionServiceEvidence(project, file, call, node, settings);
            if (!evidence) continue;
            const entry = getRequestPathEntry(project, node);
            if (!entry) continue;
            const { route } = entry;
            context.report({
              file,
              range: call,
              messageId: 'remoteCheck',
              data: { call: call.callee, target: call.target.display || 'address not readable', route: formatRouteName(route), evidence },
              related: [{ file: route.file, start: route.start, end: route.end, message: `Route '${formatRouteName(route)}' is registered here.` }],
            });
          }
        }
      },
    };
  },
});
