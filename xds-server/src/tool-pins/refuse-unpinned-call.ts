// The tools/call side of tool pinning: an allowed call to a tool whose definition is not the pinned
// one is turned into a refusal (HTTP 403, JSON-RPC error -32003 like the policy's denials) that
// says why; the reason reaches the audit log and metrics through the decision's reasons.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import type { PinEnforcer } from './pin-enforcer.ts';

const FORBIDDEN_CODE = -32003;

export function refuseUnpinnedCall(input: PolicyInput | undefined, decision: Decision, pins: PinEnforcer): Decision {
  if (!decision.allowed || input?.mcp.method !== 'tools/call' || input.mcp.name === undefined) return decision;
  const verdict = pins.callVerdict(input.mcp.virtual_server ?? '', input.mcp.name);
  if (verdict.pass) return decision;
  const reasons = [verdict.message];
  return {
    allowed: false,
    http_status: 403,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: input.mcp.id ?? null, error: { code: FORBIDDEN_CODE, message: verdict.message } }),
    reasons,
    dynamic_metadata: { ...(decision.dynamic_metadata ?? {}), decision: 'deny', reasons, tool_pin: verdict.reason },
  };
}
