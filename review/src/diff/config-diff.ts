// The configuration diff between two revisions' IRs: servers (with their upstream URLs and tools),
// virtual servers, identity providers, teams and gateways added, removed or changed. Each object is
// flattened to named fields first, so a change reads as `upstream.url: a → b`.
import { createHash } from 'node:crypto';
import type { Ir, IrGateway, IrIdentityProvider, IrServer, IrTeam, IrVirtualServer } from '../../../compiler/src/ir/types.ts';
import type { SourceLocation } from '../../../compiler/src/diagnostics/diagnostic.ts';

export type ConfigKind = 'server' | 'virtual-server' | 'identity-provider' | 'team' | 'gateway';

/** One field that differs; a side is absent when the field is not set there. */
export interface FieldChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

export interface ConfigChange {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The fields that differ; for an added or removed object, its defining fields. */
  readonly fields: readonly FieldChange[];
  /** Where the object is defined in the head revision (absent when removed). */
  readonly source?: SourceLocation;
}

/** Every change, sorted by kind (in ConfigKind order) and name. */
export interface ConfigDiff {
  readonly changes: readonly ConfigChange[];
}

type Fields = Readonly<Record<string, string>>;

interface KindSpec<T> {
  readonly kind: ConfigKind;
  readonly items: (ir: Ir) => readonly (T & { name: string; source: SourceLocation })[];
  readonly fields: (item: T) => Fields;
  /** The fields shown for an added or removed object. */
  readonly summary: readonly string[];
}

const KINDS = [
  {
    kind: 'server',
    items: (ir) => ir.servers,
    fields: serverFields,
    summary: ['upstream.url', 'dataClassification', 'region', 'owner', 'credential', 'upstream.identity'],
  } satisfies KindSpec<IrServer>,
  { kind: 'virtual-server', items: (ir) => ir.virtualServers, fields: virtualServerFields, summary: ['tools'] } satisfies KindSpec<IrVirtualServer>,
  {
    kind: 'identity-provider',
    items: (ir) => ir.identityProviders,
    fields: identityProviderFields,
    summary: ['issuer'],
  } satisfies KindSpec<IrIdentityProvider>,
  { kind: 'team', items: (ir) => ir.teams, fields: teamFields, summary: ['idpGroups', 'clearance'] } satisfies KindSpec<IrTeam>,
  { kind: 'gateway', items: (ir) => ir.gateways, fields: gatewayFields, summary: ['fleet', 'listener', 'publicUrl'] } satisfies KindSpec<IrGateway>,
] as const;

export function diffConfig(base: Ir, head: Ir): ConfigDiff {
  return { changes: KINDS.flatMap((spec) => diffKind(spec as KindSpec<unknown>, base, head)) };
}

function diffKind<T>(spec: KindSpec<T>, base: Ir, head: Ir): ConfigChange[] {
  const before = new Map(spec.items(base).map((item) => [item.name, item]));
  const after = new Map(spec.items(head).map((item) => [item.name, item]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ConfigChange[] = [];
  for (const name of names) {
    const b = before.get(name);
    const a = after.get(name);
    if (!b && a) {
      changes.push({ kind: spec.kind, name, change: 'added', fields: pick(spec.fields(a), spec.summary, 'after'), source: a.source });
    } else if (b && !a) {
      changes.push({ kind: spec.kind, name, change: 'removed', fields: pick(spec.fields(b), spec.summary, 'before') });
    } else if (a && b) {
      const fields = diffFields(spec.fields(b), spec.fields(a));
      if (fields.length > 0) changes.push({ kind: spec.kind, name, change: 'changed', fields, source: a.source });
    }
  }
  return changes;
}

function pick(fields: Fields, names: readonly string[], side: 'before' | 'after'): FieldChange[] {
  return names.filter((field) => fields[field] !== undefined).map((field) => ({ field, [side]: fields[field] }));
}

function diffFields(before: Fields, after: Fields): FieldChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((field) => before[field] !== after[field])
    .map((field) => ({
      field,
      ...(before[field] !== undefined ? { before: before[field] } : {}),
      ...(after[field] !== undefined ? { after: after[field] } : {}),
    }));
}

/** Drops undefined values, so an unset field is absent rather than "undefined". */
function defined(record: Record<string, string | undefined>): Fields {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '(none)');

function serverFields(s: IrServer): Fields {
  const tools = Object.fromEntries(s.tools.map((t) => [`tools.${t.name}`, `risk ${t.risk}, cost ${t.costPerCall}`]));
  return defined({
    owner: s.owner,
    costCenter: s.costCenter,
    dataClassification: s.dataClassification,
    region: s.region,
    'upstream.url': s.upstream.url,
    'upstream.timeout': `${s.upstream.timeoutMs}ms`,
    'upstream.connectTimeout': `${s.upstream.connectTimeoutMs}ms`,
    'upstream.caFile': s.upstream.tls ? s.upstream.caFile : undefined,
    // Where the credential goes, never its value: a moved host changes this field too, so a credential
    // sent to a new host always shows in the diff.
    credential: s.credential ? `secretRef ${s.credential.secretRef} to ${s.upstream.host} (header ${s.credential.header})` : undefined,
    // How the gateway authenticates upstream: a change of mode (static secret, per-caller token exchange,
    // service token) changes what the server learns about callers.
    'upstream.identity': upstreamIdentityField(s),
    ...tools,
  });
}

/** Absent for the default (the static `credential`, or none), so servers that never use `identity` diff as before. */
function upstreamIdentityField(s: IrServer): string | undefined {
  const id = s.identity;
  if (!id) return undefined;
  const scopes = id.scopes.length > 0 ? `, scopes ${id.scopes.join(' ')}` : '';
  return `${id.mode} at ${id.identityProvider} for audience ${id.audience} (client ${id.clientId}, secretRef ${id.clientSecretRef}${scopes})`;
}

function virtualServerFields(vs: IrVirtualServer): Fields {
  return defined({ tools: list(vs.tools.map((t) => t.publicName)), gateways: list(vs.gateways) });
}

function identityProviderFields(p: IrIdentityProvider): Fields {
  return defined({
    issuer: p.issuer,
    audiences: p.audiences.length > 0 ? list(p.audiences) : undefined,
    jwks: 'uri' in p.jwks ? p.jwks.uri : `file ${p.jwks.file}`,
    'jwks.keys': 'inline' in p.jwks ? `sha256:${createHash('sha256').update(p.jwks.inline).digest('hex').slice(0, 12)}` : undefined,
    authorizationServers: list(p.authorizationServers),
    'claims.groups': p.groupsClaim,
    'claims.email': p.emailClaim,
    scopes: p.scopes.length > 0 ? list(p.scopes) : undefined,
  });
}

function teamFields(t: IrTeam): Fields {
  return defined({ clearance: t.clearance, costCenter: t.costCenter, idpGroups: list(t.idpGroups.map((g) => `${g.provider}/${g.group}`)) });
}

function gatewayFields(g: IrGateway): Fields {
  return defined({
    fleet: g.fleet,
    listener: `${g.address}:${g.port}`,
    publicUrl: g.publicUrl,
    hostnames: list(g.hostnames),
    virtualServers: list(g.virtualServers),
    maxRequestBytes: String(g.maxRequestBytes),
    'authz.timeout': `${g.authzTimeoutMs}ms`,
    tracing: g.tracing ? `${g.tracing.collector} at ${g.tracing.samplingPercent}%` : undefined,
  });
}
