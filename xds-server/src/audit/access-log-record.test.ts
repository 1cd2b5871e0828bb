import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../accesslog/access-log-service.ts';
import { auditRecordOf, gatewayOf } from './access-log-record.ts';

// A tools/call entry as Envoy 1.40 sent it over gRPC (protobuf JSON), trimmed.
const entry = JSON.parse(readFileSync(new URL('./testdata/tools-call-entry.json', import.meta.url), 'utf8')) as AccessLogEntry;
/** The parts of an entry (protobuf JSON) the tests change. */
interface EntryJson {
  commonProperties: { routeName?: string; customTags?: Record<string, string>; metadata: { filterMetadata: Record<string, Record<string, unknown>> } };
  request: { path?: string; requestHeaders: Record<string, string> };
  response?: Record<string, unknown>;
}
const edit = (change: (e: EntryJson) => void): AccessLogEntry => {
  const copy = structuredClone(entry);
  change(copy.entry as unknown as EntryJson);
  return copy;
};

describe('auditRecordOf', () => {
  it('reads a tools/call entry: MCP, JWT and ext_authz metadata, timing, bytes, trace id', () => {
    expect(auditRecordOf(entry)).toEqual({
      type: 'request',
      time: '2026-11-26T15:37:06.136305Z',
      request_id: '3370f74b-5f73-934e-9975-73453fba811d',
      trace_id: 'e2cb6e76e13e187a41b61ab38c675b53',
      gateway: 'local',
      node: 'gatehouse-demo-default',
      subject: { sub: 'support-member', email: 'support-member@example.com' },
      team: 'support',
      teams: ['support'],
      virtual_server: 'helpdesk',
      server: 'tickets',
      tool: 'get_ticket',
      public_tool: 'tickets__get_ticket',
      method: 'tools/call',
      jsonrpc_id: 1,
      arguments: { digest: 'sha256:f6c93c9f253da2a84b9be9cb721b565ac947301f02d355b016c67199b18b79ed', mode: 'redacted', value: { id: 'T-1001' } },
      http: { method: 'POST', path: '/mcp/helpdesk', status: 200, details: 'via_upstream' },
      jsonrpc_error: null,
      latency_ms: 25.901,
      bytes: { received: 1522, sent: 680 },
      decision: 'allow',
      reasons: ['allowed by grant support-helpdesk'],
      cost: 0.0002,
      cost_center: 'CC-2200',
      policy_version: 'ca81b10de5769014',
    });
  });

  it('falls back to the traceparent header, then to the MCP _meta, for the trace id', () => {
    const untraced = edit((e) => delete e.commonProperties.customTags);
    expect(auditRecordOf(untraced).trace_id).toBe('e2cb6e76e13e187a41b61ab38c675b53');
    const metaOnly = edit((e) => {
      delete e.commonProperties.customTags;
      delete e.request.requestHeaders.traceparent;
    });
    expect(auditRecordOf(metaOnly).trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('a request Envoy refused before the policy: rejected, with the local reply error', () => {
    const rejected = edit((e) => {
      delete e.commonProperties.metadata.filterMetadata['envoy.filters.http.ext_authz'];
      delete e.commonProperties.metadata.filterMetadata['envoy.filters.http.jwt_authn'];
      e.response = { responseCode: 401, responseCodeDetails: 'jwt_authn_access_denied{Jwt_is_missing}' };
    });
    expect(auditRecordOf(rejected)).toMatchObject({
      decision: 'rejected',
      subject: { sub: null, email: null },
      team: null,
      virtual_server: 'helpdesk',
      jsonrpc_error: { code: -32001, message: 'jwt_authn_access_denied{Jwt_is_missing}' },
      reasons: ['jwt_authn_access_denied{Jwt_is_missing}'],
      cost: 0,
    });
  });

  it('a denial carries the JSON-RPC error the policy sent', () => {
    const denied = edit((e) => {
      Object.assign(e.commonProperties.metadata.filterMetadata['envoy.filters.http.ext_authz']!, {
        decision: 'deny',
        cost: 0,
        error: { code: -32003, message: 'team support has no grant for tickets/delete_ticket' },
      });
      e.response = { responseCode: 403, responseCodeDetails: 'ext_authz_denied' };
    });
    expect(auditRecordOf(denied)).toMatchObject({ decision: 'deny', jsonrpc_error: { code: -32003 }, http: { status: 403 } });
  });

  it('names the client-facing virtual server and path for every outcome, though Envoy logs the rewritten path of a routed call', () => {
    // A single-member virtual server's route rewrites /mcp/<name> to the upstream's path before the access log reads it.
    const allowed = edit((e) => {
      e.commonProperties.routeName = 'knowledge-tools-call';
      e.request.path = '/mcp';
      delete e.commonProperties.metadata.filterMetadata['envoy.filters.http.ext_authz']!.virtual_server;
    });
    const denied = edit((e) => {
      e.commonProperties.routeName = 'knowledge-tools-call';
      e.request.path = '/mcp/knowledge';
      Object.assign(e.commonProperties.metadata.filterMetadata['envoy.filters.http.ext_authz']!, { decision: 'deny', virtual_server: 'knowledge' });
      e.response = { responseCode: 403, responseCodeDetails: 'ext_authz_denied' };
    });
    const rejected = edit((e) => {
      e.commonProperties.routeName = 'knowledge-mcp';
      e.request.path = '/mcp/knowledge?x=1';
      delete e.commonProperties.metadata.filterMetadata['envoy.filters.http.ext_authz'];
      e.response = { responseCode: 401, responseCodeDetails: 'jwt_authn_access_denied{Jwt_is_missing}' };
    });
    for (const record of [allowed, denied].map(auditRecordOf)) expect(record).toMatchObject({ virtual_server: 'knowledge', http: { path: '/mcp/knowledge' } });
    expect(auditRecordOf(rejected)).toMatchObject({ virtual_server: 'knowledge', http: { path: '/mcp/knowledge?x=1' } });
  });

  it('records how the call ended and what the audit keeps of its result, joined by the result processor\'s metadata', () => {
    const result = { mode: 'payload', digest: 'sha256:ab', bytes: 40, value: '{"content":[', truncated: true };
    const kept = edit((e) => (e.commonProperties.metadata.filterMetadata['gatehouse.results'] = { outcome: 'tool_error', result }));
    expect(auditRecordOf(kept)).toMatchObject({ outcome: 'tool_error', result, jsonrpc_error: null });
    const inBand = edit((e) => (e.commonProperties.metadata.filterMetadata['gatehouse.results'] = {
      outcome: 'jsonrpc_error', error: { code: -32602, message: 'Unknown tool' },
    }));
    expect(auditRecordOf(inBand)).toMatchObject({ outcome: 'jsonrpc_error', jsonrpc_error: { code: -32602, message: 'Unknown tool' }, http: { status: 200 } });
    expect(auditRecordOf(inBand)).not.toHaveProperty('result');
    // An older entry (no such metadata) gives a record without the new fields: older audit files verify as before.
    expect(auditRecordOf(entry)).not.toHaveProperty('outcome');
  });

  it('names the gateway from the log name', () => {
    expect(gatewayOf('gatehouse/edge-eu')).toBe('edge-eu');
    expect(gatewayOf('something else')).toBe('unknown');
  });
});
