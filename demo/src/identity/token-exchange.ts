// The development identity provider's OAuth 2.0 Token Exchange grant (RFC 8693), registered on the same
// oidc-provider instance: a confidential client (the gateway) presents a user's access token this
// provider issued and gets a short-lived token for one audience (an upstream MCP server) with the same
// subject and an `act` claim naming the client. oidc-provider authenticates the client and checks that
// it may use the grant before the handler runs.
import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { errors, type TokenEndpointGrantContext } from 'oidc-provider';
import type { DevSigningKey } from './signing-key.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface TokenExchangeOptions {
  readonly issuer: string;
  readonly key: DevSigningKey;
  /** The audiences tokens may be exchanged for (the upstream servers' `audience`). */
  readonly audiences: readonly string[];
  readonly ttlSeconds: number;
  /** Called after each successful exchange (the demo and tests count them). Never given the tokens. */
  onExchange?(exchange: { readonly subject: string; readonly audience: string; readonly clientId: string }): void;
}

interface ExchangeParameters {
  readonly subject_token?: string;
  readonly subject_token_type?: string;
  readonly audience?: string;
  readonly scope?: string;
}

const PARAMETERS = ['subject_token', 'subject_token_type', 'audience', 'scope', 'requested_token_type'];

export function registerTokenExchange(provider: Provider, options: TokenExchangeOptions): void {
  const keys = createLocalJWKSet({ keys: [options.key.publicJwk] });
  const handler = async (ctx: TokenEndpointGrantContext<ExchangeParameters>): Promise<void> => {
    const params = ctx.oidc.params;
    const clientId = ctx.oidc.client.clientId;
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    const audience = params.audience ?? '';
    if (!options.audiences.includes(audience)) throw new errors.InvalidTarget(`tokens are not exchanged for audience ${audience}`);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(params.subject_token ?? '', keys, { issuer: options.issuer }));
    } catch {
      throw new errors.InvalidGrant('subject_token is not a valid access token of this provider');
    }
    const subject = typeof claims.sub === 'string' ? claims.sub : '';
    if (subject === '') throw new errors.InvalidGrant('subject_token has no subject');
    const now = Math.floor(Date.now() / 1000);
    const { groups, email } = claims;
    const token = await new SignJWT({ ...(groups === undefined ? {} : { groups }), ...(email === undefined ? {} : { email }),
      scope: params.scope ?? '', client_id: clientId, act: { sub: clientId } })
      .setProtectedHeader({ alg: 'RS256', kid: options.key.kid, typ: 'at+jwt' })
      .setIssuer(options.issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + options.ttlSeconds)
      .setJti(randomUUID())
      .sign(options.key.privateKey);
    options.onExchange?.({ subject, audience, clientId });
    ctx.body = {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: options.ttlSeconds,
      ...(params.scope ? { scope: params.scope } : {}),
    };
  };
  provider.registerGrantType<ExchangeParameters>(TOKEN_EXCHANGE_GRANT, handler, PARAMETERS);
}
