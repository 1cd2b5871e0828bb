// The HTTP filters of a gateway, in the data path's order:
// client session id → jwt_authn → mcp → (rbac) → ext_authz → session binding → tools/list → header allow-list → router
// (or, on the internal listener, mcp → mcp_router).
import { resourceUrl, type IrGateway, type IrIdentityProvider } from '../../ir/types.ts';
import { protoDuration } from '../../util/duration.ts';
import { names } from './names.ts';
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import { SUBJECT_LIMITS_HEADER, type ProcessorLimits } from '../../../../artifacts/src/subject-limits.ts';
import { controlPlaneCallRetries } from '../../../../artifacts/src/control-plane-resilience.ts';
import type { ResultRetention } from '../../../../artifacts/src/audit/result-retention.ts';
import {
  CONTROL_PLANE_CLUSTER,
  EXT_PROC_PROCESSOR_HEADER,
  JWT_FAILURE_KEY,
  JWT_METADATA_NAMESPACE,
  JWT_PAYLOAD_KEY,
  MCP_METADATA_NAMESPACE,
  RBAC_DECIDED_PREFIX,
  RBAC_METADATA_NAMESPACE,
  RBAC_POLICY_KEY,
  REWRITE_CAPABILITIES_HEADER,
  REWRITE_ROLE_HEADER,
  SESSION_BINDING_PROCESSOR,
  GUARDRAILS_METADATA_NAMESPACE,
  GUARDRAILS_PROCESSOR,
  RESULT_RETENTION_HEADER,
  RESULTS_METADATA_NAMESPACE,
  RESULTS_PROCESSOR,
  UPSTREAM_TOKEN_HEADER,
} from '../../../../artifacts/src/metadata-names.ts';
import {
  CLIENT_SESSION_KEY,
  placeholderSessionJwks,
  SESSION_HEADER,
  SESSION_ISSUER,
  SESSION_METADATA_NAMESPACE,
  SESSION_PAYLOAD_KEY,
  SESSION_PROVIDER,
} from '../../../../artifacts/src/session-token.ts';

export type HttpFilter = Json<'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter'>;
type McpJson = Json<'envoy.extensions.filters.http.mcp.v3.Mcp'>;
type JwtRequirementJson = Json<'envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement'>;

/**
 * jwt_authn: one provider per identity provider, or per (provider, virtual server) when the provider
 * binds tokens to each virtual server's resource URL (RFC 8707). Each virtual server's path
 * requires any of its providers; the protected-resource metadata stays public. The verified
 * payload goes to dynamic metadata for ext_authz, and the token is removed before anything is
 * forwarded (`forward: false`). On the virtual servers in `exchanging` (their server's upstream identity
 * exchanges the caller's token), each provider is their own and keeps the token (`forward: true`) for
 * ext_authz to exchange; the route configuration and the header allow-list still remove it before
 * anything reaches a server.
 */
export function jwtAuthnFilter(gateway: IrGateway, providers: readonly IrIdentityProvider[], exchanging: ReadonlySet<string> = new Set()): HttpFilter {
  const jwtProviders: Record<string, Json<'envoy.extensions.filters.http.jwt_authn.v3.JwtProvider'>> = {};
  const rules = gateway.virtualServers.map((vs): Json<'envoy.extensions.filters.http.jwt_authn.v3.RequirementRule'> => {
    const providerNames = providers.map((p) => {
      const perVirtualServer = p.audiences.length === 0 || exchanging.has(vs);
      const name = names.jwtProvider(p.name, perVirtualServer ? vs : undefined);
      const audiences = p.audiences.length === 0 ? [resourceUrl(gateway, vs)] : p.audiences;
      jwtProviders[name] = { ...jwtProvider(p, audiences), ...(exchanging.has(vs) ? { forward: true } : {}) };
      return name;
    });
    const caller: JwtRequirementJson =
      providerNames.length === 1
        ? { provider_name: providerNames[0] }
        : { requires_any: { requirements: providerNames.map((provider_name): JwtRequirementJson => ({ provider_name })) } };
    // A session id is verified when there is one; a missing, foreign or forged one is left to RBAC and
    // ext_authz, which refuse it as an unknown session (404, so the client starts a new one) instead of a 401.
    const session: JwtRequirementJson = { requires_any: { requirements: [{ provider_name: SESSION_PROVIDER }, { allow_missing_or_failed: {} }] } };
    return { match: { path: `/mcp/${vs}` }, requires: { requires_all: { requirements: [caller, session] } } };
  });
  jwtProviders[SESSION_PROVIDER] = sessionProvider();
  return {
    name: 'envoy.filters.http.jwt_authn',
    typed_config: anyOf(TYPE.jwtAuthn, { providers: sortKeys(jwtProviders), rules }),
  };
}

