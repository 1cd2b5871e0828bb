// What the catalog page needs from an artifact set beyond the audit catalog: the registry the policy
// bundle carries and where each virtual server is served. Taken once when the set loads.
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { registryDataOf, type RegistryData } from '../artifacts/registry-data.ts';
import { publishedEndpoints, type PublishedEndpoint } from '../artifacts/published-endpoints.ts';

export interface CatalogSource {
  readonly registry: RegistryData;
  readonly endpoints: ReadonlyMap<string, readonly PublishedEndpoint[]>;
}

export function catalogSourceOf(bundleData: unknown, fleets: readonly FleetResources[]): CatalogSource {
  return { registry: registryDataOf(bundleData), endpoints: publishedEndpoints(fleets) };
}
