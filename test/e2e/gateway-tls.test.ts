// Downstream TLS on the Gateway listener, end to end through the real Envoy (issue 12): the
// certificate and key are a secret reference the control plane resolves and serves over SDS; an
// MCP SDK client that trusts the CA lists tools over TLS; plain HTTP to the port and a TLS version
// under `minVersion` are refused by the handshake; the RFC 9728 metadata carries HSTS.
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevCa } from '../../xds-server/src/tls/dev-ca.ts';
import { startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
let ca = '';
let agent: Agent;
let port = 0;

beforeAll(async () => {
  const devCa = await createDevCa('gateway-tls.test');
  const server = await devCa.issueControlPlane({ hosts: ['127.0.0.1', 'localhost'] });
  ca = devCa.cert;
  agent = new Agent({ ca, keepAlive: false });
  stack = await startTestStack({
    secrets: { 'gateway-tls': `${server.cert}\n${server.key}\n` },
    edit: (path, text) => {
      if (!path.endsWith('gateways/local.yaml')) return text;
      port = Number(/port: ([0-9]+)/.exec(text)?.[1]);
      return text
        .replace('publicUrl: http://', 'publicUrl: https://')
        .replace(/^( {2}publicUrl: .*)$/m, '$1\n  tls:\n    certificateSecretRef: gateway-tls\n    minVersion: TLSv1_3');
    },
  });
}, 120_000);
// `stack` is unset when beforeAll failed.
afterAll(async () => {
  agent.destroy();
  await (stack as TestStack | undefined)?.dispose();
});

/** fetch over node:https with the test CA (Node 20's fetch cannot be given a CA). */
const tlsFetch: FetchLike = (url, init) =>
  new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const req = httpsRequest(new URL(url), { method: init?.method ?? 'GET', headers, agent }, (res) => {
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
      const status = res.statusCode ?? 500;
      const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, headers: responseHeaders }));
    });
    req.on('error', reject);
    init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')));
    if (typeof init?.body === 'string') req.write(init.body);
    req.end();
  });

/** What a TLS handshake with the gateway ends in: the protocol agreed, or the error. */
function handshake(options: { minVersion?: 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...options }, () => {
      resolve(socket.getProtocol() ?? 'none');
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
  });
}

describe('TLS on the gateway listener', () => {
  it('an MCP SDK client that trusts the CA lists tools over TLS', async () => {
    expect(stack.endpoint('knowledge')).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const token = (await stack.tokenFor('support'))!;
    const client = new Client({ name: 'gatehouse-e2e-tls', version: '1.0.0' });
    const requestInit = { headers: { Authorization: `Bearer ${token}` } };
    await client.connect(new StreamableHTTPClientTransport(new URL(stack.endpoint('knowledge')), { fetch: tlsFetch, requestInit }));
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('the metadata route answers over TLS with Strict-Transport-Security', async () => {
    const url = stack.endpoint('knowledge').replace('/mcp/', '/.well-known/oauth-protected-resource/mcp/');
    const res = await tlsFetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(((await res.json()) as { resource: string }).resource).toBe(stack.endpoint('knowledge'));
  });

  it('plain HTTP to the TLS port gets no HTTP answer', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp/knowledge', method: 'POST' }, (res) => {
        resolve(`status ${String(res.statusCode)}`);
        res.resume();
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
      req.end('{}');
    });
    expect(outcome).toMatch(/^error /);
  });

  it('a TLS version under minVersion is refused; the minimum itself is accepted', async () => {
    expect(await handshake({ maxVersion: 'TLSv1.2' })).toMatch(/^error /);
    expect(await handshake({ minVersion: 'TLSv1.3' })).toBe('TLSv1.3');
  });
});
