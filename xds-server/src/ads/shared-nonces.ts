// Nonces that state-of-the-world streams share. A response is encoded once for every stream that
// sends it (proto/discovery-response.ts), but only when its nonce is the same too: with a counter
// per stream, nodes whose histories differ (connected at another time, reconnected, NACKed once)
// had different nonces for the same response, and each cost an encoding of its own. Here a nonce
// belongs to a type, version and set of names under one snapshot, and every stream that sends that
// response gets it. Every number is handed out once, to one such response or to one stream, and a
// stream is never given the same one twice: sent that same response again under the snapshot (its
// names changed and changed back), or under a snapshot it had left and came back to, it gets a
// number of its own.
import type { Snapshot } from '../snapshot/snapshot.ts';

/** The last number handed out, in this process. */
let counter = 0;
/** Per snapshot: the nonce of each response (keyed by type, version and names). */
const shared = new WeakMap<Snapshot, Map<string, string>>();

function fresh(): string {
  return String(++counter);
}

/** One stream's nonces. */
export class StreamNonces {
  private current?: Snapshot;
  /** Shared nonces this stream was given under `current`. */
  private readonly used = new Set<string>();
  /** Snapshots this stream served before `current`: their shared nonces may have been given to it. */
  private readonly left = new WeakSet<Snapshot>();

  /** The nonce of the response identified by `key` (type, version, names) under `snapshot`. */
  next(snapshot: Snapshot, key: string): string {
    if (snapshot !== this.current) {
      if (this.current) this.left.add(this.current);
      this.current = snapshot;
      this.used.clear();
    }
    if (this.left.has(snapshot)) return fresh();
    let byKey = shared.get(snapshot);
    if (!byKey) {
      byKey = new Map();
      shared.set(snapshot, byKey);
    }
    let nonce = byKey.get(key);
    if (nonce === undefined) {
      nonce = fresh();
      byKey.set(key, nonce);
    }
    if (this.used.has(nonce)) return fresh();
    this.used.add(nonce);
    return nonce;
  }
}
