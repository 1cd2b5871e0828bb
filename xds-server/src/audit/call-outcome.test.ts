import { describe, expect, it } from 'vitest';
import { callEndOf } from './call-outcome.ts';

const ok = { jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'done' }] } };

describe('callEndOf', () => {
  it('reads a plain JSON result', () => {
    expect(callEndOf(JSON.stringify(ok), 3)).toEqual({ outcome: 'ok', result: ok.result });
  });

  it('records a JSON-RPC error inside a 200 response as an error', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Unknown tool' } });
    expect(callEndOf(body, 3)).toEqual({ outcome: 'jsonrpc_error', error: { code: -32602, message: 'Unknown tool' } });
  });

  it('records an isError result as a tool error, keeping the result', () => {
    const result = { content: [{ type: 'text', text: 'disk full' }], isError: true };
    expect(callEndOf(JSON.stringify({ jsonrpc: '2.0', id: 'a', result }), 'a')).toEqual({ outcome: 'tool_error', result });
  });

  it('finds the response of a streamed call after its progress notifications', () => {
    const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
    const body = `event: message\ndata: ${JSON.stringify(progress)}\n\nevent: message\ndata: ${JSON.stringify(ok)}\n\n`;
    expect(callEndOf(body, 3)).toEqual({ outcome: 'ok', result: ok.result });
  });

  it('has nothing to say of a body without the response (cut short, another id, not JSON)', () => {
    expect(callEndOf(JSON.stringify(ok).slice(0, 20), 3)).toBeUndefined();
    expect(callEndOf(JSON.stringify(ok), 4)).toBeUndefined();
    expect(callEndOf('<html>', 3)).toBeUndefined();
  });
});
