// ADS as the control plane runs it: ACK/NACK in /status and /metrics, stream accounting, and an
// Envoy reconnecting to a restarted control plane that serves the same artifacts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceType } from '../../../artifacts/src/type-urls.ts';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { FakeEnvoy } from '../../../testkit/fake-envoy.ts';
import { ControlPlane, type ListeningPorts } from '../control-plane.ts';
import { memoryLogger } from '../log.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';

const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y' };
const NODE = { id: 'gw-1', cluster: 'default' };

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-ads-cp-'));
  const result = await compileExample('t', join(dir, 'dist'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startControlPlane(authzPort = 0): Promise<{ cp: ControlPlane; ports: ListeningPorts; snapshot: Snapshot; stop(): Promise<void> }> {
  const cp = new ControlPlane({
    artifactsDir: join(dir, 'dist'),
    host: '127.0.0.1',
    xdsPort: 0,
    authzPort,
    adminPort: 0,
    advertiseHost: '127.0.0.1',
    env: SECRETS,
    logger: memoryLogger(),
    pollIntervalMs: 60_000,
    // The listeners carry the public key of the session key: the same file, the same listeners after a restart.
    sessionKeyFile: join(dir, 'session.key'),
  });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await cp.stop();
    stopped = true;
  };
  cleanup.push(stop);
  const ports = await cp.start();
  const snapshot = cp.cache.get('default');
  if (!snapshot) throw new Error('the control plane did not load the example artifacts');
  return { cp, ports, snapshot, stop };
}

function envoy(port: number, accepted?: ReadonlyMap<ResourceType, string>): FakeEnvoy {
  const e = new FakeEnvoy(port, NODE, accepted);
  cleanup.push(() => e.close());
  return e;
}

async function admin(ports: ListeningPorts, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${ports.admin}${path}`, { signal: AbortSignal.timeout(5_000) });
  expect(response.status).toBe(200);
  return response.text();
}

const names = (map: ReadonlyMap<string, unknown>) => [...map.keys()].sort();

/** Subscribes to every type the way Envoy does at startup, ACKing each response. */
async function syncAll(e: FakeEnvoy, s: Snapshot): Promise<void> {
  await e.sync('clusters');
  await e.sync('endpoints', names(s.types.endpoints.resources));
  await e.sync('secrets', names(s.types.secrets.resources));
  await e.sync('listeners');
  await e.sync('routes', names(s.types.routes.resources));
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('ADS in the control plane', () => {
  it('shows ACKs and NACKs in /status and counts NACKs in /metrics', async () => {
    const { cp, ports, snapshot } = await startControlPlane();
    const e = envoy(ports.xds);
    await e.sync('clusters');
    e.subscribe('endpoints', names(snapshot.types.endpoints.resources));
    const eds = await e.next();
    e.nack(eds, 'ClusterLoadAssignment gatehouse-control-plane: malformed IP address');
    await until(async () => /gatehouse_xds_nacks_total\{type="endpoints"\} 1\b/.test(await admin(ports, '/metrics')), 'the NACK metric');

    const status = JSON.parse(await admin(ports, '/status')) as { nodes: { id: string; fleet: string; streams: number; types: Record<string, unknown> }[] };
    const node = status.nodes.find((n) => n.id === 'gw-1');
    expect(node).toMatchObject({ fleet: 'default', streams: 1 });
    expect(node!.types.clusters).toEqual({ sent: snapshot.types.clusters.version, acked: snapshot.types.clusters.version });
    expect(node!.types.endpoints).toMatchObject({
      sent: snapshot.types.endpoints.version,
      nacked: { version: snapshot.types.endpoints.version, message: 'ClusterLoadAssignment gatehouse-control-plane: malformed IP address' },
    });
    expect((node!.types.endpoints as { acked?: string }).acked).toBeUndefined();
    const metrics = await admin(ports, '/metrics');
    // Counters start at zero for every type; only endpoints were NACKed.
    expect(metrics).toMatch(/gatehouse_xds_nacks_total\{type="clusters"\} 0\b/);
    expect(metrics).toMatch(/gatehouse_xds_pushes_total\{type="endpoints"\} 1\b/);
    await e.expectNothing(cp.nodes); // the rejected version is not sent again
  });

  it('counts connected streams up and down as Envoys connect, half-close and drop', async () => {
    const { cp, ports } = await startControlPlane();
    const connected = async () => (await cp.metrics.connectedStreams.get()).values[0]?.value ?? 0;
    const first = envoy(ports.xds);
    const second = new FakeEnvoy(ports.xds, { id: 'gw-2', cluster: 'default' });
    cleanup.push(() => second.close());
    await first.sync('clusters');
    await second.sync('clusters');
    expect(await connected()).toBe(2);
    expect(await admin(ports, '/metrics')).toMatch(/^gatehouse_xds_connected_streams 2$/m);

    first.end();
    await until(async () => (await connected()) === 1, 'one stream after a half-close');
    expect((await first.closed).code).toBe(0);
    expect(cp.nodes.get('gw-1')!.streams).toBe(0);
    second.close();
    await until(async () => (await connected()) === 0, 'no stream after a cancel');
    expect(cp.nodes.get('gw-2')!.streams).toBe(0);
  });

  it('does not resend identical config to an Envoy reconnecting after a control-plane restart', async () => {
    const before = await startControlPlane();
    const e = envoy(before.ports.xds);
    await syncAll(e, before.snapshot);
    expect([...e.accepted.keys()].sort()).toEqual(['clusters', 'endpoints', 'listeners', 'routes', 'secrets']);
    await before.stop();
    expect((await e.closed).code).not.toBe(0); // the stream was cut
    e.close();

    // Same artifacts, same advertised ext_authz address: the same versions.
    const after = await startControlPlane(before.ports.authz);
    for (const type of e.accepted.keys()) expect(after.snapshot.types[type].version).toBe(e.accepted.get(type));
    const again = envoy(after.ports.xds, e.accepted);
    again.subscribe('clusters');
    again.subscribe('endpoints', names(after.snapshot.types.endpoints.resources));
    again.subscribe('secrets', names(after.snapshot.types.secrets.resources));
    again.subscribe('listeners');
    again.subscribe('routes', names(after.snapshot.types.routes.resources));
    await again.expectNothing(after.cp.nodes);
    expect(after.cp.nodes.get('gw-1')).toMatchObject({ streams: 1, types: {} });
    expect(await admin(after.ports, '/metrics')).not.toMatch(/gatehouse_xds_pushes_total\{[^}]*\} [1-9]/);

    // An Envoy that has an older version of one type gets that type, and only that.
    const stale = new FakeEnvoy(after.ports.xds, { id: 'gw-3', cluster: 'default' }, new Map([...e.accepted, ['clusters', 'an-older-version']]));
    cleanup.push(() => stale.close());
    stale.subscribe('clusters');
    stale.subscribe('listeners');
    const cds = await stale.next();
    expect(cds.versionInfo).toBe(after.snapshot.types.clusters.version);
    await stale.expectNothing(after.cp.nodes);
  });
});
