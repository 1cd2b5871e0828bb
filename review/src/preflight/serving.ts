// Which gateways serve a server: those serving a virtual server that has it as a member.
import type { Ir, IrGateway } from '../../../compiler/src/ir/types.ts';

export function gatewaysServing(ir: Ir, server: string): IrGateway[] {
  const virtualServers = new Set(ir.virtualServers.filter((vs) => vs.members.some((m) => m.server === server)).map((vs) => vs.name));
  return ir.gateways.filter((g) => g.virtualServers.some((vs) => virtualServers.has(vs)));
}
