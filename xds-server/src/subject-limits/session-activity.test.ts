import { describe, expect, it } from 'vitest';
import { buildPolicyInput } from '../authz/check-input.ts';
import { recordLoggedSessionActivity, recordSessionActivity } from './session-activity.ts';
import { SubjectCounters, sessionKey } from './subject-counters.ts';

const alice = { issuer: 'https://idp', subject: 'alice', virtualServer: 'knowledge' };
const session = { iss: 'urn:gatehouse:session', ci: 'https://idp', cs: 'alice', vs: 'knowledge', sid: 'upstream-1' };
const jwtMetadata = { jwt_payload: { iss: 'https://idp', sub: 'alice' }, session_payload: session };

/** Counters with one session of alice's opened at time 0 (idle after 1 s), and a clock. */
function opened() {
  let now = 0;
  const counters = new SubjectCounters({ sessionIdleMs: 1000, now: () => now });
  counters.reserveSession(alice, 1)!.commit(sessionKey('knowledge', 'upstream-1'));
  return { counters, advance: (ms: number) => (now += ms), full: () => counters.reserveSession(alice, 1) === undefined };
}

describe('session activity', () => {
  it('a request ext_authz allowed in the session keeps it in use; a DELETE ends it', () => {
    const { counters, advance, full } = opened();
    const input = (method: string) =>
      buildPolicyInput({
        request: { http: { method, path: '/mcp/knowledge', headers: { 'mcp-session-id': 'eyJ.x.y' } } },
        metadataContext: { filterMetadata: { 'envoy.filters.http.jwt_authn': jwtMetadata } },
        contextExtensions: { virtual_server: 'knowledge' },
      });
    advance(900);
    recordSessionActivity(counters, input('POST'), { allowed: true });
    advance(900);
    expect(full()).toBe(true);
    recordSessionActivity(counters, input('DELETE'), { allowed: true });
    expect(full()).toBe(false);
  });

  it("the access-log entry of a call RBAC allowed in the session keeps it in use; other entries don't", () => {
    const { counters, advance, full } = opened();
    advance(900);
    const decidedBy = (policy: string) => ({ 'envoy.filters.http.rbac': { enforced_effective_policy_id: policy } });
    recordLoggedSessionActivity(counters, { 'envoy.filters.http.jwt_authn': jwtMetadata, ...decidedBy('ext_authz') });
    recordLoggedSessionActivity(counters, decidedBy('rbac:knowledge/get_page'));
    advance(900);
    expect(full()).toBe(false);

    const again = opened();
    again.advance(900);
    recordLoggedSessionActivity(again.counters, { 'envoy.filters.http.jwt_authn': jwtMetadata, ...decidedBy('rbac:knowledge/get_page') });
    again.advance(900);
    expect(again.full()).toBe(true);
  });
});
