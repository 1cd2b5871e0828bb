// The audit fields of a request Envoy's RBAC filter decided (compiler/src/emit/rbac/): no ext_authz
// call was made, so its access-log entry lacks the decision metadata. The access-log sink (off the
// request's path) evaluates the same policy on what the entry logged (the MCP filter's method and
// tool, the verified claims, the virtual server from the path) and adds the metadata ext_authz
// would have, so the audit record has the same fields as any other. The body is not logged: such a
// record has no argument digest (RBAC decides only tools whose rules do not read arguments).
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import type { PolicyInput } from '../authz/check-input.ts';
import { isDecision, type Decision } from '../authz/decision.ts';
import { annotateDecision, type AuditContext } from './decision-annotations.ts';
import { EXT_AUTHZ_METADATA_NAMESPACE, gatewayOf } from './access-log-record.ts';
import { virtualServerOfRoute } from './virtual-server-route.ts';
import { canonicalJson } from '../../../artifacts/src/audit/canonical-json.ts';
import { DECISION_ENTRYPOINT, type PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import {
  JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE,
} from '../../../artifacts/src/metadata-names.ts';
import { allowingRbacPolicy } from '../authz/rbac-decided.ts';

type Json = Record<string, unknown>;

/** `entry` with ext_authz's decision metadata added when RBAC decided it; otherwise `entry` itself. */
export function withRbacDecision(entry: AccessLogEntry, engine: PolicyEngine | undefined, context: AuditContext | undefined): AccessLogEntry {
  const common = obj(entry.entry.commonProperties);
  const filterMetadata = obj(obj(common.metadata).filterMetadata);
  if (EXT_AUTHZ_METADATA_NAMESPACE in filterMetadata || !engine) return entry;
  const policy = allowingRbacPolicy(filterMetadata);
  const response = obj(entry.entry.response);
  const allowedByRbac = policy !== undefined;
  const deniedByRbac = typeof response.responseCodeDetails === 'string' && response.responseCodeDetails.startsWith('rbac_access_denied');
  if (!allowedByRbac && !deniedByRbac) return entry;

  const input = policyInput(entry, filterMetadata);
  let decision = evaluated(engine, input);
  if (!decision) return entry;
  // The outcome is what Envoy did; the policy gives the reasons, team and the rest. Should they
  // ever disagree (new artifacts between the call and its log entry), the record says so.
  if (decision.allowed !== allowedByRbac) {
    const reasons = [`decided by Envoy RBAC policy ${policy ?? '(none matched)'}; the policy in force now decides otherwise`];
    decision = { ...decision, allowed: allowedByRbac, reasons, dynamic_metadata: { ...decision.dynamic_metadata, reasons } };
  }
  const annotated = annotateDecision(input, decision, context);
  const metadata = { ...annotated.dynamic_metadata, decision: allowedByRbac ? 'allow' : 'deny' };
  return {
    ...entry,
    entry: {
      ...entry.entry,
      commonProperties: { ...common, metadata: { ...obj(common.metadata), filterMetadata: { ...filterMetadata, [EXT_AUTHZ_METADATA_NAMESPACE]: metadata } } },
    },
  };
}

/**
 * The policy's decision on an RBAC-decided call, remembered per engine (a policy set) for the calls of the
 * same caller, method, tool and virtual server: what RBAC decides reads nothing else (compiler/src/partial/),
 * and an agent calls the same tools with the same token again and again. The claims are keyed in canonical
 * JSON: Envoy writes a Struct's fields in no fixed order, so one token's claims come in a different order
 * from one log entry to the next.
 */
const remembered = new WeakMap<PolicyEngine, Map<string, Decision>>();
const REMEMBERED_PER_ENGINE = 4096;

function evaluated(engine: PolicyEngine, input: PolicyInput): Decision | undefined {
  const { gateway, virtual_server: virtualServer, method, name } = input.mcp;
  const key = canonicalJson([gateway ?? null, virtualServer ?? null, method ?? null, name ?? null, input.jwt?.claims ?? null]);
  let decisions = remembered.get(engine);
  if (!decisions) remembered.set(engine, (decisions = new Map<string, Decision>()));
  const known = decisions.get(key);
  if (known) return known;
  let decision: Decision;
  try {
    const result = engine.evaluate(DECISION_ENTRYPOINT, input);
    if (!isDecision(result)) return undefined;
    decision = result;
  } catch {
    return undefined;
  }
  if (decisions.size >= REMEMBERED_PER_ENGINE) decisions.delete(decisions.keys().next().value as string);
  decisions.set(key, decision);
  return decision;
}

function policyInput(entry: AccessLogEntry, filterMetadata: Json): PolicyInput {
  const request = obj(entry.entry.request);
  const mcp = obj(filterMetadata[MCP_METADATA_NAMESPACE]);
  const params = obj(mcp.params);
  const claims = obj(filterMetadata[JWT_METADATA_NAMESPACE])[JWT_PAYLOAD_KEY];
  const path = typeof request.path === 'string' ? request.path : '';
  // The logged path is the upstream's (rewritten); the route's name says the virtual server (emit/xds/routes.ts).
  const virtualServer = virtualServerOfRoute(obj(entry.entry.commonProperties).routeName) ?? /^\/mcp\/([^/?]+)/.exec(path)?.[1];
  const call: Json = {};
  if (virtualServer) call.virtual_server = virtualServer;
  call.gateway = gatewayOf(entry.logName);
  for (const [key, value] of [['method', mcp.method], ['id', mcp.id], ['name', params.name]] as const) if (value !== undefined) call[key] = value;
  return {
    attributes: { request: { http: { method: typeof request.requestMethod === 'string' ? request.requestMethod : 'POST', path, headers: {} } } },
    parsed_path: path.split('?')[0]?.replace(/^\//, '').split('/') ?? [],
    parsed_query: {},
    parsed_body: null,
    truncated_body: false,
    version: { ext_authz: 'v3', encoding: 'protojson' },
    mcp: call,
    ...(claims && typeof claims === 'object' ? { jwt: { claims: claims as Json } } : {}),
  };
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
