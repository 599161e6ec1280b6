import { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import type { SourceFileInfo } from '../src/core/project.js';
import type { ProjectSettings } from '../src/core/types.js';
import {
  createFlowContext,
  getBase64Call,
  getDecoderReference,
  getDotSplit,
  getRepositoryFunction,
  getSignatureCall,
  getSigningInput,
  hasJwtEvidence,
  isSignatureHelper,
  isTwoPartFormat,
  normalizeOrigin,
  traceSegment,
  type DotSplit,
  type FlowContext,
  type SegmentTrace,
} from '../src/facts/token-segments.js';
import { resolveOrigin } from '../src/facts/values.js';

export type Options = Record<string, never>;
export type MessageId = 'decodedByHand' | 'verifiedByHand' | 'signedByHand';

/** A file with no dot split and no dot join holds no hand-rolled JWT code. */
const DOT_HANDLING = /split\(\s*(['"`]\.['"`]|\/(\\\.|\[\.\])\/)|lastIndexOf\(\s*['"`]\.|join\(\s*['"`]\.['"`]|\}\.\$\{|['"`]\.['"`]\s*\+/;

const PART_NAMES = ['header', 'payload'];

function describeSubject(ctx: FlowContext, split: DotSplit): string {
  const text = split.subject.getText(ctx.file.sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A decoded header or payload segment of a JWT-shaped split; signatures and two-part formats are left out. */
function isTokenSegment(trace: SegmentTrace | undefined): trace is SegmentTrace & { split: DotSplit } {
  if (!trace?.split) return false;
  if (trace.index !== undefined && trace.index > 1) return false;
  return !isTwoPartFormat(trace.split);
}

/** The files this rule reads: the one test that both the engine's file selection and `create` ask. */
function appliesTo(file: SourceFileInfo, settings: ProjectSettings): boolean {
  return (!file.isTestFile || settings.reportTestFiles === true) && DOT_HANDLING.test(file.text);
}

export default defineRule<Options, MessageId>({
  id: 'jwt-no-hand-rolled-parsing',
  meta: {
    description: 'Disallow splitting, decoding and signature-checking JWTs by hand instead of through a JWT library',
    category: 'jwt',
    level: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    cwe: [347],
    scope: 'file',
    recommended: true,
  },
  messages: {
    decodedByHand:
      "The JWT {{part}} split from '{{token}}' is decoded by hand with {{decoder}}. Verify and read tokens through the shared JWT library instead.",
    verifiedByHand:
      "{{api}} recomputes the JWT signature over header.payload of '{{token}}' by hand. Verify tokens through the shared JWT library instead.",
    signedByHand: '{{api}} signs a JWT header.payload built by hand. Issue tokens through the shared JWT library instead.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  appliesTo: (file, project) => appliesTo(file, project.settings),
  create(context) {
    const file = context.file;
    if (!file || !appliesTo(file, context.settings)) return {};
    const ctx = createFlowContext(context.project, file);

    const reportDecode = (node: ts.Node, trace: SegmentTrace & { split: DotSplit }, decoder: string) => {
      context.report({
        node,
        messageId: 'decodedByHand',
        data: { part: trace.index === undefined ? 'segment' : (PART_NAMES[trace.index] as string), token: describeSubject(ctx, trace.split), decoder },
      });
    };

    const checkDecode = (call: ts.CallExpression | ts.NewExpression) => {
      const callee = call.expression;
      const input = ts.isPropertyAccessExpression(callee) && callee.name.text === 'toString' ? callee.expression : call.arguments?.[0];
      if (!input || !isTokenSegment(traceSegment(ctx, input))) return;
      const base64 = getBase64Call(ctx, call);
      if (base64?.direction !== 'decode') return;
      const trace = traceSegment(ctx, base64.input);
      if (isTokenSegment(trace) && !trace.decoded && hasJwtEvidence(ctx, trace.split, call)) reportDecode(call, trace, base64.label);
    };

    const checkJsonParse = (call: ts.CallExpression) => {
      if (!/\bparse$/.test(call.expression.getText(file.sourceFile))) return;
      const target = normalizeOrigin(resolveOrigin(context.project, file, call.expression));
      if (target?.module !== '#global' || target.path.join('.') !== 'JSON.parse' || !call.arguments[0]) return;
      const trace = traceSegment(ctx, call.arguments[0]);
      if (isTokenSegment(trace) && !trace.decoded) reportDecode(call, trace, 'JSON.parse');
    };

    const checkMappedDecoder = (call: ts.CallExpression) => {
      const callee = call.expression;
      const [ref] = call.arguments;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'map' || !ref || ts.isFunctionLike(ref)) return;
      const split = getDotSplit(ctx, callee.expression);
      const decoder = split && !isTwoPartFormat(split) ? getDecoderReference(ctx, ref) : undefined;
      if (split && decoder) reportDecode(call, { split, index: undefined, decoded: false }, decoder);
    };

    const checkSignature = (call: ts.CallExpression) => {
      if (!call.arguments.some((arg) => getSigningInput(ctx, arg))) return;
      const primitive = getSignatureCall(ctx, call);
      let api: string | undefined;
      let data: ts.Expression | undefined;
      let verifying = false;
      if (primitive) {
        api = primitive.label;
        data = primitive.data;
        verifying = primitive.api.kind === 'verify';
      } else {
        const helper = call.arguments[0] ? getRepositoryFunction(ctx, call.expression) : undefined;
        if (!helper || !isSignatureHelper(context.project, helper.file, helper.fn)) return;
        api = call.expression.getText(file.sourceFile);
        data = call.arguments[0];
      }
      const input = data ? getSigningInput(ctx, data) : undefined;
      if (!input || (input.split && isTwoPartFormat(input.split))) return;
      if (input.split || verifying) {
        context.report({
          node: call,
          messageId: 'verifiedByHand',
          data: { api, token: input.split ? describeSubject(ctx, input.split) : 'the token' },
        });
      } else {
        context.report({ node: call, messageId: 'signedByHand', data: { api } });
      }
    };

    return {
      CallExpression(node) {
        const call = node as ts.CallExpression;
        checkDecode(call);
        checkJsonParse(call);
        checkMappedDecoder(call);
        checkSignature(call);
      },
      NewExpression(node) {
        checkDecode(node as ts.NewExpression);
      },
    };
  },
});
