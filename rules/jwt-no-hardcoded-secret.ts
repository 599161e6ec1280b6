import { defineRule } from '../src/core/rule.js';
import { describeCall, getJwtCalls, isReportedFile, type JwtKey, type KeyLiteral } from '../src/facts/jwt.js';

export type Options = Record<string, never>;
export type MessageId = 'hardcodedKey' | 'hardcodedFallback';

const FORM_NAMES: Record<KeyLiteral['form'], string> = {
  string: 'secret',
  buffer: 'secret',
  encoder: 'secret',
  jwk: 'JWK secret',
  'pem-private': 'private key',
  'pem-public': 'public key',
};

/** Enough of the literal to find it, never the whole secret. */
function preview(literal: KeyLiteral): string {
  if (literal.form === 'pem-private') return 'PEM block';
  const text = literal.text;
  const shown = text.length <= 4 ? text.slice(0, 1) : text.slice(0, 3);
  return `'${shown}…' (${text.length} characters)`;
}

function isReportable(key: JwtKey, literal: KeyLiteral): boolean {
  if (literal.form === 'pem-public' || literal.text.trim() === '') return false;
  // A placeholder string in one branch of a key read from a file is not the key in use.
  return key.kind !== 'asymmetric' || literal.form === 'pem-private';
}

function roleName(key: JwtKey): string {
  return key.role === 'sign' ? 'signing' : key.role === 'verify' ? 'verification' : 'signing and verification';
}

export default defineRule<Options, MessageId>({
  id: 'jwt-no-hardcoded-secret',
  meta: {
    description: 'Disallow hard-coded JWT signing and verification keys, including literal fallbacks of environment variables',
    category: 'jwt',
    level: 'error',
    precision: 'very-high',
    securitySeverity: 8.8,
    cwe: [798],
    scope: 'file',
    recommended: true,
  },
  messages: {
    hardcodedKey:
      '{{call}} uses a hard-coded {{kind}} {{preview}}{{location}} as its {{role}} key{{uses}}; anyone with the source can forge tokens. Load it from a secret store.',
    hardcodedFallback:
      '{{call}} falls back to a hard-coded {{kind}} {{preview}}{{location}} when {{source}} is unset{{uses}}; a missing variable silently makes tokens forgeable. Fail at start-up instead.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    const file = context.file;
    if (!file || !isReportedFile(context.settings, file)) return {};
    return {
      'SourceFile:exit'() {
        // One finding per hard-coded literal and file, at its first use; later uses in the file become related locations.
        const first = new Map<KeyLiteral['node'], { report: Parameters<typeof context.report>[0]; more: number }>();
        const order: KeyLiteral['node'][] = [];
        for (const call of getJwtCalls(context.project, file)) {
          if (call.viaFactory || call.decodeOnly) continue;
          const seen = new Set<KeyLiteral['node']>();
          for (const key of call.keys) {
            const literal = key.literals.find((l) => isReportable(key, l));
            if (!literal || seen.has(literal.node)) continue;
            for (const l of key.literals) seen.add(l.node);
            // A positional key is reported at its call; a key option at the option that configures it.
            const node = key.where.startsWith('argument') ? call.node : key.node;
            const earlier = first.get(literal.node);
            if (earlier) {
              earlier.more++;
              earlier.report.related!.push({ file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd(), message: `same key used by ${describeCall(call)}` });
              continue;
            }
            const location = literal.file === file ? '' : ` from ${literal.file.relPath}:${literal.file.sourceFile.getLineAndCharacterOfPosition(literal.node.getStart(literal.file.sourceFile)).line + 1}`;
            const data = { call: describeCall(call), kind: FORM_NAMES[literal.form], preview: preview(literal), location, role: roleName(key) };
            const related = literal.file === file ? [] : [{ file: literal.file.relPath, start: literal.node.getStart(literal.file.sourceFile), end: literal.node.getEnd(), message: 'hard-coded key' }];
            const report = literal.viaFallback
              ? { node, messageId: 'hardcodedFallback' as const, data: { ...data, source: key.sourceName ?? 'the variable' }, related }
              : { node, messageId: 'hardcodedKey' as const, data, related };
            first.set(literal.node, { report, more: 0 });
            order.push(literal.node);
          }
        }
        for (const literal of order) {
          const { report, more } = first.get(literal)!;
          const uses = more === 0 ? '' : ` (and ${more} more use${more === 1 ? '' : 's'} in this file)`;
          context.report({ ...report, data: { ...report.data, uses } });
        }
      },
    };
  },
});
