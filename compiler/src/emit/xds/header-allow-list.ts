// The request headers that reach MCP servers: an allow-list, enforced by a header_mutation filter
// just before the router. Everything else a client sends (cookies, `x-forwarded-host`,
// `x-real-ip`, `forwarded`, arbitrary `x-*` headers) is removed, so an MCP server never acts on a
// client's claim about who or where it is. Pseudo-headers (`:path`, `:authority`, …) are not
// request headers in this sense and are left alone. Headers added after this filter (the
// credential an upstream filter injects, the trace context Envoy's tracer writes) are unaffected.
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import type { HttpFilter } from './http-filters.ts';

/** The request headers an MCP server may see. Lower case: Envoy lower-cases header names. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = [
  // HTTP content negotiation and framing.
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'user-agent',
  // MCP Streamable HTTP.
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  // Trace context (a client's, or copied from `params._meta` by the MCP filter).
  'traceparent',
  'tracestate',
  // Set by Envoy: its request id, and the forwarding headers (x-forwarded-for is rewritten below).
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
];

/**
 * RE2 expressions that together match every non-empty header name that is neither in `allowed` nor
 * a pseudo-header. RE2 has no negative lookahead, so the complement is spelt out over a trie of the
 * allowed names: below each node, a character that leaves the trie, the node's own prefix when it
 * is not an allowed name, or a step down to a child. Envoy refuses expressions whose RE2 program
 * exceeds 100 instructions (runtime `re2.max_program_size.error_level`), so a subtree whose
 * expression would be longer than `maxLength` is split into one expression per branch (test/envoy checks Envoy accepts each).
 */
export function complementPatterns(allowed: readonly string[], maxLength = 150): string[] {
  interface Node { end: boolean; children: Map<string, Node> }
  const root: Node = { end: false, children: new Map() };
  for (const name of allowed) {
    let node = root;
    for (const ch of name) {
      let child = node.children.get(ch);
      if (!child) {
        child = { end: false, children: new Map() };
        node.children.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const escape = (ch: string) => (/[a-z0-9]/.test(ch) ? ch : `\\${ch}`);
  const sortedKeys = (node: Node) => [...node.children.keys()].sort();
  // Leaving the trie below `node`: any character but its children's (and, at the root, ':').
  const leave = (node: Node, isRoot: boolean) => {
    const excluded = [...(isRoot ? [':'] : []), ...sortedKeys(node)];
    return `${excluded.length === 0 ? '.' : `[^${excluded.map(escape).join('')}]`}.*`;
  };
  const rest = (node: Node, isRoot: boolean): string => {
    const branches = [leave(node, isRoot), ...sortedKeys(node).map((k) => `${escape(k)}${rest(node.children.get(k) as Node, false)}`)];
    if (!isRoot && !node.end) branches.unshift('');
    return `(?:${branches.join('|')})`;
  };
  const patterns: string[] = [];
  const split = (node: Node, prefix: string, isRoot: boolean): void => {
    const whole = `${prefix}${rest(node, isRoot)}`;
    if (whole.length <= maxLength) {
      patterns.push(whole);
      return;
    }
    if (!isRoot && !node.end) patterns.push(prefix);
    patterns.push(`${prefix}${leave(node, isRoot)}`);
    for (const k of sortedKeys(node)) split(node.children.get(k) as Node, `${prefix}${escape(k)}`, false);
  };
  split(root, '', true);
  return patterns;
}

/**
 * The filter. `x-forwarded-for` is rewritten to the one address Envoy determined for the client
 * (the peer, or with `trustedProxyHops` the address those trusted proxies reported), so neither a
 * client's own value nor a chain of untrusted hops reaches the server. `extra`: headers the gateway
 * itself sets for a server's upstream filters (the upstream token, on gateways with upstream identities).
 */
export function headerAllowListFilter(extra: readonly string[] = []): HttpFilter {
  type HeaderMutationJson = Json<'envoy.config.common.mutation_rules.v3.HeaderMutation'>;
  const removeOthers = complementPatterns([...FORWARDED_REQUEST_HEADERS, ...extra]).map((regex): HeaderMutationJson => ({
    remove_on_match: { key_matcher: { safe_regex: { regex } } },
  }));
  const forwardedFor: Json<'envoy.config.common.mutation_rules.v3.HeaderMutation'> = {
    append: {
      header: { key: 'x-forwarded-for', value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%' },
      append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
    },
  };
  return {
    name: 'envoy.filters.http.header_mutation',
    typed_config: anyOf(TYPE.headerMutation, { mutations: { request_mutations: [...removeOthers, forwardedFor] } }),
  };
}