/**
 * The provider of the session ids the control plane signs (artifacts/src/session-token.ts): read from
 * `Mcp-Session-Id`, kept in the request (the route replaces it with the upstream's id from the payload),
 * verified with the control plane's public key, which it puts in place of the placeholder when it serves
 * the listener. A session lasts as long as its server keeps it: the id has no expiry.
 */
function sessionProvider(): Json<'envoy.extensions.filters.http.jwt_authn.v3.JwtProvider'> {
  return {
    issuer: SESSION_ISSUER,
    local_jwks: { inline_string: placeholderSessionJwks() },
    from_headers: [{ name: SESSION_HEADER }],
    forward: true,
    payload_in_metadata: SESSION_PAYLOAD_KEY,
    jwt_cache_config: { jwt_cache_size: 4096 },
  };
}

/**
 * First in the chain (before jwt_authn): keeps the session id the client sent in metadata, from which
 * every route writes it into the response in place of the server's (routes.ts), whatever the request
 * headers become on the way.
 */
export function clientSessionFilter(): HttpFilter {
  return {
    name: CLIENT_SESSION_FILTER,
    typed_config: anyOf(TYPE.headerToMetadata, {
      request_rules: [
        { header: SESSION_HEADER, on_header_present: { metadata_namespace: SESSION_METADATA_NAMESPACE, key: CLIENT_SESSION_KEY, type: 'STRING' } },
      ],
    }),
  };
}

export const CLIENT_SESSION_FILTER = 'envoy.filters.http.header_to_metadata';

function jwtProvider(provider: IrIdentityProvider, audiences: readonly string[]): Json<'envoy.extensions.filters.http.jwt_authn.v3.JwtProvider'> {
  const keys: Json<'envoy.extensions.filters.http.jwt_authn.v3.JwtProvider'> =
    'uri' in provider.jwks
      ? {
          remote_jwks: {
            http_uri: { uri: provider.jwks.uri, cluster: names.jwksCluster(provider.name), timeout: '5s' },
            cache_duration: protoDuration(provider.jwks.cacheDurationMs),
            async_fetch: { fast_listener: false },
            retry_policy: { num_retries: 3 },
          },
        }
      : { local_jwks: { inline_string: provider.jwks.inline } };
  return {
    issuer: provider.issuer,
    audiences: [...audiences],
    ...keys,
    // The token is read from `Authorization: Bearer` only. Left unset, Envoy also accepts an
    // `access_token` query parameter, which the MCP authorization spec forbids (URLs end up in logs).
    from_headers: [{ name: 'Authorization', value_prefix: 'Bearer ' }],
    // A token without `exp` would be valid forever (and cached as such): refuse it.
    require_expiration: true,
    forward: false,
    payload_in_metadata: JWT_PAYLOAD_KEY,
    failed_status_in_metadata: JWT_FAILURE_KEY,
    clock_skew_seconds: 60,
    // Verified tokens are cached (an agent sends the same token on every call); Envoy still checks
    // each cached token's expiry, so a cache hit only saves the signature check.
    jwt_cache_config: { jwt_cache_size: 4096 },
  };
}

/**
 * The MCP filter: parses JSON-RPC into metadata and rejects anything that is not valid MCP. On the
 * gateway's own chain it clears the route cache once the method is known, so that `tools/list`
 * can take its own route (the one that filters the list per caller), and copies a client's
 * `params._meta.traceparent` / `tracestate` into the request headers, so a trace the client
 * started continues to the MCP server (docs/observability.md#tracing).
 */
export function mcpFilter(gateway: IrGateway, options: { rerouteByMethod: boolean; propagateTraceContext?: boolean }): HttpFilter {
  return {
    name: 'envoy.filters.http.mcp',
    typed_config: anyOf(TYPE.mcp, {
      traffic_mode: 'REJECT_NO_MCP',
      reject_duplicate_keys: true,
      max_request_body_size: gateway.maxRequestBytes,
      ...(options.rerouteByMethod ? ({ clear_route_cache: true } satisfies McpJson) : {}),
      ...(options.propagateTraceContext ? ({ propagate_trace_context: {} } satisfies McpJson) : {}),
    }),
  };
}

