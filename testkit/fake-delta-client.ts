// A delta ADS client for tests and benchmarks: a grpc-js client speaking DeltaAggregatedResources
// with the same protobuf-es (de)serializers as the server. It sends the requests it is given and
// queues the responses, so a test plays Envoy's side step by step.
import { Client, credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { ADS_SERVICE } from '../xds-server/src/ads/ads-service.ts';
import { message, schemas, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from '../xds-server/src/proto/messages.ts';

const DELTA = ADS_SERVICE.DeltaAggregatedResources!;

export class FakeDeltaClient {
  /** Responses received on this stream. */
  received = 0;
  private readonly client: Client;
  private readonly call: ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
  private readonly inbox: DeltaDiscoveryResponse[] = [];
  private wake?: () => void;

  constructor(port: number) {
    this.client = new Client(`127.0.0.1:${String(port)}`, credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(DELTA.path, DELTA.requestSerialize, DELTA.responseDeserialize);
    this.call.on('data', (response: DeltaDiscoveryResponse) => {
      this.received += 1;
      this.inbox.push(response);
      this.wake?.();
    });
    this.call.on('error', () => undefined); // a test that cares reads the status
  }

  send(init: Readonly<Partial<Record<keyof DeltaDiscoveryRequest, unknown>>>): void {
    this.call.write(message<DeltaDiscoveryRequest>(schemas.deltaDiscoveryRequest(), init));
  }

  /** The next response, or a rejection after timeoutMs. */
  async next(timeoutMs = 5_000): Promise<DeltaDiscoveryResponse> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no delta xDS response within ${String(timeoutMs)} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.inbox.shift()!;
  }

  /** Drops the stream, as a restarting Envoy does. */
  close(): void {
    this.call.cancel();
    this.client.close();
  }
}
