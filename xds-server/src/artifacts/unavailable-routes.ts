// The routes to a server that fails closed (missing-credentials.ts) answer for it: a client gets a
// JSON-RPC error naming the server as unavailable, instead of Envoy's bare "no healthy upstream".
// The route keeps its filters (a caller is still authenticated and authorised first); only its
// action becomes a direct response. The gateway's local-reply mapper for 503 wraps the body into
// the JSON-RPC error (compiler/src/emit/xds/protected-resource.ts). The secret is never named.
// Aggregated virtual servers route to mcp_router, not to the member's cluster: they are left alone.
import type { RouteConfigurationJson } from '../../../artifacts/src/fleet-resources.ts';

type Route = NonNullable<NonNullable<RouteConfigurationJson['virtual_hosts']>[number]['routes']>[number];

const SERVER_CLUSTER_PREFIX = 'mcp-server-';

/** The message of the error a client gets (the mapper adds the JSON-RPC envelope). */
export function unavailableMessage(cluster: string): string {
  const server = cluster.startsWith(SERVER_CLUSTER_PREFIX) ? cluster.slice(SERVER_CLUSTER_PREFIX.length) : cluster;
  return `MCP server "${server}" is unavailable: the gateway is not configured to reach it; try again later or tell the gateway's operators`;
}

export function answerForClosedClusters(routes: readonly RouteConfigurationJson[], closed: ReadonlySet<string>): RouteConfigurationJson[] {
  const answer = (route: Route): Route => {
    const cluster = route.route?.cluster;
    if (cluster === undefined || !closed.has(cluster)) return route;
    const rest = { ...route };
    delete rest.route;
    return { ...rest, direct_response: { status: 503, body: { inline_string: unavailableMessage(cluster) } } };
  };
  return routes.map((config) => ({
    ...config,
    virtual_hosts: (config.virtual_hosts ?? []).map((host) => ({ ...host, routes: (host.routes ?? []).map(answer) })),
  }));
}
