// The gRPC AggregatedDiscoveryService: binds each Envoy stream to an AdsStream and to snapshot
// changes, and records what every node ACKs and NACKs.
import { status as GrpcStatus, type ServerDuplexStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../log.ts';
import type { Metrics } from '../admin/metrics.ts';
import { encodeDiscoveryResponse } from '../proto/discovery-response.ts';
import { encodeDeltaDiscoveryResponse } from '../proto/delta-discovery-response.ts';
import {
  method,
  schemas,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type Node,
} from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { SnapshotCache } from '../snapshot/snapshot-cache.ts';
import type { NodeStatusRegistry } from './node-status.ts';
import { AdsStream } from './stream.ts';
import type { StreamEvent } from './stream-event.ts';
import { DeltaAdsStream } from './delta-stream.ts';
import { sendFramesAsIs } from './shared-frames.ts';
import { PLAINTEXT_PEERS, type PeerAuthenticator } from '../tls/peer-identity.ts';
import { nodeClaimMismatch, permissionDenied } from '../tls/node-claims.ts';

const SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';

const sotw = method<DiscoveryRequest, DiscoveryResponse>(`${SERVICE}/StreamAggregatedResources`, schemas.discoveryRequest, schemas.discoveryResponse, {
  requestStream: true,
  responseStream: true,
});

const delta = method<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(
  `${SERVICE}/DeltaAggregatedResources`,
  schemas.deltaDiscoveryRequest,
  schemas.deltaDiscoveryResponse,
  { requestStream: true, responseStream: true },
);

export const ADS_SERVICE: ServiceDefinition = {
  // Responses are written already encoded (encodeDiscoveryResponse), so they pass through as bytes.
  StreamAggregatedResources: { ...sotw, responseSerialize: (value: DiscoveryResponse) => (Buffer.isBuffer(value) ? value : sotw.responseSerialize(value)) },
  DeltaAggregatedResources: {
    ...delta,
    responseSerialize: (value: DeltaDiscoveryResponse) => (Buffer.isBuffer(value) ? value : delta.responseSerialize(value)),
  },
};

/** One flavour of ADS: its per-stream state machine and its response encoder. */
interface AdsProtocol<Req, Res> {
  readonly name: 'sotw' | 'delta';
  open(snapshotFor: (node: Node) => Snapshot | undefined, report: (event: StreamEvent) => void, identifier: string): ProtocolStream<Req, Res>;
  encode(response: Res): Buffer;
}

interface ProtocolStream<Req, Res> {
  readonly node?: Node;
  onRequest(request: Req): Res[];
  onSnapshotChange(): Res[];
}

const SOTW_PROTOCOL: AdsProtocol<DiscoveryRequest, DiscoveryResponse> = {
  name: 'sotw',
  open: (snapshotFor, report, identifier) => new AdsStream(snapshotFor, report, identifier),
  encode: encodeDiscoveryResponse,
};

const DELTA_PROTOCOL: AdsProtocol<DeltaDiscoveryRequest, DeltaDiscoveryResponse> = {
  name: 'delta',
  open: (snapshotFor, report, identifier) => new DeltaAdsStream(snapshotFor, report, identifier),
  encode: encodeDeltaDiscoveryResponse,
};

export interface AdsDependencies {
  readonly cache: SnapshotCache;
  readonly nodes: NodeStatusRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly identifier: string;
  /** Who the caller is (mTLS); absent: plaintext, the node's own claims are believed. */
  readonly peers?: PeerAuthenticator;
}


/**
 * Paces pushes across all streams: at most `limit` bytes of responses handed to gRPC and not yet
 * written out, the rest waiting in order. Streams that send the same response share its frame
 * (shared-frames.ts), but each write still queues work in its HTTP/2 session, and a response of
 * its own (a node out of step with the others) is a copy: a push to many Envoys then holds a
 * bounded amount of memory instead of all of it at once.
 */
export class PushPacer {
  private inFlight = 0;
  private queue: (() => number)[] = [];
  private head = 0;
  constructor(private readonly limit: number) {}

  /** Queues a send; `send` writes and returns the bytes it put in flight. */
  push(send: () => number): void {
    this.queue.push(send);
    this.pump();
  }

  /** Bytes written out (or dropped with their stream). */
  done(bytes: number): void {
    this.inFlight -= bytes;
    this.pump();
  }

  private pump(): void {
    while (this.head < this.queue.length && (this.inFlight <= 0 || this.inFlight < this.limit)) {
      const send = this.queue[this.head];
      this.queue[this.head++] = () => 0;
      if (send) this.inFlight += send();
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }
}

/** Bytes in flight across all ADS streams before further responses wait. */
const PUSH_BUDGET_BYTES = 16 * 1024 * 1024;

/** What every ADS stream of one service shares: the pacer, and whether grpc-js was found copying responses. */
interface Shared {
  readonly pacer: PushPacer;
  copyWarned: boolean;
}

export function adsImplementation(deps: AdsDependencies): UntypedServiceImplementation {
  const shared: Shared = { pacer: new PushPacer(PUSH_BUDGET_BYTES), copyWarned: false };
  return {
    StreamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => serveStream(call, deps, shared, SOTW_PROTOCOL),
    DeltaAggregatedResources: (call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) => serveStream(call, deps, shared, DELTA_PROTOCOL),
  };
}

/** Serves one ADS stream of either protocol: authentication, node status, pacing and snapshot changes are the same. */
function serveStream<Req extends { readonly node?: Node; readonly typeUrl: string }, Res>(
  call: ServerDuplexStream<Req, Res>,
  deps: AdsDependencies,
  shared: Shared,
  protocol: AdsProtocol<Req, Res>,
): void {
  const { cache, nodes, logger, metrics } = deps;
  const { pacer } = shared;
  // mTLS: the fleet and node come from the certificate, and the node's claims must agree with it.
  const peer = (deps.peers ?? PLAINTEXT_PEERS).authenticate(call);
  if (peer.kind === 'refused') {
    logger.log('warn', 'ADS stream refused', { reason: peer.reason });
    call.emit('error', permissionDenied(`Gatehouse refused this stream: ${peer.reason}`));
    return;
  }
  const identity = peer.kind === 'node' ? peer.identity : undefined;
  if (!sendFramesAsIs(call) && !shared.copyWarned) {
    shared.copyWarned = true;
    logger.log('warn', 'this grpc-js copies every ADS response per stream (shared frames unavailable): pushes to many nodes take more memory');
  }
  let refused = false;
  let nodeId: string | undefined;
  const onEvent = (event: StreamEvent) => {
    if (!nodeId) return;
    const fields = { node: nodeId };
    switch (event.kind) {
      case 'sent': {
        nodes.type(nodeId, event.type).sent = event.version;
        const status = nodes.get(nodeId);
        if (status) status.responses += 1;
        metrics.xdsPushes.inc({ type: event.type });
        logger.log('debug', 'xds push', { ...fields, type: event.type, version: event.version, resources: event.resources, removed: event.removed });
        break;
      }
      case 'ack': {
        const state = nodes.type(nodeId, event.type);
        state.acked = event.version;
        if (state.nacked && state.nacked.version !== event.version) delete state.nacked;
        logger.log('debug', 'xds ack', { ...fields, type: event.type, version: event.version });
        break;
      }
      case 'in-sync': {
        const state = nodes.type(nodeId, event.type);
        state.sent = event.version;
        state.acked = event.version;
        if (state.nacked && state.nacked.version !== event.version) delete state.nacked;
        logger.log('debug', 'xds in sync: the node already has this version, nothing sent', { ...fields, type: event.type, version: event.version });
        break;
      }
      case 'nack':
        nodes.type(nodeId, event.type).nacked = { version: event.version, message: event.message, at: new Date().toISOString() };
        metrics.xdsNacks.inc({ type: event.type });
        logger.log('warn', 'xds NACK: Envoy rejected a configuration and keeps its previous one', {
          ...fields,
          type: event.type,
          version: event.version,
          error: event.message,
        });
        break;
      case 'stale-nonce':
        logger.log('debug', 'xds stale nonce ignored', { ...fields, type: event.type, nonce: event.nonce });
        break;
      case 'unknown-type':
        logger.log('warn', 'xds request for a type Gatehouse does not serve', { ...fields, typeUrl: event.typeUrl });
        break;
    }
  };
  const stream = protocol.open((node) => cache.get(identity?.fleet ?? node.cluster), onEvent, deps.identifier);
  /** Bytes of this stream in flight: given back to the pacer when they are written, or when the stream closes. */
  let outstanding = 0;
  const write = (responses: readonly Res[]) => {
    for (const response of responses) {
      pacer.push(() => {
        if (closed) return 0;
        const bytes = protocol.encode(response);
        outstanding += bytes.length;
        call.write(bytes as unknown as Res, () => {
          if (closed) return;
          outstanding -= bytes.length;
          pacer.done(bytes.length);
        });
        return bytes.length;
      });
    }
  };
  // A stream that cannot take a new snapshot is ended (Envoy reconnects and resyncs); the others go on.
  const unsubscribe = cache.subscribe(() => {
    try {
      write(stream.onSnapshotChange());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.log('error', 'ADS stream failed to take a new snapshot; closing it', { node: nodeId, error: message });
      call.emit('error', { code: GrpcStatus.INTERNAL, details: 'the control plane failed to send a new snapshot' });
    }
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    pacer.done(outstanding);
    outstanding = 0;
    if (nodeId) {
      const status = nodes.get(nodeId);
      if (status) status.streams = Math.max(0, status.streams - 1);
      metrics.connectedStreams.dec();
      logger.log('info', 'envoy disconnected', { node: nodeId });
    }
  };
  call.on('data', (request: Req) => {
    if (refused) return;
    const mismatch = identity && request.node ? nodeClaimMismatch(identity, request.node) : undefined;
    if (mismatch) {
      refused = true;
      logger.log('warn', 'ADS stream refused', { reason: mismatch, identity: identity?.uri });
      call.emit('error', permissionDenied(`Gatehouse refused this stream: ${mismatch}`));
      close();
      return;
    }
    if (!nodeId && request.node && (identity ?? request.node.id)) {
      nodeId = identity?.node ?? request.node.id;
      const fleet = identity?.fleet ?? request.node.cluster;
      const status = nodes.node(nodeId, fleet);
      status.requests += 1;
      status.streams += 1;
      status.connectedAt = new Date().toISOString();
      status.xds = protocol.name;
      const v = buildVersion(request.node);
      if (v) status.envoyVersion = `${v.majorNumber}.${v.minorNumber}.${v.patch}`;
      metrics.connectedStreams.inc();
      const snapshot = cache.get(fleet) ? 'yes' : 'none for this fleet';
      logger.log('info', 'envoy connected', { node: nodeId, fleet, identity: identity?.uri ?? 'unverified (plaintext)', snapshot, xds: protocol.name });
    } else if (nodeId) {
      nodes.node(nodeId, identity?.fleet ?? stream.node?.cluster ?? '').requests += 1;
    }
    if (!request.typeUrl) return;
    write(stream.onRequest(request));
  });
  call.on('end', () => {
    close();
    call.end();
  });
  call.on('error', close);
  call.on('cancelled', close);
  call.on('close', close);
}

/** Envoy's version: protobuf-es decodes the `user_agent_version_type` oneof as {case, value}. */
function buildVersion(node: Node): { majorNumber: number; minorNumber: number; patch: number } | undefined {
  const oneof = node.userAgentVersionType;
  return oneof?.case === 'userAgentBuildVersion' ? oneof.value.version : undefined;
}
