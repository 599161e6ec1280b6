import { ts } from '@ts-morph/common';
import { describe, expect, it } from 'vitest';
import { getScriptKind, parseSource } from '../../src/core/parse.js';
import { warmUpParser } from '../../src/core/parser-warm-up.js';
import { computeFileIndex } from '../../src/core/file-index.js';
import { scanImportSpecifiers } from '../../src/core/import-specifiers.js';
import { WARM_UP_FILES, warmUpTextSummary } from '../../src/core/warm-up.js';
import { walk } from '../../src/core/walk.js';

/**
 * The kinds of node and operator token in the trees of some files, and the forms of their numeric literals, as
 * TypeScript's scanner marked them while the parser drove it (templates and regular expressions rescanned).
 */
function scanAll(files: ReadonlyArray<readonly [string, string]>): { kinds: Set<ts.SyntaxKind>; flags: ts.TokenFlags; conflictMarker: boolean } {
  const kinds = new Set<ts.SyntaxKind>();
  let flags = ts.TokenFlags.None;
  let conflictMarker = false;
  for (const [name, text] of files) {
    const { sourceFile, diagnostics } = parseSource(name, text);
    walk(sourceFile, (node) => {
      kinds.add(node.kind);
      if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) kinds.add(node.operator);
      if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) flags |= (node as ts.Node & { numericLiteralFlags?: ts.TokenFlags }).numericLiteralFlags ?? 0;
    });
    // "Merge conflict marker encountered."
    if (diagnostics.some((d) => d.code === 1185)) conflictMarker = true;
  }
  return { kinds, flags, conflictMarker };
}

const OPERATORS = [
  // The scanner's optimised code was thrown away on ever-gauzy at each of these first: `!=`, `%=`, `&=`, `*=`, `--`,
  // `-=`, `/=`, `<<=`, `==`, `??=`.
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.QuestionDotToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.DotDotDotToken,
  ts.SyntaxKind.EqualsGreaterThanToken,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
];

const NUMERIC_FLAGS = [
  // Hex, binary and octal literals were the other two of the scanner's deoptimisations.
  ts.TokenFlags.HexSpecifier,
  ts.TokenFlags.BinarySpecifier,
  ts.TokenFlags.OctalSpecifier,
  ts.TokenFlags.Octal,
  ts.TokenFlags.Scientific,
];

describe('warmUpParser', () => {
  it('takes the scanner through the operators and literal forms whose first use threw its optimised code away', () => {
    const { kinds, flags, conflictMarker } = scanAll(WARM_UP_FILES);
    expect(OPERATORS.filter((kind) => !kinds.has(kind)).map((kind) => ts.SyntaxKind[kind])).toEqual([]);
    expect(NUMERIC_FLAGS.filter((flag) => (flags & flag) === 0).map((flag) => ts.TokenFlags[flag])).toEqual([]);
    expect(conflictMarker).toBe(true);
  });

  it('does not count what an ordinary file lacks as reached', () => {
    const { kinds, flags, conflictMarker } = scanAll([['plain.ts', 'const total = price * count + 10;\nexport default total === 0;\n']]);
    expect(OPERATORS.filter((kind) => !kinds.has(kind)).map((kind) => ts.SyntaxKind[kind])).toContain('PercentEqualsToken');
    expect(kinds.has(ts.SyntaxKind.EqualsEqualsEqualsToken)).toBe(true);
    expect(flags & ts.TokenFlags.HexSpecifier).toBe(0);
    expect(conflictMarker).toBe(false);
  });

  it('parses every script kind, JSX closing tags and fragments included, an empty file too', () => {
    expect(new Set(WARM_UP_FILES.map(([name]) => getScriptKind(name)))).toEqual(new Set([ts.ScriptKind.TS, ts.ScriptKind.TSX, ts.ScriptKind.JS, ts.ScriptKind.JSX]));
    const tsx = WARM_UP_FILES.find(([name]) => name.endsWith('.tsx'))?.[1] ?? '';
    const seen = new Set<ts.SyntaxKind>();
    walk(parseSource('warm-up.tsx', tsx).sourceFile, (node) => void seen.add(node.kind));
    for (const kind of [ts.SyntaxKind.JsxClosingElement, ts.SyntaxKind.JsxFragment, ts.SyntaxKind.JsxSelfClosingElement, ts.SyntaxKind.Decorator, ts.SyntaxKind.RegularExpressionLiteral, ts.SyntaxKind.TemplateExpression]) {
      expect(ts.SyntaxKind[kind], ts.SyntaxKind[kind]).toBe(seen.has(kind) ? ts.SyntaxKind[kind] : 'missing');
    }
    expect(WARM_UP_FILES.some(([, text]) => text === '')).toBe(true);
    expect(() => warmUpParser()).not.toThrow();
  });
});

/** Which rare branches of the reading thread's text summary a text takes. */
function textBranches(text: string): string[] {
  const { words } = computeFileIndex(text);
  const branches: string[] = [];
  // A word spelled with an escape is decoded; a word with a `$` inside also gives its parts; non-ASCII letters.
  if (words.includes('abc') && !text.includes('abc')) branches.push('escape');
  if (words.includes('ref') && words.includes('$ref')) branches.push('dollar');
  if (words.some((word) => /[^\x00-\x7f]/.test(word))) branches.push('non-ascii');
  // A comment after `import`, or an escape in a specifier: the compiler's pre-processing must add its own.
  if (scanImportSpecifiers(text).exact) branches.push('inexact specifiers');
  return branches;
}

describe('warmUpTextSummary', () => {
  it('takes the file index and the import specifiers through escapes, dollar words, non-ASCII letters and comments', () => {
    const reached = new Set(WARM_UP_FILES.flatMap(([, text]) => textBranches(text)));
    expect([...reached].sort()).toEqual(['dollar', 'escape', 'inexact specifiers', 'non-ascii']);
    expect(() => warmUpTextSummary()).not.toThrow();
  });

  it('does not count those branches as reached by an ordinary file', () => {
    expect(textBranches("import { ref } from './ref';\nexport const abc = ref('$');\n")).toEqual([]);
  });
});

