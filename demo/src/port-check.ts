// [impure] Checks, before anything starts, that every port the demo stack will listen on is free,
// so a taken port is reported by number and by what sets it instead of surfacing later as a hang
// (a half-started control plane) or as Envoy rejecting its listener.
import { createServer } from 'node:net';
import type { Ir } from '../../compiler/src/ir/types.ts';

/** A port the stack listens on, and what sets it: a command flag or a registry field. */
export interface WantedPort {
  readonly port: number;
  readonly host: string;
  /** E.g. `--admin-port`, or `Envoy listener of gateway local, registry/gateways/local.yaml spec.listener.port`. */
  readonly setBy: string;
}

/** One or more ports are taken; the message names each one and what sets it. */
export class PortTakenError extends Error {
  constructor(readonly taken: readonly WantedPort[]) {
    super(taken.map((p) => `port ${p.port} (${p.setBy}) is taken on ${p.host}; free it or choose another`).join('\n'));
    this.name = 'PortTakenError';
  }
}

/** The ports the registry makes the demo open: the identity provider's issuer, the MCP servers it runs, the gateways' listeners. */
export function registryPorts(ir: Ir, runsServer: (name: string) => boolean): WantedPort[] {
  const wanted: WantedPort[] = [];
  const provider = ir.identityProviders[0];
  if (provider) {
    const issuer = new URL(provider.issuer);
    wanted.push({ port: Number(issuer.port || 80), host: '127.0.0.1', setBy: `development identity provider, ${provider.source.file} spec.issuer` });
  }
  for (const server of ir.servers.filter((s) => runsServer(s.name))) {
    wanted.push({ port: server.upstream.port, host: '127.0.0.1', setBy: `demo MCP server ${server.name}, ${server.source.file} spec.upstream.url` });
  }
  for (const gateway of ir.gateways) {
    wanted.push({ port: gateway.port, host: gateway.address, setBy: `Envoy listener of gateway ${gateway.name}, ${gateway.source.file} spec.listener.port` });
  }
  return wanted;
}

/** The wanted ports that cannot be bound now (port 0 means "any" and is never taken). */
export async function takenPorts(wanted: readonly WantedPort[]): Promise<WantedPort[]> {
  const results = await Promise.all(wanted.map(async (p) => (p.port !== 0 && !(await canBind(p.host, p.port)) ? p : undefined)));
  return results.filter((p) => p !== undefined);
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Envoy rejected its listener configuration; a bind failure names the port and the gateway that sets it. */
export class EnvoyRejectedListenerError extends Error {
  constructor(fleet: string, envoyMessage: string, ir: Pick<Ir, 'gateways'>) {
    const bind = /cannot bind '([^']*):(\d+)'/.exec(envoyMessage);
    const gateway = bind ? ir.gateways.find((g) => g.fleet === fleet && g.port === Number(bind[2])) : undefined;
    super(
      gateway
        ? `port ${gateway.port} (Envoy listener of gateway ${gateway.name}, ${gateway.source.file} spec.listener.port) ` +
          `is taken on ${gateway.address}; free it or choose another`
        : `Envoy (fleet ${fleet}) rejected its listeners: ${envoyMessage.trim()}`,
    );
    this.name = 'EnvoyRejectedListenerError';
  }
}
