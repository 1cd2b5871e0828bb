// Faults: bad artifacts, an Envoy NACK, a control-plane restart and an unreachable ext_authz.
// In every case the fleet keeps its last good configuration and requests fail closed, never open.
//
// Isolation: the stack (Envoy, MCP servers, identity provider) is shared, because starting it is
// the slow part; everything a test may break is not. Before each test the good artifacts are put
// back and a fresh control plane starts on the stack's ports, and the test does not begin until
// Envoy is back in sync with it (ADS stream up, an allowed call succeeds). A test that fails half
// way (tampered artifacts, NACKed listeners, a stopped control plane) leaves nothing to the next.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest, jsonBytes, type ArtifactFile, type Manifest } from '../../artifacts/src/manifest.ts';
import { writeArtifacts } from '../../compiler/src/artifacts/write.ts';
import type { FleetResources } from '../../artifacts/src/fleet-resources.ts';
import type { ControlPlane, ListeningPorts } from '../../xds-server/src/control-plane.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { MANIFEST_FILE } from '../../artifacts/src/layout.ts';

const NODE_ID = 'gatehouse-demo-default';

let stack: TestStack | undefined;
let token: string;
/** The artifacts the stack compiled at start: every test begins with them in place. */
let good: ArtifactFile[];
/** This test's control plane and its ports. */
let cp: ControlPlane | undefined;
let ports: ListeningPorts;

const theStack = (): TestStack => {
  if (!stack) throw new Error('the stack did not start');
  return stack;
};
const theControlPlane = (): ControlPlane => {
  if (!cp) throw new Error('the control plane did not start');
  return cp;
};

/** The served artifact files, manifest last, as written. */
function readArtifacts(dir: string): ArtifactFile[] {
  const manifest = readFileSync(join(dir, MANIFEST_FILE));
  const paths = Object.keys((JSON.parse(manifest.toString('utf8')) as Manifest).files);
  return [...paths.map((path) => ({ path, bytes: readFileSync(join(dir, path)) })), { path: MANIFEST_FILE, bytes: manifest }];
}

beforeAll(async () => {
  stack = await startTestStack();
  const minted = await stack.tokenFor('support');
  if (!minted) throw new Error('the example has no "support" team');
  token = minted;
  good = readArtifacts(stack.artifactsDir);
  // Each test brings its own control plane on these ports.
  await stack.controlPlane.stop();
});
afterAll(async () => stack?.dispose());

beforeEach(async () => {
  const s = theStack();
  writeArtifacts(s.artifactsDir, good);
  cp = s.replacementControlPlane();
  ports = await cp.start();
  const fresh = cp;
  await eventually(() => Promise.resolve((fresh.nodes.get(NODE_ID)?.streams ?? 0) > 0), 15_000, 'Envoy connects to the fresh control plane');
  await eventually(allowedCallWorks, 15_000, 'an allowed call succeeds through the fresh control plane');
});
afterEach(async () => {
  await cp?.stop();
  cp = undefined;
});

const listTools = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';
const callTool = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"tickets__get_ticket","arguments":{"id":"T-1001"}}}';

/** An allowed call on a fresh session: true when it succeeds. */
async function allowedCallWorks(): Promise<boolean> {
  try {
    const client = await theStack().connect('helpdesk', token);
    await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

/** Rewrites the served artifacts with one fleet file edited, keeping the manifest's hashes right. */
function rewriteFleet(edit: (fleet: FleetResources) => FleetResources): Manifest {
  const dir = theStack().artifactsDir;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const files: ArtifactFile[] = Object.keys(manifest.files).map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, bytes: path.startsWith('xds/') ? jsonBytes(edit(JSON.parse(bytes.toString('utf8')) as FleetResources)) : bytes };
  });
  const next = buildManifest(files, manifest.fleets, `${manifest.sourceRevision}+edited`, manifest.compiler.version);
  writeArtifacts(dir, [...files, { path: MANIFEST_FILE, bytes: jsonBytes(next) }]);
  return next;
}

interface ArtifactsStatus {
  readonly loaded: { readonly version: string };
  readonly lastError?: { readonly message: string };
}

