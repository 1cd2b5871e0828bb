// The delta ADS state machine, driven with DeltaDiscoveryRequests the way Envoy sends them:
// wildcard and named subscriptions, per-resource versions, removals, ACK/NACK, stale nonces,
// make-before-break ordering and reconnects with initial_resource_versions.
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { testSnapshot, type SnapshotSpec } from './test-snapshot.ts';
import { DeltaAdsStream } from './delta-stream.ts';
import { TYPE_BY_URL, type StreamEvent } from './stream-event.ts';

type Spec = SnapshotSpec;
const snapshot = testSnapshot;

const BASE: Spec = {
  clusters: { a: 'c1', b: 'c1' },
  endpoints: { a: 'e1', b: 'e1' },
  listeners: { gw: 'l1' },
  routes: { 'gw-routes': 'r1-to-a-b' },
};

const NODE = { id: 'envoy-1', cluster: 'fleet-a' };

/** Plays Envoy's side: what it has of each type (name -> version), and the response it must answer. */
class FakeDeltaEnvoy {
  readonly events: StreamEvent[] = [];
  readonly stream: DeltaAdsStream;
  readonly history: DeltaDiscoveryResponse[] = [];
  readonly has = new Map<ResourceType, Map<string, string>>();
  readonly unanswered = new Map<ResourceType, DeltaDiscoveryResponse>();
  private first = true;

  constructor(public current: Snapshot | undefined) {
    this.stream = new DeltaAdsStream(() => this.current, (e) => this.events.push(e), 'test-cp');
  }

  send(type: ResourceType, init: Partial<DeltaDiscoveryRequest>): DeltaDiscoveryResponse[] {
    const request: DeltaDiscoveryRequest = {
      typeUrl: RESOURCE_TYPE_URL[type],
      resourceNamesSubscribe: [],
      resourceNamesUnsubscribe: [],
      initialResourceVersions: {},
      responseNonce: '',
      ...(this.first ? { node: NODE } : {}),
      ...init,
    };
    this.first = false;
    return this.record(this.stream.onRequest(request));
  }

  record(responses: DeltaDiscoveryResponse[]): DeltaDiscoveryResponse[] {
    for (const r of responses) this.unanswered.set(typeOf(r), r);
    this.history.push(...responses);
    return responses;
  }

  /** Accepts the response in flight for a type: applies its resources and removals. */
  ack(type: ResourceType): DeltaDiscoveryResponse[] {
    const response = this.unanswered.get(type);
    if (!response) throw new Error(`no ${type} response to ACK`);
    this.unanswered.delete(type);
    const has = this.has.get(type) ?? new Map<string, string>();
    this.has.set(type, has);
    for (const r of response.resources) has.set(r.name, r.version);
    for (const name of response.removedResources) has.delete(name);
    return this.send(type, { responseNonce: response.nonce });
  }

  nack(type: ResourceType, message: string): DeltaDiscoveryResponse[] {
    const response = this.unanswered.get(type);
    if (!response) throw new Error(`no ${type} response to NACK`);
    this.unanswered.delete(type);
    return this.send(type, { responseNonce: response.nonce, errorDetail: { code: 3, message } });
  }

  /** ACKs whatever is in flight until nothing is, in the order the responses come: a fully synced node. */
  settle(): void {
    for (let i = 0; i < 20 && this.unanswered.size > 0; i++) {
      const [type] = [...this.unanswered.keys()];
      if (type) this.ack(type);
    }
    if (this.unanswered.size > 0) throw new Error('did not settle');
  }

  change(spec: Spec): DeltaDiscoveryResponse[] {
    this.current = snapshot(spec);
    return this.record(this.stream.onSnapshotChange());
  }

  names(type: ResourceType): string[] {
    return [...(this.has.get(type)?.keys() ?? [])].sort();
  }
}

function typeOf(response: DeltaDiscoveryResponse): ResourceType {
  const type = TYPE_BY_URL.get(response.typeUrl);
  if (!type) throw new Error(`unexpected type ${response.typeUrl}`);
  return type;
}

const sent = (responses: readonly DeltaDiscoveryResponse[]) =>
  responses.map((r) => ({ type: typeOf(r), names: r.resources.map((x) => x.name), removed: [...r.removedResources] }));

