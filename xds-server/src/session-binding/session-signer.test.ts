import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { placeholderSessionJwks, SESSION_ISSUER } from '../../../artifacts/src/session-token.ts';
import { sessionSigner, type SessionBinding } from './session-signer.ts';

const alice: SessionBinding = { issuer: 'https://idp.example', subject: 'alice', virtualServer: 'helpdesk' };
const upstream = '6f1c2a8e-1d0b-4c7e-9b8a-0e2f3d4c5b6a';

function parts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signed: Buffer; signature: Buffer } {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signed: Buffer.from(`${header}.${payload}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** The keys of a JWKS. */
const keysOf = (jwks: string) => (JSON.parse(jwks) as { keys: (JsonWebKey & { kid?: string })[] }).keys;

function verifies(jwks: string, token: string): boolean {
  const [jwk] = keysOf(jwks);
  const { signed, signature } = parts(token);
  return verify('sha256', signed, { key: createPublicKey({ key: jwk!, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, signature);
}

describe('session ids', () => {
  it('are ES256 JWTs naming the caller, the virtual server and the upstream id, verifiable with the published key', () => {
    const signer = sessionSigner(randomBytes(32));
    const token = signer.sign(alice, upstream);
    // Visible ASCII, as the MCP spec requires of a session id.
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const { header, payload } = parts(token);
    expect(header).toEqual({ alg: 'ES256', kid: keysOf(signer.jwks)[0]?.kid, typ: 'JWT' });
    expect(payload).toEqual({ iss: SESSION_ISSUER, ci: alice.issuer, cs: 'alice', vs: 'helpdesk', sid: upstream });
    expect(verifies(signer.jwks, token)).toBe(true);
  });

  it('the published key is public only', () => {
    const [jwk] = keysOf(sessionSigner(randomBytes(32)).jwks);
    expect(Object.keys(jwk ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('every replica with the same session key signs with the same key; another key verifies nothing', () => {
    const key = randomBytes(32);
    const [one, two] = [sessionSigner(key), sessionSigner(Buffer.from(key))];
    expect(two.jwks).toBe(one.jwks);
    expect(verifies(two.jwks, one.sign(alice, upstream))).toBe(true);
    expect(verifies(sessionSigner(randomBytes(32)).jwks, one.sign(alice, upstream))).toBe(false);
  });

  it('a signature does not survive an edited payload', () => {
    const signer = sessionSigner(randomBytes(32));
    const [header, , signature] = signer.sign(alice, upstream).split('.');
    const bob = Buffer.from(JSON.stringify({ iss: SESSION_ISSUER, ci: alice.issuer, cs: 'bob', vs: 'helpdesk', sid: upstream })).toString('base64url');
    expect(verifies(signer.jwks, `${header}.${bob}.${signature}`)).toBe(false);
  });

  it("the compiled listener's placeholder key is a valid P-256 point (Envoy loads it) that no session id verifies under", () => {
    const jwks = placeholderSessionJwks();
    const [jwk] = keysOf(jwks);
    // Node refuses a JWK whose point is not on the curve.
    expect(createPublicKey({ key: jwk!, format: 'jwk' }).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(verifies(jwks, sessionSigner(randomBytes(32)).sign(alice, upstream))).toBe(false);
    expect(placeholderSessionJwks()).toBe(jwks);
  });
});
