import { ts } from '@ts-morph/common';
import type { JWTPayload } from 'jose';
import { defineRule } from '../src/core/rule.js';
import type { SourceFileInfo } from '../src/core/project.js';
import type { ProjectSettings } from '../src/core/types.js';
import { walk } from '../src/core/walk.js';
import { isNoneAlgorithm, isSymmetricAlgorithm } from '../src/models/jwt/algorithms.js';
import { findJwts, mayContainJwt, type DecodedJwt } from '../src/facts/token-literals.js';

export type Options = Record<string, never>;
export type MessageId = 'hardcodedToken';

const SHAPED_CLAIMS = ['iss', 'aud', 'sub'] as const;

function describeValueShape(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (typeof value === 'number') return 'number';
  if (typeof value !== 'string') return typeof value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'URL';
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return 'e-mail address';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return 'UUID';
  if (/^\d+$/.test(value)) return 'numeric id';
  return 'string';
}

function describeAlgorithm(alg: string): string {
  if (isNoneAlgorithm(alg)) return `alg '${alg}', unsigned`;
  if (isSymmetricAlgorithm(alg)) return `alg '${alg}', HMAC`;
  return `alg '${alg}'`;
}

function describeExpiry(claims: JWTPayload): string {
  if (claims.exp === undefined) return 'no exp, never expires';
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return 'exp not a number';
  const date = new Date(claims.exp * 1000);
  return Number.isNaN(date.getTime()) ? 'exp out of range' : `exp ${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
}

function describeClaims(claims: JWTPayload): string {
  const shapes = SHAPED_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `${name} ${describeValueShape(claims[name])}`);
  return shapes.length > 0 ? shapes.join(', ') : 'no iss, aud or sub';
}

function describeToken(jwt: DecodedJwt): Record<string, string> {
  return {
    alg: describeAlgorithm(jwt.header.alg),
    expiry: jwt.claims ? describeExpiry(jwt.claims) : 'payload not a JSON claims set',
    claims: jwt.claims ? describeClaims(jwt.claims) : 'no readable claims',
  };
}

/** The cooked text of a string literal or of a template literal's literal parts. */
function getLiteralText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  if (ts.isJsxText(node)) return node.text;
  return undefined;
}

/** The files this rule reads: the one test that both the engine's file selection and `create` ask. */
function appliesTo(file: SourceFileInfo, settings: ProjectSettings): boolean {
  return (!file.isTestFile || settings.reportTestFiles === true) && mayContainJwt(file.text);
}

export default defineRule<Options, MessageId>({
  id: 'jwt-no-hardcoded-token',
  meta: {
    description: 'Disallow JWTs written as string literals in source code',
    category: 'jwt',
    level: 'warning',
    precision: 'high',
    securitySeverity: 7.0,
    cwe: [798],
    scope: 'file',
    recommended: true,
  },
  messages: {
    hardcodedToken:
      'The string holds a hard-coded JWT ({{alg}}; {{expiry}}; {{claims}}). Remove it from the source and revoke it if it was ever issued.',
  },
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultOptions: {},
  appliesTo: (file, project) => appliesTo(file, project.settings),
  create(context) {
    const file = context.file;
    if (!file || !appliesTo(file, context.settings)) return {};
    return {
      'SourceFile:exit'() {
        walk(file.sourceFile, (node) => {
          const text = getLiteralText(node);
          if (text === undefined) return true;
          for (const jwt of findJwts(text)) {
            context.report({
              range: { start: node.getStart(file.sourceFile), end: node.getEnd() },
              messageId: 'hardcodedToken',
              data: describeToken(jwt),
            });
          }
          return false;
        });
      },
    };
  },
});
