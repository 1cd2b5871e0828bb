// Builds the IR from schema-valid, cross-checked documents: references followed, defaults applied
// (from defaults.ts only), tool selections expanded, everything sorted by name.
import { isIP } from 'node:net';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type {
  Ir,
  IrGateway,
  IrGrant,
  IrIdentityProvider,
  IrPublicTool,
  IrServer,
  IrTeam,
  IrUpstreamIdentity,
  IrVirtualServer,
} from '../ir/types.ts';
import type { McpServerSpec } from '../schema/mcp-server.ts';
import { GRANT_CAPABILITIES, type GrantMethod, type GrantSpec } from '../schema/grant.ts';
import type { SourceFile } from '../source/read-tree.ts';
import { servesVirtualServer } from '../validate/rules/gateways.ts';
import type { DocumentsByKind, RegistryDocument } from '../validate/registry-document.ts';
import { parseDurationMs } from '../util/duration.ts';
import { isGlob, selectTools } from '../util/glob.ts';
import { resolveGatewayAudit, resolveToolAudit } from './audit-settings.ts';
import { resolveCheckSettings } from './check-settings.ts';
import { DEFAULTS, subjectLimitDefaults } from './defaults.ts';
import { buildGuardrail } from './build-guardrail.ts';

export const TOOL_SEPARATOR = '__';

