// The gRPC AggregatedDiscoveryService: binds each Envoy stream to an AdsStream and to snapshot
// changes, and records what every node ACKs and NACKs.
import { status as GrpcStatus, type ServerDuplexStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../log.ts';
import type { Metrics } from '../admin/metrics.ts';
import { message as toMessage, method, schemas, type DiscoveryRequest, type DiscoveryResponse, type Node } from '../proto/messages.ts';
import type { SnapshotCache } from '../snapshot/snapshot-cache.ts';
import type { NodeStatusRegistry } from './node-status.ts';
import { AdsStream, type StreamEvent } from './stream.ts';

const SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';

export const ADS_SERVICE: ServiceDefinition = {
  StreamAggregatedResources: method<DiscoveryRequest, DiscoveryResponse>(
    `${SERVICE}/StreamAggregatedResources`,
    schemas.discoveryRequest,
    schemas.discoveryResponse,
    { requestStream: true, responseStream: true },
  ),
  DeltaAggregatedResources: method(`${SERVICE}/DeltaAggregatedResources`, schemas.deltaDiscoveryRequest, schemas.deltaDiscoveryResponse, {
    requestStream: true,
    responseStream: true,
  }),
};

export interface AdsDependencies {
  readonly cache: SnapshotCache;
  readonly nodes: NodeStatusRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly identifier: string;
}


export function adsImplementation(deps: AdsDependencies): UntypedServiceImplementation {
  return {
    StreamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => serveStream(call, deps),
    DeltaAggregatedResources: (call: ServerDuplexStream<unknown, unknown>) => {
      call.emit('error', { code: GrpcStatus.UNIMPLEMENTED, details: 'Gatehouse serves state-of-the-world ADS; set api_type: GRPC' });
    },
  };
}

function serveStream(call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>, deps: AdsDependencies): void {
  const { cache, nodes, logger, metrics } = deps;
  let nodeId: string | undefined;
  const onEvent = (event: StreamEvent) => {
    if (!nodeId) return;
    const fields = { node: nodeId };
    switch (event.kind) {
      case 'sent':
        nodes.type(nodeId, event.type).sent = event.version;
        metrics.xdsPushes.inc({ type: event.type });
        logger.log('debug', 'xds push', { ...fields, type: event.type, version: event.version, resources: event.resources });
        break;
      case 'ack': {
        const state = nodes.type(nodeId, event.type);
        state.acked = event.version;
        if (state.nacked && state.nacked.version !== event.version) delete state.nacked;
        logger.log('debug', 'xds ack', { ...fields, type: event.type, version: event.version });
        break;
      }
      case 'nack':
        nodes.type(nodeId, event.type).nacked = { version: event.version, message: event.message, at: new Date().toISOString() };
        metrics.xdsNacks.inc({ type: event.type });
        logger.log('warn', 'xds NACK: Envoy rejected a configuration and keeps its previous one', { ...fields, type: event.type, version: event.version, error: event.message });
        break;
      case 'stale-nonce':
        logger.log('debug', 'xds stale nonce ignored', { ...fields, type: event.type, nonce: event.nonce });
        break;
      case 'unknown-type':
        logger.log('warn', 'xds request for a type Gatehouse does not serve', { ...fields, typeUrl: event.typeUrl });
        break;
    }
  };
  const stream = new AdsStream((node) => cache.get(node.cluster), onEvent, deps.identifier);
  const write = (responses: readonly DiscoveryResponse[]) => {
    for (const response of responses) {
      call.write(message(response));
    }
  };
  // A stream that cannot take a new snapshot is ended (Envoy reconnects and resyncs); the others go on.
  const unsubscribe = cache.subscribe(() => {
    try {
      write(stream.onSnapshotChange());
    } catch (error) {
      logger.log('error', 'ADS stream failed to take a new snapshot; closing it', { node: nodeId, error: error instanceof Error ? error.message : String(error) });
      call.emit('error', { code: GrpcStatus.INTERNAL, details: 'the control plane failed to send a new snapshot' });
    }
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (nodeId) {
      const status = nodes.get(nodeId);
      if (status) status.streams = Math.max(0, status.streams - 1);
      metrics.connectedStreams.dec();
      logger.log('info', 'envoy disconnected', { node: nodeId });
    }
  };
  call.on('data', (request: DiscoveryRequest) => {
    if (!nodeId && request.node?.id) {
      nodeId = request.node.id;
      const status = nodes.node(nodeId, request.node.cluster);
      status.streams += 1;
      status.connectedAt = new Date().toISOString();
      const v = buildVersion(request.node);
      if (v) status.envoyVersion = `${v.majorNumber}.${v.minorNumber}.${v.patch}`;
      metrics.connectedStreams.inc();
      logger.log('info', 'envoy connected', { node: nodeId, fleet: request.node.cluster, snapshot: cache.get(request.node.cluster) ? 'yes' : 'none for this fleet' });
    } else if (nodeId) {
      nodes.node(nodeId, stream.node?.cluster ?? '');
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

/** Builds the protobuf message of a response (create() fills every field the encoder expects). */
function message(response: DiscoveryResponse): DiscoveryResponse {
  const any = schemas.any();
  return toMessage<DiscoveryResponse>(schemas.discoveryResponse(), {
    versionInfo: response.versionInfo,
    typeUrl: response.typeUrl,
    nonce: response.nonce,
    resources: response.resources.map((r) => toMessage(any, { typeUrl: r.typeUrl, value: r.value })),
    ...(response.controlPlane ? { controlPlane: { identifier: response.controlPlane.identifier } } : {}),
  });
}
