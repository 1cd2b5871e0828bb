// The whole call in the audit (issue 15), end to end through the real Envoy with MCP SDK clients:
// the record names the client-facing virtual server and path the same way whatever the outcome
// (Envoy logs an allowed call's path after the router rewrote it to the upstream's); the request id
// the gateway assigned comes back in the response (x-request-id) and the client's trace context
// names the record's trace, so an LLM call and the tool calls it caused can be joined. Per tool, the
// record keeps what the registry's `audit.results` says of the result (a digest, or the redacted
// payload up to its cap, cut and marked beyond), from a plain JSON answer, an event stream, an
// aggregated virtual server and a guarded one; a JSON-RPC error inside a 200 and an `isError`
// result are recorded as errors whatever the tool keeps. The files still verify.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type RunningDemoServer } from '../../demo/src/backends/mcp-http-server.ts';
import { verifyAuditPath } from '../../audit/src/verify-path.ts';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { freePorts } from '../../testkit/ports.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

/** A result whose structured content holds an address the audit must not keep. */
const TICKET = { content: [{ type: 'text', text: 'Ticket T-7: printer on fire' }], structuredContent: { id: 'T-7', email: 'ann@example.com' } };
/** A result far beyond a 256-byte cap. */
const LOG = { content: [{ type: 'text', text: 'line of log\n'.repeat(100) }] };
const CARD = '4111 1111 1111 1111';

/** What the JSON lab server answers to a tools/call: a result, or (broken_tool) a JSON-RPC error inside a 200. */
function answer(name: string): { result: unknown } | { error: unknown } {
  if (name === 'get_ticket') return { result: TICKET };
  if (name === 'get_log') return { result: LOG };
  if (name === 'get_digest') return { result: { content: [{ type: 'text', text: 'digest me' }] } };
  if (name === 'fail_tool') return { result: { content: [{ type: 'text', text: 'the tool failed: disk full' }], isError: true } };
  if (name === 'broken_tool') return { error: { code: -32603, message: 'database unavailable' } };
  if (name === 'get_card') return { result: { content: [{ type: 'text', text: `Card ${CARD} is on file.` }] } };
  return { result: { content: [{ type: 'text', text: 'plain' }] } };
}

/** A minimal streamable-HTTP MCP server answering application/json. */
async function handleJson(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  type Request = { id?: number | string; method?: string; params?: { protocolVersion?: string; name?: string } };
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Request;
  const reply = (payload: object) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, ...payload }));
  if (body.method === 'initialize') {
    reply({ result: { protocolVersion: body.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'rec-json', version: '1.0.0' } } });
  } else if (body.id === undefined) {
    res.writeHead(202).end();
  } else if (body.method === 'tools/call') {
    reply(answer(body.params?.name ?? ''));
  } else {
    reply({ result: {} });
  }
}

const yaml = (lines: string[]) => [...lines, ''].join('\n');
const header = (kind: string, name: string) => ['apiVersion: gatehouse.dev/v1alpha1', `kind: ${kind}`, 'metadata:', `  name: ${name}`, 'spec:'];

