import { fromJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { wholeEnvoyRegistry } from '../../artifacts/src/envoy-registry.ts';
import { envoyBootstrap, XDS_CLUSTER } from './bootstrap.ts';

type Cluster = { name: string; health_checks?: unknown[]; load_assignment: { endpoints: { lb_endpoints: unknown[] }[] } };
const clusters = (bootstrap: Record<string, unknown>) => (bootstrap.static_resources as { clusters: Cluster[] }).clusters;

describe('the bootstrap of an Envoy with several control-plane replicas', () => {
  const base = { nodeId: 'n1', fleet: 'edge', xdsHost: '10.0.0.1', xdsPort: 18000, admin: { port: 9901 } } as const;

  it('lists every replica in the ADS cluster and health-checks them; one replica alone is not health-checked', () => {
    const ha = clusters(envoyBootstrap({ ...base, moreXds: [{ host: '10.0.0.2', port: 18000 }] })).find((c) => c.name === XDS_CLUSTER);
    expect(ha?.load_assignment.endpoints[0]?.lb_endpoints).toHaveLength(2);
    expect(ha?.health_checks).toHaveLength(1);
    const single = clusters(envoyBootstrap(base)).find((c) => c.name === XDS_CLUSTER);
    expect(single?.load_assignment.endpoints[0]?.lb_endpoints).toHaveLength(1);
    expect(single?.health_checks).toBeUndefined();
  });

  it('is a valid Envoy 1.40 Bootstrap (the pinned API descriptors)', () => {
    const bootstrap = envoyBootstrap({ ...base, moreXds: [{ host: 'cp-2.gatehouse', port: 18000 }] });
    // The whole pinned API: the control plane's own registry holds only what it serves and reads, not Bootstrap.
    const registry = wholeEnvoyRegistry();
    const message = registry.getMessage('envoy.config.bootstrap.v3.Bootstrap');
    if (!message) throw new Error('the pinned Envoy API has no Bootstrap');
    expect(() => fromJson(message, bootstrap as never, { registry })).not.toThrow();
  });
});
