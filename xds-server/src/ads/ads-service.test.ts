// The ADS gRPC service over the wire: a real grpc-js server on 127.0.0.1 and grpc-js clients playing
// Envoy, serving snapshots built from the compiled example artifacts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { FakeEnvoy, resourceNames, typeOfResponse } from '../../../testkit/fake-envoy.ts';
import { FakeDeltaClient } from '../../../testkit/fake-delta-client.ts';
import { RESOURCE_TYPE_URL } from '../../../artifacts/src/type-urls.ts';
import type { DeltaDiscoveryResponse } from '../proto/messages.ts';
import { createMetrics } from '../admin/metrics.ts';
import { loadArtifacts } from '../artifacts/load.ts';
import { memoryLogger } from '../log.ts';
import { SnapshotCache } from '../snapshot/snapshot-cache.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { ADS_SERVICE, adsImplementation } from './ads-service.ts';
import { NodeStatusRegistry } from './node-status.ts';

const SECRETS = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer t0k3n', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'k3y' };
const ENVOY_1_40 = {
  userAgentName: 'envoy',
  userAgentVersionType: { case: 'userAgentBuildVersion', value: { version: { majorNumber: 1, minorNumber: 40, patch: 0 } } },
};

let dir: string;
/** The example's "default" fleet, and the same with other secret values. */
let fleet: Snapshot;
let rotated: Snapshot;

