import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisProject, computeImportSpecifiers } from '../../src/core/project.js';
import { scanImportSpecifiers } from '../../src/core/import-specifiers.js';
import { ROUTES } from '../../src/facts/routes/index.js';
import { scan, type ScanOptions } from '../../src/scan.js';
import { makeTree } from '../cli/support.js';
import { FIXTURES, scannedFixtures } from '../support/services.js';


/** A scan's findings, notifications and route facts, with the project's parse counters. */
function run(options: ScanOptions): { output: unknown; parsed: number; files: number } {
  let routes: unknown;
  let parsed = 0;
  let files = 0;
  const result = scan({
    ...options,
    onProject: (project) => {
      routes = JSON.parse(JSON.stringify(project.projectFact(ROUTES), (key, value: unknown) => (key === 'node' || key === 'file' ? undefined : value)));
      parsed = project.stats.parsed;
      files = project.files().length;
    },
  });
  return { output: { findings: result.findings, notifications: result.notifications, lines: result.linesScanned, files: result.filesScanned, routes }, parsed, files };
}

describe('candidate selection', () => {
  const fixtures = scannedFixtures();
  it('covers the fixture services', () => {
    expect(fixtures.length).toBeGreaterThan(50);
  });

  it.each(fixtures.map((dir) => ({ name: path.relative(FIXTURES, dir), dir })))('changes nothing in $name', ({ dir }) => {
    const selected = run({ root: dir, paths: [dir] });
    const everything = run({ root: dir, paths: [dir], selectFiles: false });
    expect(selected.output).toEqual(everything.output);
    expect(everything.parsed).toBe(everything.files);
  });

  it('parses no file that nothing asks for, and still reports the syntax errors of every file', () => {
    const root = makeTree({
      'src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n",
      'src/util/strings.ts': 'export function pad(s: string): string {\n  return s.padStart(4);\n}\n',
      'src/util/broken.ts': 'export function half( {\n  return 1;\n}\n',
    });
    const { output, parsed, files } = run({ root });
    expect(files).toBe(3);
    expect(parsed).toBeLessThan(files);
    const notifications = (output as { notifications: Array<{ kind: string; file?: string }> }).notifications;
    expect(notifications).toContainEqual(expect.objectContaining({ kind: 'parse-error', file: 'src/util/broken.ts' }));
  });
});

describe('candidate selection across files', () => {
  it('follows wrappers and barrels into files that name no library', () => {
    const root = makeTree({
      'src/lib/token.ts': "import jwt from 'jsonwebtoken';\n\nexport function readClaims(header: string) {\n  return jwt.decode(header.replace('Bearer ', '')) as { role?: string } | null;\n}\n",
      'src/routes/admin.ts':
        "import { readClaims } from '../lib/token';\n\nexport function requireAdmin(req: any, res: any, next: any) {\n  const claims = readClaims(req.headers.authorization);\n  if (claims?.role === 'admin') return next();\n  res.status(403).end();\n}\n",
      // The router function is reached through a default re-export, under another name: its call site in app.ts binds `app`.
      'src/routes/mount.ts': "export default function mount(app: any) {\n  app.get('/admin/users', (req: any, res: any) => res.json([]));\n}\n",
      'src/routes/index.ts': "export { default } from './mount';\n",
      'src/app.ts': "import express from 'express';\nimport attach from './routes';\n\nconst app = express();\nattach(app);\napp.listen(3000);\n",
    });
    const selected = run({ root });
    const output = selected.output as { findings: Array<{ ruleId: string; file: string }>; routes: Array<{ path: string; pathResolved: boolean; app: string }> };
    expect(output.findings).toContainEqual(expect.objectContaining({ ruleId: 'jwt-no-unverified-decode', file: 'src/routes/admin.ts' }));
    expect(output.routes).toContainEqual(expect.objectContaining({ path: '/admin/users', pathResolved: true, app: 'src/app.ts#app' }));
    expect(selected.output).toEqual(run({ root, selectFiles: false }).output);
  });
});

