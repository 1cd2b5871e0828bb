// Route configurations: the gateway's (metadata documents and one MCP endpoint per virtual server)
// and its internal mcp_router listener's (one route per aggregated virtual server).
import type { IrGateway, IrIdentityProvider, IrServer, IrVirtualServer } from '../../ir/types.ts';
import { protoDuration } from '../../util/duration.ts';
import { memberServer } from './clusters.ts';
import { refusedHostVirtualHost } from './host-check.ts';
import {
  disabledFilter, extAuthzContext, GUARDRAILS_FILTER, guardrailsOn, recordResultsOn,
  RESPONSE_REWRITE_FILTER, rewriteAggregatedCallOn, rewriteAggregatedOn, rewriteToolsListOn, SESSION_BINDING_FILTER,
  sessionBindingFilterOn, streamLimitsOn,
} from './http-filters.ts';
import { effectiveLimits } from '../../ir/subject-limits.ts';
import { aggregatedCapabilities } from '../../ir/aggregation.ts';
import { CALL_OUTCOME_FILTER, callOutcomeOn } from './call-outcome-filter.ts';
import { names } from './names.ts';
import { resultRetentions } from './result-retention.ts';
import { subjectRateLimits } from './subject-rate-limit.ts';
import { REST_BRIDGE_FILTER, restBridgeOn } from './rest-bridge.ts';
import { hstsHeaders, metadataPath, protectedResourceMetadata } from './protected-resource.ts';
import type { Json } from '../../../../artifacts/src/envoy-json.ts';
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import type { RouteConfigurationJson } from '../../../../artifacts/src/fleet-resources.ts';
import { JWT_METADATA_NAMESPACE, MCP_METADATA_NAMESPACE } from '../../../../artifacts/src/metadata-names.ts';
import {
  CLIENT_SESSION_KEY, SESSION_CLAIMS, SESSION_HEADER, SESSION_METADATA_NAMESPACE, SESSION_PAYLOAD_KEY,
} from '../../../../artifacts/src/session-token.ts';

type RouteJson = Json<'envoy.config.route.v3.Route'>;
type RouteActionJson = Json<'envoy.config.route.v3.RouteAction'>;

/** Idle time after which a long-lived stream (server-sent events) is closed. */
const STREAM_IDLE_TIMEOUT = '300s';

export function gatewayRoutes(
  gateway: IrGateway,
  virtualServers: readonly IrVirtualServer[],
  servers: ReadonlyMap<string, IrServer>,
  providers: readonly IrIdentityProvider[],
  guarded: ReadonlySet<string> = new Set(),
): RouteConfigurationJson {
  const routes = virtualServers.flatMap((vs) => [metadataRoute(gateway, vs, providers), ...endpointRoutes(gateway, vs, servers, guarded.has(vs.name))]);
  return {
    name: names.routes(gateway.name),
    virtual_hosts: [{ name: gateway.name, domains: [...gateway.hostnames], routes }, ...refusedHostVirtualHost(gateway)],
    request_headers_to_remove: ['authorization', 'proxy-authorization', 'x-envoy-original-path'],
    ...(gateway.tls ? { response_headers_to_add: hstsHeaders(gateway) } : {}),
  };
}

