// An Envoy bootstrap that carries a fleet's resources statically, for `envoy --mode validate`:
// route configurations are inlined into their listeners, EDS clusters get their endpoints inline,
// and secrets get placeholder values. Everything else is exactly what ADS would deliver.
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import {
  resourceName,
  type ClusterJson,
  type ClusterLoadAssignmentJson,
  type FleetResources,
  type ListenerJson,
  type RouteConfigurationJson,
  type SecretJson,
} from '../../../../artifacts/src/fleet-resources.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';

export function staticBootstrap(fleet: FleetResources): Json<'envoy.config.bootstrap.v3.Bootstrap'> {
  const routes = new Map(fleet.routes.map((r) => [resourceName(r), r]));
  const endpoints = new Map(fleet.endpoints.map((e) => [resourceName(e), e]));
  const clusters = fleet.clusters.map((cluster) => {
    if (cluster.type !== 'EDS') return stripSds(cluster);
    const name = resourceName(cluster);
    const inline: ClusterJson = { ...cluster, type: 'STATIC', load_assignment: endpoints.get(name) ?? placeholderEndpoints(name) };
    delete inline.eds_cluster_config;
    return stripSds(inline);
  });
  // A gateway's TLS certificate comes from the control plane only (validation has no real one): the
  // transport socket is checked against the Envoy API by proto-check, not here.
  const listeners = fleet.listeners.map((listener) => withoutTransportSockets(inlineRoutes(listener, routes) as ListenerJson));
  return {
    node: { id: 'gatehouse-validate', cluster: fleet.fleet },
    bootstrap_extensions: [{ name: 'envoy.bootstrap.internal_listener', typed_config: anyOf(TYPE.internalListener, {}) }],
    static_resources: {
      listeners,
      clusters,
      secrets: fleet.secrets
        .filter((s) => s.kind === undefined)
        .map((s): SecretJson => ({ name: s.name, generic_secret: { secret: { inline_string: 'placeholder' } } })),
    },
  };
}

/** The control plane sends its own endpoints over ADS; validation only needs an address. */
function placeholderEndpoints(clusterName: string): ClusterLoadAssignmentJson {
  return {
    cluster_name: clusterName,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 1 } } } }] }],
  };
}

/** Each `rds` (in an HTTP connection manager, inside an Any) becomes the `route_config` it names. */
function inlineRoutes(value: unknown, routes: ReadonlyMap<string, RouteConfigurationJson>): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRoutes(v, routes));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'rds') {
      const name = (child as { route_config_name: string }).route_config_name;
      out.route_config = routes.get(name);
    } else {
      out[key] = inlineRoutes(child, routes);
    }
  }
  return out;
}

/** Static secrets are found by name; the `sds_config` that points at ADS is dropped. */
function stripSds(cluster: ClusterJson): ClusterJson {
  return JSON.parse(JSON.stringify(cluster), (key, value: unknown) => (key === 'sds_config' ? undefined : value)) as ClusterJson;
}

function withoutTransportSockets(listener: ListenerJson): ListenerJson {
  return {
    ...listener,
    filter_chains: (listener.filter_chains ?? []).map((chain) => {
      const plain = { ...chain };
      delete plain.transport_socket;
      return plain;
    }),
  };
}
