// Names of the Envoy resources Gatehouse emits. Each says where it comes from in the registry;
// registry names are DNS labels, so nothing here can inject into xDS.

export const CONTROL_PLANE_CLUSTER = 'gatehouse-control-plane';
export const MCP_METADATA_NAMESPACE = 'envoy.filters.http.mcp';
export const JWT_METADATA_NAMESPACE = 'envoy.filters.http.jwt_authn';
export const JWT_PAYLOAD_KEY = 'jwt_payload';
/** Where jwt_authn records why it rejected a token (dynamic metadata), so local replies can map it. */
export const JWT_FAILURE_KEY = 'jwt_failure';

export const names = {
  listener: (gateway: string) => `gatehouse-gateway-${gateway}`,
  routes: (gateway: string) => `gatehouse-gateway-${gateway}`,
  routerListener: (gateway: string) => `gatehouse-gateway-${gateway}-mcp-router`,
  routerRoutes: (gateway: string) => `gatehouse-gateway-${gateway}-mcp-router`,
  routerCluster: (gateway: string) => `gatehouse-gateway-${gateway}-mcp-router`,
  serverCluster: (server: string) => `mcp-server-${server}`,
  virtualServerCluster: (virtualServer: string) => `mcp-virtual-server-${virtualServer}`,
  jwksCluster: (provider: string) => `jwks-${provider}`,
  tracingCluster: (gateway: string) => `gatehouse-gateway-${gateway}-otel-collector`,
  credentialSecret: (server: string) => `mcp-server-${server}-credential`,
  jwtProvider: (provider: string, virtualServer?: string) => (virtualServer ? `${provider}-for-${virtualServer}` : provider),
  statPrefix: (gateway: string) => `gatehouse_${gateway.replace(/-/g, '_')}`,
  accessLogName: (gateway: string) => `gatehouse/${gateway}`,
};
