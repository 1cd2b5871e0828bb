// Builds a fleet's snapshot from its compiled xDS JSON: adds what only the control plane knows (its
// own address for ext_authz and access logs, the resolved upstream credentials, and the key that
// verifies the session ids it signs), encodes every
// resource with the exact Envoy API, and checks consistency again.
import { createHash } from 'node:crypto';
import { fromJson, toBinary } from '@bufbuild/protobuf';
import { checkConsistency } from '../../../artifacts/src/consistency.ts';
import { resourceName, type FleetResources, type XdsResource } from '../../../artifacts/src/fleet-resources.ts';
import { RESOURCE_MESSAGE, RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import type { AnyMessage } from '../proto/messages.ts';
import type { Snapshot, TypeSnapshot } from './snapshot.ts';
import { CONTROL_PLANE_CLUSTER } from '../../../artifacts/src/metadata-names.ts';
import { accessLogNames } from '../tls/access-log-names.ts';
import { withSessionJwks } from './session-jwks.ts';

export interface ControlPlaneAddress {
  readonly host: string;
  readonly port: number;
  /**
   * mTLS: Envoy's bootstrap defines the control-plane cluster (its TLS settings name files on the
   * Envoy host, and rotate with them), so CDS leaves it out; its endpoints still come from here.
   */
  readonly clusterInBootstrap?: boolean;
  /**
   * Every replica's address (HA: `serve --control-plane HOST:PORT`…), this one's included. Replicas
   * given the same list send the same endpoints, so the same artifacts give the same versions on
   * every replica, and an Envoy that moves to another replica is not sent everything again.
   * Absent: `host` and `port` alone.
   */
  readonly replicas?: readonly { readonly host: string; readonly port: number }[];
}

/** Thrown when artifacts cannot become a snapshot; the message says why. */
export class SnapshotError extends Error {}

export function buildSnapshot(
  fleet: FleetResources,
  artifactVersion: string,
  controlPlane: ControlPlaneAddress,
  secretValues: ReadonlyMap<string, string>,
  sessionJwks?: string,
): Snapshot {
  const problems = checkConsistency(fleet);
  if (problems.length > 0) throw new SnapshotError(`fleet "${fleet.fleet}" is inconsistent: ${problems.join('; ')}`);
  const controlPlaneEndpoints: XdsResource = {
    cluster_name: CONTROL_PLANE_CLUSTER,
    endpoints: [{ lb_endpoints: replicaAddresses(controlPlane).map(lbEndpoint) }],
  };
  const secrets: XdsResource[] = fleet.secrets.map((ref) => {
    const value = secretValues.get(ref.secretRef);
    if (value === undefined) throw new SnapshotError(`secret "${ref.secretRef}" (for ${ref.name}) is not available`);
    return secretResource(ref, value);
  });
  const json: Record<ResourceType, readonly XdsResource[]> = {
    clusters: controlPlane.clusterInBootstrap ? fleet.clusters.filter((cluster) => resourceName(cluster) !== CONTROL_PLANE_CLUSTER) : fleet.clusters,
    endpoints: [...fleet.endpoints, controlPlaneEndpoints],
    listeners: sessionJwks === undefined ? fleet.listeners : fleet.listeners.map((listener) => withSessionJwks(listener, sessionJwks)),
    routes: fleet.routes,
    secrets,
  };
  const types = Object.fromEntries(RESOURCE_TYPES.map((type) => [type, encodeType(type, json[type])])) as Record<ResourceType, TypeSnapshot>;
  return { fleet: fleet.fleet, artifactVersion, types, accessLogNames: accessLogNames(fleet) };
}

function lbEndpoint({ host, port }: { host: string; port: number }): Record<string, unknown> {
  return { endpoint: { address: { socket_address: { address: host, port_value: port } } } };
}

/** The replicas in one order, whichever replica lists them. */
function replicaAddresses(controlPlane: ControlPlaneAddress): { host: string; port: number }[] {
  const list = controlPlane.replicas?.length ? controlPlane.replicas : [controlPlane];
  const key = (a: { host: string; port: number }) => `${a.host}:${String(a.port).padStart(5, '0')}`;
  return [...new Map(list.map((a) => [key(a), { host: a.host, port: a.port }])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, a]) => a);
}

function encodeType(type: ResourceType, resources: readonly XdsResource[]): TypeSnapshot {
  const registry = envoyRegistry();
  const schema = envoyMessage(RESOURCE_MESSAGE[type]);
  const hash = createHash('sha256');
  const encoded = new Map<string, AnyMessage>();
  const sorted = [...resources].sort((a, b) => (resourceName(a) < resourceName(b) ? -1 : 1));
  for (const resource of sorted) {
    const name = resourceName(resource);
    let bytes: Uint8Array;
    try {
      bytes = toBinary(schema, fromJson(schema, resource as never, { registry }));
    } catch (error) {
      throw new SnapshotError(`${type} "${name}" does not match the Envoy API: ${error instanceof Error ? error.message : String(error)}`);
    }
    hash.update(name).update('\0').update(bytes).update('\0');
    encoded.set(name, { typeUrl: RESOURCE_TYPE_URL[type], value: bytes });
  }
  return { version: hash.digest('hex').slice(0, 16), resources: encoded };
}

/** The SDS Secret of a reference: a credential, a gateway's certificate and key, or the CAs that verify client certificates. */
function secretResource(ref: FleetResources['secrets'][number], value: string): XdsResource {
  if (ref.kind === 'trusted-ca') return { name: ref.name, validation_context: { trusted_ca: { inline_string: value } } };
  if (ref.kind !== 'tls-certificate') return { name: ref.name, generic_secret: { secret: { inline_string: value } } };
  // One PEM value holds the chain and the key (as `cat cert.pem key.pem` gives): split them.
  const blocks = value.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g) ?? [];
  const [key, ...otherKeys] = blocks.filter((b) => b.includes('PRIVATE KEY'));
  const chain = blocks.filter((b) => b.startsWith('-----BEGIN CERTIFICATE-----'));
  if (key === undefined || otherKeys.length > 0 || chain.length === 0) {
    throw new SnapshotError(`secret "${ref.secretRef}" (for ${ref.name}) must hold a PEM certificate chain and one PEM private key`);
  }
  return {
    name: ref.name,
    tls_certificate: { certificate_chain: { inline_string: `${chain.join('\n')}\n` }, private_key: { inline_string: `${key}\n` } },
  };
}
