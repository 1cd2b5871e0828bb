// Who can call what, from the policy itself: one evaluation of the bundle's tools entrypoint per
// subject with the claims a token of that subject would carry (the same evaluation the gateway's
// tools/list filtering and the PR access diff use), so organisation rules such as clearance apply.
// The subjects are built here; access-evaluator.ts evaluates them (cached, yielding to traffic).
import { TOOLS_ENTRYPOINT, type PolicyEngine, type ToolsResult } from '../../../artifacts/src/policy/engine.ts';
import type { RegistryData, RegistryProvider } from '../artifacts/registry-data.ts';
import type { PersonSeen } from './recent-activity.ts';

export interface AccessRow {
  /** `team:<name>`, `authenticated`, or a person (`email:…`, `user:…`, or as seen in requests). */
  readonly subject: string;
  /** Where the row comes from, for the reader. */
  readonly source: string;
  /** The teams the row assumes (a person's teams). */
  readonly teams: readonly string[];
  /** Callable tools by server; empty when none or when no token can be that subject (see note). */
  readonly servers: Readonly<Record<string, readonly string[]>>;
  readonly note?: string;
}

/** A subject to evaluate: the claims a token of it would carry, or why no token can be it (`note`). */
export interface AccessSubject {
  readonly subject: string;
  readonly source: string;
  readonly teams: readonly string[];
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly note?: string;
}

type Claims = Record<string, unknown>;

/** One subject per team, then `authenticated` (any signed-in user in no team). */
export function teamSubjects(registry: RegistryData): AccessSubject[] {
  const subjects = Object.entries(registry.teams).map(([team, spec]): AccessSubject => {
    const subject = `team:${team}`;
    const mapping = spec.idpGroups.find((g) => registry.identityProviders[g.provider] !== undefined);
    const provider = mapping && registry.identityProviders[mapping.provider];
    if (!mapping || !provider) {
      return { subject, source: 'no identity-provider group', teams: [team], note: 'no identity-provider group maps to this team: no token belongs to it' };
    }
    const claims = { iss: provider.issuer, sub: `gatehouse-catalog:${team}`, [provider.groupsClaim]: [mapping.group] };
    return { subject, source: `members: identity-provider group ${mapping.provider}/${mapping.group}`, teams: [team], claims };
  });
  const first = firstProvider(registry);
  const anyone = { subject: 'authenticated', source: 'any signed-in user, in no team', teams: [] };
  subjects.push(
    first
      ? { ...anyone, claims: { iss: first.issuer, sub: 'gatehouse-catalog', [first.groupsClaim]: [] } }
      : { ...anyone, note: 'no identity provider is defined' },
  );
  return subjects;
}

/**
 * One subject per person the registry names in a grant (`email:`, `user:`), then per person seen
 * in recent requests with the teams of their last request: teams list no members in the registry
 * (a person is in a team when their token carries its group), so these are the people known here.
 */
export function personSubjects(registry: RegistryData, seen: readonly PersonSeen[]): AccessSubject[] {
  const named = Object.keys(registry.grantsBySubject)
    .filter((s) => s.startsWith('email:') || s.startsWith('user:'))
    .sort()
    .map((subject) => namedPerson(registry, subject));
  return [...named, ...seen.map((person) => seenPerson(registry, person))];
}

function namedPerson(registry: RegistryData, subject: string): AccessSubject {
  const source = 'named in a grant (alone: their teams add more)';
  if (subject.startsWith('email:')) {
    const provider = firstProvider(registry);
    if (!provider) return { subject, source, teams: [], note: 'no identity provider is defined' };
    const email = subject.slice('email:'.length);
    const claims = { iss: provider.issuer, sub: 'gatehouse-catalog:person', [provider.emailClaim]: email, email_verified: true, [provider.groupsClaim]: [] };
    return { subject, source, teams: [], claims };
  }
  const [name = '', ...rest] = subject.slice('user:'.length).split('/');
  const provider = registry.identityProviders[name];
  if (!provider || rest.length === 0) return { subject, source, teams: [], note: `identity provider "${name}" is not defined` };
  return { subject, source, teams: [], claims: { iss: provider.issuer, sub: rest.join('/'), [provider.groupsClaim]: [] } };
}

function seenPerson(registry: RegistryData, person: PersonSeen): AccessSubject {
  const groups = person.teams.flatMap((team) => registry.teams[team]?.idpGroups ?? []);
  const providerName = groups[0]?.provider ?? Object.keys(registry.identityProviders)[0];
  const provider = providerName === undefined ? undefined : registry.identityProviders[providerName];
  const source = `seen ${person.lastSeen}, teams of that request`;
  if (!provider) return { subject: person.person, source, teams: person.teams, note: 'no identity provider is defined' };
  const claims: Claims = {
    iss: provider.issuer,
    sub: person.sub ?? 'gatehouse-catalog:person',
    [provider.groupsClaim]: groups.filter((g) => g.provider === providerName).map((g) => g.group),
    ...(person.email === null ? {} : { [provider.emailClaim]: person.email, email_verified: true }),
  };
  return { subject: person.person, source, teams: person.teams, claims };
}

/** One evaluation of the tools entrypoint for a subject (synchronous: a few hundred microseconds to a millisecond). */
export function evaluateAccess(engine: PolicyEngine, subject: AccessSubject): AccessRow {
  const row = { subject: subject.subject, source: subject.source, teams: subject.teams };
  if (!subject.claims) return { ...row, servers: {}, ...(subject.note ? { note: subject.note } : {}) };
  try {
    const result = engine.evaluate(TOOLS_ENTRYPOINT, { jwt: { claims: subject.claims } }) as ToolsResult | undefined;
    return { ...row, servers: sorted(result?.servers ?? {}) };
  } catch (error) {
    return { ...row, servers: {}, note: `the policy did not evaluate: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function firstProvider(registry: RegistryData): RegistryProvider | undefined {
  return Object.values(registry.identityProviders)[0];
}

function sorted(record: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, tools]) => tools.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([server, tools]) => [server, [...tools].sort()]),
  );
}
