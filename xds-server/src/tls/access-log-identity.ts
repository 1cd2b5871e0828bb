// Whose access log a stream may write: an authenticated node writes only as itself and only for
// the gateways of its own fleet, so a stolen or rogue stream cannot forge another gateway's chained
// audit records.
import { nodeClaimMismatch } from './node-claims.ts';
import type { NodeIdentity } from './spiffe-id.ts';

/** Why the stream is refused; undefined when the node may log under this name. */
export function accessLogRefusal(
  identity: NodeIdentity,
  claimedNode: string | undefined,
  logName: string,
  fleetLogNames: ReadonlySet<string> | undefined,
): string | undefined {
  const mismatch = nodeClaimMismatch(identity, { ...(claimedNode !== undefined ? { id: claimedNode } : {}) });
  if (mismatch) return mismatch;
  if (!fleetLogNames) return `no artifacts are loaded for fleet "${identity.fleet}"`;
  if (!fleetLogNames.has(logName)) return `log "${logName}" is not a gateway of fleet "${identity.fleet}"`;
  return undefined;
}
