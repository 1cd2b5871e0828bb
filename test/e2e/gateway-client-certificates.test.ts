// Client certificates on a TLS gateway, end to end through the real Envoy (issue 12): with
// `tls.clientCertificates.required`, a client without a certificate signed by the configured CA
// gets no HTTP answer; one with such a certificate is served.
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevCa } from '../../xds-server/src/tls/dev-ca.ts';
import { startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let ca = '';
let client = { cert: '', key: '' };
let stranger = { cert: '', key: '' };
const agents: Agent[] = [];

beforeAll(async () => {
  const serverCa = await createDevCa('gateway-server.test');
  const clientCa = await createDevCa('gateway-clients.test');
  const otherCa = await createDevCa('someone-else.test');
  const server = await serverCa.issueControlPlane({ hosts: ['127.0.0.1', 'localhost'] });
  ca = serverCa.cert;
  client = await clientCa.issueNode('clients', 'agent-1');
  stranger = await otherCa.issueNode('clients', 'agent-2');
  stack = await startTestStack({
    secrets: { 'gateway-tls': `${server.cert}\n${server.key}\n`, 'gateway-client-ca': clientCa.cert },
    edit: (path, text) => {
      if (!path.endsWith('gateways/local.yaml')) return text;
      const tls = '\n  tls:\n    certificateSecretRef: gateway-tls\n    clientCertificates:\n      caSecretRef: gateway-client-ca\n      required: true';
      return text.replace('publicUrl: http://', 'publicUrl: https://').replace(/^( {2}publicUrl: .*)$/m, `$1${tls}`);
    },
  });
}, 120_000);
// `stack` is unset when beforeAll failed.
afterAll(async () => {
  for (const agent of agents) agent.destroy();
  await (stack as TestStack | undefined)?.dispose();
});

/** GET of the metadata route with the given client certificate: the status, or the error. */
function getMetadata(identity?: { cert: string; key: string }): Promise<string> {
  const agent = new Agent({ ca, keepAlive: false, ...(identity ?? {}) });
  agents.push(agent);
  const url = new URL(stack.endpoint('knowledge').replace('/mcp/', '/.well-known/oauth-protected-resource/mcp/'));
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      resolve(`status ${String(res.statusCode)}`);
      res.resume();
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
    req.end();
  });
}

describe('client certificates on the gateway listener', () => {
  it('a client with a certificate from the configured CA is served', async () => {
    expect(await getMetadata(client)).toBe('status 200');
  });

  it('no certificate, or one from another CA, gets no HTTP answer', async () => {
    expect(await getMetadata()).toMatch(/^error /);
    expect(await getMetadata(stranger)).toMatch(/^error /);
  });
});
