// The MCP Registry API v0.1 shapes Gatehouse serves (the ecosystem's `server.json` and the list and
// detail envelopes): only the parts a governed remote endpoint uses. Packages (servers a client
// installs and runs itself) never appear: Gatehouse lists endpoints clients connect to.

/** A remote transport of a server.json: where a client connects. */
export interface RegistryRemote {
  readonly type: 'streamable-http';
  readonly url: string;
}

/** A server.json (the registry's ServerDetail). */
export interface RegistryServer {
  /** Reverse-DNS namespace, one slash, the server's own name: `com.example.mcp/helpdesk`. */
  readonly name: string;
  /** At most 100 characters (the specification's limit); the full text is in Gatehouse's `_meta`. */
  readonly description: string;
  readonly title: string;
  readonly version: string;
  readonly remotes: readonly RegistryRemote[];
}

/** The `_meta` key of the registry-managed status every registry answers with. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
/** The `_meta` key of what Gatehouse adds: who owns the endpoint and what it exposes. */
export const GATEHOUSE_META_KEY = 'dev.gatehouse/virtual-server';

/** One tool as clients of the virtual server see it. */
export interface GatehouseTool {
  /** The name clients call (`<server>__<tool>` on an aggregated virtual server). */
  readonly name: string;
  readonly server: string;
  readonly tool: string;
  readonly risk: string | null;
}

export interface GatehouseMember {
  readonly server: string;
  readonly owner: string | null;
  readonly dataClassification: string | null;
  readonly region: string | null;
}

export interface GatehouseServerMeta {
  readonly virtualServer: string;
  /** The virtual server's whole description (the server.json one is cut to 100 characters). */
  readonly description: string;
  /** The teams owning its member servers. */
  readonly owners: readonly string[];
  readonly members: readonly GatehouseMember[];
  readonly tools: readonly GatehouseTool[];
  /** The artifact set the entry comes from, and the registry revision it was compiled from. */
  readonly artifactVersion: string;
  readonly sourceRevision: string;
}

/** One entry of a list, or a detail answer (the registry's ServerResponse). */
export interface RegistryServerResponse {
  readonly server: RegistryServer;
  readonly _meta: {
    readonly [OFFICIAL_META_KEY]: { readonly status: 'active'; readonly isLatest: true };
    readonly [GATEHOUSE_META_KEY]: GatehouseServerMeta;
  };
}

/** The answer of GET /v0.1/servers and GET /v0.1/servers/{name}/versions. */
export interface RegistryServerList {
  readonly servers: readonly RegistryServerResponse[];
  readonly metadata: { readonly count: number; readonly nextCursor?: string };
}
