// [impure] The local development identity provider, built on oidc-provider (identity/provider.ts):
// the MCP authorization flow for OAuth-discovering clients, a login page listing the demo users
// (auto-consent; `login_hint` skips the page), and its JWKS for Envoy. Binds 127.0.0.1 only. Its
// signing key persists in `<stateDir>/identity-provider/` (identity/signing-key.ts).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type CryptoKey } from 'jose';
import type { Ir, IrIdentityProvider } from '../../../compiler/src/ir/types.ts';
import { devAudiences, devDirectory, findUser, type DevUser } from '../identity/directory.ts';
import { loginPage } from '../identity/login-page.ts';
import { devProvider, type GatewayClient } from '../identity/provider.ts';
import { clientsFile, openDevSigningKey } from '../identity/signing-key.ts';

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
  readonly users: readonly DevUser[];
  /** Mints a token with the provider's key directly (no OAuth flow), for tests and the demo's printout. */
  mint(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

export interface DevIdentityProviderOptions {
  readonly ir: Ir;
  readonly provider: IrIdentityProvider;
  /** The signing key lives in `<stateDir>/identity-provider/`. */
  readonly stateDir: string;
  readonly accessTokenTtlSeconds?: number;
  /** The gateway's client for upstream tokens (token exchange, client credentials); absent: neither grant is offered. */
  readonly gatewayClient?: GatewayClient;
}

const INTERACTION_PATH = '/interaction';

export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const issuerUrl = new URL(options.provider.issuer);
  if (issuerUrl.pathname !== '/' || !['127.0.0.1', 'localhost'].includes(issuerUrl.hostname)) {
    throw new Error(`the development identity provider serves a local issuer with no path, not ${options.provider.issuer}`);
  }
  const key = await openDevSigningKey(options.stateDir);
  // Listen first: with port 0 (tests) the issuer is known only once the port is.
  let route: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const http: Server = createServer((req, res) => route(req, res));
  http.listen(Number(issuerUrl.port || 80), '127.0.0.1');
  await once(http, 'listening');
  const issuer = `${issuerUrl.protocol}//${issuerUrl.hostname}:${(http.address() as AddressInfo).port}`;
  const users = devDirectory(options.ir, options.provider);
  const close = async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  let provider: ReturnType<typeof devProvider>;
  try {
    provider = devProvider({
      issuer,
      key,
      users,
      claimNames: { groupsClaim: options.provider.groupsClaim, emailClaim: options.provider.emailClaim },
      resources: devAudiences(options.ir, { ...options.provider, audiences: [] }),
      ...(options.provider.audiences[0] ? { audience: options.provider.audiences[0] } : {}),
      scopes: options.provider.scopes,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      interactionPath: INTERACTION_PATH,
      clientsFile: clientsFile(options.stateDir),
      ...(options.gatewayClient ? { gatewayClient: options.gatewayClient } : {}),
    });
  } catch (error) {
    await close();
    throw error;
  }
  const oidc = provider.callback();
  const interact = async (req: IncomingMessage, res: ServerResponse, uid: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') {
      // Auto-consent: the demo grants whatever the client asked for (the gateway's policy decides the rest).
      const { Grant } = provider;
      const grant = (details.grantId ? await Grant.find(details.grantId) : undefined) ??
        new Grant({ accountId: details.session?.accountId ?? '', clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    const chosen = req.method === 'POST' ? new URLSearchParams(await readBody(req)).get('user') : details.params.login_hint;
    const user = typeof chosen === 'string' ? findUser(users, chosen) : undefined;
    if (user) {
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    const client = await provider.Client.find(String(details.params.client_id));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(`${INTERACTION_PATH}/${uid}`, client?.clientName ?? 'An MCP client', users));
  };
  route = (req, res) => {
    const uid = new RegExp(`^${INTERACTION_PATH}/([A-Za-z0-9_-]+)$`).exec((req.url ?? '/').split('?')[0] ?? '')?.[1];
    if (uid === undefined) {
      void oidc(req, res);
      return;
    }
    interact(req, res, uid).catch((error: unknown) => {
      if (res.headersSent) return;
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`sign-in failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    users,
    mint: (claims) => signToken(key.privateKey, claims.issuer ?? issuer, claims, key.kid),
    close,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Signs a token with a key (the provider's, or a stranger's in tests). */
export async function signToken(key: CryptoKey, issuer: string, claims: TokenClaims, kid = 'gatehouse-dev-1'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const email = claims.email ? { email: claims.email, email_verified: true } : {};
  return new SignJWT({ ...email, ...(claims.groups ? { groups: [...claims.groups] } : {}), scope: 'mcp' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(claims.sub)
    .setAudience(typeof claims.audience === 'string' ? claims.audience : [...claims.audience])
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (claims.expiresIn ?? 3600))
    .sign(key);
}
