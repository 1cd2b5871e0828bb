import { describe, expect, it } from 'vitest';
import { buildPolicyInput, MalformedRequest } from './check-input.ts';

/** CheckRequest attributes in protobuf JSON form, as Envoy sends them for a tools/call. */
function attributes(overrides: { body?: string; headers?: Record<string, string>; mcp?: Record<string, unknown>; claims?: Record<string, unknown> } = {}) {
  const body = overrides.body ?? '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"tickets__get_ticket","arguments":{"id":"T-1"}}}';
  return {
    request: {
      http: {
        method: 'POST',
        path: '/mcp/helpdesk?trace=on&trace=twice',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...overrides.headers },
        body,
      },
    },
    contextExtensions: { virtual_server: 'helpdesk', gateway: 'local' },
    metadataContext: {
      filterMetadata: {
        'envoy.filters.http.mcp': overrides.mcp ?? { method: 'tools/call', id: 7, params: { name: 'tickets__get_ticket' } },
        'envoy.filters.http.jwt_authn': { jwt_payload: overrides.claims ?? { iss: 'https://idp', sub: 'alice', groups: ['support'] } },
      },
    },
  };
}

describe('buildPolicyInput', () => {
  it('keeps the OPA-Envoy input and adds mcp and jwt', () => {
    const input = buildPolicyInput(attributes());
    expect(input.version).toEqual({ ext_authz: 'v3', encoding: 'protojson' });
    expect(input.parsed_path).toEqual(['mcp', 'helpdesk']);
    expect(input.parsed_query).toEqual({ trace: ['on', 'twice'] });
    expect(input.truncated_body).toBe(false);
    expect(input.mcp).toEqual({
      virtual_server: 'helpdesk', gateway: 'local', method: 'tools/call', id: 7, name: 'tickets__get_ticket', arguments: { id: 'T-1' },
    });
    expect(input.jwt).toEqual({ claims: { iss: 'https://idp', sub: 'alice', groups: ['support'] } });
  });

  it('has no jwt field without a verified token', () => {
    const attrs = attributes();
    delete (attrs.metadataContext.filterMetadata as Record<string, unknown>)['envoy.filters.http.jwt_authn'];
    expect(buildPolicyInput(attrs).jwt).toBeUndefined();
  });

  it('marks a body Envoy cut short as truncated, and leaves its arguments out', () => {
    const input = buildPolicyInput(attributes({ headers: { 'content-length': '100000' } }));
    expect(input.truncated_body).toBe(true);
    expect(input.parsed_body).toBeNull();
    expect(input.mcp.arguments).toBeUndefined();
  });

  it('refuses a body whose method differs from the one Envoy parsed', () => {
    expect(() => buildPolicyInput(attributes({ mcp: { method: 'tools/list' } }))).toThrow(MalformedRequest);
  });

  describe("a client's JSON-RPC response, which Envoy labels __jsonrpc_response", () => {
    const response = (body: unknown) => attributes({ body: JSON.stringify(body), mcp: { method: '__jsonrpc_response', id: 3 } });

    it('is accepted with that method and its id (an answer to sampling or elicitation)', () => {
      const input = buildPolicyInput(response({ jsonrpc: '2.0', id: 3, result: { action: 'accept', content: { team: 'support' } } }));
      expect(input.mcp).toEqual({ virtual_server: 'helpdesk', gateway: 'local', method: '__jsonrpc_response', id: 3 });
    });

    it('is accepted when it carries an error', () => {
      expect(buildPolicyInput(response({ jsonrpc: '2.0', id: 3, error: { code: -1, message: 'user refused' } })).mcp.method).toBe('__jsonrpc_response');
    });

    it('is refused when it also names a method', () => {
      expect(() => buildPolicyInput(response({ jsonrpc: '2.0', id: 3, method: 'tools/call', result: {} }))).toThrow(MalformedRequest);
      expect(() => buildPolicyInput(response({ jsonrpc: '2.0', id: 3, method: '__jsonrpc_response', result: {} }))).toThrow(MalformedRequest);
    });

    it('is refused without an id, or with both or neither of result and error', () => {
      expect(() => buildPolicyInput(response({ jsonrpc: '2.0', result: {} }))).toThrow(MalformedRequest);
      expect(() => buildPolicyInput(response({ jsonrpc: '2.0', id: 3, result: {}, error: { code: -1, message: 'x' } }))).toThrow(MalformedRequest);
      expect(() => buildPolicyInput(response({ jsonrpc: '2.0', id: 3 }))).toThrow(MalformedRequest);
    });

    it('is refused as a batch', () => {
      expect(() => buildPolicyInput(response([{ jsonrpc: '2.0', id: 3, result: {} }]))).toThrow(MalformedRequest);
    });

    it('does not stand in for a request whose method Envoy parsed', () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 3, result: {} });
      expect(() => buildPolicyInput(attributes({ body, mcp: { method: 'tools/call', id: 3 } }))).toThrow(MalformedRequest);
    });
  });

  it('accepts a client notification whose method matches the one Envoy parsed', () => {
    const body = '{"jsonrpc":"2.0","method":"notifications/initialized"}';
    expect(buildPolicyInput(attributes({ body, mcp: { method: 'notifications/initialized' } })).mcp.method).toBe('notifications/initialized');
    expect(() => buildPolicyInput(attributes({ body, mcp: { method: 'notifications/cancelled' } }))).toThrow(MalformedRequest);
  });

  it('carries the session GET that has no JSON-RPC method', () => {
    const attrs = attributes({ body: '', mcp: {} });
    (attrs.request.http as Record<string, unknown>).method = 'GET';
    const input = buildPolicyInput(attrs);
    expect(input.mcp).toEqual({ virtual_server: 'helpdesk', gateway: 'local' });
    expect(input.parsed_body).toBeNull();
  });
});
