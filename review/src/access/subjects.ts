// The subjects of an access matrix: each team, recognised by the claims a member's token would
// carry, and "any authenticated user" (a token from a known provider, in no team).
import type { Ir, IrTeam } from '../../../compiler/src/ir/types.ts';

export interface MatrixSubject {
  /** `team:<name>` or `authenticated`. */
  readonly id: string;
  /** The verified claims the policy sees for this subject; undefined when no token can make one. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly note?: string;
}

export const AUTHENTICATED = 'authenticated';

export function matrixSubjects(ir: Ir): MatrixSubject[] {
  const subjects = ir.teams.map((team) => teamSubject(ir, team));
  const provider = ir.identityProviders[0];
  subjects.push(
    provider
      ? { id: AUTHENTICATED, claims: { iss: provider.issuer, sub: 'gatehouse-access-matrix', [provider.groupsClaim]: [] } }
      : { id: AUTHENTICATED, note: 'no identity provider is defined' },
  );
  return subjects;
}

export function teamSubject(ir: Ir, team: IrTeam): MatrixSubject {
  const id = `team:${team.name}`;
  const mapping = team.idpGroups.find((g) => ir.identityProviders.some((p) => p.name === g.provider));
  const provider = mapping && ir.identityProviders.find((p) => p.name === mapping.provider);
  if (!mapping || !provider) return { id, note: 'no identity-provider group maps to this team, so no token can belong to it' };
  return { id, claims: { iss: provider.issuer, sub: `gatehouse-access-matrix:${team.name}`, [provider.groupsClaim]: [mapping.group] } };
}
