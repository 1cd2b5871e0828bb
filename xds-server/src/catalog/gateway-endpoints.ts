// Where each virtual server is served: the gateways whose routes carry its `/mcp/<name>` path, read
// from the fleets' xDS (the same resources Envoy receives), with the URL a client would use.
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';

export interface VirtualServerEndpoint {
  readonly gateway: string;
  readonly fleet: string;
  readonly url: string;
}

const MCP_PATH = /^\/mcp\/([^/]+)$/;

/** Virtual server -> its endpoints, for the gateways the audit catalog names (their xDS names are `gatehouse-gateway-<name>`). */
export function virtualServerEndpoints(fleets: readonly FleetResources[], gateways: readonly string[]): Record<string, VirtualServerEndpoint[]> {
  const endpoints: Record<string, VirtualServerEndpoint[]> = {};
  for (const fleet of fleets) {
    for (const gateway of gateways) {
      const name = `gatehouse-gateway-${gateway}`;
      const routes = fleet.routes.find((r) => r.name === name);
      const listener = fleet.listeners.find((l) => l.name === name);
      if (!routes) continue;
      const tls = (listener?.filter_chains ?? []).some((chain) => chain.transport_socket !== undefined);
      for (const host of routes.virtual_hosts ?? []) {
        const domain = (host.domains ?? []).find((d) => d !== '*');
        if (domain === undefined) continue;
        const paths = new Set((host.routes ?? []).map((route) => route.match?.path).filter((path): path is string => path !== undefined));
        for (const path of paths) {
          const virtualServer = MCP_PATH.exec(path)?.[1];
          if (virtualServer === undefined) continue;
          const list = (endpoints[virtualServer] ??= []);
          list.push({ gateway, fleet: fleet.fleet, url: `${tls ? 'https' : 'http'}://${domain}${path}` });
        }
      }
    }
  }
  return endpoints;
}
