// The xDS resources of one fleet, as protobuf JSON (proto field names, `@type` on every Any), typed
// by the pinned Envoy API.
import type { Json } from './envoy-json.ts';

export type ClusterJson = Json<'envoy.config.cluster.v3.Cluster'>;
export type ClusterLoadAssignmentJson = Json<'envoy.config.endpoint.v3.ClusterLoadAssignment'>;
export type ListenerJson = Json<'envoy.config.listener.v3.Listener'>;
export type RouteConfigurationJson = Json<'envoy.config.route.v3.RouteConfiguration'>;
export type SecretJson = Json<'envoy.extensions.transport_sockets.tls.v3.Secret'>;

/** One Envoy resource in protobuf JSON form. Its type is given by the list it is in. */
export type XdsResource = ClusterJson | ClusterLoadAssignmentJson | ListenerJson | RouteConfigurationJson | SecretJson;

/** A reference to an upstream credential; the control plane resolves it into an SDS Secret. */
export interface SecretReference {
  /** The Envoy Secret name. */
  readonly name: string;
  /** The registry's secretRef: a file in the control plane's secrets folder, or an environment variable. */
  readonly secretRef: string;
  /**
   * What the value is. Absent: an upstream credential (a generic secret). `tls-certificate`: a PEM
   * certificate chain and its private key in one value (a gateway's server certificate).
   * `trusted-ca`: PEM CA certificates that verify client certificates.
   */
  readonly kind?: 'tls-certificate' | 'trusted-ca';
}

/** Everything one fleet of Envoys receives. Endpoints of CONTROL_PLANE_CLUSTER come from the control plane itself. */
export interface FleetResources {
  readonly fleet: string;
  readonly clusters: readonly ClusterJson[];
  readonly endpoints: readonly ClusterLoadAssignmentJson[];
  readonly listeners: readonly ListenerJson[];
  readonly routes: readonly RouteConfigurationJson[];
  readonly secrets: readonly SecretReference[];
}

/** The name of a resource, whatever its type (ClusterLoadAssignment uses cluster_name). */
export function resourceName(resource: XdsResource): string {
  const named: { readonly name?: string; readonly cluster_name?: string } = resource;
  return named.name ?? named.cluster_name ?? '';
}
