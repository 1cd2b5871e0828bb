// Turns one Envoy access-log entry (HTTPAccessLogEntry, protobuf JSON) into an audit record. The
// MCP filter's metadata gives the method and public tool name, jwt_authn's the verified claims, and
// ext_authz's the policy's decision with the control plane's audit fields (decision-annotations.ts).
import {
  CALL_OUTCOMES, type AuditArguments, type AuditDecision, type AuditRequest, type AuditResult, type CallOutcome,
} from '../../../artifacts/src/audit/audit-line.ts';
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import { DETECTOR_TYPES, GUARDRAIL_ACTIONS, type GuardrailHit } from '../../../artifacts/src/guardrails/guardrail-set.ts';
import { virtualServerOfRoute } from './virtual-server-route.ts';
import {
  GUARDRAILS_METADATA_NAMESPACE, JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE, RESULTS_METADATA_NAMESPACE,
} from '../../../artifacts/src/metadata-names.ts';

export const EXT_AUTHZ_METADATA_NAMESPACE = 'envoy.filters.http.ext_authz';
/** The access-log custom tag that carries Envoy's trace id (listeners.ts). */
export const TRACE_ID_TAG = 'trace_id';

type Json = Record<string, unknown>;

/** The gateway an entry came from: the access log is named `gatehouse/<gateway>` (names.accessLogName). */
export function gatewayOf(logName: string): string {
  const match = /^gatehouse\/([a-z0-9-]+)$/.exec(logName);
  return match?.[1] ?? 'unknown';
}

/** The dynamic metadata an access-log entry carries, by filter namespace. */
export function loggedFilterMetadata(log: AccessLogEntry): Record<string, unknown> {
  return obj(obj(obj((log.entry as Json).commonProperties).metadata).filterMetadata);
}

export function auditRecordOf(log: AccessLogEntry): AuditRequest {
  const entry = log.entry as Json;
  const common = obj(entry.commonProperties);
  const request = obj(entry.request);
  const response = obj(entry.response);
  const metadata = loggedFilterMetadata(log);
  const mcp = obj(metadata[MCP_METADATA_NAMESPACE]);
  const authz = metadata[EXT_AUTHZ_METADATA_NAMESPACE] as Json | undefined;
  const claims = obj(obj(metadata[JWT_METADATA_NAMESPACE])[JWT_PAYLOAD_KEY]);
  const params = obj(mcp.params);
  const a = authz ?? {};
  const status = Number(response.responseCode ?? 0);
  const details = str(response.responseCodeDetails) ?? '';
  const decision = decisionOf(authz, status);
  const guardrails = obj(metadata[GUARDRAILS_METADATA_NAMESPACE]);
  const hits = guardrailHits(guardrails.hits);
  const routeVirtualServer = virtualServerOfRoute(common.routeName);
  const ended = obj(metadata[RESULTS_METADATA_NAMESPACE]);
  const outcome = (CALL_OUTCOMES as readonly unknown[]).includes(ended.outcome) ? (ended.outcome as CallOutcome) : undefined;
  const result = resultOf(ended.result);
  return {
    type: 'request',
    time: str(common.startTime) ?? '',
    request_id: str(request.requestId) ?? '',
    trace_id: traceIdOf(common, request, params),
    gateway: gatewayOf(log.logName),
    node: log.node,
    subject: { sub: nonEmpty(a.subject) ?? str(claims.sub) ?? null, email: str(a.email) ?? str(claims.email) ?? null },
    team: nonEmpty(a.team) ?? null,
    teams: Array.isArray(a.teams) ? a.teams.filter((t): t is string => typeof t === 'string') : [],
    virtual_server: nonEmpty(a.virtual_server) ?? routeVirtualServer ?? virtualServerOf(str(request.path)),
    server: nonEmpty(a.server) ?? null,
    tool: nonEmpty(a.tool) ?? null,
    public_tool: str(params.name) ?? null,
    method: str(mcp.method) ?? null,
    jsonrpc_id: typeof mcp.id === 'number' || typeof mcp.id === 'string' ? mcp.id : null,
    arguments: withoutGuardedValue(argumentsOf(a.arguments), hits),
    http: { method: str(request.requestMethod) ?? '', path: clientPath(str(request.path) ?? '', routeVirtualServer), status, details },
    jsonrpc_error: errorOf(a.error) ?? errorOf(guardrails.error) ?? errorOf(ended.error) ?? (decision === 'rejected' ? localReplyError(status, details) : null),
    latency_ms: durationMs(common.duration),
    bytes: { received: Number(common.downstreamWireBytesReceived ?? 0), sent: Number(common.downstreamWireBytesSent ?? 0) },
    decision,
    reasons: Array.isArray(a.reasons) ? a.reasons.filter((r): r is string => typeof r === 'string') : decision === 'rejected' ? [details] : [],
    cost: typeof a.cost === 'number' ? a.cost : 0,
    cost_center: nonEmpty(a.cost_center) ?? null,
    policy_version: nonEmpty(a.policy_version) ?? null,
    ...(hits.length > 0 ? { guardrails: hits } : {}),
    ...(outcome ? { outcome } : {}),
    ...(result ? { result } : {}),
  };
}

