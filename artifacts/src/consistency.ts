// Consistency of a fleet's resources before anything is written or served: every name a resource
// refers to (a cluster, route configuration, EDS assignment or secret) exists, and no name repeats.
import { resourceName, type FleetResources } from './fleet-resources.ts';
import { RESOURCE_TYPES } from './type-urls.ts';
import { CONTROL_PLANE_CLUSTER } from './metadata-names.ts';

/** Problems found, as sentences; empty when consistent. */
export function checkConsistency(fleet: FleetResources): string[] {
  const problems: string[] = [];
  for (const type of RESOURCE_TYPES) {
    const seen = new Set<string>();
    for (const resource of fleet[type]) {
      // A SecretReference has the name of the Secret it becomes.
      const name = resourceName(resource);
      if (seen.has(name)) problems.push(`${type}: "${name}" appears twice`);
      seen.add(name);
    }
  }
  const clusters = new Set(fleet.clusters.map(resourceName));
  const endpoints = new Set(fleet.endpoints.map(resourceName));
  const routes = new Set(fleet.routes.map(resourceName));
  const listeners = new Set(fleet.listeners.map(resourceName));
  const secrets = new Set(fleet.secrets.map((s) => s.name));
  walk(fleet.listeners, (key, value) => {
    if (typeof value !== 'string') return; // both names are strings in the Envoy API
    if (key === 'route_config_name' && !routes.has(value)) problems.push(`a listener uses route configuration "${value}", which is not emitted`);
    if (key === 'server_listener_name' && !listeners.has(value)) problems.push(`an internal address names listener "${value}", which is not emitted`);
  });
  walk([...fleet.routes, ...fleet.listeners, ...fleet.clusters], (key, value) => {
    if ((key === 'cluster' || key === 'cluster_name') && typeof value === 'string' && !clusters.has(value)) {
      problems.push(`cluster "${value}" is referenced but not emitted`);
    }
  });
  for (const cluster of fleet.clusters) {
    const name = resourceName(cluster);
    if (cluster.type === 'EDS' && name !== CONTROL_PLANE_CLUSTER && !endpoints.has(name)) problems.push(`EDS cluster "${name}" has no endpoints`);
  }
  for (const name of endpoints) if (!clusters.has(name)) problems.push(`endpoints "${name}" belong to no cluster`);
  walk(fleet.clusters, (key, _value, parent) => {
    if (key !== 'sds_config' || typeof parent.name !== 'string') return;
    if (!secrets.has(parent.name)) problems.push(`secret "${parent.name}" is referenced but not emitted`);
  });
  return [...new Set(problems)].sort();
}

type Visitor = (key: string, value: unknown, parent: Record<string, unknown>) => void;

function walk(value: unknown, visit: Visitor): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      visit(key, child, record);
      walk(child, visit);
    }
  }
}
