// The pin table the control plane enforces (artifacts/src/tool-pins/pin-table.ts), from the
// registry and the tool lock: a server is enforced when it says `toolPinning: enforced`, or by
// default (`auto`) when the lock has it.
import type { ToolPinTable, PinnedServer } from '../../../artifacts/src/tool-pins/pin-table.ts';
import type { Ir, IrServer } from '../ir/types.ts';
import type { ToolLock } from './lock-file.ts';

export function buildPinTable(ir: Ir, lock: ToolLock): ToolPinTable {
  const servers: Record<string, PinnedServer> = {};
  for (const server of ir.servers) {
    const locked = lock.servers[server.name];
    servers[server.name] = { enforced: pinningEnforced(server, lock), tools: Object.fromEntries((locked ?? []).map((tool) => [tool.name, tool.sha256])) };
  }
  const virtualServers = Object.fromEntries(ir.virtualServers.map((vs) => [vs.name, { aggregated: vs.aggregated, members: vs.members.map((m) => m.server) }]));
  return { servers, virtualServers };
}

/** Whether the control plane checks this server's tool definitions (so its calls must reach ext_authz, never RBAC alone). */
export function pinningEnforced(server: Pick<IrServer, 'name' | 'toolPinning'>, lock: ToolLock): boolean {
  return server.toolPinning === 'enforced' || (server.toolPinning === 'auto' && lock.servers[server.name] !== undefined);
}
