/**
 * A string right after `from`, `import`, `require`, `import(`, `require(` or `require?.(` (groups 1 and 2), or the start
 * of a comment there (no group), which the string pattern would miss: one pass over the text finds both.
 */
const SPECIFIER_OR_COMMENT = /\b(?:from|require|import)\s*(?:\?\.\s*)?\(?\s*(?:(['"`])([^'"`\n]*)\1|\/[*/])/g;
/** The comment alone, for a text where a matched string may hide one (a keyword inside the string). */
const COMMENT_AFTER_KEYWORD = /\b(?:from|require|import)\s*(?:\?\.\s*)?\(?\s*\/[*/]/;
const KEYWORD = /from|require|import/;

/**
 * The part of `computeImportSpecifiers` (project.ts) that needs no compiler, so that the reading thread can do it: the
 * specifiers the pattern reads from the text, in order of first appearance, and whether the compiler's pre-processing
 * scanner must add its own (a comment between a keyword and its string, or a string with an escape).
 */
export function scanImportSpecifiers(text: string): { specifiers: string[]; exact: boolean } {
  const found = new Set<string>();
  let exact = false;
  // A comment match can start nowhere inside a string match but in its string: only a keyword there can hide one.
  let hidden = false;
  for (const match of text.matchAll(SPECIFIER_OR_COMMENT)) {
    const specifier = match[2];
    if (specifier === undefined) {
      exact = true;
      continue;
    }
    if (specifier.includes('\\')) exact = true;
    if (KEYWORD.test(specifier)) hidden = true;
    found.add(specifier);
  }
  if (!exact && hidden) exact = COMMENT_AFTER_KEYWORD.test(text);
  return { specifiers: [...found], exact };
}
