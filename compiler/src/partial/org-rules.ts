// [impure: runs opa] Where the organisation rules let each tool of each virtual server be decided:
// OPA partially evaluates data.gatehouse.authz.org_denials for a tools/call of the tool with the
// subject and the rest of the request unknown (residual.ts says what the residual reads); for the
// tools whose denial depends only on the caller's teams, one plain evaluation then computes it for
// every set of teams the registry can give a caller.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inWorkspace, isRegoTest, policyFolders } from '../emit/policy/opa.ts';
import type { PolicyData } from '../emit/policy/policy-data.ts';
import { readBasePolicy } from '../source/base-policy.ts';
import type { SourceFile } from '../source/read-tree.ts';
import { run } from '../../../toolchain/src/run.ts';
import { requireTool } from '../../../toolchain/src/tools.ts';
import { orgRuleDependence, type OrgRuleDependence } from './residual.ts';

/** A tools/call of one public tool name on one virtual server. */
export interface ToolCall {
  readonly virtualServer: string;
  readonly name: string;
}

export type OrgRuleOutcome =
  | Exclude<OrgRuleDependence, { kind: 'teams' }>
  /** The sets of teams (sorted names) for which a rule denies the call; every other set is not denied. */
  | { readonly kind: 'teams'; readonly deniedTeamSets: readonly (readonly string[])[] }
  /** The teams the rules depend on are too many to enumerate. */
  | { readonly kind: 'too-many-teams'; readonly teams: number };

/** Team sets are enumerated up to this many teams (2^8 sets per tool); beyond, such tools go to ext_authz. */
export const MAX_ENUMERATED_TEAMS = 8;

/** Unknown during partial evaluation: everything about the caller and the request but what routing fixed. */
const UNKNOWNS = [
  'data.gatehouse.subject', 'input.jwt', 'input.attributes', 'input.parsed_body', 'input.parsed_path', 'input.parsed_query',
  'input.truncated_body', 'input.version', 'input.mcp.arguments', 'input.mcp.id', 'input.mcp.uri',
];

export async function orgRuleOutcomes(
  policyFiles: readonly SourceFile[],
  data: PolicyData,
  calls: readonly ToolCall[],
): Promise<{ outcomes: Map<string, OrgRuleOutcome>; errors: string[] }> {
  const sources = [...readBasePolicy('build'), ...policyFiles.filter((f) => !isRegoTest(f.path) && f.text !== undefined)];
  const outcomes = new Map<string, OrgRuleOutcome>();
  const errors: string[] = [];
  await inWorkspace(sources, async (dir) => {
    writeFileSync(join(dir, 'data.json'), JSON.stringify(data));
    const folders = [...policyFolders(sources), 'data.json'];
    const dependence = await mapLimited(calls, 2, async (call) => partiallyEvaluate(dir, folders, call));
    const teamCalls: ToolCall[] = [];
    for (const [index, call] of calls.entries()) {
      const result = dependence[index];
      if (result === undefined || typeof result === 'string') {
        errors.push(result ?? 'no result');
        outcomes.set(callKey(call), { kind: 'request', reads: ['(partial evaluation failed)'] });
      } else if (result.kind === 'teams') teamCalls.push(call);
      else outcomes.set(callKey(call), result);
    }
    const teams = Object.keys(data.registry.teams).sort();
    if (teamCalls.length === 0) return;
    if (teams.length > MAX_ENUMERATED_TEAMS) {
      for (const call of teamCalls) outcomes.set(callKey(call), { kind: 'too-many-teams', teams: teams.length });
      return;
    }
    const denied = await deniedTeamSets(dir, folders, teamCalls, teams);
    if (typeof denied === 'string') {
      errors.push(denied);
      for (const call of teamCalls) outcomes.set(callKey(call), { kind: 'request', reads: ['(evaluation failed)'] });
      return;
    }
    for (const [index, call] of teamCalls.entries()) outcomes.set(callKey(call), { kind: 'teams', deniedTeamSets: denied[index] ?? [] });
  });
  return { outcomes, errors };
}

export function callKey(call: ToolCall): string {
  return `${call.virtualServer}\u0000${call.name}`;
}

function toolsCall(call: ToolCall) {
  return { method: 'tools/call', name: call.name, virtual_server: call.virtualServer };
}

async function partiallyEvaluate(dir: string, folders: readonly string[], call: ToolCall): Promise<OrgRuleDependence | string> {
  const args = ['eval', '--partial', '--format', 'json', '--stdin-input', ...UNKNOWNS.flatMap((u) => ['--unknowns', u])];
  args.push(...folders.flatMap((f) => ['-d', f]), 'data.gatehouse.authz.org_denials[message]');
  const result = await run(requireTool('opa'), args, { cwd: dir, input: JSON.stringify({ mcp: toolsCall(call) }) });
  if (result.code !== 0) return `opa eval --partial for ${call.virtualServer}/${call.name}: ${(result.stderr || result.stdout).trim()}`;
  return orgRuleDependence((JSON.parse(result.stdout) as { partial?: unknown }).partial);
}

/**
 * For each call, the team sets a rule denies it for: every subset of the registry's teams is put in
 * place of data.gatehouse.subject.teams (the residual read nothing else of the caller or request).
 */
async function deniedTeamSets(dir: string, folders: readonly string[], calls: readonly ToolCall[], teams: readonly string[]) {
  const subsets: string[][] = [];
  for (let mask = 0; mask < 1 << teams.length; mask++) subsets.push(teams.filter((_, bit) => (mask & (1 << bit)) !== 0));
  const query = [
    'denied := [sets |',
    '  some call in input.calls',
    '  sets := [set |',
    '    some set in input.subsets',
    '    teams := {team | some team in set}',
    '    count(data.gatehouse.authz.org_denials) > 0 with input as {"mcp": call} with data.gatehouse.subject.teams as teams',
    '  ]',
    ']',
  ].join('\n');
  const args = ['eval', '--format', 'json', '--stdin-input', ...folders.flatMap((f) => ['-d', f]), query];
  const result = await run(requireTool('opa'), args, { cwd: dir, input: JSON.stringify({ calls: calls.map(toolsCall), subsets }) });
  if (result.code !== 0) return `opa eval of the organisation rules per team set: ${(result.stderr || result.stdout).trim()}`;
  const parsed = JSON.parse(result.stdout) as { result?: { bindings?: { denied?: string[][][] } }[] };
  const denied = parsed.result?.[0]?.bindings?.denied;
  if (!Array.isArray(denied) || denied.length !== calls.length) return 'opa eval of the organisation rules per team set: unexpected output';
  return denied;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      results[index] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
