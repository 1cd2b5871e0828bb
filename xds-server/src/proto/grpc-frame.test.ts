// Messages encoded inside their gRPC frame: the frame is prefix + message, and a response encoded
// that way decodes to the same DiscoveryResponse / DeltaDiscoveryResponse as protobuf-es's own encoding.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { encodeDeltaDiscoveryResponse } from './delta-discovery-response.ts';
import { encodeDiscoveryResponse } from './discovery-response.ts';
import { GRPC_PREFIX_BYTES, allocFramedMessage, frameOf } from './grpc-frame.ts';
import { schemas, type AnyMessage } from './messages.ts';

const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
const any = (size: number): AnyMessage => ({ typeUrl: CLUSTER, value: Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256) });

/** The frame of an encoded message: checked to be prefix (not compressed, length) + exactly the message. */
function checkedFrame(message: Buffer): Buffer {
  const frame = frameOf(message);
  expect(frame).toBeDefined();
  expect(frame!.length).toBe(GRPC_PREFIX_BYTES + message.length);
  expect(frame![0]).toBe(0);
  expect(frame!.readUInt32BE(1)).toBe(message.length);
  expect(Buffer.compare(frame!.subarray(GRPC_PREFIX_BYTES), message)).toBe(0);
  return frame!;
}

describe('allocFramedMessage', () => {
  it('gives the tail of a frame whose prefix holds the length', () => {
    for (const size of [0, 1, 300, 70_000]) {
      const message = allocFramedMessage(size);
      expect(message.length).toBe(size);
      message.fill(0xab);
      const frame = checkedFrame(message);
      // The message is the frame's memory, not a copy of it.
      if (size > 0) {
        message[size - 1] = 0x01;
        expect(frame[frame.length - 1]).toBe(0x01);
      }
    }
  });

  it('knows no frame for any other value', () => {
    const message = allocFramedMessage(10);
    expect(frameOf(Buffer.alloc(10))).toBeUndefined();
    expect(frameOf(message.subarray(1))).toBeUndefined();
    expect(frameOf(new Uint8Array(10))).toBeUndefined();
    expect(frameOf('a string')).toBeUndefined();
    expect(frameOf(undefined)).toBeUndefined();
  });
});

describe('responses encoded in their frame', () => {
  it('a DiscoveryResponse frame carries the message protobuf-es would write', () => {
    const response = { versionInfo: 'v1', typeUrl: CLUSTER, nonce: '7', resources: [any(10), any(20_000)], controlPlane: { identifier: 'gatehouse' } };
    const frame = checkedFrame(encodeDiscoveryResponse(response));
    const schema = schemas.discoveryResponse();
    const resources = response.resources.map((r) => create(schemas.any(), { typeUrl: r.typeUrl, value: r.value }));
    const ordinary = toBinary(schema, create(schema, { ...response, resources }));
    expect(fromBinary(schema, new Uint8Array(frame.subarray(GRPC_PREFIX_BYTES)))).toEqual(fromBinary(schema, ordinary));
    expect(Buffer.compare(frame.subarray(GRPC_PREFIX_BYTES), Buffer.from(ordinary))).toBe(0);
  });

  it('a DeltaDiscoveryResponse frame carries the message protobuf-es would write', () => {
    const response = {
      systemVersionInfo: 'v2',
      typeUrl: CLUSTER,
      nonce: '3',
      resources: [{ name: 'a', version: 'h1', resource: any(300) }],
      removedResources: ['gone'],
      controlPlane: { identifier: 'gatehouse' },
    };
    const frame = checkedFrame(encodeDeltaDiscoveryResponse(response));
    const schema = schemas.deltaDiscoveryResponse();
    const ordinary = toBinary(schema, create(schema, response));
    expect(fromBinary(schema, new Uint8Array(frame.subarray(GRPC_PREFIX_BYTES)))).toEqual(fromBinary(schema, ordinary));
    expect(Buffer.compare(frame.subarray(GRPC_PREFIX_BYTES), Buffer.from(ordinary))).toBe(0);
  });
});
