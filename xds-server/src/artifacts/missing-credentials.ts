// A server whose upstream credential cannot be resolved fails closed on its own, so the rest of the
// fleet keeps serving: its cluster loses the credential filter (whose SDS secret would never
// arrive) and every endpoint, so Envoy sends nothing to that upstream and never sends the request
// without its credential; the routes straight to it answer 503 with a JSON-RPC error naming the
// server as unavailable (unavailable-routes.ts). The log and /status name the server and the secret.
import { answerForClosedClusters } from './unavailable-routes.ts';
import type { ClusterJson, ClusterLoadAssignmentJson, FleetResources, SecretReference } from '../../../artifacts/src/fleet-resources.ts';

/** One credential the control plane could not resolve, and where it was needed. */
export interface MissingCredential {
  readonly fleet: string;
  /** The Envoy cluster that carries the credential (`mcp-server-<name>`). */
  readonly cluster: string;
  readonly secretRef: string;
  /** How to provide it: the file and environment variable the control plane reads. */
  readonly provide: string;
  /** What the secret is (SecretReference.kind); absent: an upstream credential. */
  readonly kind?: SecretReference['kind'];
}

const PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/** The fleet with every cluster whose credential is missing made unreachable, and what was missing. */
export function failClosedWithoutCredentials(
  fleet: FleetResources,
  values: ReadonlyMap<string, string>,
  provide: (secretRef: string) => string,
): { readonly fleet: FleetResources; readonly missing: readonly MissingCredential[] } {
  const absent = fleet.secrets.filter((ref) => !values.has(ref.secretRef));
  if (absent.length === 0) return { fleet, missing: [] };
  const clusterOf = new Map(absent.map((ref) => [ref, fleet.clusters.find((c) => usesSecret(c, ref))?.name ?? ref.name]));
  const closed = new Set(clusterOf.values());
  return {
    fleet: {
      ...fleet,
      secrets: fleet.secrets.filter((ref) => values.has(ref.secretRef)),
      clusters: fleet.clusters.map((c) => (c.name !== undefined && closed.has(c.name) ? unreachable(c) : c)),
      endpoints: fleet.endpoints.map((e) => (e.cluster_name !== undefined && closed.has(e.cluster_name) ? noEndpoints(e) : e)),
      routes: answerForClosedClusters(fleet.routes, closed),
    },
    missing: absent.map((ref) => ({
      fleet: fleet.fleet,
      cluster: clusterOf.get(ref) ?? ref.name,
      secretRef: ref.secretRef,
      provide: provide(ref.secretRef),
      ...(ref.kind ? { kind: ref.kind } : {}),
    })),
  };
}

/** Whether the cluster's credential filter reads this SDS secret. */
function usesSecret(cluster: ClusterJson, ref: SecretReference): boolean {
  return JSON.stringify(cluster.typed_extension_protocol_options?.[PROTOCOL_OPTIONS] ?? {}).includes(JSON.stringify(ref.name));
}

/** The cluster without its credential filter and without hosts (a static cluster with no endpoints). */
function unreachable(cluster: ClusterJson): ClusterJson {
  const options = { ...(cluster.typed_extension_protocol_options?.[PROTOCOL_OPTIONS] as Record<string, unknown> | undefined) };
  delete options.http_filters;
  const closed: ClusterJson = { ...cluster, typed_extension_protocol_options: { ...cluster.typed_extension_protocol_options, [PROTOCOL_OPTIONS]: options } };
  if (cluster.type === 'EDS') return closed;
  // A DNS cluster must name one host; a static one may have none.
  delete closed.dns_lookup_family;
  return { ...closed, type: 'STATIC', load_assignment: { cluster_name: cluster.name ?? '', endpoints: [] } };
}

function noEndpoints(assignment: ClusterLoadAssignmentJson): ClusterLoadAssignmentJson {
  return { cluster_name: assignment.cluster_name ?? '', endpoints: [] };
}
