// Prometheus metrics of the control plane. Names and labels are documented in docs/observability.md;
// observability/ holds the Grafana dashboard and alert rules built on them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RESOURCE_TYPES } from '../../../artifacts/src/type-urls.ts';
import type { RejectionReason } from '../artifacts/artifact-error.ts';
import { FETCH_RESULTS, type FetchResult } from '../artifacts/artifact-source.ts';

/** Every reason an artifact set is refused, so each counter series exists (at zero) from the start. */
const REJECTION_REASONS = [
  'unsigned', 'malformed-signature', 'untrusted-key', 'bad-signature', 'hash-mismatch', 'invalid',
] as const satisfies readonly RejectionReason[];
const DECISION_OUTCOMES = ['allow', 'deny', 'error'] as const;
const MCP_DECISIONS = ['allow', 'deny', 'rejected', 'none'] as const;

export interface Metrics {
  readonly registry: Registry;
  readonly decisions: Counter<'outcome' | 'virtual_server'>;
  readonly decisionSeconds: Histogram<never>;
  readonly xdsPushes: Counter<'type'>;
  readonly xdsNacks: Counter<'type'>;
  readonly connectedStreams: Gauge<never>;
  readonly artifactLoads: Counter<'result'>;
  readonly artifactsRejected: Counter<'reason'>;
  /** Polls of an HTTP artifact source (artifacts/http-source.ts), by result. */
  readonly artifactFetches: Counter<'result'>;
  readonly accessLogEntries: Counter<never>;
  /** MCP traffic, from Envoy's access logs (telemetry/mcp-metrics.ts). Labels are bounded by the registry. */
  readonly mcpRequests: Counter<'method' | 'decision'>;
  readonly mcpCalls: Counter<'team' | 'server' | 'tool' | 'outcome'>;
  readonly mcpCallErrors: Counter<'team' | 'server' | 'tool'>;
  readonly mcpCallDenials: Counter<'team' | 'server' | 'tool'>;
  /** Guardrail hits (guardrails/): by detector, action, tool and team. */
  readonly guardrailHits: Counter<'detector' | 'action' | 'tool' | 'team'>;
  readonly mcpCallSeconds: Histogram<'team' | 'server' | 'tool'>;
  readonly mcpCost: Counter<'team' | 'cost_center'>;
  /** Requests refused by a per-subject limit (subject-limits/), by limit kind and attributed team; never by subject. */
  readonly subjectLimited: Counter<'kind' | 'team'>;
  /** The audit log (audit/). */
  readonly auditRecords: Counter<'gateway'>;
  readonly auditWriteSeconds: Histogram<never>;
  readonly auditWriteErrors: Counter<never>;
  /** The artifact set in force: 1 for its version and source revision (an info metric). */
  readonly artifactInfo: Gauge<'version' | 'revision'>;
  /** When the set in force was loaded (Unix seconds); its age is `time() - this`, also exported as a gauge. */
  readonly artifactLoadedTimestamp: Gauge<never>;
  readonly artifactAge: Gauge<never>;
  /** Tools hidden from tools/list or calls refused because their definition is not the pinned one (tool-pins/). */
  readonly toolPinRefusals: Counter<'where' | 'server' | 'reason'>;
  /** Upstream tokens for servers with an upstream identity: fetched, served from the cache, or failed (upstream-identity/). */
  readonly upstreamTokens: Counter<'server' | 'outcome'>;
}

/** Records the artifact set now in force: the info series moves to its version, the load time to now. */
export function markArtifactsLoaded(metrics: Metrics, version: string, revision: string, now = Date.now()): void {
  metrics.artifactInfo.reset();
  metrics.artifactInfo.set({ version, revision }, 1);
  metrics.artifactLoadedTimestamp.set(now / 1000);
}

