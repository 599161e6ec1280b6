import { createRequire } from 'node:module';
import path from 'node:path';
import type { TsSourceFile } from './api.js';

export interface TypeScriptIdentity {
  version: string;
  sourceFileKind: number;
}

interface NodeLike {
  kind?: unknown;
  text?: unknown;
  statements?: ArrayLike<{ parent?: unknown }>;
}

/**
 * Whether the TypeScript AST that @typescript-eslint/parser built can stand in for authlint's own parse.
 * Syntax kinds are plain numbers that shift between TypeScript releases, so the versions must be equal; the
 * AST must also be of exactly the text ESLint lints and have parent pointers, which authlint's rules rely on.
 */
export function canReuseSourceFile(candidate: unknown, text: string, parserTypeScript: string | undefined, authlint: TypeScriptIdentity): candidate is TsSourceFile {
  if (parserTypeScript === undefined || parserTypeScript !== authlint.version) return false;
  if (!candidate || typeof candidate !== 'object') return false;
  const node = candidate as NodeLike;
  if (node.kind !== authlint.sourceFileKind || node.text !== text) return false;
  const first = node.statements?.[0];
  return first === undefined || first.parent === candidate;
}

/** The TypeScript AST of the linted file from typescript-eslint's parser services, when there is one. */
export function getParserSourceFile(sourceCode: { ast: unknown; parserServices?: unknown }): unknown {
  const services = sourceCode.parserServices as { esTreeNodeToTSNodeMap?: { get?: (node: unknown) => unknown } } | undefined;
  const map = services?.esTreeNodeToTSNodeMap;
  if (!map || typeof map.get !== 'function') return undefined;
  try {
    return map.get(sourceCode.ast);
  } catch {
    return undefined;
  }
}

function readVersion(requireFrom: NodeJS.Require, specifier: string): string | undefined {
  try {
    const pkg = requireFrom(`${specifier}/package.json`) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

const parserVersions = new Map<string, string | undefined>();

/** The version of the `typescript` package typescript-eslint's parser loads, looked up from `cwd` like ESLint resolves it. */
export function getParserTypeScriptVersion(cwd: string): string | undefined {
  if (parserVersions.has(cwd)) return parserVersions.get(cwd);
  let version: string | undefined;
  for (const base of [path.join(cwd, 'package.json'), import.meta.filename]) {
    try {
      const fromBase = createRequire(base);
      const estree = fromBase.resolve('@typescript-eslint/typescript-estree');
      version = readVersion(createRequire(estree), 'typescript');
    } catch {
      version = undefined;
    }
    if (version) break;
  }
  parserVersions.set(cwd, version);
  return version;
}

let authlintTypeScript: TypeScriptIdentity | undefined;

/** The TypeScript bundled with authlint's ts-morph (in @ts-morph/common): the one its rules were written against. */
export function getAuthlintTypeScript(packageRoot: string): TypeScriptIdentity {
  if (!authlintTypeScript) {
    const tsMorph = createRequire(path.join(packageRoot, 'package.json'))('@ts-morph/common') as {
      ts: { version: string; SyntaxKind: { SourceFile: number } };
    };
    authlintTypeScript = { version: tsMorph.ts.version, sourceFileKind: tsMorph.ts.SyntaxKind.SourceFile };
  }
  return authlintTypeScript;
}
