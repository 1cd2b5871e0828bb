import { describe, expect, it } from 'vitest';
import { buildPolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { bindSession } from './bind-session.ts';

const ISSUER = 'https://idp.example';
const allow: Decision = {
  allowed: true, http_status: 200, headers: {}, body: '', reasons: ['granted'], dynamic_metadata: { decision: 'allow', team: 'support' },
};
const ALICES_SESSION = 'eyJ.alices.session';
/** The payload jwt_authn verified for alice's session on helpdesk. */
const alicesPayload = { iss: 'urn:gatehouse:session', ci: ISSUER, cs: 'alice', vs: 'helpdesk', sid: 'upstream-1' };

/** A Check request as Envoy sends it: `session` in the header, `verified` the session payload jwt_authn put in metadata (if it verified one). */
function input(sub: string, session?: string, verified?: Record<string, unknown>, virtualServer = 'helpdesk') {
  return buildPolicyInput({
    request: { http: { method: 'POST', path: `/mcp/${virtualServer}`, headers: session === undefined ? {} : { 'mcp-session-id': session } } },
    metadataContext: {
      filterMetadata: {
        'envoy.filters.http.mcp': { method: 'tools/call', id: 7 },
        'envoy.filters.http.jwt_authn': { jwt_payload: { iss: ISSUER, sub }, ...(verified ? { session_payload: verified } : {}) },
      },
    },
    contextExtensions: { virtual_server: virtualServer, gateway: 'main' },
  });
}

describe('session binding on ext_authz decisions', () => {
  it('a request without a session id passes unchanged (initialize, stateless servers)', () => {
    expect(bindSession(input('alice'), allow)).toBe(allow);
  });

  it("the owner's verified session passes unchanged (the route restores the upstream's id from the verified payload)", () => {
    expect(bindSession(input('alice', ALICES_SESSION, alicesPayload), allow)).toBe(allow);
  });

  it("another caller's session is refused with 404 and a JSON-RPC error, and the denial keeps the audit fields", () => {
    const refused = bindSession(input('bob', ALICES_SESSION, alicesPayload), allow);
    expect(refused.allowed).toBe(false);
    expect(refused.http_status).toBe(404);
    expect(JSON.parse(refused.body!)).toEqual({
      jsonrpc: '2.0', id: 7, error: { code: -32001, message: expect.stringContaining('belongs to another caller') as string },
    });
    expect(refused.dynamic_metadata).toMatchObject({ decision: 'deny', team: 'support', reasons: [expect.stringContaining('another caller')] });
    expect(refused.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('the same caller on another virtual server, or from another issuer with the same sub, is refused', () => {
    expect(bindSession(input('alice', ALICES_SESSION, alicesPayload, 'knowledge'), allow).http_status).toBe(404);
    expect(bindSession(input('alice', ALICES_SESSION, { ...alicesPayload, ci: 'https://other.example' }), allow).http_status).toBe(404);
  });

  it('an id jwt_authn did not verify (a raw upstream id, a forged or old-format id) is refused as one the gateway did not issue', () => {
    for (const id of ['upstream-1', 'gh1.dXBzdHJlYW0.bWFj', ALICES_SESSION]) {
      const refused = bindSession(input('alice', id), allow);
      expect(refused.allowed).toBe(false);
      expect(refused.reasons).toEqual([expect.stringContaining('did not issue')]);
    }
  });

  it('a denial stays the policy denial', () => {
    const deny: Decision = { allowed: false, http_status: 403, reasons: ['no grant'] };
    expect(bindSession(input('bob', ALICES_SESSION, alicesPayload), deny)).toBe(deny);
  });
});
