/**
 * What a file's text says without parsing it: plain, serialisable data computed by a pure function of the text, so a
 * worker thread can compute it and a cache can store it by content hash. Bump FILE_INDEX_VERSION whenever the shape
 * or the meaning of a field changes.
 *
 * Shape (version 1):
 * - `words`: every identifier-like word of the text, once each (in a deterministic order: words read straight from the
 *   text in order of first appearance, then those built from escapes). A word is a maximal run
 *   of identifier characters (ASCII letters, digits, `_`, `$`, and any non-ASCII letter or digit), read everywhere:
 *   code, property names, string and template contents, regular expressions, comments and JSX text. Unicode escapes
 *   (`\u0061`, `\u{61}`, `\x61`) are decoded into the word they belong to, as the parser and a string's cooked value
 *   do; any other escape (`\n`) separates words, except one that stands for its own letter (`\j` is `j`). A word with
 *   a `$` inside also gives the parts between its `$` signs (`$jwt` gives `$jwt` and `jwt`). The list is a
 *   superset of the identifiers, property names and string contents a parser would read, so a file whose words lack a
 *   name cannot contain an identifier, property or string equal to that name.
 * - `depth`: the deepest nesting of `(`, `[` and `{` (counted over the raw text: brackets in strings and comments
 *   count too, so it is an upper bound of the syntax's nesting, not an exact figure).
 * - `lineStarts`: the number of lines as the TypeScript compiler counts their starts (one more than the line breaks:
 *   LF, CR, CRLF, U+2028, U+2029).
 */
export const FILE_INDEX_VERSION = 1;

export interface FileIndex {
  version: number;
  words: string[];
  depth: number;
  lineStarts: number;
}

const enum Char {
  LineFeed = 10,
  CarriageReturn = 13,
  Backslash = 92,
  OpenParen = 40,
  CloseParen = 41,
  OpenBracket = 91,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

/** Letters and digits of any script, `_` and `$`, plus the joiners identifiers may contain. */
const NON_ASCII_WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}\u200c\u200d]/u;
/** Escapes that stand for a control character or nothing (a line continuation): they end a word. */
const SEPARATING_ESCAPES = new Set(['n', 'r', 't', 'b', 'f', 'v', '0']);
const LINE_BREAKS = new Set(['\n', '\r', '\u2028', '\u2029']);

function isAsciiWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

function isWordChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 128 ? isAsciiWordCode(code) : NON_ASCII_WORD.test(ch);
}

/** The character a `\u…`/`\x…` escape at `at` (the backslash) stands for, and where the escape ends. */
function readEscape(text: string, at: number): { ch: string; end: number } | undefined {
  const kind = text[at + 1];
  if (kind === 'u' && text[at + 2] === '{') {
    const close = text.indexOf('}', at + 3);
    if (close === -1 || close - at > 12) return undefined;
    const code = Number.parseInt(text.slice(at + 3, close), 16);
    if (!/^[0-9a-fA-F]+$/.test(text.slice(at + 3, close)) || code > 0x10ffff) return undefined;
    return { ch: String.fromCodePoint(code), end: close + 1 };
  }
  const length = kind === 'u' ? 4 : kind === 'x' ? 2 : 0;
  if (length === 0) return undefined;
  const digits = text.slice(at + 2, at + 2 + length);
  if (digits.length !== length || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  return { ch: String.fromCharCode(Number.parseInt(digits, 16)), end: at + 2 + length };
}

/**
 * The distinct words of one text. Words read straight from the text are interned by position in an open-addressing
 * table (no string is made for a word seen before, which is most of them); words with escapes go through a Set.
 */
class WordTable {
  readonly words: string[] = [];
  private readonly extra = new Set<string>();
  private starts = new Int32Array(256).fill(-1);
  private lengths = new Int32Array(256);
  private hashes = new Int32Array(256);

  constructor(private readonly text: string) {}

  addSlice(start: number, end: number, hash: number): void {
    const { text } = this;
    const length = end - start;
    let mask = this.starts.length - 1;
    let slot = hash & mask;
    for (;;) {
      const at = this.starts[slot] as number;
      if (at === -1) break;
      if (this.lengths[slot] === length && this.hashes[slot] === hash) {
        let same = true;
        for (let k = 0; k < length; k++) {
          if (text.charCodeAt(at + k) !== text.charCodeAt(start + k)) {
            same = false;
            break;
          }
        }
        if (same) return;
      }
      slot = (slot + 1) & mask;
    }
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.hashes[slot] = hash;
    this.words.push(text.slice(start, end));
    if (this.words.length * 2 > mask) {
      this.grow();
      mask = this.starts.length - 1;
    }
  }

  addString(word: string): void {
    this.extra.add(word);
  }

  result(): string[] {
    if (this.extra.size === 0) return this.words;
    const known = new Set(this.words);
    for (const word of this.extra) if (!known.has(word)) this.words.push(word);
    return this.words;
  }

  private grow(): void {
    const { starts, lengths, hashes } = this;
    const size = starts.length * 2;
    this.starts = new Int32Array(size).fill(-1);
    this.lengths = new Int32Array(size);
    this.hashes = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < starts.length; i++) {
      if (starts[i] === -1) continue;
      let slot = (hashes[i] as number) & mask;
      while (this.starts[slot] !== -1) slot = (slot + 1) & mask;
      this.starts[slot] = starts[i] as number;
      this.lengths[slot] = lengths[i] as number;
      this.hashes[slot] = hashes[i] as number;
    }
  }
}

