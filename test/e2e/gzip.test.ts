// A server that compresses its answers (Content-Encoding), end to end through the real Envoy
// (issue 12): the tools/list filter used to read a gzip body as text and send the client garbage.
// Now gzip is decoded, filtered and sent uncompressed; an encoding the gateway cannot read is
// refused with a JSON-RPC error (502), never passed on half-rewritten.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../testkit/ports.ts';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let server: Server;
let token = '';
/** How the recording server encodes its tools/list answer; the tests switch it. */
let encoding: 'gzip' | 'zstd' = 'gzip';
/** tools/list requests that reached the server (the answer came from it, not from the gateway). */
let listed = 0;

const TOOLS = [
  { name: 'lookup', description: 'Looks a thing up.', inputSchema: { type: 'object' } },
  { name: 'purge', description: 'Deletes everything.', inputSchema: { type: 'object' } },
];

/** A minimal streamable-HTTP MCP server that answers tools/list compressed. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { id?: number | string; method?: string; params?: { protocolVersion?: string } };
  const json = (result: unknown) => JSON.stringify({ jsonrpc: '2.0', id: body.id, result });
  if (body.method === 'initialize') {
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'zipped-session-1' });
    res.end(json({ protocolVersion: body.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'zipped', version: '1.0.0' } }));
  } else if (body.method === 'tools/list') {
    listed += 1;
    // zstd is not really applied: the gateway must refuse on the header alone.
    const payload = encoding === 'gzip' ? gzipSync(json({ tools: TOOLS })) : Buffer.from(json({ tools: TOOLS }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
    res.end(payload);
  } else if (body.id === undefined) {
    res.writeHead(202).end();
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end(json({ content: [{ type: 'text', text: 'ok' }] }));
  }
}

beforeAll(async () => {
  const [port] = await freePorts(1);
  server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  stack = await startTestStack({
    files: {
      'registry/mcp-servers/zipped.yaml': [
        'apiVersion: gatehouse.dev/v1alpha1', 'kind: McpServer', 'metadata:', '  name: zipped', 'spec:',
        '  description: Answers tools/list gzip-compressed.', '  owner: engineering', '  upstream:', `    url: http://127.0.0.1:${String(port)}/mcp`,
        '  dataClassification: internal', '  region: eu-west-1', '  tools:',
        '    - { name: lookup, description: Looks a thing up., risk: low }', '    - { name: purge, description: Deletes everything., risk: high }', '',
      ].join('\n'),
      'registry/virtual-servers/zipped.yaml': [
        'apiVersion: gatehouse.dev/v1alpha1', 'kind: VirtualServer', 'metadata:', '  name: zipped', 'spec:',
        '  description: The compressing server.', '  members:', '    - server: zipped', '      tools: ["*"]', '',
      ].join('\n'),
      'registry/grants/zipped.yaml': [
        'apiVersion: gatehouse.dev/v1alpha1', 'kind: Grant', 'metadata:', '  name: support-zipped', 'spec:',
        '  description: Support may look things up.', '  subjects: [team:support]', '  access:', '    - server: zipped', '      tools: [lookup]',
        '  capabilities: [call-tools]', '',
      ].join('\n'),
    },
  });
  token = (await stack.tokenFor('support'))!;
}, 120_000);
// `stack` is unset when beforeAll failed.
afterAll(async () => {
  await (stack as TestStack | undefined)?.dispose();
  server.closeAllConnections();
  server.close();
});

async function listTools(): Promise<{ status: number; headers: Headers; text: string }> {
  const url = stack.endpoint('zipped');
  const auth = { authorization: `Bearer ${token}` };
  const init = await postMcp(url, JSON.stringify({
    jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gzip-e2e', version: '1' } },
  }), auth);
  expect(init.status).toBe(200);
  const session = { ...auth, 'mcp-session-id': init.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-06-18' };
  return postMcp(url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), session);
}

describe('compressed responses through the tools/list filter', () => {
  it('a gzip tools/list is decoded, filtered to the caller\'s tools and sent uncompressed', async () => {
    encoding = 'gzip';
    const res = await listTools();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    const list = JSON.parse(res.text) as { result: { tools: { name: string }[] } };
    expect(list.result.tools.map((t) => t.name)).toEqual(['lookup']);
    expect(listed).toBeGreaterThan(0);
  });

  it('an encoding the gateway cannot read is refused with a JSON-RPC error, not passed on', async () => {
    encoding = 'zstd';
    const res = await listTools();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(res.text)).toMatchObject({ jsonrpc: '2.0', id: 2, error: { code: -32000, message: expect.stringContaining('zstd') as unknown } });
  });
});
