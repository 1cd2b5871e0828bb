// OAuth protected-resource metadata (RFC 9728) for each virtual server, and the local replies that
// point clients at it. Envoy has no RFC 9728 support, so both are built from core features.
import { resourceUrl, type IrGateway, type IrIdentityProvider, type IrVirtualServer } from '../../ir/types.ts';

export const PRM_PREFIX = '/.well-known/oauth-protected-resource';

export function metadataPath(virtualServer: string): string {
  return `${PRM_PREFIX}/mcp/${virtualServer}`;
}

/** The RFC 9728 document of one virtual server on one gateway. */
export function protectedResourceMetadata(gateway: IrGateway, virtualServer: IrVirtualServer, providers: readonly IrIdentityProvider[]) {
  return {
    resource: resourceUrl(gateway, virtualServer.name),
    resource_name: virtualServer.description,
    authorization_servers: [...new Set(providers.flatMap((p) => p.authorizationServers))].sort(),
    bearer_methods_supported: ['header'],
    scopes_supported: [...new Set(providers.flatMap((p) => p.scopes))].sort(),
  };
}

/** Matches requests for one virtual server's MCP endpoint (with or without a query string). */
function endpointFilter(virtualServer: string) {
  return { header_filter: { header: { name: ':path', string_match: { safe_regex: { regex: `^/mcp/${virtualServer}(\\?.*)?$` } } } } };
}

function statusFilter(status: number) {
  return { status_code_filter: { comparison: { op: 'EQ', value: { default_value: status, runtime_key: `gatehouse.local_reply.${status}` } } } };
}

function jsonRpcError(code: number, message: string) {
  return { json_format: { jsonrpc: '2.0', id: null, error: { code, message } }, content_type: 'application/json' };
}

/**
 * Local replies on MCP endpoints as JSON-RPC errors a client can read. A 401 also carries
 * `WWW-Authenticate: Bearer resource_metadata="…"` (MCP authorization spec). 403s are left alone:
 * their body is the policy's own JSON-RPC error.
 */
export function localReplyConfig(gateway: IrGateway) {
  const mappers = gateway.virtualServers.flatMap((vs) => [
    {
      filter: { and_filter: { filters: [statusFilter(401), endpointFilter(vs)] } },
      headers_to_add: [
        {
          header: { key: 'www-authenticate', value: `Bearer resource_metadata="${gateway.publicUrl}${metadataPath(vs)}"` },
          append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
        },
      ],
      body_format_override: jsonRpcError(-32001, 'authentication required: send a valid bearer token (%RESPONSE_CODE_DETAILS%)'),
    },
  ]);
  const rejected = (status: number, code: number, message: string) => ({
    filter: { and_filter: { filters: [statusFilter(status), { header_filter: { header: { name: ':path', string_match: { prefix: '/mcp/' } } } }] } },
    body_format_override: jsonRpcError(code, message),
  });
  return {
    mappers: [
      ...mappers,
      rejected(400, -32600, 'invalid MCP request (%RESPONSE_CODE_DETAILS%)'),
      rejected(413, -32600, 'request too large (%RESPONSE_CODE_DETAILS%)'),
      rejected(503, -32000, 'gateway unavailable (%RESPONSE_CODE_DETAILS%)'),
      rejected(504, -32000, 'upstream timeout (%RESPONSE_CODE_DETAILS%)'),
    ],
  };
}
