// "Did you mean …?": the candidate closest to a misspelt word, if any is close enough.

/** The candidate with the smallest edit distance to `word`, when that distance is small for its length. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance > 0 && bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance, one row at a time: row[j] is the distance from a's prefix so far to b's first j characters. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  const cell = (j: number) => row[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    let previous = cell(0);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = cell(j);
      row[j] = Math.min(current + 1, cell(j - 1) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return cell(b.length);
}
