// Points 1 and 4: every team is recognised from an identity-provider group (SSO/RBAC mapping), and
// every call can be charged (a cost on each tool, a cost center on each team and server). The SSO
// point also counts the servers that still get one shared static secret whoever calls.
import { judged, notApplicable, type PreflightPoint } from '../point.ts';
import { upstreamIdentityEvidence } from './upstream-identities.ts';

export const ssoRbacMapping: PreflightPoint = {
  id: 'sso-rbac-mapping',
  title: 'SSO/RBAC mapping',
  check({ ir }) {
    if (!ir.teams.length) return notApplicable(['the registry declares no teams']);
    const unmapped = ir.teams.filter((t) => !t.idpGroups.length);
    const mapped = ir.teams.filter((t) => t.idpGroups.length).map((t) => `team ${t.name} ← ${t.idpGroups.map((g) => `${g.provider}:${g.group}`).join(', ')}`);
    return judged(
      unmapped.map((t) => `team ${t.name} (${t.source.file}:${t.source.line}) maps to no identity-provider group`),
      [...mapped, upstreamIdentityEvidence(ir)],
      'Give every Team spec.idpGroups: the identity-provider group whose members belong to it.',
    );
  },
};

export const costAttribution: PreflightPoint = {
  id: 'cost-attribution',
  title: 'Cost attribution',
  check({ ir }) {
    const problems: string[] = [];
    for (const team of ir.teams) if (!team.costCenter) problems.push(`team ${team.name} (${team.source.file}:${team.source.line}) has no costCenter`);
    const ownerCostCenter = new Map(ir.teams.map((t) => [t.name, t.costCenter]));
    for (const server of ir.servers) {
      const costCenter = server.costCenter ?? (server.owner ? ownerCostCenter.get(server.owner) : undefined);
      if (!costCenter) problems.push(`server ${server.name} (${server.source.file}:${server.source.line}) has no cost center, nor has its owner`);
      for (const tool of server.tools) {
        if (tool.costPerCall <= 0) problems.push(`tool ${server.name}/${tool.name} (${tool.source.file}:${tool.source.line}) has no costPerCall`);
      }
    }
    const tools = ir.servers.reduce((n, s) => n + s.tools.length, 0);
    const fine = [`${ir.teams.length} teams, ${ir.servers.length} servers, ${tools} tools`];
    const fix = 'Set costCenter on every Team and costPerCall (a nominal one for free tools) on every tool, so cost reports attribute every call.';
    return judged(problems, fine, fix);
  },
};
