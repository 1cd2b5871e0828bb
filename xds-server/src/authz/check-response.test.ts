// The hand encoder of CheckResponse writes exactly what protobuf-es writes from checkResponseJson.
import { fromJson, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { schemas } from '../proto/messages.ts';
import { encodeCheckResponse } from './check-response.ts';
import { checkResponseJson, controlPlaneDenial, type Decision } from './decision.ts';

const reference = (decision: Decision) => Buffer.from(toBinary(schemas.checkResponse(), fromJson(schemas.checkResponse(), checkResponseJson(decision) as never, { registry: envoyRegistry() })));

const DECISIONS: Decision[] = [
  { allowed: true },
  { allowed: true, headers: {}, http_status: 200, body: '', reasons: ['allowed by grant g'], dynamic_metadata: { decision: 'allow', reasons: ['a', 'b'], teams: [], subject: 'sam', n: 1.5, neg: -3, big: 1e300, t: true, f: false, nothing: null, nested: { '2': 'x', '1': ['y', { z: [] }], '': {} } } },
  { allowed: true, headers: { 'x-user': 'sam', 'x-many': ['a', 'b', ''], '': 'empty-name' }, request_headers_to_remove: ['authorization', ''] },
  { allowed: false },
  { allowed: false, http_status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer resource_metadata="http://x/.well-known"' }, body: '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"ünïcødé ✓"}}', dynamic_metadata: { decision: 'deny', reasons: ['r'] } },
  { allowed: false, http_status: 429, body: '' },
  { allowed: false, http_status: 0 },
  controlPlaneDenial(503, -32000, 'the gateway has no policy loaded yet'),
  controlPlaneDenial(500, -32603, 'internal error', 7),
];

describe('encodeCheckResponse', () => {
  it('matches protobuf-es byte for byte', () => {
    for (const decision of DECISIONS) expect(encodeCheckResponse(decision, envoyRegistry()).toString('hex')).toBe(reference(decision).toString('hex'));
  });

  it('falls back to protobuf-es for values it does not expect', () => {
    const odd = { allowed: true, headers: { a: 1 as unknown as string }, dynamic_metadata: { n: 2 ** 40, when: undefined } } as unknown as Decision;
    let expected: string | undefined;
    try {
      expected = reference(odd).toString('hex');
    } catch {
      expected = undefined;
    }
    if (expected === undefined) expect(() => encodeCheckResponse(odd, envoyRegistry())).toThrow();
    else expect(encodeCheckResponse(odd, envoyRegistry()).toString('hex')).toBe(expected);
  });
});
