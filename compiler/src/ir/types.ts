// The intermediate representation: the registry with every reference followed and every default
// applied. Typed, read-only and sorted by name, it is the contract between validation and the
// emitters (xDS, policy data, access diff). Every node records where it came from.
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { GateCode, GateLevel } from '../schema/check-settings.ts';
import type { Classification, RiskLevel } from '../schema/common.ts';
import type { Governance } from '../schema/governance.ts';
import type { GrantMethod } from '../schema/grant.ts';
import type { ServerCapability } from '../schema/capabilities.ts';
import type { GuardrailRule } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import type { GatewayAuditSettings } from '../../../artifacts/src/audit-catalog.ts';
import type { IrRestApi } from './rest.ts';
import type { UpstreamIdentityEntry } from '../../../artifacts/src/upstream-identity/identity-table.ts';

export interface Ir {
  readonly servers: readonly IrServer[];
  readonly virtualServers: readonly IrVirtualServer[];
  readonly teams: readonly IrTeam[];
  readonly identityProviders: readonly IrIdentityProvider[];
  readonly grants: readonly IrGrant[];
  readonly gateways: readonly IrGateway[];
  /** How `gatehouse check` judges changes: the CheckSettings document with defaults applied. */
  readonly checkSettings: IrCheckSettings;
  /** Content rules on tool calls, each with the client-facing tools it covers. */
  readonly guardrails: readonly IrGuardrail[];
}

/** A Guardrail with defaults applied and its attachments resolved to (virtual server, public tool) pairs (sorted). */
export interface IrGuardrail {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly GuardrailRule[];
  readonly maxBodyBytes: number;
  readonly tools: readonly { readonly virtualServer: string; readonly publicTool: string }[];
  readonly source: SourceLocation;
}

export interface IrTool {
  readonly name: string;
  readonly description: string;
  readonly risk: RiskLevel;
  readonly costPerCall: number;
  /** How calls of this tool are recorded in the audit log; absent: as the gateway says. */
  readonly audit?: IrToolAudit;
  readonly source: SourceLocation;
}

/** An upstream MCP endpoint, split into the parts Envoy needs. */
export interface IrUpstream {
  readonly url: string;
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  /** True when host is an IP literal (served by EDS), false for a DNS name (LOGICAL_DNS). */
  readonly hostIsIp: boolean;
  readonly path: string;
  /** The Host header the server receives: `upstream.hostHeader`, else the URL's authority. */
  readonly hostHeader: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** The CA bundle that verifies an https upstream's certificate. */
  readonly caFile: string;
}

export interface IrServer {
  readonly name: string;
  readonly description: string;
  readonly owner?: string;
  readonly costCenter?: string;
  readonly dataClassification: Classification;
  readonly region: string;
  readonly upstream: IrUpstream;
  /** The secret reference and the header Envoy sets from it; the value is resolved by the control plane. */
  readonly credential?: { readonly secretRef: string; readonly header: string };
  /** How the control plane fetches upstream tokens (token exchange per caller, or client credentials); absent: `credential` or none. */
  readonly identity?: IrUpstreamIdentity;
  readonly tools: readonly IrTool[];
  /** What the server declares besides tools (sorted); empty: tools only. */
  readonly capabilities: readonly ServerCapability[];
  /** A REST service generated from an OpenAPI document (ir/rest.ts): Envoy's mcp_json_rest_bridge answers for it. */
  readonly rest?: IrRestApi;
  /** Whether pinned tool definitions are enforced (tools.lock.yaml); `auto`: when the lock has the server. */
  readonly toolPinning: 'auto' | 'enforced' | 'off';
  readonly source: SourceLocation;
}

/** A tool as a virtual server's clients see it. */
export interface IrPublicTool {
  /** `tool` with one member, `<server>__<tool>` with several (Envoy mcp_router's naming). */
  readonly publicName: string;
  readonly server: string;
  readonly tool: string;
}

export interface IrVirtualServer {
  readonly name: string;
  readonly description: string;
  readonly members: readonly { readonly server: string; readonly tools: readonly string[] }[];
  /** True when the endpoint aggregates several servers through mcp_router. */
  readonly aggregated: boolean;
  readonly tools: readonly IrPublicTool[];
  readonly gateways: readonly string[];
  /** The limits this virtual server sets itself; the rest are its gateway's (effectiveLimits). */
  readonly limits: Partial<IrSubjectLimits>;
  readonly source: SourceLocation;
}

/** Per-subject limits of a virtual server, every default applied (schema/subject-limits.ts). */
export interface IrSubjectLimits {
  readonly callsPerSecond: number;
  readonly burst: number;
  readonly sessions: number;
  readonly streams: number;
}

