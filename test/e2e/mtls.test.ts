// Mutual TLS between the real Envoy 1.40 and the control plane: Envoy is identified by its
// certificate, its access-log entries carry that identity, and both sides take rotated
// certificate files under traffic without a restart and without a failed request.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';
import { envoyAdminGet } from '../../demo/src/envoy-admin.ts';

let stack: TestStack;
let token: string;
const NODE = 'gatehouse-demo-default';

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('support'))!;
});
afterAll(async () => stack.dispose());

const envoy = () => stack.envoys.get('default')!;

async function envoyStat(name: string): Promise<number> {
  const text = (await envoyAdminGet(envoy().admin, `/stats?filter=${encodeURIComponent(`^${name}$`)}`)).body;
  return Number(/: (\d+)/.exec(text)?.[1] ?? 0);
}

/** The serial numbers of the certificates Envoy's TLS contexts hold (admin /certs), lowercase hex. */
async function envoyCertSerials(): Promise<string[]> {
  const body = JSON.parse((await envoyAdminGet(envoy().admin, '/certs')).body) as { certificates?: { cert_chain?: { serial_number?: string }[] }[] };
  return (body.certificates ?? []).flatMap((c) => (c.cert_chain ?? []).map((cert) => (cert.serial_number ?? '').toLowerCase()));
}

/** The serial number of the certificate the control plane presents now (a fresh handshake). */
function controlPlaneSerial(node: { certFile: string; keyFile: string }): Promise<string> {
  const tls = stack.tls!;
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port: stack.ports.authz,
      ca: readFileSync(tls.caFile),
      cert: readFileSync(node.certFile),
      key: readFileSync(node.keyFile),
      ALPNProtocols: ['h2'],
      servername: 'localhost',
    };
    const socket = connect(options, () => {
      resolve(socket.getPeerCertificate().serialNumber.toLowerCase());
      socket.end();
    });
    socket.on('error', reject);
  });
}

const serialOf = (file: string) => new X509Certificate(readFileSync(file)).serialNumber.toLowerCase();

describe('Envoy and the control plane over mutual TLS', () => {
  it('connects with its certificate: TLS handshakes on both control-plane clusters, identity from the certificate', async () => {
    expect(stack.tls).toBeDefined();
    const client = await stack.connect('helpdesk', token);
    await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
    await client.close();
    expect(await envoyStat('cluster.gatehouse-xds.ssl.handshake')).toBeGreaterThan(0);
    expect(await envoyStat('cluster.gatehouse-control-plane.ssl.handshake')).toBeGreaterThan(0);
    expect(stack.logs.some((l) => l.includes('envoy connected') && l.includes(`spiffe://gatehouse.local/gatehouse/fleet/default/node/${NODE}`))).toBe(true);
    await eventually(async () => Promise.resolve(stack.accessLogs.length > 0), 10_000, 'an access-log entry');
    expect(new Set(stack.accessLogs.map((e) => e.node))).toEqual(new Set([NODE]));
  });

  it('takes rotated certificates on both sides under traffic, losing no request', async () => {
    const pki = stack.pki!;
    const client = await stack.connect('helpdesk', token);
    let calls = 0;
    const failures: string[] = [];
    const traffic = { on: true };
    const load = (async () => {
      for (let i = 0; traffic.on && i < 5_000; i++) {
        try {
          const result = await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
          if (result.isError === true) failures.push(JSON.stringify(result.content));
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
        calls++;
        // Paced under the per-caller limit (20 calls/s): a faster loop measures 429s, not the rotation.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await eventually(async () => Promise.resolve(calls >= 5), 10_000, 'traffic before the rotation');
      const node = await pki.issueNode('default', NODE);
      const tls = await pki.issueControlPlane();
      const nodeSerial = serialOf(node.certFile);
      const controlPlaneSerialNow = serialOf(tls.certFile);
      await eventually(async () => (await envoyCertSerials()).includes(nodeSerial), 15_000, 'Envoy holds the rotated node certificate');
      await eventually(async () => (await controlPlaneSerial(node)) === controlPlaneSerialNow, 15_000, 'the control plane presents its rotated certificate');
      const after = calls;
      await eventually(async () => Promise.resolve(calls >= after + 5), 10_000, 'traffic after the rotation');
    } finally {
      traffic.on = false;
      await load;
      await client.close();
    }
    expect(failures).toEqual([]);
    // Five calls before the rotation and five after it, at least (a rotation taken within one call's time leaves exactly ten).
    expect(calls).toBeGreaterThanOrEqual(10);
    expect(stack.logs.some((l) => l.includes('TLS files reloaded'))).toBe(true);
  });
});
