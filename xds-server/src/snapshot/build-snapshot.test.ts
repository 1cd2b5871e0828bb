import { describe, expect, it } from 'vitest';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { createDevCa } from '../tls/dev-ca.ts';
import { buildSnapshot, SnapshotError } from './build-snapshot.ts';

const fleet = (kind?: 'tls-certificate' | 'trusted-ca'): FleetResources => ({
  fleet: 'edge',
  clusters: [],
  endpoints: [],
  listeners: [],
  routes: [],
  secrets: [{ name: 'gatehouse-gateway-public-certificate', secretRef: 'public-tls', ...(kind ? { kind } : {}) }],
});
const build = (f: FleetResources, value: string) => buildSnapshot(f, 'v1', { host: '127.0.0.1', port: 18000 }, new Map([['public-tls', value]]));

describe('gateway TLS secrets in the snapshot', () => {
  it('a certificate secret is one PEM value split into chain and key; a CA secret becomes a validation context', async () => {
    const ca = await createDevCa('snapshot.test');
    const issued = await ca.issueControlPlane({ hosts: ['127.0.0.1'] });
    expect(build(fleet('tls-certificate'), `${issued.cert}\n${issued.key}`).types.secrets.resources.size).toBe(1);
    expect(build(fleet('trusted-ca'), ca.cert).types.secrets.resources.size).toBe(1);
  });

  it('a certificate secret without exactly one key, or without a certificate, is refused without quoting it', async () => {
    const ca = await createDevCa('snapshot.test');
    const issued = await ca.issueControlPlane({ hosts: ['127.0.0.1'] });
    for (const value of [issued.cert, issued.key, `${issued.cert}\n${issued.key}\n${issued.key}`, 'not pem']) {
      const attempt = () => build(fleet('tls-certificate'), value);
      expect(attempt).toThrow(SnapshotError);
      expect(attempt).toThrow('"public-tls" (for gatehouse-gateway-public-certificate) must hold a PEM certificate chain and one PEM private key');
    }
  });
});

describe('the control plane endpoints of a replicated control plane', () => {
  const noSecrets: FleetResources = { fleet: 'edge', clusters: [], endpoints: [], listeners: [], routes: [], secrets: [] };
  const replicas = [{ host: '10.0.0.2', port: 18001 }, { host: '10.0.0.1', port: 18001 }];

  it('every replica given the same list sends the same endpoints, so the same versions, whichever replica it is and however it was listed', () => {
    const fromA = buildSnapshot(noSecrets, 'v1', { host: '10.0.0.1', port: 18001, replicas }, new Map());
    const fromB = buildSnapshot(noSecrets, 'v1', { host: '10.0.0.2', port: 18001, replicas: [...replicas].reverse() }, new Map());
    expect(fromA.types.endpoints.version).toBe(fromB.types.endpoints.version);
    const alone = buildSnapshot(noSecrets, 'v1', { host: '10.0.0.1', port: 18001 }, new Map());
    expect(alone.types.endpoints.version).not.toBe(fromA.types.endpoints.version);
  });
});
