import { describe, expect, it } from 'vitest';
import { LineIndex, SourceIndex } from '../../src/report/positions.js';

describe('LineIndex', () => {
  it('turns offsets into 1-based lines and UTF-16 columns with an exclusive end', () => {
    const index = new LineIndex('const a = 1;\nconst token = jwt.sign(p);\n');
    const start = 'const a = 1;\nconst token = '.length;
    expect(index.region(start, start + 'jwt.sign(p)'.length)).toEqual({ line: 2, column: 15, endLine: 2, endColumn: 26 });
  });

  it('treats \\r\\n and a lone \\r as one line break each', () => {
    const index = new LineIndex('a\r\nb\rc\nd');
    expect(index.lineCount).toBe(4);
    expect(index.position('a\r\nb\rc\n'.length)).toEqual({ line: 4, column: 1 });
    expect(index.lineText(1)).toBe('a');
    expect(index.lineText(2)).toBe('b');
    expect(index.lineText(4)).toBe('d');
  });

  it('clamps offsets outside the text', () => {
    const index = new LineIndex('ab\ncd');
    expect(index.position(-5)).toEqual({ line: 1, column: 1 });
    expect(index.position(99)).toEqual({ line: 2, column: 3 });
    expect(index.lineText(7)).toBe('');
  });

  it('counts astral characters as two code units, as SARIF utf16CodeUnits columns do', () => {
    const index = new LineIndex('"🔑" + key');
    expect(index.position('"🔑" + '.length)).toEqual({ line: 1, column: 8 });
  });
});

describe('SourceIndex', () => {
  it('falls back to line 1 for a file whose text is unknown', () => {
    const index = new SourceIndex(new Map([['src/a.ts', 'x\ny']]));
    expect(index.region('src/a.ts', 2, 3)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 2 });
    expect(index.region('src/missing.ts', 10, 20)).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 1 });
  });
});
