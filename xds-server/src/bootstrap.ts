// The bootstrap of an Envoy that takes all its configuration over ADS from the control plane.

export interface BootstrapOptions {
  readonly nodeId: string;
  readonly fleet: string;
  readonly xdsHost: string;
  readonly xdsPort: number;
  /** Envoy's own admin endpoint (on 127.0.0.1). */
  readonly adminPort: number;
}

export const XDS_CLUSTER = 'gatehouse-xds';

export function envoyBootstrap(options: BootstrapOptions): Record<string, unknown> {
  const ads = { ads: {}, resource_api_version: 'V3' };
  return {
    node: { id: options.nodeId, cluster: options.fleet },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: options.adminPort } } },
    bootstrap_extensions: [
      {
        name: 'envoy.bootstrap.internal_listener',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener' },
      },
    ],
    dynamic_resources: {
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER } }],
        set_node_on_first_message_only: true,
      },
      cds_config: ads,
      lds_config: ads,
    },
    static_resources: {
      clusters: [
        {
          name: XDS_CLUSTER,
          type: /^[0-9.]+$/.test(options.xdsHost) ? 'STATIC' : 'STRICT_DNS',
          connect_timeout: '1s',
          load_assignment: {
            cluster_name: XDS_CLUSTER,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: options.xdsHost, port_value: options.xdsPort } } } }] }],
          },
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '30s', timeout: '5s' } } },
            },
          },
        },
      ],
    },
  };
}
