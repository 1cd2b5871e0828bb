import { describe, expect, it } from 'vitest';
import { firstDifferentLine } from './first-difference.ts';

describe('firstDifferentLine', () => {
  it('is the first line that differs, within the first text', () => {
    expect(firstDifferentLine('a\nb\nc', 'a\nB\nc')).toBe(2);
    expect(firstDifferentLine('a\nb\nc', 'a\nb')).toBe(3);
    expect(firstDifferentLine('a\nb', 'a\nb\nc')).toBe(2);
    expect(firstDifferentLine('', 'x')).toBe(1);
  });
});
