// How Envoy survives the death of a control-plane replica (the README's "High availability"):
// every control-plane cluster (the bootstrap's ADS cluster, the ext_authz/ext_proc/access-log
// cluster) health-checks its replicas with the standard gRPC health service, so a dead or
// draining replica stops getting new calls; and a Check or ext_proc call that fails to connect, or
// whose connection is reset, is retried at once on another replica, well inside the ext_authz
// timeout. Shared by the compiler (CDS) and the control plane (bootstrap).
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import type { Json } from './envoy-json.ts';
import { TYPE } from './type-urls.ts';

/** One check a second (and at once while a replica is down); a replica is out after 2 misses, back after 1 pass. */
export const CONTROL_PLANE_HEALTH_CHECKS: Json<'envoy.config.cluster.v3.Cluster'>['health_checks'] = [
  {
    timeout: '1s',
    interval: '1s',
    interval_jitter: '0.1s',
    // A cluster that has not carried a call yet is otherwise checked once a minute only.
    no_traffic_interval: '1s',
    unhealthy_threshold: 2,
    healthy_threshold: 1,
    grpc_health_check: {},
  },
];

const PREVIOUS_HOSTS: AnyJson = { '@type': TYPE.previousHostsPredicate };

/**
 * A gRPC call's retries: on a refused or reset connection (a replica that died or is restarting)
 * and on UNAVAILABLE (one that is shutting down), each time on another replica than the ones
 * tried, all within the filter's own timeout. A Check is idempotent: audit records come from the
 * access log, not from Checks. Envoy takes the back-off's max_interval as each try's timeout
 * (seen with Envoy 1.40: a 25 ms max_interval timed out every cold Check), so it is the call's
 * timeout: a slow answer is not retried (with half the timeout, a loaded survivor's slow answers
 * were retried on the dead replica and the calls failed).
 */
export function controlPlaneCallRetries(tryMs: number): Json<'envoy.config.core.v3.RetryPolicy'> {
  return {
    retry_on: 'connect-failure,refused-stream,reset,unavailable',
    num_retries: 2,
    retry_back_off: { base_interval: '0.005s', max_interval: `${(tryMs / 1000).toFixed(3)}s` },
    retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: PREVIOUS_HOSTS }],
    host_selection_retry_max_attempts: '5',
  };
}

/** An ADS stream that broke is opened again (to a healthy replica) after this back-off. */
export const ADS_STREAM_RETRIES: Json<'envoy.config.core.v3.RetryPolicy'> = {
  retry_back_off: { base_interval: '0.1s', max_interval: '1s' },
};

/**
 * An access-log stream is opened on another replica when the one it was on refuses the connection:
 * without this, the entries of the flush that first meets a dead replica (one that health checks
 * have not taken out yet) were dropped with the stream that could not open.
 */
export const ACCESS_LOG_STREAM_RETRIES: Json<'envoy.config.core.v3.RetryPolicy'> = {
  retry_on: 'connect-failure,refused-stream,reset,unavailable',
  num_retries: 3,
  retry_back_off: { base_interval: '0.01s', max_interval: '1s' },
  retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: PREVIOUS_HOSTS }],
  host_selection_retry_max_attempts: '5',
};

/** A replica that refused a connection is taken out at once (until health checks pass again), not after two missed checks. */
export const CONTROL_PLANE_OUTLIER_DETECTION: Json<'envoy.config.cluster.v3.Cluster'>['outlier_detection'] = {
  split_external_local_origin_errors: true,
  consecutive_local_origin_failure: 1,
  enforcing_consecutive_local_origin_failure: 100,
  interval: '1s',
  base_ejection_time: '2s',
  max_ejection_percent: 100,
};
