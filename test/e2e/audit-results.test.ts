// The whole call in the audit (issue 15), end to end through the real Envoy with MCP SDK clients:
// the record names the client-facing virtual server and path the same way whatever the outcome
// (Envoy logs an allowed call's path after the router rewrote it to the upstream's); the request id
// the gateway assigned comes back in the response (x-request-id) and the client's trace context
// names the record's trace, so an LLM call and the tool calls it caused can be joined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => (stack as TestStack | undefined)?.dispose());

type AuditRecord = ReturnType<typeof requestRecords>[number];

async function recordOf(match: (r: AuditRecord) => boolean, what: string): Promise<AuditRecord> {
  let found: AuditRecord | undefined;
  await eventually(async () => Promise.resolve((found = requestRecords(stack.auditDir).find(match)) !== undefined), 15_000, what);
  if (!found) throw new Error(what);
  return found;
}

describe('audit records of tools/call', () => {
  it('name the same virtual server and path for an allowed and a denied call on a single-member virtual server', async () => {
    const audience = stack.endpoint('knowledge');
    const engineer = await stack.connect('knowledge', await stack.backends.idp.mint({ sub: 'erin', groups: ['engineers'], audience }));
    const outsider = await stack.connect('knowledge', await stack.backends.idp.mint({ sub: 'olive', audience }));
    try {
      await engineer.callTool({ name: 'get_page', arguments: { slug: 'audit' } });
      await expect(outsider.callTool({ name: 'get_page', arguments: { slug: 'audit' } })).rejects.toThrow();
    } finally {
      await Promise.all([engineer.close(), outsider.close()]);
    }
    const allowed = await recordOf((r) => r.public_tool === 'get_page' && r.subject.sub === 'erin', 'the allowed call\'s record');
    const denied = await recordOf((r) => r.public_tool === 'get_page' && r.subject.sub === 'olive', 'the denied call\'s record');
    expect(allowed).toMatchObject({ decision: 'allow', virtual_server: 'knowledge', http: { path: '/mcp/knowledge', status: 200 } });
    expect(denied).toMatchObject({ decision: 'deny', virtual_server: 'knowledge', http: { path: '/mcp/knowledge' } });
  }, 60_000);

  it('carry the request id the response gave the client and the trace id of the client\'s traceparent', async () => {
    const token = await stack.backends.idp.mint({ sub: 'erin', groups: ['engineers'], audience: stack.endpoint('knowledge') });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'correlation' } } });
    const headers = { authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-06-18', traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    const response = await postMcp(stack.endpoint('knowledge'), body, headers);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const record = await recordOf((r) => r.request_id === requestId, 'the record of the call, by the response\'s request id');
    expect(record).toMatchObject({ public_tool: 'search_docs', trace_id: traceId, virtual_server: 'knowledge' });
  }, 60_000);
});