/**
 * ext_proc to the control plane, idle by default (every processing mode skipped, so no call is
 * made) and switched on by the routes whose responses it rewrites (xds-server/src/response-rewrite):
 * `tools/list`, cut to the tools of the virtual server the caller may call (it fails closed: an
 * unreachable processor fails the request, never shows the full list), and on an aggregated virtual
 * server the methods whose mcp_router answers need correcting; and, as the result recorder, the
 * `tools/call` responses of tools that keep their results, where no other processor sees them (recordResultsOn). (A filter `disabled` in the chain
 * cannot be switched on by a route chosen after the MCP filter clears the route cache; a
 * processing-mode override can.) It reads the caller's claims and the parsed JSON-RPC method and id.
 */
export const RESPONSE_REWRITE_FILTER = 'envoy.filters.http.ext_proc';

const PROCESS_NOTHING: Json<'envoy.extensions.filters.http.ext_proc.v3.ProcessingMode'> = {
  request_header_mode: 'SKIP',
  response_header_mode: 'SKIP',
  request_body_mode: 'NONE',
  response_body_mode: 'NONE',
  request_trailer_mode: 'SKIP',
  response_trailer_mode: 'SKIP',
};

export function responseRewriteFilter(gateway: IrGateway): HttpFilter {
  return {
    name: RESPONSE_REWRITE_FILTER,
    typed_config: anyOf(TYPE.extProc, {
      grpc_service: controlPlaneService(gateway),
      failure_mode_allow: false,
      processing_mode: PROCESS_NOTHING,
      metadata_options: { forwarding_namespaces: { untyped: [JWT_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE] } },
      message_timeout: protoDuration(Math.max(gateway.authzTimeoutMs, 1000)),
    }),
  };
}

/** Sees the request headers (and metadata) and the whole response. */
const REWRITE_RESPONSE: Json<'envoy.extensions.filters.http.ext_proc.v3.ProcessingMode'> = {
  ...PROCESS_NOTHING,
  request_header_mode: 'SEND',
  response_header_mode: 'SEND',
  response_body_mode: 'BUFFERED',
};

/** Per-route config that switches the filter on for a tools/list. */
export function rewriteToolsListOn(): AnyJson {
  return anyOf(TYPE.extProcPerRoute, { overrides: { processing_mode: REWRITE_RESPONSE } });
}

/**
 * Per-route config for an aggregated tools/call: the response body streamed, chunk by chunk, so the
 * member's requests to the client get ids mcp_router can route the answers by.
 */
export function rewriteAggregatedCallOn(retentions?: Readonly<Record<string, ResultRetention>>): AnyJson {
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      processing_mode: { ...PROCESS_NOTHING, request_header_mode: 'SEND', response_header_mode: 'SEND', response_body_mode: 'STREAMED' },
      grpc_initial_metadata: [{ key: REWRITE_ROLE_HEADER, value: 'aggregated-call' }, ...retentionMetadata(retentions ?? {})],
      // With `retentions` it also records how the call ended for the audit (gatehouse.results); without
      // (the guardrails record on a guarded route), Envoy takes no metadata from it.
      ...(retentions
        ? {
            metadata_options: {
              forwarding_namespaces: { untyped: [JWT_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE] },
              receiving_namespaces: { untyped: [RESULTS_METADATA_NAMESPACE] },
            },
          }
        : {}),
      // A correction, not a control: without the control plane the response passes as mcp_router sent it
      // (and ext_authz's own refusal keeps its JSON-RPC body instead of becoming Envoy's bare 500).
      failure_mode_allow: true,
    },
  });
}

/** Per-route config that switches the filter on to correct mcp_router's answers; `capabilities` replace its fixed ones in `initialize`. */
export function rewriteAggregatedOn(capabilities: Readonly<Record<string, unknown>>): AnyJson {
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      processing_mode: REWRITE_RESPONSE,
      grpc_initial_metadata: [
        { key: REWRITE_ROLE_HEADER, value: 'aggregated' },
        { key: REWRITE_CAPABILITIES_HEADER, value: JSON.stringify(capabilities) },
      ],
      failure_mode_allow: true,
    },
  });
}

/**
 * ext_authz to the control plane, which evaluates the policy bundle. It fails closed. With `skipRbacDecided`,
 * requests an `rbac:` policy of the RBAC filter allowed skip it (emit/rbac/rbac-filter.ts); a request without
 * that metadata (the key is missing) is still checked.
 */
