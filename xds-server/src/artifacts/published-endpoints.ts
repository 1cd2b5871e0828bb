// Where each virtual server is served, read from the metadata documents (RFC 9728) the compiler puts in each gateway's routes:
// their `resource` is the endpoint's public URL exactly as clients are told it. The catalog page and the registry API list these.
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { PRM_PREFIX, type ProtectedResourceMetadata } from '../../../artifacts/src/protected-resource.ts';

export interface PublishedEndpoint {
  /** The gateway serving it (its route configuration is `gatehouse-gateway-<name>`). */
  readonly gateway: string;
  readonly fleet: string;
  /** The endpoint's public URL: `<gateway publicUrl>/mcp/<virtual server>`. */
  readonly url: string;
  /** The virtual server's description, as the metadata document gives it. */
  readonly description: string;
}

const METADATA_PREFIX = `${PRM_PREFIX}/mcp/`;
const GATEWAY_ROUTES = /^gatehouse-gateway-(.+)$/;

/** Virtual server -> its endpoints, across fleets and gateways, sorted by URL. */
export function publishedEndpoints(fleets: readonly FleetResources[]): ReadonlyMap<string, readonly PublishedEndpoint[]> {
  const found = new Map<string, PublishedEndpoint[]>();
  for (const fleet of fleets) {
    for (const config of fleet.routes) {
      const gateway = GATEWAY_ROUTES.exec(config.name ?? '')?.[1] ?? config.name ?? '';
      for (const route of (config.virtual_hosts ?? []).flatMap((host) => host.routes ?? [])) {
        const path = route.match?.path;
        const body = route.direct_response?.body?.inline_string;
        if (path?.startsWith(METADATA_PREFIX) !== true || body === undefined) continue;
        const document = parseMetadata(body);
        if (!document) continue;
        const virtualServer = path.slice(METADATA_PREFIX.length);
        const list = found.get(virtualServer) ?? [];
        list.push({ gateway, fleet: fleet.fleet, url: document.resource, description: document.resource_name });
        found.set(virtualServer, list);
      }
    }
  }
  for (const list of found.values()) list.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : a.fleet < b.fleet ? -1 : 1));
  return found;
}

function parseMetadata(body: string): ProtectedResourceMetadata | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<ProtectedResourceMetadata> | null;
    return typeof parsed?.resource === 'string' && typeof parsed.resource_name === 'string' ? (parsed as ProtectedResourceMetadata) : undefined;
  } catch {
    return undefined;
  }
}
