// Upstream tokens: one exchange per caller and server until shortly before expiry, then a fresh one;
// never shared between callers or servers; every failure is a reason without any token in it.
import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.ts';
import { TOKEN_EXCHANGE_GRANT, type UpstreamIdentitySettings } from './token-client.ts';
import { upstreamToken } from './upstream-token.ts';

const SETTINGS: UpstreamIdentitySettings = {
  mode: 'token-exchange', tokenEndpoint: 'http://idp.test/token', clientId: 'gatehouse', clientSecret: 'client-secret-value',
  audience: 'tickets-api', scopes: ['tickets.read'],
};

/** A fake token endpoint that counts requests and answers what `respond` says. */
function fakeIdp(respond: (form: URLSearchParams, n: number) => Response | Promise<Response>) {
  const forms: URLSearchParams[] = [];
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const form = new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : undefined);
    forms.push(form);
    return respond(form, forms.length);
  }) as typeof fetch;
  return { forms, fetchFn };
}

const issued = (form: URLSearchParams, n: number) =>
  Response.json({ access_token: `exchanged-${form.get('audience') ?? ''}-${String(n)}`, token_type: 'Bearer', expires_in: 60 });

describe('upstream tokens', () => {
  it('exchanges once per caller and server, then refreshes shortly before expiry', async () => {
    let now = 1_000_000;
    const cache = new TokenCache({ maxEntries: 10, refreshBeforeMs: 10_000, now: () => now });
    const idp = fakeIdp(issued);
    const client = { timeoutMs: 1000, fetch: idp.fetchFn, now: () => now };
    const alice = { issuer: 'https://idp', subject: 'alice', token: 'alice-gateway-token' };
    const first = await upstreamToken('tickets', SETTINGS, alice, cache, client);
    const second = await upstreamToken('tickets', SETTINGS, alice, cache, client);
    expect(first).toEqual({ ok: true, token: 'exchanged-tickets-api-1', cached: false });
    expect(second).toEqual({ ok: true, token: 'exchanged-tickets-api-1', cached: true });
    expect(idp.forms).toHaveLength(1);
    expect(Object.fromEntries(idp.forms[0]!)).toMatchObject({
      grant_type: TOKEN_EXCHANGE_GRANT, subject_token: 'alice-gateway-token', audience: 'tickets-api', scope: 'tickets.read',
    });
    now += 50_001; // 60 s token, refreshed in its last 10 s
    expect(await upstreamToken('tickets', SETTINGS, alice, cache, client)).toEqual({ ok: true, token: 'exchanged-tickets-api-2', cached: false });
  });

  it('never hands one caller\'s or one server\'s token to another', async () => {
    const cache = new TokenCache({ maxEntries: 10, refreshBeforeMs: 0, now: () => 0 });
    const idp = fakeIdp(issued);
    const client = { timeoutMs: 1000, fetch: idp.fetchFn, now: () => 0 };
    const a = await upstreamToken('tickets', SETTINGS, { issuer: 'i', subject: 'alice', token: 't1' }, cache, client);
    const b = await upstreamToken('tickets', SETTINGS, { issuer: 'i', subject: 'bob', token: 't2' }, cache, client);
    const c = await upstreamToken('crm', { ...SETTINGS, audience: 'crm-api' }, { issuer: 'i', subject: 'alice', token: 't1' }, cache, client);
    expect(new Set([a, b, c].map((r) => (r.ok ? r.token : '')))).toHaveProperty('size', 3);
    expect(idp.forms).toHaveLength(3);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const cache = new TokenCache({ maxEntries: 2, refreshBeforeMs: 0, now: () => 0 });
    const idp = fakeIdp(issued);
    const client = { timeoutMs: 1000, fetch: idp.fetchFn, now: () => 0 };
    for (const subject of ['a', 'b', 'c']) await upstreamToken('tickets', SETTINGS, { issuer: 'i', subject, token: subject }, cache, client);
    expect(cache.size).toBe(2);
    await upstreamToken('tickets', SETTINGS, { issuer: 'i', subject: 'a', token: 'a' }, cache, client);
    expect(idp.forms).toHaveLength(4);
  });

  it('fails closed with a reason when the provider refuses, is down or answers garbage, and caches nothing', async () => {
    const cache = new TokenCache({ maxEntries: 10, refreshBeforeMs: 0, now: () => 0 });
    const caller = { issuer: 'i', subject: 'alice', token: 'alice-gateway-token' };
    const cases: [() => Response | Promise<Response>, RegExp, boolean][] = [
      [() => Response.json({ error: 'invalid_grant' }, { status: 400 }), /refused the token-exchange \(400 invalid_grant\)/, true],
      [() => Promise.reject(new TypeError('fetch failed')), /unreachable/, false],
      [() => new Response('<html>', { status: 502 }), /502 without JSON/, false],
      [() => Response.json({ token_type: 'Bearer' }), /no access_token/, false],
    ];
    for (const [respond, reason, refused] of cases) {
      const idp = fakeIdp(respond);
      const result = await upstreamToken('tickets', SETTINGS, caller, cache, { timeoutMs: 1000, fetch: idp.fetchFn, now: () => 0 });
      expect(result).toMatchObject({ ok: false, refused });
      expect(result.ok ? '' : result.reason).toMatch(reason);
      expect(JSON.stringify(result)).not.toMatch(/alice-gateway-token|client-secret-value/);
    }
    expect(cache.size).toBe(0);
  });

  it('refuses a token exchange for a caller without a verified identity, and keys client credentials by server alone', async () => {
    const cache = new TokenCache({ maxEntries: 10, refreshBeforeMs: 0, now: () => 0 });
    const idp = fakeIdp(() => Response.json({ access_token: 'service-token', expires_in: 300 }));
    const client = { timeoutMs: 1000, fetch: idp.fetchFn, now: () => 0 };
    expect(await upstreamToken('tickets', SETTINGS, { issuer: '', subject: '' }, cache, client)).toMatchObject({ ok: false, refused: true });
    const service = { ...SETTINGS, mode: 'client-credentials' as const };
    await upstreamToken('tickets', service, { issuer: 'i', subject: 'alice' }, cache, client);
    expect(await upstreamToken('tickets', service, { issuer: 'i', subject: 'bob' }, cache, client)).toMatchObject({ ok: true, cached: true });
    expect(Object.fromEntries(idp.forms[0]!)).toMatchObject({ grant_type: 'client_credentials', resource: 'tickets-api' });
  });
});
