// DNS-rebinding protection at the gateway: requests are routed only for the Host headers a gateway
// accepts (its virtual host's domains); any other Host falls to a last virtual host that refuses it
// with 403 and a JSON-RPC error body, before any filter that would call the control plane or a server.
import type { IrGateway } from '../../ir/types.ts';
import { disabledFilter } from './http-filters.ts';
import type { Json } from '../../../../artifacts/src/envoy-json.ts';

type VirtualHostJson = Json<'envoy.config.route.v3.VirtualHost'>;

/** The body a refused Host gets: what was refused and where to go instead (the Host itself is not echoed). */
export function refusedHostBody(gateway: IrGateway): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: {
      code: -32600,
      message: `this gateway does not serve the Host this request names (DNS-rebinding protection); use ${gateway.publicUrl}`,
    },
  });
}

/** The virtual host that refuses every other Host; none when the gateway accepts every Host (`allowedHosts: ["*"]`). */
export function refusedHostVirtualHost(gateway: IrGateway): VirtualHostJson[] {
  if (gateway.hostnames.includes('*')) return [];
  return [
    {
      name: `${gateway.name}-refused-host`,
      domains: ['*'],
      routes: [
        {
          name: `${gateway.name}-refused-host`,
          match: { prefix: '/' },
          direct_response: { status: 403, body: { inline_string: refusedHostBody(gateway) } },
          response_headers_to_add: [{ header: { key: 'content-type', value: 'application/json' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
          typed_per_filter_config: {
            'envoy.filters.http.mcp': disabledFilter(),
            'envoy.filters.http.ext_authz': disabledFilter(),
          },
        },
      ],
    },
  ];
}
