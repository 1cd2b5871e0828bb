// What both kinds of ADS stream (state of the world, stream.ts; delta, delta-stream.ts) share: the node the first
// request names, and the resource type a request is about. (Nonces differ: state-of-the-world streams
// share theirs across streams, shared-nonces.ts; a delta stream counts its own.)
import type { ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { Node } from '../proto/messages.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { TYPE_BY_URL, type StreamEvent } from './stream-event.ts';

export abstract class AdsStreamBase {
  node?: Node;

  constructor(
    protected readonly snapshotFor: (node: Node) => Snapshot | undefined,
    protected readonly report: (event: StreamEvent) => void,
    /** The control plane's identifier, sent in every response. */
    protected readonly identifier: string,
  ) {}

  /** Remembers the node from the first request that names it; returns the request's type, reporting one it does not know. */
  protected requestType(request: { readonly node?: Node; readonly typeUrl: string }): ResourceType | undefined {
    if (!this.node && request.node) this.node = request.node;
    const type = TYPE_BY_URL.get(request.typeUrl);
    if (!type) this.report({ kind: 'unknown-type', typeUrl: request.typeUrl });
    return type;
  }
}