export function extAuthzFilter(gateway: IrGateway, options: { skipRbacDecided?: boolean } = {}): HttpFilter {
  return {
    name: 'envoy.filters.http.ext_authz',
    typed_config: anyOf(TYPE.extAuthz, {
      transport_api_version: 'V3',
      grpc_service: controlPlaneService(gateway),
      failure_mode_allow: false,
      status_on_error: { code: 'ServiceUnavailable' },
      metadata_context_namespaces: [MCP_METADATA_NAMESPACE, JWT_METADATA_NAMESPACE],
      with_request_body: { max_request_bytes: gateway.maxRequestBytes, allow_partial_message: false },
      ...(options.skipRbacDecided
        ? {
            filter_enabled_metadata: {
              filter: RBAC_METADATA_NAMESPACE,
              path: [{ key: RBAC_POLICY_KEY }],
              value: { string_match: { prefix: RBAC_DECIDED_PREFIX } },
              invert: true,
            },
          }
        : {}),
    }),
  };
}

/**
 * First in the chain of a gateway that serves a server with an upstream identity: removes any
 * UPSTREAM_TOKEN_HEADER a client sent, so that only ext_authz can set it.
 */
export function upstreamTokenGuardFilter(): HttpFilter {
  return {
    name: UPSTREAM_TOKEN_GUARD_FILTER,
    typed_config: anyOf(TYPE.headerMutation, { mutations: { request_mutations: [{ remove: UPSTREAM_TOKEN_HEADER }] } }),
  };
}
export const UPSTREAM_TOKEN_GUARD_FILTER = 'gatehouse.upstream_token_guard';

export function routerFilter(): HttpFilter {
  return { name: 'envoy.filters.http.router', typed_config: anyOf(TYPE.router, { suppress_envoy_headers: true }) };
}

export function mcpRouterFilter(): HttpFilter {
  return { name: 'envoy.filters.http.mcp_router', typed_config: anyOf(TYPE.mcpRouter, {}) };
}

/** Per-route config that switches a filter off (for the public metadata routes). */
export function disabledFilter(): AnyJson {
  return anyOf(TYPE.filterConfig, { disabled: true });
}

/** Per-route ext_authz settings: tells the policy which gateway and virtual server the request is for. */
export function extAuthzContext(gateway: string, virtualServer: string): AnyJson {
  return anyOf(TYPE.extAuthzPerRoute, { check_settings: { context_extensions: { gateway, virtual_server: virtualServer } } });
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Session binding: a second ext_proc to the control plane, idle except on the `initialize` routes
 * (the only request that opens a session), where it sees the request headers (the caller) and the
 * response headers, and replaces the server's `Mcp-Session-Id` with one bound to the caller and
 * virtual server. Later requests are checked and unwrapped by ext_authz; the other routes write the
 * client's own id back into responses (sessionResponseHeaders in routes.ts). It sits on the client
 * side of mcp_router, so aggregated virtual servers' ids are bound too. It fails closed.
 */
export const SESSION_BINDING_FILTER = 'gatehouse.session_binding';

export function sessionBindingFilter(gateway: IrGateway): HttpFilter {
  return {
    name: SESSION_BINDING_FILTER,
    typed_config: anyOf(TYPE.extProc, {
      grpc_service: controlPlaneService(gateway, SESSION_BINDING_PROCESSOR),
      failure_mode_allow: false,
      processing_mode: PROCESS_NOTHING,
      // The caller, and (for a refusal over a subject limit) the JSON-RPC id.
      metadata_options: { forwarding_namespaces: { untyped: [JWT_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE] } },
      message_timeout: protoDuration(Math.max(gateway.authzTimeoutMs, 1000)),
    }),
  };
}

/**
 * Per-route config that switches session binding on: request and response headers, no body. The
 * virtual server's session and stream limits go along (the processor counts sessions per caller).
 */
export function sessionBindingFilterOn(limits: ProcessorLimits): AnyJson {
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      processing_mode: { ...PROCESS_NOTHING, request_header_mode: 'SEND', response_header_mode: 'SEND' },
      grpc_initial_metadata: [{ key: SUBJECT_LIMITS_HEADER, value: JSON.stringify(limits) }],
    },
  });
}

/**
 * Per-route config for GET event streams: the processor sees the request headers, and asks for the
 * response trailers so that Envoy keeps its ext_proc stream open until the HTTP stream ends (with
 * the request headers alone, Envoy ends it once they are answered). It then counts each caller's
 * held streams exactly, without seeing a byte of the event stream.
 */
export function streamLimitsOn(limits: ProcessorLimits): AnyJson {
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      processing_mode: { ...PROCESS_NOTHING, request_header_mode: 'SEND', response_trailer_mode: 'SEND' },
      grpc_initial_metadata: [{ key: SUBJECT_LIMITS_HEADER, value: JSON.stringify(limits) }],
    },
  });
}

