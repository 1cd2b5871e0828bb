// The whole call in the audit (issue 15), end to end through the real Envoy with MCP SDK clients:
// the record names the client-facing virtual server and path the same way whatever the outcome
// (Envoy logs an allowed call's path after the router rewrote it to the upstream's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

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
});
