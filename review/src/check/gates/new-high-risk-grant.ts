// Gate new-high-risk-grant: a subject gains a high-risk tool relative to the base. The finding names
// the team that owns the tool's server as the reviewer the change needs.
import { skipped, type Gate } from '../gate.ts';
import { grantLocation } from '../grant-location.ts';

export const newHighRiskGrant: Gate = {
  code: 'new-high-risk-grant',
  run(facts) {
    if (!facts.base) return skipped('needs --base');
    const ir = facts.head.ir;
    if (!facts.accessDiff || !ir) return skipped('the base or the head revision does not compile');
    return {
      findings: facts.accessDiff.changes
        .filter((c) => c.change === 'gained' && (facts.settings.highRisk as readonly string[]).includes(c.risk))
        .map((c) => {
          const location = grantLocation(ir, facts.locate, c.subject, c.server, c.tool);
          const reviewer = c.owner ? `team ${c.owner}, which owns server ${c.server}, must review` : `server ${c.server} has no owner to review it`;
          return {
            message: `${c.subject} gains the ${c.risk}-risk tool ${c.server}/${c.tool}; ${reviewer}`,
            ...(location ? { location } : {}),
            hint: c.owner ? `Request a review from team ${c.owner}.` : `Set an owner on McpServer "${c.server}".`,
          };
        }),
    };
  },
};
