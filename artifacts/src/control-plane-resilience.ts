// How Envoy survives the death of a control-plane replica (the README's "High availability"):
// every control-plane cluster (the bootstrap's ADS cluster, the ext_authz/ext_proc/access-log
// cluster) health-checks its replicas with the standard gRPC health service, so a dead or
// draining replica stops getting new calls; and a Check or ext_proc call that fails to connect, or
// whose connection is reset, is retried at once on another replica, well inside the ext_authz
// timeout. Shared by the compiler (CDS) and the control plane (bootstrap).
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import type { Json } from './envoy-json.ts';

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

const PREVIOUS_HOSTS: AnyJson = { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' };

/**
 * A gRPC call's retries: on a refused or reset connection (a replica that died or is restarting)
 * and on UNAVAILABLE (one that is shutting down), on another replica than the ones tried.
 * A Check is idempotent, and a call that failed this way reached no policy decision.
 */
export const CONTROL_PLANE_CALL_RETRIES: Json<'envoy.config.core.v3.RetryPolicy'> = {
  retry_on: 'connect-failure,refused-stream,reset,unavailable',
  num_retries: 2,
  retry_back_off: { base_interval: '0.005s', max_interval: '0.025s' },
  retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: PREVIOUS_HOSTS }],
  host_selection_retry_max_attempts: '5',
};

/** An access-log or ADS stream that broke is opened again (on a healthy replica) after this back-off. */
export const CONTROL_PLANE_STREAM_RETRIES: Json<'envoy.config.core.v3.RetryPolicy'> = {
  retry_back_off: { base_interval: '0.1s', max_interval: '1s' },
};
