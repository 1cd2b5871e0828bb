// Listeners: the gateway's public listener, and its internal listener whose terminal filter is
// mcp_router. Envoy requires a terminal filter last in a chain, so one chain cannot end in the
// router for single-member virtual servers and in mcp_router for aggregated ones; the internal
// listener gives aggregated virtual servers their own chain.
import { rbacFilter, rbacPlacements, type PlacedDecisions } from '../rbac/rbac-filter.ts';
import type { IrGateway, IrIdentityProvider, IrVirtualServer } from '../../ir/types.ts';
import { callOutcomeFilter } from './call-outcome-filter.ts';
import { names } from './names.ts';
import {
  clientSessionFilter, extAuthzFilter, guardrailsFilter, jwtAuthnFilter, mcpFilter, mcpRouterFilter, responseRewriteFilter, routerFilter, sessionBindingFilter,
  upstreamTokenGuardFilter, type HttpFilter,
} from './http-filters.ts';
import { headerAllowListFilter } from './header-allow-list.ts';
import { subjectRateLimitFilter } from './subject-rate-limit.ts';
import { restBridgeFilter } from './rest-bridge.ts';
import { localReplyConfig } from './protected-resource.ts';
import { downstreamTransportSocket } from './downstream-tls.ts';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import type { ListenerJson } from '../../../../artifacts/src/fleet-resources.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import { CONTROL_PLANE_CLUSTER, UPSTREAM_TOKEN_HEADER } from '../../../../artifacts/src/metadata-names.ts';
import { ACCESS_LOG_STREAM_RETRIES } from '../../../../artifacts/src/control-plane-resilience.ts';

type HttpConnectionManagerJson = Json<'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'>;
type TracingJson = Json<'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing'>;

const RDS = (routeConfigName: string): Json<'envoy.extensions.filters.network.http_connection_manager.v3.Rds'> => ({
  route_config_name: routeConfigName,
  config_source: { ads: {}, resource_api_version: 'V3' },
});

/** `options.guardrailTimeoutMs`: the gateway serves guarded tools, and the guardrail processor's message timeout. */
export function gatewayListener(
  gateway: IrGateway,
  providers: readonly IrIdentityProvider[],
  virtualServers: readonly IrVirtualServer[],
  options: { restBridge?: boolean; staticDecisions?: PlacedDecisions; guardrailTimeoutMs?: number; identityVirtualServers?: ReadonlyMap<string, string> } = {},
): ListenerJson {
  // Virtual servers of this gateway whose server gets a token from the control plane (upstream identity),
  // and those among them whose token is exchanged for the caller's (ext_authz needs the caller's token).
  const identities = new Set(virtualServers.map((vs) => vs.name).filter((vs) => options.identityVirtualServers?.has(vs)));
  const exchanging = new Set([...identities].filter((vs) => options.identityVirtualServers?.get(vs) === 'token-exchange'));
  const { staticDecisions, guardrailTimeoutMs } = options;
  const placements = rbacPlacements(gateway, staticDecisions?.decisions);
  const filters: HttpFilter[] = [
    ...(identities.size > 0 ? [upstreamTokenGuardFilter()] : []),
    clientSessionFilter(),
    jwtAuthnFilter(gateway, providers, exchanging),
    mcpFilter(gateway, { rerouteByMethod: true, propagateTraceContext: true }),
    // Per-caller calls/s, before any decision: a caller over its limit costs no RBAC or ext_authz work.
    subjectRateLimitFilter(gateway, virtualServers),
    ...(placements && staticDecisions ? [rbacFilter(staticDecisions.data, staticDecisions.decisions, placements)] : []),
    extAuthzFilter(gateway, { skipRbacDecided: placements !== undefined }),
    sessionBindingFilter(gateway),
    responseRewriteFilter(gateway),
    ...(guardrailTimeoutMs === undefined ? [] : [guardrailsFilter(gateway, guardrailTimeoutMs)]),
    callOutcomeFilter(),
    // Last before the router, so the policy still sees the request as sent and nothing but the
    // allow-list reaches an MCP server (aggregated members too: the internal listener gets the result).
    headerAllowListFilter(identities.size > 0 ? [UPSTREAM_TOKEN_HEADER] : []),
    // After the allow-list, so the headers it binds from arguments reach the REST service (rest-bridge.ts).
    ...(options.restBridge ? [restBridgeFilter(gateway)] : []),
    routerFilter(),
  ];
  return {
    name: names.listener(gateway.name),
    address: { socket_address: { address: gateway.address, port_value: gateway.port } },
    per_connection_buffer_limit_bytes: Math.max(gateway.maxRequestBytes * 2, 1048576),
    filter_chains: [
      {
        filters: [
          httpConnectionManager(names.statPrefix(gateway.name), names.routes(gateway.name), filters, {
            use_remote_address: true,
            xff_num_trusted_hops: gateway.trustedProxyHops,
            local_reply_config: localReplyConfig(gateway),
            access_log: [accessLog(gateway)],
            // The request id the gateway assigned (the audit record's request_id) goes back to the
            // client as x-request-id, so a caller can join its call to the audit record and the trace.
            always_set_request_id_in_response: true,
            ...(gateway.tracing ? ({ tracing: tracing(gateway, gateway.tracing) } satisfies HttpConnectionManagerJson) : {}),
          }),
        ],
        ...(gateway.tls ? { transport_socket: downstreamTransportSocket(gateway, gateway.tls) } : {}),
      },
    ],
  };
}

