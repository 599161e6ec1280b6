/** Edit distance (insertions, deletions, substitutions, adjacent transpositions) between two strings. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be the intended one: a third of the
 * word's length may differ, the word is the start of a candidate (`maxClockTolerance`), or it is a known
 * id behind a prefix such as ESLint's `authlint/`.
 */
export function getSuggestion(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const score = lower.endsWith(`/${other}`) ? 0 : lower.length >= 4 && other.startsWith(lower) ? 1 : distance(lower, other);
    if (!best || score < best.score) best = { candidate, score };
  }
  if (!best || best.score > Math.max(2, Math.floor(word.length / 3))) return undefined;
  return best.candidate;
}

/** `; did you mean 'x'?` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const suggestion = getSuggestion(word, candidates);
  return suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
}
