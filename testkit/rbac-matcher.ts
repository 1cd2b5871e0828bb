// A small RBAC engine with Envoy's semantics for the matchers Gatehouse emits (emit/rbac/): ALLOW
// action, policies tried in name order, permissions and principals ORed in a policy; and_*, or_*,
// not_*, any, url_path (exact, query ignored), header present_match, and sourced_metadata (dynamic
// metadata) with string exact/prefix, list one_of and bool matchers; a policy's parsed CEL
// `condition` (cel-eval.ts) over `metadata.filter_metadata` and `request.headers`. A missing metadata
// path or a value of another type does not match. Anything else throws, so the test cannot pass on a
// matcher it does not model.
import { celHolds } from './cel-eval.ts';

type Json = Record<string, unknown>;

export interface RbacRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Dynamic metadata by filter namespace. */
  readonly metadata: Readonly<Record<string, Json>>;
}

/** The allowing policy's name, or undefined when the filter denies. */
export function rbacAllows(typedConfig: Json, request: RbacRequest): string | undefined {
  const rules = typedConfig.rules as { action?: string; policies?: Record<string, { permissions: Json[]; principals: Json[]; condition?: Json }> };
  if (rules.action !== 'ALLOW') throw new Error(`unmodelled RBAC action ${String(rules.action)}`);
  for (const name of Object.keys(rules.policies ?? {}).sort()) {
    const policy = rules.policies?.[name];
    if (!policy || !policy.permissions.some((p) => permission(p, request)) || !policy.principals.some((p) => principal(p, request))) continue;
    const variables = { metadata: { filter_metadata: request.metadata }, request: { headers: request.headers, path: request.path } };
    if (policy.condition === undefined || celHolds(policy.condition, variables)) return name;
  }
  return undefined;
}

function permission(rule: Json, request: RbacRequest): boolean {
  if (rule.any === true) return true;
  if (rule.and_rules) return list(rule.and_rules, 'rules').every((r) => permission(r, request));
  if (rule.or_rules) return list(rule.or_rules, 'rules').some((r) => permission(r, request));
  if (rule.not_rule) return !permission(rule.not_rule as Json, request);
  if (rule.url_path) {
    const exact = ((rule.url_path as Json).path as Json | undefined)?.exact;
    if (typeof exact !== 'string') throw new Error('unmodelled url_path');
    return request.path.split('?')[0] === exact;
  }
  if (rule.header) {
    const header = rule.header as Json;
    if (header.present_match !== true) throw new Error('unmodelled header matcher');
    return String(header.name).toLowerCase() in request.headers;
  }
  if (rule.sourced_metadata) return sourcedMetadata(rule.sourced_metadata as Json, request);
  throw new Error(`unmodelled permission ${JSON.stringify(rule)}`);
}

function principal(id: Json, request: RbacRequest): boolean {
  if (id.any === true) return true;
  if (id.and_ids) return list(id.and_ids, 'ids').every((i) => principal(i, request));
  if (id.or_ids) return list(id.or_ids, 'ids').some((i) => principal(i, request));
  if (id.not_id) return !principal(id.not_id as Json, request);
  if (id.sourced_metadata) return sourcedMetadata(id.sourced_metadata as Json, request);
  throw new Error(`unmodelled principal ${JSON.stringify(id)}`);
}

function sourcedMetadata(sourced: Json, request: RbacRequest): boolean {
  if (sourced.metadata_source !== undefined && sourced.metadata_source !== 'DYNAMIC') throw new Error('unmodelled metadata source');
  const matcher = sourced.metadata_matcher as { filter: string; path: { key: string }[]; value: Json; invert?: boolean };
  if (matcher.invert) throw new Error('unmodelled inverted metadata matcher');
  let value: unknown = request.metadata[matcher.filter];
  for (const { key } of matcher.path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(key in value)) return false;
    value = (value as Json)[key];
  }
  return valueMatches(matcher.value, value);
}

function valueMatches(matcher: Json, value: unknown): boolean {
  if (matcher.string_match) {
    const m = matcher.string_match as Json;
    if (typeof value !== 'string') return false;
    if (typeof m.exact === 'string') return value === m.exact;
    if (typeof m.prefix === 'string') return value.startsWith(m.prefix);
    throw new Error('unmodelled string matcher');
  }
  if (matcher.list_match) {
    const oneOf = (matcher.list_match as Json).one_of as Json;
    return Array.isArray(value) && value.some((v) => valueMatches(oneOf, v));
  }
  if (typeof matcher.bool_match === 'boolean') return value === matcher.bool_match;
  throw new Error(`unmodelled value matcher ${JSON.stringify(matcher)}`);
}

function list(node: unknown, key: string): Json[] {
  const items = (node as Json)[key];
  if (!Array.isArray(items)) throw new Error(`malformed ${key}`);
  return items as Json[];
}
