// What an authenticated node may say about itself: its node id and cluster (fleet) must be the
// ones its certificate names. A disagreement is refused, not corrected: it means a misconfigured
// bootstrap or a node trying to pass for another.
import { Metadata, status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import type { NodeIdentity } from './spiffe-id.ts';

/** Why the node's own claims disagree with its certificate; undefined when they agree. */
export function nodeClaimMismatch(identity: NodeIdentity, claimed: { readonly id?: string; readonly cluster?: string }): string | undefined {
  if (claimed.id !== undefined && claimed.id !== '' && claimed.id !== identity.node) {
    return `node id "${claimed.id}" is not the node its certificate names (${identity.uri})`;
  }
  if (claimed.cluster !== undefined && claimed.cluster !== '' && claimed.cluster !== identity.fleet) {
    return `cluster "${claimed.cluster}" is not the fleet its certificate names (${identity.uri})`;
  }
  return undefined;
}

/** The gRPC status a refused caller gets. */
export function permissionDenied(details: string): Partial<StatusObject> & { code: GrpcStatus; details: string } {
  return { code: GrpcStatus.PERMISSION_DENIED, details, metadata: new Metadata() };
}
