// Prometheus metrics of the control plane.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly decisions: Counter<'outcome' | 'virtual_server'>;
  readonly decisionSeconds: Histogram<never>;
  readonly xdsPushes: Counter<'type'>;
  readonly xdsNacks: Counter<'type'>;
  readonly connectedStreams: Gauge<never>;
  readonly artifactLoads: Counter<'result'>;
  readonly accessLogEntries: Counter<never>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });
  return {
    registry,
    decisions: new Counter({ name: 'gatehouse_authz_decisions_total', help: 'ext_authz decisions by outcome (allow, deny, error)', labelNames: ['outcome', 'virtual_server'], registers: [registry] }),
    decisionSeconds: new Histogram({
      name: 'gatehouse_authz_decision_seconds',
      help: 'Time to answer one ext_authz Check, input building and policy evaluation included',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    }),
    xdsPushes: new Counter({ name: 'gatehouse_xds_pushes_total', help: 'xDS responses sent to Envoy, by resource type', labelNames: ['type'], registers: [registry] }),
    xdsNacks: new Counter({ name: 'gatehouse_xds_nacks_total', help: 'xDS responses Envoy rejected (NACK), by resource type', labelNames: ['type'], registers: [registry] }),
    connectedStreams: new Gauge({ name: 'gatehouse_xds_connected_streams', help: 'Open ADS streams', registers: [registry] }),
    artifactLoads: new Counter({ name: 'gatehouse_artifact_loads_total', help: 'Artifact loads, by result (loaded, rejected)', labelNames: ['result'], registers: [registry] }),
    accessLogEntries: new Counter({ name: 'gatehouse_access_log_entries_total', help: 'HTTP access log entries received from Envoy', registers: [registry] }),
  };
}
