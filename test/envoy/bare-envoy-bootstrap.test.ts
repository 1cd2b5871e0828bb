// The gateway benchmark's floor: the bare Envoy's bootstrap is the compiled gateway listener with the
// router as its only filter, no access log, a static route to one server's copied cluster, and
// the real Envoy 1.40 accepts it (`envoy --mode validate`).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { bareEnvoyBootstrap } from '../../bench/lib/bare-envoy.ts';
import { translateFleets } from '../../compiler/src/emit/xds/translate.ts';
import { loadRegistry } from '../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { tempDir } from '../../testkit/repo.ts';
import { requireTool } from '../../toolchain/src/tools.ts';
import { goldenCases } from '../golden/cases.ts';

const example = goldenCases.find((c) => c.name === 'example')!;
const fleet: FleetResources = translateFleets(loadRegistry(example.root, SILENT).ir!)[0]!;

interface Hcm {
  http_filters: { name: string }[];
  rds?: unknown;
  access_log?: unknown;
  route_config: { virtual_hosts: { routes: { route: { cluster: string } }[] }[] };
  codec_type?: unknown;
}
type Bootstrap = {
  static_resources: {
    listeners: { filter_chains: { filters: { typed_config: Hcm }[] }[] }[];
    clusters: { name: string; type: string; eds_cluster_config?: unknown; typed_extension_protocol_options?: unknown }[];
  };
};

describe('the bare Envoy of the gateway benchmark', () => {
  const bootstrap = bareEnvoyBootstrap(fleet, 'mcp-server-docs', { host: '127.0.0.1', port: 7102 }, 18080, 18081) as unknown as Bootstrap;
  const hcm = bootstrap.static_resources.listeners[0]!.filter_chains[0]!.filters[0]!.typed_config;
  const compiledHcm = (fleet.listeners[0] as unknown as { filter_chains: { filters: { typed_config: Hcm }[] }[] }).filter_chains[0]!.filters[0]!.typed_config;

  it('keeps the gateway connection manager with only the router, no access log, and a static route', () => {
    expect(compiledHcm.http_filters.length).toBeGreaterThan(3);
    expect(hcm.http_filters.map((f) => f.name)).toEqual(['envoy.filters.http.router']);
    expect(hcm.rds).toBeUndefined();
    expect(hcm.access_log).toBeUndefined();
    expect(hcm.codec_type).toEqual(compiledHcm.codec_type);
    expect(hcm.route_config.virtual_hosts[0]!.routes[0]!.route.cluster).toBe('bench-bare-upstream');
  });

  it('copies the server cluster as a static one', () => {
    const [cluster] = bootstrap.static_resources.clusters;
    expect(cluster).toMatchObject({ name: 'bench-bare-upstream', type: 'STATIC' });
    expect(cluster!.eds_cluster_config).toBeUndefined();
    expect(cluster!.typed_extension_protocol_options).toBeDefined();
  });

  it('is accepted by envoy --mode validate', async () => {
    const dir = tempDir('gatehouse-bare-envoy-');
    try {
      const file = join(dir.path, 'bootstrap.json');
      writeFileSync(file, JSON.stringify(bootstrap));
      const run = promisify(execFile);
      await expect(run(requireTool('envoy'), ['--mode', 'validate', '-c', file, '--log-level', 'error'], { timeout: 60_000 })).resolves.toBeDefined();
    } finally {
      dir.remove();
    }
  });
});
