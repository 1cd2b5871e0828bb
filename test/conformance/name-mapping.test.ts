// The name mapping the aggregated conformance run relies on: a mistake here would show as a gateway fault.
import { describe, expect, it } from 'vitest';
import { mapBody, methodsById, prefixRequest, responseId, unprefixResponse } from './name-mapping.ts';

const mapping = { member: 'everything' };
const call = (method: string, params: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 7, method, params });

describe('requests get the member prefix', () => {
  it('tool and prompt names take <server>__, resource URIs <server>+', () => {
    expect(prefixRequest(call('tools/call', { name: 'test_simple_text', arguments: {} }), mapping))
      .toEqual(call('tools/call', { name: 'everything__test_simple_text', arguments: {} }));
    expect(prefixRequest(call('prompts/get', { name: 'p' }), mapping)).toEqual(call('prompts/get', { name: 'everything__p' }));
    for (const method of ['resources/read', 'resources/subscribe', 'resources/unsubscribe']) {
      expect(prefixRequest(call(method, { uri: 'test://static-text' }), mapping)).toEqual(call(method, { uri: 'everything+test://static-text' }));
    }
  });

  it('completion refs by prompt name or resource template URI', () => {
    const byPrompt = call('completion/complete', { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'x' } });
    expect(prefixRequest(byPrompt, mapping)).toMatchObject({ params: { ref: { type: 'ref/prompt', name: 'everything__p' } } });
    const byResource = call('completion/complete', { ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '' } });
    expect(prefixRequest(byResource, mapping)).toMatchObject({ params: { ref: { uri: 'everything+test://template/{id}/data' } } });
  });

  it('other messages (responses to the server, notifications, other methods) pass unchanged', () => {
    const answer = { jsonrpc: '2.0', id: 'everything__3', result: { action: 'accept' } };
    expect(prefixRequest(answer, mapping)).toBe(answer);
    const ping = call('ping', {});
    expect(prefixRequest(ping, mapping)).toBe(ping);
  });
});

describe('responses lose it', () => {
  const answer = (result: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 7, result });

  it('lists keep the member\'s entries, unprefixed, and drop the other members\'', () => {
    const tools = answer({ tools: [{ name: 'everything__a', inputSchema: {} }, { name: 'spare__a', inputSchema: {} }] });
    expect(unprefixResponse(tools, 'tools/list', mapping)).toEqual(answer({ tools: [{ name: 'a', inputSchema: {} }] }));
    const prompts = answer({ prompts: [{ name: 'spare__p' }, { name: 'everything__p' }] });
    expect(unprefixResponse(prompts, 'prompts/list', mapping)).toEqual(answer({ prompts: [{ name: 'p' }] }));
    const resources = answer({ resources: [{ uri: 'everything+test://a', name: 'a' }, { uri: 'spare+test://a', name: 'a' }] });
    expect(unprefixResponse(resources, 'resources/list', mapping)).toEqual(answer({ resources: [{ uri: 'test://a', name: 'a' }] }));
    const templates = answer({ resourceTemplates: [{ uriTemplate: 'everything+test://t/{id}' }, { uriTemplate: 'spare+test://t/{id}' }] });
    expect(unprefixResponse(templates, 'resources/templates/list', mapping)).toEqual(answer({ resourceTemplates: [{ uriTemplate: 'test://t/{id}' }] }));
  });

  it('resources/read contents answer under the URI the client asked for', () => {
    const read = answer({ contents: [{ uri: 'everything+test://static-text', text: 'x' }] });
    expect(unprefixResponse(read, 'resources/read', mapping)).toEqual(answer({ contents: [{ uri: 'test://static-text', text: 'x' }] }));
  });

  it('errors and answers to other methods pass unchanged', () => {
    const error = { jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'no' } };
    expect(unprefixResponse(error, 'resources/read', mapping)).toBe(error);
    const called = answer({ content: [{ type: 'text', text: 'everything__a' }] });
    expect(unprefixResponse(called, 'tools/call', mapping)).toBe(called);
  });

  it('a batch is mapped message by message, each answer by the method its id asked', () => {
    const batch = [call('tools/list', {}), { ...call('prompts/list', {}), id: 8 }];
    const methods = methodsById(batch);
    const answers = [answer({ tools: [{ name: 'everything__a' }] }), { jsonrpc: '2.0', id: 8, result: { prompts: [{ name: 'everything__p' }] } }];
    expect(mapBody(answers, (m) => unprefixResponse(m, methods.get(responseId(m)), mapping))).toEqual([
      answer({ tools: [{ name: 'a' }] }),
      { jsonrpc: '2.0', id: 8, result: { prompts: [{ name: 'p' }] } },
    ]);
  });
});
