// Names of the Envoy resources Gatehouse emits. Each says where it comes from in the registry;
// registry names are DNS labels, so nothing here can inject into xDS.

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
  gatewayCertificateSecret: (gateway: string) => `gatehouse-gateway-${gateway}-certificate`,
  gatewayClientCaSecret: (gateway: string) => `gatehouse-gateway-${gateway}-client-ca`,
  jwtProvider: (provider: string, virtualServer?: string) => (virtualServer ? `${provider}-for-${virtualServer}` : provider),
  statPrefix: (gateway: string) => `gatehouse_${gateway.replace(/-/g, '_')}`,
  accessLogName: (gateway: string) => `gatehouse/${gateway}`,
};
