// Gate team-without-idp-mapping: a grant to a team that no identity-provider group maps to. No token
// can belong to such a team, so the grant silently does nothing. Points at the grant's subject.
import { teamSubject } from '../../access/subjects.ts';
import { skipped, type Gate, type GateFinding } from '../gate.ts';

export const teamWithoutIdpMapping: Gate = {
  code: 'team-without-idp-mapping',
  run(facts) {
    const ir = facts.head.ir;
    if (!ir) return skipped('the head registry has errors');
    const findings: GateFinding[] = [];
    for (const grant of ir.grants) {
      for (const subject of grant.subjects) {
        const team = subject.startsWith('team:') ? ir.teams.find((t) => t.name === subject.slice(5)) : undefined;
        if (!team || teamSubject(ir, team).claims) continue;
        findings.push({
          message: `Grant "${grant.name}" gives access to team "${team.name}", which no identity-provider group maps to, ` +
            'so no token can belong to it and the grant does nothing',
          location: facts.locate.item('Grant', grant.name, ['subjects'], subject) ?? grant.source,
          hint: `Add an idpGroups entry to Team "${team.name}" (${team.source.file}:${team.source.line}), or remove the subject.`,
        });
      }
    }
    return { findings };
  },
};
