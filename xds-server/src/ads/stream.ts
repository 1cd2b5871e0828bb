// One ADS stream (state of the world): which resources Envoy subscribed to, what it was sent,
// ACKed or NACKed, and what to send next. No I/O: requests and snapshot changes go in, responses
// come out, so the protocol is testable without gRPC.
//
// Ordering (make before break): clusters first; listeners only once the node ACKed the clusters
// (and the endpoints it asked for) of the current snapshot; routes only once it ACKed the
// listeners and those clusters (routes are not warmed). Clusters a new snapshot drops stay in the
// cluster set until the node ACKed the new listeners and routes, so no route ever points at a
// removed cluster.
import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { AnyMessage, DiscoveryRequest, DiscoveryResponse } from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { resourceValues } from './resource-lists.ts';
import { AdsStreamBase } from './stream-base.ts';
import { StreamNonces } from './shared-nonces.ts';
import { WILDCARD } from './stream-event.ts';

interface TypeState {
  /** Requested names (named types only). */
  names: ReadonlySet<string>;
  /** The requested names, sorted (named types only): the order resources are sent in. */
  sortedNames: readonly string[];
  /** The requested names, sorted and joined ('*' for wildcard types): what sentNames is compared with. */
  namesKey: string;
  /** The names of the latest request as Envoy sent them: an ACK repeating them changes nothing. */
  requested: readonly string[];
  /** True when Envoy's latest request for this type has not been answered yet. */
  open: boolean;
  lastNonce?: string;
  sentVersion?: string;
  sentNames?: string;
  ackedVersion?: string;
}

export class AdsStream extends AdsStreamBase {
  private readonly states = new Map<ResourceType, TypeState>();
  /** Clusters kept from the previous snapshot until the new listeners and routes are ACKed. */
  private retained = new Map<string, AnyMessage>();
  /** The clusters of the last CDS response, and of the last one the node ACKed (what it has). */
  private sentClusters?: ReadonlyMap<string, AnyMessage>;
  private ackedClusters: ReadonlyMap<string, AnyMessage> = new Map();
  private lastSnapshot?: Snapshot;
  /** Nonces shared with the other streams that send the same responses, so that they share one encoding. */
  private readonly nonces = new StreamNonces();

  /** Handles one DiscoveryRequest; returns the responses to send now. */
  onRequest(request: DiscoveryRequest): DiscoveryResponse[] {
    const type = this.requestType(request);
    if (!type) return [];
    let state = this.states.get(type);
    if (!state) {
      // First request of this type on this stream. After a reconnect Envoy says which version it has.
      state = { names: new Set(), sortedNames: [], namesKey: '', requested: [], open: false };
      if (request.versionInfo) {
        state.sentVersion = request.versionInfo;
        state.ackedVersion = request.versionInfo;
      }
      this.states.set(type, state);
    } else if (request.responseNonce !== (state.lastNonce ?? '')) {
      this.report({ kind: 'stale-nonce', type, nonce: request.responseNonce });
      return [];
    } else if (request.errorDetail) {
      this.report({ kind: 'nack', type, version: state.sentVersion ?? '', message: request.errorDetail.message });
    } else if (state.lastNonce !== undefined) {
      state.ackedVersion = request.versionInfo;
      if (type === 'clusters' && this.sentClusters) this.ackedClusters = this.sentClusters;
      this.report({ kind: 'ack', type, version: request.versionInfo });
    }
    if (WILDCARD.has(type)) {
      state.namesKey = '*';
    } else if (!sameNames(request.resourceNames, state.requested) || state.namesKey === '') {
      // Every ACK repeats the names: they are parsed again only when they differ.
      state.requested = request.resourceNames;
      state.names = new Set(request.resourceNames);
      state.sortedNames = [...state.names].sort();
      state.namesKey = state.sortedNames.join('\n');
    }
    state.open = true;
    return this.pending();
  }

  /** The snapshot changed: returns what can be sent now. */
  onSnapshotChange(): DiscoveryResponse[] {
    return this.pending();
  }

  /** Every response that is due, in make-before-break order. */
  private pending(): DiscoveryResponse[] {
    if (!this.node) return [];
    const snapshot = this.snapshotFor(this.node);
    if (!snapshot) return [];
    if (snapshot !== this.lastSnapshot) this.adoptSnapshot(snapshot);
    this.releaseRetainedClusters(snapshot);
    const out: DiscoveryResponse[] = [];
    for (const type of RESOURCE_TYPES) {
      if (!this.mayProceedTo(type, snapshot)) continue;
      const response = this.responseFor(type, snapshot);
      if (response) out.push(response);
    }
    return out;
  }