export function buildIr(docs: DocumentsByKind, referencedFiles: ReadonlyMap<string, SourceFile>): { value: Ir; diagnostics: Diagnostic[] } {
  const teamsByName = new Map(docs.Team.map((t) => [t.name, t]));
  const providersByName = new Map(docs.IdentityProvider.map((p) => [p.name, p]));
  const servers = sortByName(docs.McpServer.map((doc) => buildServer(doc, teamsByName, providersByName)));
  const serversByName = new Map(servers.map((s) => [s.name, s]));
  const gatewayDocs = docs.Gateway;
  const virtualServers = sortByName(docs.VirtualServer.map((doc) => buildVirtualServer(doc, serversByName, gatewayDocs)));
  const checkSettings = resolveCheckSettings(docs.CheckSettings);
  const ir: Ir = {
    servers,
    virtualServers,
    teams: sortByName(docs.Team.map(buildTeam)),
    identityProviders: sortByName(docs.IdentityProvider.map((doc) => buildIdentityProvider(doc, referencedFiles))),
    grants: sortByName(docs.Grant.map((doc) => buildGrant(doc, serversByName))),
    gateways: sortByName(gatewayDocs.map((doc) => buildGateway(doc, virtualServers))),
    checkSettings: checkSettings.value,
    guardrails: sortByName(docs.Guardrail.map((doc) => buildGuardrail(doc, virtualServers))),
  };
  return { value: ir, diagnostics: checkSettings.diagnostics };
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function buildServer(
  doc: RegistryDocument<'McpServer'>,
  teams: ReadonlyMap<string, RegistryDocument<'Team'>>,
  providers: ReadonlyMap<string, RegistryDocument<'IdentityProvider'>>,
): IrServer {
  const spec = doc.spec;
  const url = new URL(spec.upstream.url);
  const tls = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const costCenter = spec.costCenter ?? (spec.owner ? teams.get(spec.owner)?.spec.costCenter : undefined);
  return {
    name: doc.name,
    description: spec.description,
    ...(spec.owner ? { owner: spec.owner } : {}),
    ...(costCenter ? { costCenter } : {}),
    dataClassification: spec.dataClassification,
    region: spec.region,
    upstream: {
      url: spec.upstream.url,
      tls,
      host,
      port: url.port ? Number(url.port) : tls ? 443 : 80,
      hostIsIp: isIP(host) !== 0,
      path: url.pathname || '/',
      hostHeader: spec.upstream.hostHeader ?? url.host,
      timeoutMs: parseDurationMs(spec.upstream.timeout ?? DEFAULTS.upstreamTimeout),
      connectTimeoutMs: parseDurationMs(spec.upstream.connectTimeout ?? DEFAULTS.upstreamConnectTimeout),
      caFile: spec.upstream.caFile ?? DEFAULTS.caFile,
    },
    ...(spec.credential
      ? { credential: { secretRef: spec.credential.secretRef, header: spec.credential.header ?? DEFAULTS.credentialHeader } }
      : {}),
    ...upstreamIdentity(spec.upstream.identity, providers),
    tools: (spec.tools ?? [])
      .map((tool, i) => ({
        name: tool.name,
        description: tool.description ?? '',
        risk: tool.risk,
        costPerCall: tool.costPerCall ?? DEFAULTS.costPerCall,
        ...(tool.audit ? { audit: resolveToolAudit(tool.audit) } : {}),
        source: doc.at(['tools', i, 'name']),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    capabilities: [...(spec.capabilities ?? [])].sort(),
    toolPinning: spec.toolPinning ?? 'auto',
    source: doc.location,
  };
}

/** The validated identity (its provider exists and has a token endpoint, checked by rules/upstream-identities.ts). */
function upstreamIdentity(
  identity: McpServerSpec['upstream']['identity'],
  providers: ReadonlyMap<string, RegistryDocument<'IdentityProvider'>>,
): { identity?: IrUpstreamIdentity } {
  const tokenEndpoint = identity ? providers.get(identity.identityProvider)?.spec.tokenEndpoint : undefined;
  if (!identity || tokenEndpoint === undefined) return {};
  return {
    identity: {
      mode: identity.mode,
      identityProvider: identity.identityProvider,
      tokenEndpoint,
      clientId: identity.clientId,
      clientSecretRef: identity.clientSecretRef,
      audience: identity.audience,
      scopes: [...(identity.scopes ?? [])],
      header: identity.header ?? DEFAULTS.credentialHeader,
    },
  };
}

function buildVirtualServer(
  doc: RegistryDocument<'VirtualServer'>,
  servers: ReadonlyMap<string, IrServer>,
  gateways: readonly RegistryDocument<'Gateway'>[],
): IrVirtualServer {
  const members = doc.spec.members
    .map((m) => {
      const names = servers.get(m.server)?.tools.map((t) => t.name) ?? [];
      const tools = [...new Set(m.tools.flatMap((selector) => selectTools(selector, names)))].sort();
      return { server: m.server, tools };
    })
    .sort((a, b) => (a.server < b.server ? -1 : 1));
  const aggregated = members.length > 1;
  const tools: IrPublicTool[] = members
    .flatMap((m) => m.tools.map((tool) => ({ publicName: aggregated ? `${m.server}${TOOL_SEPARATOR}${tool}` : tool, server: m.server, tool })))
    .sort((a, b) => (a.publicName < b.publicName ? -1 : 1));
  return {
    name: doc.name,
    description: doc.spec.description,
    members,
    aggregated,
    tools,
    gateways: gateways
      .filter((g) => servesVirtualServer(g.name, g.spec.virtualServers, doc.name, doc.spec.gateways))
      .map((g) => g.name)
      .sort(),
    limits: { ...doc.spec.limits },
    source: doc.location,
  };
}

function buildTeam(doc: RegistryDocument<'Team'>): IrTeam {
  return {
    name: doc.name,
    description: doc.spec.description ?? '',
    ...(doc.spec.costCenter ? { costCenter: doc.spec.costCenter } : {}),
    clearance: doc.spec.clearance ?? DEFAULTS.teamClearance,
    idpGroups: [...doc.spec.idpGroups].sort((a, b) => (`${a.provider}/${a.group}` < `${b.provider}/${b.group}` ? -1 : 1)),
    source: doc.location,
  };
}

function buildIdentityProvider(doc: RegistryDocument<'IdentityProvider'>, files: ReadonlyMap<string, SourceFile>): IrIdentityProvider {
  const spec = doc.spec;
  const jwks: IrIdentityProvider['jwks'] = spec.jwks.file
    ? { inline: JSON.stringify(JSON.parse(files.get(spec.jwks.file)?.text ?? '{"keys":[]}')), file: spec.jwks.file }
    : { uri: spec.jwks.uri ?? '', cacheDurationMs: parseDurationMs(spec.jwks.cacheDuration ?? DEFAULTS.jwksCacheDuration), caFile: DEFAULTS.caFile };
  return {
    name: doc.name,
    issuer: spec.issuer,
    audiences: [...(spec.audiences ?? [])].sort(),
    jwks,
    authorizationServers: spec.authorizationServers ?? [spec.issuer],
    groupsClaim: spec.claims?.groups ?? DEFAULTS.groupsClaim,
    emailClaim: spec.claims?.email ?? DEFAULTS.emailClaim,
    scopes: [...(spec.scopes ?? [])].sort(),
    source: doc.location,
  };
}

function buildGrant(doc: RegistryDocument<'Grant'>, servers: ReadonlyMap<string, IrServer>): IrGrant {
  return {
    name: doc.name,
    description: doc.spec.description ?? '',
    subjects: [...new Set(doc.spec.subjects)].sort(),
    access: doc.spec.access.map((entry, i) => {
      const names = servers.get(entry.server)?.tools.map((t) => t.name) ?? [];
      return {
        server: entry.server,
        selectors: entry.tools,
        tools: [...new Set(entry.tools.flatMap((s) => selectTools(s, names)))].sort(),
        wildcard: entry.tools.some(isGlob),
        source: doc.at(['access', i]),
      };
    }),
    methods: grantedMethods(doc.spec),
    source: doc.location,
  };
}

/** The methods a grant's capabilities and methods name together; the default when it names neither. */
export function grantedMethods(spec: Pick<GrantSpec, 'capabilities' | 'methods'>): GrantMethod[] {
  if (spec.capabilities === undefined && spec.methods === undefined) return [...DEFAULTS.grantMethods];
  const fromCapabilities = (spec.capabilities ?? []).flatMap((c): readonly GrantMethod[] => GRANT_CAPABILITIES[c]);
  return [...new Set([...fromCapabilities, ...(spec.methods ?? [])])].sort();
}

const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The Host headers a gateway accepts: its public URL's authority (with and without the scheme's
 * default port, which clients may leave out or spell) and the allowed extra hosts. Host matching
 * is case-insensitive in Envoy, so names are lower-cased once here. A loopback public URL accepts
 * every loopback name with its port.
 */
export function acceptedHosts(publicUrl: string, allowed: readonly string[]): string[] {
  const url = new URL(publicUrl);
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  // A loopback URL is reachable by each loopback name alike; none of them is a rebinding name.
  const names = LOOPBACK_NAMES.includes(url.hostname) ? LOOPBACK_NAMES : [url.hostname];
  const own = names.flatMap((name) => (url.port === '' ? [name, `${name}:${defaultPort}`] : [`${name}:${url.port}`]));
  return [...new Set([...own, ...allowed].map((h) => h.toLowerCase()))].sort();
}

function buildGateway(doc: RegistryDocument<'Gateway'>, virtualServers: readonly IrVirtualServer[]): IrGateway {
  const spec = doc.spec;
  return {
    name: doc.name,
    fleet: spec.fleet,
    address: spec.listener.address,
    port: spec.listener.port,
    publicUrl: spec.publicUrl.replace(/\/$/, ''),
    hostnames: acceptedHosts(spec.publicUrl, spec.allowedHosts ?? DEFAULTS.allowedHosts),
    virtualServers: virtualServers.filter((vs) => vs.gateways.includes(doc.name)).map((vs) => vs.name),
    maxRequestBytes: spec.maxRequestBytes ?? DEFAULTS.maxRequestBytes,
    authzTimeoutMs: parseDurationMs(spec.authz?.timeout ?? DEFAULTS.authzTimeout),
    staticDecisions: spec.authz?.staticDecisions ?? 'ext_authz',
    trustedProxyHops: spec.trustedProxyHops ?? DEFAULTS.trustedProxyHops,
    ...(spec.tracing
      ? { tracing: { collector: spec.tracing.collector, samplingPercent: spec.tracing.samplingPercent ?? DEFAULTS.tracingSamplingPercent } }
      : {}),
    ...(spec.tls
      ? {
          tls: {
            certificateSecretRef: spec.tls.certificateSecretRef,
            minVersion: spec.tls.minVersion ?? 'TLSv1_2',
            ...(spec.tls.clientCertificates
              ? { clientCertificates: { caSecretRef: spec.tls.clientCertificates.caSecretRef, required: spec.tls.clientCertificates.required ?? true } }
              : {}),
          },
        }
      : {}),
    limits: { ...subjectLimitDefaults, ...spec.limits },
    audit: resolveGatewayAudit(spec.audit),
    source: doc.location,
  };
}
