// The request half of session binding, run on every allowed ext_authz decision: a request that
// carries an `Mcp-Session-Id` must carry one the gateway wrapped for this caller (issuer and sub)
// on this virtual server. Then the upstream's id replaces it on the way to the server, and the
// client's id goes into the decision's metadata, from which the route writes it back into the
// response in place of whatever id the server sent. Any other id is refused as an unknown
// session (404, as the MCP spec answers one): the server never sees it, and the denial is audited
// like any other, with its reason.
import type { PolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { CLIENT_SESSION_KEY } from '../../../artifacts/src/metadata-names.ts';
import { unwrapSessionId, type SessionBinding } from './session-id.ts';

export const SESSION_HEADER = 'mcp-session-id';
/** The JSON-RPC code the MCP SDK's servers use for an unknown session. */
export const SESSION_NOT_FOUND_CODE = -32001;

const REFUSALS = {
  malformed: 'session not found: this gateway did not issue this Mcp-Session-Id; send initialize to start a session',
  'not-bound': 'session not found: this Mcp-Session-Id belongs to another caller or virtual server; send initialize to start a session',
  'no-subject': 'session not found: a session needs a verified caller',
} as const;

export function bindSession(input: PolicyInput | undefined, decision: Decision, key: Buffer): Decision {
  if (!decision.allowed || !input) return decision;
  const clientId = sessionHeader(input);
  if (clientId === undefined) return decision;
  const binding = sessionBinding(input);
  if (!binding) return refuse(input, decision, REFUSALS['no-subject']);
  const unwrapped = unwrapSessionId(key, binding, clientId);
  if (!unwrapped.ok) return refuse(input, decision, REFUSALS[unwrapped.reason]);
  return {
    ...decision,
    headers: { ...(decision.headers ?? {}), [SESSION_HEADER]: unwrapped.upstreamId },
    dynamic_metadata: { ...(decision.dynamic_metadata ?? {}), [CLIENT_SESSION_KEY]: clientId },
  };
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
