// A missing upstream credential closes its own server only: the set still loads, the other
// servers keep their credentials and endpoints, and the reloader's status names what is missing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExample } from '../../../testkit/compiled-example.ts';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { fleetFile } from '../../../artifacts/src/layout.ts';
import { memoryLogger } from '../log.ts';
import { loadArtifacts } from './load.ts';
import { failClosedWithoutCredentials } from './missing-credentials.ts';
import { ArtifactReloader } from './reloader.ts';
import { folderSource } from './artifact-source.ts';

let dir: string;
let compiled: FleetResources;
// Every credential of the example but payments' (inventory's REST service has one too).
const ONLY_TICKETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_INVENTORY_API_KEY: 'i' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-missing-credential-'));
  const result = await compileExample('t', join(dir, 'dist'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  compiled = JSON.parse(readFileSync(join(dir, 'dist', fleetFile('default')), 'utf8')) as FleetResources;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a missing upstream credential', () => {
  it('takes the hosts and the credential filter from that server only', () => {
    const { fleet, missing } = failClosedWithoutCredentials(compiled, new Map([['tickets-api-token', 'x'], ['inventory-api-key', 'i']]), (ref) => `$${ref}`);
    expect(missing).toEqual([{ fleet: 'default', cluster: 'mcp-server-payments', secretRef: 'payments-api-key', provide: '$payments-api-key' }]);
    expect(fleet.secrets.map((s) => s.secretRef).sort()).toEqual(['inventory-api-key', 'tickets-api-token']);
    const payments = JSON.stringify(fleet.clusters.find((c) => c.name === 'mcp-server-payments'));
    expect(payments).not.toContain('credential');
    expect(fleet.endpoints.find((e) => e.cluster_name === 'mcp-server-payments')?.endpoints).toEqual([]);
    const others = (f: FleetResources) =>
      JSON.stringify([f.clusters.filter((c) => c.name !== 'mcp-server-payments'), f.endpoints.filter((e) => e.cluster_name !== 'mcp-server-payments')]);
    expect(others(fleet)).toBe(others(compiled));
  });

  it('leaves a fleet whose credentials all resolve unchanged', () => {
    const all = new Map([['tickets-api-token', 'x'], ['payments-api-key', 'y'], ['inventory-api-key', 'i']]);
    expect(failClosedWithoutCredentials(compiled, all, String)).toEqual({ fleet: compiled, missing: [] });
  });

  it('still loads the artifact set (the Envoy API accepts the closed cluster), and /status and the log name the secret', async () => {
    const loaded = await loadArtifacts({ dir: join(dir, 'dist'), controlPlane: { host: '127.0.0.1', port: 9001 }, env: ONLY_TICKETS });
    expect(loaded.missingCredentials.map((m) => `${m.cluster} ${m.secretRef} ${m.provide}`)).toEqual([
      'mcp-server-payments payments-api-key $GATEHOUSE_SECRET_PAYMENTS_API_KEY',
    ]);
    const secrets = [...(loaded.snapshots.get('default')?.types.secrets.resources.keys() ?? [])];
    expect(secrets).toEqual(['mcp-server-inventory-credential', 'mcp-server-tickets-credential']);

    const logger = memoryLogger();
    const reloader = new ArtifactReloader({
      source: folderSource(join(dir, 'dist')),
      controlPlane: { host: '127.0.0.1', port: 9001 },
      env: ONLY_TICKETS,
      intervalMs: 60_000,
      retryMs: 60_000,
      logger,
      onLoaded: () => undefined,
    });
    await reloader.check();
    expect(reloader.status().loaded).toBeDefined();
    expect(reloader.status().missingCredentials.map((m) => m.secretRef)).toEqual(['payments-api-key']);
    expect(logger.lines.join('\n')).toContain('upstream credential "payments-api-key" not found: calls to cluster mcp-server-payments are refused');
  });

  it('is picked up when it appears, without a new artifact set; a retry that finds it still missing logs nothing new', async () => {
    const env: NodeJS.ProcessEnv = { ...ONLY_TICKETS };
    const logger = memoryLogger();
    const loads: number[] = [];
    const reloader = new ArtifactReloader({
      source: folderSource(join(dir, 'dist')),
      controlPlane: { host: '127.0.0.1', port: 9001 },
      env,
      intervalMs: 60_000,
      retryMs: 0,
      logger,
      onLoaded: (loaded) => loads.push(loaded.missingCredentials.length),
    });
    await reloader.check();
    await reloader.check();
    expect(loads).toEqual([1]);
    expect(logger.lines.filter((l) => l.includes('not found')).length).toBe(1);
    env.GATEHOUSE_SECRET_PAYMENTS_API_KEY = 'k3y';
    await reloader.check();
    expect(loads).toEqual([1, 0]);
    expect(reloader.status().missingCredentials).toEqual([]);
  });
});
