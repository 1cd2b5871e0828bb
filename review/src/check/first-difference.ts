// Where two versions of a text first differ, to point a finding at the line a change touched.

/** The 1-based number of the first line where two texts differ (the last line of `a` when `b` only adds). */
export function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return Math.max(1, Math.min(i + 1, x.length));
}
