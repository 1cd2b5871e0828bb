import { describe, expect, it } from 'vitest';
import { canonicalJson, legacyCanonicalJson } from './canonical-json.ts';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('orders keys by UTF-16 code units, integer-like keys included (RFC 8785 §3.2.3 test vector)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as unknown;
    // JSON.parse would put "1" first again, so the order is read off the text.
    const order = [...canonicalJson(input).matchAll(/"([^"]*)":"([^"]*)"/g)].map((m) => m[2]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(canonicalJson({ a: 0, 9: 1, 10: 2 })).toBe('{"10":2,"9":1,"a":0}');
  });

  it('writes numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson([333333333.3333333, 1e30, 4.5, 0.002, 0.000001, 1e-7, -0, 1e21, 1e20])).toBe(
      '[333333333.3333333,1e+30,4.5,0.002,0.000001,1e-7,0,1e+21,100000000000000000000]',
    );
  });

  it('writes strings as JSON.stringify does', () => {
    expect(canonicalJson({ n: 0.0002, s: 'é\u2028"\u000f' })).toBe('{"n":0.0002,"s":"é\u2028\\"\\u000f"}');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });
});

describe('legacyCanonicalJson (format v1)', () => {
  it('puts integer-like keys first, which is why v2 replaced it', () => {
    expect(legacyCanonicalJson({ a: 0, 9: 1, 10: 2 })).toBe('{"9":1,"10":2,"a":0}');
  });
});
