// IR → the xDS resources of each fleet. Pure and deterministic: every list is sorted by name.
import type { Ir, IrServer } from '../../ir/types.ts';
import { controlPlaneCluster, jwksCluster, routerCluster, serverCluster, serverEndpoints, tracingCluster, virtualServerCluster } from './clusters.ts';
import { gatewayListener, routerListener } from './listeners.ts';
import { names } from './names.ts';
import type { PlacedDecisions } from '../rbac/rbac-filter.ts';
import { gatewayTlsSecrets } from './downstream-tls.ts';
import {
  resourceName,
  type ClusterJson,
  type FleetResources,
  type ListenerJson,
  type RouteConfigurationJson,
  type SecretReference,
  type XdsResource,
} from '../../../../artifacts/src/fleet-resources.ts';
import { gatewayRoutes, routerRoutes } from './routes.ts';
import { identityVirtualServers } from '../upstream-identity/build-identity-table.ts';
import { guardedVirtualServers, guardrailMessageTimeoutMs } from '../guardrails/build-guardrail-set.ts';

/** The resources of every fleet that has at least one gateway, by fleet name. */
export function translateFleets(ir: Ir, staticDecisions?: PlacedDecisions): FleetResources[] {
  const fleets = [...new Set(ir.gateways.map((g) => g.fleet))].sort();
  return fleets.map((fleet) => translateFleet(ir, fleet, staticDecisions));
}

function translateFleet(ir: Ir, fleet: string, staticDecisions: PlacedDecisions | undefined): FleetResources {
  const servers = new Map<string, IrServer>(ir.servers.map((s) => [s.name, s]));
  const gateways = ir.gateways.filter((g) => g.fleet === fleet);
  const listeners: ListenerJson[] = [];
  const routes: RouteConfigurationJson[] = [];
  const clusters: ClusterJson[] = [controlPlaneCluster()];
  const usedServers = new Set<string>();
  const usedVirtualServers = new Set<string>();

  for (const gateway of gateways) {
    const virtualServers = ir.virtualServers.filter((vs) => gateway.virtualServers.includes(vs.name));
    const bridged = virtualServers.some((vs) => !vs.aggregated && vs.members.some((m) => servers.get(m.server)?.rest));
    const guarded = virtualServers.some((vs) => guardedVirtualServers(ir).has(vs.name));
    listeners.push(gatewayListener(gateway, ir.identityProviders, virtualServers, {
      restBridge: bridged,
      ...(staticDecisions ? { staticDecisions } : {}),
      ...(guarded ? { guardrailTimeoutMs: guardrailMessageTimeoutMs(ir, gateway.authzTimeoutMs) } : {}),
      identityVirtualServers: identityVirtualServers(ir),
    }));
    routes.push(gatewayRoutes(gateway, virtualServers, servers, ir.identityProviders, guardedVirtualServers(ir)));
    if (virtualServers.some((vs) => vs.aggregated)) {
      listeners.push(routerListener(gateway));
      routes.push(routerRoutes(gateway, virtualServers));
      clusters.push(routerCluster(gateway));
    }
    const tracer = tracingCluster(gateway);
    if (tracer) clusters.push(tracer);
    for (const vs of virtualServers) {
      for (const m of vs.members) usedServers.add(m.server);
      if (vs.aggregated) usedVirtualServers.add(vs.name);
    }
  }
  for (const vs of ir.virtualServers) if (usedVirtualServers.has(vs.name)) clusters.push(virtualServerCluster(vs, servers));
  const fleetServers = ir.servers.filter((s) => usedServers.has(s.name));
  clusters.push(...fleetServers.map(serverCluster));
  for (const provider of ir.identityProviders) {
    const cluster = jwksCluster(provider);
    if (cluster) clusters.push(cluster);
  }
  const secrets = [
    ...fleetServers.flatMap((s): SecretReference[] => (s.credential ? [{ name: names.credentialSecret(s.name), secretRef: s.credential.secretRef }] : [])),
    ...gateways.flatMap(gatewayTlsSecrets),
  ];
  return {
    fleet,
    clusters: byName(clusters),
    endpoints: byName(fleetServers.filter((s) => s.upstream.hostIsIp).map(serverEndpoints)),
    listeners: byName(listeners),
    routes: byName(routes),
    secrets: secrets.sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

function byName<Resource extends XdsResource>(resources: Resource[]): Resource[] {
  return resources.sort((a, b) => (resourceName(a) < resourceName(b) ? -1 : resourceName(a) > resourceName(b) ? 1 : 0));
}
