// The base policy's subject rules (base-policy/gatehouse/subject/) as conditions on the verified
// JWT payload that jwt_authn puts in dynamic metadata: who holds a principal, who is in a team.
// These are the residuals of the subject package with the claims unknown, written once here for
// every registry (the package is Gatehouse's own; organisation rules are evaluated by OPA, see
// compiler/src/partial/); test/policy/rbac-equivalence.test.ts checks them against the Wasm policy.
import type { PolicyData } from '../policy/policy-data.ts';

/** A condition on the JWT payload's claims. */
export type Condition =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly of: readonly Condition[] }
  | { readonly kind: 'or'; readonly of: readonly Condition[] }
  | { readonly kind: 'not'; readonly of: Condition }
  /** A claim is the string `equals`, or (list) holds the string `contains`, or is the boolean true. */
  | { readonly kind: 'claim'; readonly claim: string; readonly test: ClaimTest };

export type ClaimTest = { readonly equals: string } | { readonly contains: string } | { readonly isTrue: true };

export const TRUE: Condition = { kind: 'true' };
export const FALSE: Condition = { kind: 'false' };

export function and(...of: Condition[]): Condition {
  const parts = of.flatMap((c) => (c.kind === 'and' ? c.of : [c])).filter((c) => c.kind !== 'true');
  if (parts.some((c) => c.kind === 'false')) return FALSE;
  return parts.length === 0 ? TRUE : parts.length === 1 ? (parts[0] as Condition) : { kind: 'and', of: parts };
}

export function or(...of: Condition[]): Condition {
  const parts = of.flatMap((c) => (c.kind === 'or' ? c.of : [c])).filter((c) => c.kind !== 'false');
  if (parts.some((c) => c.kind === 'true')) return TRUE;
  return parts.length === 0 ? FALSE : parts.length === 1 ? (parts[0] as Condition) : { kind: 'or', of: parts };
}

export function not(of: Condition): Condition {
  if (of.kind === 'true') return FALSE;
  if (of.kind === 'false') return TRUE;
  return of.kind === 'not' ? of.of : { kind: 'not', of };
}

const claim = (name: string, test: ClaimTest): Condition => ({ kind: 'claim', claim: name, test });

/** The token comes from `provider` (identity.rego: the issuer names a known provider). */
function issuedBy(data: PolicyData, provider: string): Condition {
  if (!(provider in data.registry.identity_providers)) return FALSE;
  const issuers = Object.entries(data.registry.issuers).filter(([, name]) => name === provider).map(([issuer]) => issuer).sort();
  return or(...issuers.map((issuer) => claim('iss', { equals: issuer })));
}

function providers(data: PolicyData): string[] {
  return Object.keys(data.registry.identity_providers).sort();
}

/** teams.rego: the groups claim is a list holding the group, or the group itself. */
function inGroup(data: PolicyData, provider: string, group: string): Condition {
  const config = data.registry.identity_providers[provider];
  if (!config) return FALSE;
  return and(issuedBy(data, provider), or(claim(config.groups_claim, { contains: group }), claim(config.groups_claim, { equals: group })));
}

/** The caller is in `team` (teams.rego). */
export function inTeam(data: PolicyData, team: string): Condition {
  const config = data.registry.teams[team];
  if (!config) return FALSE;
  return or(...config.idp_groups.map((g) => inGroup(data, g.provider, g.group)));
}

/** The caller's teams are exactly `teams`, of the registry's `all`. */
export function teamsExactly(data: PolicyData, teams: readonly string[], all: readonly string[]): Condition {
  return and(...all.map((team) => (teams.includes(team) ? inTeam(data, team) : not(inTeam(data, team)))));
}

/** The caller holds `principal` (principals.rego); a principal of an unknown form is held by no one. */
export function holds(data: PolicyData, principal: string): Condition {
  if (principal === 'authenticated') return or(...providers(data).map((p) => issuedBy(data, p)));
  if (principal.startsWith('team:')) return inTeam(data, principal.slice('team:'.length));
  if (principal.startsWith('user:')) {
    const rest = principal.slice('user:'.length);
    const slash = rest.indexOf('/');
    const sub = rest.slice(slash + 1);
    // id is "" without a sub, and "" names no user.
    return slash < 0 || sub === '' ? FALSE : and(issuedBy(data, rest.slice(0, slash)), claim('sub', { equals: sub }));
  }
  if (principal.startsWith('email:')) {
    const email = principal.slice('email:'.length);
    if (email === '') return FALSE;
    return or(
      ...providers(data).map((p) => {
        const emailClaim = data.registry.identity_providers[p]?.email_claim ?? 'email';
        return and(issuedBy(data, p), claim(emailClaim, { equals: email }), claim('email_verified', { isTrue: true }));
      }),
    );
  }
  return FALSE;
}
