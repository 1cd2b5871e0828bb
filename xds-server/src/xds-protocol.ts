// Which ADS protocol an Envoy bootstrap asks for. Delta (incremental) is the default: a change
// sends only the resources that changed, and a reconnect only what the node lacks. State of the
// world stays for Envoys and tools that need it; the control plane serves both on every port.
export const XDS_PROTOCOLS = ['delta', 'sotw'] as const;
export type XdsProtocol = (typeof XDS_PROTOCOLS)[number];

export const DEFAULT_XDS_PROTOCOL: XdsProtocol = 'delta';

/** The bootstrap's `ads_config.api_type` for a protocol. */
export function adsApiType(protocol: XdsProtocol): 'DELTA_GRPC' | 'GRPC' {
  return protocol === 'delta' ? 'DELTA_GRPC' : 'GRPC';
}
