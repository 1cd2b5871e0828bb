// One delta (incremental) ADS stream: what the node subscribed to, which version of each resource
// it has, and what to send next: only the resources whose version differs, and the names it has
// that the snapshot no longer holds (removed_resources). No I/O, like the state-of-the-world
// stream (stream.ts): requests and snapshot changes go in, responses come out.
//
// Versions are per resource (resource-version.ts: a hash of its bytes). On a new stream the node
// says what it has (initial_resource_versions), so a reconnect sends only what differs.
//
// Ordering is the same make-before-break as state of the world: clusters and endpoints first,
// listeners once the node has every cluster (and the endpoints it asked for), routes once it also
// has every listener; clusters are removed only once the node has the new listeners and routes.
// One response per type is in flight at a time: the next waits for its ACK or NACK.
import { RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { AnyMessage, DeltaDiscoveryRequest, DeltaDiscoveryResponse, DeltaResource } from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { resourceNames } from './resource-lists.ts';
import { resourceVersion } from './resource-version.ts';
import { AdsStreamBase } from './stream-base.ts';
import { WILDCARD } from './stream-event.ts';

/** The explicit wildcard subscription; a first request with no names is the legacy form of it (LDS and CDS only). */
const ALL = '*';
/** Types whose removals wait until the node has the listeners and routes that stopped using them. */
const REMOVED_LAST: ReadonlySet<ResourceType> = new Set(['clusters', 'endpoints']);
/** Marks a removal the node rejected, in `rejected`. */
const REMOVAL = '';

interface InFlight {
  readonly nonce: string;
  /** The snapshot's version of the type when it was sent (system_version_info). */
  readonly version: string;
  /** name -> version sent, or undefined for a removal. */
  readonly changes: ReadonlyMap<string, string | undefined>;
}

interface DeltaTypeState {
  wildcard: boolean;
  /** Names subscribed explicitly. */
  readonly names: Set<string>;
  /** `names` sorted (the order resources are sent in); undefined once they change. */
  sortedNames?: readonly string[];
  /** What the node has: name -> version (ACKed, or declared on a new stream). */
  readonly has: Map<string, string>;
  /** Versions the node rejected (NACK): not sent again until the resource changes. */
  readonly rejected: Map<string, string>;
  inFlight?: InFlight;
  /** The snapshot version of the type the node was last reported to hold (ACKed, or found in sync). */
  heldVersion?: string;
}

/** What a type's node lacks: resources to send, and names to remove. */
interface Difference {
  readonly updates: readonly DeltaResource[];
  readonly removed: readonly string[];
  /** Resources the node rejected at their current version (not resent): the type is not in sync. */
  readonly rejected: number;
}

export class DeltaAdsStream extends AdsStreamBase {
  private readonly states = new Map<ResourceType, DeltaTypeState>();
  private nonceCounter = 0;

  /** Handles one DeltaDiscoveryRequest; returns the responses to send now. */
  onRequest(request: DeltaDiscoveryRequest): DeltaDiscoveryResponse[] {
    const type = this.requestType(request);
    if (!type) return [];
    let state = this.states.get(type);
    if (!state) {
      const initial = Object.entries(request.initialResourceVersions);
      state = {
        wildcard: WILDCARD.has(type) && request.resourceNamesSubscribe.length === 0,
        names: new Set(),
        has: new Map(initial),
        rejected: new Map(),
      };
      this.states.set(type, state);
    }
    if (request.responseNonce) this.answer(type, state, request);
    this.subscribe(type, state, request);
    return this.pending();
  }

  /** The snapshot changed: returns what can be sent now. */
  onSnapshotChange(): DeltaDiscoveryResponse[] {
    return this.pending();
  }

  /** An ACK or NACK of the response in flight; anything else carrying a nonce is stale. */
  private answer(type: ResourceType, state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    const sent = state.inFlight;
    if (sent?.nonce !== request.responseNonce) {
      this.report({ kind: 'stale-nonce', type, nonce: request.responseNonce });
      return;
    }
    delete state.inFlight;
    if (request.errorDetail) {
      for (const [name, version] of sent.changes) state.rejected.set(name, version ?? REMOVAL);
      // Reported as NACKed: the next time the node turns out to be in sync is worth reporting.
      delete state.heldVersion;
      this.report({ kind: 'nack', type, version: sent.version, message: request.errorDetail.message });
      return;
    }
    for (const [name, version] of sent.changes) {
      // Unsubscribed while the response was in flight: the node has dropped it.
      if (!state.wildcard && !state.names.has(name)) continue;
      if (version === undefined) state.has.delete(name);
      else state.has.set(name, version);
      state.rejected.delete(name);
    }
    state.heldVersion = sent.version;
    this.report({ kind: 'ack', type, version: sent.version });
  }

  private subscribe(type: ResourceType, state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    if (request.resourceNamesSubscribe.length > 0 || request.resourceNamesUnsubscribe.length > 0) delete state.sortedNames;
    for (const name of request.resourceNamesSubscribe) {
      if (name === ALL) state.wildcard = WILDCARD.has(type);
      else state.names.add(name);
    }
    for (const name of request.resourceNamesUnsubscribe) {
      if (name === ALL) {
        state.wildcard = false;
        continue;
      }
      state.names.delete(name);
      // The node drops what it unsubscribes from (unless the wildcard still covers it).
      if (!state.wildcard) {
        state.has.delete(name);
        state.rejected.delete(name);
      }
    }
  }

  /** Every response that is due, in make-before-break order. */
  private pending(): DeltaDiscoveryResponse[] {
    if (!this.node) return [];
    const snapshot = this.snapshotFor(this.node);
    if (!snapshot) return [];
    const out: DeltaDiscoveryResponse[] = [];
    for (const type of RESOURCE_TYPES) {
      const state = this.states.get(type);
      if (!state || state.inFlight || !this.mayProceedTo(type, snapshot)) continue;
      const response = this.responseFor(type, state, snapshot);
      if (response) out.push(response);
    }
    return out;
  }

  /** A type may be sent only once the node has the types it depends on. */
  private mayProceedTo(type: ResourceType, snapshot: Snapshot): boolean {
    switch (type) {
      case 'clusters':
      case 'endpoints':
      case 'secrets':
        return true;
      case 'listeners':
        return this.inSync('clusters', snapshot) && (this.inSync('endpoints', snapshot) || !this.awaitsEndpoints(snapshot));
      case 'routes':
        // Routes are not warmed: new ones may point at new clusters even when the listeners did not change.
        return this.inSync('listeners', snapshot) && this.mayProceedTo('listeners', snapshot);
    }
  }

  /**
   * Whether the node has every resource of the type it should have (clusters and endpoints: dropped
   * ones may linger): `difference` without removing last would find nothing to send, remove or
   * hold back as rejected. Asked several times per request, so it stops at the first difference
   * and builds nothing.
   */
  private inSync(type: ResourceType, snapshot: Snapshot): boolean {
    const state = this.states.get(type);
    if (!state || state.inFlight) return false;
    const all = snapshot.types[type].resources;
    const names = this.considered(state, all);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const resource = all.get(name);
      if (resource && state.has.get(name) !== resourceVersion(resource)) return false;
    }
    if (!REMOVED_LAST.has(type)) {
      for (const name of state.has.keys()) if (!all.has(name)) return false;
    }
    return true;
  }

  /**
   * Whether the node has the snapshot's listeners and routes. Envoy always subscribes to listeners;
   * it subscribes to routes only when a listener names some, so no routes subscription counts
   * as settled only when the snapshot has no routes.
   */
  private routingSettled(snapshot: Snapshot): boolean {
    const routes = this.states.has('routes') ? this.inSync('routes', snapshot) : snapshot.types.routes.resources.size === 0;
    return this.inSync('listeners', snapshot) && routes;
  }

  /** Whether the node asked for endpoints this snapshot has (and so should have them first). */
  private awaitsEndpoints(snapshot: Snapshot): boolean {
    const state = this.states.get('endpoints');
    if (!state) return false;
    for (const name of state.names) if (snapshot.types.endpoints.resources.has(name)) return true;
    return false;
  }

  /**
   * What the node lacks of a type. Clusters and endpoints the snapshot dropped are removed only
   * once the node has the listeners and routes that stopped using them (`removeLast`).
   */
  private difference(type: ResourceType, state: DeltaTypeState, snapshot: Snapshot, removeLast: boolean): Difference {
    const all = snapshot.types[type].resources;
    const updates: DeltaResource[] = [];
    let rejected = 0;
    const consider = (name: string, resource: AnyMessage) => {
      const version = resourceVersion(resource);
      if (state.has.get(name) === version) return;
      if (state.rejected.get(name) === version) rejected++;
      else updates.push({ name, version, resource });
    };
    const names = this.considered(state, all);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const resource = all.get(name);
      if (resource) consider(name, resource);
    }
    const removed: string[] = [];
    if (!REMOVED_LAST.has(type) || removeLast) {
      state.has.forEach((_version, name) => {
        if (all.has(name)) return;
        if (state.rejected.get(name) === REMOVAL) rejected++;
        else removed.push(name);
      });
    }
    return { updates, removed: removed.sort(), rejected };
  }

  /**
   * The names a type's resources are considered under, in the order they are sent: the snapshot's
   * (wildcard) or those subscribed, sorted. Arrays, kept until they change, because these loops run
   * for every type on every request of every stream.
   */
  private considered(state: DeltaTypeState, all: ReadonlyMap<string, AnyMessage>): readonly string[] {
    if (state.wildcard) return resourceNames(all);
    state.sortedNames ??= [...state.names].sort();
    return state.sortedNames;
  }

  private hasRejected(type: ResourceType, state: DeltaTypeState, snapshot: Snapshot): boolean {
    return this.difference(type, state, snapshot, true).rejected > 0;
  }

  private responseFor(type: ResourceType, state: DeltaTypeState, snapshot: Snapshot): DeltaDiscoveryResponse | undefined {
    const { updates, removed } = this.difference(type, state, snapshot, REMOVED_LAST.has(type) && this.routingSettled(snapshot));
    const version = snapshot.types[type].version;
    if (updates.length === 0 && removed.length === 0) {
      // Nothing to send, yet the node holds this version: after a reconnect, or when a change left
      // its resources as they were (a rejected set replaced by the one it kept).
      if (state.heldVersion !== version && !this.hasRejected(type, state, snapshot)) {
        state.heldVersion = version;
        this.report({ kind: 'in-sync', type, version });
      }
      return undefined;
    }
    const nonce = String(++this.nonceCounter);
    const changes = new Map<string, string | undefined>(updates.map((u) => [u.name, u.version]));
    for (const name of removed) changes.set(name, undefined);
    state.inFlight = { nonce, version, changes };
    this.report({ kind: 'sent', type, version, resources: updates.length, removed: removed.length });
    return {
      systemVersionInfo: version,
      resources: updates,
      typeUrl: RESOURCE_TYPE_URL[type],
      removedResources: removed,
      nonce,
      controlPlane: { identifier: this.identifier },
    };
  }
}
