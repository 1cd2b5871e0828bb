// The oidc-provider configuration of the development identity provider: the MCP authorization flow
// (RFC 8414 metadata, authorization code with PKCE S256 required, open dynamic client registration
// RFC 7591, resource indicators RFC 8707) issuing RFC 9068 JWT access tokens whose audience is the
// resource the client asked for, the gateway's jwt_authn audience for that virtual server.
import Provider, { errors, type Configuration } from 'oidc-provider';
import { memoryAdapterFactory } from './memory-adapter.ts';
import { findUser, type DevUser } from './directory.ts';
import { userClaims, type UserClaimNames } from './mint.ts';
import type { DevSigningKey } from './signing-key.ts';
import { registerTokenExchange, TOKEN_EXCHANGE_GRANT, type TokenExchangeOptions } from './token-exchange.ts';

export interface DevProviderOptions {
  readonly issuer: string;
  readonly key: DevSigningKey;
  readonly users: readonly DevUser[];
  readonly claimNames: UserClaimNames;
  /** The resource indicators tokens may be issued for: each virtual server's resource URL. */
  readonly resources: readonly string[];
  /** The audience of every token when the registry names explicit audiences (otherwise the resource itself). */
  readonly audience?: string;
  /** The scopes of those resources (the IdentityProvider's `scopes`). */
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
  /** Where registered clients are kept across restarts. */
  readonly clientsFile: string;
  /** Where the login page lives: `<path>/<interaction uid>`. */
  readonly interactionPath: string;
  /** The gateway's confidential client, for token exchange (RFC 8693) and client credentials towards upstream servers. */
  readonly gatewayClient?: GatewayClient;
}

export interface GatewayClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The upstream audiences it may get tokens for. */
  readonly audiences: readonly string[];
  readonly tokenTtlSeconds: number;
  onExchange?: TokenExchangeOptions['onExchange'];
}

export function devProvider(options: DevProviderOptions): Provider {
  const { users, claimNames } = options;
  const configuration: Configuration = {
    adapter: memoryAdapterFactory(options.clientsFile),
    ...(options.gatewayClient
      ? {
          clients: [{
            client_id: options.gatewayClient.clientId,
            client_secret: options.gatewayClient.clientSecret,
            grant_types: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
            redirect_uris: [],
            response_types: [],
            token_endpoint_auth_method: 'client_secret_basic',
          }],
        }
      : {}),
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      ClientCredentials: options.accessTokenTtlSeconds,
      Grant: 14 * 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 14 * 86_400,
      Session: 14 * 86_400,
    },
    jwks: { keys: [options.key.privateJwk] },
    cookies: { keys: [options.key.cookieSecret] },
    // The path the registry's IdentityProvider names for the JWKS (Envoy fetches it).
    routes: { jwks: '/.well-known/jwks.json' },
    // The resource scopes are listed too: MCP clients register with the scopes the protected-resource
    // metadata names, and registration accepts only scopes the server lists.
    scopes: [...new Set(['openid', 'offline_access', 'email', 'profile', 'groups', ...options.scopes])],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: [claimNames.groupsClaim] },
    findAccount: (_ctx, id) => {
      const user = findUser(users, id);
      return user ? { accountId: user.sub, claims: () => ({ sub: user.sub, name: user.sub, ...userClaims(user, claimNames) }) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${options.interactionPath}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // Open registration, as MCP clients expect of an authorization server they discover (demo only).
      registration: { enabled: true, initialAccessToken: false },
      clientCredentials: { enabled: options.gatewayClient !== undefined },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          // Client credentials towards an upstream server: a token whose audience is that server.
          if (options.gatewayClient?.audiences.includes(resource)) {
            const ttl = options.gatewayClient.tokenTtlSeconds;
            return { scope: '', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: ttl, jwt: { sign: { alg: 'RS256' } } };
          }
          if (!options.resources.includes(resource)) {
            throw new errors.InvalidTarget(`this identity provider issues tokens for ${options.resources.join(', ')}, not ${resource}`);
          }
          return {
            scope: options.scopes.join(' '),
            audience: options.audience ?? resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtlSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && typeof token.accountId === 'string' ? findUser(users, token.accountId) : undefined;
      return user ? userClaims(user, claimNames) : undefined;
    },
    // MCP clients renew their tokens without sending the user back to the login page.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Browser-based clients (the MCP Inspector's web UI) call the token endpoint from their page.
    clientBasedCORS: () => true,
  };
  const provider = new Provider(options.issuer, configuration);
  if (options.gatewayClient) {
    registerTokenExchange(provider, {
      issuer: options.issuer,
      key: options.key,
      audiences: options.gatewayClient.audiences,
      ttlSeconds: options.gatewayClient.tokenTtlSeconds,
      ...(options.gatewayClient.onExchange ? { onExchange: options.gatewayClient.onExchange } : {}),
    });
  }
  return provider;
}
