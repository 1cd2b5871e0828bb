import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { loadRegistry } from '../../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../../compiler/src/pipeline/progress.ts';
import { resourceUrl, type Ir } from '../../../compiler/src/ir/types.ts';
import { EXAMPLE_ROOT, tempDir } from '../../../testkit/repo.ts';
import { browse, pkcePair } from '../../../testkit/browser.ts';
import { devIdentityProvider } from '../identity/directory.ts';
import { clientsFile, signingKeyFile } from '../identity/signing-key.ts';
import { startDevIdentityProvider, type DevIdentityProvider } from './identity-provider.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';
const ir = loadRegistry(EXAMPLE_ROOT, SILENT).ir as Ir;
const provider = { ...devIdentityProvider(ir)!, issuer: 'http://127.0.0.1:0' };
const gateway = ir.gateways[0]!;
const helpdesk = resourceUrl(gateway, 'helpdesk');
const state = tempDir('gatehouse-idp-');
let idp: DevIdentityProvider;
let metadata: Record<string, unknown>;

beforeAll(async () => {
  idp = await startDevIdentityProvider({ ir, provider, stateDir: state.path });
  metadata = (await (await fetch(`${idp.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await idp.close();
  state.remove();
});

async function register(): Promise<string> {
  const res = await fetch(String(metadata.registration_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'unit test',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

function authorizeUrl(clientId: string, extra: Record<string, string>): string {
  const params = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'mcp', resource: helpdesk, state: 's1', ...extra,
  });
  return `${String(metadata.authorization_endpoint)}?${params}`;
}

async function token(body: Record<string, string>) {
  const res = await fetch(String(metadata.token_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('development identity provider', () => {
  it('publishes RFC 8414 and OpenID metadata with the endpoints an MCP client needs', async () => {
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      registration_endpoint: `${idp.issuer}/reg`,
      jwks_uri: idp.jwksUrl,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: expect.arrayContaining(['code']) as unknown,
    });
    const openid = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(openid.token_endpoint).toBe(metadata.token_endpoint);
  });

  it('refuses an authorization request without a PKCE challenge', async () => {
    const clientId = await register();
    const res = await fetch(authorizeUrl(clientId, { login_hint: 'support-member@example.com' }), { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('lists the demo users on its login page when the client gives no login_hint', async () => {
    const clientId = await register();
    const { challenge } = pkcePair();
    const first = await fetch(authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
    const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await fetch(new URL(first.headers.get('location') ?? '', idp.issuer), { headers: { cookie } });
    const html = await page.text();
    for (const email of ['support-member@example.com', 'payments-member@example.com', 'someone@example.com']) expect(html).toContain(email);
  });

  it('issues a JWT access token for the requested resource after login and a PKCE code exchange; refuses the code without the verifier', async () => {
    const clientId = await register();
    const pkce = pkcePair();
    const { url } = await browse(
      authorizeUrl(clientId, { code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
      (u) => u.href.startsWith(REDIRECT),
      'support-member',
    );
    const code = url.searchParams.get('code') ?? '';
    const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, resource: helpdesk };
    const refused = await token(base);
    expect(refused.body.error).toBe('invalid_grant');
    // Sign in again for a fresh code: the refused exchange may have used this one up.
    const again = await browse(
      authorizeUrl(clientId, { code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
      (u) => u.href.startsWith(REDIRECT),
      'support-member',
    );
    const issued = await token({ ...base, code: again.url.searchParams.get('code') ?? '', code_verifier: pkce.verifier });
    expect(issued.status).toBe(200);
    expect(issued.body.refresh_token).toEqual(expect.any(String));
    const jwks = createRemoteJWKSet(new URL(idp.jwksUrl));
    const { payload } = await jwtVerify(issued.body.access_token ?? '', jwks, { issuer: idp.issuer, audience: helpdesk });
    expect(payload).toMatchObject({
      sub: 'support-member', groups: ['support-agents'], email: 'support-member@example.com', email_verified: true, scope: 'mcp',
    });
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('refuses a resource that is not one of the gateway virtual servers', async () => {
    const clientId = await register();
    const { challenge } = pkcePair();
    const url = authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: 'S256', resource: 'https://elsewhere.example/mcp' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_target');
  });

  it('keeps its signing key and registered clients across restarts, in files only this user can read', async () => {
    const before = await idp.mint({ sub: 'x', audience: helpdesk });
    const clientId = await register();
    const restarted = await startDevIdentityProvider({ ir, provider, stateDir: state.path });
    try {
      // The client registered before the restart is still known: its authorization request reaches the login step.
      const url = authorizeUrl(clientId, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }).replace(idp.issuer, restarted.issuer);
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.headers.get('location')).toMatch(/^\/interaction\//);
      expect(statSync(clientsFile(state.path)).mode & 0o777).toBe(0o600);
      const jwks = (await (await fetch(restarted.jwksUrl)).json()) as { keys: { kid: string; d?: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual([decodeProtectedHeader(before).kid]);
      expect(jwks.keys[0]?.d).toBeUndefined();
      expect(statSync(signingKeyFile(state.path)).mode & 0o777).toBe(0o600);
    } finally {
      await restarted.close();
    }
  });
});
