// The catalog page's content, from the loaded artifact set, the access rows the policy gives
// (access-evaluator.ts) and the recent activity: a pure function, so the page is tested without HTTP.
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import type { AccessRow } from './access-matrix.ts';
import type { CatalogSource } from './catalog-source.ts';
import type { PublishedEndpoint } from '../artifacts/published-endpoints.ts';
import type { ActivitySnapshot } from './recent-activity.ts';

/** What the model needs of a loaded artifact set (xds-server/src/artifacts/load.ts). */
export interface CatalogArtifacts {
  readonly version: string;
  readonly sourceRevision: string;
  readonly engine: PolicyEngine;
  readonly catalogSource: CatalogSource;
  readonly signedBy?: string;
}

export interface CatalogInput {
  /** Absent before the first set loads. */
  readonly artifacts?: CatalogArtifacts;
  readonly loadedAt?: string;
  /** Who can call what, evaluated from `artifacts` (catalog-page.ts). */
  readonly access?: { readonly byTeam: readonly AccessRow[]; readonly byPerson: readonly AccessRow[] };
  readonly activity: ActivitySnapshot;
  readonly now: Date;
}

export interface CatalogTool {
  readonly name: string;
  readonly risk: string;
  readonly costPerCall: number;
}

export interface CatalogServer {
  readonly name: string;
  readonly owner: string | null;
  readonly costCenter: string | null;
  readonly classification: string | null;
  readonly region: string | null;
  readonly tools: readonly CatalogTool[];
}

export interface CatalogVirtualServer {
  readonly name: string;
  readonly aggregated: boolean;
  /** Each member server and the public tool names it contributes. */
  readonly members: readonly { readonly server: string; readonly tools: readonly string[] }[];
  readonly endpoints: readonly PublishedEndpoint[];
}

export interface CatalogTeam {
  readonly name: string;
  readonly clearance: string | null;
  readonly costCenter: string | null;
  readonly groups: readonly string[];
  /** Allowed tool calls and their cost since `activity.since`, from this control plane's records. */
  readonly calls: number;
  readonly cost: number;
}

export interface CatalogModel {
  readonly generatedAt: string;
  readonly artifact?: { readonly version: string; readonly sourceRevision: string; readonly loadedAt?: string; readonly signedBy?: string };
  readonly servers: readonly CatalogServer[];
  readonly virtualServers: readonly CatalogVirtualServer[];
  readonly teams: readonly CatalogTeam[];
  /** Calls attributed to no registry team (`none`, `other`). */
  readonly otherCosts: readonly { readonly team: string; readonly calls: number; readonly cost: number }[];
  readonly accessByTeam: readonly AccessRow[];
  readonly accessByPerson: readonly AccessRow[];
  readonly activity: ActivitySnapshot;
}

const byName = <T extends { readonly name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function catalogModel(input: CatalogInput): CatalogModel {
  const { artifacts, activity } = input;
  const base = { generatedAt: input.now.toISOString(), activity };
  if (!artifacts) {
    return { ...base, servers: [], virtualServers: [], teams: [], otherCosts: activity.costs, accessByTeam: [], accessByPerson: [] };
  }
  const { registry, endpoints } = artifacts.catalogSource;
  const servers = Object.entries(registry.servers).map(([name, s]): CatalogServer => ({
    name,
    owner: s.owner,
    costCenter: s.costCenter,
    classification: s.classification,
    region: s.region,
    tools: Object.entries(s.tools).map(([tool, t]) => ({ name: tool, risk: t.risk, costPerCall: t.costPerCall })).sort(byName),
  }));
  const virtualServers = Object.entries(registry.virtualServers).map(([name, v]): CatalogVirtualServer => ({
    name,
    aggregated: v.aggregated,
    members: v.servers.map((server) => ({
      server,
      tools: Object.entries(v.tools).filter(([, t]) => t.server === server).map(([publicName]) => publicName).sort(),
    })),
    endpoints: endpoints.get(name) ?? [],
  }));
  const costOf = (team: string) => activity.costs.find((c) => c.team === team);
  const teams = Object.entries(registry.teams).map(([name, t]): CatalogTeam => ({
    name,
    clearance: t.clearance,
    costCenter: t.costCenter,
    groups: t.idpGroups.map((g) => `${g.provider}/${g.group}`),
    calls: costOf(name)?.calls ?? 0,
    cost: costOf(name)?.cost ?? 0,
  }));
  return {
    ...base,
    artifact: {
      version: artifacts.version,
      sourceRevision: artifacts.sourceRevision,
      ...(input.loadedAt ? { loadedAt: input.loadedAt } : {}),
      ...(artifacts.signedBy ? { signedBy: artifacts.signedBy } : {}),
    },
    servers: servers.sort(byName),
    virtualServers: virtualServers.sort(byName),
    teams: teams.sort(byName),
    otherCosts: activity.costs.filter((c) => registry.teams[c.team] === undefined),
    accessByTeam: input.access?.byTeam ?? [],
    accessByPerson: input.access?.byPerson ?? [],
  };
}
