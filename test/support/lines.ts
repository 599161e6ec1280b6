import fs from 'node:fs';

const cache = new Map<string, number[]>();

/** 1-based line of a character offset in a file on disk. */
export function lineOfOffset(file: string, offset: number): number {
  let starts = cache.get(file);
  if (!starts) {
    const text = fs.readFileSync(file, 'utf8');
    starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    cache.set(file, starts);
  }
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
