// Gate default-allow: the policy allows something that no grant gives. The compiled bundle is
// evaluated with every grant removed (ungranted-access.ts); whatever it still allows is reported,
// at the Rego line that allowed it when the decision's reason or the change points there.
import type { SourceLocation } from '../../../../compiler/src/diagnostics/diagnostic.ts';
import { skipped, type Gate, type GateFinding } from '../gate.ts';
import { policyLocation } from '../policy-location.ts';
import type { UngrantedAccess } from '../ungranted-access.ts';

const SHOWN = 5;

export const defaultAllow: Gate = {
  code: 'default-allow',
  run(facts) {
    if (!facts.ungranted) return skipped('the head revision does not compile');
    const groups = new Map<string, { location?: SourceLocation; items: UngrantedAccess[] }>();
    for (const access of facts.ungranted) {
      const location = policyLocation(facts.head.policies, facts.base?.policies, access.reasons);
      const key = location ? `${location.file}:${location.line}` : '';
      const group = groups.get(key) ?? { ...(location ? { location } : {}), items: [] };
      group.items.push(access);
      groups.set(key, group);
    }
    return { findings: [...groups.values()].map(finding) };
  },
};

function finding(group: { location?: SourceLocation; items: readonly UngrantedAccess[] }): GateFinding {
  const shown = group.items.slice(0, SHOWN).map(describe).join('; ');
  const more = group.items.length > SHOWN ? `; and ${group.items.length - SHOWN} more` : '';
  const reasons = [...new Set(group.items.flatMap((i) => i.reasons))].sort();
  const because = reasons.length ? ` (reason: ${reasons.map((r) => JSON.stringify(r)).join(', ')})` : '';
  return {
    message: `with every grant removed, the policy still allows ${shown}${more}${because}`,
    ...(group.location ? { location: group.location } : {}),
    hint: 'The policy must deny by default: access comes from Grant documents, and Rego only adds conditions and denials. ' +
      'Remove the rule that allows without a grant.',
  };
}

function describe(access: UngrantedAccess): string {
  const who = access.subject === 'anonymous' ? 'a caller without a token' : access.subject;
  return access.method === 'tools/list'
    ? `${who} to list the tools of ${access.virtualServer}`
    : `${who} to call ${access.tool} in ${access.virtualServer}`;
}
