import type { ts } from '@ts-morph/common';
import { defineRule } from '../src/core/rule.js';
import type { SourceFileInfo } from '../src/core/project.js';
import type { RelatedLocation } from '../src/core/types.js';
import { describeCall, getJwtCalls, isReportedFile, type JwtCall, type JwtKey, type KeyLiteral } from '../src/facts/jwt.js';

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

interface Use {
  call: JwtCall;
  key: JwtKey;
  /** A positional key is shown at its call; a key option at the option that configures it. */
  node: ts.Node;
}

function position(file: SourceFileInfo, node: ts.Node): string {
  return `${file.relPath}:${file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1}`;
}

function toRelated(file: SourceFileInfo, node: ts.Node, message: string): RelatedLocation {
  return { file: file.relPath, start: node.getStart(file.sourceFile), end: node.getEnd(), message };
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
    scope: 'project',
    recommended: true,
  },
  messages: {
    hardcodedKey:
      'Hard-coded {{kind}} {{preview}} is the {{role}} key of {{call}} ({{use}}){{uses}}; anyone with the source can forge tokens. Load it from a secret store.',
    hardcodedFallback:
      'Hard-coded {{kind}} {{preview}} is the {{role}} key of {{call}} ({{use}}){{uses}} when {{source}} is unset; a missing variable silently makes tokens forgeable. Fail at start-up instead.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  create(context) {
    return {
      project() {
        const { project, settings } = context;
        const scanned = new Set(project.files());
        // One finding per hard-coded literal, however many calls use it and through whatever files it reaches them.
        const byLiteral = new Map<ts.Node, { literal: KeyLiteral; uses: Use[] }>();
        for (const file of project.files()) {
          if (!isReportedFile(settings, file)) continue;
          for (const call of getJwtCalls(project, file)) {
            if (call.viaFactory || call.decodeOnly) continue;
            for (const key of call.keys) {
              const node = key.where.startsWith('argument') ? call.node : key.node;
              for (const literal of key.literals) {
                if (!isReportable(key, literal)) continue;
                const entry = byLiteral.get(literal.node) ?? { literal, uses: [] };
                if (!entry.uses.some((u) => u.node === node)) entry.uses.push({ call, key, node });
                byLiteral.set(literal.node, entry);
              }
            }
          }
        }
        for (const { literal, uses } of byLiteral.values()) {
          const [first] = uses as [Use, ...Use[]];
          const more = uses.length - 1;
          const data = {
            kind: FORM_NAMES[literal.form],
            preview: preview(literal),
            role: roleName(first.key),
            call: describeCall(first.call),
            use: position(first.call.file, first.node),
            uses: more === 0 ? '' : ` and ${more} more use${more === 1 ? '' : 's'}`,
          };
          const related = uses.map((u) => toRelated(u.call.file, u.node, `used as the ${roleName(u.key)} key by ${describeCall(u.call)}`));
          // The fix is at the literal (the CodeQL convention); a literal outside the scanned files is shown at its first use.
          const at = scanned.has(literal.file)
            ? { file: literal.file, node: literal.node, related }
            : { file: first.call.file, node: first.node, related: [toRelated(literal.file, literal.node, 'hard-coded key'), ...related] };
          if (literal.viaFallback) context.report({ ...at, messageId: 'hardcodedFallback', data: { ...data, source: first.key.sourceName ?? 'the variable' } });
          else context.report({ ...at, messageId: 'hardcodedKey', data });
        }
      },
    };
  },
});
