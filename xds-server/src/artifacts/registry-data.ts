// The registry as the policy bundle carries it (data.json's `registry`): the same data the policy
// decides with, read tolerantly (a field not found is shown as missing, never fatal), so what the
// catalog page and the registry API show can never stop an artifact set from loading.

export interface RegistryTool {
  readonly risk: string;
  readonly costPerCall: number;
}

export interface RegistryServer {
  readonly owner: string | null;
  readonly costCenter: string | null;
  readonly classification: string | null;
  readonly region: string | null;
  readonly tools: Readonly<Record<string, RegistryTool>>;
}

export interface RegistryTeam {
  readonly clearance: string | null;
  readonly costCenter: string | null;
  readonly idpGroups: readonly { readonly provider: string; readonly group: string }[];
}

export interface RegistryVirtualServer {
  readonly aggregated: boolean;
  readonly servers: readonly string[];
  /** Public tool name -> the member server's tool. */
  readonly tools: Readonly<Record<string, { readonly server: string; readonly tool: string }>>;
}

export interface RegistryProvider {
  readonly issuer: string;
  readonly groupsClaim: string;
  readonly emailClaim: string;
}

export interface RegistryData {
  readonly servers: Readonly<Record<string, RegistryServer>>;
  readonly teams: Readonly<Record<string, RegistryTeam>>;
  readonly virtualServers: Readonly<Record<string, RegistryVirtualServer>>;
  readonly identityProviders: Readonly<Record<string, RegistryProvider>>;
  /** The principals grants name (`team:…`, `email:…`, `user:…`, `authenticated`) and what each grant gives them. */
  readonly grantsBySubject: Readonly<Record<string, readonly { readonly grant: string; readonly server: string; readonly tools: readonly string[] }[]>>;
}

type Loose = Readonly<Record<string, unknown>>;

const record = (value: unknown): Loose => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {});
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');
const mapValues = <T>(value: unknown, f: (v: Loose) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(record(value)).map(([k, v]) => [k, f(record(v))]));

/** Reads the registry out of a bundle's data document. */
export function registryDataOf(bundleData: unknown): RegistryData {
  const registry = record(record(bundleData).registry);
  return {
    servers: mapValues(registry.servers, (s) => ({
      owner: text(s.owner),
      costCenter: text(s.cost_center),
      classification: text(s.data_classification),
      region: text(s.region),
      tools: mapValues(s.tools, (t) => ({ risk: text(t.risk) ?? 'unknown', costPerCall: typeof t.cost_per_call === 'number' ? t.cost_per_call : 0 })),
    })),
    teams: mapValues(registry.teams, (t) => ({
      clearance: text(t.clearance),
      costCenter: text(t.cost_center),
      idpGroups: list(t.idp_groups).map(record).map((g) => ({ provider: text(g.provider) ?? '', group: text(g.group) ?? '' })),
    })),
    virtualServers: mapValues(registry.virtual_servers, (v) => ({
      aggregated: v.aggregated === true,
      servers: strings(v.servers),
      tools: mapValues(v.tools, (t) => ({ server: text(t.server) ?? '', tool: text(t.tool) ?? '' })),
    })),
    identityProviders: mapValues(registry.identity_providers, (p) => ({
      issuer: text(p.issuer) ?? '',
      groupsClaim: text(p.groups_claim) ?? 'groups',
      emailClaim: text(p.email_claim) ?? 'email',
    })),
    grantsBySubject: Object.fromEntries(
      Object.entries(record(registry.grants_by_subject)).map(([subject, entries]) => [
        subject,
        list(entries).map(record).map((e) => ({ grant: text(e.grant) ?? '', server: text(e.server) ?? '', tools: strings(e.tools) })),
      ]),
    ),
  };
}
