// Server-to-client requests end to end through the real Envoy 1.40: a tool that asks the client
// for a sampling completion and for user input (elicitation) on a single-member virtual server.
// The client's JSON-RPC responses carry no method (Envoy's MCP filter labels them
// `__jsonrpc_response`); they must pass the gateway on the session that asked, and be audited.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDemoServer, type RunningDemoServer } from '../../demo/src/backends/mcp-http-server.ts';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, startTestStack, type TestStack } from '../harness/stack.ts';

/** A test-only server whose one tool asks the client, over the tool call's event stream, and returns the answer. */
function registerAssistant(server: McpServer): void {
  server.registerTool(
    'consult',
    { description: 'Asks the client a question.', inputSchema: { kind: z.enum(['sampling', 'elicitation']) } },
    async ({ kind }, extra) => {
      const options = { relatedRequestId: extra.requestId };
      const answer =
        kind === 'sampling'
          ? await server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Summarise T-1001' } }], maxTokens: 50 }, options)
          : await server.server.elicitInput(
              { message: 'Which team owns this?', requestedSchema: { type: 'object', properties: { team: { type: 'string' } }, required: ['team'] } },
              options,
            );
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    },
  );
}

const registry = (port: number) => ({
  'registry/mcp-servers/assistant.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: assistant
spec:
  description: Test server that asks its client for samples and input.
  owner: engineering
  upstream:
    url: http://127.0.0.1:${String(port)}/mcp
    timeout: 10s
  dataClassification: internal
  region: eu-west-1
  tools:
    - name: consult
      description: Asks the client a question.
      risk: low
      costPerCall: 0.001
`,
  'registry/virtual-servers/assistant.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: assistant
spec:
  description: The assistant alone (single member, so routed straight to it).
  members:
    - server: assistant
      tools: ["*"]
`,
  'registry/grants/assistant.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-assistant
spec:
  description: Support may consult the assistant.
  subjects: [team:support]
  access:
    - server: assistant
      tools: [consult]
`,
});

let assistant: RunningDemoServer;
let stack: TestStack;
let token: string;

beforeAll(async () => {
  assistant = await startDemoServer({ name: 'assistant', port: 0, register: registerAssistant });
  stack = await startTestStack({ files: registry(Number(new URL(assistant.url).port)) });
  token = (await stack.tokenFor('support', { sub: 'sam' }))!;
});
// `stack` and `assistant` are unset when beforeAll failed.
afterAll(async () => {
  await (stack as TestStack | undefined)?.dispose();
  await (assistant as RunningDemoServer | undefined)?.close();
});

/** An SDK client that declares sampling and elicitation and answers them: the elicitation with `elicit`. */
async function connect(elicit: ElicitResult): Promise<Client> {
  const client = new Client({ name: 'gatehouse-e2e', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: { form: {} } } });
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: 'assistant' as const, content: { type: 'text' as const, text: 'A refund is overdue.' }, model: 'test-model',
  }));
  client.setRequestHandler(ElicitRequestSchema, () => elicit);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.endpoint('assistant')), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

const consult = async (client: Client, kind: 'sampling' | 'elicitation') => {
  const result = await client.callTool({ name: 'consult', arguments: { kind } }, undefined, { timeout: 15_000 });
  return JSON.parse((result.content as { text: string }[])[0]!.text) as unknown;
};

/** The client responses the backend received (they reach it only if the gateway let them through). */
const responsesAtBackend = () => assistant.requests.filter((r) => {
  const body = r.body as Record<string, unknown> | undefined;
  return r.method === 'POST' && body !== undefined && !('method' in body) && ('result' in body || 'error' in body);
});

describe('client responses on a single-member virtual server', () => {
  it('sampling: the client answer reaches the server, which returns it', async () => {
    const client = await connect({ action: 'accept', content: { team: 'support' } });
    expect(await consult(client, 'sampling')).toMatchObject({ model: 'test-model', content: { text: 'A refund is overdue.' } });
    await client.close();
  });

  const elicitations: [string, ElicitResult][] = [
    ['accept', { action: 'accept', content: { team: 'support' } }],
    ['decline', { action: 'decline' }],
    ['cancel', { action: 'cancel' }],
  ];
  for (const [name, answer] of elicitations) {
    it(`elicitation (${name}): the client answer reaches the server, which returns it`, async () => {
      const client = await connect(answer);
      expect(await consult(client, 'elicitation')).toEqual(answer);
      await client.close();
    });
  }

  it('every response passed on the session that asked, and is audited as an allowed __jsonrpc_response', async () => {
    // Four clients, four sessions: each answer went on the session whose tools/call asked for it.
    const sessionOf = (r: RunningDemoServer['requests'][number]) => r.headers['mcp-session-id'];
    const callSessions = assistant.requests.filter((r) => (r.body as { method?: string } | undefined)?.method === 'tools/call').map(sessionOf);
    expect(responsesAtBackend().map(sessionOf)).toEqual(callSessions);
    expect(new Set(callSessions).size).toBe(4);
    const audited = () => requestRecords(stack.auditDir).filter((r) => r.virtual_server === 'assistant' && r.method === '__jsonrpc_response');
    await eventually(() => Promise.resolve(audited().length === 4), 10_000, 'four audited client responses');
    expect(audited().map((r) => ({ sub: r.subject.sub, decision: r.decision, status: r.http.status }))).toEqual(
      Array.from({ length: 4 }, () => ({ sub: 'sam', decision: 'allow', status: 202 })),
    );
    // The client's notifications (notifications/initialized) pass and are audited too.
    const notifications = requestRecords(stack.auditDir).filter((r) => r.virtual_server === 'assistant' && r.method === 'notifications/initialized');
    expect(notifications.map((r) => r.decision)).toEqual(['allow', 'allow', 'allow', 'allow']);
  });
});
