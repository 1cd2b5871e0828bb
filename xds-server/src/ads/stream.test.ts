// The ADS state machine, driven with plain DiscoveryRequests the way Envoy sends them: wildcard and
// named subscriptions, ACK/NACK, stale nonces, make-before-break ordering and reconnects.
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { DiscoveryRequest, DiscoveryResponse } from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { testSnapshot, type SnapshotSpec } from './test-snapshot.ts';
import { AdsStream } from './stream.ts';
import type { StreamEvent } from './stream-event.ts';

type Spec = SnapshotSpec;
const snapshot = testSnapshot;

const BASE: Spec = {
  secrets: { 'cred-a': 's1' },
  clusters: { a: 'c1', b: 'c1' },
  endpoints: { a: 'e1', b: 'e1' },
  listeners: { gw: 'l1' },
  routes: { 'gw-routes': 'r1-to-a-b' },
};

const NODE = { id: 'envoy-1', cluster: 'fleet-a' };

/** Plays Envoy's side: remembers the last response, names and accepted version of each type. */
class FakeEnvoy {
  readonly events: StreamEvent[] = [];
  current: Snapshot | undefined;
  readonly stream: AdsStream;
  readonly last = new Map<ResourceType, DiscoveryResponse>();
  readonly history: DiscoveryResponse[] = [];
  private readonly accepted = new Map<ResourceType, string>();
  private readonly subscribed = new Map<ResourceType, readonly string[]>();
  private first = true;

  constructor(initial: Snapshot | undefined) {
    this.current = initial;
    this.stream = new AdsStream(() => this.current, (e) => this.events.push(e), 'test-cp');
  }

  private request(type: ResourceType, init: Partial<DiscoveryRequest>): DiscoveryResponse[] {
    const request: DiscoveryRequest = {
      versionInfo: this.accepted.get(type) ?? '',
      resourceNames: this.subscribed.get(type) ?? [],
      typeUrl: RESOURCE_TYPE_URL[type],
      responseNonce: this.last.get(type)?.nonce ?? '',
      ...(this.first ? { node: NODE } : {}),
      ...init,
    };
    this.first = false;
    return this.record(this.stream.onRequest(request));
  }

  private record(responses: DiscoveryResponse[]): DiscoveryResponse[] {
    for (const r of responses) this.last.set(typeOf(r), r);
    this.history.push(...responses);
    return responses;
  }

  /** A (re)subscription: names for named types, none for wildcard ones. */
  subscribe(type: ResourceType, names: readonly string[] = [], versionInfo?: string): DiscoveryResponse[] {
    this.subscribed.set(type, names);
    return this.request(type, versionInfo === undefined ? {} : { versionInfo });
  }

  ack(type: ResourceType): DiscoveryResponse[] {
    const response = this.last.get(type)!;
    this.accepted.set(type, response.versionInfo);
    return this.request(type, { versionInfo: response.versionInfo, responseNonce: response.nonce });
  }

  nack(type: ResourceType, message: string): DiscoveryResponse[] {
    return this.request(type, { errorDetail: { code: 3, message } });
  }

  change(next: Snapshot): DiscoveryResponse[] {
    this.current = next;
    return this.record(this.stream.onSnapshotChange());
  }

  /** ACKs every response until the server has nothing more to say; returns all it sent. */
  settle(responses: DiscoveryResponse[]): DiscoveryResponse[] {
    const all: DiscoveryResponse[] = [];
    const queue = [...responses];
    for (let r = queue.shift(); r; r = queue.shift()) {
      all.push(r);
      queue.push(...this.ack(typeOf(r)));
    }
    return all;
  }

  /** Connects like a fresh Envoy and ACKs everything: CDS, EDS, LDS, RDS, SDS. */
  connect(): void {
    this.settle(this.subscribe('clusters'));
    this.settle(this.subscribe('endpoints', Object.keys(BASE.endpoints!)));
    this.settle(this.subscribe('secrets', ['cred-a']));
    this.settle(this.subscribe('listeners'));
    this.settle(this.subscribe('routes', ['gw-routes']));
  }
}

const typeOf = (r: DiscoveryResponse): ResourceType =>
  (Object.entries(RESOURCE_TYPE_URL) as [ResourceType, string][]).find(([, url]) => url === r.typeUrl)![0];
const names = (r: DiscoveryResponse | undefined) => (r?.resources ?? []).map((a) => Buffer.from(a.value).toString().split('=')[0]).sort();
const types = (rs: readonly DiscoveryResponse[]) => rs.map(typeOf);

