// Signed artifacts through the real Envoy: a control plane that trusts a key serves the set that key
// signed; an unsigned, wrongly signed or tampered set dropped into the served folder is refused and
// reported in /status and /metrics, while calls keep succeeding on the last good set. Every refused
// set points the MCP servers' endpoints at a closed port, so enforcing any of them would fail the calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../artifacts/src/layout.ts';
import { buildManifest, jsonBytes, type ArtifactFile, type Manifest } from '../../artifacts/src/manifest.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey, signatureFile } from '../../artifacts/src/signature.ts';
import { writeArtifacts } from '../../compiler/src/artifacts/write.ts';
import type { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let token: string;
let controlPlane: ControlPlane | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('support'))!;
});
afterAll(async () => {
  await controlPlane?.stop();
  await (stack as TestStack | undefined)?.dispose();
});

function keyPair() {
  const pair = generateSigningKeyPair();
  return { keyId: pair.keyId, privateKey: parsePrivateKey(pair.privatePem, 'key'), publicKey: parsePublicKey(pair.publicPem, 'key.pub') };
}

async function allowedCallWorks(): Promise<boolean> {
  try {
    const client = await stack.connect('helpdesk', token);
    await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

/** The served set's files (manifest.sig excluded), optionally with every upstream endpoint on a closed port. */
function servedFiles(breakEndpoints: boolean): { files: ArtifactFile[]; manifest: Manifest } {
  const dir = stack.artifactsDir;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const files = Object.keys(manifest.files).map((path) => {
    const bytes = readFileSync(join(dir, path));
    if (!breakEndpoints || !path.startsWith('xds/')) return { path, bytes };
    const fleet = JSON.parse(bytes.toString('utf8')) as FleetResources;
    const endpoints = JSON.parse(JSON.stringify(fleet.endpoints).replace(/"port_value":\d+/g, '"port_value":1')) as unknown;
    return { path, bytes: jsonBytes({ ...fleet, endpoints }) };
  });
  return { files, manifest };
}

/** Writes a set into the served folder as `compile` would (atomically); returns its version. */
function dropSet(revision: string, sign: (manifestBytes: Buffer) => ArtifactFile[], edit: (manifestBytes: Buffer) => Buffer = (b) => b): string {
  const { files, manifest } = servedFiles(true);
  const next = buildManifest(files, manifest.fleets, revision, manifest.compiler.version);
  const bytes = jsonBytes(next);
  writeArtifacts(stack.artifactsDir, [...files, { path: MANIFEST_FILE, bytes: edit(bytes) }, ...sign(bytes)]);
  return next.version;
}

interface ArtifactsStatus {
  loaded: { version: string; signedBy?: string };
  rejected?: { version?: string; reason: string; message: string };
  trustedKeys: string[];
}

describe('signed artifacts', () => {
  it('refuses unsigned, wrongly signed and tampered sets while calls keep flowing on the last good set', async () => {
    const trusted = keyPair();
    const other = keyPair();
    // Sign the set the stack compiled, then restart the control plane trusting that key only.
    const { files } = servedFiles(false);
    const manifestBytes = readFileSync(join(stack.artifactsDir, MANIFEST_FILE));
    writeArtifacts(stack.artifactsDir, [...files, { path: MANIFEST_FILE, bytes: manifestBytes }, signatureFile(manifestBytes, trusted.privateKey)]);
    await stack.controlPlane.stop();
    const adminToken = 'e2e-admin-token-0123456789abcdef';
    controlPlane = stack.replacementControlPlane({ trustedKeys: [trusted.publicKey], pollIntervalMs: 100, adminToken });
    const cp = controlPlane;
    const { admin } = await cp.start();
    const authorization = `Bearer ${adminToken}`;
    const adminGet = (path: string) => fetch(`http://127.0.0.1:${admin}${path}`, { headers: { authorization } });
    const status = async () => ((await (await adminGet('/status')).json()) as { artifacts: ArtifactsStatus }).artifacts;
    // With a token, /status needs it even on loopback; probes do not.
    expect((await fetch(`http://127.0.0.1:${admin}/status`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${admin}/readyz`)).status).toBe(200);
    const good = await status();
    expect(good.loaded.signedBy).toBe(trusted.keyId);
    expect(good.trustedKeys).toEqual([trusted.keyId]);
    await eventually(allowedCallWorks, 15_000, 'calls succeed on the signed set');

    const cases: [string, string, () => string][] = [
      ['unsigned', 'not signed', () => dropSet('unsigned', () => [])],
      ['untrusted-key', other.keyId, () => dropSet('other-key', (bytes) => [signatureFile(bytes, other.privateKey)])],
      [
        'bad-signature',
        'modified after signing',
        () => {
          const edit = (bytes: Buffer) => Buffer.from(bytes.toString().replace('"tampered"', '"tampered-later"'));
          return dropSet('tampered', (bytes) => [signatureFile(bytes, trusted.privateKey)], edit);
        },
      ],
    ];
    for (const [reason, message, drop] of cases) {
      const version = drop();
      await eventually(async () => (await status()).rejected?.reason === reason, 10_000, `the ${reason} set is refused`);
      const now = await status();
      expect(now.loaded.version).toBe(good.loaded.version);
      expect(now.rejected?.message).toContain(message);
      if (reason !== 'bad-signature') expect(now.rejected?.version).toBe(version);
      expect(await allowedCallWorks(), `a call after the ${reason} set`).toBe(true);
    }
    const metrics = await (await adminGet('/metrics')).text();
    for (const reason of ['unsigned', 'untrusted-key', 'bad-signature']) expect(metrics).toContain(`gatehouse_artifacts_rejected_total{reason="${reason}"} 1`);
    expect(cp.nodes.get('gatehouse-demo-default')?.types.listeners?.nacked).toBeUndefined();
  });
});
