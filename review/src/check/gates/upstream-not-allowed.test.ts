import { describe, expect, it } from 'vitest';
import { matches } from './upstream-not-allowed.ts';

describe('host and region globs', () => {
  it('match whole names, with * for any run of characters, ignoring case', () => {
    expect(matches('*.internal', 'tickets.internal')).toBe(true);
    expect(matches('*.internal', 'tickets.internal.evil.com')).toBe(false);
    expect(matches('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(matches('127.0.0.1', '127.0.0.10')).toBe(false);
    expect(matches('eu-*', 'eu-west-1')).toBe(true);
    expect(matches('eu-*', 'us-east-1')).toBe(false);
    expect(matches('API.example.com', 'api.EXAMPLE.com')).toBe(true);
  });
});