describe('AdsStream', () => {
  it('answers a wildcard CDS request, legacy (no names) or explicit "*", with the full set', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [cds] = envoy.subscribe('clusters');
    expect(names(cds)).toEqual(['a', 'b']);
    expect(cds!.versionInfo).toBe(snapshot(BASE).types.clusters.version);

    const star = new FakeEnvoy(snapshot(BASE));
    expect(names(star.subscribe('clusters', ['*'])[0])).toEqual(['a', 'b']);
  });

  it('answers a wildcard LDS request with the full set once clusters are ACKed', () => {
    const two = snapshot({ ...BASE, listeners: { gw: 'l1', admin: 'l1' } });
    const envoy = new FakeEnvoy(two);
    envoy.settle(envoy.subscribe('clusters'));
    const [lds] = envoy.subscribe('listeners');
    expect(names(lds)).toEqual(['admin', 'gw']);
  });

  it('answers named EDS, RDS and SDS requests with only the requested names, and nothing for unknown names', () => {
    const spec: Spec = { ...BASE, routes: { r1: 'x', r2: 'y' }, secrets: { s1: 'a', s2: 'b' } };
    const envoy = new FakeEnvoy(snapshot(spec));
    expect(names(envoy.subscribe('endpoints', ['b'])[0])).toEqual(['b']);
    envoy.ack('endpoints');
    expect(names(envoy.subscribe('secrets', ['s2', 'missing'])[0])).toEqual(['s2']);
    envoy.settle(envoy.subscribe('clusters'));
    envoy.settle(envoy.subscribe('listeners'));
    expect(names(envoy.subscribe('routes', ['r1'])[0])).toEqual(['r1']);

    const other = new FakeEnvoy(snapshot(spec));
    expect(other.subscribe('endpoints', ['nope'])).toEqual([]);
    expect(other.subscribe('secrets', [])).toEqual([]);
  });

  it('records an ACK and sends nothing new', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [cds] = envoy.subscribe('clusters');
    expect(envoy.ack('clusters')).toEqual([]);
    expect(envoy.events).toContainEqual({ kind: 'ack', type: 'clusters', version: cds!.versionInfo });
  });

  it('reports a NACK with its message, does not re-send the rejected version, but sends the next snapshot', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [cds] = envoy.subscribe('clusters');
    expect(envoy.nack('clusters', 'cluster a: bad lb_policy')).toEqual([]);
    expect(envoy.events).toContainEqual({ kind: 'nack', type: 'clusters', version: cds!.versionInfo, message: 'cluster a: bad lb_policy' });
    expect(envoy.events.filter((e) => e.kind === 'ack')).toEqual([]);

    const fixed = snapshot({ ...BASE, clusters: { a: 'c2', b: 'c1' } });
    const [next] = envoy.change(fixed);
    expect(next!.versionInfo).toBe(fixed.types.clusters.version);
    expect(next!.versionInfo).not.toBe(cds!.versionInfo);
  });

  it('does not send listeners after a NACK of the clusters they depend on', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    const [cds] = envoy.change(snapshot({ ...BASE, clusters: { a: 'c2', b: 'c1' }, listeners: { gw: 'l2' } }));
    expect(typeOf(cds!)).toBe('clusters');
    expect(envoy.nack('clusters', 'rejected')).toEqual([]);
  });

  it('ignores requests carrying a stale nonce', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [first] = envoy.subscribe('endpoints', ['a']);
    envoy.ack('endpoints');
    const next = snapshot({ ...BASE, endpoints: { a: 'e2', b: 'e2' } });
    const [second] = envoy.change(next);
    expect(second!.nonce).not.toBe(first!.nonce);
    // Envoy asked for more names before it saw the second response: its request carries the first nonce.
    const stale = envoy.stream.onRequest({
      versionInfo: first!.versionInfo,
      resourceNames: ['a', 'b'],
      typeUrl: RESOURCE_TYPE_URL.endpoints,
      responseNonce: first!.nonce,
    });
    expect(stale).toEqual([]);
    expect(envoy.events).toContainEqual({ kind: 'stale-nonce', type: 'endpoints', nonce: first!.nonce });
    // Its ACK of the second response carries the new names, and they are answered then.
    const acks = envoy.events.filter((e) => e.kind === 'ack').length;
    envoy.subscribe('endpoints', ['a', 'b'], second!.versionInfo);
    const [third] = envoy.history.slice(-1);
    expect(envoy.events.filter((e) => e.kind === 'ack').length).toBe(acks + 1);
    expect(names(third)).toEqual(['a', 'b']);
    expect(third!.versionInfo).toBe(next.types.endpoints.version);
  });

  it('lets a newer request supersede: changed names re-send the same version with the new names', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [first] = envoy.subscribe('endpoints', ['a']);
    envoy.ack('endpoints');
    const [again] = envoy.subscribe('endpoints', ['a', 'b']);
    expect(names(again)).toEqual(['a', 'b']);
    expect(again!.versionInfo).toBe(first!.versionInfo);
    expect(again!.nonce).not.toBe(first!.nonce);
    expect(envoy.subscribe('endpoints', ['a', 'b'])).toEqual([]); // same names: nothing new (nonce is current)
  });

  it('withholds listeners until the clusters of the current snapshot are ACKed', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.subscribe('clusters');
    expect(envoy.subscribe('listeners')).toEqual([]);
    expect(types(envoy.ack('clusters'))).toEqual(['listeners']);
  });

  it('withholds listeners until the requested endpoints are ACKed', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.subscribe('clusters');
    envoy.subscribe('endpoints', ['a', 'b']);
    envoy.subscribe('listeners');
    expect(envoy.ack('clusters')).toEqual([]);
    expect(types(envoy.ack('endpoints'))).toEqual(['listeners']);
  });

  it('withholds routes until the listeners are ACKed', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.settle(envoy.subscribe('clusters'));
    envoy.subscribe('listeners');
    expect(envoy.subscribe('routes', ['gw-routes'])).toEqual([]);
    expect(types(envoy.ack('listeners'))).toEqual(['routes']);
  });

  it('withholds new routes until new clusters are ACKed, even when the listeners did not change', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    const next = snapshot({ ...BASE, clusters: { ...BASE.clusters, c: 'c1' }, routes: { 'gw-routes': 'r2-to-a-b-c' } });
    expect(types(envoy.change(next))).toEqual(['clusters']);
    expect(types(envoy.ack('clusters'))).toEqual(['routes']);
  });

  it('never blocks secrets and pushes them before clusters', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.subscribe('clusters');
    const [sds] = envoy.subscribe('secrets', ['cred-a']);
    expect(names(sds)).toEqual(['cred-a']); // while clusters are still un-ACKed
    envoy.ack('secrets');
    const next = snapshot({ ...BASE, secrets: { 'cred-a': 's2' }, clusters: { a: 'c2', b: 'c1' } });
    envoy.ack('clusters');
    expect(types(envoy.change(next))).toEqual(['secrets', 'clusters']);
  });

  it('sends nothing while the fleet has no snapshot, and the open requests once one appears', () => {
    const envoy = new FakeEnvoy(undefined);
    expect(envoy.subscribe('clusters')).toEqual([]);
    expect(envoy.subscribe('secrets', ['cred-a'])).toEqual([]);
    expect(types(envoy.change(snapshot(BASE)))).toEqual(['secrets', 'clusters']);
  });

  it('holds a new snapshot back while a response of that type is unanswered, then sends it on the ACK', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.subscribe('clusters');
    const next = snapshot({ ...BASE, clusters: { a: 'c2', b: 'c1' } });
    expect(envoy.change(next)).toEqual([]);
    const [cds] = envoy.ack('clusters');
    expect(cds!.versionInfo).toBe(next.types.clusters.version);
  });
});

