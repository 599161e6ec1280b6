/** 1-based line and column; columns count UTF-16 code units, the end column is exclusive. */
export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Offsets to lines and columns through a table of line starts (\n, \r\n and \r end a line). */
export class LineIndex {
  readonly text: string;
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) starts.push(i + 1);
      else if (code === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.starts[lo] as number) + 1 };
  }

  region(start: number, end: number): Region {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next).replace(/\r?\n$|\r$/, '');
  }
}

/** One LineIndex per file, built on first use. */
export class SourceIndex {
  private readonly sources: ReadonlyMap<string, string>;
  private readonly cache = new Map<string, LineIndex>();

  constructor(sources: ReadonlyMap<string, string>) {
    this.sources = sources;
  }

  get(file: string): LineIndex | undefined {
    let index = this.cache.get(file);
    if (!index) {
      const text = this.sources.get(file);
      if (text === undefined) return undefined;
      index = new LineIndex(text);
      this.cache.set(file, index);
    }
    return index;
  }

  /** The region of a range; line 1 when the file text is unknown. */
  region(file: string, start: number, end: number): Region {
    return this.get(file)?.region(start, end) ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  }
}