/** GET /.well-known/oauth-protected-resource/mcp/<vs>: public, so the MCP filter and ext_authz are off. */
function metadataRoute(gateway: IrGateway, vs: IrVirtualServer, providers: readonly IrIdentityProvider[]): RouteJson {
  return {
    name: `${vs.name}-metadata`,
    match: { path: metadataPath(vs.name) },
    direct_response: { status: 200, body: { inline_string: JSON.stringify(protectedResourceMetadata(gateway, vs, providers)) } },
    response_headers_to_add: [
      { header: { key: 'content-type', value: 'application/json' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
      { header: { key: 'access-control-allow-origin', value: '*' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
      { header: { key: 'cache-control', value: 'max-age=300' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
      ...hstsHeaders(gateway),
    ],
    typed_per_filter_config: {
      'envoy.filters.http.mcp': disabledFilter(),
      'envoy.filters.http.ext_authz': disabledFilter(),
    },
  };
}

/**
 * /mcp/<vs>: a single-member virtual server goes straight to its server (full MCP fidelity:
 * sessions, GET event streams); an aggregated one goes through the internal mcp_router listener.
 * GET opens a server-sent event stream, so it gets no overall timeout, only an idle timeout.
 * `tools/list` (known once the MCP filter has parsed the body) takes a route of its own that
 * switches on the per-caller list filter; `initialize` takes one that switches on session binding.
 * On an aggregated virtual server, the methods whose mcp_router answers need correcting take
 * another (see AGGREGATED_REWRITES; `initialize` is corrected on its own route).
 */
function endpointRoutes(gateway: IrGateway, vs: IrVirtualServer, servers: ReadonlyMap<string, IrServer>, guarded: boolean): RouteJson[] {
  const path = `/mcp/${vs.name}`;
  const only = vs.members[0];
  const rest = !vs.aggregated && only ? servers.get(only.server)?.rest : undefined;
  // An OpenAPI server's endpoint: every POST goes through the REST bridge, which writes the REST path itself.
  const context = {
    'envoy.filters.http.ext_authz': extAuthzContext(gateway.name, vs.name),
    ...(rest ? { [REST_BRIDGE_FILTER]: restBridgeOn(vs, rest) } : {}),
  };
  const upstream: RouteActionJson =
    vs.aggregated || !only
      ? {
          cluster: names.routerCluster(gateway.name),
          timeout: protoDuration(Math.max(...vs.members.map((m) => servers.get(m.server)?.upstream.timeoutMs ?? 0), 1000) + 1000),
        }
      : directTarget(memberServer(servers, only.server), rest !== undefined);
  const target: RouteActionJson = { ...upstream, rate_limits: subjectRateLimits(vs.name) };
  const method = (name: string): RouteJson['match'] => ({ path, dynamic_metadata: [methodMatcher({ exact: name })] });
  const { sessions, streams } = effectiveLimits(gateway, vs);
  const stream: RouteJson = rest
    ? { name: `${vs.name}-stream`, match: { path, headers: [{ name: ':method', string_match: { exact: 'GET' } }] }, direct_response: { status: 405 } }
    : {
        name: `${vs.name}-stream`,
        match: { path, headers: [{ name: ':method', string_match: { exact: 'GET' } }] },
        route: { ...target, timeout: '0s', idle_timeout: STREAM_IDLE_TIMEOUT },
        typed_per_filter_config: { ...context, [SESSION_BINDING_FILTER]: streamLimitsOn({ sessions, streams }) },
        ...SESSION_HEADERS,
      };
  const initialize: RouteJson = {
    name: `${vs.name}-initialize`,
    match: method('initialize'),
    route: target,
    typed_per_filter_config: { ...context, [SESSION_BINDING_FILTER]: sessionBindingFilterOn({ sessions, streams }) },
    ...SESSION_REQUEST_HEADERS,
  };
  const toolsList: RouteJson = {
    name: `${vs.name}-tools-list`,
    match: method('tools/list'),
    route: target,
    typed_per_filter_config: { ...context, [RESPONSE_REWRITE_FILTER]: rewriteToolsListOn() },
    ...SESSION_HEADERS,
  };
  const calls: RouteJson = { name: `${vs.name}-mcp`, match: { path }, route: target, typed_per_filter_config: context, ...SESSION_HEADERS };
  // Every tools/call takes a route whose response is read, to record how the call ended and what the
  // audit keeps of its result: by the guardrails where a tool is guarded, by the aggregated-call
  // rewriter on an aggregated virtual server; else by the result recorder for the tools that keep
  // their results, and by Envoy's call-outcome script for the others.
  const retentions = resultRetentions(gateway, vs, servers);
  const guardrails: Record<string, AnyJson> = guarded ? { [GUARDRAILS_FILTER]: guardrailsOn(retentions) } : {};
  const toolsCall = (recorded: Record<string, AnyJson>, name = `${vs.name}-tools-call`, match = method('tools/call')): RouteJson => ({
    name, match, route: target, typed_per_filter_config: { ...context, ...recorded }, ...SESSION_HEADERS,
  });
  const kept = Object.keys(retentions);
  const keptCalls = kept.length === 0
    ? []
    : [toolsCall({ [RESPONSE_REWRITE_FILTER]: recordResultsOn(retentions) }, `${vs.name}-tools-call-kept`, keptToolsMatch(path, kept))];
  const singleCalls = guarded ? [toolsCall(guardrails)] : [...keptCalls, toolsCall({ [CALL_OUTCOME_FILTER]: callOutcomeOn() })];
  if (!vs.aggregated) return [stream, initialize, toolsList, ...singleCalls, calls];
  const capabilities = aggregatedCapabilities(vs.members.map((m) => servers.get(m.server)?.capabilities ?? []));
  const aggregatedInitialize: RouteJson = {
    ...initialize,
    typed_per_filter_config: { ...initialize.typed_per_filter_config, [RESPONSE_REWRITE_FILTER]: rewriteAggregatedOn(capabilities) },
  };
  const rewrites: RouteJson = {
    name: `${vs.name}-aggregated-rewrites`,
    match: { path, dynamic_metadata: [methodMatcher({ safe_regex: { regex: `^(${AGGREGATED_REWRITES.join('|')})$` } })] },
    route: target,
    typed_per_filter_config: { ...context, [RESPONSE_REWRITE_FILTER]: rewriteAggregatedOn(capabilities) },
    ...SESSION_HEADERS,
  };
  const toolCalls: RouteJson = {
    name: `${vs.name}-tools-call`,
    match: method('tools/call'),
    route: target,
    typed_per_filter_config: { ...context, [RESPONSE_REWRITE_FILTER]: rewriteAggregatedCallOn(guarded ? undefined : retentions), ...guardrails },
    ...SESSION_HEADERS,
  };
  return [aggregatedInitialize, toolsList, rewrites, toolCalls, calls];
}

/**
 * The methods of an aggregated virtual server whose answers the gateway corrects besides
 * `initialize` (mcp_router's fixed capabilities, corrected on the initialize route): `prompts/get`,
 * `resources/read`, `completion/complete` (an event stream labelled JSON; a plain-text 400 for a
 * name it cannot route), and the subscriptions it cannot carry (refused with the reason).
 * `tools/call` has a streaming route of its own; everything else goes through untouched.
 */
const AGGREGATED_REWRITES = ['prompts/get', 'resources/read', 'completion/complete', 'resources/subscribe', 'resources/unsubscribe'];

/** A tools/call of one of the named tools (public names, as the client calls them). */
function keptToolsMatch(path: string, tools: readonly string[]): RouteJson['match'] {
  const names = tools.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return {
    path,
    dynamic_metadata: [
      methodMatcher({ exact: 'tools/call' }),
      { filter: MCP_METADATA_NAMESPACE, path: [{ key: 'params' }, { key: 'name' }], value: { string_match: { safe_regex: { regex: `^(${names})$` } } } },
    ],
  };
}

function methodMatcher(match: Json<'envoy.type.matcher.v3.StringMatcher'>): Json<'envoy.type.matcher.v3.MetadataMatcher'> {
  return { filter: MCP_METADATA_NAMESPACE, path: [{ key: 'method' }], value: { string_match: match } };
}

/**
 * Session binding, request side, on every route (artifacts/src/session-token.ts): the server gets its
 * own session id, from the payload of the session id jwt_authn verified (none verified: the client's
 * header stays, and RBAC or ext_authz refuses it).
 */
const SESSION_REQUEST_HEADERS = {
  request_headers_to_add: [
    {
      header: { key: SESSION_HEADER, value: `%DYNAMIC_METADATA(${JWT_METADATA_NAMESPACE}:${SESSION_PAYLOAD_KEY}:${SESSION_CLAIMS.upstreamId})%` },
      append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
    },
  ],
} satisfies Pick<RouteJson, 'request_headers_to_add'>;

/**
 * Session binding on every route but `initialize` (whose response the session-binding processor
 * answers): the client gets its own id back in place of whatever id the server sent (Envoy removes
 * before it adds; an empty value adds nothing), so a client never sees an upstream's session id.
 */
const SESSION_HEADERS = {
  ...SESSION_REQUEST_HEADERS,
  response_headers_to_remove: [SESSION_HEADER],
  response_headers_to_add: [
    {
      header: { key: SESSION_HEADER, value: `%DYNAMIC_METADATA(${SESSION_METADATA_NAMESPACE}:${CLIENT_SESSION_KEY})%` },
      append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
    },
  ],
} satisfies Pick<RouteJson, 'request_headers_to_add' | 'response_headers_to_remove' | 'response_headers_to_add'>;

/** A REST server's route keeps its path: the bridge replaces it with the operation's. */
function directTarget(server: IrServer, rest: boolean): RouteActionJson {
  const up = server.upstream;
  return {
    cluster: names.serverCluster(server.name),
    ...(rest ? {} : { prefix_rewrite: up.path }),
    host_rewrite_literal: up.hostHeader,
    timeout: protoDuration(up.timeoutMs),
  };
}

/** Routes of the internal listener: each aggregated virtual server to its mcp_multicluster cluster. */
export function routerRoutes(gateway: IrGateway, virtualServers: readonly IrVirtualServer[]): RouteConfigurationJson {
  return {
    name: names.routerRoutes(gateway.name),
    virtual_hosts: [
      {
        name: `${gateway.name}-mcp-router`,
        domains: ['*'],
        routes: virtualServers
          .filter((vs) => vs.aggregated)
          .map((vs): RouteJson => ({ name: `${vs.name}-mcp`, match: { path: `/mcp/${vs.name}` }, route: { cluster: names.virtualServerCluster(vs.name) } })),
      },
    ],
  };
}
