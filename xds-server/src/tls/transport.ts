// How the control plane's gRPC servers (ADS with SDS; ext_authz, ext_proc and access logs) are
// reached: mutual TLS with node identities from client certificates, or — only when asked for
// explicitly — plaintext, where every caller is believed (local experiments).
import { ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from '../log.ts';
import { mtlsPeers, PLAINTEXT_PEERS, type PeerAuthenticator } from './peer-identity.ts';
import { RotatingServerCredentials } from './rotating-credentials.ts';
import type { ServerTlsOptions } from './tls-files.ts';

export interface ControlPlaneTransport {
  readonly credentials: ServerCredentials;
  readonly peers: PeerAuthenticator;
  /** Starts watching the TLS files for rotation (no-op in plaintext). */
  start(): void;
  stop(): void;
}

/** Throws TlsFileError when the TLS files do not make a usable identity. */
export function controlPlaneTransport(tls: ServerTlsOptions | undefined, logger: Logger): ControlPlaneTransport {
  if (!tls) {
    logger.log(
      'warn',
      'PLAINTEXT CONTROL PLANE: no mutual TLS. Any local process can pose as any Envoy node, read every fleet\'s upstream credentials over SDS, ' +
        'forge audit records and get ext_authz answers. For local experiments only.',
    );
    return { credentials: ServerCredentials.createInsecure(), peers: PLAINTEXT_PEERS, start: () => undefined, stop: () => undefined };
  }
  const credentials = new RotatingServerCredentials(tls, logger);
  logger.log('info', 'mutual TLS: Envoy nodes are identified by their client certificates', {
    trust_domain: tls.trustDomain,
    ca: tls.caFile,
    cert: tls.certFile,
    not_after: credentials.material.notAfter,
  });
  return { credentials, peers: mtlsPeers(tls.trustDomain), start: () => credentials.start(), stop: () => credentials.stop() };
}
