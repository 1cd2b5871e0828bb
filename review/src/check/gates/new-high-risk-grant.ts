// Gate new-high-risk-grant: a subject gains a high-risk tool relative to the base. The finding names
// the team that owns the tool's server as the reviewer the change needs. One finding per cause: the
// tools a subject gains of one server through the same grant line are named together.
import type { SourceLocation } from '../../../../compiler/src/diagnostics/diagnostic.ts';
import type { AccessChange } from '../../diff/access-diff.ts';
import { skipped, type Gate, type GateFinding } from '../gate.ts';
import { grantLocation } from '../grant-location.ts';

export const newHighRiskGrant: Gate = {
  code: 'new-high-risk-grant',
  run(facts) {
    if (!facts.base) return skipped('needs --base');
    const ir = facts.head.ir;
    if (!facts.accessDiff || !ir) return skipped('the base or the head revision does not compile');
    const groups = new Map<string, { location?: SourceLocation; changes: AccessChange[] }>();
    for (const c of facts.accessDiff.changes) {
      if (c.change !== 'gained' || !(facts.settings.highRisk as readonly string[]).includes(c.risk)) continue;
      const location = grantLocation(ir, facts.locate, c.subject, c.server, c.tool);
      const key = `${c.subject}\0${c.server}\0${location ? `${location.file}:${location.line}` : ''}`;
      const group = groups.get(key) ?? { ...(location ? { location } : {}), changes: [] };
      group.changes.push(c);
      groups.set(key, group);
    }
    return { findings: [...groups.values()].map(finding) };
  },
};

function finding({ location, changes }: { location?: SourceLocation; changes: readonly AccessChange[] }): GateFinding {
  const [first] = changes;
  if (!first) throw new Error('a group has at least one change');
  const risks = new Set(changes.map((c) => c.risk));
  const sameRisk = risks.size === 1;
  const tools = changes.map((c) => `${c.server}/${c.tool}${sameRisk ? '' : ` (${c.risk})`}`).join(', ');
  const what = `the ${sameRisk ? first.risk : 'high'}-risk tool${changes.length > 1 ? 's' : ''} ${tools}`;
  const reviewer = first.owner ? `team ${first.owner}, which owns server ${first.server}, must review` : `server ${first.server} has no owner to review it`;
  return {
    message: `${first.subject} gains ${what}; ${reviewer}`,
    ...(location ? { location } : {}),
    hint: first.owner ? `Request a review from team ${first.owner}.` : `Set an owner on McpServer "${first.server}".`,
  };
}