export interface IrTeam {
  readonly name: string;
  readonly description: string;
  readonly costCenter?: string;
  readonly clearance: Classification;
  readonly idpGroups: readonly { readonly provider: string; readonly group: string }[];
  readonly source: SourceLocation;
}

export interface IrIdentityProvider {
  readonly name: string;
  readonly issuer: string;
  /** Explicit audiences; when empty, each virtual server's resource URL is the audience. */
  readonly audiences: readonly string[];
  readonly jwks: { readonly uri: string; readonly cacheDurationMs: number; readonly caFile: string } | { readonly inline: string; readonly file: string };
  readonly authorizationServers: readonly string[];
  readonly groupsClaim: string;
  readonly emailClaim: string;
  readonly scopes: readonly string[];
  readonly source: SourceLocation;
}

/** One grant entry, with its tool selection expanded to concrete tool names. */
export interface IrGrantAccess {
  readonly server: string;
  readonly selectors: readonly string[];
  readonly tools: readonly string[];
  /** True when a selector is a glob (`*`, `search_*`). */
  readonly wildcard: boolean;
  readonly source: SourceLocation;
}

export interface IrGrant {
  readonly name: string;
  readonly description: string;
  readonly subjects: readonly string[];
  readonly access: readonly IrGrantAccess[];
  readonly methods: readonly GrantMethod[];
  readonly source: SourceLocation;
}

export interface IrGateway {
  readonly name: string;
  readonly fleet: string;
  readonly address: string;
  readonly port: number;
  readonly publicUrl: string;
  /** The Host headers accepted (Envoy virtual host domains): the public URL's authority and the allowed hosts. */
  readonly hostnames: readonly string[];
  readonly virtualServers: readonly string[];
  readonly maxRequestBytes: number;
  readonly authzTimeoutMs: number;
  /** Where statically decidable tool calls are decided (compiler/src/partial/). */
  readonly staticDecisions: 'rbac' | 'ext_authz';
  /** Proxies in front of the gateway trusted to append to X-Forwarded-For (Envoy's xff_num_trusted_hops). */
  readonly trustedProxyHops: number;
  readonly tracing?: { readonly collector: string; readonly samplingPercent: number };
  /** Downstream TLS; absent: plain HTTP. */
  readonly tls?: IrGatewayTls;
  /** The per-subject limits of the virtual servers served here, unless one sets its own. */
  readonly limits: IrSubjectLimits;
  readonly audit: IrGatewayAudit;
  readonly source: SourceLocation;
}

/** How the control plane keeps a gateway's audit log (docs/observability.md). */
export type IrGatewayAudit = GatewayAuditSettings;

/** A tool's own audit settings. */
export interface IrToolAudit {
  readonly arguments?: 'digest' | 'redacted' | 'raw';
  /** Argument paths redacted on top of the gateway's. */
  readonly redact: readonly string[];
  /** What the audit keeps of results; absent: nothing. */
  readonly results?: 'digest' | 'payload';
  readonly resultBytes?: number;
}

/** The resource URL of a virtual server on a gateway (RFC 9728 `resource`, RFC 8707 audience). */
export function resourceUrl(gateway: Pick<IrGateway, 'publicUrl'>, virtualServer: string): string {
  return `${gateway.publicUrl}/mcp/${virtualServer}`;
}

/** The settings of `gatehouse check`, every default applied. */
export interface IrCheckSettings {
  /** The level of every gate. */
  readonly gates: Readonly<Record<GateCode, GateLevel>>;
  /** The least Rego test coverage (percent) the rego-coverage gate accepts. */
  readonly regoCoverageThreshold: number;
  /** Globs of the hosts upstreams may point at; empty allows any host. */
  readonly allowedHosts: readonly string[];
  /** Globs of the regions servers may run in; empty allows any region. */
  readonly allowedRegions: readonly string[];
  /** The tool risk levels treated as high risk. */
  readonly highRisk: readonly RiskLevel[];
  /** The secretRefs several servers may share (or whose server may change host), with those servers. */
  readonly sharedSecretRefs: readonly { readonly secretRef: string; readonly servers: readonly string[] }[];
  /** The declarations `gatehouse preflight` reads (CheckSettings.spec.governance), as written. */
  readonly governance?: Governance;
  /** The CheckSettings document, when the registry has one. */
  readonly source?: SourceLocation;
}

/** A gateway's downstream TLS: secret references the control plane resolves and serves over SDS. */
export interface IrGatewayTls {
  readonly certificateSecretRef: string;
  readonly minVersion: 'TLSv1_2' | 'TLSv1_3';
  readonly clientCertificates?: { readonly caSecretRef: string; readonly required: boolean };
}

/** McpServer `upstream.identity`, resolved: the token endpoint comes from the named IdentityProvider (the artifact's entry, as is). */
export type IrUpstreamIdentity = UpstreamIdentityEntry;
