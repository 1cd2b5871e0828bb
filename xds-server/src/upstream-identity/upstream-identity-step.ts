// The ext_authz step that gives an allowed call to a server with an upstream identity its upstream
// token: exchanged for the caller's verified token (RFC 8693) or the gateway's service token, from the
// cache or the identity provider. A call to any other server passes untouched; a failed fetch (or a
// client secret the control plane lacks) fails the call closed with the reason for the audit record.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import type { UpstreamIdentityTable } from '../../../artifacts/src/upstream-identity/identity-table.ts';
import { withUpstreamToken } from './upstream-decision.ts';
import { upstreamToken, type UpstreamTokenResult } from './upstream-token.ts';
import type { TokenCache } from './token-cache.ts';
import type { TokenClientOptions } from './token-client.ts';
import { secretEnvName } from '../artifacts/secrets.ts';

export interface UpstreamIdentities {
  readonly table: UpstreamIdentityTable;
  /** Client secrets by secretRef (those that resolved). */
  readonly clientSecrets: ReadonlyMap<string, string>;
}

export interface UpstreamIdentityStepOptions {
  readonly cache: TokenCache;
  readonly client: TokenClientOptions & { readonly now: () => number };
  /** Told of every fetch or cache hit (server and outcome only, never a token): metrics and logs. */
  readonly onToken?: (server: string, outcome: 'fetched' | 'cached' | 'failed', reason?: string) => void;
}

export async function applyUpstreamIdentity(
  identities: UpstreamIdentities | undefined,
  input: PolicyInput | undefined,
  decision: Decision,
  callerToken: string | undefined,
  options: UpstreamIdentityStepOptions,
): Promise<Decision> {
  if (!decision.allowed || !identities || !input) return decision;
  const virtualServer = input.mcp.virtual_server;
  const server = virtualServer === undefined ? undefined : identities.table.virtualServers[virtualServer];
  const entry = server === undefined ? undefined : identities.table.servers[server];
  if (server === undefined || !entry) return decision;
  const clientSecret = identities.clientSecrets.get(entry.clientSecretRef);
  let result: UpstreamTokenResult;
  if (clientSecret === undefined) {
    const ref = entry.clientSecretRef;
    result = { ok: false, refused: false, reason: `the control plane lacks the client secret "${ref}" ($${secretEnvName(ref)})` };
  } else {
    const claims = input.jwt?.claims ?? {};
    const caller = {
      issuer: typeof claims.iss === 'string' ? claims.iss : '',
      subject: typeof claims.sub === 'string' ? claims.sub : '',
      ...(callerToken === undefined ? {} : { token: callerToken }),
    };
    result = await upstreamToken(server, { ...entry, clientSecret }, caller, options.cache, options.client);
  }
  options.onToken?.(server, result.ok ? (result.cached ? 'cached' : 'fetched') : 'failed', result.ok ? undefined : result.reason);
  return withUpstreamToken(decision, entry.header, result, input.mcp.id);
}
