// A local development identity provider: signs JWTs with an RSA key (jose) and serves its JWKS and
// OpenID discovery document, so the demo and the tests exercise real token verification in Envoy.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

export interface TokenClaims {
  readonly sub: string;
  readonly email?: string;
  readonly groups?: readonly string[];
  readonly audience: string | readonly string[];
  /** Seconds until expiry; negative mints an expired token. Default 3600. */
  readonly expiresIn?: number;
  /** Overrides the issuer (to mint wrong-issuer tokens in tests). */
  readonly issuer?: string;
}

export interface DevIdentityProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  mint(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

const KEY_ID = 'gatehouse-dev-1';

export async function startDevIdentityProvider(port: number): Promise<DevIdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/jwks.json') {
      json({ keys: [jwk] });
      return;
    }
    if (path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server') {
      json({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['token'],
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  http.listen(port, '127.0.0.1');
  await once(http, 'listening');
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    mint: (claims) => signToken(privateKey, claims.issuer ?? issuer, claims),
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Signs a token with a key (the provider's, or a stranger's in tests). */
export async function signToken(key: CryptoKey, issuer: string, claims: TokenClaims, kid = KEY_ID): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...(claims.email ? { email: claims.email } : {}), ...(claims.groups ? { groups: [...claims.groups] } : {}), scope: 'mcp' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(claims.sub)
    .setAudience(typeof claims.audience === 'string' ? claims.audience : [...claims.audience])
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (claims.expiresIn ?? 3600))
    .sign(key);
}
