// An aggregated virtual server (two members behind Envoy 1.40's mcp_router) as an MCP SDK client
// sees it: tools, prompts, resources, completion and initialize behave as one conformant MCP server,
// because the gateway corrects what mcp_router gets wrong (xds-server/src/response-rewrite), sampling
// and elicitation inside a tool call included. What mcp_router cannot carry at all (subscriptions,
// the standalone GET stream) is asserted refused, with the reason the README gives.
// The "Envoy's own behaviour" tests pin mcp_router's raw faults: when one fails after an Envoy
// upgrade, mcp_router has changed; check whether the gateway's correction is still needed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDemoServer, type RunningDemoServer } from '../../demo/src/backends/mcp-http-server.ts';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

/** A member with a tool without arguments, prompts, resources and completions, and a tool that asks the client for a sample. */
function registerMember(label: string) {
  return (server: McpServer): void => {
    server.registerTool('now', { description: `The time at the ${label}.` }, () => ({ content: [{ type: 'text', text: `${label}: noon` }] }));
    server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: 'text', text }] }));
    server.registerTool('consult', { description: 'Asks the client for a sample.' }, async (extra) => {
      const sample = await server.server.createMessage(
        { messages: [{ role: 'user', content: { type: 'text', text: 'Hi' } }], maxTokens: 5 },
        { relatedRequestId: extra.requestId, timeout: 3000 },
      );
      return { content: [{ type: 'text', text: JSON.stringify(sample) }] };
    });
    server.registerTool('ask', { description: 'Asks the user which team, after thinking.' }, async (extra) => {
      // Slower than the gateway's authz timeout (250ms), which also bounds each ext_proc message: the streamed call must outlast it.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const requestedSchema = { type: 'object' as const, properties: { team: { type: 'string' as const } }, required: ['team'] };
      const answer = await server.server.elicitInput({ message: 'Which team?', requestedSchema }, { relatedRequestId: extra.requestId, timeout: 3000 });
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    });
    server.registerPrompt(
      'greet',
      {
        description: `A greeting from the ${label}.`,
        argsSchema: { name: completable(z.string(), (v) => ['Ada', 'Alan', 'Grace'].filter((n) => n.startsWith(v))) },
      },
      ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name} from the ${label}` } }] }),
    );
    server.registerResource('motto', `${label}://motto`, { description: 'The motto.', mimeType: 'text/plain' }, (uri) => ({
      contents: [{ uri: uri.href, text: `${label} motto` }],
    }));
    server.registerResource(
      'shelf',
      new ResourceTemplate(`${label}://shelves/{shelf}`, { list: undefined, complete: { shelf: (v) => ['maps', 'myths', 'poems'].filter((s) => s.startsWith(v)) } }),
      { description: 'A shelf.' },
      (uri) => ({ contents: [{ uri: uri.href, text: 'a shelf' }] }),
    );
  };
}

const member = (name: string, port: number, capabilities: string) => `apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: ${name}
spec:
  description: Test member with tools, prompts, resources and completions.
  owner: engineering
  upstream:
    url: http://127.0.0.1:${String(port)}/mcp
    timeout: 5s
  dataClassification: internal
  region: eu-west-1
  capabilities: ${capabilities}
  tools:
    - name: now
      risk: low
    - name: echo
      risk: low
    - name: consult
      risk: low
    - name: ask
      risk: low
`;

