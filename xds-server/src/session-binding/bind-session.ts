// The request half of session binding, on every allowed ext_authz decision: a request that carries
// an `Mcp-Session-Id` must carry a session id the gateway issued (artifacts/src/session-token.ts),
// which Envoy's jwt_authn verified (its payload is in the request's metadata), for this caller
// (issuer and sub) on this virtual server. Then the route gives the server the upstream's id from
// that payload, and the client its own id back. Any other id is refused as an unknown session (404,
// as the MCP spec answers one): the server never sees it, and the denial is audited like any
// other, with its reason. RBAC makes the same check for the calls it decides (emit/rbac/).
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { SESSION_HEADER } from '../../../artifacts/src/session-token.ts';
import type { SessionBinding } from './session-signer.ts';
import { filterMetadataOf, verifiedSession } from './verified-session.ts';

/** The JSON-RPC code the MCP SDK's servers use for an unknown session. */
export const SESSION_NOT_FOUND_CODE = -32001;

const REFUSALS = {
  malformed: 'session not found: this gateway did not issue this Mcp-Session-Id; send initialize to start a session',
  'not-bound': 'session not found: this Mcp-Session-Id belongs to another caller or virtual server; send initialize to start a session',
  'no-subject': 'session not found: a session needs a verified caller',
} as const;

export function bindSession(input: PolicyInput | undefined, decision: Decision): Decision {
  if (!decision.allowed || !input) return decision;
  if (sessionHeader(input) === undefined) return decision;
  const binding = sessionBinding(input);
  if (!binding) return refuse(input, decision, REFUSALS['no-subject']);
  const session = verifiedSession(filterMetadataOf(input));
  if (!session) return refuse(input, decision, REFUSALS.malformed);
  const bound = session.issuer === binding.issuer && session.subject === binding.subject && session.virtualServer === binding.virtualServer;
  return bound ? decision : refuse(input, decision, REFUSALS['not-bound']);
}

/** The caller and virtual server a session is bound to; undefined without a verified issuer. */
export function sessionBinding(input: { readonly mcp: { readonly virtual_server?: string }; readonly jwt?: { readonly claims: Record<string, unknown> } }):
  SessionBinding | undefined {
  const claims = input.jwt?.claims;
  const issuer = claims?.iss;
  if (typeof issuer !== 'string' || issuer === '') return undefined;
  return { issuer, subject: typeof claims?.sub === 'string' ? claims.sub : '', virtualServer: input.mcp.virtual_server ?? '' };
}

function sessionHeader(input: PolicyInput): string | undefined {
  const http = (input.attributes.request as { http?: { headers?: Record<string, unknown> } } | undefined)?.http;
  const value = http?.headers?.[SESSION_HEADER];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function refuse(input: PolicyInput, decision: Decision, message: string): Decision {
  const reasons = [message];
  return {
    allowed: false,
    http_status: 404,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: input.mcp.id ?? null, error: { code: SESSION_NOT_FOUND_CODE, message } }),
    reasons,
    dynamic_metadata: { ...(decision.dynamic_metadata ?? {}), decision: 'deny', reasons },
  };
}
