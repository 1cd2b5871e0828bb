// An Envoy bootstrap that carries a fleet's resources statically, for `envoy --mode validate`:
// route configurations are inlined into their listeners, EDS clusters get their endpoints inline,
// and secrets get placeholder values. Everything else is exactly what ADS would deliver.
import { resourceName, type FleetResources, type XdsResource } from '../../../../artifacts/src/fleet-resources.ts';
import { CONTROL_PLANE_CLUSTER } from '../../../../artifacts/src/metadata-names.ts';

export function staticBootstrap(fleet: FleetResources): Record<string, unknown> {
  const routes = new Map(fleet.routes.map((r) => [resourceName(r), r]));
  const endpoints = new Map(fleet.endpoints.map((e) => [resourceName(e), e]));
  const placeholder = { cluster_name: CONTROL_PLANE_CLUSTER, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 1 } } } }] }] };
  const clusters = fleet.clusters.map((cluster) => {
    if (cluster.type !== 'EDS') return stripSds(cluster);
    const { eds_cluster_config: _eds, ...rest } = cluster as Record<string, unknown>;
    const name = resourceName(cluster);
    return stripSds({ ...rest, type: 'STATIC', load_assignment: endpoints.get(name) ?? { ...placeholder, cluster_name: name } });
  });
  const listeners = fleet.listeners.map((listener) => inlineRoutes(listener, routes));
  return {
    node: { id: 'gatehouse-validate', cluster: fleet.fleet },
    bootstrap_extensions: [
      { name: 'envoy.bootstrap.internal_listener', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener' } },
    ],
    static_resources: {
      listeners,
      clusters,
      secrets: fleet.secrets.map((s) => ({ name: s.name, generic_secret: { secret: { inline_string: 'placeholder' } } })),
    },
  };
}

function inlineRoutes(value: unknown, routes: ReadonlyMap<string, XdsResource>): unknown {
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
function stripSds(value: unknown): XdsResource {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'sds_config' ? undefined : v)) as XdsResource;
}
