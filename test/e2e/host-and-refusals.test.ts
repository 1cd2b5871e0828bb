// What the gateway refuses, through the real Envoy 1.40, and what it tells the caller:
// - DNS rebinding: a request naming a Host the gateway does not serve is refused at the gateway
//   (403, JSON-RPC body), the gateway's own Host passes, and the server sees its own authority.
// - Refusal reasons: a refused call tells the client why, in the same words the audit records.
import { request } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type RunningDemoServer } from '../../demo/src/backends/mcp-http-server.ts';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

function registerDesk(server: McpServer): void {
  server.registerTool('lookup', { description: 'Looks a ticket up.' }, () => ({ content: [{ type: 'text', text: 'T-1: open' }] }));
  server.registerTool('purge', { description: 'Deletes every ticket.' }, () => ({ content: [{ type: 'text', text: 'purged' }] }));
  server.registerResource('ticket', 'ticket://T-1', { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, text: 'open' }] }));
}

const registry = (port: number) => ({
  'registry/mcp-servers/desk.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: desk
spec:
  description: Test ticket desk.
  owner: engineering
  upstream:
    url: http://127.0.0.1:${String(port)}/mcp
  dataClassification: internal
  region: eu-west-1
  tools:
    - name: lookup
      risk: low
    - name: purge
      risk: high
`,
  'registry/virtual-servers/desk.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: desk
spec:
  description: The desk alone.
  members:
    - server: desk
      tools: ["*"]
`,
  'registry/grants/desk.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-desk
spec:
  subjects: [team:support]
  access:
    - server: desk
      tools: [lookup]
  capabilities: [call-tools]
`,
});

let desk: RunningDemoServer;
let stack: TestStack;
let token: string;

beforeAll(async () => {
  desk = await startDemoServer({ name: 'desk', port: 0, register: registerDesk });
  stack = await startTestStack({ files: registry(Number(new URL(desk.url).port)) });
  token = (await stack.tokenFor('support', { sub: 'sam' }))!;
});
// Unset when beforeAll failed.
afterAll(async () => {
  await (stack as TestStack | undefined)?.dispose();
  await (desk as RunningDemoServer | undefined)?.close();
});

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'host-test', version: '1' } },
});

/** POSTs initialize to the gateway naming `host` (fetch cannot set Host; node:http can). */
function initializeWithHost(host: string): Promise<{ status: number; body: string }> {
  const url = new URL(stack.endpoint('desk'));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
        headers: {
          host, origin: `http://${host}`, authorization: `Bearer ${token}`,
          'content-type': 'application/json', accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
      },
    );
    req.on('error', reject);
    req.end(INITIALIZE);
  });
}

describe('Host checks (DNS-rebinding protection)', () => {
  it('refuses a Host the gateway does not serve, before any server sees it', async () => {
    const before = desk.requests.length;
    const refused = await initializeWithHost('evil.example.com');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      jsonrpc: '2.0', error: { code: -32600, message: expect.stringContaining('does not serve the Host') as unknown },
    });
    expect(desk.requests.length).toBe(before);
  });

  it('serves its public URL\'s Host, and the server sees its own authority', async () => {
    const gatewayHost = new URL(stack.gatewayUrl).host;
    const served = await initializeWithHost(gatewayHost);
    expect(served.status).toBe(200);
    const seen = desk.requests.filter((r) => (r.body as { method?: string } | undefined)?.method === 'initialize').at(-1);
    expect(seen?.headers.host).toBe(new URL(desk.url).host);
  });

  it('serves every loopback name of a loopback public URL', async () => {
    const port = new URL(stack.gatewayUrl).port;
    expect((await initializeWithHost(`localhost:${port}`)).status).toBe(200);
  });
});

describe('refusal reasons', () => {
  it('tells the client why a call is refused, in the words the audit records', async () => {
    const client = await stack.connect('desk', token);
    const refusals = [
      [() => client.callTool({ name: 'purge', arguments: {} }), 'tools/call', 'team support has no grant for desk/purge'],
      [() => client.readResource({ uri: 'ticket://T-1' }), 'resources/read', 'team support has no grant for resources/read on desk'],
    ] as const;
    for (const [call, method, reason] of refusals) {
      await expect(call()).rejects.toThrow(reason);
      await eventually(
        () => Promise.resolve(requestRecords(stack.auditDir).some((r) => r.virtual_server === 'desk' && r.method === method && r.decision === 'deny')),
        10_000, `the audited ${method} refusal`,
      );
      const audited = requestRecords(stack.auditDir).filter((r) => r.virtual_server === 'desk' && r.method === method && r.decision === 'deny');
      expect(audited.map((r) => r.reasons)).toEqual([[reason]]);
    }
    // The granted tool still works on the same session.
    expect(await client.callTool({ name: 'lookup', arguments: {} })).toMatchObject({ content: [{ text: 'T-1: open' }] });
    await client.close();
  });
});
