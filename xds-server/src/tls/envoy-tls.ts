// The Envoy side of mutual TLS with the control plane: the client certificate Envoy presents and
// the CA and SPIFFE ID it expects of the control plane, both as file-based SDS secrets, so Envoy
// reloads rotated files itself (Envoy watches certificate files only for secrets delivered by
// SDS, not for static ones). The SDS files name the PEM files; they are written once, beside the bootstrap.
import { dirname, join } from 'node:path';
import { controlPlaneSpiffeId } from './spiffe-id.ts';

export interface EnvoyTlsOptions {
  readonly trustDomain: string;
  /** This node's certificate chain and key (PEM), issued for its fleet and node id. */
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA bundle the control plane's certificate must chain to. */
  readonly caFile: string;
  /** Where the two SDS files live (absolute, on the Envoy host). */
  readonly sdsDir: string;
}

export const NODE_IDENTITY_SECRET = 'gatehouse-node-identity';
export const CONTROL_PLANE_CA_SECRET = 'gatehouse-control-plane-ca';

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
const sdsFile = (tls: EnvoyTlsOptions, secret: string) => join(tls.sdsDir, `${secret}.json`);

/** The SDS files Envoy reads (path → content). */
export function envoySdsFiles(tls: EnvoyTlsOptions): Record<string, string> {
  const watched = (...files: string[]) => {
    const dirs = new Set(files.map((f) => dirname(f)));
    // One directory for all: watch it (this also catches Kubernetes' symlink swap of `..data`);
    // otherwise Envoy watches each file's parent for moves.
    return dirs.size === 1 ? { watched_directory: { path: [...dirs][0] } } : {};
  };
  const identity = {
    '@type': SECRET_TYPE,
    name: NODE_IDENTITY_SECRET,
    tls_certificate: { certificate_chain: { filename: tls.certFile }, private_key: { filename: tls.keyFile }, ...watched(tls.certFile, tls.keyFile) },
  };
  const ca = {
    '@type': SECRET_TYPE,
    name: CONTROL_PLANE_CA_SECRET,
    validation_context: {
      trusted_ca: { filename: tls.caFile },
      ...watched(tls.caFile),
      match_typed_subject_alt_names: [{ san_type: 'URI', matcher: { exact: controlPlaneSpiffeId(tls.trustDomain) } }],
    },
  };
  const file = (secret: Record<string, unknown>) => `${JSON.stringify({ resources: [secret] }, null, 2)}\n`;
  return { [sdsFile(tls, NODE_IDENTITY_SECRET)]: file(identity), [sdsFile(tls, CONTROL_PLANE_CA_SECRET)]: file(ca) };
}

/** The transport socket of the clusters that reach the control plane (xDS, and ext_authz/ext_proc/access logs). */
export function controlPlaneTransportSocket(tls: EnvoyTlsOptions): Record<string, unknown> {
  const sds = (secret: string) => ({ name: secret, sds_config: { path_config_source: { path: sdsFile(tls, secret) }, resource_api_version: 'V3' } });
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      common_tls_context: {
        // gRPC servers speak HTTP/2 only and refuse a TLS connection that did not negotiate it.
        alpn_protocols: ['h2'],
        tls_certificate_sds_secret_configs: [sds(NODE_IDENTITY_SECRET)],
        validation_context_sds_secret_config: sds(CONTROL_PLANE_CA_SECRET),
      },
    },
  };
}