/** Series of the registry's gateways at zero as soon as they are known (a rate over a missing series is no data, not 0). */
export function initialiseGatewaySeries(metrics: Metrics, gateways: readonly string[]): void {
  for (const gateway of gateways) metrics.auditRecords.inc({ gateway }, 0);
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // prom-client's defaults are already named process_* and nodejs_*: the prefix is just `gatehouse_`.
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_' });
  // prom-client also exports these totals as gauges named *_total, which Prometheus reserves for counters
  // (`promtool check metrics` flags them); the same numbers are sum() of the per-type gauges without _total.
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) registry.removeSingleMetric(`gatehouse_nodejs_${name}`);
  const metrics: Metrics = {
    registry,
    decisions: new Counter({
      name: 'gatehouse_authz_decisions_total',
      help: 'ext_authz decisions by outcome (allow, deny, error)',
      labelNames: ['outcome', 'virtual_server'],
      registers: [registry],
    }),
    decisionSeconds: new Histogram({
      name: 'gatehouse_authz_decision_seconds',
      help: 'Time to answer one ext_authz Check, input building and policy evaluation included',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    }),
    xdsPushes: new Counter({
      name: 'gatehouse_xds_pushes_total',
      help: 'xDS responses sent to Envoy, by resource type',
      labelNames: ['type'],
      registers: [registry],
    }),
    xdsNacks: new Counter({
      name: 'gatehouse_xds_nacks_total',
      help: 'xDS responses Envoy rejected (NACK), by resource type',
      labelNames: ['type'],
      registers: [registry],
    }),
    connectedStreams: new Gauge({ name: 'gatehouse_xds_connected_streams', help: 'Open ADS streams', registers: [registry] }),
    artifactLoads: new Counter({
      name: 'gatehouse_artifact_loads_total',
      help: 'Artifact loads, by result (loaded, rejected)',
      labelNames: ['result'],
      registers: [registry],
    }),
    artifactsRejected: new Counter({
      name: 'gatehouse_artifacts_rejected_total',
      help: 'Artifact sets refused, by reason (unsigned, untrusted-key, bad-signature, malformed-signature, hash-mismatch, invalid)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    artifactFetches: new Counter({
      name: 'gatehouse_artifact_fetches_total',
      help: 'Polls of an HTTP(S) artifact source, by result (fetched, not-modified, error)',
      labelNames: ['result'],
      registers: [registry],
    }),
    accessLogEntries: new Counter({ name: 'gatehouse_access_log_entries_total', help: 'HTTP access log entries received from Envoy', registers: [registry] }),
    mcpRequests: new Counter({
      name: 'gatehouse_mcp_requests_total',
      help: 'MCP requests through the gateways, by JSON-RPC method and decision (allow, deny, rejected, none)',
      labelNames: ['method', 'decision'],
      registers: [registry],
    }),
    subjectLimited: new Counter({
      name: 'gatehouse_subject_limited_total',
      help: 'MCP requests refused (429) by a per-caller limit, by kind (calls-per-second, sessions, streams) and attributed team',
      labelNames: ['kind', 'team'],
      registers: [registry],
    }),
    mcpCalls: new Counter({
      name: 'gatehouse_mcp_calls_total',
      help: 'MCP tool calls, by attributed team, server, tool and outcome (ok, error, denied, rejected)',
      labelNames: ['team', 'server', 'tool', 'outcome'],
      registers: [registry],
    }),
    mcpCallErrors: new Counter({
      name: 'gatehouse_mcp_call_errors_total',
      help: 'Allowed MCP tool calls that failed (HTTP status 400 or more from the server or Envoy)',
      labelNames: ['team', 'server', 'tool'],
      registers: [registry],
    }),
    guardrailHits: new Counter({
      name: 'gatehouse_guardrail_hits_total',
      help: 'Guardrail findings on tool calls (arguments and results), by detector, the action taken, tool and team',
      labelNames: ['detector', 'action', 'tool', 'team'],
      registers: [registry],
    }),
    mcpCallDenials: new Counter({
      name: 'gatehouse_mcp_call_denials_total',
      help: 'MCP tool calls the policy denied',
      labelNames: ['team', 'server', 'tool'],
      registers: [registry],
    }),
    mcpCallSeconds: new Histogram({
      name: 'gatehouse_mcp_call_duration_seconds',
      help: 'Duration of MCP tool calls as Envoy measured them (first byte in to last byte out)',
      labelNames: ['team', 'server', 'tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    mcpCost: new Counter({
      name: 'gatehouse_mcp_cost_total',
      help: 'Cost of allowed MCP tool calls (registry costPerCall), by attributed team and cost center',
      labelNames: ['team', 'cost_center'],
      registers: [registry],
    }),
    auditRecords: new Counter({
      name: 'gatehouse_audit_records_total',
      help: 'Audit records written and synced to disk, by gateway',
      labelNames: ['gateway'],
      registers: [registry],
    }),
    auditWriteSeconds: new Histogram({
      name: 'gatehouse_audit_write_seconds',
      help: 'Time of one audit write: write(2) of a group of lines plus fdatasync(2)',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    auditWriteErrors: new Counter({
      name: 'gatehouse_audit_write_errors_total',
      help: 'Failed audit writes (retried) and refused appends',
      registers: [registry],
    }),
    artifactInfo: new Gauge({
      name: 'gatehouse_artifact_info',
      help: 'The artifact set in force (value 1), by version and source revision',
      labelNames: ['version', 'revision'],
      registers: [registry],
    }),
    artifactLoadedTimestamp: new Gauge({
      name: 'gatehouse_artifact_loaded_timestamp_seconds',
      help: 'When the artifact set in force was loaded, in Unix seconds (0: none loaded)',
      registers: [registry],
    }),
    artifactAge: new Gauge({
      name: 'gatehouse_artifact_age_seconds',
      help: 'Seconds since the artifact set in force was loaded (0 until one is)',
      registers: [registry],
      async collect() {
        const loadedAt = (await metrics.artifactLoadedTimestamp.get()).values[0]?.value ?? 0;
        this.set(loadedAt > 0 ? Date.now() / 1000 - loadedAt : 0);
      },
    }),
    toolPinRefusals: new Counter({
      name: 'gatehouse_tool_pin_refusals_total',
      help: 'Tools hidden from tools/list (where=list) or calls refused (where=call) because the definition is not the pinned one, by reason',
      labelNames: ['where', 'server', 'reason'],
      registers: [registry],
    }),
    upstreamTokens: new Counter({
      name: 'gatehouse_upstream_tokens_total',
      help: 'Upstream tokens of servers with an upstream identity, by outcome: fetched (an exchange or grant), cached, failed (call refused)',
      labelNames: ['server', 'outcome'],
      registers: [registry],
    }),
  };
  initialiseCounters(metrics);
  return metrics;
}

/** Every counter series whose label values are known up front, at zero, so dashboards and alerts see 0, not "no data". */
function initialiseCounters(metrics: Metrics): void {
  for (const outcome of DECISION_OUTCOMES) metrics.decisions.inc({ outcome, virtual_server: '' }, 0);
  for (const type of RESOURCE_TYPES) {
    metrics.xdsPushes.inc({ type }, 0);
    metrics.xdsNacks.inc({ type }, 0);
  }
  for (const result of ['loaded', 'rejected']) metrics.artifactLoads.inc({ result }, 0);
  for (const reason of REJECTION_REASONS) metrics.artifactsRejected.inc({ reason }, 0);
  for (const result of FETCH_RESULTS satisfies readonly FetchResult[]) metrics.artifactFetches.inc({ result }, 0);
  for (const decision of MCP_DECISIONS) metrics.mcpRequests.inc({ method: 'tools/call', decision }, 0);
  metrics.artifactLoadedTimestamp.set(0);
}
