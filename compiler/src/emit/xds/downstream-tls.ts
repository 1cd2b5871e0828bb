// Downstream TLS on a gateway listener: Envoy terminates TLS with the certificate and key the
// control plane serves over SDS (ADS), so no key material is in the artifacts. A client speaking
// plain HTTP to the port fails the handshake; nothing is redirected.
import type { IrGateway, IrGatewayTls } from '../../ir/types.ts';
import { names } from './names.ts';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import type { SecretReference } from '../../../../artifacts/src/fleet-resources.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';

const ADS: Json<'envoy.config.core.v3.ConfigSource'> = { ads: {}, resource_api_version: 'V3' };

export function downstreamTransportSocket(gateway: IrGateway, tls: IrGatewayTls): Json<'envoy.config.core.v3.TransportSocket'> {
  const client = tls.clientCertificates;
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: anyOf(TYPE.downstreamTlsContext, {
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: tls.minVersion },
        alpn_protocols: ['h2', 'http/1.1'],
        tls_certificate_sds_secret_configs: [{ name: names.gatewayCertificateSecret(gateway.name), sds_config: ADS }],
        ...(client ? { validation_context_sds_secret_config: { name: names.gatewayClientCaSecret(gateway.name), sds_config: ADS } } : {}),
      },
      ...(client ? { require_client_certificate: client.required } : {}),
    }),
  };
}

/** The secrets a TLS gateway needs from the control plane. */
export function gatewayTlsSecrets(gateway: IrGateway): SecretReference[] {
  const tls = gateway.tls;
  if (!tls) return [];
  return [
    { name: names.gatewayCertificateSecret(gateway.name), secretRef: tls.certificateSecretRef, kind: 'tls-certificate' },
    ...(tls.clientCertificates
      ? [{ name: names.gatewayClientCaSecret(gateway.name), secretRef: tls.clientCertificates.caSecretRef, kind: 'trusted-ca' as const }]
      : []),
  ];
}
