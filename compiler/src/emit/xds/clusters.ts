// Clusters: one per MCP server, one per aggregated virtual server (mcp_multicluster), the hop to a
// gateway's internal mcp_router listener, JWKS fetchers, and the control plane (ext_authz, access logs).
import type { IrGateway, IrIdentityProvider, IrServer, IrVirtualServer } from '../../ir/types.ts';
import { protoDuration } from '../../util/duration.ts';
import type { HttpFilter } from './http-filters.ts';
import { names } from './names.ts';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import type { ClusterJson, ClusterLoadAssignmentJson } from '../../../../artifacts/src/fleet-resources.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import { CONTROL_PLANE_CLUSTER, UPSTREAM_TOKEN_HEADER } from '../../../../artifacts/src/metadata-names.ts';
import { CONTROL_PLANE_HEALTH_CHECKS, CONTROL_PLANE_OUTLIER_DETECTION } from '../../../../artifacts/src/control-plane-resilience.ts';

type HttpProtocolOptionsJson = Json<'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'>;

const ADS: Json<'envoy.config.core.v3.ConfigSource'> = { ads: {}, resource_api_version: 'V3' };

/** An MCP server's cluster. IP upstreams get endpoints over EDS; DNS names resolve in Envoy (LOGICAL_DNS). */
export function serverCluster(server: IrServer): ClusterJson {
  const up = server.upstream;
  const name = names.serverCluster(server.name);
  const discovery: ClusterJson = up.hostIsIp
    ? { type: 'EDS', eds_cluster_config: { eds_config: ADS } }
    : {
        type: 'LOGICAL_DNS',
        dns_lookup_family: 'V4_PREFERRED',
        load_assignment: loadAssignment(name, up.host, up.port),
      };
  return {
    name,
    connect_timeout: protoDuration(up.connectTimeoutMs),
    ...discovery,
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': anyOf(TYPE.httpProtocolOptions, {
        explicit_http_config: { http_protocol_options: {} },
        common_http_protocol_options: { idle_timeout: '300s' },
        ...(server.credential ? ({ http_filters: credentialFilters(server.name, server.credential) } satisfies HttpProtocolOptionsJson) : {}),
        ...(server.identity ? ({ http_filters: upstreamTokenFilters(server.identity.header) } satisfies HttpProtocolOptionsJson) : {}),
      }),
    },
    ...(up.tls ? ({ transport_socket: tlsTransport(up.host, up.caFile) } satisfies ClusterJson) : {}),
    circuit_breakers: { thresholds: [{ max_connections: 1024, max_pending_requests: 1024, max_requests: 1024 }] },
  };
}

/** The upstream filters that set the server's credential from its SDS secret (the client's token is never forwarded). */
function credentialFilters(server: string, credential: NonNullable<IrServer['credential']>): HttpFilter[] {
  return [
    {
      name: 'envoy.filters.http.credential_injector',
      typed_config: anyOf(TYPE.credentialInjector, {
        overwrite: true,
        credential: {
          name: 'envoy.http.injected_credentials.generic',
          typed_config: anyOf(TYPE.genericCredential, {
            credential: { name: names.credentialSecret(server), sds_config: ADS },
            header: credential.header,
          }),
        },
      }),
    },
    { name: 'envoy.filters.http.upstream_codec', typed_config: anyOf(TYPE.upstreamCodec, {}) },
  ];
}

/**
 * The upstream filters of a server with an upstream identity: the token ext_authz fetched for this
 * call (UPSTREAM_TOKEN_HEADER, `Bearer <token>` for Authorization) moves into the server's header and
 * the gateway's own header goes. Without it (ext_authz fetched nothing) the header is not set at all.
 */
function upstreamTokenFilters(header: string): HttpFilter[] {
  return [
    {
      name: 'envoy.filters.http.header_mutation',
      typed_config: anyOf(TYPE.headerMutation, {
        mutations: {
          request_mutations: [
            { remove: header.toLowerCase() },
            { append: { header: { key: header.toLowerCase(), value: `%REQ(${UPSTREAM_TOKEN_HEADER})%` }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' } },
            { remove: UPSTREAM_TOKEN_HEADER },
          ],
        },
      }),
    },
    { name: 'envoy.filters.http.upstream_codec', typed_config: anyOf(TYPE.upstreamCodec, {}) },
  ];
}

/** TLS to an upstream, verifying its certificate chain against caFile and its name against host. */
function tlsTransport(host: string, caFile: string): Json<'envoy.config.core.v3.TransportSocket'> {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: anyOf(TYPE.upstreamTls, {
      sni: host,
      common_tls_context: {
        validation_context: {
          trusted_ca: { filename: caFile },
          match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: host } }],
        },
      },
    }),
  };
}

