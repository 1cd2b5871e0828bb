// OAuth protected-resource metadata (RFC 9728) for each virtual server, and the local replies that
// point clients at it. Envoy has no RFC 9728 support, so both are built from core features.
import { resourceUrl, type IrGateway, type IrIdentityProvider, type IrVirtualServer } from '../../ir/types.ts';
import type { Json } from '../../../../artifacts/src/envoy-json.ts';
import { rateLimitedReply } from './subject-rate-limit.ts';
import { AUTHZ_METADATA_NAMESPACE, JWT_FAILURE_KEY, JWT_METADATA_NAMESPACE } from '../../../../artifacts/src/metadata-names.ts';
import { metadataPath, type ProtectedResourceMetadata } from '../../../../artifacts/src/protected-resource.ts';

type AccessLogFilterJson = Json<'envoy.config.accesslog.v3.AccessLogFilter'>;
type ResponseMapperJson = Json<'envoy.extensions.filters.network.http_connection_manager.v3.ResponseMapper'>;

// The paths are part of the artifact contract: the control plane reads the documents back.
export { metadataPath } from '../../../../artifacts/src/protected-resource.ts';

/** RFC 6797: a client that reached a TLS gateway keeps to TLS for a year. Plain-HTTP gateways send none (a proxy in front owns it). */
export const HSTS_VALUE = 'max-age=31536000';

/** `Strict-Transport-Security` on a TLS gateway's responses; nothing on a plain-HTTP one. */
export function hstsHeaders(gateway: IrGateway): Json<'envoy.config.core.v3.HeaderValueOption'>[] {
  return gateway.tls ? [{ header: { key: 'strict-transport-security', value: HSTS_VALUE }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }] : [];
}

/** The RFC 9728 document of one virtual server on one gateway. */
export function protectedResourceMetadata(
  gateway: IrGateway,
  virtualServer: IrVirtualServer,
  providers: readonly IrIdentityProvider[],
): ProtectedResourceMetadata {
  return {
    resource: resourceUrl(gateway, virtualServer.name),
    resource_name: virtualServer.description,
    authorization_servers: [...new Set(providers.flatMap((p) => p.authorizationServers))].sort(),
    bearer_methods_supported: ['header'],
    scopes_supported: [...new Set(providers.flatMap((p) => p.scopes))].sort(),
  };
}

/** Matches requests for one virtual server's MCP endpoint (with or without a query string). */
function endpointFilter(virtualServer: string): AccessLogFilterJson {
  return { header_filter: { header: { name: ':path', string_match: { safe_regex: { regex: `^/mcp/${virtualServer}(\\?.*)?$` } } } } };
}

function statusFilter(status: number): AccessLogFilterJson {
  return { status_code_filter: { comparison: { op: 'EQ', value: { default_value: status, runtime_key: `gatehouse.local_reply.${status}` } } } };
}

/** Matches replies after jwt_authn rejected a token (it records the failure in dynamic metadata). */
function jwtFailureFilter(): AccessLogFilterJson {
  return {
    metadata_filter: {
      matcher: { filter: JWT_METADATA_NAMESPACE, path: [{ key: JWT_FAILURE_KEY }], value: { present_match: true } },
      match_if_key_not_found: false, // the default (true) would also match every other 403
    },
  };
}

/**
 * Matches replies ext_authz did not decide: every decision (the policy's or the control plane's)
 * carries a string `decision` in its metadata. The access-log metadata filter ignores a matcher's
 * `invert`, so "absent" is said as: match when the key is missing, and a present value only if it
 * is null, which a decision never is.
 */
function notDecidedByPolicy(): AccessLogFilterJson {
  return {
    metadata_filter: {
      matcher: { filter: AUTHZ_METADATA_NAMESPACE, path: [{ key: 'decision' }], value: { null_match: {} } },
      match_if_key_not_found: true,
    },
  };
}

function decidedByPolicy(): AccessLogFilterJson {
  return {
    metadata_filter: {
      matcher: { filter: AUTHZ_METADATA_NAMESPACE, path: [{ key: 'decision' }], value: { present_match: true } },
      // Envoy's default matches when the key is absent: ext_authz that could not be reached left no decision.
      match_if_key_not_found: false,
    },
  };
}

function jsonRpcError(code: number, message: string): Json<'envoy.config.core.v3.SubstitutionFormatString'> {
  return { json_format: { jsonrpc: '2.0', id: null, error: { code, message } }, content_type: 'application/json' };
}

/**
 * Local replies on MCP endpoints as JSON-RPC errors a client can read. A 401 also carries
 * `WWW-Authenticate: Bearer resource_metadata="…"` (MCP authorization spec). 403s are left alone:
 * their body is the policy's own JSON-RPC error.
 */
