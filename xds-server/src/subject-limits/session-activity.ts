// What an allowed request tells the session counts (subject-counters.ts): a request that carries a
// session (ext_authz has checked it is the caller's own and unwrapped it) keeps it in use; a DELETE
// ends it, so its slot is free again. Run after session binding, on every ext_authz decision.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { SESSION_HEADER } from '../session-binding/bind-session.ts';
import { sessionKey, type SubjectCounters } from './subject-counters.ts';

export function recordSessionActivity(counters: SubjectCounters, input: PolicyInput | undefined, decision: Decision): void {
  const upstreamId = decision.headers?.[SESSION_HEADER];
  if (!decision.allowed || !input || typeof upstreamId !== 'string') return;
  const key = sessionKey(input.mcp.virtual_server ?? '', upstreamId);
  const method = (input.attributes.request as { http?: { method?: unknown } } | undefined)?.http?.method;
  if (method === 'DELETE') counters.endSession(key);
  else counters.touchSession(key);
}