function registryFiles(ports: { json: number; sse: number }): Record<string, string> {
  const server = (name: string, port: number, tools: string[]) =>
    yaml([
      ...header('McpServer', name), `  description: The ${name} lab server.`, '  owner: engineering', '  upstream:', `    url: http://127.0.0.1:${String(port)}/mcp`,
      '  dataClassification: internal', '  region: eu-west-1', '  tools:', ...tools,
    ]);
  const jsonTools = [
    '    - { name: get_ticket, description: A ticket., risk: low, audit: { results: payload, resultBytes: 256, redact: [structuredContent.email] } }',
    '    - { name: get_log, description: A long log., risk: low, audit: { results: payload, resultBytes: 256 } }',
    '    - { name: get_digest, description: Kept as a digest., risk: low, audit: { results: digest } }',
    '    - { name: fail_tool, description: Fails inside its result., risk: low }',
    '    - { name: broken_tool, description: Answers a JSON-RPC error., risk: low, audit: { results: digest } }',
    '    - { name: plain_tool, description: Keeps nothing., risk: low }',
  ];
  const virtualServer = (name: string, members: string[]) =>
    yaml([
      ...header('VirtualServer', name), `  description: The ${name} endpoint.`, '  members:',
      ...members.flatMap((m) => [`    - server: ${m}`, '      tools: ["*"]']),
    ]);
  return {
    'registry/mcp-servers/rec-json.yaml': server('rec-json', ports.json, jsonTools),
    'registry/mcp-servers/rec-sse.yaml': server('rec-sse', ports.sse, [
      '    - { name: stream_ticket, description: Streams progress then a ticket., risk: low, audit: { results: payload, redact: [structuredContent.email] } }',
    ]),
    'registry/mcp-servers/rec-guard.yaml': server('rec-guard', ports.json, [
      '    - { name: get_card, description: A card on file., risk: low, audit: { results: payload } }',
    ]),
    'registry/virtual-servers/rec-json.yaml': virtualServer('rec-json', ['rec-json']),
    'registry/virtual-servers/rec-sse.yaml': virtualServer('rec-sse', ['rec-sse']),
    'registry/virtual-servers/rec-guard.yaml': virtualServer('rec-guard', ['rec-guard']),
    'registry/virtual-servers/rec-both.yaml': virtualServer('rec-both', ['rec-json', 'rec-sse']),
    'registry/grants/rec.yaml': yaml([
      ...header('Grant', 'support-rec'), '  description: Support may use the recording lab.', '  subjects: [team:support]', '  access:',
      ...['rec-json', 'rec-sse', 'rec-guard'].flatMap((s) => [`    - server: ${s}`, '      tools: ["*"]']), '  capabilities: [call-tools]',
    ]),
    'registry/guardrails/rec.yaml': yaml([
      ...header('Guardrail', 'rec'), '  description: Cards are redacted from results.', '  appliesTo:', '    tools:',
      '      - { server: rec-guard, tools: [get_card] }',
      '  detectors:', '    - { type: payment-card, action: redact, in: results }',
    ]),
  };
}

let stack: TestStack;
let json: Server;
let sse: RunningDemoServer;
let token = '';

beforeAll(async () => {
  const [jsonPort, ssePort] = await freePorts(2);
  json = createServer((req, res) => void handleJson(req, res).catch(() => res.destroy()));
  json.listen(jsonPort, '127.0.0.1');
  await once(json, 'listening');
  sse = await startDemoServer({
    name: 'rec-sse',
    port: ssePort!,
    register: (server) => {
      server.registerTool('stream_ticket', { inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
        const progressToken = extra._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (progressToken === undefined) continue;
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
        }
        return TICKET as never;
      });
    },
  });
  stack = await startTestStack({ files: registryFiles({ json: jsonPort!, sse: ssePort! }) });
  token = (await stack.tokenFor('support'))!;
}, 120_000);

afterAll(async () => {
  await (stack as TestStack | undefined)?.dispose();
  await (sse as RunningDemoServer | undefined)?.close();
  json.closeAllConnections();
  json.close();
});
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

/** The record of the (only) call of `tool` on `virtualServer`. */
const callRecord = (virtualServer: string, tool: string) =>
  recordOf((r) => r.virtual_server === virtualServer && r.public_tool === tool && r.method === 'tools/call', `the record of ${tool} on ${virtualServer}`);

