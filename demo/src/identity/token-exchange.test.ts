// The development identity provider's token exchange (RFC 8693): a per-user token for one upstream
// audience with the actor recorded; refused for an unknown audience, a forged subject token or a bad client secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { loadRegistry } from '../../../compiler/src/pipeline/load-registry.ts';
import { SILENT } from '../../../compiler/src/pipeline/progress.ts';
import type { Ir } from '../../../compiler/src/ir/types.ts';
import { EXAMPLE_ROOT, tempDir } from '../../../testkit/repo.ts';
import { startDevIdentityProvider, type DevIdentityProvider } from '../backends/identity-provider.ts';
import { devIdentityProvider } from './directory.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './token-exchange.ts';

const ir = loadRegistry(EXAMPLE_ROOT, SILENT).ir as Ir;
const provider = { ...devIdentityProvider(ir)!, issuer: 'http://127.0.0.1:0' };
const state = tempDir('gatehouse-idp-exchange-');
const exchanges: string[] = [];
let idp: DevIdentityProvider;

beforeAll(async () => {
  idp = await startDevIdentityProvider({
    ir, provider, stateDir: state.path,
    gatewayClient: {
      clientId: 'gatehouse', clientSecret: 's3cret', audiences: ['tickets-api'], tokenTtlSeconds: 60, onExchange: (e) => exchanges.push(e.subject),
    },
  });
});
afterAll(async () => {
  await idp.close();
  state.remove();
});

async function exchange(subjectToken: string, audience: string, secret = 's3cret') {
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`gatehouse:${secret}`).toString('base64')}` },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, audience, scope: 'tickets.read',
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('token exchange grant', () => {
  it('issues a token for the requested audience with the caller as subject and the gateway as actor', async () => {
    const user = await idp.mint({ sub: 'support-member', audience: 'http://gateway/helpdesk' });
    const { status, body } = await exchange(user, 'tickets-api');
    expect(status).toBe(200);
    expect(body).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: 60, scope: 'tickets.read' });
    const { payload } = await jwtVerify(String(body.access_token), createRemoteJWKSet(new URL(idp.jwksUrl)), { issuer: idp.issuer, audience: 'tickets-api' });
    expect(payload).toMatchObject({ sub: 'support-member', act: { sub: 'gatehouse' }, scope: 'tickets.read' });
    expect(exchanges).toContain('support-member');
  });

  it('refuses an audience it does not serve, a forged subject token and a wrong client secret', async () => {
    const user = await idp.mint({ sub: 'support-member', audience: 'http://gateway/helpdesk' });
    expect((await exchange(user, 'payments-api')).body.error).toBe('invalid_target');
    const forged = await idp.mint({ sub: 'support-member', audience: 'x', issuer: 'https://elsewhere.example' });
    expect((await exchange(forged, 'tickets-api')).body.error).toBe('invalid_grant');
    expect((await exchange(user, 'tickets-api', 'wrong')).body.error).toBe('invalid_client');
  });
});
