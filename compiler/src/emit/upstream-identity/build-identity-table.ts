// IR -> the upstream identity table (artifacts/src/upstream-identity/identity-table.ts): what the
// control plane needs to fetch each server's upstream token. The client secret goes by its name only.
import type { Ir } from '../../ir/types.ts';
import type { UpstreamIdentityEntry, UpstreamIdentityTable } from '../../../../artifacts/src/upstream-identity/identity-table.ts';

export function buildIdentityTable(ir: Pick<Ir, 'servers' | 'virtualServers'>): UpstreamIdentityTable {
  const servers: Record<string, UpstreamIdentityEntry> = {};
  for (const server of ir.servers) {
    const identity = server.identity;
    if (!identity) continue;
    servers[server.name] = {
      mode: identity.mode,
      identityProvider: identity.identityProvider,
      tokenEndpoint: identity.tokenEndpoint,
      clientId: identity.clientId,
      clientSecretRef: identity.clientSecretRef,
      audience: identity.audience,
      scopes: [...identity.scopes],
      header: identity.header,
    };
  }
  const virtualServers: Record<string, string> = {};
  for (const vs of ir.virtualServers) {
    const only = vs.members[0];
    // Aggregated virtual servers cannot carry a per-server token (rules/upstream-identities.ts refuses them).
    if (!vs.aggregated && vs.members.length === 1 && only && only.server in servers) virtualServers[vs.name] = only.server;
  }
  return { servers, virtualServers };
}

/** The virtual servers whose requests go to a server with an upstream identity, with its mode. */
export function identityVirtualServers(ir: Pick<Ir, 'servers' | 'virtualServers'>): Map<string, UpstreamIdentityEntry['mode']> {
  const table = buildIdentityTable(ir);
  return new Map(Object.entries(table.virtualServers).flatMap(([vs, server]) => {
    const entry = table.servers[server];
    return entry ? [[vs, entry.mode] as const] : [];
  }));
}
