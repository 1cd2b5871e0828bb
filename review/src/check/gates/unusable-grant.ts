// Gate unusable-grant: a Grant gives a subject tools the compiled policy refuses it on every call
// (unusable-grants.ts). One finding per cause: the tools of one grant entry refused for the same
// reasons are named together, at that entry's tool list.
import { skipped, type Gate } from '../gate.ts';
import { NOT_SERVED } from '../unusable-grants.ts';

export const unusableGrant: Gate = {
  code: 'unusable-grant',
  run(facts) {
    const ir = facts.head.ir;
    if (!facts.unusable || !ir) return skipped('the head revision does not compile');
    return {
      findings: facts.unusable.map((u) => {
        const grant = ir.grants.find((g) => g.name === u.grant);
        const location = facts.locate.at('Grant', u.grant, ['access', u.accessIndex, 'tools']) ?? grant?.access[u.accessIndex]?.source;
        const tools = u.tools.map((t) => `${u.server}/${t}`).join(', ');
        const quoted = u.reasons.map((r) => JSON.stringify(r)).join(', ');
        const because = u.reasons.includes(NOT_SERVED) ? NOT_SERVED : `the policy denies every such call: ${quoted}`;
        return {
          message: `Grant "${u.grant}" gives ${u.subject} ${tools}, which it can never call: ${because}`,
          ...(location ? { location } : {}),
          hint: u.reasons.includes(NOT_SERVED)
            ? 'Add the tool to a VirtualServer, or remove it from the grant.'
            : 'Remove the tools from the grant, or change what makes the policy deny them (a team\'s clearance, an organisation rule).',
        };
      }),
    };
  },
};