/** Computes a file's index from its text alone (see the module comment for what it holds). */
export function computeFileIndex(text: string): FileIndex {
  const table = new WordTable(text);
  let depth = 0;
  let maxDepth = 0;
  let lines = 1;
  let start = -1;
  let hash = 0;
  let hasDollar = false;
  // Set when the current word contains an escape: its text is then built char by char in `decoded`.
  let decoded: string | undefined;
  const end = (at: number): void => {
    if (start === -1) return;
    if (decoded === undefined) table.addSlice(start, at, hash);
    else table.addString(decoded);
    // A regular expression's \b sees `$` as a boundary: `$jwt` also holds the word `jwt`.
    if (hasDollar || decoded?.includes('$')) {
      const word = decoded ?? text.slice(start, at);
      if (word.length > 1) for (const part of word.split('$')) if (part) table.addString(part);
    }
    start = -1;
    decoded = undefined;
  };
  const length = text.length;
  for (let i = 0; i < length; ) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if (isAsciiWordCode(code)) {
        if (start === -1) {
          start = i;
          hash = code;
          hasDollar = code === 36;
        } else {
          hash = (Math.imul(hash, 31) + code) | 0;
          if (code === 36) hasDollar = true;
          if (decoded !== undefined) decoded += text[i];
        }
        i++;
        continue;
      }
      if (code === Char.Backslash) {
        const escape = readEscape(text, i);
        const next = text[i + 1];
        const ch = escape ? escape.ch : next !== undefined && !SEPARATING_ESCAPES.has(next) && isWordChar(next) ? next : undefined;
        if (ch !== undefined && isWordChar(ch)) {
          decoded = start === -1 ? ch : (decoded ?? text.slice(start, i)) + ch;
          if (start === -1) {
            start = i;
            hasDollar = false;
          }
          i = escape ? escape.end : i + 2;
          continue;
        }
        end(i);
        // A line break after the backslash is still counted; any other escaped character is skipped with it.
        i += next === undefined || LINE_BREAKS.has(next) ? 1 : 2;
        continue;
      }
      end(i);
      if (code === Char.LineFeed || (code === Char.CarriageReturn && text.charCodeAt(i + 1) !== Char.LineFeed)) lines++;
      if (code === Char.OpenParen || code === Char.OpenBracket || code === Char.OpenBrace) {
        depth++;
        if (depth > maxDepth) maxDepth = depth;
      } else if ((code === Char.CloseParen || code === Char.CloseBracket || code === Char.CloseBrace) && depth > 0) {
        depth--;
      }
      i++;
      continue;
    }
    const point = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(point);
    if (NON_ASCII_WORD.test(ch)) {
      if (start === -1) {
        start = i;
        hash = 0;
        hasDollar = false;
      } else if (decoded !== undefined) {
        decoded += ch;
      }
      for (let k = 0; k < ch.length; k++) hash = (Math.imul(hash, 31) + ch.charCodeAt(k)) | 0;
    } else {
      end(i);
      if (point === 0x2028 || point === 0x2029) lines++;
    }
    i += ch.length;
  }
  end(length);
  return { version: FILE_INDEX_VERSION, words: table.result(), depth: maxDepth, lineStarts: lines };
}
