// The virtual server a logged request was routed on, from its route's name: Envoy logs the path
// after the router rewrote it, but the route's name keeps the client-facing virtual server.

/** The MCP endpoint routes of a virtual server are named `<virtual server>-<suffix>` (emit/xds/routes.ts). */
const ROUTE_SUFFIXES = ['-tools-call', '-tools-list', '-aggregated-rewrites', '-initialize', '-stream', '-mcp'];

export function virtualServerOfRoute(routeName: unknown): string | undefined {
  if (typeof routeName !== 'string') return undefined;
  const suffix = ROUTE_SUFFIXES.find((s) => routeName.endsWith(s) && routeName.length > s.length);
  return suffix ? routeName.slice(0, -suffix.length) : undefined;
}
