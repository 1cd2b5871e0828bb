// The bootstrap of an Envoy that takes all its configuration over ADS from the control plane.
import { CONTROL_PLANE_CLUSTER } from '../../artifacts/src/metadata-names.ts';
import { adminBootstrap, type EnvoyAdminAddress } from './envoy-admin-address.ts';
import { controlPlaneTransportSocket, type EnvoyTlsOptions } from './tls/envoy-tls.ts';
import { adsApiType, DEFAULT_XDS_PROTOCOL, type XdsProtocol } from './xds-protocol.ts';
import { ADS_STREAM_RETRIES, CONTROL_PLANE_HEALTH_CHECKS, CONTROL_PLANE_OUTLIER_DETECTION } from '../../artifacts/src/control-plane-resilience.ts';

export interface BootstrapOptions {
  readonly nodeId: string;
  readonly fleet: string;
  readonly xdsHost: string;
  readonly xdsPort: number;
  /**
   * HA: the ADS addresses of the other control-plane replicas. The ADS cluster lists them all and
   * health-checks them; when the replica an Envoy streams from dies, it reconnects to another.
   */
  readonly moreXds?: readonly { readonly host: string; readonly port: number }[];
  /** Envoy's own admin interface: a unix socket (mode 0600), or a loopback port. */
  readonly admin: EnvoyAdminAddress;
  /** Mutual TLS with the control plane (tls/envoy-tls.ts); absent: plaintext, for a control plane run with --insecure-plaintext. */
  readonly tls?: EnvoyTlsOptions;
  /** The ADS protocol Envoy speaks: delta unless asked otherwise (xds-protocol.ts). */
  readonly xdsProtocol?: XdsProtocol;
}

export const XDS_CLUSTER = 'gatehouse-xds';
const INTERNAL_LISTENER_TYPE = 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener';

const HTTP2_OPTIONS = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '30s', timeout: '5s' } } },
  },
};

export function envoyBootstrap(options: BootstrapOptions): Record<string, unknown> {
  const ads = { ads: {}, resource_api_version: 'V3' };
  const transport = options.tls ? { transport_socket: controlPlaneTransportSocket(options.tls) } : {};
  const xds = [{ host: options.xdsHost, port: options.xdsPort }, ...(options.moreXds ?? [])];
  const replicated = xds.length > 1 ? { health_checks: CONTROL_PLANE_HEALTH_CHECKS, outlier_detection: CONTROL_PLANE_OUTLIER_DETECTION } : {};
  return {
    node: { id: options.nodeId, cluster: options.fleet },
    admin: adminBootstrap(options.admin),
    bootstrap_extensions: [{ name: 'envoy.bootstrap.internal_listener', typed_config: { '@type': INTERNAL_LISTENER_TYPE } }],
    dynamic_resources: {
      ads_config: {
        api_type: adsApiType(options.xdsProtocol ?? DEFAULT_XDS_PROTOCOL),
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER, retry_policy: ADS_STREAM_RETRIES } }],
        set_node_on_first_message_only: true,
      },
      cds_config: ads,
      lds_config: ads,
    },
    static_resources: {
      clusters: [
        {
          name: XDS_CLUSTER,
          type: xds.every((a) => /^[0-9.]+$/.test(a.host)) ? 'STATIC' : 'STRICT_DNS',
          connect_timeout: '1s',
          load_assignment: {
            cluster_name: XDS_CLUSTER,
            endpoints: [{ lb_endpoints: xds.map((a) => ({ endpoint: { address: { socket_address: { address: a.host, port_value: a.port } } } })) }],
          },
          typed_extension_protocol_options: HTTP2_OPTIONS,
          ...replicated,
          ...transport,
        },
        ...(options.tls ? [controlPlaneCluster(transport)] : []),
      ],
    },
  };
}

/**
 * Under mTLS the cluster of ext_authz, ext_proc and access logs is here rather than in CDS: its TLS
 * settings name this host's files. Its endpoints still come from the control plane (EDS).
 */
function controlPlaneCluster(transport: Record<string, unknown>): Record<string, unknown> {
  return {
    name: CONTROL_PLANE_CLUSTER,
    connect_timeout: '1s',
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
    typed_extension_protocol_options: HTTP2_OPTIONS,
    circuit_breakers: { thresholds: [{ max_connections: 1024, max_pending_requests: 4096, max_requests: 4096 }] },
    health_checks: CONTROL_PLANE_HEALTH_CHECKS,
    outlier_detection: CONTROL_PLANE_OUTLIER_DETECTION,
    ...transport,
  };
}
