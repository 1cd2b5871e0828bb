// The ext_authz step: an allowed call to a server with an upstream identity gets that server's token
// in the gateway's upstream-token header; other servers' calls and denials pass untouched; a missing
// client secret or a failed exchange fails closed without any token in the refusal.
import { describe, expect, it } from 'vitest';
import { buildPolicyInput } from '../authz/check-input.ts';
import type { Decision } from '../authz/decision.ts';
import { takeCallerToken } from '../authz/caller-token.ts';
import { UPSTREAM_TOKEN_HEADER, JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY } from '../../../artifacts/src/metadata-names.ts';
import type { UpstreamIdentityTable } from '../../../artifacts/src/upstream-identity/identity-table.ts';
import { TokenCache } from './token-cache.ts';
import { applyUpstreamIdentity } from './upstream-identity-step.ts';

const TABLE: UpstreamIdentityTable = {
  servers: {
    whoami: {
      mode: 'token-exchange', identityProvider: 'dev-idp', tokenEndpoint: 'http://idp.test/token', clientId: 'gatehouse',
      clientSecretRef: 'exchange-client', audience: 'whoami-api', scopes: [], header: 'Authorization',
    },
  },
  virtualServers: { me: 'whoami' },
};
const ALLOWED: Decision = { allowed: true, dynamic_metadata: { decision: 'allow' } };

function attributes(virtualServer: string) {
  return {
    request: { http: { path: `/mcp/${virtualServer}`, headers: { authorization: 'Bearer caller-gateway-token', 'content-type': 'application/json' } } },
    contextExtensions: { virtual_server: virtualServer, gateway: 'local' },
    metadataContext: { filterMetadata: { [JWT_METADATA_NAMESPACE]: { [JWT_PAYLOAD_KEY]: { iss: 'https://idp', sub: 'alice' } } } },
  };
}

function options(respond: () => Response | Promise<Response>) {
  const forms: URLSearchParams[] = [];
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    forms.push(new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : undefined));
    return respond();
  }) as typeof fetch;
  const cache = new TokenCache({ maxEntries: 10, refreshBeforeMs: 0, now: () => 0 });
  return { forms, step: { cache, client: { timeoutMs: 1000, fetch: fetchFn, now: () => 0 } } };
}

describe('the upstream identity step', () => {
  it('takes the caller token out of what the policy sees and exchanges it for the server of the virtual server', async () => {
    const attrs = attributes('me');
    const callerToken = takeCallerToken(attrs);
    const input = buildPolicyInput(attrs);
    expect(callerToken).toBe('caller-gateway-token');
    expect(JSON.stringify(input)).not.toContain('caller-gateway-token');
    const { forms, step } = options(() => Response.json({ access_token: 'exchanged-for-whoami', expires_in: 60 }));
    const identities = { table: TABLE, clientSecrets: new Map([['exchange-client', 's3cret']]) };
    const decision = await applyUpstreamIdentity(identities, input, ALLOWED, callerToken, step);
    expect(decision.headers).toEqual({ [UPSTREAM_TOKEN_HEADER]: 'Bearer exchanged-for-whoami' });
    expect(forms[0]?.get('subject_token')).toBe('caller-gateway-token');
    expect(forms[0]?.get('audience')).toBe('whoami-api');
  });

  it('leaves other virtual servers and denials alone', async () => {
    const { forms, step } = options(() => Response.json({ access_token: 'x', expires_in: 60 }));
    const identities = { table: TABLE, clientSecrets: new Map([['exchange-client', 's3cret']]) };
    const other = buildPolicyInput(attributes('helpdesk'));
    expect(await applyUpstreamIdentity(identities, other, ALLOWED, 'caller-gateway-token', step)).toBe(ALLOWED);
    const denied: Decision = { allowed: false, http_status: 403 };
    expect(await applyUpstreamIdentity(identities, buildPolicyInput(attributes('me')), denied, 'caller-gateway-token', step)).toBe(denied);
    expect(forms).toHaveLength(0);
  });

  it('fails closed with a readable reason when the client secret is missing or the provider refuses', async () => {
    const input = buildPolicyInput(attributes('me'));
    const missing = options(() => Response.json({ access_token: 'x' }));
    const noSecret = await applyUpstreamIdentity({ table: TABLE, clientSecrets: new Map() }, input, ALLOWED, 'caller-gateway-token', missing.step);
    expect(noSecret).toMatchObject({ allowed: false, http_status: 503 });
    expect(noSecret.body).toContain('GATEHOUSE_SECRET_EXCHANGE_CLIENT');
    expect(missing.forms).toHaveLength(0);
    const refusing = options(() => Response.json({ error: 'invalid_target' }, { status: 400 }));
    const identities = { table: TABLE, clientSecrets: new Map([['exchange-client', 's3cret']]) };
    const refused = await applyUpstreamIdentity(identities, input, ALLOWED, 'caller-gateway-token', refusing.step);
    expect(refused).toMatchObject({ allowed: false, http_status: 502, dynamic_metadata: { decision: 'deny' } });
    expect(JSON.stringify(refused)).not.toMatch(/caller-gateway-token|s3cret/);
  });
});
