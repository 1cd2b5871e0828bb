// Builds the audit catalog (artifacts/src/audit-catalog.ts) from the IR.
import type { AuditCatalog } from '../../../../artifacts/src/audit-catalog.ts';
import type { Ir } from '../../ir/types.ts';

export function buildAuditCatalog(ir: Ir): AuditCatalog {
  return {
    gateways: Object.fromEntries(ir.gateways.map((g) => [g.name, g.audit])),
    servers: Object.fromEntries(
      ir.servers.map((s) => [
        s.name,
        {
          costCenter: s.costCenter ?? null,
          tools: Object.fromEntries(
            s.tools.map((t) => [
              t.name,
              {
                costPerCall: t.costPerCall,
                ...(t.audit?.arguments ? { arguments: t.audit.arguments } : {}),
                redact: t.audit?.redact ?? [],
                ...(t.audit?.results ? { results: t.audit.results, resultBytes: t.audit.resultBytes ?? 4096 } : {}),
              },
            ]),
          ),
        },
      ]),
    ),
    teams: Object.fromEntries(ir.teams.map((t) => [t.name, { costCenter: t.costCenter ?? null }])),
    issuers: Object.fromEntries(ir.identityProviders.map((p) => [p.issuer, { emailClaim: p.emailClaim }])),
  };
}
