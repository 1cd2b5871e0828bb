// What each Envoy node has been sent, has ACKed and has NACKed, per resource type: for /status,
// metrics and tests.
import type { ResourceType } from '../../../artifacts/src/type-urls.ts';

export interface TypeStatus {
  sent?: string;
  acked?: string;
  nacked?: { version: string; message: string; at: string };
}

export interface NodeStatus {
  readonly id: string;
  fleet: string;
  streams: number;
  connectedAt?: string;
  lastSeen: string;
  /** DiscoveryRequests received from the node (subscriptions, ACKs and NACKs), over all its streams. */
  requests: number;
  /** DiscoveryResponses sent to the node, over all its streams. */
  responses: number;
  envoyVersion?: string;
  /** The ADS protocol of the node's latest stream: state of the world or delta. */
  xds?: 'sotw' | 'delta';
  readonly types: Partial<Record<ResourceType, TypeStatus>>;
}

export class NodeStatusRegistry {
  private readonly nodes = new Map<string, NodeStatus>();

  node(id: string, fleet: string): NodeStatus {
    let status = this.nodes.get(id);
    if (!status) {
      status = { id, fleet, streams: 0, lastSeen: new Date().toISOString(), requests: 0, responses: 0, types: {} };
      this.nodes.set(id, status);
    }
    status.fleet = fleet;
    status.lastSeen = new Date().toISOString();
    return status;
  }

  type(id: string, type: ResourceType): TypeStatus {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return (node.types[type] ??= {});
  }

  all(): NodeStatus[] {
    return [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  get(id: string): NodeStatus | undefined {
    return this.nodes.get(id);
  }
}
