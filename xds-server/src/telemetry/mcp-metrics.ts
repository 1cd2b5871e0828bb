// Prometheus metrics of MCP traffic, from audit records (one per Envoy access-log entry). Every
// label value comes from a fixed set (the registry's teams, servers, tools and cost centers, the
// MCP methods), so a client cannot grow the number of series: anything else is "other", nothing
// at all is "none".
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import type { Metrics } from '../admin/metrics.ts';
import { type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';
import { limitKind } from '../subject-limits/limit-kind.ts';

const MCP_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
  '__jsonrpc_response',
]);

export type CallOutcome = 'ok' | 'error' | 'denied' | 'rejected';

export function callOutcome(record: AuditRequest): CallOutcome {
  if (record.decision === 'deny') return 'denied';
  if (record.decision !== 'allow') return 'rejected';
  return record.http.status >= 400 || record.jsonrpc_error !== null ? 'error' : 'ok';
}

/** The bounded label values of a record. */
export function metricLabels(record: AuditRequest, catalog: AuditCatalog | undefined) {
  const server = record.server && catalog?.servers[record.server] ? record.server : undefined;
  const costCenters = new Set([...Object.values(catalog?.teams ?? {}), ...Object.values(catalog?.servers ?? {})].map((e) => e.costCenter));
  return {
    team: bounded(record.team, (t) => catalog?.teams[t] !== undefined),
    server: bounded(record.server, () => server !== undefined),
    tool: bounded(record.tool, (t) => server !== undefined && catalog?.servers[server]?.tools[t] !== undefined),
    method: bounded(record.method, (m) => MCP_METHODS.has(m)),
    costCenter: bounded(record.cost_center, (c) => costCenters.has(c)),
  };
}

export function observeMcpRequest(metrics: Metrics, record: AuditRequest, catalog: AuditCatalog | undefined): void {
  const labels = metricLabels(record, catalog);
  metrics.mcpRequests.inc({ method: labels.method, decision: record.decision });
  const limit = limitKind(record);
  if (limit) metrics.subjectLimited.inc({ kind: limit, team: labels.team });
  if (record.method !== 'tools/call') return;
  const call = { team: labels.team, server: labels.server, tool: labels.tool };
  const outcome = callOutcome(record);
  metrics.mcpCalls.inc({ ...call, outcome });
  if (outcome === 'error') metrics.mcpCallErrors.inc(call);
  if (outcome === 'denied') metrics.mcpCallDenials.inc(call);
  metrics.mcpCallSeconds.observe(call, record.latency_ms / 1000);
  for (const hit of record.guardrails ?? []) {
    metrics.guardrailHits.inc({ detector: hit.detector, action: hit.action, tool: labels.tool, team: labels.team }, hit.count);
  }
  if (record.cost > 0) metrics.mcpCost.inc({ team: labels.team, cost_center: labels.costCenter }, record.cost);
}

function bounded(value: string | null, known: (value: string) => boolean): string {
  if (value === null || value === '') return 'none';
  return known(value) ? value : 'other';
}
