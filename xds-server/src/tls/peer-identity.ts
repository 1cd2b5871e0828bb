// Who is calling a control-plane service: the Envoy node its client certificate names. The TLS
// handshake already proved the certificate chains to the trusted CA and that the peer holds its
// key (the servers require client certificates); this reads the SPIFFE ID and refuses anything
// that is not a node of our trust domain.
import type { PeerCertificate } from 'node:tls';
import { parseSpiffeId, type NodeIdentity } from './spiffe-id.ts';

/** What grpc-js gives every server call (its AuthContext type is not exported). */
export interface CallWithAuthContext {
  getAuthContext(): { readonly transportSecurityType?: string; readonly sslPeerCertificate?: PeerCertificate } | null;
}

export type PeerResult =
  /** An authenticated Envoy node: its fleet and id come from here. */
  | { readonly kind: 'node'; readonly identity: NodeIdentity }
  | { readonly kind: 'refused'; readonly reason: string }
  /** Plaintext mode: nobody is authenticated and callers are believed (local experiments only). */
  | { readonly kind: 'unverified' };

export interface PeerAuthenticator {
  readonly mode: 'mtls' | 'plaintext';
  authenticate(call: CallWithAuthContext): PeerResult;
}

export const PLAINTEXT_PEERS: PeerAuthenticator = { mode: 'plaintext', authenticate: () => ({ kind: 'unverified' }) };

export function mtlsPeers(trustDomain: string): PeerAuthenticator {
  return {
    mode: 'mtls',
    authenticate(call) {
      const context = call.getAuthContext();
      const certificate = context?.sslPeerCertificate;
      // grpc-js reports a certificate only for an authorized TLS peer (chain verified against our CA).
      if (context?.transportSecurityType !== 'ssl' || !certificate) return { kind: 'refused', reason: 'no verified client certificate' };
      const uris = uriSans(certificate.subjectaltname ?? '');
      if (uris.length !== 1) return { kind: 'refused', reason: `the client certificate has ${uris.length} URI SANs, expected exactly one SPIFFE ID` };
      const [uri = ''] = uris;
      const identity = parseSpiffeId(uri);
      if (!identity) return { kind: 'refused', reason: `"${uri}" is not a Gatehouse SPIFFE ID` };
      if (identity.trustDomain !== trustDomain) return { kind: 'refused', reason: `"${identity.uri}" is not of trust domain ${trustDomain}` };
      if (identity.kind !== 'node') return { kind: 'refused', reason: `"${identity.uri}" is not an Envoy node` };
      return { kind: 'node', identity };
    },
  };
}

/**
 * The URI entries of Node's `subjectaltname` text ("DNS:a, URI:b, IP Address:c"). Node writes a
 * value that contains a separator or quote as a JSON string (CVE-2021-44532), which is read back
 * as such, so a crafted SAN cannot smuggle a second entry.
 */
export function uriSans(subjectAltName: string): string[] {
  const uris: string[] = [];
  let rest = subjectAltName;
  while (rest.length > 0) {
    const colon = rest.indexOf(':');
    if (colon < 0) return []; // unreadable: trust none of it
    const type = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
    let value: string;
    if (rest.startsWith('"')) {
      const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
      if (!quoted) return []; // unreadable: trust none of it
      value = JSON.parse(quoted) as string;
      rest = rest.slice(quoted.length);
    } else {
      const end = rest.indexOf(', ');
      value = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? '' : rest.slice(end);
    }
    if (type === 'URI') uris.push(value);
    if (rest.startsWith(', ')) rest = rest.slice(2);
    else if (rest.length > 0) return []; // unreadable: trust none of it
  }
  return uris;
}
