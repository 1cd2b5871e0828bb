// The policy's view of the registry: `data.registry` in the bundle. Keys are sorted and indexes are
// precomputed (grants by subject, providers by issuer), so Rego does lookups, not scans.
import type { Ir } from '../../ir/types.ts';
import { CLASSIFICATIONS, RISK_LEVELS } from '../../schema/common.ts';

/** The JSON document stored as `data.json` in the bundle (under the `registry` key). */
export interface PolicyData {
  readonly registry: {
    readonly servers: Record<string, PolicyServer>;
    readonly virtual_servers: Record<string, PolicyVirtualServer>;
    readonly teams: Record<string, PolicyTeam>;
    readonly identity_providers: Record<string, PolicyIdentityProvider>;
    readonly issuers: Record<string, string>;
    readonly grants: Record<string, PolicyGrant>;
    readonly grants_by_subject: Record<string, readonly PolicyGrantEntry[]>;
    readonly classification_rank: Record<string, number>;
    readonly risk_rank: Record<string, number>;
  };
}

export interface PolicyServer {
  readonly owner: string | null;
  readonly cost_center: string | null;
  readonly data_classification: string;
  readonly region: string;
  readonly tools: Record<string, { readonly risk: string; readonly cost_per_call: number }>;
}

export interface PolicyVirtualServer {
  readonly aggregated: boolean;
  readonly servers: readonly string[];
  /** Public tool name → the server and tool behind it. */
  readonly tools: Record<string, { readonly server: string; readonly tool: string }>;
}

export interface PolicyTeam {
  readonly cost_center: string | null;
  readonly clearance: string;
  readonly idp_groups: readonly { readonly provider: string; readonly group: string }[];
}

export interface PolicyIdentityProvider {
  readonly issuer: string;
  readonly groups_claim: string;
  readonly email_claim: string;
}

export interface PolicyGrant {
  readonly subjects: readonly string[];
  readonly methods: readonly string[];
}

/** One access entry of a grant, filed under each of its subjects. */
export interface PolicyGrantEntry {
  readonly grant: string;
  readonly server: string;
  readonly tools: readonly string[];
  readonly methods: readonly string[];
}

export function buildPolicyData(ir: Ir): PolicyData {
  const grantsBySubject: Record<string, PolicyGrantEntry[]> = {};
  for (const grant of ir.grants) {
    for (const subject of grant.subjects) {
      const list = (grantsBySubject[subject] ??= []);
      for (const access of grant.access) {
        list.push({ grant: grant.name, server: access.server, tools: access.tools, methods: grant.methods });
      }
    }
  }
  return {
    registry: {
      servers: Object.fromEntries(
        ir.servers.map((s) => [
          s.name,
          {
            owner: s.owner ?? null,
            cost_center: s.costCenter ?? null,
            data_classification: s.dataClassification,
            region: s.region,
            tools: Object.fromEntries(s.tools.map((t) => [t.name, { risk: t.risk, cost_per_call: t.costPerCall }])),
          },
        ]),
      ),
      virtual_servers: Object.fromEntries(
        ir.virtualServers.map((vs) => [
          vs.name,
          {
            aggregated: vs.aggregated,
            servers: vs.members.map((m) => m.server),
            tools: Object.fromEntries(vs.tools.map((t) => [t.publicName, { server: t.server, tool: t.tool }])),
          },
        ]),
      ),
      teams: Object.fromEntries(
        ir.teams.map((t) => [t.name, { cost_center: t.costCenter ?? null, clearance: t.clearance, idp_groups: t.idpGroups }]),
      ),
      identity_providers: Object.fromEntries(
        ir.identityProviders.map((p) => [p.name, { issuer: p.issuer, groups_claim: p.groupsClaim, email_claim: p.emailClaim }]),
      ),
      issuers: Object.fromEntries(ir.identityProviders.map((p) => [p.issuer, p.name])),
      grants: Object.fromEntries(ir.grants.map((g) => [g.name, { subjects: g.subjects, methods: g.methods }])),
      grants_by_subject: sortKeys(grantsBySubject),
      classification_rank: Object.fromEntries(CLASSIFICATIONS.map((c, i) => [c, i])),
      risk_rank: Object.fromEntries(RISK_LEVELS.map((r, i) => [r, i])),
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
