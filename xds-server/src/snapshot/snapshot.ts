// A snapshot: the encoded xDS resources one fleet receives, with a content-hash version per type.
import type { ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { AnyMessage } from '../proto/messages.ts';

export interface TypeSnapshot {
  /** sha256 (16 hex digits) over the type's names and encoded resources. */
  readonly version: string;
  readonly resources: ReadonlyMap<string, AnyMessage>;
}

export interface Snapshot {
  readonly fleet: string;
  /** The artifact version (manifest) this snapshot was built from. */
  readonly artifactVersion: string;
  readonly types: Readonly<Record<ResourceType, TypeSnapshot>>;
  /** The access-log names (`gatehouse/<gateway>`) of the fleet's gateways: what its nodes may log as. */
  readonly accessLogNames?: ReadonlySet<string>;
}
