// Which request headers reach MCP servers, end to end through the real Envoy: a client sends
// cookies, forwarding headers and arbitrary `x-*` headers; the recording MCP servers behind the
// gateway must see none of them, an X-Forwarded-For that is exactly the peer Envoy saw, and still
// the MCP headers the call needs (issue 12). Checked on both data paths: a single-member virtual
// server (gateway router) and an aggregated one (internal listener, mcp_router).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORWARDED_REQUEST_HEADERS } from '../../compiler/src/emit/xds/header-allow-list.ts';
import type { RecordedRequest } from '../../demo/src/backends/mcp-http-server.ts';
import { startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let supportToken: string;

beforeAll(async () => {
  stack = await startTestStack();
  supportToken = (await stack.tokenFor('support'))!;
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

/** What a client (or a proxy it controls) might send to steer or fool an MCP server. */
const SPOOFED = {
  Cookie: 'session=stolen',
  'X-Forwarded-Host': 'evil.example',
  'X-Real-IP': '10.9.9.9',
  'X-Custom-Thing': 'anything',
  'X-Envoy-Original-Url': 'http://evil.example/',
  'X-Forwarded-For': '1.2.3.4',
  Forwarded: 'for=1.2.3.4;host=evil.example',
};

/** Headers a server may also see: the connection's own, and the credential Envoy injects per server. */
const TRANSPORT_AND_CREDENTIAL = ['host', 'connection', 'transfer-encoding', 'authorization'];
/**
 * Set by Envoy itself on the aggregated path's internal hop (the internal listener marks the request
 * internal; mcp_router states its timeout). A client's own `x-envoy-*` headers are removed before it.
 */
const SET_BY_ENVOY_ON_INTERNAL_HOP = ['x-envoy-internal', 'x-envoy-expected-rq-timeout-ms'];

async function callThrough(virtualServer: string, tool: string, args: Record<string, unknown>): Promise<void> {
  const client = new Client({ name: 'gatehouse-e2e-headers', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.endpoint(virtualServer)), {
      requestInit: { headers: { Authorization: `Bearer ${supportToken}`, ...SPOOFED } },
    }),
  );
  const result = await client.callTool({ name: tool, arguments: args });
  expect(result.isError).not.toBe(true);
  await client.close();
}

function toolCalls(server: string, since: number): RecordedRequest[] {
  return stack.backends.servers
    .get(server)!
    .requests.slice(since)
    .filter((r) => (r.body as { method?: string } | undefined)?.method === 'tools/call');
}

function expectOnlyAllowedHeaders(request: RecordedRequest, alsoSetByEnvoy: readonly string[] = []): RecordedRequest['headers'] {
  const allowed = new Set([...FORWARDED_REQUEST_HEADERS, ...TRANSPORT_AND_CREDENTIAL, ...alsoSetByEnvoy]);
  expect(Object.keys(request.headers).filter((name) => !allowed.has(name))).toEqual([]);
  for (const name of Object.keys(SPOOFED).map((n) => n.toLowerCase()).filter((n) => n !== 'x-forwarded-for')) {
    expect(request.headers[name], name).toBeUndefined();
  }
  expect(String(request.headers['x-forwarded-for'])).not.toContain(SPOOFED['X-Forwarded-For']);
  // The session still works through the gateway.
  expect(request.headers['mcp-session-id']).toEqual(expect.any(String));
  return request.headers;
}

describe('request headers reaching MCP servers', () => {
  it('single-member virtual server: only allow-listed headers, X-Forwarded-For set by the gateway', async () => {
    const since = stack.backends.servers.get('docs')!.requests.length;
    await callThrough('knowledge', 'search_docs', { query: 'refund' });
    const calls = toolCalls('docs', since);
    expect(calls).toHaveLength(1);
    const headers = expectOnlyAllowedHeaders(calls[0]!);
    // Exactly the peer Envoy saw (no trusted proxy hops in the example), not the client's claim.
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['mcp-protocol-version']).toEqual(expect.any(String));
  });

  // mcp_router sends each member a request of its own, with a fixed set of headers; its
  // X-Forwarded-For is Envoy's own internal address, never the client's claim.
  it('aggregated virtual server (mcp_router): nothing beyond the allow-list reaches a member', async () => {
    const since = stack.backends.servers.get('tickets')!.requests.length;
    await callThrough('helpdesk', 'tickets__get_ticket', { id: 'T-1001' });
    const calls = toolCalls('tickets', since);
    expect(calls).toHaveLength(1);
    expectOnlyAllowedHeaders(calls[0]!, SET_BY_ENVOY_ON_INTERNAL_HOP);
  });
});
