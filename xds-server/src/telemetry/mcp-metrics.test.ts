import { describe, expect, it } from 'vitest';
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import { createMetrics } from '../admin/metrics.ts';
import { callOutcome, metricLabels, observeMcpRequest } from './mcp-metrics.ts';
import { type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';

const catalog = {
  gateways: {},
  servers: { tickets: { costCenter: null, tools: { get_ticket: { costPerCall: 0.5, redact: [] } } } },
  teams: { support: { costCenter: 'CC-1' } },
  issuers: {},
} as unknown as AuditCatalog;
const record = (overrides: Partial<AuditRequest>): AuditRequest =>
  ({
    type: 'request',
    method: 'tools/call',
    team: 'support',
    server: 'tickets',
    tool: 'get_ticket',
    decision: 'allow',
    http: { method: 'POST', path: '/mcp/x', status: 200, details: '' },
    jsonrpc_error: null,
    latency_ms: 12,
    cost: 0.5,
    cost_center: 'CC-1',
    ...overrides,
  }) as AuditRequest;

describe('MCP metrics', () => {
  it('bounds every label to the registry: unknown values are "other", missing ones "none"', () => {
    expect(metricLabels(record({ team: 'mallory', tool: 'x'.repeat(50), method: 'evil/method' }), catalog)).toEqual({
      team: 'other',
      server: 'tickets',
      tool: 'other',
      method: 'other',
      costCenter: 'CC-1',
    });
    expect(metricLabels(record({ team: null, server: null, tool: null }), catalog)).toMatchObject({ team: 'none', server: 'none', tool: 'none' });
  });

  it('tells outcomes apart', () => {
    expect(callOutcome(record({}))).toBe('ok');
    expect(callOutcome(record({ http: { method: 'POST', path: '', status: 502, details: '' } }))).toBe('error');
    expect(callOutcome(record({ decision: 'deny' }))).toBe('denied');
    expect(callOutcome(record({ decision: 'rejected' }))).toBe('rejected');
  });

  it('counts calls, denials, latency and cost', async () => {
    const metrics = createMetrics();
    observeMcpRequest(metrics, record({}), catalog);
    observeMcpRequest(metrics, record({ decision: 'deny', cost: 0 }), catalog);
    observeMcpRequest(metrics, record({ method: 'tools/list', tool: null, server: null }), catalog);
    const text = await metrics.registry.metrics();
    expect(text).toContain('gatehouse_mcp_calls_total{team="support",server="tickets",tool="get_ticket",outcome="ok"} 1');
    expect(text).toContain('gatehouse_mcp_call_denials_total{team="support",server="tickets",tool="get_ticket"} 1');
    expect(text).toContain('gatehouse_mcp_call_duration_seconds_count{team="support",server="tickets",tool="get_ticket"} 2');
    expect(text).toContain('gatehouse_mcp_cost_total{team="support",cost_center="CC-1"} 0.5');
    expect(text).toContain('gatehouse_mcp_requests_total{method="tools/list",decision="allow"} 1');
  });
});
