// CheckResponse bytes: protobuf-es writes them from the decision; they must say exactly what the
// decision's documented JSON form (checkResponseJson) says, and a decision the Envoy API cannot
// carry is refused rather than sent mangled.
import { fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { schemas } from '../proto/messages.ts';
import { encodeCheckResponse } from './check-response.ts';
import { checkResponseJson, controlPlaneDenial, type Decision } from './decision.ts';

const registry = envoyRegistry();
const fromDocumentedJson = (decision: Decision) =>
  Buffer.from(toBinary(schemas.checkResponse(), fromJson(schemas.checkResponse(), checkResponseJson(decision) as never, { registry })));
const decoded = (bytes: Uint8Array) => toJson(schemas.checkResponse(), fromBinary(schemas.checkResponse(), bytes), { registry });

const DECISIONS: Decision[] = [
  { allowed: true },
  {
    allowed: true,
    headers: {},
    http_status: 200,
    body: '',
    reasons: ['allowed by grant g'],
    dynamic_metadata: {
      decision: 'allow', reasons: ['a', 'b'], teams: [], subject: 'sam', n: 1.5, neg: -3, big: 1e300, t: true, f: false, nothing: null,
      nested: { '2': 'x', '1': ['y', { z: [] }], '': {} },
    },
  },
  { allowed: true, headers: { 'x-user': 'sam', 'x-many': ['a', 'b', ''], '': 'empty-name' }, request_headers_to_remove: ['authorization', ''] },
  { allowed: false },
  {
    allowed: false,
    http_status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer resource_metadata="http://x/.well-known"' },
    body: '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"ünïcødé ✓"}}',
    dynamic_metadata: { decision: 'deny', reasons: ['r'] },
  },
  { allowed: false, http_status: 429, body: '' },
  { allowed: false, http_status: 0 },
  controlPlaneDenial(503, -32000, 'the gateway has no policy loaded yet'),
  controlPlaneDenial(500, -32603, 'internal error', 7),
];

describe('encodeCheckResponse', () => {
  it('writes the same bytes as the decision\'s documented JSON form', () => {
    for (const decision of DECISIONS) expect(encodeCheckResponse(decision, registry).toString('hex')).toBe(fromDocumentedJson(decision).toString('hex'));
  });

  it('gives Envoy the denial\'s status, headers, body and metadata', () => {
    const denial = DECISIONS[4]!;
    expect(decoded(encodeCheckResponse(denial, registry))).toEqual({
      status: { code: 7 },
      deniedResponse: {
        status: { code: 'Unauthorized' },
        headers: [
          { header: { key: 'content-type', value: 'application/json' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
          { header: { key: 'www-authenticate', value: 'Bearer resource_metadata="http://x/.well-known"' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
        ],
        body: denial.body,
      },
      dynamicMetadata: { decision: 'deny', reasons: ['r'] },
    });
  });

  it('gives Envoy an allow as gRPC OK with the headers to add and remove', () => {
    expect(decoded(encodeCheckResponse({ allowed: true, headers: { 'x-user': 'sam' }, request_headers_to_remove: ['authorization'] }, registry))).toEqual({
      status: {},
      okResponse: { headers: [{ header: { key: 'x-user', value: 'sam' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }], headersToRemove: ['authorization'] },
    });
  });

  it('refuses, with the reason, a decision the Envoy API cannot carry (protobuf-es would send it mangled)', () => {
    const odd = (decision: Record<string, unknown>) => () => encodeCheckResponse(decision as unknown as Decision, registry);
    expect(odd({ allowed: false, body: { message: 'no' } })).toThrow('body is not a string');
    expect(odd({ allowed: false, http_status: 'teapot' })).toThrow('http_status teapot is not an HTTP status');
    expect(odd({ allowed: true, dynamic_metadata: { when: undefined } })).toThrow('dynamic_metadata.when is not a JSON value');
    expect(odd({ allowed: true, dynamic_metadata: { list: [1, 2n] } })).toThrow('dynamic_metadata.list[1] is not a JSON value');
    expect(odd({ allowed: true, request_headers_to_remove: 'authorization' })).toThrow('request_headers_to_remove is not a list');
  });
});
