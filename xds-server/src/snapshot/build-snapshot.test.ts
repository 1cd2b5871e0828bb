import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';
import { createDevCa } from '../tls/dev-ca.ts';
import { placeholderSessionJwks } from '../../../artifacts/src/session-token.ts';
import { compileExample } from '../../../testkit/compiled-example.ts';
import { sessionSigner } from '../session-binding/session-signer.ts';
import { buildSnapshot, SnapshotError } from './build-snapshot.ts';
import { withSessionJwks } from './session-jwks.ts';

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

describe('the session key in the served listeners', () => {
  it("replaces the compiled placeholder with the control plane's public key in every jwt_authn filter, and changes nothing else", async () => {
    const compiled = await compileExample('snapshot-session-key');
    const file = compiled.files?.find((f) => f.path === 'xds/default.json');
    const fleetResources = JSON.parse(Buffer.from(file!.bytes).toString('utf8')) as FleetResources;
    const jwks = sessionSigner(randomBytes(32)).jwks;
    const served = withSessionJwks(fleetResources.listeners[0]!, jwks);
    const providersOf = (listener: unknown) =>
      JSON.stringify(listener).match(/"gatehouse_session":\{"issuer":"urn:gatehouse:session","local_jwks":\{"inline_string":"((?:[^"\\]|\\.)*)"/g) ?? [];
    expect(providersOf(fleetResources.listeners[0]).length).toBeGreaterThan(0);
    expect(providersOf(fleetResources.listeners[0]).every((p) => p.includes('placeholder'))).toBe(true);
    expect(providersOf(served).length).toBe(providersOf(fleetResources.listeners[0]).length);
    expect(providersOf(served).some((p) => p.includes('placeholder'))).toBe(false);
    expect(JSON.stringify(served).replaceAll(JSON.stringify(jwks).slice(1, -1), 'KEY')).toBe(
      JSON.stringify(fleetResources.listeners[0]).replaceAll(JSON.stringify(placeholderSessionJwks()).slice(1, -1), 'KEY'),
    );
    const snapshot = (key?: string) => buildSnapshot(fleetResources, 'v1', { host: '127.0.0.1', port: 18000 }, secretsOf(fleetResources), key);
    expect(snapshot(jwks).types.listeners.version).not.toBe(snapshot().types.listeners.version);
    expect(snapshot(jwks).types.clusters.version).toBe(snapshot().types.clusters.version);
  }, 60_000);
});

function secretsOf(resources: FleetResources): Map<string, string> {
  return new Map(resources.secrets.map((s) => [s.secretRef, 'value']));
}
