// A small seeded random generator for generated test cases, so a failure replays from its seed.

/** mulberry32: small, seeded, good enough to spread cases. */
export function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const some = <T>(items: readonly T[], p = 0.5): T[] => items.filter(() => next() < p);
  return { next, int, pick, some };
}

export type Random = ReturnType<typeof random>;
