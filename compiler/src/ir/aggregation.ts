// What an aggregated virtual server (Envoy 1.40's mcp_router) can carry of its members'
// capabilities, checked against the pinned binary (test/e2e/aggregated-fidelity.test.ts):
// - mcp_router has no standalone GET event stream (it answers GET with 405, which streamable HTTP
//   allows), so nothing a member sends outside a request reaches the client: list-changed
//   notifications, resource-update notifications, log messages outside a request;
// - it streams a member's tools/call event stream through without prefixing the ids of the
//   member's own requests, then refuses the client's answers (400 "Invalid server response ID"): the
//   gateway prefixes them (xds-server/src/response-rewrite/prefix-server-requests.ts), so sampling
//   and elicitation inside a tool call work; a request sent outside any call has no stream to go on.
import type { ServerCapability } from '../schema/capabilities.ts';

/** Why mcp_router cannot carry a capability; capabilities it carries are absent. */
export const LOST_WHEN_AGGREGATED: Readonly<Partial<Record<ServerCapability, string>>> = {
  'resources.subscribe': 'mcp_router has no standalone GET event stream, so notifications/resources/updated never reach the client',
  listChanged: 'mcp_router has no standalone GET event stream, so list-changed notifications never reach the client',
  roots:
    'a member asks for roots on its own (after initialization, on notifications/roots/list_changed), which needs the standalone GET event ' +
    'stream mcp_router does not have; only a roots/list sent inside a tool call reaches the client',
};

/** The `initialize` capabilities of an aggregated virtual server: tools, and what its members declare that mcp_router carries. */
export function aggregatedCapabilities(members: readonly (readonly ServerCapability[])[]): Record<string, Record<string, never>> {
  const declared = new Set(members.flat());
  const capabilities: Record<string, Record<string, never>> = { tools: {} };
  for (const name of ['prompts', 'resources', 'completions', 'logging'] as const) {
    if (declared.has(name)) capabilities[name] = {};
  }
  return capabilities;
}
