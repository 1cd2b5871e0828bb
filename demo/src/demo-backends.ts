// [impure] Starts the demo's upstreams from the compiled registry: the development identity
// provider at its issuer's address, and an MCP SDK server for each example server at its upstream
// URL, expecting the credential the control plane injects.
import { startDevIdentityProvider, type DevIdentityProvider } from './backends/identity-provider.ts';
import { devIdentityProvider } from './identity/directory.ts';
import { startDemoServer, type RunningDemoServer } from './backends/mcp-http-server.ts';
import { registerDocsTools } from './backends/docs.ts';
import { registerPaymentTools } from './backends/payments.ts';
import { registerTicketTools } from './backends/tickets.ts';
import { startInventoryApi } from './backends/inventory-api.ts';
import type { Ir } from '../../compiler/src/ir/types.ts';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerWhoamiTools, whoamiAuthenticator } from './backends/whoami.ts';
import type { GatewayClient } from './identity/provider.ts';

/** The demo REST services (OpenAPI servers), by registry server name. */
export const DEMO_REST_IMPLEMENTATIONS: Readonly<Record<string, typeof startInventoryApi>> = {
  inventory: startInventoryApi,
};

/** The demo implementations, by registry server name. */
export const DEMO_IMPLEMENTATIONS: Readonly<Record<string, (server: McpServer) => void>> = {
  tickets: registerTicketTools,
  docs: registerDocsTools,
  payments: registerPaymentTools,
};

export interface DemoBackends {
  readonly idp: DevIdentityProvider;
  /** The token exchanges the identity provider performed (subject and audience; never a token), oldest first. */
  readonly exchanges: readonly { readonly subject: string; readonly audience: string }[];
  readonly servers: ReadonlyMap<string, RunningDemoServer>;
  /** Registry servers with no demo implementation (not started). */
  readonly skipped: readonly string[];
  close(): Promise<void>;
}

/** stateDir keeps the identity provider's signing key across restarts; toolCallDelayMs: see DemoServerOptions. */
export async function startDemoBackends(
  ir: Ir,
  secrets: ReadonlyMap<string, string>,
  stateDir: string,
  options: { readonly toolCallDelayMs?: () => number } = {},
): Promise<DemoBackends> {
  const provider = devIdentityProvider(ir);
  if (!provider) {
    const named = ir.identityProviders.map((p) => `${p.name} (${p.issuer})`).join(', ') || 'none';
    throw new Error(`the demo identity provider runs locally, but no IdentityProvider has a local issuer (http://127.0.0.1:PORT); the registry has ${named}`);
  }
  const started: { close(): Promise<void> }[] = [];
  try {
    const exchanges: { subject: string; audience: string }[] = [];
    const gatewayClient = upstreamClient(ir, provider.name, secrets, (e) => exchanges.push({ subject: e.subject, audience: e.audience }));
    const idp = await startDevIdentityProvider({ ir, provider, stateDir, ...(gatewayClient ? { gatewayClient } : {}) });
    started.push(idp);
    const servers = new Map<string, RunningDemoServer>();
    const skipped: string[] = [];
    for (const server of ir.servers) {
      // A server with an upstream identity and no demo of its own: one that checks its token and answers per caller.
      const register = DEMO_IMPLEMENTATIONS[server.name] ?? (server.identity ? registerWhoamiTools : undefined);
      const startRest = server.rest ? DEMO_REST_IMPLEMENTATIONS[server.name] : undefined;
      if ((!register && !startRest) || !['127.0.0.1', 'localhost'].includes(server.upstream.host)) {
        skipped.push(server.name);
        continue;
      }
      const value = server.credential ? secrets.get(server.credential.secretRef) : undefined;
      const credential = server.credential && value !== undefined ? { credential: { header: server.credential.header, value } } : {};
      if (startRest) {
        const rest = await startRest({ port: server.upstream.port, basePath: server.upstream.path, ...credential });
        started.push(rest);
        servers.set(server.name, rest);
        continue;
      }
      if (!register) continue;
      const running = await startDemoServer({
        name: server.name,
        port: server.upstream.port,
        path: server.upstream.path,
        ...(server.credential && value !== undefined ? { credential: { header: server.credential.header, value } } : {}),
        register,
        ...(server.identity
          ? { authenticate: whoamiAuthenticator({ issuer: idp.issuer, jwksUrl: idp.jwksUrl, audience: server.identity.audience }) }
          : {}),
        ...(options.toolCallDelayMs ? { toolCallDelayMs: options.toolCallDelayMs } : {}),
      });
      started.push(running);
      servers.set(server.name, running);
    }
    return {
      idp,
      exchanges,
      servers,
      skipped,
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}

/**
 * The gateway's client at the development identity provider, when a server's upstream identity uses
 * it: its id and secret (the demo secret of `clientSecretRef`), and every such server's audience.
 */
function upstreamClient(
  ir: Ir,
  provider: string,
  secrets: ReadonlyMap<string, string>,
  onExchange: NonNullable<GatewayClient['onExchange']>,
): GatewayClient | undefined {
  const identities = ir.servers.flatMap((s) => (s.identity?.identityProvider === provider ? [s.identity] : []));
  const first = identities[0];
  const clientSecret = first ? secrets.get(first.clientSecretRef) : undefined;
  if (!first || clientSecret === undefined) return undefined;
  return { clientId: first.clientId, clientSecret, audiences: [...new Set(identities.map((i) => i.audience))], tokenTtlSeconds: 300, onExchange };
}
