// The xDS resources of one fleet, as protobuf JSON (snake_case field names, `@type` on every Any).

/** One Envoy resource in protobuf JSON form. Its type is given by the list it is in. */
export type XdsResource = { readonly name?: string; readonly cluster_name?: string } & Readonly<Record<string, unknown>>;

/** A reference to an upstream credential; the control plane resolves it into an SDS Secret. */
export interface SecretReference {
  /** The Envoy Secret name. */
  readonly name: string;
  /** The registry's secretRef: a file in the control plane's secrets folder, or an environment variable. */
  readonly secretRef: string;
}

/** Everything one fleet of Envoys receives. Endpoints of CONTROL_PLANE_CLUSTER come from the control plane itself. */
export interface FleetResources {
  readonly fleet: string;
  readonly clusters: readonly XdsResource[];
  readonly endpoints: readonly XdsResource[];
  readonly listeners: readonly XdsResource[];
  readonly routes: readonly XdsResource[];
  readonly secrets: readonly SecretReference[];
}

/** The name of a resource, whatever its type (ClusterLoadAssignment uses cluster_name). */
export function resourceName(resource: XdsResource): string {
  return String(resource.name ?? resource.cluster_name ?? '');
}
