// What the catalog page needs from an artifact set beyond the audit catalog: the registry the policy
// bundle carries and where each virtual server is served. Taken once when the set loads.
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { registryDataOf, type RegistryData } from './registry-data.ts';
import { virtualServerEndpoints, type VirtualServerEndpoint } from './gateway-endpoints.ts';

export interface CatalogSource {
  readonly registry: RegistryData;
  readonly endpoints: Readonly<Record<string, readonly VirtualServerEndpoint[]>>;
}

export function catalogSourceOf(bundleData: unknown, fleets: readonly FleetResources[], gateways: readonly string[]): CatalogSource {
  return { registry: registryDataOf(bundleData), endpoints: virtualServerEndpoints(fleets, gateways) };
}
