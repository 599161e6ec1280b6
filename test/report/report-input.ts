import type { Finding, Notification } from '../../src/core/types.js';
import type { ReportInput, RuleDescriptor, RunInfo } from '../../src/report/types.js';

export const SOURCES: Record<string, string> = {
  'src/auth/verify.ts': [
    "import jwt from 'jsonwebtoken';",
    '',
    'export function readUser(token: string) {',
    "  return jwt.verify(token, 'changeme', { algorithms: ['HS256', 'none'] });",
    '}',
    '',
  ].join('\n'),
  'src/routes/orders.ts': [
    "import { Router } from 'express';",
    'export const orders = Router();',
    "orders.delete('/orders/:id', (req, res) => res.sendStatus(204)); // authlint-disable-line route-require-authentication -- internal network only",
    '',
  ].join('\n'),
  'src/app.ts': ["import { orders } from './routes/orders.js';", "app.use('/api', orders);", ''].join('\n'),
};

export const RULES: RuleDescriptor[] = [
  {
    id: 'jwt-no-hardcoded-secret',
    name: 'JwtNoHardcodedSecret',
    description: 'Disallow hard-coded JWT signing and verification secrets',
    fullDescription: 'A secret in source code is readable by everyone with repository access.',
    docMarkdown: '# jwt-no-hardcoded-secret\n\nA secret in source code is readable by everyone with repository access.\n\n## Examples\n\n```ts\njwt.sign(p, "s");\n```\n',
    helpUri: 'https://github.com/authlint/authlint/blob/v0.1.0/rules/jwt-no-hardcoded-secret.md',
    level: 'error',
    category: 'jwt',
    precision: 'high',
    securitySeverity: 8.1,
    cwe: [798, 321],
    scope: 'file',
  },
  {
    id: 'jwt-no-none-algorithm',
    name: 'JwtNoNoneAlgorithm',
    description: "Disallow the 'none' algorithm when verifying JWTs",
    level: 'error',
    category: 'jwt',
    precision: 'very-high',
    securitySeverity: 9.1,
    cwe: [347],
    scope: 'file',
  },
  {
    id: 'route-require-authentication',
    name: 'RouteRequireAuthentication',
    description: 'Require authentication on every route that is not public on purpose',
    level: 'warning',
    category: 'route',
    precision: 'medium',
    securitySeverity: 7.5,
    cwe: [306],
    scope: 'project',
  },
];

export function rangeOf(file: string, needle: string, occurrence = 0): { start: number; end: number } {
  const text = SOURCES[file] as string;
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`'${needle}' not in ${file}`);
  return { start, end: start + needle.length };
}

export function buildFindings(): Finding[] {
  const suppressionComment = rangeOf('src/routes/orders.ts', '// authlint-disable-line route-require-authentication -- internal network only');
  return [
    {
      ruleId: 'jwt-no-hardcoded-secret',
      messageId: 'hardcoded',
      message: "The secret passed to jwt.verify is the string literal 'changeme'.",
      data: {},
      file: 'src/auth/verify.ts',
      level: 'error',
      ...rangeOf('src/auth/verify.ts', "'changeme'"),
    },
    {
      ruleId: 'jwt-no-none-algorithm',
      messageId: 'none',
      message: "jwt.verify accepts the 'none' algorithm",
      data: {},
      file: 'src/auth/verify.ts',
      level: 'error',
      ...rangeOf('src/auth/verify.ts', "'none'"),
    },
    {
      ruleId: 'route-require-authentication',
      messageId: 'missing',
      message: "Route 'DELETE /api/orders/:id' has no authentication.",
      data: {},
      file: 'src/routes/orders.ts',
      level: 'warning',
      ...rangeOf('src/routes/orders.ts', "orders.delete('/orders/:id', (req, res) => res.sendStatus(204))"),
      related: [{ file: 'src/app.ts', message: "Router mounted at '/api'", ...rangeOf('src/app.ts', "app.use('/api', orders)") }],
      suppression: { kind: 'inSource', justification: 'internal network only', ...suppressionComment },
    },
  ];
}

export function buildNotifications(): Notification[] {
  return [
    { kind: 'no-files', level: 'note', message: 'No JavaScript or TypeScript files found to scan.' },
    { kind: 'parse-error', level: 'warning', file: 'src/broken.ts', start: 14, end: 15, message: "src/broken.ts has syntax errors (1; first: ')' expected.); analysed as far as the parser recovered." },
    { kind: 'rule-error', level: 'error', ruleId: 'jwt-no-none-algorithm', file: 'src/auth/verify.ts', message: "Rule 'jwt-no-none-algorithm' failed on src/auth/verify.ts: boom" },
    { kind: 'binary-file', level: 'warning', file: 'assets/logo.ts', message: 'Skipped assets/logo.ts: binary content in a source file.' },
  ];
}

export const RUN: RunInfo = {
  toolName: 'authlint',
  toolVersion: '0.1.0',
  informationUri: 'https://github.com/authlint/authlint',
  root: 'services/orders',
  successful: true,
  filesScanned: 3,
  linesScanned: 12,
};

export function buildInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const sources = new Map(Object.entries(SOURCES));
  sources.set('src/broken.ts', 'const broken = (;\n');
  return { findings: buildFindings(), notifications: [], rules: RULES, sources, run: RUN, ...overrides };
}
