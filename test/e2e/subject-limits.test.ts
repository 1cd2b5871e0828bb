// Per-subject limits through the real Envoy 1.40 (issue 12): one caller over its calls per second,
// sessions or held GET streams gets 429 with a JSON-RPC error naming the limit, while another
// caller on the same virtual server keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMcp, startTestStack, type TestStack } from '../harness/stack.ts';

const PROTOCOL = '2025-06-18';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'gatehouse-e2e', version: '1' } },
});
const PING = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
const LIMITS = { callsPerSecond: 2, burst: 4, sessions: 3, streams: 2 };

let stack: TestStack;
let alice: string;
let bob: string;

beforeAll(async () => {
  stack = await startTestStack({
    edit: (path, text) =>
      path.endsWith('gateways/local.yaml')
        ? `${text}  limits: { callsPerSecond: ${String(LIMITS.callsPerSecond)}, burst: ${String(LIMITS.burst)}, sessions: ${String(LIMITS.sessions)}, streams: ${String(LIMITS.streams)} }\n`
        : text,
  });
  alice = (await stack.tokenFor('support', { sub: 'alice' }))!;
  bob = (await stack.tokenFor('engineering', { sub: 'bob' }))!;
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const headers = (token: string, session?: string) => ({
  authorization: `Bearer ${token}`,
  'mcp-protocol-version': PROTOCOL,
  ...(session === undefined ? {} : { 'mcp-session-id': session }),
});

type LimitedError = { id: unknown; error: { code: number; message: string; data: { limit: string } } };

function expectLimited(res: { status: number; headers: Headers; text: string }, limit: string): LimitedError {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = JSON.parse(res.text) as LimitedError;
  expect(body.error.code).toBe(-32029);
  expect(body.error.data.limit).toBe(limit);
  return body;
}

describe('calls per second', () => {
  it('a caller over its burst gets 429 with Retry-After and a JSON-RPC error; another caller is not affected', async () => {
    const results = [];
    // Sent at once: the bucket holds `burst` tokens and refills 2 a second, so a few of 12 are refused.
    for (let i = 0; i < 12; i += 1) results.push(postMcp(stack.endpoint('knowledge'), PING(100 + i), headers(alice)));
    const responses = await Promise.all(results);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    const body = expectLimited(limited[0]!, 'calls-per-second');
    expect(typeof body.id).toBe('number');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Bob has his own bucket.
    const other = await postMcp(stack.endpoint('knowledge'), INITIALIZE, headers(bob));
    expect(other.status, other.text).toBe(200);
  });
});
