// The audit catalog: what the control plane needs from the registry to keep the audit log, price
// tool calls and label metrics. Compiled into the artifacts (audit/catalog.json) so the version
// that decides a request is the version that records and prices it.
import type { ArgumentMode } from '../../audit/audit-line.ts';
import type { Ir, IrGatewayAudit } from '../../ir/types.ts';

export const AUDIT_CATALOG_FILE = 'audit/catalog.json';

export interface AuditCatalog {
  /** Per gateway: how its audit log is kept and how arguments are recorded by default. */
  readonly gateways: Readonly<Record<string, IrGatewayAudit>>;
  readonly servers: Readonly<Record<string, CatalogServer>>;
  readonly teams: Readonly<Record<string, { readonly costCenter: string | null }>>;
  /** Per token issuer: the claim holding the subject's email. */
  readonly issuers: Readonly<Record<string, { readonly emailClaim: string }>>;
}

export interface CatalogServer {
  /** The server's cost center (its own, else its owner team's). */
  readonly costCenter: string | null;
  readonly tools: Readonly<Record<string, CatalogTool>>;
}

export interface CatalogTool {
  readonly costPerCall: number;
  /** The tool's own argument mode; absent: the gateway's. */
  readonly arguments?: ArgumentMode;
  /** Paths redacted on top of the gateway's. */
  readonly redact: readonly string[];
}

export function buildAuditCatalog(ir: Ir): AuditCatalog {
  return {
    gateways: Object.fromEntries(ir.gateways.map((g) => [g.name, g.audit])),
    servers: Object.fromEntries(
      ir.servers.map((s) => [
        s.name,
        {
          costCenter: s.costCenter ?? null,
          tools: Object.fromEntries(
            s.tools.map((t) => [t.name, { costPerCall: t.costPerCall, ...(t.audit?.arguments ? { arguments: t.audit.arguments } : {}), redact: t.audit?.redact ?? [] }]),
          ),
        },
      ]),
    ),
    teams: Object.fromEntries(ir.teams.map((t) => [t.name, { costCenter: t.costCenter ?? null }])),
    issuers: Object.fromEntries(ir.identityProviders.map((p) => [p.issuer, { emailClaim: p.emailClaim }])),
  };
}

/** A catalog read from an artifact folder must at least have these maps. */
export function isAuditCatalog(value: unknown): value is AuditCatalog {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['gateways', 'servers', 'teams', 'issuers'].every((key) => v[key] !== null && typeof v[key] === 'object');
}
