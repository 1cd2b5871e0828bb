// The hand encoder of DiscoveryResponse writes exactly the bytes protobuf-es writes.
import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { encodeDiscoveryResponse } from './discovery-response.ts';
import { schemas, type AnyMessage, type DiscoveryResponse } from './messages.ts';

function reference(response: DiscoveryResponse): Uint8Array {
  const any = schemas.any();
  return toBinary(
    schemas.discoveryResponse(),
    create(schemas.discoveryResponse(), {
      versionInfo: response.versionInfo,
      typeUrl: response.typeUrl,
      nonce: response.nonce,
      resources: response.resources.map((r) => create(any, { typeUrl: r.typeUrl, value: r.value })),
      ...(response.controlPlane ? { controlPlane: { identifier: response.controlPlane.identifier } } : {}),
    }),
  );
}

const resource = (typeUrl: string, size: number): AnyMessage => ({ typeUrl, value: Uint8Array.from({ length: size }, (_, i) => (i * 31) % 256) });

describe('encodeDiscoveryResponse', () => {
  it('matches protobuf-es byte for byte', () => {
    const cluster = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
    const cases: DiscoveryResponse[] = [
      {
        versionInfo: 'a1b2c3',
        typeUrl: cluster,
        nonce: '1',
        resources: [resource(cluster, 10), resource(cluster, 300), resource(cluster, 70_000)],
        controlPlane: { identifier: 'gatehouse' },
      },
      { versionInfo: '', typeUrl: cluster, nonce: '', resources: [] },
      { versionInfo: 'v', typeUrl: '', nonce: '12345678901234567890', resources: [resource('', 0), resource(cluster, 0)], controlPlane: { identifier: '' } },
      {
        versionInfo: 'ünïcødé',
        typeUrl: cluster,
        nonce: '9',
        resources: [resource(cluster, 127), resource(cluster, 128), resource(cluster, 16_383), resource(cluster, 16_384)],
      },
    ];
    for (const response of cases) expect(Buffer.compare(encodeDiscoveryResponse(response), Buffer.from(reference(response)))).toBe(0);
  });

  it('reuses the framing of a resource across responses', () => {
    const cluster = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
    const shared = resource(cluster, 1000);
    const a = encodeDiscoveryResponse({ versionInfo: 'v', typeUrl: cluster, nonce: '1', resources: [shared] });
    const b = encodeDiscoveryResponse({ versionInfo: 'v', typeUrl: cluster, nonce: '2', resources: [shared] });
    expect(a.subarray(0, a.length - 3)).toEqual(b.subarray(0, b.length - 3));
    expect(Buffer.compare(b, Buffer.from(reference({ versionInfo: 'v', typeUrl: cluster, nonce: '2', resources: [shared] })))).toBe(0);
  });
});
