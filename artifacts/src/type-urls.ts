// Type URLs of the Envoy messages Gatehouse emits.

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** A message's type URL; its type keeps the message name, so `anyOf` can find the message's JSON type. */
const t = <const N extends string>(name: N): `${typeof TYPE_URL_PREFIX}${N}` => `${TYPE_URL_PREFIX}${name}`;

export const TYPE = {
  listener: t('envoy.config.listener.v3.Listener'),
  routeConfiguration: t('envoy.config.route.v3.RouteConfiguration'),
  cluster: t('envoy.config.cluster.v3.Cluster'),
  clusterLoadAssignment: t('envoy.config.endpoint.v3.ClusterLoadAssignment'),
  secret: t('envoy.extensions.transport_sockets.tls.v3.Secret'),
  httpConnectionManager: t('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'),
  jwtAuthn: t('envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication'),
  mcp: t('envoy.extensions.filters.http.mcp.v3.Mcp'),
  mcpRouter: t('envoy.extensions.filters.http.mcp_router.v3.McpRouter'),
  mcpJsonRestBridge: t('envoy.extensions.filters.http.mcp_json_rest_bridge.v3.McpJsonRestBridge'),
  mcpJsonRestBridgePerRoute: t('envoy.extensions.filters.http.mcp_json_rest_bridge.v3.McpJsonRestBridgePerRoute'),
  mcpMulticluster: t('envoy.extensions.clusters.mcp_multicluster.v3.ClusterConfig'),
  extAuthz: t('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz'),
  rbac: t('envoy.extensions.filters.http.rbac.v3.RBAC'),
  extAuthzPerRoute: t('envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute'),
  extProc: t('envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor'),
  extProcPerRoute: t('envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute'),
  router: t('envoy.extensions.filters.http.router.v3.Router'),
  headerMutation: t('envoy.extensions.filters.http.header_mutation.v3.HeaderMutation'),
  lua: t('envoy.extensions.filters.http.lua.v3.Lua'),
  luaPerRoute: t('envoy.extensions.filters.http.lua.v3.LuaPerRoute'),
  localRateLimit: t('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit'),
  headerToMetadata: t('envoy.extensions.filters.http.header_to_metadata.v3.Config'),
  filterConfig: t('envoy.config.route.v3.FilterConfig'),
  httpGrpcAccessLog: t('envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig'),
  httpProtocolOptions: t('envoy.extensions.upstreams.http.v3.HttpProtocolOptions'),
  credentialInjector: t('envoy.extensions.filters.http.credential_injector.v3.CredentialInjector'),
  genericCredential: t('envoy.extensions.http.injected_credentials.generic.v3.Generic'),
  upstreamCodec: t('envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec'),
  upstreamTls: t('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'),
  downstreamTlsContext: t('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'),
  openTelemetryTracer: t('envoy.config.trace.v3.OpenTelemetryConfig'),
  internalListener: t('envoy.extensions.bootstrap.internal_listener.v3.InternalListener'),
  previousHostsPredicate: t('envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate'),
} as const;

/**
 * The resource types served over xDS, in the order ADS pushes them (make before break): secrets
 * before the clusters that use them, clusters and their endpoints before the listeners and routes
 * that point at them.
 */
export const RESOURCE_TYPES = ['secrets', 'clusters', 'endpoints', 'listeners', 'routes'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_TYPE_URL: Readonly<Record<ResourceType, string>> = {
  clusters: TYPE.cluster,
  endpoints: TYPE.clusterLoadAssignment,
  listeners: TYPE.listener,
  routes: TYPE.routeConfiguration,
  secrets: TYPE.secret,
};

/** The message type of each resource type, for the descriptor registry. */
export const RESOURCE_MESSAGE: Readonly<Record<ResourceType, string>> = {
  clusters: 'envoy.config.cluster.v3.Cluster',
  endpoints: 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  listeners: 'envoy.config.listener.v3.Listener',
  routes: 'envoy.config.route.v3.RouteConfiguration',
  secrets: 'envoy.extensions.transport_sockets.tls.v3.Secret',
};
