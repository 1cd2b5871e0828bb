// The control plane's access-log sink: each Envoy access-log entry becomes an audit record, which
// feeds the MCP metrics at once and the audit log (durably, in order, per gateway).
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import type { Metrics } from '../admin/metrics.ts';
import type { Logger } from '../log.ts';
import { observeMcpRequest } from '../telemetry/mcp-metrics.ts';
import { auditRecordOf } from './access-log-record.ts';
import type { AuditLog } from './audit-log.ts';
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import { type AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';

export interface AuditSinkDependencies {
  readonly log?: AuditLog;
  readonly metrics: Metrics;
  readonly catalog: () => AuditCatalog | undefined;
  readonly logger: Logger;
  /** Adds the decision metadata to entries Envoy's RBAC filter decided (rbac-decision.ts). */
  readonly completeEntry?: (entry: AccessLogEntry) => AccessLogEntry;
  /** Sees each record as it is made (the catalog page's recent activity). */
  readonly observe?: (record: AuditRequest, catalog: AuditCatalog | undefined) => void;
}

/** Handles one batch of entries; the promise settles when the batch is on disk (or failed). */
export function auditSink(deps: AuditSinkDependencies): (entries: readonly AccessLogEntry[]) => Promise<void> {
  return async (entries) => {
    const catalog = deps.catalog();
    const complete = deps.completeEntry;
    const records = (complete ? entries.map(complete) : entries).map(auditRecordOf);
    for (const record of records) {
      observeMcpRequest(deps.metrics, record, catalog);
      deps.observe?.(record, catalog);
    }
    if (!deps.log) return;
    try {
      await deps.log.append(records);
      for (const record of records) deps.metrics.auditRecords.inc({ gateway: record.gateway });
    } catch (error) {
      deps.metrics.auditWriteErrors.inc();
      deps.logger.log('error', 'audit records lost', { records: records.length, error: error instanceof Error ? error.message : String(error) });
    }
  };
}
