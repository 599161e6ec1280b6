import { parseSource } from './parse.js';
import { WARM_UP_FILES } from './warm-up.js';

/**
 * Parses a small text that reaches most branches of TypeScript's scanner and parser, once per script kind, on a thread
 * about to parse many files, before any of them. V8's optimising compiler leaves out the branches that had not run when
 * it optimised a function; the first file that takes one of them (a `!=`, a `%=`, a hex literal, a JSX closing tag)
 * throws the optimised code away, and the function is optimised again. On ever-gauzy that happened to the scanner's
 * `scan` 14 times and to other parser functions about 60 times (docs/performance.md, round 8 of issue 14). Run first,
 * these branches have been taken before the functions are optimised. The trees are dropped; nothing else is kept.
 */
export function warmUpParser(): void {
  for (const [name, text] of WARM_UP_FILES) parseSource(name, text);
}
