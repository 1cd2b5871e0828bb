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

  it('carries the session GET that has no JSON-RPC method', () => {
    const attrs = attributes({ body: '', mcp: {} });
    (attrs.request.http as Record<string, unknown>).method = 'GET';
    const input = buildPolicyInput(attrs);
    expect(input.mcp).toEqual({ virtual_server: 'helpdesk', gateway: 'local' });
    expect(input.parsed_body).toBeNull();
  });
});
