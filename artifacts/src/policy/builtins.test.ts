import { describe, expect, it } from 'vitest';
import { GATEHOUSE_BUILTINS } from './builtins.ts';

describe('time.now_ns', () => {
  it('is the current wall-clock time in nanoseconds', () => {
    const nowNs = GATEHOUSE_BUILTINS['time.now_ns'] as () => number;
    const before = Date.now() * 1e6;
    const value = nowNs();
    const after = Date.now() * 1e6;
    // Within a millisecond either side (the start-time reading and float rounding at 1e18 ns).
    expect(value).toBeGreaterThanOrEqual(before - 1e6);
    expect(value).toBeLessThanOrEqual(after + 1e6);
  });
});
