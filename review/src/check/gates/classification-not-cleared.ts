// Gate classification-not-cleared: a team can call a tool of a server whose data classification is
// above the team's clearance. Effective access decides (the access matrix of the head bundle), so a
// Rego rule that denies the call, like policies/org/clearance.rego, keeps the gate quiet.
import { AUTHENTICATED } from '../../access/subjects.ts';
import { DEFAULTS } from '../../../../compiler/src/resolve/defaults.ts';
import { CLASSIFICATIONS, type Classification } from '../../../../compiler/src/schema/common.ts';
import { skipped, type Gate, type GateFinding } from '../gate.ts';
import { grantLocation } from '../grant-location.ts';

export const classificationNotCleared: Gate = {
  code: 'classification-not-cleared',
  run(facts) {
    const { ir, matrix } = facts.head;
    if (!ir || !matrix) return skipped('the head revision does not compile');
    const rank = (c: Classification) => CLASSIFICATIONS.indexOf(c);
    const findings: GateFinding[] = [];
    for (const access of matrix.subjects) {
      const team = ir.teams.find((t) => `team:${t.name}` === access.subject);
      // Every authenticated user is cleared as a member of no team is: the default team clearance.
      if (!team && access.subject !== AUTHENTICATED) continue;
      const clearance: Classification = team?.clearance ?? DEFAULTS.teamClearance;
      for (const [serverName, tools] of Object.entries(access.servers)) {
        const server = ir.servers.find((s) => s.name === serverName);
        if (!server || rank(server.dataClassification) <= rank(clearance)) continue;
        const who = team ? `team ${team.name} is cleared for ${clearance}` : `every authenticated user can, cleared for ${clearance} only`;
        const called = tools.map((t) => `${serverName}/${t}`).join(', ');
        findings.push({
          message: `${access.subject} can call ${called}, but server ${serverName} holds ${server.dataClassification} data and ${who}`,
          location: grantLocation(ir, facts.locate, access.subject, serverName, tools[0]) ?? server.source,
          hint: team
            ? `Raise Team "${team.name}" clearance (${team.source.file}:${team.source.line}) if that is intended, ` +
              'or remove the access; a Rego rule can also deny it.'
            : 'Grant the server to cleared teams instead of every authenticated user.',
        });
      }
    }
    return { findings };
  },
};
