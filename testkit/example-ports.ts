// The example registry binds fixed ports (7100 identity provider, 7101–7103 MCP servers, 7104 the inventory REST service, 7105 the
// whoami server (token exchange), 10000 gateway); tests and benchmarks run it on free ports instead, so several can run at once.
import { freePorts } from './ports.ts';

export const EXAMPLE_PORTS = { idp: 7100, tickets: 7101, docs: 7102, payments: 7103, inventory: 7104, whoami: 7105, gateway: 10000 } as const;

export type ExamplePorts = { readonly [K in keyof typeof EXAMPLE_PORTS]: number };

/** A free port for each fixed port of the example registry. */
export async function freeExamplePorts(): Promise<ExamplePorts> {
  const [idp, tickets, docs, payments, inventory, whoami, gateway] = (await freePorts(7)) as [number, number, number, number, number, number, number];
  return { idp, tickets, docs, payments, inventory, whoami, gateway };
}

/** Rewrites a registry file's `127.0.0.1:PORT` and `port: PORT` from the example's ports to `ports`. */
export function remapExamplePorts(text: string, ports: ExamplePorts): string {
  const map = new Map<number, number>((Object.keys(EXAMPLE_PORTS) as (keyof typeof EXAMPLE_PORTS)[]).map((k) => [EXAMPLE_PORTS[k], ports[k]]));
  return text.replace(/\b(127\.0\.0\.1:|port: )(\d{4,5})\b/g, (_all, prefix: string, port: string) => `${prefix}${map.get(Number(port)) ?? port}`);
}