export function localReplyConfig(gateway: IrGateway): Json<'envoy.extensions.filters.network.http_connection_manager.v3.LocalReplyConfig'> {
  const challenge = (vs: string, error?: string): Json<'envoy.config.core.v3.HeaderValueOption'> => ({
    header: {
      key: 'www-authenticate',
      value: `Bearer resource_metadata="${gateway.publicUrl}${metadataPath(vs)}"${error ? `, error="${error}"` : ''}`,
    },
    append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
  });
  const mappers = gateway.virtualServers.flatMap((vs): ResponseMapperJson[] => [
    {
      filter: { and_filter: { filters: [statusFilter(401), endpointFilter(vs)] } },
      headers_to_add: [challenge(vs)],
      body_format_override: jsonRpcError(-32001, 'authentication required: send a valid bearer token (%RESPONSE_CODE_DETAILS%)'),
    },
    // jwt_authn answers 403 for a token whose audience is not this resource; for the client that is
    // an invalid token (RFC 6750): 401 with error="invalid_token", so it fetches a token for this resource.
    // Not when the policy decided: with several identity providers, the ones that did not issue the
    // token record their failure too, and the policy's own 403 must stay a 403.
    {
      filter: { and_filter: { filters: [statusFilter(403), jwtFailureFilter(), notDecidedByPolicy(), endpointFilter(vs)] } },
      status_code: 401,
      headers_to_add: [challenge(vs, 'invalid_token')],
      body_format_override: jsonRpcError(-32001, 'invalid token for this resource (%RESPONSE_CODE_DETAILS%)'),
    },
  ]);
  const rejected = (status: number, code: number, message: string): ResponseMapperJson => ({
    filter: { and_filter: { filters: [statusFilter(status), { header_filter: { header: { name: ':path', string_match: { prefix: '/mcp/' } } } }] } },
    body_format_override: jsonRpcError(code, message),
  });
  const mcpPath: AccessLogFilterJson = { header_filter: { header: { name: ':path', string_match: { prefix: '/mcp/' } } } };
  const rbacRefusal = (): ResponseMapperJson => ({
    filter: { and_filter: { filters: [statusFilter(403), notDecidedByPolicy(), mcpPath] } },
    body_format_override: jsonRpcError(-32003, 'forbidden: no grant allows this call, or an organisation rule denies it (%RESPONSE_CODE_DETAILS%)'),
  });
  return {
    mappers: [
      ...mappers,
      // The control plane's own 500 denial (policy evaluation failed) already carries a JSON-RPC
      // body: this mapper matches it first and changes nothing.
      { filter: { and_filter: { filters: [statusFilter(500), { response_flag_filter: { flags: ['UAEX'] } }] } } },
      // So does its 503 refusal of a call whose server's upstream token could not be fetched
      // (upstream identity): decided by the control plane, unlike ext_authz's own 503 when it cannot be reached.
      { filter: { and_filter: { filters: [statusFilter(503), { response_flag_filter: { flags: ['UAEX'] } }, decidedByPolicy()] } } },
      rateLimitedReply({ and_filter: { filters: [statusFilter(429), notDecidedByPolicy()] } }),
      // Envoy's RBAC filter (authz.staticDecisions: rbac) refuses with a bare 403: a JSON-RPC error
      // instead, which says who refused (the audit record has the policy's reasons).
      ...(gateway.staticDecisions === 'rbac' ? [rbacRefusal()] : []),
      rejected(400, -32600, 'invalid MCP request (%RESPONSE_CODE_DETAILS%)'),
      rejected(413, -32600, 'request too large (%RESPONSE_CODE_DETAILS%)'),
      rejected(500, -32603, 'gateway error (%RESPONSE_CODE_DETAILS%)'),
      // ext_authz could not be reached or timed out: Envoy gives no body, so say what happened and that it is safe to retry.
      {
        filter: { and_filter: { filters: [statusFilter(503), { response_flag_filter: { flags: ['UAEX'] } }, mcpPath] } },
        body_format_override: jsonRpcError(-32000, 'authorization unavailable: the gateway could not reach its policy decision point, ' +
          'so it refused the call (fail closed); retry shortly (%RESPONSE_CODE_DETAILS%)'),
      },
      // The body is Envoy's reason, or the server-unavailable message of a route to a server that fails closed (control plane).
      rejected(503, -32000, 'gateway unavailable: %LOCAL_REPLY_BODY% (%RESPONSE_CODE_DETAILS%)'),
      rejected(504, -32000, 'upstream timeout (%RESPONSE_CODE_DETAILS%)'),
    ],
  };
}