/** The internal listener of a gateway's aggregated virtual servers: MCP parsing, then mcp_router. */
export function routerListener(gateway: IrGateway): ListenerJson {
  const httpFilters = [mcpFilter(gateway, { rerouteByMethod: false }), mcpRouterFilter()];
  return {
    name: names.routerListener(gateway.name),
    internal_listener: {},
    filter_chains: [
      {
        filters: [httpConnectionManager(`${names.statPrefix(gateway.name)}_mcp_router`, names.routerRoutes(gateway.name), httpFilters, {})],
      },
    ],
  };
}

function httpConnectionManager(
  statPrefix: string,
  routes: string,
  httpFilters: HttpFilter[],
  extra: HttpConnectionManagerJson,
): Json<'envoy.config.listener.v3.Filter'> {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: anyOf(TYPE.httpConnectionManager, {
      stat_prefix: statPrefix,
      codec_type: 'AUTO',
      rds: RDS(routes),
      http_filters: httpFilters,
      normalize_path: true,
      merge_slashes: true,
      path_with_escaped_slashes_action: 'REJECT_REQUEST',
      stream_idle_timeout: '300s',
      request_headers_timeout: '10s',
      common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' },
      ...extra,
    }),
  };
}

/** Every request's access log entry, with all dynamic metadata (MCP, JWT, ext_authz), streamed to the control plane. */
function accessLog(gateway: IrGateway): Json<'envoy.config.accesslog.v3.AccessLog'> {
  return {
    name: 'envoy.access_loggers.http_grpc',
    typed_config: anyOf(TYPE.httpGrpcAccessLog, {
      common_config: {
        log_name: names.accessLogName(gateway.name),
        grpc_service: { envoy_grpc: { cluster_name: CONTROL_PLANE_CLUSTER } },
        transport_api_version: 'V3',
        buffer_flush_interval: '1s',
        // A stream cut by a replica's death is opened again, on a healthy replica.
        grpc_stream_retry_policy: ACCESS_LOG_STREAM_RETRIES,
        // The trace id of Envoy's span, for the audit record (empty when the request is not traced).
        custom_tags: [{ tag: 'trace_id', value: '%TRACE_ID%' }],
      },
      additional_request_headers_to_log: ['traceparent', 'mcp-session-id', 'mcp-protocol-version', 'user-agent'],
    }),
  };
}

/**
 * OpenTelemetry tracing. Spans carry the MCP method and public tool name (MCP filter metadata) and
 * the server, bare tool and attributed team the policy resolved (ext_authz metadata; custom tags
 * are read when the span ends, after the policy ran).
 */
function tracing(gateway: IrGateway, settings: NonNullable<IrGateway['tracing']>): TracingJson {
  const metadataTag = (tag: string, namespace: string, path: readonly string[]): Json<'envoy.type.tracing.v3.CustomTag'> => ({
    tag,
    metadata: {
      kind: { request: {} },
      metadata_key: { key: namespace, path: path.map((key): Json<'envoy.type.metadata.v3.MetadataKey.PathSegment'> => ({ key })) },
    },
  });
  const mcpTag = (tag: string, path: readonly string[]) => metadataTag(tag, 'envoy.filters.http.mcp', path);
  const policyTag = (tag: string, key: string) => metadataTag(tag, 'envoy.filters.http.ext_authz', [key]);
  return {
    random_sampling: { value: settings.samplingPercent },
    provider: {
      name: 'envoy.tracers.opentelemetry',
      typed_config: anyOf(TYPE.openTelemetryTracer, {
        grpc_service: { envoy_grpc: { cluster_name: names.tracingCluster(gateway.name) }, timeout: '1s' },
        service_name: `gatehouse-${gateway.name}`,
      }),
    },
    custom_tags: [
      mcpTag('mcp.method', ['method']),
      mcpTag('mcp.tool', ['params', 'name']),
      { tag: 'gatehouse.gateway', literal: { value: gateway.name } },
      policyTag('gatehouse.virtual_server', 'virtual_server'),
      policyTag('gatehouse.server', 'server'),
      policyTag('gatehouse.tool', 'tool'),
      policyTag('gatehouse.team', 'team'),
      policyTag('gatehouse.decision', 'decision'),
    ],
  };
}
