// What one person can do: `gatehouse access --subject email:ADDRESS|user:IDP/SUB [--team NAME]…`. Teams do not list
// their members in the registry; a person is in a team when their token carries one of the team's
// identity-provider groups. So the answer is for the teams given (none: direct grants and grants
// to every authenticated user only), with each tool traced to the principals that grant it.
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { TOOLS_ENTRYPOINT, type PolicyEngine, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';
import { AUTHENTICATED, teamSubject } from './subjects.ts';
import { sortedLists } from './matrix.ts';

export interface PersonAccess {
  readonly subject: string;
  /** The teams the answer assumes the person is in (their token's groups). */
  readonly teams: readonly string[];
  /** Callable tools by server, from one evaluation with all the person's claims (what the gateway enforces). */
  readonly servers: Readonly<Record<string, readonly string[]>>;
  /** Callable public tool names by virtual server. */
  readonly virtualServers: Readonly<Record<string, readonly string[]>>;
  /** For each callable `server/tool`: the principals whose grants allow it on their own (`user:…`, `team:…`, `authenticated`). */
  readonly via: Readonly<Record<string, readonly string[]>>;
  /** How team membership is decided, for the reader. */
  readonly teamMapping: readonly { readonly team: string; readonly provider: string; readonly group: string; readonly claim: string }[];
  readonly notes: readonly string[];
}

/** A problem with the question (unknown team, no identity provider): a message for the user. */
export interface PersonAccessError {
  readonly error: string;
}

export function personAccess(engine: PolicyEngine, ir: Ir, subject: string, teams: readonly string[]): PersonAccess | PersonAccessError {
  const person = personIdentity(ir, subject);
  if ('error' in person) return person;
  const { provider, identity } = person;
  const known = teams.map((name) => ir.teams.find((team) => team.name === name));
  const unknown = teams.filter((_name, i) => known[i] === undefined);
  if (unknown.length > 0) return { error: `unknown team ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${ir.teams.map((t) => t.name).join(', ')}` };

  // The claims a token of this person would carry: their identity and their teams' groups.
  const teamClaims = known.filter((team) => team !== undefined).map((team) => teamSubject(ir, team));
  const groups = teamClaims.flatMap((t) => (t.claims?.[provider.groupsClaim] as string[] | undefined) ?? []);
  const whole = evaluate(engine, { iss: provider.issuer, ...identity, [provider.groupsClaim]: groups });

  // Each principal on its own, to say where each tool comes from.
  const sources: [string, ToolsResult | undefined][] = [
    [subject, evaluate(engine, { iss: provider.issuer, ...identity, [provider.groupsClaim]: [] })],
    [AUTHENTICATED, evaluate(engine, { iss: provider.issuer, sub: 'gatehouse-access:anyone', [provider.groupsClaim]: [] })],
    ...teamClaims.map((t): [string, ToolsResult | undefined] => [t.id, t.claims ? evaluate(engine, t.claims) : undefined]),
  ];
  const servers = sortedLists(whole?.servers ?? {});
  const via: Record<string, string[]> = {};
  for (const [server, tools] of Object.entries(servers)) {
    for (const tool of tools) {
      const from = sources.filter(([, result]) => result?.servers[server]?.includes(tool)).map(([id]) => id);
      // A direct grant shows as the user only when `authenticated` alone does not already allow it.
      via[`${server}/${tool}`] = from.includes(AUTHENTICATED) ? from.filter((id) => id !== subject) : from;
    }
  }
  const notes = [
    'Teams do not list their members: a person is in a team when their token carries one of its identity-provider groups ' +
      `(claim "${provider.groupsClaim}").` +
      (teams.length === 0 ? ' This answer assumes no team; pass --team NAME for each team the person is in.' : ''),
  ];
  for (const t of teamClaims) if (t.note) notes.push(`${t.id}: ${t.note}`);
  return {
    subject,
    teams: [...teams].sort(),
    servers,
    virtualServers: sortedLists(whole?.virtual_servers ?? {}),
    via,
    teamMapping: ir.teams.flatMap((t) => t.idpGroups.map((g) => ({ team: t.name, provider: g.provider, group: g.group, claim: provider.groupsClaim }))),
    notes,
  };
}

function evaluate(engine: PolicyEngine, claims: Readonly<Record<string, unknown>>): ToolsResult | undefined {
  return engine.evaluate(TOOLS_ENTRYPOINT, { jwt: { claims } }) as ToolsResult | undefined;
}

/**
 * The identity claims a token of this person carries, from the same principal forms grants use:
 * `user:<identity provider>/<sub>` (that provider's token with that `sub`) or `email:<address>`
 * (a verified email claim, from the first identity provider).
 */
function personIdentity(ir: Ir, subject: string): PersonAccessError | { provider: Ir['identityProviders'][number]; identity: Record<string, unknown> } {
  if (subject.startsWith('email:') && subject.length > 'email:'.length) {
    const provider = ir.identityProviders[0];
    if (!provider) return { error: 'the registry has no IdentityProvider, so no token (and no user) can be recognised' };
    return { provider, identity: { sub: 'gatehouse-access:person', [provider.emailClaim]: subject.slice('email:'.length), email_verified: true } };
  }
  const scoped = /^user:([^/]+)\/(.+)$/.exec(subject);
  if (!scoped) return { error: `"${subject}" is not email:<address> or user:<identity provider>/<sub>` };
  const provider = ir.identityProviders.find((p) => p.name === scoped[1]);
  if (!provider) return { error: `unknown identity provider "${scoped[1] ?? ''}"; known: ${ir.identityProviders.map((p) => p.name).join(', ')}` };
  return { provider, identity: { sub: scoped[2] } };
}