/**
 * Guardrails: a third ext_proc to the control plane (xds-server/src/guardrails), only on gateways
 * that serve a guarded tool, idle except on the tools/call routes of virtual servers with one. There
 * it sees the request body (the arguments, buffered: the MCP filter already holds it) and the
 * response streamed (an event stream is inspected event by event), and records its hits in dynamic
 * metadata for the audit record. It fails closed; its message timeout covers the slowest external
 * detector.
 */
export const GUARDRAILS_FILTER = 'gatehouse.guardrails';

export function guardrailsFilter(gateway: IrGateway, messageTimeoutMs: number): HttpFilter {
  return {
    name: GUARDRAILS_FILTER,
    typed_config: anyOf(TYPE.extProc, {
      grpc_service: controlPlaneService(gateway, GUARDRAILS_PROCESSOR),
      failure_mode_allow: false,
      processing_mode: PROCESS_NOTHING,
      metadata_options: {
        forwarding_namespaces: { untyped: [MCP_METADATA_NAMESPACE] },
        receiving_namespaces: { untyped: [GUARDRAILS_METADATA_NAMESPACE, RESULTS_METADATA_NAMESPACE] },
      },
      message_timeout: protoDuration(messageTimeoutMs),
    }),
  };
}

/**
 * Per-route config that switches the guardrails on for a tools/call: request body buffered, response
 * streamed. The processor also records how the call ended and what the audit keeps of its result.
 */
export function guardrailsOn(retentions: Readonly<Record<string, ResultRetention>> = {}): AnyJson {
  const metadata = retentionMetadata(retentions);
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      ...(metadata.length > 0 ? { grpc_initial_metadata: metadata } : {}),
      processing_mode: {
        ...PROCESS_NOTHING,
        request_header_mode: 'SEND',
        request_body_mode: 'BUFFERED',
        response_header_mode: 'SEND',
        response_body_mode: 'STREAMED',
      },
    },
  });
}

/**
 * Per-route config for a tools/call of a tool that keeps its results (a digest or a payload), whose
 * response no other processor sees: the response rewrite filter, switched on as the result recorder (xds-server/src/audit/result-recording-service.ts).
 * It sees neither the request nor the response headers (Envoy 1.40 sends the forwarded metadata with
 * the first body message), so nothing is added before the call reaches its server or before the
 * response headers reach the client; each body chunk is answered at once and unchanged (streamed,
 * never buffered by Envoy). At the end of the body it records how the call ended (a JSON-RPC error inside a 200, an
 * `isError` result) and what the tool's `audit.results` keeps of the result. Recording is
 * observation, so it fails open: without the control plane the call goes on and its record has no outcome.
 */
export function recordResultsOn(retentions: Readonly<Record<string, ResultRetention>>): AnyJson {
  return anyOf(TYPE.extProcPerRoute, {
    overrides: {
      processing_mode: { ...PROCESS_NOTHING, response_body_mode: 'STREAMED' },
      grpc_initial_metadata: [{ key: EXT_PROC_PROCESSOR_HEADER, value: RESULTS_PROCESSOR }, ...retentionMetadata(retentions)],
      metadata_options: {
        forwarding_namespaces: { untyped: [MCP_METADATA_NAMESPACE] },
        receiving_namespaces: { untyped: [RESULTS_METADATA_NAMESPACE] },
      },
      failure_mode_allow: true,
    },
  });
}

/** The retentions as gRPC metadata (none when no tool keeps its results). */
function retentionMetadata(retentions: Readonly<Record<string, ResultRetention>>): Json<'envoy.config.core.v3.HeaderValue'>[] {
  return Object.keys(retentions).length === 0 ? [] : [{ key: RESULT_RETENTION_HEADER, value: JSON.stringify(retentions) }];
}

/**
 * The control plane as the gRPC service of ext_authz and of every ext_proc filter: the gateway's authz timeout, and (HA) a call
 * that reached no replica retried on another within it. `processor` names the ext_proc processor: every ext_proc filter calls the
 * same gRPC method, and this metadata tells the control plane which one it is.
 */
function controlPlaneService(gateway: IrGateway, processor?: string): Json<'envoy.config.core.v3.GrpcService'> {
  return {
    envoy_grpc: { cluster_name: CONTROL_PLANE_CLUSTER },
    timeout: protoDuration(gateway.authzTimeoutMs),
    retry_policy: controlPlaneCallRetries(gateway.authzTimeoutMs),
    ...(processor ? { initial_metadata: [{ key: EXT_PROC_PROCESSOR_HEADER, value: processor }] } : {}),
  };
}