async function loadFleet(env: NodeJS.ProcessEnv): Promise<Snapshot> {
  const loaded = await loadArtifacts({ dir: join(dir, 'dist'), controlPlane: { host: '127.0.0.1', port: 9001 }, env });
  return loaded.snapshots.get('default')!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-ads-'));
  const result = await compileExample('t', join(dir, 'dist'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  fleet = await loadFleet(SECRETS);
  rotated = await loadFleet({ ...SECRETS, GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'rotated' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

async function startAds(cache: SnapshotCache) {
  const server = new Server();
  const nodes = new NodeStatusRegistry();
  const metrics = createMetrics();
  server.addService(ADS_SERVICE, adsImplementation({ cache, nodes, logger: memoryLogger(), metrics, identifier: 'gatehouse-test' }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  cleanup.push(() => server.forceShutdown());
  return { port, nodes, metrics };
}

function envoy(port: number, node: Record<string, unknown>): FakeEnvoy {
  const e = new FakeEnvoy(port, node);
  cleanup.push(() => e.close());
  return e;
}

function deltaClient(port: number): FakeDeltaClient {
  const client = new FakeDeltaClient(port);
  cleanup.push(() => client.close());
  return client;
}

/** Polls a condition every 10 ms for at most 5 s. */
async function pollUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const names = (map: ReadonlyMap<string, unknown>) => [...map.keys()].sort();

describe('ADS over gRPC', () => {
  it('serves each node the snapshot of its fleet (node.cluster) and records the node', async () => {
    const [firstCluster, firstResource] = [...fleet.types.clusters.resources][0]!;
    const clusters = { version: 'other-v1', resources: new Map([[firstCluster, firstResource]]) };
    const other: Snapshot = { ...fleet, fleet: 'other', types: { ...fleet.types, clusters } };
    const cache = new SnapshotCache();
    cache.set(new Map([['default', fleet], ['other', other]]));
    const ads = await startAds(cache);
    const a = envoy(ads.port, { id: 'gw-a', cluster: 'default', ...ENVOY_1_40 });
    const b = envoy(ads.port, { id: 'gw-b', cluster: 'other' });
    a.subscribe('clusters');
    b.subscribe('clusters');
    const [ra, rb] = await Promise.all([a.next(), b.next()]);
    expect(resourceNames(ra)).toEqual(names(fleet.types.clusters.resources));
    expect(ra.versionInfo).toBe(fleet.types.clusters.version);
    expect(ra.controlPlane?.identifier).toBe('gatehouse-test');
    expect(resourceNames(rb)).toEqual([firstCluster]);
    expect(rb.versionInfo).toBe('other-v1');
    expect(ads.nodes.get('gw-a')).toMatchObject({ fleet: 'default', streams: 1, envoyVersion: '1.40.0' });
    expect(ads.nodes.get('gw-b')).toMatchObject({ fleet: 'other', streams: 1 });
  });

  it('pushes CDS, EDS, LDS, RDS of a real snapshot in make-before-break order', async () => {
    const cache = new SnapshotCache();
    cache.set(new Map([['default', fleet]]));
    const ads = await startAds(cache);
    const e = envoy(ads.port, { id: 'gw', cluster: 'default' });
    e.subscribe('clusters');
    e.subscribe('listeners'); // both wildcards open at once: listeners must wait for the clusters
    const cds = await e.next();
    expect(typeOfResponse(cds)).toBe('clusters');
    await e.expectNothing(ads.nodes); // no listeners before the clusters are ACKed
    e.subscribe('endpoints', names(fleet.types.endpoints.resources)); // as Envoy does, before its CDS ACK
    const eds = await e.next();
    expect(resourceNames(eds)).toEqual(names(fleet.types.endpoints.resources));
    e.ack(cds);
    await e.expectNothing(ads.nodes); // endpoints not ACKed yet
    e.ack(eds);
    const lds = await e.next();
    expect(typeOfResponse(lds)).toBe('listeners');
    expect(resourceNames(lds)).toEqual(names(fleet.types.listeners.resources));
    e.ack(lds);
    const rds = await e.sync('routes', names(fleet.types.routes.resources));
    expect(resourceNames(rds)).toEqual(names(fleet.types.routes.resources));
    const sds = await e.sync('secrets', names(fleet.types.secrets.resources));
    expect(resourceNames(sds)).toEqual(names(fleet.types.secrets.resources));
    await e.expectNothing(ads.nodes);
    expect(ads.nodes.get('gw')!.types).toMatchObject({
      clusters: { sent: fleet.types.clusters.version, acked: fleet.types.clusters.version },
      listeners: { acked: fleet.types.listeners.version },
    });
  });

  it('sends nothing to a node of an unknown fleet until a snapshot for its fleet appears', async () => {
    const cache = new SnapshotCache();
    cache.set(new Map([['default', fleet]]));
    const ads = await startAds(cache);
    const e = envoy(ads.port, { id: 'edge-1', cluster: 'edge' });
    e.subscribe('clusters');
    e.subscribe('secrets', names(fleet.types.secrets.resources));
    await e.expectNothing(ads.nodes);
    expect(ads.nodes.get('edge-1')).toMatchObject({ fleet: 'edge', streams: 1, requests: 2, responses: 0, types: {} });
    cache.set(new Map([['default', fleet], ['edge', { ...fleet, fleet: 'edge' }]]));
    const first = await e.next();
    const second = await e.next();
    expect([typeOfResponse(first), typeOfResponse(second)]).toEqual(['secrets', 'clusters']);
    expect(second.versionInfo).toBe(fleet.types.clusters.version);
  });

  it('pushes a snapshot change to every connected node of that fleet, and only to them', async () => {
    const cache = new SnapshotCache();
    const other: Snapshot = { ...fleet, fleet: 'other' };
    cache.set(new Map([['default', fleet], ['other', other]]));
    const ads = await startAds(cache);
    const nodes = [
      envoy(ads.port, { id: 'gw-1', cluster: 'default' }),
      envoy(ads.port, { id: 'gw-2', cluster: 'default' }),
      envoy(ads.port, { id: 'other-1', cluster: 'other' }),
    ];
    const secretNames = names(fleet.types.secrets.resources);
    for (const n of nodes) {
      await n.sync('clusters');
      await n.sync('secrets', secretNames);
    }
    expect(rotated.types.secrets.version).not.toBe(fleet.types.secrets.version);
    expect(rotated.types.clusters.version).toBe(fleet.types.clusters.version);
    cache.set(new Map([['default', rotated], ['other', { ...other }]])); // "other": rebuilt, same content
    for (const n of nodes.slice(0, 2)) {
      const push = await n.next();
      expect(typeOfResponse(push)).toBe('secrets');
      expect(push.versionInfo).toBe(rotated.types.secrets.version);
      n.ack(push);
    }
    await Promise.all(nodes.map((n) => n.expectNothing(ads.nodes))); // no CDS re-send, nothing for "other"
    expect(ads.nodes.get('gw-2')!.types.secrets).toMatchObject({ acked: rotated.types.secrets.version });
    expect(ads.nodes.get('other-1')!.types.secrets).toMatchObject({ acked: fleet.types.secrets.version });
  });

  it('serves DeltaAggregatedResources: per-resource versions, only what changed, nothing again on reconnect', async () => {
    const cache = new SnapshotCache();
    cache.set(new Map([['default', fleet]]));
    const ads = await startAds(cache);
    const secretNames = names(fleet.types.secrets.resources);
    const first = deltaClient(ads.port);
    first.send({ node: { id: 'gw-delta', cluster: 'default' }, typeUrl: RESOURCE_TYPE_URL.clusters });
    first.send({ typeUrl: RESOURCE_TYPE_URL.secrets, resourceNamesSubscribe: secretNames });
    const responses = [await first.next(), await first.next()];
    const byType = new Map(responses.map((r) => [r.typeUrl, r]));
    const cds = byType.get(RESOURCE_TYPE_URL.clusters)!;
    const sds = byType.get(RESOURCE_TYPE_URL.secrets)!;
    expect(cds.resources.map((r) => r.name).sort()).toEqual(names(fleet.types.clusters.resources));
    expect(cds.systemVersionInfo).toBe(fleet.types.clusters.version);
    expect(cds.controlPlane?.identifier).toBe('gatehouse-test');
    expect(sds.resources.map((r) => r.name).sort()).toEqual(secretNames);
    for (const r of responses) first.send({ typeUrl: r.typeUrl, responseNonce: r.nonce });
    await pollUntil(() => ads.nodes.get('gw-delta')?.types.secrets?.acked === fleet.types.secrets.version);
    expect(ads.nodes.get('gw-delta')).toMatchObject({ xds: 'delta', streams: 1, types: { clusters: { acked: fleet.types.clusters.version } } });

    // A rotated secret: only the secrets that changed are pushed, no cluster.
    cache.set(new Map([['default', rotated]]));
    const push = await first.next();
    expect(push.typeUrl).toBe(RESOURCE_TYPE_URL.secrets);
    const changed = secretNames.filter((n) => rotated.types.secrets.resources.get(n)!.value.join() !== fleet.types.secrets.resources.get(n)!.value.join());
    expect(push.resources.map((r) => r.name)).toEqual(changed);
    expect(changed.length).toBeLessThan(secretNames.length);
    first.send({ typeUrl: push.typeUrl, responseNonce: push.nonce });
    const versions = (r: DeltaDiscoveryResponse) => Object.fromEntries(r.resources.map((x) => [x.name, x.version]));
    const has = { ...versions(sds), ...versions(push) };
    await pollUntil(() => ads.nodes.get('gw-delta')?.types.secrets?.acked === rotated.types.secrets.version);
    first.close();

    // Reconnect declaring what it has: nothing is sent, the node shows the versions it holds.
    const again = deltaClient(ads.port);
    again.send({ node: { id: 'gw-delta', cluster: 'default' }, typeUrl: RESOURCE_TYPE_URL.clusters, initialResourceVersions: versions(cds) });
    again.send({ typeUrl: RESOURCE_TYPE_URL.secrets, resourceNamesSubscribe: secretNames, initialResourceVersions: has });
    // Requests are handled as they arrive, and a response is counted when it is made: once the server
    // has counted all 7 requests (5 on the first stream, 2 here), every response it will send is counted.
    await pollUntil(() => ads.nodes.get('gw-delta')?.requests === 7);
    expect(ads.nodes.get('gw-delta')!.responses).toBe(3);
    expect(again.received).toBe(0);
    expect(ads.nodes.get('gw-delta')!.types).toMatchObject({
      clusters: { acked: fleet.types.clusters.version },
      secrets: { acked: rotated.types.secrets.version },
    });
  });

});
