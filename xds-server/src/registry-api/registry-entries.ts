// [pure] The MCP Registry entries of a loaded artifact set: one per virtual server a gateway serves
// (what a client may connect to), its remotes the gateways' public URLs for it. The URLs and
// descriptions come from the protected-resource metadata each gateway publishes (RFC 9728, in the
// fleets' routes); members, tools and owners from the policy bundle's registry data.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { publishedEndpoints } from '../artifacts/published-endpoints.ts';
import { registryDataOf, type RegistryData } from '../artifacts/registry-data.ts';
import {
  GATEHOUSE_META_KEY, OFFICIAL_META_KEY,
  type GatehouseMember, type GatehouseServerMeta, type GatehouseTool, type RegistryServer, type RegistryServerResponse,
} from './registry-shapes.ts';

export interface RegistrySource {
  readonly version: string;
  readonly sourceRevision: string;
  readonly fleets: readonly FleetResources[];
  /** The policy bundle's data.json. */
  readonly bundleData: unknown;
}

export interface RegistryNaming {
  /**
   * The reverse-DNS namespace of every entry's name. Absent: the gateways' host name reversed when
   * they all have one, else FALLBACK_NAMESPACE; names are what allowlists match, so set it to keep them stable.
   */
  readonly namespace?: string;
}

/** Used when the gateways have several host names, or one that is an address or a single label (localhost). */
export const FALLBACK_NAMESPACE = 'local.gatehouse';
/** server.json's limit on `description`. */
export const DESCRIPTION_LIMIT = 100;


/** The entries, sorted by name. */
export function registryEntries(source: RegistrySource, naming: RegistryNaming = {}): RegistryServerResponse[] {
  const endpoints = publishedEndpoints(source.fleets);
  const data = registryDataOf(source.bundleData);
  const namespace = naming.namespace ?? defaultNamespace([...endpoints.values()].flat().map((d) => d.url));
  const entries = [...endpoints].map(([virtualServer, published]) => {
    const urls = [...new Set(published.map((d) => d.url))].sort();
    const description = published[0]?.description ?? virtualServer;
    const meta = gatehouseMeta(virtualServer, description, data);
    const server: Omit<RegistryServer, 'version'> = {
      name: `${namespace}/${virtualServer}`,
      description: shorten(description, DESCRIPTION_LIMIT),
      title: virtualServer,
      remotes: urls.map((url) => ({ type: 'streamable-http' as const, url })),
    };
    const { name, description: shortDescription, title, remotes } = server;
    return {
      server: { name, description: shortDescription, title, version: contentVersion(server, meta), remotes },
      _meta: {
        [OFFICIAL_META_KEY]: { status: 'active' as const, isLatest: true as const },
        [GATEHOUSE_META_KEY]: { ...meta, artifactVersion: source.version, sourceRevision: source.sourceRevision },
      },
    };
  });
  return entries.sort((a, b) => (a.server.name < b.server.name ? -1 : a.server.name > b.server.name ? 1 : 0));
}

function defaultNamespace(urls: readonly string[]): string {
  const namespaces = new Set(urls.map(namespaceOf));
  const [only] = namespaces;
  return namespaces.size === 1 && only !== undefined ? only : FALLBACK_NAMESPACE;
}

/** The reverse-DNS form of an endpoint's host: `https://mcp.example.com/mcp/x` gives `com.example.mcp`. */
export function namespaceOf(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return FALLBACK_NAMESPACE;
  }
  if (isIP(host) !== 0 || host.startsWith('[') || !host.includes('.') || !/^[a-zA-Z0-9.-]+$/.test(host)) return FALLBACK_NAMESPACE;
  return host.split('.').filter((label) => label !== '').reverse().join('.');
}

/** At most `limit` characters (code points), cut at a word where one is near. */
export function shorten(text: string, limit: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= limit) return chars.join('');
  const head = chars.slice(0, limit - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > limit / 2 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, '')}…`;
}

function gatehouseMeta(virtualServer: string, description: string, data: RegistryData): Omit<GatehouseServerMeta, 'artifactVersion' | 'sourceRevision'> {
  const vs = data.virtualServers[virtualServer];
  const members: GatehouseMember[] = [...(vs?.servers ?? [])].sort().map((server) => {
    const s = data.servers[server];
    return { server, owner: s?.owner ?? null, dataClassification: s?.classification ?? null, region: s?.region ?? null };
  });
  const tools: GatehouseTool[] = Object.entries(vs?.tools ?? {})
    .map(([name, { server, tool }]) => ({ name, server, tool, risk: data.servers[server]?.tools[tool]?.risk ?? null }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const owners = [...new Set(members.flatMap((m) => (m.owner === null ? [] : [m.owner])))].sort();
  return { virtualServer, description, owners, members, tools };
}

/** A hash of what a client sees of the entry: changes exactly when the endpoint, its owners or its tools change. */
function contentVersion(server: Omit<RegistryServer, 'version'>, meta: Omit<GatehouseServerMeta, 'artifactVersion' | 'sourceRevision'>): string {
  return createHash('sha256').update(JSON.stringify({ server, meta })).digest('hex').slice(0, 16);
}
