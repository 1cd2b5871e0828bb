// The floor of the gateway benchmark: a second Envoy (same binary, same --concurrency) whose listener
// is the compiled gateway listener with only the router left, routing every request to one MCP
// server through a copy of that server's compiled cluster. What it costs is the least any Envoy data
// path costs on this machine; the gateway's overhead is measured against it as well as against the
// MCP server called directly.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetFile } from '../../artifacts/src/layout.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { adminBootstrap } from '../../xds-server/src/envoy-admin-address.ts';
import { envoyHasListener, startEnvoy, waitForEnvoy, type EnvoyProcess } from '../../demo/src/envoy-process.ts';
import { freePorts } from '../../testkit/ports.ts';
import { trackChild } from './common.ts';

const LISTENER = 'bench-bare-envoy';
const CLUSTER = 'bench-bare-upstream';
const HCM = 'envoy.filters.network.http_connection_manager';
const ROUTER = 'envoy.filters.http.router';

type Json = Record<string, unknown>;

/**
 * [pure] The static bootstrap of the bare Envoy: the gateway listener of `fleet` on `port`, its
 * connection manager keeping its settings but with the router as its only filter, no access log and
 * a static route to `upstream` (host and port) through a copy of the cluster named `cluster`.
 */
export function bareEnvoyBootstrap(fleet: FleetResources, cluster: string, upstream: { host: string; port: number }, port: number, adminPort: number): Json {
  const gateway = (fleet.listeners as Json[]).find((l) => 'address' in l);
  if (!gateway) throw new Error('the fleet has no gateway listener');
  const compiledCluster = (fleet.clusters as Json[]).find((c) => c.name === cluster);
  if (!compiledCluster) throw new Error(`the fleet has no cluster ${cluster}`);
  const chains = (gateway.filter_chains as { filters: { name: string; typed_config: Json }[] }[]).map((chain) => ({
    ...chain,
    filters: chain.filters.map((filter) => {
      if (filter.name !== HCM) return filter;
      const hcm = { ...filter.typed_config };
      const router = (hcm.http_filters as { name: string }[]).filter((f) => f.name === ROUTER);
      for (const key of ['rds', 'access_log', 'tracing', 'http_filters']) Reflect.deleteProperty(hcm, key);
      const routeConfig = {
        name: 'bench-bare-route',
        virtual_hosts: [{ name: 'bare', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: CLUSTER, timeout: '15s' } }] }],
      };
      return { ...filter, typed_config: { ...hcm, http_filters: router, route_config: routeConfig } };
    }),
  }));
  const clusterRest = { ...compiledCluster };
  for (const key of ['eds_cluster_config', 'type']) Reflect.deleteProperty(clusterRest, key);
  const socket = { address: upstream.host, port_value: upstream.port };
  return {
    node: { id: 'gatehouse-bench-bare', cluster: 'bench' },
    admin: adminBootstrap({ port: adminPort }),
    static_resources: {
      listeners: [
        {
          ...gateway,
          name: LISTENER,
          address: { socket_address: { address: '127.0.0.1', port_value: port } },
          filter_chains: chains,
        },
      ],
      clusters: [
        {
          ...clusterRest,
          name: CLUSTER,
          type: 'STATIC',
          load_assignment: { cluster_name: CLUSTER, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: socket } } }] }] },
        },
      ],
    },
  };
}

/** [impure] Starts the bare Envoy in front of `upstreamUrl` (an MCP server's URL); returns its base URL. */
export async function startBareEnvoy(
  artifactsDir: string,
  fleet: string,
  cluster: string,
  upstreamUrl: string,
  workDir: string,
): Promise<{ url: string; envoy: EnvoyProcess }> {
  const resources = JSON.parse(readFileSync(join(artifactsDir, fleetFile(fleet)), 'utf8')) as FleetResources;
  const upstream = new URL(upstreamUrl);
  const [port, adminPort] = (await freePorts(2)) as [number, number];
  const dir = join(workDir, 'bare-envoy');
  mkdirSync(dir, { recursive: true });
  const envoy = startEnvoy({
    bootstrap: bareEnvoyBootstrap(resources, cluster, { host: upstream.hostname, port: Number(upstream.port) }, port, adminPort),
    admin: { port: adminPort },
    workDir: dir,
    logLevel: 'warn',
  });
  trackChild(envoy.child);
  try {
    await waitForEnvoy(envoy, 30_000, () => envoyHasListener(envoy.admin, LISTENER));
  } catch (error) {
    await envoy.stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, envoy };
}
