// [worker process] Simulated Envoys for the xDS fan-out benchmark: many ADS clients (grpc-js, one
// HTTP/2 connection each, as many Envoys would have) on one control plane. Each subscribes like an
// Envoy (CDS and LDS wildcard; EDS, RDS and SDS by the names the fleet's compiled xDS lists), ACKs
// every response at once, and records when it ACKed each version of each type, on the monotonic
// clock that every process of the machine shares.
import { Client, credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../../artifacts/src/type-urls.ts';
import { ADS_SERVICE } from '../../xds-server/src/ads/ads-service.ts';
import { message, schemas, type DeltaDiscoveryRequest, type DiscoveryRequest } from '../../xds-server/src/proto/messages.ts';
import { serveRequests } from './common.ts';

const SOTW = ADS_SERVICE.StreamAggregatedResources!;
const DELTA = ADS_SERVICE.DeltaAggregatedResources!;
const TYPE_BY_URL = new Map<string, ResourceType>(RESOURCE_TYPES.map((t) => [RESOURCE_TYPE_URL[t], t]));

/** The three fields of a DiscoveryResponse the client needs, read without decoding the resources. */
interface ResponseHead {
  versionInfo: string;
  typeUrl: string;
  nonce: string;
  resources: number;
  bytes: number;
}

function varint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, pos];
    shift += 7;
  }
}

/**
 * Scans a DiscoveryResponse: version_info (1), resources (2, counted), type_url (4), nonce (5). A
 * DeltaDiscoveryResponse has the same numbers (system_version_info, resources, type_url, nonce).
 */
export function readHead(buf: Buffer): ResponseHead {
  const head: ResponseHead = { versionInfo: '', typeUrl: '', nonce: '', resources: 0, bytes: buf.length };
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p] = varint(buf, pos);
    pos = p;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2) {
      const [len, q] = varint(buf, pos);
      const value = buf.subarray(q, q + len);
      pos = q + len;
      if (field === 1) head.versionInfo = value.toString('utf8');
      else if (field === 2) head.resources++;
      else if (field === 4) head.typeUrl = value.toString('utf8');
      else if (field === 5) head.nonce = value.toString('utf8');
    } else if (wire === 0) {
      pos = varint(buf, pos)[1];
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return head;
}

interface SimulatedNode {
  readonly id: string;
  readonly client: Client;
  readonly call: ClientDuplexStream<DiscoveryRequest | DeltaDiscoveryRequest, Buffer>;
  /** type → version → when it was ACKed (ms on the monotonic clock). */
  readonly acked: Map<ResourceType, Map<string, number>>;
  responses: number;
  bytes: number;
  errors: number;
}

const nodes: SimulatedNode[] = [];
const now = () => Number(process.hrtime.bigint()) / 1e6;

interface ConnectOptions {
  port: number;
  count: number;
  fleet: string;
  prefix: string;
  names: Partial<Record<ResourceType, string[]>>;
  /** State of the world (default) or delta xDS. */
  protocol?: 'sotw' | 'delta';
}

function connect(options: ConnectOptions): void {
  const delta = options.protocol === 'delta';
  const method = delta ? DELTA : SOTW;
  for (let i = 0; i < options.count; i++) {
    const id = `${options.prefix}-${i}`;
    const client = new Client(`127.0.0.1:${options.port}`, credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    const call = client.makeBidiStreamRequest(method.path, method.requestSerialize, (b: Buffer) => b) as SimulatedNode['call'];
    const acked = new Map(RESOURCE_TYPES.map((t) => [t, new Map<string, number>()]));
    const node: SimulatedNode = { id, client, call, acked, responses: 0, bytes: 0, errors: 0 };
    let first = true;
    const subscribed = new Set<ResourceType>();
    const send = (type: ResourceType, version: string, nonce: string) => {
      if (delta) {
        // Delta: names once, on the first request of a type; then only the nonce of each response.
        const newType = !subscribed.has(type);
        subscribed.add(type);
        call.write(
          message<DeltaDiscoveryRequest>(schemas.deltaDiscoveryRequest(), {
            typeUrl: RESOURCE_TYPE_URL[type],
            resourceNamesSubscribe: newType ? (options.names[type] ?? []) : [],
            responseNonce: nonce,
            ...(subscribed.size === 1 && newType ? { node: { id, cluster: options.fleet } } : {}),
          }),
        );
        return;
      }
      call.write(
        message<DiscoveryRequest>(schemas.discoveryRequest(), {
          versionInfo: version,
          resourceNames: options.names[type] ?? [],
          typeUrl: RESOURCE_TYPE_URL[type],
          responseNonce: nonce,
          ...(first ? { node: { id, cluster: options.fleet } } : {}),
        }),
      );
      first = false;
    };
    call.on('data', (bytes: Buffer) => {
      const head = readHead(bytes);
      const type = TYPE_BY_URL.get(head.typeUrl);
      node.responses++;
      node.bytes += head.bytes;
      if (!type) return;
      send(type, head.versionInfo, head.nonce);
      node.acked.get(type)!.set(head.versionInfo, now());
    });
    call.on('error', () => {
      node.errors++;
    });
    for (const type of ['clusters', 'endpoints', 'secrets', 'listeners', 'routes'] as const) {
      if (type === 'clusters' || type === 'listeners' || (options.names[type]?.length ?? 0) > 0) send(type, '', '');
    }
    nodes.push(node);
  }
}

/**
 * For each node, when it had ACKed every type at the given versions (null if not yet). A type whose
 * ACK of that version is older than `since` counts only when `unchanged` lists it (its version
 * did not change, so nothing new was sent).
 */
function ackedAt(versions: Partial<Record<ResourceType, string>>, since = 0, unchanged: readonly string[] = []): (number | null)[] {
  return nodes.map((node) => {
    let latest = 0;
    for (const [type, version] of Object.entries(versions) as [ResourceType, string][]) {
      const at = node.acked.get(type)?.get(version);
      if (at === undefined || (at < since && !unchanged.includes(type))) return null;
      latest = Math.max(latest, at);
    }
    return latest;
  });
}

serveRequests((m) => {
  switch (m.cmd) {
    case 'connect':
      connect(m.options as Parameters<typeof connect>[0]);
      return { nodes: nodes.length };
    case 'acked':
      return {
        at: ackedAt(m.versions as Partial<Record<ResourceType, string>>, (m.since as number | undefined) ?? 0, (m.unchanged as string[] | undefined) ?? []),
        now: now(),
      };
    case 'stats':
      return {
        responses: nodes.reduce((a, n) => a + n.responses, 0),
        bytes: nodes.reduce((a, n) => a + n.bytes, 0),
        errors: nodes.reduce((a, n) => a + n.errors, 0),
        cpu: process.cpuUsage(),
        memory: process.memoryUsage().rss,
      };
    case 'close':
      for (const node of nodes.splice(0)) {
        node.call.cancel();
        node.client.close();
      }
      return {};
    default:
      throw new Error(`unknown command ${String(m.cmd)}`);
  }
});
process.send?.({ ready: true });
