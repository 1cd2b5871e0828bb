// A test fixture for the ADS stream tests: snapshots written as `name=body` resources per type.
import { createHash } from 'node:crypto';
import { RESOURCE_TYPE_URL, type ResourceType } from '../../../artifacts/src/type-urls.ts';
import type { Snapshot, TypeSnapshot } from '../snapshot/snapshot.ts';

export type SnapshotSpec = Partial<Record<ResourceType, Record<string, string>>>;

/** A snapshot whose resources are `name=body` bytes; each type's version hashes its content. */
export function testSnapshot(spec: SnapshotSpec): Snapshot {
  const type = (t: ResourceType): TypeSnapshot => {
    const entries = Object.entries(spec[t] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    const resources = new Map(entries.map(([name, body]) => [name, { typeUrl: RESOURCE_TYPE_URL[t], value: Buffer.from(`${name}=${body}`) }]));
    const version = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
    return { version, resources };
  };
  return {
    fleet: 'fleet-a',
    artifactVersion: 'a1',
    types: { secrets: type('secrets'), clusters: type('clusters'), endpoints: type('endpoints'), listeners: type('listeners'), routes: type('routes') },
  };
}