/** Connects like Envoy: CDS and LDS wildcard, EDS and RDS by name once the clusters and listeners arrive; everything ACKed. */
function synced(spec: Spec = BASE): FakeDeltaEnvoy {
  const envoy = new FakeDeltaEnvoy(snapshot(spec));
  envoy.send('clusters', {});
  envoy.send('endpoints', { resourceNamesSubscribe: Object.keys(spec.endpoints ?? {}) });
  envoy.ack('clusters');
  envoy.ack('endpoints');
  envoy.send('listeners', {});
  envoy.send('routes', { resourceNamesSubscribe: Object.keys(spec.routes ?? {}) });
  envoy.settle();
  return envoy;
}

describe('DeltaAdsStream', () => {
  it('sends each type once, with a version per resource, in make-before-break order', () => {
    const envoy = new FakeDeltaEnvoy(snapshot(BASE));
    const clusters = envoy.send('clusters', {});
    expect(sent(clusters)).toEqual([{ type: 'clusters', names: ['a', 'b'], removed: [] }]);
    expect(new Set(clusters[0]!.resources.map((r) => r.version)).size).toBe(2);
    // Listeners wait for the clusters (and the endpoints asked for) to be ACKed.
    expect(envoy.send('listeners', {})).toEqual([]);
    expect(sent(envoy.send('endpoints', { resourceNamesSubscribe: ['a', 'b'] }))).toEqual([{ type: 'endpoints', names: ['a', 'b'], removed: [] }]);
    expect(envoy.ack('clusters')).toEqual([]);
    expect(sent(envoy.ack('endpoints'))).toEqual([{ type: 'listeners', names: ['gw'], removed: [] }]);
    expect(envoy.send('routes', { resourceNamesSubscribe: ['gw-routes'] })).toEqual([]);
    expect(sent(envoy.ack('listeners'))).toEqual([{ type: 'routes', names: ['gw-routes'], removed: [] }]);
    expect(envoy.ack('routes')).toEqual([]);
    expect(envoy.events.filter((e) => e.kind === 'ack').map((e) => e.type)).toEqual(['clusters', 'endpoints', 'listeners', 'routes']);
  });

  it('sends only the resources that changed', () => {
    const envoy = synced();
    const responses = envoy.change({ ...BASE, clusters: { a: 'c1', b: 'c2' } });
    expect(sent(responses)).toEqual([{ type: 'clusters', names: ['b'], removed: [] }]);
    expect(envoy.ack('clusters')).toEqual([]);
    // A new snapshot with the same content sends nothing.
    expect(envoy.change({ ...BASE, clusters: { a: 'c1', b: 'c2' } })).toEqual([]);
  });

  it('adds a virtual server: cluster and endpoints first, then the listener that uses them', () => {
    const envoy = synced();
    const next: Spec = {
      clusters: { ...BASE.clusters, c: 'c1' },
      endpoints: { ...BASE.endpoints, c: 'e1' },
      listeners: { gw: 'l2-with-c' },
      routes: { 'gw-routes': 'r2-to-a-b-c' },
    };
    expect(sent(envoy.change(next))).toEqual([{ type: 'clusters', names: ['c'], removed: [] }]);
    expect(envoy.send('endpoints', { resourceNamesSubscribe: ['c'] }).map((r) => r.resources.map((x) => x.name))).toEqual([['c']]);
    expect(envoy.ack('clusters')).toEqual([]);
    expect(sent(envoy.ack('endpoints'))).toEqual([{ type: 'listeners', names: ['gw'], removed: [] }]);
    expect(sent(envoy.ack('listeners'))).toEqual([{ type: 'routes', names: ['gw-routes'], removed: [] }]);
    envoy.settle();
    expect(envoy.names('clusters')).toEqual(['a', 'b', 'c']);
  });

  it('removes a dropped cluster only once the node has the listeners and routes that stopped using it', () => {
    const envoy = synced();
    const next: Spec = { clusters: { a: 'c1' }, endpoints: { a: 'e1' }, listeners: { gw: 'l2-a-only' }, routes: { 'gw-routes': 'r2-to-a' } };
    // Nothing new for clusters or endpoints yet: the listener comes first, and the removal waits.
    expect(sent(envoy.change(next))).toEqual([{ type: 'listeners', names: ['gw'], removed: [] }]);
    expect(sent(envoy.ack('listeners'))).toEqual([{ type: 'routes', names: ['gw-routes'], removed: [] }]);
    expect(sent(envoy.ack('routes'))).toEqual([
      { type: 'clusters', names: [], removed: ['b'] },
      { type: 'endpoints', names: [], removed: ['b'] },
    ]);
    envoy.ack('clusters');
    expect(envoy.names('clusters')).toEqual(['a']);
    // Envoy drops the EDS subscription of the removed cluster: nothing more to send.
    expect(envoy.send('endpoints', { resourceNamesUnsubscribe: ['b'] })).toEqual([]);
    envoy.ack('endpoints');
    expect(envoy.names('endpoints')).toEqual(['a']);
  });

  it('removes a listener and its route configuration', () => {
    const envoy = synced({ ...BASE, listeners: { gw: 'l1', other: 'l1' }, routes: { 'gw-routes': 'r1', 'other-routes': 'r1' } });
    expect(sent(envoy.change(BASE))).toEqual([{ type: 'listeners', names: [], removed: ['other'] }]);
    // The routes changed too (BASE's body): sent after the listeners, with the removal.
    expect(sent(envoy.ack('listeners'))).toEqual([{ type: 'routes', names: ['gw-routes'], removed: ['other-routes'] }]);
    expect(envoy.names('listeners')).toEqual(['gw']);
    expect(envoy.send('routes', { resourceNamesUnsubscribe: ['other-routes'] })).toEqual([]);
    envoy.settle();
    expect(envoy.names('routes')).toEqual(['gw-routes']);
  });

  it('signals a subscribed resource that the snapshot no longer has with removed_resources', () => {
    const envoy = synced();
    const responses = envoy.change({ ...BASE, routes: {} });
    expect(sent(responses)).toEqual([{ type: 'routes', names: [], removed: ['gw-routes'] }]);
  });

  it('resubscribing after an unsubscribe sends the resource again', () => {
    const envoy = synced();
    expect(envoy.send('endpoints', { resourceNamesUnsubscribe: ['b'] })).toEqual([]);
    expect(sent(envoy.send('endpoints', { resourceNamesSubscribe: ['b'] }))).toEqual([{ type: 'endpoints', names: ['b'], removed: [] }]);
  });

  it('accepts the explicit wildcard and its removal', () => {
    const envoy = new FakeDeltaEnvoy(snapshot(BASE));
    expect(sent(envoy.send('clusters', { resourceNamesSubscribe: ['*'] }))).toEqual([{ type: 'clusters', names: ['a', 'b'], removed: [] }]);
    envoy.ack('clusters');
    // Wildcard dropped, one name kept: the other cluster is no longer the node's business.
    expect(envoy.send('clusters', { resourceNamesUnsubscribe: ['*'], resourceNamesSubscribe: ['a'] })).toEqual([]);
    expect(envoy.change({ ...BASE, clusters: { a: 'c1', b: 'c9' } })).toEqual([]);
  });

  it('on reconnect sends only what differs from the versions the node declares', () => {
    const first = synced();
    const has = (type: ResourceType) => Object.fromEntries(first.has.get(type) ?? []);
    // Same snapshot: nothing is sent, every type is reported in sync at the snapshot's version.
    const again = new FakeDeltaEnvoy(first.current);
    again.send('clusters', { initialResourceVersions: has('clusters') });
    again.send('endpoints', { resourceNamesSubscribe: ['a', 'b'], initialResourceVersions: has('endpoints') });
    again.send('listeners', { initialResourceVersions: has('listeners') });
    again.send('routes', { resourceNamesSubscribe: ['gw-routes'], initialResourceVersions: has('routes') });
    expect(again.history).toEqual([]);
    const resumed = again.events.filter((e) => e.kind === 'in-sync');
    expect(resumed.map((e) => e.type).sort()).toEqual(['clusters', 'endpoints', 'listeners', 'routes']);
    expect(resumed.find((e) => e.type === 'clusters')).toMatchObject({ version: first.current!.types.clusters.version });

    // A newer snapshot on the new control plane: one changed cluster, one gone (after the listeners and routes).
    const newer = new FakeDeltaEnvoy(snapshot({ ...BASE, clusters: { a: 'c2', b: 'c1', z: 'c1' }, endpoints: { a: 'e1', b: 'e1', z: 'e1' } }));
    const responses = newer.send('clusters', { initialResourceVersions: { ...has('clusters'), gone: 'old' } });
    expect(sent(responses)).toEqual([{ type: 'clusters', names: ['a', 'z'], removed: [] }]);
    newer.send('endpoints', { resourceNamesSubscribe: ['a', 'b', 'z'], initialResourceVersions: has('endpoints') });
    newer.send('listeners', { initialResourceVersions: has('listeners') });
    newer.send('routes', { resourceNamesSubscribe: ['gw-routes'], initialResourceVersions: has('routes') });
    newer.settle();
    expect(sent(newer.history)).toEqual([
      { type: 'clusters', names: ['a', 'z'], removed: [] },
      { type: 'endpoints', names: ['z'], removed: [] },
      { type: 'clusters', names: [], removed: ['gone'] },
    ]);
  });

  it('logs a NACK, does not resend the rejected version, and holds back what depends on it', () => {
    const envoy = synced();
    envoy.change({ ...BASE, clusters: { a: 'c1', b: 'bad' }, listeners: { gw: 'l2' } });
    expect(envoy.nack('clusters', 'cluster b: invalid')).toEqual([]);
    expect(envoy.events.at(-1)).toEqual({ kind: 'nack', type: 'clusters', version: envoy.current!.types.clusters.version, message: 'cluster b: invalid' });
    // A request for listeners does not get the new listener while a cluster it needs was rejected.
    expect(envoy.send('listeners', {})).toEqual([]);
    // A fixed cluster goes out, and the listener once it is ACKed.
    const fixed = envoy.change({ ...BASE, clusters: { a: 'c1', b: 'fixed' }, listeners: { gw: 'l2' } });
    expect(sent(fixed)).toEqual([{ type: 'clusters', names: ['b'], removed: [] }]);
    expect(sent(envoy.ack('clusters'))).toEqual([{ type: 'listeners', names: ['gw'], removed: [] }]);
  });

  it('a rejected set replaced by the one the node kept: nothing to send, the node is reported in sync', () => {
    const envoy = synced();
    const good = envoy.current!;
    envoy.change({ ...BASE, listeners: { gw: 'bad' } });
    envoy.nack('listeners', 'bad address');
    envoy.current = good;
    expect(envoy.record(envoy.stream.onSnapshotChange())).toEqual([]);
    expect(envoy.events.at(-1)).toEqual({ kind: 'in-sync', type: 'listeners', version: good.types.listeners.version });
  });

  it('ignores an answer with a stale nonce but keeps its subscription changes', () => {
    const envoy = synced();
    const stale = envoy.history.find((r) => typeOf(r) === 'endpoints')!.nonce;
    envoy.change({ ...BASE, endpoints: { a: 'e2', b: 'e1' } });
    const pending = envoy.unanswered.get('endpoints')!;
    expect(envoy.send('endpoints', { responseNonce: stale, resourceNamesUnsubscribe: ['a'] })).toEqual([]);
    expect(envoy.events.at(-1)).toEqual({ kind: 'stale-nonce', type: 'endpoints', nonce: stale });
    // The real ACK of the endpoint "a" that was unsubscribed meanwhile: nothing more is sent for it.
    expect(envoy.send('endpoints', { responseNonce: pending.nonce })).toEqual([]);
    expect(envoy.change({ ...BASE, endpoints: { a: 'e3', b: 'e1' } })).toEqual([]);
  });

  it('waits for a snapshot of the fleet, then sends', () => {
    const envoy = new FakeDeltaEnvoy(undefined);
    expect(envoy.send('clusters', {})).toEqual([]);
    expect(sent(envoy.change(BASE))).toEqual([{ type: 'clusters', names: ['a', 'b'], removed: [] }]);
  });

  it('reports a type it does not serve', () => {
    const envoy = new FakeDeltaEnvoy(snapshot(BASE));
    expect(envoy.send('clusters', { typeUrl: 'type.googleapis.com/x.Y' })).toEqual([]);
    expect(envoy.events).toEqual([{ kind: 'unknown-type', typeUrl: 'type.googleapis.com/x.Y' }]);
  });
});
