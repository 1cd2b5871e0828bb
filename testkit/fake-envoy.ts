// A fake Envoy for ADS tests: a grpc-js client speaking StreamAggregatedResources with the same
// protobuf-es (de)serializers as the server, that subscribes, ACKs and NACKs like Envoy does (it
// echoes the last accepted version and the last received nonce per type).
import { fromBinary } from '@bufbuild/protobuf';
import { Client, credentials, type ClientDuplexStream, type StatusObject } from '@grpc/grpc-js';
import { RESOURCE_MESSAGE, RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../artifacts/src/type-urls.ts';
import { envoyMessage } from '../artifacts/src/envoy-registry.ts';
import { ADS_SERVICE } from '../xds-server/src/ads/ads-service.ts';
import type { NodeStatusRegistry } from '../xds-server/src/ads/node-status.ts';
import { message, schemas, type DiscoveryRequest, type DiscoveryResponse } from '../xds-server/src/proto/messages.ts';

const SOTW = ADS_SERVICE.StreamAggregatedResources!;

export const typeOfResponse = (r: DiscoveryResponse): ResourceType => {
  const type = RESOURCE_TYPES.find((t) => RESOURCE_TYPE_URL[t] === r.typeUrl);
  if (!type) throw new Error(`unexpected type URL ${r.typeUrl}`);
  return type;
};

/** The names of a response's resources, decoded with the Envoy API. */
export function resourceNames(r: DiscoveryResponse): string[] {
  const schema = envoyMessage(RESOURCE_MESSAGE[typeOfResponse(r)]);
  return r.resources
    .map((any) => {
      const decoded = fromBinary(schema, any.value) as unknown as { name?: string; clusterName?: string };
      return decoded.clusterName ?? decoded.name ?? '';
    })
    .sort();
}

export class FakeEnvoy {
  /** Versions this Envoy accepted, per type (what it reports after a reconnect). */
  readonly accepted = new Map<ResourceType, string>();
  readonly last = new Map<ResourceType, DiscoveryResponse>();
  /** Resolves with the final status of the stream. */
  readonly closed: Promise<StatusObject>;
  private readonly client: Client;
  private readonly call: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  private readonly inbox: DiscoveryResponse[] = [];
  private readonly subscribed = new Map<ResourceType, readonly string[]>();
  private wake?: () => void;
  private sentNode = false;
  /** Requests written and responses received on this stream: what the server's counts for the node must reach. */
  private requestsSent = 0;
  private responsesReceived = 0;

  /** `node` is a protobuf-es init of envoy.config.core.v3.Node (oneofs as {case, value}). */
  constructor(port: number, private readonly node: Readonly<Record<string, unknown>>, accepted: ReadonlyMap<ResourceType, string> = new Map()) {
    for (const [type, version] of accepted) this.accepted.set(type, version);
    this.client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(SOTW.path, SOTW.requestSerialize, SOTW.responseDeserialize);
    this.call.on('data', (response: DiscoveryResponse) => {
      this.responsesReceived += 1;
      this.inbox.push(response);
      this.wake?.();
    });
    this.closed = new Promise((resolve) => this.call.on('status', resolve));
    this.call.on('error', () => undefined); // the status above says how it ended
  }

  /** Subscribes to a type (names for EDS/RDS/SDS, none for the wildcard CDS/LDS). */
  subscribe(type: ResourceType, names: readonly string[] = []): void {
    this.subscribed.set(type, names);
    this.send(type, {});
  }

  ack(response: DiscoveryResponse): void {
    const type = typeOfResponse(response);
    this.accepted.set(type, response.versionInfo);
    this.send(type, { responseNonce: response.nonce });
  }

  nack(response: DiscoveryResponse, errorMessage: string): void {
    this.send(typeOfResponse(response), { responseNonce: response.nonce, errorDetail: { code: 3, message: errorMessage } });
  }

  /** The next response, or a rejection after timeoutMs. */
  async next(timeoutMs = 5_000): Promise<DiscoveryResponse> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no xDS response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const response = this.inbox.shift()!;
    this.last.set(typeOfResponse(response), response);
    return response;
  }

  /**
   * Fails if the server sent this Envoy anything it has not read. Nothing here depends on timing:
   * it waits (polling, bounded by timeoutMs) until `server` (the node registry of the control plane
   * this Envoy talks to) has counted every request this Envoy sent and this Envoy has received every
   * response the server counted for it; whatever the server sent is then in the inbox. This stream
   * must be the node's only one on that server.
   */
  async expectNothing(server: NodeStatusRegistry, timeoutMs = 5_000): Promise<void> {
    const id = String(this.node.id);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = server.get(id);
      if (status?.requests === this.requestsSent && status.responses === this.responsesReceived) break;
      if (Date.now() > deadline) {
        const server = status ? `${String(status.requests)} requests and ${String(status.responses)} responses` : 'no such node';
        const client = `${String(this.requestsSent)} requests sent and ${String(this.responsesReceived)} responses received`;
        throw new Error(`the server did not settle within ${String(timeoutMs)} ms: this Envoy has ${client}, the server counts ${server}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (this.inbox.length > 0) throw new Error(`unexpected xDS responses: ${this.inbox.map((r) => `${typeOfResponse(r)}@${r.versionInfo}`).join(', ')}`);
  }

  /** Subscribes, waits for the response of that type and ACKs it. */
  async sync(type: ResourceType, names: readonly string[] = []): Promise<DiscoveryResponse> {
    this.subscribe(type, names);
    const response = await this.next();
    if (typeOfResponse(response) !== type) throw new Error(`expected ${type}, got ${typeOfResponse(response)}`);
    this.ack(response);
    return response;
  }

  /** Half-closes the stream, as Envoy does not but a well-behaved client may. */
  end(): void {
    this.call.end();
  }

  /** Drops the stream, as a restarting Envoy does. */
  close(): void {
    this.call.cancel();
    this.client.close();
  }

  private send(type: ResourceType, init: Partial<Record<keyof DiscoveryRequest, unknown>>): void {
    const request = message<DiscoveryRequest>(schemas.discoveryRequest(), {
      versionInfo: this.accepted.get(type) ?? '',
      resourceNames: [...(this.subscribed.get(type) ?? [])],
      typeUrl: RESOURCE_TYPE_URL[type],
      responseNonce: this.last.get(type)?.nonce ?? '',
      ...(this.sentNode ? {} : { node: this.node }),
      ...init,
    });
    this.sentNode = true;
    this.requestsSent += 1;
    this.call.write(request);
  }
}
