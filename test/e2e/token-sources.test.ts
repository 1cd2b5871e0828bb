// Where the real Envoy takes a token from, and which tokens it takes: `Authorization: Bearer` only
// (Envoy's jwt_authn also reads an `access_token` query parameter unless told otherwise, which the MCP
// authorization spec forbids), and only tokens that expire. A second identity provider with a local
// JWKS whose key this test holds lets it sign a token without `exp`; the demo identity provider never would.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../demo/src/backends/identity-provider.ts';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { trustingIssuers } from '../../testkit/example-identity.ts';

const ISSUER = 'https://e2e-idp.gatehouse.test';
const KID = 'e2e-1';
const PING = '{"jsonrpc":"2.0","id":1,"method":"ping"}';

/** A second IdentityProvider (keys in a local JWKS file) whose `support-agents` group is the support team. */
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

const DEV_MAPPING = '    - provider: dev-idp\n      group: support-agents';

let stack: TestStack;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
  stack = await startTestStack({
    edit: (path, text) => {
      if (basename(path) === 'dev-idp.yaml') {
        writeFileSync(join(dirname(path), 'e2e-jwks.json'), jwks);
        return text + E2E_IDP;
      }
      if (basename(path) === 'support.yaml' && text.includes('kind: Team')) {
        return text.replace(DEV_MAPPING, `${DEV_MAPPING}\n    - provider: e2e-idp\n      group: support-agents`);
      }
      // The example's token-exchange server is declared to accept e2e-idp's callers too (else upstream-identity-trust).
      return trustingIssuers(path, text, ['e2e-idp']);
    },
  });
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const claims = () => ({ groups: ['support-agents'], scope: 'mcp', aud: stack.endpoint('helpdesk') });

describe('token sources', () => {
  it('a token in the Authorization header is accepted', async () => {
    const res = await postMcp(stack.endpoint('helpdesk'), PING, { authorization: `Bearer ${(await stack.tokenFor('support'))!}` });
    expect(res.status).toBe(200);
  });

  it('the same token in an access_token query parameter is refused with 401', async () => {
    const token = (await stack.tokenFor('support'))!;
    const res = await postMcp(`${stack.endpoint('helpdesk')}?access_token=${encodeURIComponent(token)}`, PING);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});

describe('token expiry', () => {
  it('a token of the second provider with exp is accepted (the provider and its mapping work)', async () => {
    const token = await signToken(privateKey, ISSUER, { sub: 'e2e-agent', groups: ['support-agents'], audience: stack.endpoint('helpdesk') }, KID);
    const res = await postMcp(stack.endpoint('helpdesk'), PING, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('the same token without exp is refused with 401', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject('e2e-agent')
      .setIssuedAt()
      .sign(privateKey);
    const res = await postMcp(stack.endpoint('helpdesk'), PING, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});
