// The development identity provider's users, derived from the registry: one member per team (in the
// team's identity-provider group), one signed-in user with no team, and every `user:` subject a grant
// names. The login page lists them and `gatehouse token` mints for them. Pure.
import { resourceUrl, type Ir, type IrIdentityProvider } from '../../../compiler/src/ir/types.ts';

export interface DevUser {
  /** The `sub` claim. */
  readonly sub: string;
  readonly email: string;
  /** The identity-provider groups in the token's groups claim. */
  readonly groups: readonly string[];
  /** The registry teams those groups map to (for the login page). */
  readonly teams: readonly string[];
  /** Why this user exists, for the login page and error messages. */
  readonly note: string;
}

/** The user with no team: a grant to `authenticated` is all it has. */
export const SIGNED_IN_USER = 'someone@example.com';

/** The identity provider the development IdP plays: the first one with a local issuer. */
export function devIdentityProvider(ir: Ir): IrIdentityProvider | undefined {
  return ir.identityProviders.find((p) => ['127.0.0.1', 'localhost'].includes(new URL(p.issuer).hostname));
}

export function teamMemberEmail(team: string): string {
  return `${team}-member@example.com`;
}

export function devDirectory(ir: Ir, provider: IrIdentityProvider): DevUser[] {
  const users: DevUser[] = [];
  for (const team of ir.teams) {
    const groups = team.idpGroups.filter((m) => m.provider === provider.name).map((m) => m.group);
    if (groups.length === 0) continue;
    users.push({ sub: `${team.name}-member`, email: teamMemberEmail(team.name), groups, teams: [team.name], note: `member of team ${team.name}` });
  }
  users.push({ sub: 'someone', email: SIGNED_IN_USER, groups: [], teams: [], note: 'signed in, no team' });
  const named = new Set(ir.grants.flatMap((g) => g.subjects).filter((s) => s.startsWith('user:')).map((s) => s.slice('user:'.length)));
  for (const id of [...named].sort()) {
    if (users.some((u) => u.email === id || u.sub === id)) continue;
    const email = id.includes('@') ? id : `${id}@example.com`;
    users.push({ sub: id.includes('@') ? id.slice(0, id.indexOf('@')) : id, email, groups: [], teams: [], note: `named by a grant (user:${id})` });
  }
  return users;
}

/** A user by email or sub. */
export function findUser(users: readonly DevUser[], id: string): DevUser | undefined {
  return users.find((u) => u.email === id) ?? users.find((u) => u.sub === id);
}

/** The member of a team, if an identity-provider group of this provider maps to the team. */
export function teamMember(users: readonly DevUser[], team: string): DevUser | undefined {
  return users.find((u) => u.teams.includes(team));
}

/**
 * The audiences a token must carry to reach these virtual servers: the provider's explicit audiences,
 * or (RFC 8707) each virtual server's resource URL on every gateway serving it.
 */
export function devAudiences(ir: Ir, provider: IrIdentityProvider, virtualServers?: readonly string[]): string[] {
  if (provider.audiences.length > 0) return [...provider.audiences];
  return ir.gateways.flatMap((g) => g.virtualServers.filter((vs) => !virtualServers || virtualServers.includes(vs)).map((vs) => resourceUrl(g, vs)));
}
