// The pin table the control plane enforces (artifacts/src/tool-pins/pin-table.ts), from the
// registry and the tool lock: a server is enforced when it says `toolPinning: enforced`, or by
// default (`auto`) when the lock has it.
import type { ToolPinTable, PinnedServer } from '../../../artifacts/src/tool-pins/pin-table.ts';
import type { Ir } from '../ir/types.ts';
import type { ToolLock } from './lock-file.ts';

export function buildPinTable(ir: Ir, lock: ToolLock): ToolPinTable {
  const servers: Record<string, PinnedServer> = {};
  for (const server of ir.servers) {
    const locked = lock.servers[server.name];
    const enforced = server.toolPinning === 'enforced' || (server.toolPinning === 'auto' && locked !== undefined);
    servers[server.name] = { enforced, tools: Object.fromEntries((locked ?? []).map((tool) => [tool.name, tool.sha256])) };
  }
  const virtualServers = Object.fromEntries(ir.virtualServers.map((vs) => [vs.name, { aggregated: vs.aggregated, members: vs.members.map((m) => m.server) }]));
  return { servers, virtualServers };
}
