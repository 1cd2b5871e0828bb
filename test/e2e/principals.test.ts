// Principals scoped by identity provider, and denial statuses with two providers, through the real
// Envoy 1.40. A second IdentityProvider (a local JWKS whose key this test holds) may sign any
// claims: a sub equal to another provider's user, or to an email address, and `email_verified` as
// a string. Grants name `user:dev-idp/alice` and `email:carol@example.com`; neither may be matched
// by such a token. With two providers, jwt_authn records a failure for the provider that did not
// issue the token, which once turned every policy 403 into `401 invalid_token`.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { INITIALIZE, PROTOCOL } from '../harness/raw-mcp.ts';
import { trustingIssuers } from '../../testkit/example-identity.ts';

const ISSUER = 'https://e2e-idp.gatehouse.test';
const KID = 'e2e-1';
const GET_PAGE = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_page', arguments: { slug: 'refunds' } } });

const E2E_IDP = `
---
apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata:
  name: e2e-idp
spec:
  issuer: ${ISSUER}
  jwks:
    file: registry/identity-providers/e2e-jwks.json
`;

/** docs/get_page is granted to support and engineering only; these two people get it by name. */
const PEOPLE_GRANT = `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: named-people
spec:
  description: Two people by name, one by sub at dev-idp and one by verified email.
  subjects: ["user:dev-idp/alice", "email:carol@example.com"]
  access:
    - server: docs
      tools: [get_page]
`;

let stack: TestStack;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
  stack = await startTestStack({
    files: { 'registry/grants/people.yaml': PEOPLE_GRANT },
    edit: (path, text) => {
      // The example's token-exchange server is declared to accept e2e-idp's callers too (else upstream-identity-trust).
      if (basename(path) !== 'dev-idp.yaml') return trustingIssuers(path, text, ['e2e-idp']);
      writeFileSync(join(dirname(path), 'e2e-jwks.json'), jwks);
      return text + E2E_IDP;
    },
  });
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());

/** A token of the second provider with exactly these claims (plus iss, aud for knowledge, iat and exp). */
function e2eToken(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(stack.endpoint('knowledge'))
    .setIssuedAt(now - 5)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

const devToken = (sub: string) => stack.backends.idp.mint({ sub, audience: stack.endpoint('knowledge') });

/** get_page on knowledge in a fresh session (everyone authenticated may open one there): the HTTP status and JSON-RPC error code. */
async function getPage(token: string): Promise<{ status: number; code?: number; wwwAuthenticate: string | null }> {
  const auth = { authorization: `Bearer ${token}`, 'mcp-protocol-version': PROTOCOL };
  const init = await postMcp(stack.endpoint('knowledge'), INITIALIZE, auth);
  expect(init.status).toBe(200);
  const res = await postMcp(stack.endpoint('knowledge'), GET_PAGE, { ...auth, 'mcp-session-id': init.headers.get('mcp-session-id')! });
  const code = res.status === 200 ? undefined : (JSON.parse(res.text) as { error?: { code?: number } }).error?.code;
  return { status: res.status, ...(code === undefined ? {} : { code }), wwwAuthenticate: res.headers.get('www-authenticate') };
}

describe('user principals are scoped by identity provider', () => {
  it('user:dev-idp/alice matches alice of dev-idp', async () => {
    expect((await getPage(await devToken('alice'))).status).toBe(200);
  });

  it("another provider's token with sub alice is refused with 403 (not 401) under two providers", async () => {
    expect(await getPage(await e2eToken({ sub: 'alice' }))).toEqual({ status: 403, code: -32003, wwwAuthenticate: null });
  });

  it("dev-idp's other users are refused with 403", async () => {
    expect(await getPage(await devToken('mallory'))).toEqual({ status: 403, code: -32003, wwwAuthenticate: null });
  });
});

describe('email principals need email_verified exactly true', () => {
  it('a verified email matches email:carol@example.com', async () => {
    expect((await getPage(await e2eToken({ sub: 'c-1', email: 'carol@example.com', email_verified: true }))).status).toBe(200);
  });

  it('a sub that is the address, with no email claim, is refused', async () => {
    expect((await getPage(await e2eToken({ sub: 'carol@example.com' }))).status).toBe(403);
  });

  it('email_verified "false", "true" (strings) or missing are refused', async () => {
    for (const verified of ['false', 'true', undefined]) {
      const claims = { sub: 'c-2', email: 'carol@example.com', ...(verified === undefined ? {} : { email_verified: verified }) };
      expect((await getPage(await e2eToken(claims))).status, `email_verified ${String(verified)}`).toBe(403);
    }
  });
});

describe('denial statuses with two identity providers', () => {
  it('a tools/list the policy denies is a 403 with the JSON-RPC error, not a 503', async () => {
    const support = (await stack.tokenFor('support'))!;
    const res = await postMcp(stack.endpoint('payments-ops'), '{"jsonrpc":"2.0","id":3,"method":"tools/list"}', { authorization: `Bearer ${support}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ id: 3, error: { code: -32003, message: expect.stringContaining('payments-ops') as string } });
  });

  it('a token for another resource is still 401 invalid_token', async () => {
    const token = await stack.backends.idp.mint({ sub: 'alice', audience: 'https://elsewhere.example/mcp' });
    const res = await postMcp(stack.endpoint('knowledge'), INITIALIZE, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
