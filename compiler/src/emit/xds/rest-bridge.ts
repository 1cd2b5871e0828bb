// Envoy's mcp_json_rest_bridge for McpServers generated from OpenAPI documents: JSON-RPC in, the REST
// request out through the router to the server's cluster (whose upstream filters inject the
// credential, as for any server), the REST response wrapped as the tool result. `initialize` and
// `tools/list` are answered by the bridge itself (tools/list from the compiled list, which the
// response-rewrite ext_proc then cuts per caller like any other). The filter sits last before the
// router and acts only on routes with a per-route config (`per_route_only`), the endpoints of virtual
// servers whose member is an OpenAPI server. It keeps the route it was given (`disable_clear_route_cache`):
// the REST path it writes must not be matched against the gateway's MCP routes.
import type { AnyJson } from '@bufbuild/protobuf/wkt';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import type { IrRestApi, IrRestTool } from '../../ir/rest.ts';
import type { IrGateway, IrVirtualServer } from '../../ir/types.ts';
import type { HttpFilter } from './http-filters.ts';

export const REST_BRIDGE_FILTER = 'envoy.filters.http.mcp_json_rest_bridge';

type ToolConfigJson = Json<'envoy.extensions.filters.http.mcp_json_rest_bridge.v3.ToolConfig'>;
type HttpRuleJson = Json<'envoy.extensions.filters.http.mcp_json_rest_bridge.v3.HttpRule'>;

export function restBridgeFilter(gateway: IrGateway): HttpFilter {
  return {
    name: REST_BRIDGE_FILTER,
    typed_config: anyOf(TYPE.mcpJsonRestBridge, { per_route_only: true, disable_clear_route_cache: true, max_request_body_size: gateway.maxRequestBytes }),
  };
}

/** The per-route config of a virtual server's endpoint: the tools it exposes, under their public names. */
export function restBridgeOn(vs: IrVirtualServer, rest: IrRestApi): AnyJson {
  const byName = new Map(rest.tools.map((t) => [t.tool, t]));
  const tools = vs.tools.flatMap((publicTool): ToolConfigJson[] => {
    const tool = byName.get(publicTool.tool);
    return tool ? [toolConfig(publicTool.publicName, tool)] : [];
  });
  return anyOf(TYPE.mcpJsonRestBridgePerRoute, {
    tool_config: [{ tools, tool_list_local: {}, default_server_info: { path: `/mcp/${vs.name}` } }],
  });
}

function toolConfig(name: string, tool: IrRestTool): ToolConfigJson {
  const rule: HttpRuleJson = {
    [tool.method]: tool.path,
    ...(tool.bodyArgument ? { body: tool.bodyArgument } : {}),
    ...(tool.headers.length > 0 ? { bindings: tool.headers.map((h) => ({ type: 'HEADER' as const, name: h.header, argument_path: h.argument })) } : {}),
  };
  return {
    name,
    http_rule: rule,
    tool_list_config: { description: tool.description, input_schema: JSON.stringify(tool.inputSchema) },
  };
}
