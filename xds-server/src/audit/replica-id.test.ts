import { describe, expect, it } from 'vitest';
import { isReplicaId, replicaIdOfHost } from './replica-id.ts';

describe('replica ids', () => {
  it('takes a replica id from a host name: its first label, lower-cased, other characters made hyphens', () => {
    expect(replicaIdOfHost('gatehouse-7d9f8-x2k4q')).toBe('gatehouse-7d9f8-x2k4q');
    expect(replicaIdOfHost('CP_One.example.com')).toBe('cp-one');
    expect(replicaIdOfHost('-.')).toBe('replica');
    for (const host of ['gatehouse-7d9f8-x2k4q', 'CP_One.example.com', '-.', 'x'.repeat(80)]) expect(isReplicaId(replicaIdOfHost(host))).toBe(true);
  });

  it('refuses ids that would not make a stream name of one file-name segment', () => {
    for (const id of ['', 'A', 'cp.a', 'cp/a', '-cp', 'cp-']) expect(isReplicaId(id)).toBe(false);
  });
});
