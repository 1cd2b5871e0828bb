// An allowed call carries the upstream token only in its upstream header; a failed exchange fails
// closed with a JSON-RPC error and a reason for the audit record, never the token.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../authz/decision.ts';
import { UPSTREAM_IDENTITY_ERROR, withUpstreamToken } from './upstream-decision.ts';
import { UPSTREAM_TOKEN_HEADER } from '../../../artifacts/src/metadata-names.ts';

const ALLOWED: Decision = { allowed: true, dynamic_metadata: { decision: 'allow', reasons: ['granted'] } };

describe('withUpstreamToken', () => {
  it('sets the bearer token upstream and keeps it out of the metadata the audit log reads', () => {
    const decision = withUpstreamToken(ALLOWED, 'Authorization', { ok: true, token: 'exchanged-xyz', cached: false }, 7);
    expect(decision.headers).toEqual({ [UPSTREAM_TOKEN_HEADER]: 'Bearer exchanged-xyz' });
    expect(withUpstreamToken(ALLOWED, 'X-Api-Key', { ok: true, token: 'k', cached: true }, 7).headers).toEqual({ [UPSTREAM_TOKEN_HEADER]: 'k' });
    expect(JSON.stringify({ ...decision, headers: undefined })).not.toContain('exchanged-xyz');
  });

  it('fails closed: 502 when the identity provider refuses, 503 when it cannot be asked, with the reason for the audit', () => {
    const refused = withUpstreamToken(ALLOWED, 'Authorization', { ok: false, reason: 'the identity provider refused (400 invalid_grant)', refused: true }, 7);
    expect(refused).toMatchObject({ allowed: false, http_status: 502, dynamic_metadata: { decision: 'deny' } });
    expect(JSON.parse(refused.body ?? '')).toEqual({
      jsonrpc: '2.0', id: 7, error: { code: UPSTREAM_IDENTITY_ERROR, message: 'upstream identity: the identity provider refused (400 invalid_grant)' },
    });
    const down = withUpstreamToken(ALLOWED, 'Authorization', { ok: false, reason: 'the token endpoint is unreachable', refused: false }, 7);
    expect(down).toMatchObject({ allowed: false, http_status: 503, reasons: ['upstream identity: the token endpoint is unreachable'] });
  });

  it('leaves a denial as it is', () => {
    const denied: Decision = { allowed: false, http_status: 403 };
    expect(withUpstreamToken(denied, 'Authorization', { ok: true, token: 't', cached: true }, 1)).toBe(denied);
  });
});
