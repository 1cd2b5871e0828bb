// Applies a server's upstream token to an allowed decision: the token goes only into the header
// (UPSTREAM_TOKEN_HEADER) that the server's cluster turns into its own, never into reasons or dynamic
// metadata (which reach the audit log), and a failed fetch turns the decision into a fail-closed
// JSON-RPC error whose reason the audit record keeps.
import { controlPlaneDenial, type Decision } from '../authz/decision.ts';
import type { UpstreamTokenResult } from './upstream-token.ts';
import { UPSTREAM_TOKEN_HEADER } from '../../../artifacts/src/metadata-names.ts';

/** JSON-RPC error code of a call refused because no upstream token could be obtained (implementation-defined range). */
export const UPSTREAM_IDENTITY_ERROR = -32010;

export function withUpstreamToken(decision: Decision, header: string, result: UpstreamTokenResult, id: unknown): Decision {
  if (!decision.allowed) return decision;
  if (!result.ok) {
    // 502: the identity provider refused (the caller may not reach this server as themselves); 503: it could not be asked.
    return controlPlaneDenial(result.refused ? 502 : 503, UPSTREAM_IDENTITY_ERROR, `upstream identity: ${result.reason}`, id);
  }
  // The value for the server's header travels in the gateway's own header; the server's cluster moves it (emit/xds/clusters.ts).
  const value = header.toLowerCase() === 'authorization' ? `Bearer ${result.token}` : result.token;
  return { ...decision, headers: { ...decision.headers, [UPSTREAM_TOKEN_HEADER]: value } };
}
