// Real MCP clients against the demo through the real Envoy: the MCP Inspector CLI with a token from
// `gatehouse token` (the command `npm start` prints), and an OAuth-discovering client (the MCP SDK's,
// which mcp-remote and the Inspector build on) that follows the gateway's 401 to the RFC 9728
// metadata, the development identity provider's RFC 8414 metadata, registers itself, signs in on the
// login page as a browser would (PKCE), and calls a tool with the token it got; and mcp-remote
// (what Claude Desktop runs) through the same sign-in, with the test opening the URL it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEndpoints, listToolsCommand } from '../../demo/src/client-instructions.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { browse } from '../../testkit/browser.ts';
import { startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  // A policy repository has a package.json at its root (pinning Gatehouse); the copy gets one too.
  stack = await startTestStack({ files: { 'package.json': '{ "name": "policy-repo", "private": true }\n' } });
}, 120_000);
afterAll(async () => {
  await stack.dispose();
});

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const INSPECTOR = join(PROJECT_ROOT, 'node_modules', '.bin', 'mcp-inspector-cli');

/**
 * The generated command, run in the test stack's repository as a user runs it in theirs, with `npx`
 * pointed at this checkout (the test repository has no node_modules) and the stack's state folder.
 */
function localCommand(command: string): string {
  return command
    .replace(/npx @modelcontextprotocol\/inspector-cli@[\d.]+/, INSPECTOR)
    .replace('npx gatehouse token', `node ${BIN} token --root ${stack.root} --state-dir ${dirname(stack.artifactsDir)}`);
}

describe('MCP Inspector CLI with a gatehouse token', () => {
  const helpdesk = () => clientEndpoints(stack.ir, (vs) => stack.endpoint(vs)).find((e) => e.name === 'helpdesk')!;

  it('lists the tools of a virtual server with the command npm start prints', async () => {
    const command = localCommand(listToolsCommand(helpdesk()));
    const result = await run('sh', ['-c', command], { cwd: stack.root, timeoutMs: 60_000 });
    expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
    const names = (JSON.parse(result.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('tickets__search_tickets');
    expect(names).not.toContain('tickets__delete_ticket'); // support's view: the policy filters the list
  });

  it('calls a tool', async () => {
    const command = localCommand(listToolsCommand(helpdesk()))
      .replace('--method tools/list', '--method tools/call --tool-name tickets__search_tickets --tool-arg query=refund');
    const result = await run('sh', ['-c', command], { cwd: stack.root, timeoutMs: 60_000 });
    expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
    const reply = JSON.parse(result.stdout) as { isError?: boolean; content: { type: string; text: string }[] };
    expect(reply.isError ?? false).toBe(false);
    expect(reply.content[0]?.text).toMatch(/refund/i);
  });
});

/** The state an MCP client keeps between the redirect to the browser and the callback. */
class TestOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:9/oauth/callback';
  authorizationUrl?: URL;
  private client?: OAuthClientInformationMixed;
  private stored?: OAuthTokens;
  private verifier = '';
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Gatehouse e2e OAuth client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this.client; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.client = info; }
  tokens() { return this.stored; }
  saveTokens(tokens: OAuthTokens) { this.stored = tokens; }
  redirectToAuthorization(url: URL) { this.authorizationUrl = url; }
  saveCodeVerifier(verifier: string) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }
}

describe('an OAuth-discovering MCP client', () => {
  it('discovers the identity provider from the gateway, registers, signs in with PKCE and calls a tool', async () => {
    const endpoint = new URL(stack.endpoint('helpdesk'));
    const auth = new TestOAuthProvider();
    const first = new StreamableHTTPClientTransport(endpoint, { authProvider: auth });
    await expect(new Client({ name: 'oauth-e2e', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    // The client found the provider through the gateway's metadata and registered itself.
    const authorizationUrl = auth.authorizationUrl!;
    expect(authorizationUrl.origin).toBe(stack.backends.idp.issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(endpoint.href);
    expect(auth.clientInformation()?.client_id).toEqual(expect.any(String));

    const { url } = await browse(authorizationUrl.href, (u) => u.href.startsWith(auth.redirectUrl), 'support-member');
    await first.finishAuth(url.searchParams.get('code') ?? '');
    const claims = decodeJwt(auth.tokens()?.access_token ?? '');
    expect(claims).toMatchObject({
      iss: stack.backends.idp.issuer, aud: endpoint.href, sub: 'support-member', email_verified: true, groups: ['support-agents'],
    });

    const client = new Client({ name: 'oauth-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: auth }));
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('tickets__search_tickets');
      const result = await client.callTool({ name: 'tickets__search_tickets', arguments: { query: 'refund' } });
      expect(result.isError ?? false).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('mcp-remote', () => {
  it('signs in through the development identity provider (the URL it prints, opened by a browser) and lists tools', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'gatehouse-mcp-remote-'));
    // BROWSER=true: the opener "succeeds" without a browser; the test is the browser.
    const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'mcp-remote-client'), [stack.endpoint('helpdesk')], {
      env: { ...process.env, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: 'true', DISPLAY: '' },
      stdio: ['pipe', 'pipe', 'pipe'], // an open stdin: it shuts down when stdin ends
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp) => {
      const started = Date.now();
      while (!pattern.test(output)) {
        if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`mcp-remote: no ${String(pattern)} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return pattern.exec(output)!;
    };
    try {
      const [, authorizationUrl = ''] = await waitFor(/Please authorize this client by visiting:\n(\S+)/);
      const { url } = await browse(authorizationUrl, (u) => u.pathname === '/oauth/callback', 'support-member');
      expect((await fetch(url)).status).toBe(200);
      await waitFor(/Exiting OK/);
      expect(await exited).toBe(0);
      expect(output).toContain('tickets__search_tickets');
    } finally {
      child.kill('SIGTERM');
      rmSync(configDir, { recursive: true, force: true });
    }
  });
});
