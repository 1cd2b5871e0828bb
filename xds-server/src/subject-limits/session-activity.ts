// What an allowed request tells the session counts (subject-counters.ts): a request that carries a
// session (ext_authz has checked it is the caller's own; the upstream's id is in it) keeps it in use; a DELETE
// ends it, so its slot is free again. Run after session binding, on every ext_authz decision, and on
// the access-log entries of the requests RBAC decided.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { filterMetadataOf, verifiedSession } from '../session-binding/verified-session.ts';
import { allowingRbacPolicy } from '../authz/rbac-decided.ts';
import { sessionKey, type SubjectCounters } from './subject-counters.ts';

export function recordSessionActivity(counters: SubjectCounters, input: PolicyInput | undefined, decision: Decision): void {
  const upstreamId = input ? verifiedSession(filterMetadataOf(input))?.upstreamId : undefined;
  if (!decision.allowed || !input || upstreamId === undefined) return;
  const key = sessionKey(input.mcp.virtual_server ?? '', upstreamId);
  const method = (input.attributes.request as { http?: { method?: unknown } } | undefined)?.http?.method;
  if (method === 'DELETE') counters.endSession(key);
  else counters.touchSession(key);
}

/**
 * A request Envoy's RBAC filter allowed in a session made no ext_authz call: its access-log entry
 * (off the request's path) keeps the session in use instead. `filterMetadata` is the entry's.
 */
export function recordLoggedSessionActivity(counters: SubjectCounters, filterMetadata: Readonly<Record<string, unknown>>): void {
  if (allowingRbacPolicy(filterMetadata) === undefined) return;
  const session = verifiedSession(filterMetadata);
  if (session) counters.touchSession(sessionKey(session.virtualServer, session.upstreamId));
}