describe('what the audit keeps of a tools/call result', () => {
  it('keeps the redacted payload, a payload cut at its cap and marked, or a digest, as each tool says; nothing for a tool that keeps nothing', async () => {
    const client = await stack.connect('rec-json', token);
    try {
      expect((await client.callTool({ name: 'get_ticket', arguments: {} })).structuredContent).toEqual(TICKET.structuredContent);
      await client.callTool({ name: 'get_log', arguments: {} });
      await client.callTool({ name: 'get_digest', arguments: {} });
      await client.callTool({ name: 'plain_tool', arguments: {} });
    } finally {
      await client.close();
    }
    const ticket = await callRecord('rec-json', 'get_ticket');
    expect(ticket).toMatchObject({ outcome: 'ok', result: { mode: 'payload', value: { ...TICKET, structuredContent: { id: 'T-7', email: '[redacted]' } } } });
    expect(ticket.result?.truncated).toBeUndefined();
    const log = await callRecord('rec-json', 'get_log');
    expect(log).toMatchObject({ outcome: 'ok', result: { mode: 'payload', truncated: true } });
    expect(log.result?.bytes).toBeGreaterThan(256);
    expect(typeof log.result?.value === 'string' && Buffer.byteLength(log.result.value)).toBeLessThanOrEqual(256);
    const digest = await callRecord('rec-json', 'get_digest');
    expect(digest).toMatchObject({ outcome: 'ok', result: { mode: 'digest', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown } });
    expect(digest.result?.value).toBeUndefined();
    const plain = await callRecord('rec-json', 'plain_tool');
    expect(plain.outcome).toBe('ok');
    expect(plain.result).toBeUndefined();
    expect(JSON.stringify(requestRecords(stack.auditDir))).not.toContain('ann@example.com');
  }, 60_000);

  it('records a JSON-RPC error inside a 200 and an isError result as errors', async () => {
    const client = await stack.connect('rec-json', token);
    try {
      expect((await client.callTool({ name: 'fail_tool', arguments: {} })).isError).toBe(true);
      await expect(client.callTool({ name: 'broken_tool', arguments: {} })).rejects.toThrow(/database unavailable/);
    } finally {
      await client.close();
    }
    const failed = await callRecord('rec-json', 'fail_tool');
    expect(failed).toMatchObject({ outcome: 'tool_error', decision: 'allow', http: { status: 200 }, jsonrpc_error: null });
    const broken = await callRecord('rec-json', 'broken_tool');
    expect(broken).toMatchObject({ outcome: 'jsonrpc_error', http: { status: 200 }, jsonrpc_error: { code: -32603, message: 'database unavailable' } });
    expect(broken.result).toBeUndefined();
  }, 60_000);

  it('keeps a streamed result (an event stream with progress first), on its own and through an aggregated virtual server', async () => {
    for (const [virtualServer, name] of [['rec-sse', 'stream_ticket'], ['rec-both', 'rec-sse__stream_ticket']] as const) {
      const client = await stack.connect(virtualServer, token);
      try {
        const progress: number[] = [];
        const result = await client.callTool({ name, arguments: { steps: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
        expect(progress).toEqual([1, 2, 3]);
        expect(result.structuredContent).toEqual(TICKET.structuredContent);
      } finally {
        await client.close();
      }
      const record = await callRecord(virtualServer, name);
      expect(record).toMatchObject({ outcome: 'ok', result: { mode: 'payload', value: { structuredContent: { email: '[redacted]' } } } });
    }
    const client = await stack.connect('rec-both', token);
    try {
      await expect(client.callTool({ name: 'rec-json__broken_tool', arguments: {} })).rejects.toThrow(/database unavailable/);
    } finally {
      await client.close();
    }
    expect(await callRecord('rec-both', 'rec-json__broken_tool')).toMatchObject({ outcome: 'jsonrpc_error', jsonrpc_error: { code: -32603 } });
  }, 60_000);

  it('keeps what the client got on a guarded tool: the result after the guardrail redacted it', async () => {
    const client = await stack.connect('rec-guard', token);
    try {
      const result = await client.callTool({ name: 'get_card', arguments: {} });
      expect((result.content as { text: string }[])[0]?.text).toBe('Card [REDACTED:payment-card] is on file.');
    } finally {
      await client.close();
    }
    const record = await callRecord('rec-guard', 'get_card');
    expect(record).toMatchObject({ outcome: 'ok', guardrails: [{ detector: 'payment-card', action: 'redact' }] });
    expect(record.result).toMatchObject({ mode: 'payload', value: { content: [{ text: 'Card [REDACTED:payment-card] is on file.' }] } });
  }, 60_000);

  it('writes records that still verify', async () => {
    await callRecord('rec-json', 'get_ticket');
    const verified = verifyAuditPath(stack.auditDir);
    if ('error' in verified) throw new Error(verified.error);
    expect(verified.reports.length).toBeGreaterThan(0);
    expect(verified.reports.map((r) => r.problem)).toEqual(verified.reports.map(() => undefined));
  });
});
