// Where each tools/call is decided: by Envoy's RBAC filter (the grants and organisation rules decide
// it from the caller's claims alone) or by ext_authz (the control plane's Wasm policy, for what RBAC
// cannot see: arguments, headers, time, external data). Everything that is not a tools/call of a
// tool placed on RBAC (discovery, resources, prompts, unknown names) stays with ext_authz.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { PolicyData } from '../emit/policy/policy-data.ts';
import type { SourceFile } from '../source/read-tree.ts';
import { callKey, MAX_ENUMERATED_TEAMS, orgRuleOutcomes, type OrgRuleOutcome, type ToolCall } from './org-rules.ts';

export type DecisionLayer = 'rbac' | 'ext_authz';

export interface ToolPlacement {
  readonly virtualServer: string;
  /** The public tool name (what params.name carries). */
  readonly name: string;
  readonly server: string;
  readonly tool: string;
  readonly layer: DecisionLayer;
  /** Why, in a sentence for the access report. */
  readonly reason: string;
  /** The principals a grant lets call it (grants_by_subject keys). */
  readonly principals: readonly string[];
  /** RBAC only: the team sets an organisation rule denies it for (a caller's exact set of teams). */
  readonly deniedTeamSets: readonly (readonly string[])[];
  /** RBAC only: an organisation rule denies it to everyone. */
  readonly alwaysDenied: boolean;
}

const NO_TEAM_RULE = { deniedTeamSets: [], alwaysDenied: false } as const;

export interface StaticDecisions {
  readonly placements: readonly ToolPlacement[];
  /** The registry's teams, in the order deniedTeamSets were enumerated against. */
  readonly teams: readonly string[];
}

/**
 * `pinnedServers`: servers whose tool definitions the control plane checks (tool pinning); their
 * calls stay with ext_authz, where a changed or unpinned tool is refused. `identityServers`: servers
 * with an upstream identity; their calls stay with ext_authz, which fetches the token they need.
 */
export async function placeToolCalls(
  policyFiles: readonly SourceFile[],
  data: PolicyData,
  pinnedServers: ReadonlySet<string> = new Set(),
  identityServers: ReadonlySet<string> = new Set(),
): Promise<{ decisions: StaticDecisions; errors: string[] }> {
  const calls: (ToolCall & { server: string; tool: string })[] = [];
  for (const [virtualServer, config] of Object.entries(data.registry.virtual_servers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const [name, target] of Object.entries(config.tools).sort(([a], [b]) => (a < b ? -1 : 1))) calls.push({ virtualServer, name, ...target });
  }
  const { outcomes, errors } = await orgRuleOutcomes(policyFiles, data, calls);
  const placements = calls.map((call): ToolPlacement => {
    const principals = grantedPrincipals(data, call.server, call.tool);
    const outcome: OrgRuleOutcome = outcomes.get(callKey(call)) ?? { kind: 'request', reads: ['(not evaluated)'] };
    const base = { virtualServer: call.virtualServer, name: call.name, server: call.server, tool: call.tool, principals };
    if (identityServers.has(call.server)) {
      return { ...base, layer: 'ext_authz', reason: 'upstream identity: the control plane fetches the server\'s token for each call', ...NO_TEAM_RULE };
    }
    if (pinnedServers.has(call.server)) {
      return { ...base, layer: 'ext_authz', reason: 'tool pinning: the control plane checks the tool\'s definition before each call', ...NO_TEAM_RULE };
    }
    switch (outcome.kind) {
      case 'request':
        return { ...base, layer: 'ext_authz', reason: `organisation rules read ${outcome.reads.join(', ')}`, ...NO_TEAM_RULE };
      case 'too-many-teams':
        return {
          ...base,
          layer: 'ext_authz',
          reason: `organisation rules read the caller's teams, and ${String(outcome.teams)} teams exceed the ${String(MAX_ENUMERATED_TEAMS)} enumerated`,
          ...NO_TEAM_RULE,
        };
      case 'always':
        return { ...base, layer: 'rbac', reason: 'an organisation rule denies it to every caller', deniedTeamSets: [], alwaysDenied: true };
      case 'never':
        return { ...base, layer: 'rbac', reason: principals.length > 0 ? 'grants only' : 'no grant', ...NO_TEAM_RULE };
      case 'teams':
        return {
          ...base,
          layer: 'rbac',
          reason: outcome.deniedTeamSets.length > 0 ? "grants, minus the teams' callers an organisation rule denies" : 'grants only',
          deniedTeamSets: outcome.deniedTeamSets,
          alwaysDenied: false,
        };
    }
  });
  return { decisions: { placements, teams: Object.keys(data.registry.teams).sort() }, errors };
}

/** The principals whose grant entries cover tools/call of `tool` on `server` (permits.rego: granting_grants). */
export function grantedPrincipals(data: PolicyData, server: string, tool: string): string[] {
  const out: string[] = [];
  for (const [principal, entries] of Object.entries(data.registry.grants_by_subject)) {
    if (entries.some((e) => e.server === server && e.tools.includes(tool) && e.methods.includes('tools/call'))) out.push(principal);
  }
  return out.sort();
}

/**
 * OPA failed on the organisation rules (the tools it could not evaluate were placed on ext_authz,
 * so nothing is allowed that the Wasm policy would deny); the compile stops so it is seen.
 */
export function staticDecisionError(message: string): Diagnostic {
  return { code: 'static-decisions', severity: 'error', message };
}
