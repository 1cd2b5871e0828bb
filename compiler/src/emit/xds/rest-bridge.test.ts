// The REST bridge's per-route config: the virtual server's tools under their public names, each
// with the REST request and the tools/list entry; the filter acts only where configured.
import { describe, expect, it } from 'vitest';
import type { IrRestApi } from '../../ir/rest.ts';
import type { IrGateway, IrVirtualServer } from '../../ir/types.ts';
import { restBridgeFilter, restBridgeOn } from './rest-bridge.ts';

const rest: IrRestApi = {
  document: 'apis/crm.yaml',
  source: { file: 'registry/mcp-servers/crm.yaml', line: 14, column: 3 },
  tools: [
    { tool: 'get_customer', method: 'get', path: '/v2/customers/{id}', headers: [], inputSchema: { type: 'object' }, description: 'One customer.' },
    {
      tool: 'update_customer',
      method: 'put',
      path: '/v2/customers/{id}',
      bodyArgument: 'body',
      headers: [{ header: 'if-match', argument: 'If-Match' }],
      inputSchema: { type: 'object', required: ['id'] },
      description: 'Replaces a customer.',
    },
  ],
};
const vs = {
  name: 'crm',
  members: [{ server: 'crm', tools: ['get_customer'] }],
  aggregated: false,
  tools: [{ publicName: 'get_customer', server: 'crm', tool: 'get_customer' }],
} as Pick<IrVirtualServer, 'name' | 'members' | 'aggregated' | 'tools'> as IrVirtualServer;

describe('the REST bridge config', () => {
  it('acts only on routes that configure it, keeping their route, with the gateway\'s body limit', () => {
    expect(restBridgeFilter({ maxRequestBytes: 65536 } as IrGateway).typed_config).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.mcp_json_rest_bridge.v3.McpJsonRestBridge',
      per_route_only: true,
      disable_clear_route_cache: true,
      max_request_body_size: 65536,
    });
  });

  it('holds only the tools the virtual server exposes, at its MCP path', () => {
    expect(restBridgeOn(vs, rest)).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.mcp_json_rest_bridge.v3.McpJsonRestBridgePerRoute',
      tool_config: [
        {
          tools: [
            {
              name: 'get_customer',
              http_rule: { get: '/v2/customers/{id}' },
              tool_list_config: { description: 'One customer.', input_schema: '{"type":"object"}' },
            },
          ],
          tool_list_local: {},
          default_server_info: { path: '/mcp/crm' },
        },
      ],
    });
  });

  it('sends the body argument as the body and header arguments as headers', () => {
    const all = { ...vs, tools: rest.tools.map((t) => ({ publicName: t.tool, server: 'crm', tool: t.tool })) };
    const config = restBridgeOn(all, rest) as unknown as { tool_config: { tools: { http_rule: unknown }[] }[] };
    expect(config.tool_config[0]?.tools[1]?.http_rule).toEqual({
      put: '/v2/customers/{id}',
      body: 'body',
      bindings: [{ type: 'HEADER', name: 'if-match', argument_path: 'If-Match' }],
    });
  });
});
