// How the gateway authenticates to an MCP server on the caller's behalf: the static secret reference
// (`credential`, the default), an OAuth 2.0 Token Exchange (RFC 8693) of the caller's verified token for
// one whose audience is that server, or the client credentials grant for a service identity.
import { Type, type Static } from '@sinclair/typebox';
import { NameRef, StringEnum } from './common.ts';

export const UPSTREAM_IDENTITY_MODES = ['token-exchange', 'client-credentials'] as const;
export type UpstreamIdentityMode = (typeof UPSTREAM_IDENTITY_MODES)[number];

const Scope = Type.String({ pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}$' });

export const UpstreamIdentity = Type.Object(
  {
    mode: StringEnum(
      UPSTREAM_IDENTITY_MODES,
      '`token-exchange`: the caller\'s verified token is exchanged (RFC 8693) for a token whose audience is this server, per caller; ' +
        '`client-credentials`: one service token for the gateway itself. Without `identity`, `credential` (a static secret) applies.',
    ),
    identityProvider: NameRef('The IdentityProvider whose `tokenEndpoint` issues the upstream tokens'),
    clientId: Type.String({ minLength: 1, maxLength: 256, description: 'The gateway\'s OAuth client at that identity provider.' }),
    clientSecretRef: NameRef(
      'The secret holding that client\'s secret: a file of this name in the control plane\'s secrets folder, or the environment variable ' +
        'GATEHOUSE_SECRET_<NAME>',
    ),
    audience: Type.String({ minLength: 1, maxLength: 2048, description: 'The `audience` requested: the `aud` this server checks.' }),
    scopes: Type.Optional(Type.Array(Scope, { uniqueItems: true, maxItems: 64, description: 'The scopes requested for this server.' })),
    trustedIssuers: Type.Optional(
      Type.Array(NameRef('An IdentityProvider whose tokens the exchanging identity provider accepts as subject tokens'), {
        uniqueItems: true,
        description:
          'For `token-exchange`: the other IdentityProviders whose callers\' tokens the exchanging provider is known to accept (a declared trust). ' +
          'Callers of every other provider are refused at compile time.',
      }),
    ),
    header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'Header set upstream. Default `Authorization` (`Bearer <token>`).' })),
  },
  {
    additionalProperties: false,
    description:
      'How the gateway authenticates to this server: a token per caller (token exchange) or a service token (client credentials), fetched by the ' +
      'control plane, cached until shortly before it expires, and never logged or written to artifacts. The caller\'s own token never leaves the gateway.',
  },
);

export type UpstreamIdentity = Static<typeof UpstreamIdentity>;
