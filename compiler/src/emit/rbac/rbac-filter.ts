// Envoy's RBAC filter for the tools/calls decided at compile time (compiler/src/partial/): one ALLOW
// policy per tool that some caller may call, named `rbac:<virtual server>/<tool>`, whose principal is
// the grants' holders minus the callers an organisation rule denies; and one policy, `ext_authz`,
// that lets everything else through to ext_authz. A tools/call of an RBAC-decided tool that no
// policy allows is denied here (deny by default), and ext_authz skips the requests an `rbac:` policy
// allowed (extAuthzFilter's filter_enabled_metadata). A call carrying an Mcp-Session-Id is decided
// here too when its session id is the caller's own (session-condition.ts); any other session id goes
// to ext_authz (a policy `ext_authz/session:<virtual server>`), which refuses it as an unknown session.
import type { IrGateway } from '../../ir/types.ts';
import type { PolicyData } from '../policy/policy-data.ts';
import type { StaticDecisions, ToolPlacement } from '../../partial/placements.ts';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE, RBAC_DECIDED_PREFIX } from '../../../../artifacts/src/metadata-names.ts';
import { and, FALSE, holds, not, or, teamsExactly, type ClaimTest, type Condition } from './subject-conditions.ts';
import { sessionAllows, sessionRefused } from './session-condition.ts';

type HttpFilterJson = Json<'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter'>;
type PrincipalJson = Json<'envoy.config.rbac.v3.Principal'>;
type PermissionJson = Json<'envoy.config.rbac.v3.Permission'>;
type PolicyJson = Json<'envoy.config.rbac.v3.Policy'>;

export const RBAC_FILTER = 'envoy.filters.http.rbac';
/** The policy that passes every request RBAC does not decide on to ext_authz. */
export const EXT_AUTHZ_POLICY = 'ext_authz';

/** The static decisions with the policy data they were computed from (what the principals' conditions read). */
export interface PlacedDecisions {
  readonly data: PolicyData;
  readonly decisions: StaticDecisions;
}

/** Who may call a placed tool: a grant's holder whose teams no organisation rule denies it to. */
export function allowCondition(data: PolicyData, decisions: StaticDecisions, placement: ToolPlacement): Condition {
  if (placement.alwaysDenied) return FALSE;
  const granted = or(...placement.principals.map((p) => holds(data, p)));
  const denied = or(...placement.deniedTeamSets.map((set) => teamsExactly(data, set, decisions.teams)));
  return and(granted, not(denied));
}

/** The placements of the gateway's virtual servers decided by RBAC; undefined when the gateway keeps every decision in ext_authz. */
export function rbacPlacements(gateway: IrGateway, decisions: StaticDecisions | undefined): ToolPlacement[] | undefined {
  if (!decisions || gateway.staticDecisions !== 'rbac') return undefined;
  return decisions.placements.filter((p) => p.layer === 'rbac' && gateway.virtualServers.includes(p.virtualServer));
}

export function rbacFilter(data: PolicyData, decisions: StaticDecisions, placements: readonly ToolPlacement[]): HttpFilterJson {
  const policies: Record<string, PolicyJson> = {};
  for (const placement of placements) {
    const condition = allowCondition(data, decisions, placement);
    if (condition.kind === 'false') continue;
    policies[`${RBAC_DECIDED_PREFIX}${placement.virtualServer}/${placement.name}`] = {
      permissions: [toolCallPermission([placement])],
      principals: [principal(condition)],
      condition: sessionAllows(placement.virtualServer),
    };
  }
  for (const virtualServer of new Set(placements.map((p) => p.virtualServer))) {
    policies[`${EXT_AUTHZ_POLICY}/session:${virtualServer}`] = {
      permissions: [toolCallPermission(placements.filter((p) => p.virtualServer === virtualServer))],
      principals: [{ any: true }],
      condition: sessionRefused(virtualServer),
    };
  }
  const rest: PermissionJson = placements.length > 0 ? { not_rule: toolCallPermission(placements) } : { any: true };
  policies[EXT_AUTHZ_POLICY] = { permissions: [rest], principals: [{ any: true }] };
  return { name: RBAC_FILTER, typed_config: anyOf(TYPE.rbac, { rules: { action: 'ALLOW', policies: sortKeys(policies) } }) };
}

/** A tools/call of one of the placed tools at its virtual server's endpoint. */
function toolCallPermission(placements: readonly ToolPlacement[]): PermissionJson {
  const byVirtualServer = new Map<string, string[]>();
  for (const p of placements) byVirtualServer.set(p.virtualServer, [...(byVirtualServer.get(p.virtualServer) ?? []), p.name]);
  const endpoints = [...byVirtualServer].sort(([a], [b]) => (a < b ? -1 : 1)).map(([vs, tools]): PermissionJson => ({
    and_rules: {
      rules: [
        { url_path: { path: { exact: `/mcp/${vs}` } } },
        anyOfPermissions(tools.sort().map((name) => mcpMetadata(['params', 'name'], name))),
      ],
    },
  }));
  return {
    and_rules: {
      rules: [
        mcpMetadata(['method'], 'tools/call'),
        anyOfPermissions(endpoints),
      ],
    },
  };
}

function anyOfPermissions(rules: PermissionJson[]): PermissionJson {
  return rules.length === 1 ? (rules[0] as PermissionJson) : { or_rules: { rules } };
}

function mcpMetadata(path: readonly string[], exact: string): PermissionJson {
  return {
    sourced_metadata: {
      metadata_matcher: { filter: MCP_METADATA_NAMESPACE, path: path.map((key) => ({ key })), value: { string_match: { exact } } },
    },
  };
}

/** A condition on the caller's claims as an RBAC principal on jwt_authn's payload metadata. */
export function principal(condition: Condition): PrincipalJson {
  switch (condition.kind) {
    case 'true':
      return { any: true };
    case 'false':
      return { not_id: { any: true } };
    case 'and':
      return { and_ids: { ids: condition.of.map(principal) } };
    case 'or':
      return { or_ids: { ids: condition.of.map(principal) } };
    case 'not':
      return { not_id: principal(condition.of) };
    case 'claim':
      return {
        sourced_metadata: {
          metadata_matcher: { filter: JWT_METADATA_NAMESPACE, path: [{ key: JWT_PAYLOAD_KEY }, { key: condition.claim }], value: valueMatcher(condition.test) },
        },
      };
  }
}

function valueMatcher(test: ClaimTest): Json<'envoy.type.matcher.v3.ValueMatcher'> {
  if ('equals' in test) return { string_match: { exact: test.equals } };
  if ('contains' in test) return { list_match: { one_of: { string_match: { exact: test.contains } } } };
  return { bool_match: true };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
