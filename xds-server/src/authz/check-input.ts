// Builds the policy input from an ext_authz CheckRequest: the OPA-Envoy plugin's input document
// (so Rego written for OPA-Envoy works), extended with `mcp` (method, tool, arguments, virtual
// server) and `jwt` (the claims jwt_authn verified).
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';

type Json = Record<string, unknown>;

export interface McpRequest {
  readonly virtual_server?: string;
  readonly gateway?: string;
  readonly method?: string;
  readonly id?: unknown;
  readonly name?: string;
  readonly uri?: string;
  readonly arguments?: unknown;
}

export interface PolicyInput {
  readonly attributes: Json;
  readonly parsed_path: string[];
  readonly parsed_query: Record<string, string[]>;
  readonly parsed_body: unknown;
  readonly truncated_body: boolean;
  readonly version: { readonly ext_authz: 'v3'; readonly encoding: 'protojson' };
  readonly mcp: McpRequest;
  readonly jwt?: { readonly claims: Json };
}

/** Why a request cannot be evaluated at all (it is then denied before the policy runs). */
export class MalformedRequest extends Error {}

/** `attributes` is the CheckRequest's attributes in protobuf JSON form (lowerCamelCase, Structs as plain JSON). */
export function buildPolicyInput(attributes: Json): PolicyInput {
  const request = (attributes.request as Json | undefined) ?? {};
  const http = (request.http as Json | undefined) ?? {};
  const headers = (http.headers as Record<string, string> | undefined) ?? {};
  const path = typeof http.path === 'string' ? http.path : '';
  const [rawPath = '', query = ''] = path.split('?', 2);
  const metadata = ((attributes.metadataContext as Json | undefined)?.filterMetadata as Record<string, Json> | undefined) ?? {};
  const mcpMetadata = metadata[MCP_METADATA_NAMESPACE] ?? {};
  const claims = metadata[JWT_METADATA_NAMESPACE]?.[JWT_PAYLOAD_KEY] as Json | undefined;
  const context = (attributes.contextExtensions as Record<string, string> | undefined) ?? {};

  const contentLength = Number(headers['content-length'] ?? NaN);
  const body = typeof http.body === 'string' ? http.body : '';
  const truncated = headers['x-envoy-auth-partial-body'] === 'true' || (Number.isFinite(contentLength) && contentLength > Buffer.byteLength(body));
  const parsedBody = !truncated && body && (headers['content-type'] ?? '').startsWith('application/json') ? parseJson(body) : null;

  const rpc = (parsedBody && typeof parsedBody === 'object' && !Array.isArray(parsedBody) ? parsedBody : {}) as Json;
  const params = (rpc.params && typeof rpc.params === 'object' ? rpc.params : {}) as Json;
  const metadataParams = (mcpMetadata.params as Json | undefined) ?? {};
  if (parsedBody !== null && mcpMetadata.method !== undefined && !bodyMatchesParsedMethod(parsedBody, mcpMetadata.method)) {
    throw new MalformedRequest('the JSON-RPC method in the body differs from the one Envoy parsed');
  }
  const mcp: Record<string, unknown> = {};
  const set = (key: keyof McpRequest, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') mcp[key] = value;
  };
  set('virtual_server', context.virtual_server);
  set('gateway', context.gateway);
  set('method', stringOrUndefined(mcpMetadata.method ?? rpc.method));
  set('id', 'id' in rpc ? rpc.id : mcpMetadata.id);
  set('name', stringOrUndefined(metadataParams.name ?? params.name));
  set('uri', stringOrUndefined(metadataParams.uri ?? params.uri));
  set('arguments', params.arguments);
  return {
    attributes,
    parsed_path: rawPath.replace(/^\//, '').split('/').map(safeDecode),
    parsed_query: parseQuery(query),
    parsed_body: parsedBody,
    truncated_body: truncated,
    version: { ext_authz: 'v3', encoding: 'protojson' },
    mcp,
    ...(claims ? { jwt: { claims } } : {}),
  };
}

/** Envoy's MCP filter labels a JSON-RPC response (a client's answer to sampling, elicitation or roots) with this method. */
export const JSONRPC_RESPONSE_METHOD = '__jsonrpc_response';

/**
 * Whether the body says what Envoy parsed: the same method, or, for Envoy's response label, a single
 * JSON-RPC response (an `id` and exactly one of `result` or `error`, no `method`). Anything else —
 * a batch, a response that also names a method, a method Envoy did not see — is refused.
 */
function bodyMatchesParsedMethod(body: unknown, parsedMethod: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const rpc = body as Json;
  if (parsedMethod !== JSONRPC_RESPONSE_METHOD) return rpc.method === parsedMethod;
  return !('method' in rpc) && 'id' in rpc && ('result' in rpc) !== ('error' in rpc);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseQuery(query: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) (out[key] ??= []).push(value);
  return out;
}
