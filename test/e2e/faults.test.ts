// Faults: bad artifacts, an Envoy NACK, a control-plane restart and an unreachable ext_authz.
// In every case the fleet keeps its last good configuration and requests fail closed, never open.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, jsonBytes, type ArtifactFile, type Manifest } from '../../artifacts/src/manifest.ts';
import { writeArtifacts } from '../../compiler/src/artifacts/write.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { MANIFEST_FILE } from '../../artifacts/src/layout.ts';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('support'))!;
});
afterAll(async () => stack?.dispose());

const listTools = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';
const callTool = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"tickets__get_ticket","arguments":{"id":"T-1001"}}}';

/** An allowed call on a fresh session: true when it succeeds. */
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

/** Rewrites the served artifacts with one fleet file edited, keeping the manifest's hashes right. */
function rewriteFleet(edit: (fleet: FleetResources) => FleetResources): Manifest {
  const dir = stack.artifactsDir;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const files: ArtifactFile[] = Object.keys(manifest.files).map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, bytes: path.startsWith('xds/') ? jsonBytes(edit(JSON.parse(bytes.toString('utf8')) as FleetResources)) : bytes };
  });
  const next = buildManifest(files, manifest.fleets, `${manifest.sourceRevision}+edited`, manifest.compiler.version);
  writeArtifacts(dir, [...files, { path: MANIFEST_FILE, bytes: jsonBytes(next) }]);
  return next;
}

describe('faults keep the last good configuration', () => {
  it('artifacts that fail their hash check are rejected, and the previous ones stay in force', async () => {
    const before = stack.controlPlane.status().artifacts as { loaded: { version: string } };
    const manifestPath = join(stack.artifactsDir, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    // A manifest that claims different content: as if a copy was partly written.
    const tampered = { ...manifest, version: 'tampered', files: { ...manifest.files, 'policy/bundle.tar.gz': { sha256: '0'.repeat(64), bytes: 1 } } };
    writeArtifacts(stack.artifactsDir, [
      ...Object.keys(manifest.files).map((path) => ({ path, bytes: readFileSync(join(stack.artifactsDir, path)) })),
      { path: MANIFEST_FILE, bytes: jsonBytes(tampered) },
    ]);
    await eventually(async () => (stack.controlPlane.status().artifacts as { lastError?: unknown }).lastError !== undefined, 5000, 'the rejection is reported');
    const status = stack.controlPlane.status().artifacts as { loaded: { version: string }; lastError: { message: string } };
    expect(status.loaded.version).toBe(before.loaded.version);
    expect(status.lastError.message).toContain('does not match its hash');
    expect(await allowedCallWorks()).toBe(true);
    // Put the good set back.
    writeArtifacts(stack.artifactsDir, [
      ...Object.keys(manifest.files).map((path) => ({ path, bytes: readFileSync(join(stack.artifactsDir, path)) })),
      { path: MANIFEST_FILE, bytes: jsonBytes(manifest) },
    ]);
  });

  it('an Envoy NACK keeps the previous listeners for that node, and /status shows the error', async () => {
    const nodeId = 'gatehouse-demo-default';
    // Valid for the Envoy API, refused by Envoy itself: an address that is not an IP.
    rewriteFleet((fleet) => ({
      ...fleet,
      listeners: fleet.listeners.map((l) =>
        l.address ? { ...l, address: { socket_address: { address: 'not-an-ip', port_value: 1 } } } : l,
      ),
    }));
    await eventually(async () => stack.controlPlane.nodes.get(nodeId)?.types.listeners?.nacked !== undefined, 10_000, 'Envoy NACKs the listeners');
    const nacked = stack.controlPlane.nodes.get(nodeId)!.types.listeners!.nacked!;
    expect(nacked.message).toMatch(/not-an-ip|malformed/i);
    const status = await (await fetch(`http://127.0.0.1:${stack.ports.admin}/status`)).json();
    expect(JSON.stringify(status)).toContain('not-an-ip');
    expect(await allowedCallWorks()).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${stack.ports.admin}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_xds_nacks_total\{type="listeners"\} [1-9]/);

    // Recompiling the good registry clears the error.
    const compiled = await stack.recompile();
    expect(compiled.ok).toBe(true);
    await eventually(async () => stack.controlPlane.nodes.get(nodeId)?.types.listeners?.nacked === undefined, 10_000, 'the good listeners are ACKed');
  });

  it('a control-plane restart leaves Envoy running on its config, calls fail closed meanwhile, then it resyncs', async () => {
    const envoy = [...stack.envoys.values()][0]!;
    const pid = envoy.child.pid;
    await stack.controlPlane.stop();

    // ext_authz is unreachable: requests are denied with a JSON-RPC error, never let through.
    const ticketRequests = stack.backends.servers.get('tickets')!.requests.length;
    const down = await postMcp(stack.endpoint('helpdesk'), callTool, { authorization: `Bearer ${token}` });
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toMatchObject({ error: { code: -32000 } });
    // tools/list too: its per-caller filter cannot run, so the list is never shown unfiltered.
    const list = await postMcp(stack.endpoint('helpdesk'), listTools, { authorization: `Bearer ${token}` });
    expect(list.status).toBeGreaterThanOrEqual(500);
    expect(list.text).not.toContain('tickets__');
    expect(stack.backends.servers.get('tickets')!.requests.length).toBe(ticketRequests);
    // Envoy still serves what needs no control plane: its configuration stayed.
    const metadata = await fetch(`${stack.gatewayUrl}/.well-known/oauth-protected-resource/mcp/helpdesk`);
    expect(metadata.status).toBe(200);

    const restarted = stack.replacementControlPlane();
    await restarted.start();
    try {
      await eventually(allowedCallWorks, 15_000, 'calls succeed again after the restart');
      await eventually(async () => (restarted.nodes.get('gatehouse-demo-default')?.streams ?? 0) > 0, 15_000, 'Envoy reconnects to ADS');
      expect(envoy.child.pid).toBe(pid);
      expect(envoy.child.exitCode).toBeNull();
    } finally {
      await restarted.stop();
    }
  });
});
