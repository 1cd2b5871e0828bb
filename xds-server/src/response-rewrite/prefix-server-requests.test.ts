import { describe, expect, it } from 'vitest';
import { ServerRequestPrefixer } from './prefix-server-requests.ts';

const event = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;
const sampling = { jsonrpc: '2.0', id: 0, method: 'sampling/createMessage', params: { maxTokens: 5 } };
const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } };
const result = { jsonrpc: '2.0', id: 5, result: { content: [] } };

describe('ServerRequestPrefixer', () => {
  it('gives the member\'s requests the id mcp_router routes answers by, and leaves notifications and the result alone', () => {
    const prefixer = new ServerRequestPrefixer('atlas');
    const out = prefixer.push(event(progress) + event(sampling) + event(result), true);
    expect(out).toBe(event(progress) + event({ ...sampling, id: 'atlas__0' }) + event(result));
    expect(prefixer.prefixed).toBe(1);
  });

  it('holds an event split across chunks until it is whole', () => {
    const prefixer = new ServerRequestPrefixer('atlas');
    const whole = event({ ...sampling, id: 'r-7' });
    const chunks = [whole.slice(0, 10), whole.slice(10, 40), whole.slice(40)];
    const out = chunks.map((c, i) => prefixer.push(c, i === chunks.length - 1));
    expect(out.slice(0, 2)).toEqual(['', '']);
    expect(out.join('')).toBe(event({ ...sampling, id: 'atlas__r-7' }));
  });

  it('passes whatever is left at the end of the stream', () => {
    const prefixer = new ServerRequestPrefixer('atlas');
    expect(prefixer.push('{"jsonrpc":"2.0","id":1,"result":{}}', true)).toBe('{"jsonrpc":"2.0","id":1,"result":{}}');
  });
});
