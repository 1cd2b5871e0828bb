// What an ADS stream reports (acks, nacks, what it sent), and the resource types by type URL, for both kinds of stream.
import { RESOURCE_TYPES, RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';

export const TYPE_BY_URL = new Map<string, ResourceType>(RESOURCE_TYPES.map((t) => [RESOURCE_TYPE_URL[t], t]));

/** LDS and CDS are wildcard: every response carries the full set. The others are requested by name. */
export const WILDCARD: ReadonlySet<ResourceType> = new Set(['listeners', 'clusters']);

/** Something the stream observed, for status tracking and logs. */
export type StreamEvent =
  | { kind: 'ack'; type: ResourceType; version: string }
  | { kind: 'nack'; type: ResourceType; version: string; message: string }
  | { kind: 'sent'; type: ResourceType; version: string; resources: number; removed?: number }
  /** Delta: the node already has every resource of this version of the type (nothing sent), e.g. after a reconnect. */
  | { kind: 'in-sync'; type: ResourceType; version: string }
  | { kind: 'stale-nonce'; type: ResourceType; nonce: string }
  | { kind: 'unknown-type'; typeUrl: string };
