// The hand encoder of DeltaDiscoveryResponse writes exactly the bytes protobuf-es writes.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { encodeDeltaDiscoveryResponse } from './delta-discovery-response.ts';
import { schemas, type AnyMessage, type DeltaDiscoveryResponse } from './messages.ts';

function reference(response: DeltaDiscoveryResponse): Uint8Array {
  const schema = schemas.deltaDiscoveryResponse();
  return toBinary(
    schema,
    create(schema, {
      systemVersionInfo: response.systemVersionInfo,
      typeUrl: response.typeUrl,
      nonce: response.nonce,
      removedResources: [...response.removedResources],
      resources: response.resources.map((r) => ({ name: r.name, version: r.version, resource: { typeUrl: r.resource.typeUrl, value: r.resource.value } })),
      ...(response.controlPlane ? { controlPlane: { identifier: response.controlPlane.identifier } } : {}),
    }),
  );
}

const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
const any = (typeUrl: string, size: number): AnyMessage => ({ typeUrl, value: Uint8Array.from({ length: size }, (_, i) => (i * 31) % 256) });

describe('encodeDeltaDiscoveryResponse', () => {
  it('matches protobuf-es byte for byte', () => {
    const cases: DeltaDiscoveryResponse[] = [
      {
        systemVersionInfo: 'a1b2c3',
        typeUrl: CLUSTER,
        nonce: '1',
        resources: [
          { name: 'a', version: 'v1', resource: any(CLUSTER, 10) },
          { name: 'bé', version: 'v2', resource: any(CLUSTER, 300) },
          { name: 'c'.repeat(200), version: '', resource: any(CLUSTER, 70_000) },
        ],
        removedResources: ['gone', '', 'ünï'],
        controlPlane: { identifier: 'gatehouse' },
      },
      { systemVersionInfo: '', typeUrl: CLUSTER, nonce: '', resources: [], removedResources: [] },
      {
        systemVersionInfo: 'v',
        typeUrl: '',
        nonce: '9',
        resources: [{ name: '', version: 'x', resource: any('', 0) }],
        removedResources: ['x'],
        controlPlane: { identifier: '' },
      },
    ];
    for (const response of cases) expect(Buffer.compare(encodeDeltaDiscoveryResponse(response), Buffer.from(reference(response)))).toBe(0);
  });

  it('decodes back to the resources, names and removals it was given', () => {
    const resource = any(CLUSTER, 50);
    const bytes = encodeDeltaDiscoveryResponse({
      systemVersionInfo: 's',
      typeUrl: CLUSTER,
      nonce: '3',
      resources: [{ name: 'one', version: 'h1', resource }],
      removedResources: ['two'],
    });
    const decoded = fromBinary(schemas.deltaDiscoveryResponse(), bytes) as unknown as {
      resources: { name: string; version: string; resource?: { value: Uint8Array } }[];
      removedResources: string[];
    };
    expect(decoded.removedResources).toEqual(['two']);
    expect(decoded.resources.map((r) => [r.name, r.version])).toEqual([['one', 'h1']]);
    expect(Buffer.from(decoded.resources[0]!.resource!.value)).toEqual(Buffer.from(resource.value));
  });
});

describe('encodeDeltaDiscoveryResponse for many streams', () => {
  const resource = any(CLUSTER, 500);
  const response = (over: Partial<DeltaDiscoveryResponse> = {}): DeltaDiscoveryResponse => ({
    systemVersionInfo: 's',
    typeUrl: CLUSTER,
    nonce: '1',
    resources: [{ name: 'one', version: 'h1', resource }],
    removedResources: ['two'],
    controlPlane: { identifier: 'gatehouse' },
    ...over,
  });

  it('gives streams that send the same response the same bytes, and a different response its own', () => {
    const first = encodeDeltaDiscoveryResponse(response());
    // Another stream's response: equal content in objects of its own.
    expect(encodeDeltaDiscoveryResponse(response({ resources: [{ name: 'one', version: 'h1', resource }] }))).toBe(first);
    const variants = [
      response({ nonce: '2' }),
      response({ resources: [{ name: 'one', version: 'h2', resource }] }),
      response({ resources: [{ name: 'one', version: 'h1', resource: any(CLUSTER, 500) }] }),
      response({ removedResources: ['three'] }),
    ];
    for (const variant of variants) {
      const bytes = encodeDeltaDiscoveryResponse(variant);
      expect(bytes).not.toBe(first);
      expect(Buffer.compare(bytes, Buffer.from(reference(variant)))).toBe(0);
    }
  });
});