const registry = (almanac: number, atlas: number) => ({
  'registry/mcp-servers/almanac.yaml': member('almanac', almanac, '[prompts, resources, completions]'),
  // atlas also declares what mcp_router cannot carry (subscriptions, list changes): lint warns (aggregated-capability-lost),
  // initialize leaves it out.
  'registry/mcp-servers/atlas.yaml': member('atlas', atlas, '[prompts, resources, completions, logging, resources.subscribe, listChanged, sampling]'),
  'registry/virtual-servers/library.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: library
spec:
  description: Two members behind one endpoint.
  members:
    - server: almanac
      tools: ["*"]
    - server: atlas
      tools: ["*"]
`,
  'registry/grants/library.yaml': `apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-library
spec:
  description: Support may use everything the library offers.
  subjects: [team:support]
  access:
    - server: almanac
      tools: ["*"]
    - server: atlas
      tools: ["*"]
  methods: [tools/call, prompts/get, resources/read, completion/complete, resources/subscribe]
`,
});

let members: RunningDemoServer[] = [];
let stack: TestStack;
let token: string;
let client: Client;

beforeAll(async () => {
  members = [
    await startDemoServer({ name: 'almanac', port: 0, register: registerMember('almanac') }),
    await startDemoServer({ name: 'atlas', port: 0, register: registerMember('atlas') }),
  ];
  const [almanac, atlas] = members.map((m) => Number(new URL(m.url).port));
  stack = await startTestStack({ files: registry(almanac!, atlas!) });
  token = (await stack.tokenFor('support'))!;
  client = await stack.connect('library', token);
});
afterAll(async () => {
  await (client as Client | undefined)?.close();
  await (stack as TestStack | undefined)?.dispose();
  for (const m of members) await m.close();
});

const url = () => stack.endpoint('library');
const auth = () => ({ authorization: `Bearer ${token}` });
const readable = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A raw MCP session on the virtual server (initialize + initialized), for what the SDK client hides. */
async function rawSession(): Promise<Record<string, string>> {
  const init = { protocolVersion: '2025-06-18', capabilities: { sampling: {} }, clientInfo: { name: 'raw', version: '1' } };
  const res = await postMcp(url(), JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init }), auth());
  const headers = { ...auth(), 'mcp-session-id': res.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-06-18' };
  await postMcp(url(), '{"jsonrpc":"2.0","method":"notifications/initialized"}', headers);
  return headers;
}

describe('an MCP SDK client through an aggregated virtual server', () => {
  it('initialize advertises what the members declare and mcp_router can carry, nothing else', () => {
    expect(client.getServerCapabilities()).toEqual({ tools: {}, prompts: {}, resources: {}, completions: {}, logging: {} });
  });

  it('tools/list: every tool as <server>__<tool>, each schema one the SDK accepts', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'almanac__ask',
      'almanac__consult',
      'almanac__echo',
      'almanac__now',
      'atlas__ask',
      'atlas__consult',
      'atlas__echo',
      'atlas__now',
    ]);
    expect(tools.find((t) => t.name === 'atlas__now')?.inputSchema).toEqual({ type: 'object', properties: {} });
    expect(await client.callTool({ name: 'atlas__now', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'atlas: noon' }] });
  });

  it('prompts: listed as <server>__<prompt>, and prompts/get returns the member\'s messages', async () => {
    expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(['almanac__greet', 'atlas__greet']);
    const prompt = await client.getPrompt({ name: 'atlas__greet', arguments: { name: 'Ada' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Hello Ada from the atlas' } }]);
  });

  it('resources: URIs as <server>+<uri>, and resources/read answers under the URI asked for', async () => {
    expect((await client.listResources()).resources.map((r) => r.uri).sort()).toEqual(['almanac+almanac://motto', 'atlas+atlas://motto']);
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'almanac+almanac://shelves/{shelf}',
      'atlas+atlas://shelves/{shelf}',
    ]);
    expect((await client.readResource({ uri: 'almanac+almanac://motto' })).contents).toEqual([{ uri: 'almanac+almanac://motto', text: 'almanac motto' }]);
  });

  it('completion: by a prompt ref <server>__<prompt> and a resource ref <server>+<uri template>', async () => {
    const byPrompt = await client.complete({ ref: { type: 'ref/prompt', name: 'atlas__greet' }, argument: { name: 'name', value: 'A' } });
    expect(byPrompt.completion.values).toEqual(['Ada', 'Alan']);
    const byResource = await client.complete({
      ref: { type: 'ref/resource', uri: 'almanac+almanac://shelves/{shelf}' },
      argument: { name: 'shelf', value: 'm' },
    });
    expect(byResource.completion.values).toEqual(['maps', 'myths']);
  });

  it('a completion ref without its <server>__ prefix gets a JSON-RPC error that states the naming rule', async () => {
    const error = await client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } }).catch((e: unknown) => e);
    expect(readable(error)).toContain('-32602');
    expect(readable(error)).toContain('a completion ref names a prompt as <server>__<prompt> or a resource as <server>+<uri>');
  });

  it('resource subscriptions are refused (not advertised: no standalone GET stream to deliver updates)', async () => {
    const error = await client.subscribeResource({ uri: 'atlas+atlas://motto' }).catch((e: unknown) => e);
    // Granted (the grant names resources/subscribe), so the refusal is the gateway's own: mcp_router could never deliver the updates.
    expect(readable(error)).toMatch(/resources\/subscribe is not available on an aggregated virtual server/);
    expect(members[1]!.requests.some((r) => (r.body as { method?: string } | undefined)?.method === 'resources/subscribe')).toBe(false);
  });
});

describe('what mcp_router cannot carry (README: aggregated virtual servers)', () => {
  it('the standalone GET event stream: 405, which streamable HTTP allows; the SDK client carries on without it', async () => {
    const headers = await rawSession();
    const res = await fetch(url(), { headers: { ...headers, accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    await res.body?.cancel();
    expect(await client.ping()).toEqual({});
  });

});

describe('requests a member sends the client inside a tool call (sampling, elicitation)', () => {
  it('reach the client, and its answers reach the member that asked', async () => {
    const asking = new Client({ name: 'gatehouse-e2e', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: { form: {} } } });
    asking.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant' as const, content: { type: 'text' as const, text: 'ok' }, model: 'm' }));
    asking.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept' as const, content: { team: 'support' } }));
    await asking.connect(new StreamableHTTPClientTransport(new URL(url()), { requestInit: { headers: auth() } }));
    const text = async (name: string) => {
      const result = await asking.callTool({ name, arguments: {} }, undefined, { timeout: 10_000 });
      return JSON.parse((result.content as { text: string }[])[0]!.text) as unknown;
    };
    expect(await text('atlas__consult')).toMatchObject({ model: 'm', content: { text: 'ok' } });
    expect(await text('almanac__ask')).toEqual({ action: 'accept', content: { team: 'support' } });
    await asking.close();
    // Each answer went to the member that asked, with the member's own id back.
    const answers = (m: RunningDemoServer) =>
      m.requests.filter((r) => {
        const body = r.body as Record<string, unknown> | undefined;
        return body !== undefined && 'result' in body && !('method' in body);
      });
    expect(answers(members[1]!).map((r) => (r.body as { id: unknown }).id)).toEqual([expect.any(Number)]);
    expect(answers(members[0]!).map((r) => (r.body as { result: unknown }).result)).toEqual([{ action: 'accept', content: { team: 'support' } }]);
  });
});

describe('Envoy\'s own behaviour, which the gateway corrects (fails when an Envoy upgrade changes it)', () => {
  it('mcp_router wrote null schemas, event streams labelled JSON, a plain-text 400, fixed capabilities and unprefixed resource URIs', () => {
    // Every repair the gateway made to mcp_router's raw output is logged; the tests above triggered each kind.
    const repaired = stack.logs.filter((l) => l.includes('mcp_router response repaired') && l.includes('virtual_server=library'));
    const kinds = (method: string) => repaired.filter((l) => l.includes(`method=${method} `)).map((l) => /repairs=("[^"]*"|\S+)/.exec(l)?.[1]);
    // now, consult and ask take no arguments, in both members.
    expect(kinds('tools/list')).toContain('"null-schema x6"');
    expect(kinds('initialize')).toContain('fixed-capabilities');
    expect(kinds('prompts/get')).toContain('event-stream-labelled-json');
    expect(kinds('resources/read')).toContain('event-stream-labelled-json,unprefixed-resource-uri');
    expect(kinds('completion/complete')).toEqual(expect.arrayContaining(['event-stream-labelled-json', 'plain-text-error']));
    // The member's sampling and elicitation requests came through with the member's own ids.
    expect(kinds('tools/call')).toEqual(['unprefixed-server-request', 'unprefixed-server-request']);
  });
});
