import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unwrapSessionId, wrapSessionId, type SessionBinding } from './session-id.ts';

const key = randomBytes(32);
const alice: SessionBinding = { issuer: 'https://idp.example', subject: 'alice', virtualServer: 'helpdesk' };
const upstream = '6f1c2a8e-1d0b-4c7e-9b8a-0e2f3d4c5b6a';

describe('session ids', () => {
  it('unwraps to the upstream id for the subject and virtual server it was issued to', () => {
    const wrapped = wrapSessionId(key, alice, upstream);
    expect(wrapped).toMatch(/^gh1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(wrapped).not.toContain(upstream);
    expect(unwrapSessionId(key, alice, wrapped)).toEqual({ ok: true, upstreamId: upstream });
  });

  it('survives ids that are not UUIDs (mcp_router joins base64 member ids)', () => {
    const composite = Buffer.from('tickets:abc,docs:def').toString('base64');
    expect(unwrapSessionId(key, alice, wrapSessionId(key, alice, composite))).toEqual({ ok: true, upstreamId: composite });
  });

  it('refuses another subject, another issuer with the same sub, and another virtual server', () => {
    const wrapped = wrapSessionId(key, alice, upstream);
    expect(unwrapSessionId(key, { ...alice, subject: 'bob' }, wrapped)).toEqual({ ok: false, reason: 'not-bound' });
    expect(unwrapSessionId(key, { ...alice, issuer: 'https://other.example' }, wrapped)).toEqual({ ok: false, reason: 'not-bound' });
    expect(unwrapSessionId(key, { ...alice, virtualServer: 'payments-ops' }, wrapped)).toEqual({ ok: false, reason: 'not-bound' });
  });

  it('field boundaries count: issuer "a" + sub "bc" is not issuer "ab" + sub "c"', () => {
    const wrapped = wrapSessionId(key, { issuer: 'a', subject: 'bc', virtualServer: 'v' }, upstream);
    expect(unwrapSessionId(key, { issuer: 'ab', subject: 'c', virtualServer: 'v' }, wrapped).ok).toBe(false);
  });

  it('refuses an id wrapped under another key (another deployment)', () => {
    expect(unwrapSessionId(key, alice, wrapSessionId(randomBytes(32), alice, upstream))).toEqual({ ok: false, reason: 'not-bound' });
  });

  it('refuses a tampered upstream id or MAC', () => {
    const [prefix, id, tag] = wrapSessionId(key, alice, upstream).split('.') as [string, string, string];
    const otherId = Buffer.from('another-session').toString('base64url');
    expect(unwrapSessionId(key, alice, [prefix, otherId, tag].join('.'))).toEqual({ ok: false, reason: 'not-bound' });
    const flipped = Buffer.from(tag, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(unwrapSessionId(key, alice, [prefix, id, flipped.toString('base64url')].join('.'))).toEqual({ ok: false, reason: 'not-bound' });
    expect(unwrapSessionId(key, alice, [prefix, id, tag.slice(0, 10)].join('.'))).toEqual({ ok: false, reason: 'not-bound' });
  });

  it('refuses raw upstream ids and anything else not in the gateway format', () => {
    for (const id of [upstream, '', 'gh1.', 'gh1.abc', 'gh1.a.b.c', 'gh1.a b.c', 'gh1..abc', `gh2.${wrapSessionId(key, alice, upstream).slice(4)}`]) {
      expect(unwrapSessionId(key, alice, id)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
