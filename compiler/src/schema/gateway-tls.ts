// Gateway.tls: Envoy terminates TLS on the gateway listener. The certificate and key never enter
// the registry: they are secret references the control plane resolves (as upstream credentials
// are) and serves to Envoy over SDS.
import { Type, type Static } from '@sinclair/typebox';
import { NameRef } from './common.ts';

export const TLS_VERSIONS = ['TLSv1_2', 'TLSv1_3'] as const;

export const GatewayTls = Type.Object(
  {
    certificateSecretRef: NameRef(
      'The server certificate: one PEM value holding the certificate chain and its private key (`cat fullchain.pem key.pem`), ' +
        'a file of this name in the control plane\'s secrets folder or the environment variable GATEHOUSE_SECRET_<NAME>. Served over SDS.',
    ),
    minVersion: Type.Optional(
      Type.Union(TLS_VERSIONS.map((v) => Type.Literal(v)), { description: 'The oldest TLS version accepted. Default TLSv1_2.' }),
    ),
    clientCertificates: Type.Optional(
      Type.Object(
        {
          caSecretRef: NameRef('The CA certificates (PEM) that verify client certificates, resolved like `certificateSecretRef`'),
          required: Type.Optional(Type.Boolean({ description: 'Refuse the handshake without a valid client certificate. Default true.' })),
        },
        { additionalProperties: false, description: 'Client certificates (mutual TLS), verified against the CA. Left out: none asked for.' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'TLS on the listener. Plain HTTP to a TLS listener fails the handshake (nothing is redirected), and responses carry ' +
      '`Strict-Transport-Security`. Left out: plain HTTP (put a TLS-terminating proxy in front).',
  },
);

export type GatewayTls = Static<typeof GatewayTls>;
