import { describe, expect, it } from 'vitest';
import { SubjectCounters, sessionKey } from './subject-counters.ts';

const alice = { issuer: 'https://idp', subject: 'alice', virtualServer: 'knowledge' };
const bob = { issuer: 'https://idp', subject: 'bob', virtualServer: 'knowledge' };
/** Same subject, another identity provider: another caller. */
const otherAlice = { ...alice, issuer: 'https://other-idp' };

function counters(start = 0) {
  let now = start;
  const c = new SubjectCounters({ sessionIdleMs: 1000, now: () => now });
  return { c, advance: (ms: number) => (now += ms) };
}

describe('streams per caller', () => {
  it('gives slots up to the limit, refuses beyond, and a released slot can be taken again (once)', () => {
    const { c } = counters();
    const first = c.openStream(alice, 2);
    expect(c.openStream(alice, 2)).toBeDefined();
    expect(c.openStream(alice, 2)).toBeUndefined();
    expect(c.openStream(bob, 2)).toBeDefined();
    expect(c.openStream(otherAlice, 2)).toBeDefined();
    first!.release();
    first!.release();
    expect(c.openStream(alice, 2)).toBeDefined();
    expect(c.openStream(alice, 2)).toBeUndefined();
    expect(c.counts()).toEqual({ sessions: 0, streams: 4, callers: 3 });
  });
});

describe('sessions per caller', () => {
  it('counts pending initializes, keeps committed sessions and frees cancelled ones', () => {
    const { c } = counters();
    const a = c.reserveSession(alice, 2)!;
    const b = c.reserveSession(alice, 2)!;
    expect(c.reserveSession(alice, 2)).toBeUndefined();
    a.commit(sessionKey('knowledge', 's1'));
    b.cancel();
    b.commit(sessionKey('knowledge', 'ignored'));
    expect(c.counts().sessions).toBe(1);
    expect(c.reserveSession(alice, 2)).toBeDefined();
    expect(c.reserveSession(bob, 1)).toBeDefined();
  });

  it('a DELETE frees the slot', () => {
    const { c } = counters();
    c.reserveSession(alice, 1)!.commit(sessionKey('knowledge', 's1'));
    expect(c.reserveSession(alice, 1)).toBeUndefined();
    c.endSession(sessionKey('knowledge', 's1'));
    expect(c.reserveSession(alice, 1)).toBeDefined();
  });

  it('an idle session stops counting; one in use or holding a stream does not', () => {
    const { c, advance } = counters();
    c.reserveSession(alice, 2)!.commit(sessionKey('knowledge', 'idle'));
    c.reserveSession(alice, 2)!.commit(sessionKey('knowledge', 'streaming'));
    const stream = c.openStream(alice, 5, sessionKey('knowledge', 'streaming'))!;
    advance(600);
    c.touchSession(sessionKey('knowledge', 'idle'));
    advance(600);
    expect(c.reserveSession(alice, 2)).toBeUndefined();
    advance(600);
    // 'idle' was last used 1200 ms ago: it no longer counts; 'streaming' holds a stream.
    expect(c.reserveSession(alice, 2)).toBeDefined();
    expect(c.counts().sessions).toBe(1);
    stream.release();
    advance(1000);
    expect(c.reserveSession(bob, 1)).toBeDefined();
    expect(c.reserveSession(alice, 2)).toBeDefined();
    expect(c.counts().sessions).toBe(0);
  });
});
