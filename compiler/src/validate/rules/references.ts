// Rule: every name a document refers to (server, team, identity provider, gateway, virtual server) exists.
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.ts';
import type { Kind } from '../../schema/kinds.ts';
import { closest } from '../../util/closest.ts';
import type { RuleContext } from './context.ts';

export function references(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (kind: Kind, name: string, location: SourceLocation, what: string) => {
    const known = ctx.byName(kind);
    if (known.has(name) || ctx.isInvalid(kind, name)) return;
    const guess = closest(name, [...known.keys()]);
    out.push({
      code: 'unknown-reference',
      severity: 'error',
      message: `${what} refers to ${kind} "${name}", which does not exist${guess ? ` (did you mean "${guess}"?)` : ''}`,
      location,
      hint: known.size ? `Known ${kind} names: ${[...known.keys()].sort().join(', ')}.` : `No ${kind} is defined; add one under registry/.`,
    });
  };

  for (const doc of ctx.docs.McpServer) {
    if (doc.spec.owner) check('Team', doc.spec.owner, doc.at(['owner']), `McpServer "${doc.name}" owner`);
  }
  for (const doc of ctx.docs.VirtualServer) {
    doc.spec.members.forEach((m, i) => check('McpServer', m.server, doc.at(['members', i, 'server']), `VirtualServer "${doc.name}"`));
    doc.spec.gateways?.forEach((g, i) => check('Gateway', g, doc.at(['gateways', i]), `VirtualServer "${doc.name}"`));
  }
  for (const doc of ctx.docs.Team) {
    doc.spec.idpGroups.forEach((g, i) =>
      check('IdentityProvider', g.provider, doc.at(['idpGroups', i, 'provider']), `Team "${doc.name}"`),
    );
  }
  for (const doc of ctx.docs.Grant) {
    doc.spec.subjects.forEach((s, i) => {
      if (s.startsWith('team:')) check('Team', s.slice(5), doc.at(['subjects', i]), `Grant "${doc.name}" subject`);
    });
    doc.spec.access.forEach((a, i) => check('McpServer', a.server, doc.at(['access', i, 'server']), `Grant "${doc.name}"`));
  }
  for (const doc of ctx.docs.Gateway) {
    doc.spec.virtualServers?.forEach((v, i) => check('VirtualServer', v, doc.at(['virtualServers', i]), `Gateway "${doc.name}"`));
  }
  return out;
}
