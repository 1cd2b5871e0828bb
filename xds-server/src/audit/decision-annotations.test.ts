import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_AUDIT } from '../../../artifacts/src/audit-catalog.ts';
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { decisionAnnotations } from './decision-annotations.ts';
import { REDACTED } from './redact.ts';
import { type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';

const catalog: AuditCatalog = {
  gateways: { edge: { ...DEFAULT_GATEWAY_AUDIT, arguments: 'redacted', redact: ['**.password'] } },
  servers: {
    payments: {
      costCenter: 'CC-PAY',
      tools: { issue_refund: { costPerCall: 0.05, arguments: 'raw', redact: [] }, lookup: { costPerCall: 0.001, arguments: 'digest', redact: [] } },
    },
    tickets: { costCenter: null, tools: { create_ticket: { costPerCall: 0.001, redact: ['customer'] } } },
  },
  teams: { payments: { costCenter: 'CC-4100' }, nocenter: { costCenter: null } },
  issuers: { 'https://idp': { emailClaim: 'mail' } },
};
const input = (name: string, args: unknown): PolicyInput =>
  ({ mcp: { gateway: 'edge', method: 'tools/call', name, arguments: args }, jwt: { claims: { iss: 'https://idp', sub: 'pat', mail: 'pat@example.com' } } }) as unknown as PolicyInput;
const allow = (server: string, tool: string, team: string): Decision => ({ allowed: true, dynamic_metadata: { decision: 'allow', server, tool, team } });
const context = { catalog, version: 'v42' };

describe('decisionAnnotations', () => {
  it('prices an allowed call, with the team\'s cost center, and keeps raw arguments where the tool allows it', () => {
    expect(decisionAnnotations(input('issue_refund', { amount: 20, password: 'x' }), allow('payments', 'issue_refund', 'payments'), context)).toEqual({
      policy_version: 'v42',
      email: 'pat@example.com',
      cost_center: 'CC-4100',
      cost: 0.05,
      arguments: { digest: expect.stringMatching(/^sha256:/) as unknown, mode: 'raw', value: { amount: 20, password: 'x' } },
    });
  });

  it('redacts the gateway\'s and the tool\'s paths; falls back to the server\'s cost center', () => {
    const ticket = input('create_ticket', { customer: 'c@x', subject: 's', auth: { password: 'p' } });
    const out = decisionAnnotations(ticket, allow('tickets', 'create_ticket', 'nocenter'), context);
    expect(out.arguments).toMatchObject({ mode: 'redacted', value: { customer: REDACTED, subject: 's', auth: { password: REDACTED } } });
    expect(out.cost_center).toBeUndefined();
    const viaServer = decisionAnnotations(input('lookup', { id: 'P-1' }), allow('payments', 'lookup', 'nocenter'), context);
    expect(viaServer).toMatchObject({ cost_center: 'CC-PAY', cost: 0.001, arguments: { mode: 'digest' } });
    expect(viaServer.arguments).not.toHaveProperty('value');
  });

  it('a denied call costs nothing and carries its JSON-RPC error', () => {
    const denial: Decision = {
      allowed: false,
      body: '{"jsonrpc":"2.0","id":1,"error":{"code":-32003,"message":"no"}}',
      dynamic_metadata: { decision: 'deny', server: 'payments', tool: 'issue_refund', team: 'payments' },
    };
    expect(decisionAnnotations(input('issue_refund', { amount: 5000 }), denial, context)).toMatchObject({ cost: 0, error: { code: -32003, message: 'no' } });
  });

  it('without artifacts only the error is added', () => {
    const denial: Decision = { allowed: false, body: '{"error":{"code":-32000,"message":"no policy"}}' };
    expect(decisionAnnotations(undefined, denial, undefined)).toEqual({ error: { code: -32000, message: 'no policy' } });
  });
});
