import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { bindSession } from './bind-session.ts';
import { wrapSessionId } from './session-id.ts';

const key = randomBytes(32);
const ISSUER = 'https://idp.example';
const allow: Decision = {
  allowed: true, http_status: 200, headers: {}, body: '', reasons: ['granted'], dynamic_metadata: { decision: 'allow', team: 'support' },
};

function input(sub: string, session?: string, virtualServer = 'helpdesk') {
  return buildPolicyInput({
    request: { http: { method: 'POST', path: `/mcp/${virtualServer}`, headers: session === undefined ? {} : { 'mcp-session-id': session } } },
    metadataContext: {
      filterMetadata: {
        'envoy.filters.http.mcp': { method: 'tools/call', id: 7 },
        'envoy.filters.http.jwt_authn': { jwt_payload: { iss: ISSUER, sub } },
      },
    },
    contextExtensions: { virtual_server: virtualServer, gateway: 'main' },
  });
}

const alicesSession = () => wrapSessionId(key, { issuer: ISSUER, subject: 'alice', virtualServer: 'helpdesk' }, 'upstream-1');

describe('session binding on ext_authz decisions', () => {
  it('a request without a session id passes unchanged (initialize, stateless servers)', () => {
    expect(bindSession(input('alice'), allow, key)).toBe(allow);
  });

  it("the owner's id is swapped for the upstream's, and echoed to the response through metadata", () => {
    const bound = bindSession(input('alice', alicesSession()), allow, key);
    expect(bound.allowed).toBe(true);
    expect(bound.headers).toEqual({ 'mcp-session-id': 'upstream-1' });
    expect(bound.dynamic_metadata).toEqual({ decision: 'allow', team: 'support', client_session_id: alicesSession() });
  });

  it("another caller's id is refused with 404 and a JSON-RPC error, and the denial keeps the audit fields", () => {
    const refused = bindSession(input('bob', alicesSession()), allow, key);
    expect(refused.allowed).toBe(false);
    expect(refused.http_status).toBe(404);
    expect(JSON.parse(refused.body!)).toEqual({
      jsonrpc: '2.0', id: 7, error: { code: -32001, message: expect.stringContaining('belongs to another caller') as string },
    });
    expect(refused.dynamic_metadata).toMatchObject({ decision: 'deny', team: 'support', reasons: [expect.stringContaining('another caller')] });
    expect(refused.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('the same caller on another virtual server is refused', () => {
    expect(bindSession(input('alice', alicesSession(), 'knowledge'), allow, key).http_status).toBe(404);
  });

  it('a raw upstream id is refused as one the gateway did not issue', () => {
    const refused = bindSession(input('alice', 'upstream-1'), allow, key);
    expect(refused.allowed).toBe(false);
    expect(refused.reasons).toEqual([expect.stringContaining('did not issue')]);
  });

  it('a denial stays the policy denial', () => {
    const deny: Decision = { allowed: false, http_status: 403, reasons: ['no grant'] };
    expect(bindSession(input('bob', alicesSession()), deny, key)).toBe(deny);
  });
});