describe('AdsStream make-before-break', () => {
  const dropsB: Spec = { ...BASE, clusters: { a: 'c1' }, endpoints: { a: 'e1' }, routes: { 'gw-routes': 'r2-to-a' }, listeners: { gw: 'l2' } };

  it('keeps a dropped cluster until the new listeners and routes are ACKed, then removes it', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    const next = snapshot(dropsB);
    const [cds, eds] = envoy.change(next);
    expect(typeOf(cds!)).toBe('clusters');
    expect(names(cds)).toEqual(['a', 'b']); // b retained
    expect(cds!.versionInfo).toMatch(new RegExp(`^${next.types.clusters.version}\\+retained-[0-9a-f]{8}$`));
    expect(names(eds)).toEqual(['a']);
    expect(envoy.ack('clusters')).toEqual([]); // the endpoints are still un-ACKed
    expect(types(envoy.ack('endpoints'))).toEqual(['listeners']);
    expect(types(envoy.ack('listeners'))).toEqual(['routes']);
    const [final] = envoy.ack('routes');
    expect(typeOf(final!)).toBe('clusters');
    expect(names(final)).toEqual(['a']);
    expect(final!.versionInfo).toBe(next.types.clusters.version);
    expect(envoy.ack('clusters')).toEqual([]);
  });

  it('keeps the dropped cluster while the new listeners are NACKed, and removes it once a fix is ACKed', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    envoy.change(snapshot(dropsB));
    envoy.ack('clusters');
    expect(types(envoy.ack('endpoints'))).toEqual(['listeners']);
    expect(envoy.nack('listeners', 'listener gw: bad filter')).toEqual([]);
    expect(names(envoy.last.get('clusters'))).toEqual(['a', 'b']);
    // The fix changes the listener again; b goes only after its listener and routes are ACKed.
    const fixed = snapshot({ ...dropsB, listeners: { gw: 'l3' } });
    expect(types(envoy.change(fixed))).toEqual(['listeners']);
    expect(types(envoy.ack('listeners'))).toEqual(['routes']);
    const [cds] = envoy.ack('routes');
    expect(names(cds)).toEqual(['a']);
  });

  it('keeps a dropped cluster after a reconnect at the served version', () => {
    const s = snapshot(BASE);
    const envoy = new FakeEnvoy(s);
    envoy.subscribe('clusters', [], s.types.clusters.version);
    envoy.subscribe('endpoints', ['a', 'b'], s.types.endpoints.version);
    envoy.subscribe('listeners', [], s.types.listeners.version);
    envoy.subscribe('routes', ['gw-routes'], s.types.routes.version);
    const [cds] = envoy.change(snapshot(dropsB));
    expect(names(cds)).toEqual(['a', 'b']);
  });

  it('does not retain a cluster the node NACKed, so a fixed snapshot can still reach it', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    // A new virtual server: cluster "bad" (which Envoy rejects) and a listener change.
    const broken = snapshot({ ...BASE, clusters: { ...BASE.clusters, bad: 'invalid' }, listeners: { gw: 'l2' } });
    envoy.change(broken);
    envoy.nack('clusters', 'cluster bad: invalid');
    // The fix removes "bad", changes cluster a and the listener again.
    const fixed = snapshot({ ...BASE, clusters: { a: 'c2', b: 'c1' }, listeners: { gw: 'l3' } });
    const [cds] = envoy.change(fixed);
    expect(names(cds)).toEqual(['a', 'b']);
    expect(cds!.versionInfo).toBe(fixed.types.clusters.version);
    expect(types(envoy.ack('clusters'))).toEqual(['listeners']);
  });
});

