import { describe, expect, it } from 'vitest';
import { repairAggregatedResponse } from './repair-aggregated-response.ts';

const json = 'application/json';
const answer = { jsonrpc: '2.0', id: 7, result: { messages: [{ role: 'user', content: { type: 'text', text: 'Hello' } }] } };

describe('repairAggregatedResponse', () => {
  it('takes the JSON-RPC response out of an event stream labelled application/json', () => {
    // mcp_router 1.40 relays a member's event stream for prompts/get, resources/read and completion/complete this way.
    const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1, progressToken: 1 } };
    const body = `event: message\ndata: ${JSON.stringify(progress)}\n\nevent: message\ndata: ${JSON.stringify(answer)}\n\n`;
    const out = repairAggregatedResponse({ method: 'prompts/get', id: 7 }, { status: 200, contentType: json, body });
    expect(out).toEqual({ status: 200, contentType: json, body: JSON.stringify(answer), repairs: ['event-stream-labelled-json'] });
  });

  it('turns the plain-text 400 for a name mcp_router cannot route into a JSON-RPC error with the naming rule', () => {
    const body = 'Cannot determine backend for completion request';
    const out = repairAggregatedResponse({ method: 'completion/complete', id: 'c-1' }, { status: 400, contentType: 'text/plain', body });
    expect(out.status).toBe(200);
    expect(out.contentType).toBe(json);
    expect(JSON.parse(out.body)).toEqual({
      jsonrpc: '2.0',
      id: 'c-1',
      error: {
        code: -32602,
        message: `${body} (on an aggregated virtual server, a completion ref names a prompt as <server>__<prompt> or a resource as <server>+<uri>)`,
      },
    });
    expect(out.repairs).toEqual(['plain-text-error']);
  });

  it('reports a member failure as an internal error', () => {
    const out = repairAggregatedResponse({ method: 'resources/read', id: 2 }, { status: 500, contentType: 'text/plain', body: 'Backend request failed' });
    expect(JSON.parse(out.body)).toMatchObject({ id: 2, error: { code: -32603, message: 'Backend request failed' } });
  });

  it('replaces the fixed initialize capabilities with the declared ones, keeping the rest of the result', () => {
    const fixed = {
      jsonrpc: '2.0',
      id: 0,
      result: {
        protocolVersion: '2025-06-18',
        capabilities: { tools: { listChanged: true }, resources: { subscribe: true } },
        serverInfo: { name: 'envoy-mcp-gateway' },
      },
    };
    const capabilities = { tools: {}, prompts: {} };
    const out = repairAggregatedResponse({ method: 'initialize', id: 0, capabilities }, { status: 200, contentType: json, body: JSON.stringify(fixed) });
    expect(JSON.parse(out.body)).toEqual({ ...fixed, result: { ...fixed.result, capabilities } });
    expect(out.repairs).toEqual(['fixed-capabilities']);
  });

  it('gives resources/read contents the <server>+ prefix of the URI the client asked for', () => {
    const read = { jsonrpc: '2.0', id: 3, result: { contents: [{ uri: 'file:///a', text: 'A' }, { uri: 'atlas+file:///b', text: 'B' }] } };
    const out = repairAggregatedResponse({ method: 'resources/read', id: 3, uri: 'atlas+file:///a' }, { status: 200, contentType: json, body: JSON.stringify(read) });
    expect((JSON.parse(out.body) as typeof read).result.contents.map((c) => c.uri)).toEqual(['atlas+file:///a', 'atlas+file:///b']);
    expect(out.repairs).toEqual(['unprefixed-resource-uri']);
  });

  it('leaves a correct answer as it is', () => {
    const body = JSON.stringify(answer);
    expect(repairAggregatedResponse({ method: 'prompts/get', id: 7 }, { status: 200, contentType: json, body })).toEqual({
      status: 200,
      contentType: json,
      body,
      repairs: [],
    });
  });
});
