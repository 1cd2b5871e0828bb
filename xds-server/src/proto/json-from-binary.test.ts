// jsonFromBinary must give exactly what protobuf-es gives (toJson of fromBinary), including errors.
import { create, fromBinary, fromJson, toBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { envoyMessage, envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { jsonFromBinary } from './json-from-binary.ts';

const registry = () => envoyRegistry();
const reference = (schema: DescMessage, bytes: Uint8Array) => toJson(schema, fromBinary(schema, bytes), { registry: registry() });
const encode = (schema: DescMessage, json: unknown) => toBinary(schema, fromJson(schema, json as never, { registry: registry() }));

/** What Envoy 1.40 sends for an MCP tools/call through jwt_authn and the MCP filter. */
const CHECK_REQUEST = {
  attributes: {
    source: { address: { socketAddress: { address: '127.0.0.1', portValue: 51234 } } },
    destination: { address: { socketAddress: { address: '127.0.0.1', portValue: 10000 } } },
    request: {
      time: '2026-11-26T15:31:09.005123Z',
      http: {
        id: '13271641958306712563',
        method: 'POST',
        headers: {
          ':authority': '127.0.0.1:10000',
          ':method': 'POST',
          ':path': '/mcp/knowledge',
          ':scheme': 'http',
          accept: 'application/json, text/event-stream',
          'content-length': '118',
          'content-type': 'application/json',
          'mcp-session-id': '5d6f0c43-6b1a-4ad6-9b53-3b1e1f1d7a10',
          'x-forwarded-proto': 'http',
          'x-request-id': 'b3f1c5a2-2c4e-4d0a-9e3b-1f6a7c8d9e0f',
        },
        path: '/mcp/knowledge?x=1&y=%20z',
        host: '127.0.0.1:10000',
        scheme: 'http',
        size: '118',
        protocol: 'HTTP/1.1',
        body: '{"jsonrpc":"2.0","id":1001,"method":"tools/call","params":{"name":"search_docs","arguments":{"query":"refund ünïcødé ✓"}}}',
      },
    },
    contextExtensions: { gateway: 'local', virtual_server: 'knowledge' },
    metadataContext: {
      filterMetadata: {
        'envoy.filters.http.mcp': { method: 'tools/call', id: 1001, jsonrpc: '2.0', params: { name: 'search_docs', arguments: { query: 'refund' } } },
        'envoy.filters.http.jwt_authn': {
          jwt_payload: { iss: 'http://127.0.0.1:7100', sub: 'support-member', aud: ['http://127.0.0.1:10000/mcp/knowledge'], groups: ['support-agents'], exp: 1890000000, iat: 1.5, admin: false, nothing: null, nested: { a: [1, 'b', { c: true }, []], '': {} } },
        },
      },
    },
    routeMetadataContext: { filterMetadata: { gatehouse: { route: 'knowledge' } } },
    tlsSession: { sni: 'mcp.example.com' },
  },
};

describe('jsonFromBinary', () => {
  it('reads a CheckRequest exactly as toJson(fromBinary()) does', () => {
    const schema = envoyMessage('envoy.service.auth.v3.CheckRequest');
    const bytes = encode(schema, CHECK_REQUEST);
    const fast = jsonFromBinary(schema, bytes, registry());
    expect(fast).toEqual(reference(schema, bytes));
    // Same keys in the same order, so the policy input is the same JSON text.
    expect(JSON.stringify(fast)).toBe(JSON.stringify(reference(schema, bytes)));
  });

  it('matches on DiscoveryRequests and access-log messages (enums, repeated fields, nested messages, Structs)', () => {
    const discovery = envoyMessage('envoy.service.discovery.v3.DiscoveryRequest');
    const request = {
      versionInfo: 'abc',
      node: {
        id: 'n1',
        cluster: 'default',
        metadata: { a: 1, b: [true, null] },
        userAgentName: 'envoy',
        userAgentBuildVersion: { version: { majorNumber: 1, minorNumber: 40 } },
        locality: { region: 'eu' },
      },
      resourceNames: ['x', 'y', ''],
      typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
      responseNonce: '7',
      errorDetail: { code: 3, message: 'bad' },
    };
    const bytes = encode(discovery, request);
    expect(JSON.stringify(jsonFromBinary(discovery, bytes))).toBe(JSON.stringify(reference(discovery, bytes)));
    const logs = envoyMessage('envoy.service.accesslog.v3.StreamAccessLogsMessage');
    const entry = {
      identifier: { node: { id: 'n1' }, logName: 'gatehouse/local' },
      httpLogs: {
        logEntry: [
          {
            commonProperties: {
              startTime: '2026-11-26T15:31:09Z',
              timeToLastRxByte: '0.000120s',
              downstreamRemoteAddress: { socketAddress: { address: '127.0.0.1', portValue: 5 } },
              metadata: { filterMetadata: { m: { k: 'v' } } },
              responseFlags: { noHealthyUpstream: true },
            },
            protocolVersion: 'HTTP11',
            request: { requestMethod: 'POST', path: '/mcp/x', requestHeadersBytes: '120', requestHeaders: { a: 'b' } },
            response: { responseCode: 200, responseBodyBytes: '9007199254740993' },
          },
          { protocolVersion: 'HTTP2', request: { requestMethod: 'GET' }, response: { responseCode: 0 } },
        ],
      },
    };
    const logBytes = encode(logs, entry);
    expect(JSON.stringify(jsonFromBinary(logs, logBytes))).toBe(JSON.stringify(reference(logs, logBytes)));
  });

  it('leaves zero values of implicit fields out and keeps set oneof members, as toJson does', () => {
    const schema = envoyMessage('envoy.service.auth.v3.CheckRequest');
    const message = create(schema as never, { attributes: { request: { http: { method: '', size: 0n, body: '' } } } } as never);
    const bytes = toBinary(schema, message);
    expect(jsonFromBinary(schema, bytes)).toEqual(reference(schema, bytes));
    // Explicitly encoded zeros (field 1 of HttpRequest: id = "") are still left out.
    const status = envoyMessage('google.rpc.Status');
    const zeros = new Uint8Array([0x08, 0x00, 0x12, 0x00]);
    expect(jsonFromBinary(status, zeros)).toEqual(reference(status, zeros));
  });

  it('ignores unknown fields and handles negative and 64-bit numbers, and __proto__ keys', () => {
    const schema = envoyMessage('envoy.service.auth.v3.CheckRequest');
    const bytes = encode(schema, {
      attributes: {
        request: { http: { size: '-9223372036854775808', headers: JSON.parse('{"__proto__":"x","123":"n","b":""}') as unknown } },
        metadataContext: { filterMetadata: { f: JSON.parse('{"__proto__":1,"n":-0.5,"big":1e300}') as unknown } },
      },
    });
    const unknown = new Uint8Array([...bytes, 0xf8, 0x3e, 0x01, 0xfa, 0x3e, 0x02, 0x68, 0x69]); // fields 999 (varint) and 999 (bytes)
    const fast = jsonFromBinary(schema, unknown);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(reference(schema, unknown)));
    expect(Object.keys((fast as { attributes: { request: { http: { headers: object } } } }).attributes.request.http.headers)).toContain('__proto__');
  });

  it('falls back to protobuf-es for what it does not handle, with the same result or error', () => {
    const schema = envoyMessage('envoy.service.auth.v3.CheckRequest');
    // A Value without a kind: protobuf-es refuses it, and so must this.
    const struct = envoyMessage('google.protobuf.Struct');
    const emptyValue = new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0x6b]); // fields { "k": <no value> }
    expect(() => jsonFromBinary(struct, emptyValue)).toThrow();
    expect(() => reference(struct, emptyValue)).toThrow();
    // A singular message sent twice is merged.
    const once = encode(schema, { attributes: { request: { http: { method: 'GET' } } } });
    const twice = new Uint8Array([...once, ...encode(schema, { attributes: { request: { http: { path: '/p' } } } })]);
    expect(jsonFromBinary(schema, twice)).toEqual(reference(schema, twice));
    expect(jsonFromBinary(schema, twice)).toMatchObject({ attributes: { request: { http: { method: 'GET', path: '/p' } } } });
    // Truncated input fails like protobuf-es does.
    expect(() => jsonFromBinary(schema, once.subarray(0, once.length - 1))).toThrow();
  });

  it('agrees with protobuf-es on random mutations of a CheckRequest', () => {
    const schema = envoyMessage('envoy.service.auth.v3.CheckRequest');
    const bytes = encode(schema, CHECK_REQUEST);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 3000; i++) {
      const mutated = Uint8Array.from(bytes);
      for (let k = 0; k < 3; k++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      let expected: unknown;
      let expectedError = false;
      try {
        expected = JSON.stringify(reference(schema, mutated));
      } catch {
        expectedError = true;
      }
      if (expectedError) expect(() => jsonFromBinary(schema, mutated)).toThrow();
      else expect(JSON.stringify(jsonFromBinary(schema, mutated, registry()))).toBe(expected);
    }
  });
});
