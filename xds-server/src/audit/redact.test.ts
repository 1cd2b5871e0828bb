import { describe, expect, it } from 'vitest';
import { auditArguments } from './audit-arguments.ts';
import { matches, REDACTED, redactArguments } from './redact.ts';

describe('redactArguments', () => {
  const args = { card: { number: '4111', cvc: '123' }, items: [{ iban: 'DE1', qty: 1 }, { iban: 'DE2' }], note: 'hi', deep: { a: { password: 'x' } } };

  it('redacts exact paths, any-one-segment and any-run paths', () => {
    expect(redactArguments(args, ['card.number', 'items.*.iban', '**.password'])).toEqual({
      card: { number: REDACTED, cvc: '123' },
      items: [{ iban: REDACTED, qty: 1 }, { iban: REDACTED }],
      note: 'hi',
      deep: { a: { password: REDACTED } },
    });
  });

  it('redacts a whole subtree and leaves the input unchanged', () => {
    expect(redactArguments(args, ['card'])).toMatchObject({ card: REDACTED });
    expect(args.card.number).toBe('4111');
  });

  it('matches ** against zero segments too', () => {
    expect(matches(['**', 'note'], ['note'])).toBe(true);
    expect(matches(['a', '**'], ['a'])).toBe(true);
    expect(matches(['*'], [])).toBe(false);
    expect(matches(['a', '*'], ['a', 'b', 'c'])).toBe(false);
  });
});

describe('auditArguments', () => {
  it('digests the redacted arguments in canonical form, whatever the key order', () => {
    const a = auditArguments({ b: 1, a: { secret: 's1' } }, 'digest', ['a.secret']);
    const b = auditArguments({ a: { secret: 's2' }, b: 1 }, 'digest', ['a.secret']);
    expect(a).toEqual({ digest: b.digest, mode: 'digest' });
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps the redacted or the raw arguments only when asked', () => {
    expect(auditArguments({ pin: '1234', id: 'x' }, 'redacted', ['pin']).value).toEqual({ pin: REDACTED, id: 'x' });
    const raw = auditArguments({ pin: '1234' }, 'raw', ['pin']);
    expect(raw.value).toEqual({ pin: '1234' });
    expect(raw.digest).toBe(auditArguments({ pin: 'other' }, 'digest', ['pin']).digest);
  });
});