/** The EDS endpoints of an IP-addressed MCP server. */
export function serverEndpoints(server: IrServer): ClusterLoadAssignmentJson {
  return loadAssignment(names.serverCluster(server.name), server.upstream.host, server.upstream.port);
}

function loadAssignment(clusterName: string, address: string, port: number): ClusterLoadAssignmentJson {
  return {
    cluster_name: clusterName,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }],
  };
}

/** An aggregated virtual server: the member servers mcp_router fans out to, carried by the route's cluster. */
export function virtualServerCluster(virtualServer: IrVirtualServer, servers: ReadonlyMap<string, IrServer>): ClusterJson {
  return {
    name: names.virtualServerCluster(virtualServer.name),
    connect_timeout: '5s',
    lb_policy: 'CLUSTER_PROVIDED',
    cluster_type: {
      name: 'envoy.clusters.mcp_multicluster',
      typed_config: anyOf(TYPE.mcpMulticluster, {
        servers: virtualServer.members.map((member): Json<'envoy.extensions.clusters.mcp_multicluster.v3.ClusterConfig.McpBackend'> => {
          const up = memberServer(servers, member.server).upstream;
          return {
            name: member.server,
            mcp_cluster: {
              cluster: names.serverCluster(member.server),
              path: up.path,
              timeout: protoDuration(up.timeoutMs),
              host_rewrite_literal: up.hostHeader,
            },
          };
        }),
      }),
    },
  };
}

/** A member's server; the IR names only servers it has (a missing one is a bug, not user error). */
export function memberServer(servers: ReadonlyMap<string, IrServer>, name: string): IrServer {
  const server = servers.get(name);
  if (!server) throw new Error(`the IR has no server ${name}`);
  return server;
}

/** The Host header an upstream expects: the port is left out when it is the scheme's default. */
export function hostHeader(host: string, port: number, tls: boolean): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return (tls && port === 443) || (!tls && port === 80) ? shown : `${shown}:${port}`;
}

/** The hop from a gateway's listener to its internal listener, whose terminal filter is mcp_router. */
export function routerCluster(gateway: IrGateway): ClusterJson {
  const name = names.routerCluster(gateway.name);
  return {
    name,
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { envoy_internal_address: { server_listener_name: names.routerListener(gateway.name) } } } }] }],
    },
  };
}

/** Fetches an identity provider's JWKS. */
export function jwksCluster(provider: IrIdentityProvider): ClusterJson | undefined {
  if (!('uri' in provider.jwks)) return undefined;
  const url = new URL(provider.jwks.uri);
  const tls = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const name = names.jwksCluster(provider.name);
  return {
    name,
    connect_timeout: '2s',
    type: 'STRICT_DNS',
    dns_lookup_family: 'V4_PREFERRED',
    load_assignment: loadAssignment(name, host, port),
    ...(tls ? ({ transport_socket: tlsTransport(host, provider.jwks.caFile) } satisfies ClusterJson) : {}),
  };
}

/** The control plane's gRPC services (ext_authz, access logs). Its endpoints are sent by the control plane itself. */
export function controlPlaneCluster(): ClusterJson {
  return {
    name: CONTROL_PLANE_CLUSTER,
    connect_timeout: '1s',
    type: 'EDS',
    eds_cluster_config: { eds_config: ADS },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': anyOf(TYPE.httpProtocolOptions, {
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '30s', timeout: '5s' } } },
      }),
    },
    circuit_breakers: { thresholds: [{ max_connections: 1024, max_pending_requests: 4096, max_requests: 4096 }] },
    // HA: the control plane sends every replica as an endpoint; a dead or draining one is taken out.
    health_checks: CONTROL_PLANE_HEALTH_CHECKS,
    outlier_detection: CONTROL_PLANE_OUTLIER_DETECTION,
  };
}

/** The OpenTelemetry collector a gateway sends traces to. */
export function tracingCluster(gateway: IrGateway): ClusterJson | undefined {
  if (!gateway.tracing) return undefined;
  const [host, port] = gateway.tracing.collector.split(':') as [string, string];
  const name = names.tracingCluster(gateway.name);
  return {
    name,
    connect_timeout: '1s',
    type: 'STRICT_DNS',
    dns_lookup_family: 'V4_PREFERRED',
    load_assignment: loadAssignment(name, host, Number(port)),
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': anyOf(TYPE.httpProtocolOptions, {
        explicit_http_config: { http2_protocol_options: {} },
      }),
    },
  };
}
