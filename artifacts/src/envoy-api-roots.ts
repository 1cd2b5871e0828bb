// The Envoy API messages Gatehouse uses: the typed configs and xDS resources the compiler emits, and
// the service messages the control plane reads and writes. The descriptor registry holds only these
// and what they need (envoy-api-subset.ts), not the whole Envoy API: fewer descriptors, less memory
// in every control plane. A type emitted or read but missing here fails envoy-api-subset.test.ts.
import { RESOURCE_MESSAGE, TYPE, TYPE_URL_PREFIX } from './type-urls.ts';

/** The gRPC service messages the control plane decodes or encodes (ADS, ext_authz, access logs, ext_proc). */
export const SERVICE_MESSAGES = [
  'envoy.service.discovery.v3.DiscoveryRequest',
  'envoy.service.discovery.v3.DiscoveryResponse',
  'envoy.service.discovery.v3.DeltaDiscoveryRequest',
  'envoy.service.discovery.v3.DeltaDiscoveryResponse',
  'envoy.service.auth.v3.CheckRequest',
  'envoy.service.auth.v3.CheckResponse',
  'envoy.service.accesslog.v3.StreamAccessLogsMessage',
  'envoy.service.accesslog.v3.StreamAccessLogsResponse',
  'envoy.service.ext_proc.v3.ProcessingRequest',
  'envoy.service.ext_proc.v3.ProcessingResponse',
  'google.protobuf.Any',
] as const;

/** Every message the reduced registry must resolve; the files defining them, and their imports, are kept. */
export function envoyApiRoots(): readonly string[] {
  const typed = Object.values(TYPE).map((url) => url.slice(TYPE_URL_PREFIX.length));
  return [...new Set([...typed, ...Object.values(RESOURCE_MESSAGE), ...SERVICE_MESSAGES])].sort();
}
