/**
 * The source file extensions authlint reads. Kept apart from parse.ts (which loads TypeScript) so that discovery can
 * run on a thread that has not loaded the compiler.
 */
export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