  /**
   * Keeps clusters the node has (ACKed) but the new snapshot drops, until the new listeners and
   * routes are ACKed. Only ACKed clusters: one the node rejected must not be sent again.
   */
  private adoptSnapshot(snapshot: Snapshot): void {
    this.lastSnapshot = snapshot;
    const retained = new Map<string, AnyMessage>();
    for (const [name, resource] of this.ackedClusters) {
      if (!snapshot.types.clusters.resources.has(name)) retained.set(name, resource);
    }
    this.retained = retained;
  }

  private releaseRetainedClusters(snapshot: Snapshot): void {
    if (this.retained.size === 0) return;
    const settled = (type: ResourceType) => {
      const state = this.states.get(type);
      return !state || state.ackedVersion === snapshot.types[type].version;
    };
    if (settled('listeners') && settled('routes')) this.retained = new Map();
  }

  /** A type may be sent only after the node ACKed the types it depends on. */
  private mayProceedTo(type: ResourceType, snapshot: Snapshot): boolean {
    const acked = (t: ResourceType) => {
      const state = this.states.get(t);
      return state !== undefined && state.ackedVersion === this.versionOf(t, snapshot);
    };
    switch (type) {
      case 'clusters':
      case 'endpoints':
        return true;
      case 'listeners':
        return acked('clusters') && (acked('endpoints') || !this.awaitsEndpoints(snapshot));
      case 'routes':
        // Routes are not warmed: new ones may point at new clusters even when the listeners did not change.
        return acked('listeners') && this.mayProceedTo('listeners', snapshot);
      case 'secrets':
        return true;
    }
  }

  /** Whether the node asked for endpoints this snapshot has (and so should ACK them first). */
  private awaitsEndpoints(snapshot: Snapshot): boolean {
    const state = this.states.get('endpoints');
    return state !== undefined && state.sortedNames.some((name) => snapshot.types.endpoints.resources.has(name));
  }

  /** The version a type is sent at: the snapshot's, marked while dropped clusters are retained. */
  private versionOf(type: ResourceType, snapshot: Snapshot): string {
    const version = snapshot.types[type].version;
    if (type !== 'clusters' || this.retained.size === 0) return version;
    const names = [...this.retained.keys()].sort().join(',');
    return `${version}+retained-${createHash('sha256').update(names).digest('hex').slice(0, 8)}`;
  }

  private responseFor(type: ResourceType, snapshot: Snapshot): DiscoveryResponse | undefined {
    const state = this.states.get(type);
    if (!state || !state.open) return undefined;
    const version = this.versionOf(type, snapshot);
    const names = state.namesKey;
    // Checked first: every ACK comes here, and most have nothing new to send.
    if (state.sentVersion === version && state.sentNames === names) return undefined;
    // Clusters merge the retained ones in; otherwise the snapshot's own map, shared by every stream.
    const retaining = type === 'clusters' && this.retained.size > 0;
    const all = retaining ? new Map([...this.retained, ...snapshot.types.clusters.resources]) : snapshot.types[type].resources;
    let resources: readonly AnyMessage[];
    if (WILDCARD.has(type)) {
      resources = retaining ? [...all.values()] : resourceValues(all);
    } else {
      const named: AnyMessage[] = [];
      for (const name of state.sortedNames) {
        const resource = all.get(name);
        if (resource) named.push(resource);
      }
      if (named.length === 0) return undefined; // nothing to say yet about these names
      resources = named;
    }
    if (state.sentVersion === version && state.sentNames === undefined) {
      // Reconnected at the version we serve: nothing to send.
      state.sentNames = names;
      if (type === 'clusters') this.ackedClusters = all;
      return undefined;
    }
    const nonce = this.nonces.next(snapshot, `${type}\n${version}\n${names}`);
    state.open = false;
    state.lastNonce = nonce;
    state.sentVersion = version;
    state.sentNames = names;
    if (type === 'clusters') this.sentClusters = all;
    this.report({ kind: 'sent', type, version, resources: resources.length });
    return { versionInfo: version, resources, typeUrl: RESOURCE_TYPE_URL[type], nonce, controlPlane: { identifier: this.identifier } };
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
