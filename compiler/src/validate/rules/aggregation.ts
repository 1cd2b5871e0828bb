// Warns when a virtual server aggregates a server that declares a capability Envoy's mcp_router
// cannot carry (compiler/src/ir/aggregation.ts): its clients would silently lose it.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { LOST_WHEN_AGGREGATED } from '../../ir/aggregation.ts';
import type { RuleContext } from './context.ts';

export function aggregation(ctx: RuleContext): Diagnostic[] {
  const servers = ctx.byName('McpServer');
  return ctx.docs.VirtualServer.flatMap((doc) => {
    if (doc.spec.members.length < 2) return [];
    return doc.spec.members.flatMap((member, i): Diagnostic[] => {
      const lost = (servers.get(member.server)?.spec.capabilities ?? []).filter((c) => LOST_WHEN_AGGREGATED[c] !== undefined);
      if (lost.length === 0) return [];
      const them = lost.length === 1 ? 'it' : 'them';
      const reasons = lost.map((c) => `${c}: ${LOST_WHEN_AGGREGATED[c] ?? ''}.`).join(' ');
      return [
        {
          code: 'aggregated-capability-lost',
          severity: 'warning',
          message:
            `VirtualServer "${doc.name}" aggregates McpServer "${member.server}", which declares ${lost.join(', ')}: ` +
            `Envoy's mcp_router cannot carry ${them}, so clients of "${doc.name}" lose ${them}`,
          location: doc.at(['members', i, 'server']),
          hint: `${reasons} Serve "${member.server}" through a virtual server of its own where clients need ${them}.`,
        },
      ];
    });
  });
}
