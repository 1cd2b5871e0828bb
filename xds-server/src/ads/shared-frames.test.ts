// Pre-framed responses through real grpc-js (server and client on 127.0.0.1): the frame is written
// as is, without grpc-js serializing or copying it, and the client receives exactly the message.
import { Client, Server, ServerCredentials, credentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeDiscoveryResponse } from '../proto/discovery-response.ts';
import { sendFramesAsIs } from './shared-frames.ts';

const PATH = '/gatehouse.test.Frames/Stream';
const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

/** A server whose one bidi method answers each request with the given messages; counts what grpc-js serialized itself. */
async function startServer(messages: readonly Buffer[]): Promise<{ port: number; serialized: Buffer[]; installed: boolean[] }> {
  const serialized: Buffer[] = [];
  const installed: boolean[] = [];
  const server = new Server();
  const identity = (b: Buffer) => b;
  server.addService(
    {
      Stream: {
        path: PATH,
        requestStream: true,
        responseStream: true,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: (b: Buffer) => {
          serialized.push(b);
          return b;
        },
        responseDeserialize: identity,
      },
    },
    {
      Stream: (call: ServerDuplexStream<Buffer, Buffer>) => {
        installed.push(sendFramesAsIs(call));
        call.on('data', () => {
          for (const message of messages) call.write(message);
        });
        call.on('end', () => call.end());
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  cleanup.push(() => server.forceShutdown());
  return { port, serialized, installed };
}

/** Opens a stream, sends one request and collects `count` responses. */
async function receive(port: number, count: number): Promise<Buffer[]> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  cleanup.push(() => client.close());
  const identity = (b: Buffer) => b;
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(PATH, identity, identity);
  const received: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    call.on('data', (b: Buffer) => {
      received.push(b);
      if (received.length === count) resolve();
    });
    call.on('error', reject);
    call.write(Buffer.from('go'));
  });
  call.end();
  return received;
}

describe('sendFramesAsIs', () => {
  it('writes a pre-framed response as is and frames any other value as grpc-js does', async () => {
    const resources = [{ typeUrl: CLUSTER, value: new Uint8Array(100_000).fill(7) }];
    const framed = encodeDiscoveryResponse({ versionInfo: 'v1', typeUrl: CLUSTER, nonce: '1', resources });
    const plain = Buffer.from('an ordinary message');
    const server = await startServer([framed, plain]);
    // Two streams receive the very same frame.
    const [a, b] = await Promise.all([receive(server.port, 2), receive(server.port, 2)]);
    expect(server.installed).toEqual([true, true]);
    for (const received of [a, b]) {
      expect(Buffer.compare(received[0]!, framed)).toBe(0);
      expect(Buffer.compare(received[1]!, plain)).toBe(0);
    }
    // grpc-js serialized (and so copied into a frame) only the ordinary message, once per stream.
    expect(server.serialized).toEqual([plain, plain]);
  });
});
