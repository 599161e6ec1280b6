import { ts } from 'ts-morph';
import path from 'node:path';
import { SOURCE_EXTENSIONS } from './extensions.js';
import { linkParentsAndIndex } from './walk.js';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export { SOURCE_EXTENSIONS };

export function getScriptKind(filePath: string): ts.ScriptKind {
  return SCRIPT_KINDS[path.extname(filePath).toLowerCase()] ?? ts.ScriptKind.TS;
}

export interface ParseResult {
  sourceFile: ts.SourceFile;
  diagnostics: readonly ts.DiagnosticWithLocation[];
}

/**
 * Parses with the TypeScript bundled in ts-morph: tolerant, JSX on for .tsx/.jsx/.js, no type check. Parent pointers
 * are set by the same walk that builds the file's kind index (linkParentsAndIndex) rather than by a separate
 * TypeScript pass, so the tree is walked once after parsing.
 */
export function parseSource(filePath: string, text: string): ParseResult {
  const kind = getScriptKind(filePath);
  const sourceFile = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, kind);
  linkParentsAndIndex(sourceFile);
  const diagnostics =
    (sourceFile as ts.SourceFile & { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return { sourceFile, diagnostics };
}

export function isTestPath(relPath: string): boolean {
  return /(^|\/)(__tests__|__mocks__|tests?|spec|e2e)\//.test(relPath) || /\.(test|spec|e2e-spec)\.[cm]?[jt]sx?$/.test(relPath);
}