describe('AnalysisProject without a parse', () => {
  it('parses a file on first access to its tree, once', () => {
    const project = new AnalysisProject('/repo');
    const a = project.addFile('/repo/a.ts', "import jwt from 'jsonwebtoken';\njwt.verify(t, k);\n");
    project.addFile('/repo/b.ts', 'export const b = 1;\n');
    expect(project.stats.parsed).toBe(0);
    expect(a.isParsed).toBe(false);
    expect(a.sourceFile.statements).toHaveLength(2);
    expect(a.sourceFile).toBe(a.sourceFile);
    expect(project.stats.parsed).toBe(1);
  });

  it('selects the files whose index holds a word, in file order', () => {
    const project = new AnalysisProject('/repo');
    const a = project.addFile('/repo/a.ts', "const t = require('jsonwebtoken');\n");
    const b = project.addFile('/repo/b.ts', 'export const jose = 1;\n');
    project.addFile('/repo/c.ts', 'export const jsonwebtokenish = 1;\n');
    expect(project.filesMentioning(['jose', 'jsonwebtoken'])).toEqual([a, b]);
    expect(project.mentions(b, ['jose'])).toBe(true);
    expect(project.mentions(a, ['jose'])).toBe(false);
    expect(project.stats.parsed).toBe(0);
    const all = new AnalysisProject('/repo', {}, undefined, { select: false });
    all.addFile('/repo/a.ts', 'export {};\n');
    expect(all.filesMentioning(['jose'])).toHaveLength(1);
    expect(all.stats.parsed).toBe(1);
  });

  it('gives syntax errors without keeping a tree, and takes them over when known', () => {
    const project = new AnalysisProject('/repo');
    const broken = project.addFile('/repo/broken.ts', 'export function f( {\n');
    expect(broken.parseSummary.count).toBeGreaterThan(0);
    expect(broken.isParsed).toBe(false);
    expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 1, parsedForSummaries: 0 });
    const handed = project.addFile('/repo/handed.ts', 'export function g( {\n', { parseSummary: { count: 1, first: { start: 3, length: 1, message: 'x' } } });
    expect(handed.hasParseSummary).toBe(true);
    expect(handed.parseSummary.first?.message).toBe('x');
    expect(project.stats.parsedForDiagnostics).toBe(1);
  });

  it('finds importers from the specifiers of the text alone', () => {
    const project = new AnalysisProject('/repo', {}, { read: () => undefined, exists: (p) => ['/repo/lib.ts', '/repo/main.ts', '/repo/other.ts'].includes(p) });
    const lib = project.addFile('/repo/lib.ts', 'export const x = 1;\n');
    const main = project.addFile('/repo/main.ts', "import { x } from './lib';\nconst y = require(`./lib`);\n");
    project.addFile('/repo/other.ts', "import fs from 'node:fs';\n");
    expect(project.importersOf(lib)).toEqual([main]);
    expect(project.stats.parsed).toBe(0);
  });
});

describe('computeImportSpecifiers', () => {
  it('reads every form the import facts read, without a parse', () => {
    const text = [
      "import a from './a';",
      "import { b } from \"./b\";",
      "export * from './c';",
      "import d = require('./d');",
      'const e = require(`./e`);',
      "const f = require?.('./f');",
      "const g = await import('./g');",
      "import './h';",
      "const i = require(/* why */ './i');",
    ].join('\n');
    expect(new Set(computeImportSpecifiers(text))).toEqual(new Set(['./a', './b', './c', './d', './e', './f', './g', './h', './i']));
    expect(computeImportSpecifiers("const j = require('./\\u006a');")).toContain('./j');
  });

  it('asks the compiler when a comment after a keyword hides in a string, and not otherwise', () => {
    // The pattern reads no specifier with a quote of another kind inside; only the compiler's scanner adds it, and the
    // comment that makes the scan exact sits inside the first string.
    const hidden = "import a from 'import //x';\nimport b from \"./it's\";\n";
    expect(computeImportSpecifiers(hidden)).toEqual(['import //x', "./it's"]);
    expect(scanImportSpecifiers(hidden)).toEqual({ specifiers: ['import //x'], exact: true });
    expect(scanImportSpecifiers("import a from './a';\nconst b = require(\n  // why\n  './b');\n").exact).toBe(true);
    expect(scanImportSpecifiers("import a from './a';\n// imported from elsewhere\nexport { b } from \"./b\";\n")).toEqual({ specifiers: ['./a', './b'], exact: false });
  });
});
