// Gate missing-owner-or-cost-center: an MCP server with no owner team, or no cost center (its own, or
// its owner team's). Without them nobody reviews its high-risk grants and nobody pays for its calls.
import { skipped, type Gate, type GateFinding } from '../gate.ts';

export const missingOwnerOrCostCenter: Gate = {
  code: 'missing-owner-or-cost-center',
  run(facts) {
    const ir = facts.head.ir;
    if (!ir) return skipped('the head registry has errors');
    const findings: GateFinding[] = [];
    for (const server of ir.servers) {
      if (!server.owner) {
        findings.push({
          message: `McpServer "${server.name}" has no owner`,
          location: server.source,
          hint: 'Set spec.owner to the team that runs the server: it reviews new grants of its high-risk tools.',
        });
      }
      if (!server.costCenter) {
        const teams = server.owner ? `its owner team ${server.owner}'s` : 'an owner team\'s';
        findings.push({
          message: `McpServer "${server.name}" has no cost center (neither spec.costCenter nor ${teams})`,
          location: server.source,
          hint: 'Set spec.costCenter, or a costCenter on the owner team.',
        });
      }
    }
    return { findings };
  },
};
