import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
  it('writes numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson({ n: 0.0002, s: 'é\u2028"' })).toBe('{"n":0.0002,"s":"é\u2028\\""}');
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });
});
