import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import { withRbacDecision } from './rbac-decision.ts';
import { virtualServerOfRoute } from './virtual-server-route.ts';
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';

const entry = (filterMetadata: Record<string, unknown>, details = 'via_upstream'): AccessLogEntry => ({
  node: 'n',
  logName: 'gatehouse/local',
  entry: {
    commonProperties: { routeName: 'knowledge-mcp', metadata: { filterMetadata } },
    request: { path: '/mcp' },
    response: { responseCodeDetails: details },
  },
});

/** An engine that must not be asked: only RBAC-decided entries are evaluated. */
const untouchable = { evaluate: () => { throw new Error('evaluated'); } } as unknown as PolicyEngine;

describe('the audit fields of RBAC-decided requests', () => {
  it('leaves entries ext_authz decided, and entries RBAC passed on to it, as they are', () => {
    const decided = entry({ 'envoy.filters.http.ext_authz': { decision: 'allow' }, 'envoy.filters.http.rbac': { enforced_effective_policy_id: 'ext_authz' } });
    expect(withRbacDecision(decided, untouchable, undefined)).toBe(decided);
    const passedOn = entry({ 'envoy.filters.http.rbac': { enforced_effective_policy_id: 'ext_authz' } }, 'ext_authz_error');
    expect(withRbacDecision(passedOn, untouchable, undefined)).toBe(passedOn);
  });

  it('adds the policy\'s decision metadata to an entry an rbac: policy allowed', () => {
    const allowed = entry({
      'envoy.filters.http.rbac': { enforced_effective_policy_id: 'rbac:knowledge/get_page' },
      'envoy.filters.http.mcp': { method: 'tools/call', params: { name: 'get_page' }, id: 3 },
      'envoy.filters.http.jwt_authn': { jwt_payload: { iss: 'https://idp', sub: 'erin' } },
    });
    let input: unknown;
    const engine = {
      evaluate: (_entrypoint: string, given: unknown) => {
        input = given;
        const reasons = ['allowed by grant g'];
        return { allowed: true, reasons, dynamic_metadata: { decision: 'allow', reasons, team: 'engineering' } };
      },
    } as unknown as PolicyEngine;
    const completed = withRbacDecision(allowed, engine, undefined);
    expect(input).toMatchObject({
      mcp: { virtual_server: 'knowledge', gateway: 'local', method: 'tools/call', name: 'get_page', id: 3 },
      jwt: { claims: { sub: 'erin' } },
    });
    const meta = (completed.entry.commonProperties as { metadata: { filterMetadata: Record<string, unknown> } }).metadata.filterMetadata;
    expect(meta['envoy.filters.http.ext_authz']).toMatchObject({ decision: 'allow', reasons: ['allowed by grant g'], team: 'engineering' });
  });

  it('asks the policy once per caller, tool and virtual server, and again for another caller or another policy set', () => {
    // Envoy writes the claims' fields in no fixed order: the same token comes in either order.
    const call = (sub: string, id: number) =>
      entry({
        'envoy.filters.http.rbac': { enforced_effective_policy_id: 'rbac:knowledge/get_page' },
        'envoy.filters.http.mcp': { method: 'tools/call', params: { name: 'get_page' }, id },
        'envoy.filters.http.jwt_authn': { jwt_payload: id % 2 === 0 ? { iss: 'https://idp', sub, groups: ['a'] } : { groups: ['a'], sub, iss: 'https://idp' } },
      });
    const counting = () => {
      const engine = {
        asked: 0,
        evaluate() {
          engine.asked++;
          return { allowed: true, reasons: ['allowed by grant g'], dynamic_metadata: { decision: 'allow', reasons: ['allowed by grant g'] } };
        },
      };
      return engine;
    };
    const first = counting();
    const calls = [['erin', 1], ['erin', 2], ['erin', 3], ['frank', 4]] as const;
    for (const [sub, id] of calls) withRbacDecision(call(sub, id), first as unknown as PolicyEngine, undefined);
    expect(first.asked).toBe(2);
    const reloaded = counting();
    withRbacDecision(call('erin', 5), reloaded as unknown as PolicyEngine, undefined);
    expect(reloaded.asked).toBe(1);
  });

  it('reads the virtual server from the route name (the logged path is the upstream\'s)', () => {
    expect(virtualServerOfRoute('payments-ops-mcp')).toBe('payments-ops');
    expect(virtualServerOfRoute('helpdesk-tools-call')).toBe('helpdesk');
    expect(virtualServerOfRoute('-mcp')).toBeUndefined();
    expect(virtualServerOfRoute(undefined)).toBeUndefined();
  });
});
