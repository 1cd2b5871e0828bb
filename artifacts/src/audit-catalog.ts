// The audit catalog: what the control plane needs from the registry to keep the audit log, price
// tool calls and label metrics. Compiled into the artifacts (AUDIT_CATALOG_FILE) so the version
// that decides a request is the version that records and prices it.
import type { ArgumentMode } from './audit/audit-line.ts';

export interface AuditCatalog {
  /** Per gateway: how its audit log is kept and how arguments are recorded by default. */
  readonly gateways: Readonly<Record<string, GatewayAuditSettings>>;
  readonly servers: Readonly<Record<string, CatalogServer>>;
  readonly teams: Readonly<Record<string, { readonly costCenter: string | null }>>;
  /** Per token issuer: the claim holding the subject's email. */
  readonly issuers: Readonly<Record<string, { readonly emailClaim: string }>>;
}

export interface CatalogServer {
  /** The server's cost center (its own, else its owner team's): charged for its calls that no team's cost center covers. */
  readonly costCenter: string | null;
  readonly tools: Readonly<Record<string, CatalogTool>>;
}

export interface CatalogTool {
  readonly costPerCall: number;
  /** The tool's own argument mode; absent: the gateway's. */
  readonly arguments?: ArgumentMode;
  /** Paths redacted on top of the gateway's. */
  readonly redact: readonly string[];
  /** What audit records keep of the tool's results (xds-server/src/audit/audit-result.ts); absent: nothing. */
  readonly results?: 'digest' | 'payload';
  /** The largest payload kept whole, in bytes. */
  readonly resultBytes?: number;
}

/** How the control plane keeps a gateway's audit log (docs/observability.md). */
export interface GatewayAuditSettings {
  /** How tool call arguments appear by default (tools may say `raw`). */
  readonly arguments: 'digest' | 'redacted';
  /** Argument paths redacted in every tool call. */
  readonly redact: readonly string[];
  readonly rotateBytes: number;
  readonly rotateAgeMs: number;
  /** Keep at most this many files; absent: no limit. */
  readonly retainFiles?: number;
  /** Delete closed files older than this; absent: no limit. */
  readonly retainAgeMs?: number;
  readonly checkpointRecords: number;
  readonly checkpointIntervalMs: number;
}

/** A catalog read from an artifact folder must at least have these maps. */
export function isAuditCatalog(value: unknown): value is AuditCatalog {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['gateways', 'servers', 'teams', 'issuers'].every((key) => v[key] !== null && typeof v[key] === 'object');
}

/**
 * The registry's default audit settings, for records from a gateway the catalog does not name.
 * The compiler's defaults resolve to exactly this (compiler/src/resolve/audit-settings.test.ts).
 */
export const DEFAULT_GATEWAY_AUDIT: GatewayAuditSettings = {
  arguments: 'digest',
  redact: [],
  rotateBytes: 67_108_864,
  rotateAgeMs: 86_400_000,
  checkpointRecords: 1000,
  checkpointIntervalMs: 60_000,
};
