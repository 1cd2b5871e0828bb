// The data path end to end: a real MCP SDK client with a token calls tools through the real Envoy
// 1.40, whose jwt_authn, MCP filter, ext_authz (to the control plane's Wasm policy) and routers
// decide and forward to real MCP SDK servers.
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../demo/src/backends/identity-provider.ts';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let supportToken: string;

beforeAll(async () => {
  stack = await startTestStack();
  supportToken = (await stack.tokenFor('support'))!;
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

describe('authorized calls', () => {
  it('an allowed tools/call succeeds and reaches the backend', async () => {
    const client = await stack.connect('helpdesk', supportToken);
    const result = await client.callTool({ name: 'tickets__get_ticket', arguments: { id: 'T-1001' } });
    expect(JSON.stringify(result.content)).toContain('Refund not received');
    await client.close();
  });

  it('a tool the team is not granted is denied with a readable JSON-RPC error', async () => {
    const client = await stack.connect('helpdesk', supportToken);
    const error = await client.callTool({ name: 'tickets__delete_ticket', arguments: { id: 'T-1001' } }).catch((e: unknown) => e);
    expect(readable(error)).toContain('team support has no grant for tickets/delete_ticket');
    expect(readable(error)).toContain('"code":-32003');
    await client.close();
    // The backend never saw the call.
    const deletes = stack.backends.servers.get('tickets')!.requests.filter((r) => JSON.stringify(r.body ?? '').includes('delete_ticket'));
    expect(deletes).toEqual([]);
  });

  it('a team with no access to a virtual server cannot even initialize', async () => {
    const engineering = (await stack.tokenFor('engineering'))!;
    const error = await stack.connect('payments-ops', engineering).catch((e: unknown) => e);
    expect(readable(error)).toContain('has no access to virtual server payments-ops');
  });
});

describe('aggregated virtual servers (mcp_router)', () => {
  it('tools/list shows <server>__<tool> from each member: exactly what the caller may call', async () => {
    const client = await stack.connect('helpdesk', supportToken);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    // Not docs__update_page (helpdesk does not select it) nor tickets__delete_ticket (support has no grant).
    expect(names).toEqual([
      'docs__get_page',
      'docs__search_docs',
      'tickets__add_comment',
      'tickets__close_ticket',
      'tickets__create_ticket',
      'tickets__get_ticket',
      'tickets__search_tickets',
    ]);
    await client.close();
  });

  it('each call reaches the right backend', async () => {
    const tickets = stack.backends.servers.get('tickets')!;
    const docs = stack.backends.servers.get('docs')!;
    const before = { tickets: tickets.requests.length, docs: docs.requests.length };
    const client = await stack.connect('helpdesk', supportToken);
    await client.callTool({ name: 'docs__search_docs', arguments: { query: 'refund' } });
    const docsCall = docs.requests.slice(before.docs).find((r) => (r.body as { method?: string } | undefined)?.method === 'tools/call');
    expect(docsCall?.body).toMatchObject({ params: { name: 'search_docs' } });
    expect(tickets.requests.slice(before.tickets).some((r) => (r.body as { method?: string } | undefined)?.method === 'tools/call')).toBe(false);
    await client.close();
  });
});

describe('per-caller tool lists', () => {
  it('a single-member virtual server lists only the tools the caller may call', async () => {
    const client = await stack.connect('knowledge', supportToken);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['get_page', 'search_docs']);
    await client.close();
    const engineering = await stack.connect('knowledge', (await stack.tokenFor('engineering'))!);
    expect((await engineering.listTools()).tools.map((t) => t.name).sort()).toEqual(['get_page', 'search_docs', 'update_page']);
    await engineering.close();
  });

  it('keeps the rest of each tool definition intact', async () => {
    const client = await stack.connect('knowledge', supportToken);
    const search = (await client.listTools()).tools.find((t) => t.name === 'search_docs');
    expect(search).toMatchObject({ description: 'Semantic search over the knowledge base.', inputSchema: { properties: { query: { type: 'string' } } } });
    await client.close();
  });
});

describe('credentials', () => {
  it('the backend never sees the client token, only the credential Envoy injects', async () => {
    const client = await stack.connect('helpdesk', supportToken);
    await client.callTool({ name: 'tickets__search_tickets', arguments: { query: 'login' } });
    await client.close();
    const seen = stack.backends.servers.get('tickets')!.requests.flatMap((r) => [r.headers.authorization, r.headers['x-api-key']]);
    expect(seen.some((v) => typeof v === 'string' && v.includes(supportToken))).toBe(false);
    expect(JSON.stringify(stack.backends.servers.get('tickets')!.requests.map((r) => r.headers))).not.toContain(supportToken.slice(-20));
    // docs has no credential configured: it sees no Authorization header at all.
    const docsAuth = stack.backends.servers.get('docs')!.requests.map((r) => r.headers.authorization);
    expect(docsAuth.every((v) => v === undefined)).toBe(true);
  });
});

describe('authentication (RFC 9728)', () => {
  const ping = '{"jsonrpc":"2.0","id":1,"method":"ping"}';

  it('no token: 401 with WWW-Authenticate resource_metadata, and that document is served', async () => {
    const res = await postMcp(stack.endpoint('helpdesk'), ping);
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate') ?? '';
    const url = /resource_metadata="([^"]+)"/.exec(header)?.[1];
    expect(url).toBe(`${stack.gatewayUrl}/.well-known/oauth-protected-resource/mcp/helpdesk`);
    expect(JSON.parse(res.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
    const metadata = await fetch(url!);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({
      resource: stack.endpoint('helpdesk'),
      authorization_servers: [stack.backends.idp.issuer],
      bearer_methods_supported: ['header'],
    });
  });

  const audience = () => stack.ir.virtualServers.map((vs) => stack.endpoint(vs.name));
  const badTokens: Record<string, () => Promise<string>> = {
    expired: () => stack.backends.idp.mint({ sub: 'a', groups: ['support-agents'], audience: audience(), expiresIn: -300 }),
    'wrong issuer': () => stack.backends.idp.mint({ sub: 'a', groups: ['support-agents'], audience: audience(), issuer: 'https://evil.example' }),
    'wrong audience': () => stack.backends.idp.mint({ sub: 'a', groups: ['support-agents'], audience: 'https://another-resource.example/mcp' }),
    'wrong key': async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return signToken(privateKey, stack.backends.idp.issuer, { sub: 'a', groups: ['support-agents'], audience: audience() });
    },
    'alg none': () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: stack.backends.idp.issuer, sub: 'a', aud: audience(), groups: ['support-agents'], exp: now + 600 };
      return Promise.resolve(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
    },
  };
  for (const [name, make] of Object.entries(badTokens)) {
    it(`${name} token: 401`, async () => {
      const res = await postMcp(stack.endpoint('helpdesk'), ping, { authorization: `Bearer ${await make()}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
    });
  }
});

describe('requests Envoy rejects before any policy', () => {
  const url = () => stack.endpoint('helpdesk');
  const auth = () => ({ authorization: `Bearer ${supportToken}` });

  it('a non-MCP body is rejected', async () => {
    const res = await postMcp(url(), '{"hello":"world"}', auth());
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: -32600 } });
  });

  it('a non-JSON content type is rejected', async () => {
    const res = await postMcp(url(), 'method=tools/call', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(400);
  });

  it('duplicate JSON keys (parameter pollution) are rejected', async () => {
    const body =
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"tickets__get_ticket","name":"tickets__delete_ticket","arguments":{"id":"T-1001"}}}';
    const res = await postMcp(url(), body, auth());
    expect(res.status).toBe(400);
    expect(stack.backends.servers.get('tickets')!.requests.some((r) => JSON.stringify(r.body ?? '').includes('delete_ticket'))).toBe(false);
  });

  it('an oversized body is rejected', async () => {
    const params = { name: 'tickets__add_comment', arguments: { id: 'T-1001', text: 'x'.repeat(200_000) } };
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
    const res = await postMcp(url(), big, auth());
    expect([400, 413]).toContain(res.status);
  });
});
