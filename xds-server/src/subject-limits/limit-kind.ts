// Which per-subject limit refused a request, read from its access-log record: Envoy's
// local_ratelimit answers with details `local_rate_limited`; the session-binding processor's
// refusals carry the details limit-refusal.ts gives them.
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import type { LimitKind } from '../../../artifacts/src/subject-limits.ts';

const BY_DETAILS: Readonly<Record<string, LimitKind>> = {
  local_rate_limited: 'calls-per-second',
  gatehouse_sessions_limit: 'sessions',
  gatehouse_streams_limit: 'streams',
};

export function limitKind(record: Pick<AuditRequest, 'http'>): LimitKind | undefined {
  return record.http.status === 429 ? BY_DETAILS[record.http.details] : undefined;
}
