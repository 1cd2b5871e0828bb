// Nonces shared by the streams that send the same response: equal across streams whatever their
// history, never repeated within one stream.
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPE_URL } from '../../../artifacts/src/type-urls.ts';
import { encodeDiscoveryResponse } from '../proto/discovery-response.ts';
import type { DiscoveryResponse } from '../proto/messages.ts';
import { StreamNonces } from './shared-nonces.ts';
import { AdsStream } from './stream.ts';
import { testSnapshot } from './test-snapshot.ts';

const S1 = testSnapshot({ endpoints: { a: 'e1', b: 'e1' } });
const S2 = testSnapshot({ endpoints: { a: 'e2', b: 'e2' } });

describe('StreamNonces', () => {
  it('gives every stream the same nonce for the same response, and another for another', () => {
    const [x, y] = [new StreamNonces(), new StreamNonces()];
    const n = x.next(S1, 'endpoints\nv1\na');
    expect(y.next(S1, 'endpoints\nv1\na')).toBe(n);
    expect(y.next(S1, 'endpoints\nv1\nb')).not.toBe(n);
    expect(y.next(S2, 'endpoints\nv1\na')).not.toBe(n);
  });

  it('never gives one stream the same nonce twice', () => {
    const x = new StreamNonces();
    const given = [x.next(S1, 'k'), x.next(S1, 'other'), x.next(S1, 'k')]; // names changed and changed back
    given.push(x.next(S2, 'k'), x.next(S1, 'k')); // back to a snapshot it had left
    expect(new Set(given).size).toBe(given.length);
    // Another stream still shares the first response's nonce.
    expect(new StreamNonces().next(S1, 'k')).toBe(given[0]);
  });
});

describe('state-of-the-world streams with different histories', () => {
  /** A stream whose node subscribes to endpoints by each list of names in turn, ACKing each response; returns the last response. */
  function subscribeInTurn(...lists: string[][]): DiscoveryResponse {
    const stream = new AdsStream(() => S1, () => undefined, 'cp');
    let last: DiscoveryResponse | undefined;
    for (const names of lists) {
      const sent = stream.onRequest({
        versionInfo: last?.versionInfo ?? '',
        resourceNames: names,
        typeUrl: RESOURCE_TYPE_URL.endpoints,
        responseNonce: last?.nonce ?? '',
        node: { id: 'n', cluster: 'fleet-a' },
      });
      expect(sent).toHaveLength(1);
      last = sent[0];
    }
    return last!;
  }

  it('send the same response with the same nonce, so it is encoded once', () => {
    const late = subscribeInTurn(['a'], ['a', 'b']);
    const direct = subscribeInTurn(['a', 'b']);
    expect(direct.nonce).toBe(late.nonce);
    expect(encodeDiscoveryResponse(direct)).toBe(encodeDiscoveryResponse(late));
  });
});
