import { describe, expect, it } from 'vitest';
import { checkRegexSafety } from './regex-safety.ts';

describe('checkRegexSafety', () => {
  it.each(['ACME-[0-9]{6}', '(ab)+', '[a-z]+@x', '(?:foo|bar)+baz', '^INV-\\d{4,8}$', '(a|b){1,3}'])('accepts %s', (pattern) => {
    expect(checkRegexSafety(pattern)).toEqual({ ok: true });
  });
  it.each([
    ['(a+)+', 'nested'],
    ['(\\w+\\s?)*$', 'nested'],
    ['(a|ab)*', 'alternatives'],
    ['(\\d|x)+y', 'alternatives'],
    ['(a)\\1', 'backreferences'],
  ])('refuses %s', (pattern, reason) => {
    const verdict = checkRegexSafety(pattern);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });
  it('reports a pattern that does not compile', () => {
    expect(checkRegexSafety('(unclosed').ok).toBe(false);
  });
});