describe('faults keep the last good configuration', () => {
  it('artifacts that fail their hash check are rejected, and the previous ones stay in force', async () => {
    const s = theStack();
    const control = theControlPlane();
    const before = control.status().artifacts as ArtifactsStatus;
    const manifest = JSON.parse(readFileSync(join(s.artifactsDir, MANIFEST_FILE), 'utf8')) as Manifest;
    // A manifest that claims different content: as if a copy was partly written.
    const tampered = { ...manifest, version: 'tampered', files: { ...manifest.files, 'policy/bundle.tar.gz': { sha256: '0'.repeat(64), bytes: 1 } } };
    writeArtifacts(s.artifactsDir, [
      ...Object.keys(manifest.files).map((path) => ({ path, bytes: readFileSync(join(s.artifactsDir, path)) })),
      { path: MANIFEST_FILE, bytes: jsonBytes(tampered) },
    ]);
    await eventually(() => Promise.resolve((control.status().artifacts as ArtifactsStatus).lastError !== undefined), 5000, 'the rejection is reported');
    const status = control.status().artifacts as ArtifactsStatus;
    expect(status.loaded.version).toBe(before.loaded.version);
    expect(status.lastError?.message).toContain('does not match its hash');
    expect(await allowedCallWorks()).toBe(true);
  });

  it('an Envoy NACK keeps the previous listeners for that node, and /status shows the error', async () => {
    const s = theStack();
    const control = theControlPlane();
    // Valid for the Envoy API, refused by Envoy itself: an address that is not an IP.
    rewriteFleet((fleet) => ({
      ...fleet,
      listeners: fleet.listeners.map((l) =>
        l.address ? { ...l, address: { socket_address: { address: 'not-an-ip', port_value: 1 } } } : l,
      ),
    }));
    const nacked = () => control.nodes.get(NODE_ID)?.types.listeners?.nacked;
    await eventually(() => Promise.resolve(nacked() !== undefined), 10_000, 'Envoy NACKs the listeners');
    expect(nacked()?.message).toMatch(/not-an-ip|malformed/i);
    const status = await (await fetch(`http://127.0.0.1:${String(ports.admin)}/status`)).text();
    expect(status).toContain('not-an-ip');
    expect(await allowedCallWorks()).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${String(ports.admin)}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_xds_nacks_total\{type="listeners"\} [1-9]/);

    // Recompiling the good registry clears the error.
    const compiled = await s.recompile();
    expect(compiled.ok).toBe(true);
    await eventually(() => Promise.resolve(nacked() === undefined), 10_000, 'the good listeners are ACKed');
  });

  it('a control-plane restart leaves Envoy running on its config, calls fail closed meanwhile, then it resyncs', async () => {
    const s = theStack();
    const envoy = s.envoys.get('default');
    const tickets = s.backends.servers.get('tickets');
    if (!envoy || !tickets) throw new Error('the example has no "default" fleet or no "tickets" server');
    const pid = envoy.child.pid;
    await theControlPlane().stop();

    // ext_authz is unreachable: requests are denied with a JSON-RPC error, never let through.
    const ticketRequests = tickets.requests.length;
    const down = await postMcp(s.endpoint('helpdesk'), callTool, { authorization: `Bearer ${token}` });
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toMatchObject({ error: { code: -32000 } });
    expect((JSON.parse(down.text) as { error: { message: string } }).error.message).toMatch(/^authorization unavailable: .*fail closed.*\(ext_authz_error\)$/);
    // tools/list too: its per-caller filter cannot run, so the list is never shown unfiltered.
    const list = await postMcp(s.endpoint('helpdesk'), listTools, { authorization: `Bearer ${token}` });
    expect(list.status).toBeGreaterThanOrEqual(500);
    expect(list.text).not.toContain('tickets__');
    expect(tickets.requests.length).toBe(ticketRequests);
    // Envoy still serves what needs no control plane: its configuration stayed.
    const metadata = await fetch(`${s.gatewayUrl}/.well-known/oauth-protected-resource/mcp/helpdesk`);
    expect(metadata.status).toBe(200);

    const restarted = s.replacementControlPlane();
    await restarted.start();
    try {
      await eventually(allowedCallWorks, 15_000, 'calls succeed again after the restart');
      // Envoy retries its ADS stream with jittered exponential backoff capped at 30 s, and the outage
      // above lasted several retries: under load the next attempt can be well past 15 s away.
      await eventually(() => Promise.resolve((restarted.nodes.get(NODE_ID)?.streams ?? 0) > 0), 40_000, 'Envoy reconnects to ADS');
      expect(envoy.child.pid).toBe(pid);
      expect(envoy.child.exitCode).toBeNull();
    } finally {
      await restarted.stop();
    }
  }, 90_000);
});
