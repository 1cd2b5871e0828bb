// IdentityProvider: an OIDC/OAuth issuer whose JWTs the gateways accept.
import { Type, type Static } from '@sinclair/typebox';
import { DurationOf, documentSchema } from './common.ts';

const Url = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048, description: 'An http:// or https:// URL.' });

export const IdentityProviderSpec = Type.Object(
  {
    issuer: Type.String({ minLength: 1, maxLength: 2048, description: 'The `iss` claim of its tokens.' }),
    audiences: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
        minItems: 1,
        description: 'Accepted `aud` values. Default: the resource URL of each virtual server (RFC 8707 audience binding).',
      }),
    ),
    jwks: Type.Object(
      {
        uri: Type.Optional(Url),
        file: Type.Optional(Type.String({ minLength: 1, description: 'A JWKS file, relative to the repository root (for air-gapped sites).' })),
        cacheDuration: Type.Optional(DurationOf('How long Envoy keeps the fetched keys. Default 600s')),
      },
      { additionalProperties: false, description: 'Where the signing keys are: exactly one of `uri` (a JWKS URI) or `file` (a local JWKS file).' },
    ),
    tokenEndpoint: Type.Optional(Type.String({
      pattern: '^https?://[^\\s]+$',
      maxLength: 2048,
      description: 'Its OAuth token endpoint, where the control plane exchanges or requests upstream tokens (McpServer `upstream.identity`).',
    })),
    authorizationServers: Type.Optional(
      Type.Array(Url, { minItems: 1, description: 'Advertised in the protected-resource metadata. Default: the issuer.' }),
    ),
    claims: Type.Optional(
      Type.Object(
        {
          groups: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:/-]{1,128}$', description: 'Claim holding the groups. Default `groups`.' })),
          email: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:/-]{1,128}$', description: 'Claim holding the email. Default `email`.' })),
        },
        { additionalProperties: false, description: 'Which token claims hold the groups and the email.' },
      ),
    ),
    scopes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}$' }), {
        description: 'OAuth scopes advertised in the protected-resource metadata (`scopes_supported`): printable ASCII without spaces, `"` or `\\`.',
      }),
    ),
  },
  { additionalProperties: false, description: 'The issuer, its signing keys, and the claims Gatehouse reads.' },
);

export const IdentityProviderDocument = documentSchema(
  'IdentityProvider',
  IdentityProviderSpec,
  'An identity provider whose signed JWTs the gateways verify.',
);

export type IdentityProviderSpec = Static<typeof IdentityProviderSpec>;