/** What the result processor kept of the result (audit-result.ts), each field checked. */
function resultOf(value: unknown): AuditResult | undefined {
  const v = obj(value);
  if ((v.mode !== 'digest' && v.mode !== 'payload') || typeof v.digest !== 'string' || typeof v.bytes !== 'number') return undefined;
  return {
    mode: v.mode,
    digest: v.digest,
    bytes: v.bytes,
    ...(v.mode === 'payload' && 'value' in v ? { value: v.value } : {}),
    ...(v.truncated === true ? { truncated: true as const } : {}),
  };
}

/**
 * ext_authz records the arguments before the guardrails see them: when a guardrail found something in
 * them, the record keeps their digest but not their value, so the audit log never holds what a
 * guardrail blocked, redacted or flagged.
 */
function withoutGuardedValue(args: AuditArguments | null, hits: readonly GuardrailHit[]): AuditArguments | null {
  if (!args || !('value' in args) || !hits.some((h) => h.direction === 'arguments')) return args;
  return { digest: args.digest, mode: args.mode };
}

/** The guardrail processor's hits (guardrail-service.ts), each field checked: the metadata is the control plane's own, but read defensively. */
function guardrailHits(value: unknown): GuardrailHit[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): GuardrailHit[] => {
    const h = obj(item);
    const detector = h.detector;
    const action = h.action;
    const direction = h.direction;
    if (typeof h.rule !== 'string' || typeof h.count !== 'number') return [];
    if (detector !== 'oversize' && !(DETECTOR_TYPES as readonly unknown[]).includes(detector)) return [];
    if (!(GUARDRAIL_ACTIONS as readonly unknown[]).includes(action) || (direction !== 'arguments' && direction !== 'results')) return [];
    return [{
      rule: h.rule,
      detector: detector as GuardrailHit['detector'],
      ...(typeof h.label === 'string' ? { label: h.label } : {}),
      action: action as GuardrailHit['action'],
      direction,
      count: h.count,
    }];
  });
}

function decisionOf(authz: Json | undefined, status: number): AuditDecision {
  if (authz && (authz.decision === 'allow' || authz.decision === 'deny')) return authz.decision;
  return status >= 400 ? 'rejected' : 'none';
}

/** Envoy's trace id when it traced the request, else the client's traceparent (header, then MCP `_meta`). */
function traceIdOf(common: Json, request: Json, params: Json): string | null {
  const tagged = str(obj(common.customTags)[TRACE_ID_TAG]);
  if (tagged && /^[0-9a-f]{32}$/.test(tagged) && !/^0+$/.test(tagged)) return tagged;
  for (const candidate of [obj(request.requestHeaders).traceparent, obj(params._meta).traceparent]) {
    const match = typeof candidate === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(candidate) : null;
    const traceId = match?.[1];
    if (traceId && !/^0+$/.test(traceId)) return traceId;
  }
  return null;
}

function argumentsOf(value: unknown): AuditArguments | null {
  const v = obj(value);
  if (typeof v.digest !== 'string' || (v.mode !== 'digest' && v.mode !== 'redacted' && v.mode !== 'raw')) return null;
  return { digest: v.digest, mode: v.mode, ...('value' in v ? { value: v.value } : {}) };
}

function errorOf(value: unknown): { code: number; message: string } | null {
  const v = obj(value);
  return typeof v.code === 'number' ? { code: v.code, message: str(v.message) ?? '' } : null;
}

/** The JSON-RPC error of Envoy's own replies, as local_reply_config writes them (emit/xds/protected-resource.ts). */
function localReplyError(status: number, details: string): { code: number; message: string } | null {
  const code = status === 401 ? -32001 : status === 400 || status === 413 ? -32600 : status === 500 ? -32603 : status >= 502 ? -32000 : undefined;
  return code === undefined ? null : { code, message: details };
}

/**
 * The path the client called. Envoy logs the request's path after the router rewrote it (a
 * single-member virtual server's routes rewrite `/mcp/<name>` to the upstream's path, and the router
 * adds no x-envoy-original-path: suppress_envoy_headers), so an allowed call would be logged at the
 * upstream's path and a denied one at the client's. A virtual server's MCP routes match exactly
 * `/mcp/<name>` (emit/xds/routes.ts): the route's name gives it back.
 */
function clientPath(logged: string, routeVirtualServer: string | undefined): string {
  if (!routeVirtualServer) return logged;
  const endpoint = `/mcp/${routeVirtualServer}`;
  return logged === endpoint || logged.startsWith(`${endpoint}?`) ? logged : endpoint;
}

function virtualServerOf(path: string | undefined): string | null {
  const match = path ? /^\/mcp\/([a-z0-9-]+)(?:[/?]|$)/.exec(path) : null;
  return match?.[1] ?? null;
}

function durationMs(value: unknown): number {
  const match = typeof value === 'string' ? /^(-?[0-9.]+)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1e6) / 1e3 : 0;
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