describe('AdsStream reconnect and bookkeeping', () => {
  it('sends nothing on reconnect when Envoy already has the served version', () => {
    const s = snapshot(BASE);
    const envoy = new FakeEnvoy(s);
    expect(envoy.subscribe('clusters', [], s.types.clusters.version)).toEqual([]);
    expect(envoy.subscribe('endpoints', ['a', 'b'], s.types.endpoints.version)).toEqual([]);
    expect(envoy.subscribe('listeners', [], s.types.listeners.version)).toEqual([]);
    expect(envoy.subscribe('routes', ['gw-routes'], s.types.routes.version)).toEqual([]);
    expect(envoy.subscribe('secrets', ['cred-a'], s.types.secrets.version)).toEqual([]);
    expect(envoy.events.filter((e) => e.kind === 'sent')).toEqual([]);
    // The stream is live: a change is pushed.
    expect(types(envoy.change(snapshot({ ...BASE, secrets: { 'cred-a': 's2' } })))).toEqual(['secrets']);
  });

  it('re-sends on reconnect when Envoy has an older version', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const [cds] = envoy.subscribe('clusters', [], 'old-version');
    expect(names(cds)).toEqual(['a', 'b']);
    expect(cds!.versionInfo).toBe(snapshot(BASE).types.clusters.version);
  });

  it('reports an unknown type URL and answers nothing', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    const typeUrl = 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig';
    expect(envoy.stream.onRequest({ versionInfo: '', resourceNames: [], typeUrl, responseNonce: '', node: NODE })).toEqual([]);
    expect(envoy.events).toEqual([{ kind: 'unknown-type', typeUrl }]);
  });

  it('uses a unique nonce per response, never equal to a version', () => {
    const envoy = new FakeEnvoy(snapshot(BASE));
    envoy.connect();
    envoy.settle(envoy.change(snapshot({ ...BASE, clusters: { a: 'c2', b: 'c2' }, endpoints: { a: 'e2', b: 'e2' }, secrets: { 'cred-a': 's2' } })));
    const all = envoy.history;
    expect(all.length).toBeGreaterThanOrEqual(8);
    const nonces = all.map((r) => r.nonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    const versions = new Set(all.map((r) => r.versionInfo));
    for (const r of all) {
      expect(r.nonce).not.toBe('');
      expect(versions.has(r.nonce)).toBe(false);
      expect(r.controlPlane).toEqual({ identifier: 'test-cp' });
    }
  });
});
