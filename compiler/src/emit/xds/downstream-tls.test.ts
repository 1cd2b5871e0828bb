import { describe, expect, it } from 'vitest';
import type { IrGateway, IrGatewayTls } from '../../ir/types.ts';
import { downstreamTransportSocket, gatewayTlsSecrets } from './downstream-tls.ts';
import { HSTS_VALUE, hstsHeaders } from './protected-resource.ts';

const gateway = (tls?: IrGatewayTls) => ({ name: 'edge', publicUrl: 'https://mcp.example.com', ...(tls ? { tls } : {}) }) as unknown as IrGateway;
const tls: IrGatewayTls = { certificateSecretRef: 'edge-cert', minVersion: 'TLSv1_2' };

describe('downstream TLS', () => {
  it('takes the certificate over SDS from the control plane, with the minimum version, and no key in the artifacts', () => {
    const socket = downstreamTransportSocket(gateway(tls), tls);
    const text = JSON.stringify(socket);
    expect(socket.name).toBe('envoy.transport_sockets.tls');
    expect(socket.typed_config).toMatchObject({
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: 'TLSv1_2' },
        tls_certificate_sds_secret_configs: [{ name: 'gatehouse-gateway-edge-certificate', sds_config: { ads: {} } }],
      },
    });
    expect(text).not.toContain('require_client_certificate');
    expect(text).not.toContain('inline');
    expect(gatewayTlsSecrets(gateway(tls))).toEqual([{ name: 'gatehouse-gateway-edge-certificate', secretRef: 'edge-cert', kind: 'tls-certificate' }]);
  });

  it('asks for client certificates verified against a CA secret when configured', () => {
    const mutual: IrGatewayTls = { ...tls, minVersion: 'TLSv1_3', clientCertificates: { caSecretRef: 'clients-ca', required: true } };
    expect(downstreamTransportSocket(gateway(mutual), mutual).typed_config).toMatchObject({
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: 'TLSv1_3' },
        validation_context_sds_secret_config: { name: 'gatehouse-gateway-edge-client-ca' },
      },
      require_client_certificate: true,
    });
    expect(gatewayTlsSecrets(gateway(mutual)).map((s) => [s.secretRef, s.kind])).toEqual([['edge-cert', 'tls-certificate'], ['clients-ca', 'trusted-ca']]);
  });

  it('sends Strict-Transport-Security only from a TLS gateway', () => {
    const hsts = { header: { key: 'strict-transport-security', value: HSTS_VALUE }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' };
    expect(hstsHeaders(gateway(tls))).toEqual([hsts]);
    expect(hstsHeaders(gateway())).toEqual([]);
    expect(gatewayTlsSecrets(gateway())).toEqual([]);
  });
});
