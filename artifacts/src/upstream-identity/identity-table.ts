// The upstream identities the compiler puts in the artifacts (UPSTREAM_IDENTITIES_FILE) and the
// control plane uses: per server with McpServer `upstream.identity`, where and how to fetch its
// upstream token; per virtual server, the one server its calls go to. The client secret is named
// (secretRef), never included: the control plane resolves it like any other secret.

export interface UpstreamIdentityEntry {
  readonly mode: 'token-exchange' | 'client-credentials';
  /** The IdentityProvider whose token endpoint issues the tokens. */
  readonly identityProvider: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /** A file in the control plane's secrets folder, or GATEHOUSE_SECRET_<NAME>. */
  readonly clientSecretRef: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  /** The header the server receives the token in (`Authorization`: as `Bearer <token>`). */
  readonly header: string;
}

export interface UpstreamIdentityTable {
  readonly servers: Readonly<Record<string, UpstreamIdentityEntry>>;
  /** Virtual server -> the server with an upstream identity its every request goes to (single-member virtual servers). */
  readonly virtualServers: Readonly<Record<string, string>>;
}

export const EMPTY_IDENTITY_TABLE: UpstreamIdentityTable = { servers: {}, virtualServers: {} };

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function isEntry(value: unknown): value is UpstreamIdentityEntry {
  if (!isRecord(value)) return false;
  const strings = ['identityProvider', 'tokenEndpoint', 'clientId', 'clientSecretRef', 'audience', 'header'];
  return (value.mode === 'token-exchange' || value.mode === 'client-credentials')
    && strings.every((key) => typeof value[key] === 'string')
    && Array.isArray(value.scopes) && value.scopes.every((s) => typeof s === 'string');
}

/** A table read from an artifact folder: every entry well formed, every virtual server naming a listed server. */
export function isUpstreamIdentityTable(value: unknown): value is UpstreamIdentityTable {
  if (!isRecord(value) || !isRecord(value.servers) || !isRecord(value.virtualServers)) return false;
  const servers = value.servers;
  return Object.values(servers).every(isEntry)
    && Object.values(value.virtualServers).every((server) => typeof server === 'string' && server in servers);
}
