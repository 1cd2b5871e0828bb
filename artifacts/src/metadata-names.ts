// Names that the emitted Envoy configuration and the control plane must agree on: the cluster that
// reaches the control plane, and where Envoy's filters put the facts the control plane reads.

export const CONTROL_PLANE_CLUSTER = 'gatehouse-control-plane';
export const MCP_METADATA_NAMESPACE = 'envoy.filters.http.mcp';
export const JWT_METADATA_NAMESPACE = 'envoy.filters.http.jwt_authn';
export const JWT_PAYLOAD_KEY = 'jwt_payload';
/** Where jwt_authn records why it rejected a token (dynamic metadata), so local replies can map it. */
export const JWT_FAILURE_KEY = 'jwt_failure';
/** Where ext_authz puts the decision's dynamic metadata. */
export const AUTHZ_METADATA_NAMESPACE = 'envoy.filters.http.ext_authz';
/** gRPC metadata that tells the control plane which ext_proc filter a Process stream belongs to. */
export const EXT_PROC_PROCESSOR_HEADER = 'x-gatehouse-processor';
/** The value of EXT_PROC_PROCESSOR_HEADER sent by the session-binding filter (`initialize` responses). */
export const SESSION_BINDING_PROCESSOR = 'session-binding';
/**
 * gRPC metadata that a route's ext_proc override sends to the control plane's response rewriter:
 * which rewrite the route wants (`aggregated`; anything else filters a tools/list) and, for an
 * aggregated virtual server, the capabilities its `initialize` declares (JSON).
 */
export const REWRITE_ROLE_HEADER = 'x-gatehouse-rewrite';
export const REWRITE_CAPABILITIES_HEADER = 'x-gatehouse-capabilities';
/** Envoy's RBAC filter records the policy that allowed a request here (key below); ext_authz is skipped for RBAC-decided ones. */
export const RBAC_METADATA_NAMESPACE = 'envoy.filters.http.rbac';
export const RBAC_POLICY_KEY = 'enforced_effective_policy_id';
/** The prefix of the RBAC policies that decide a tools/call on their own (no ext_authz). */
export const RBAC_DECIDED_PREFIX = 'rbac:';
/** The value of EXT_PROC_PROCESSOR_HEADER sent by the guardrail filter (tools/call on guarded virtual servers). */
export const GUARDRAILS_PROCESSOR = 'guardrails';
/** Where the guardrail processor records its hits (dynamic metadata), so the request's audit record carries them. */
export const GUARDRAILS_METADATA_NAMESPACE = 'gatehouse.guardrails';
/**
 * Where the processor that saw a tools/call's result records how the call ended and what the audit
 * keeps of the result (dynamic metadata: `outcome`, `error`, `result`), joined to the request's
 * access-log entry and so to its audit record.
 */
export const RESULTS_METADATA_NAMESPACE = 'gatehouse.results';
/** The value of EXT_PROC_PROCESSOR_HEADER a tools/call route sends when no other processor sees its response: the result recorder. */
export const RESULTS_PROCESSOR = 'results';
/** gRPC metadata a tools/call route sends to the processor that sees its response: what the audit keeps of each tool's result (audit/result-retention.ts). */
export const RESULT_RETENTION_HEADER = 'x-gatehouse-results';
/**
 * The request header that carries a server's exchanged (or client-credentials) token from ext_authz to
 * that server's cluster, whose upstream filter moves it into the server's header (`Authorization`). The
 * gateway removes any client-sent value first, and the caller's own `Authorization` never passes the
 * header allow-list.
 */
export const UPSTREAM_TOKEN_HEADER = 'x-gatehouse-upstream-token';
