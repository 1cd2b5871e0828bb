// Per-subject limits through the real Envoy 1.40 (issue 12): one caller over its calls per second,
// sessions or held GET streams gets 429 with a JSON-RPC error naming the limit, while another
// caller on the same virtual server keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { INITIALIZE, mcpHeaders, openRawSession, toolCall } from '../harness/raw-mcp.ts';

const PING = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
/** The gateway's limits; helpdesk overrides the call rate with its own (2/s, burst 4). */
const LIMITS = { callsPerSecond: 100, burst: 200, sessions: 3, streams: 2 };

let stack: TestStack;
let alice: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  stack = await startTestStack({
    edit: (path, text) => {
      if (path.endsWith('gateways/local.yaml')) return `${text}  limits: ${JSON.stringify(LIMITS)}\n`;
      if (path.endsWith('virtual-servers/helpdesk.yaml')) return `${text}  limits: { callsPerSecond: 2, burst: 4 }\n`;
      return text;
    },
  });
  alice = (await stack.tokenFor('support', { sub: 'alice' }))!;
  carol = (await stack.tokenFor('support', { sub: 'carol' }))!;
  bob = (await stack.tokenFor('engineering', { sub: 'bob' }))!;
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());


type LimitedError = { id: unknown; error: { code: number; message: string; data: { limit: string } } };

function expectLimited(res: { status: number; headers: Headers; text: string }, limit: string): LimitedError {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = JSON.parse(res.text) as LimitedError;
  expect(body.error.code).toBe(-32029);
  expect(body.error.data.limit).toBe(limit);
  return body;
}

const openSession = (vs: string, token: string) => openRawSession(stack, vs, token);

/** Opens a GET event stream and holds it (the body is never read) until `close`. */
async function holdStream(vs: string, token: string, session: string): Promise<{ status: number; headers: Headers; text: string; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(stack.endpoint(vs), { headers: { ...mcpHeaders(token, session), accept: 'text/event-stream' }, signal: abort.signal });
  const text = res.status === 200 ? '' : await res.text();
  return { status: res.status, headers: res.headers, text, close: () => abort.abort() };
}

/** Whether the control plane has counted a refusal of this kind (the access log arrives after the response). */
const counted = (kind: string) => async () =>
  new RegExp(`gatehouse_subject_limited_total\\{kind="${kind}",team="[a-z]+"\\} [1-9]`).test(await stack.controlPlane.metrics.registry.metrics());

describe('sessions and held streams (knowledge: 3 sessions, 2 streams per caller)', () => {
  const sessions: string[] = [];
  const streams: { close: () => void }[] = [];
  afterAll(() => streams.forEach((s) => s.close()));

  it('one caller holds streams up to its limit and gets 429 beyond; another team keeps initializing and calling tools', async () => {
    for (let i = 0; i < LIMITS.sessions; i += 1) sessions.push(await openSession('knowledge', alice));
    for (const session of sessions.slice(0, LIMITS.streams)) {
      const held = await holdStream('knowledge', alice, session);
      expect(held.status, held.text).toBe(200);
      streams.push(held);
    }
    const beyond = await holdStream('knowledge', alice, sessions[LIMITS.streams]!);
    expectLimited(beyond, 'streams');
    expect(beyond.headers.get('retry-after')).toBeNull();

    const bobSession = await openSession('knowledge', bob);
    const result = await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'refund' }), mcpHeaders(bob, bobSession));
    expect(result.status, result.text).toBe(200);
    const bobStream = await holdStream('knowledge', bob, bobSession);
    expect(bobStream.status).toBe(200);
    bobStream.close();

    // A closed stream frees its slot (the ext_proc stream ends with the HTTP stream).
    streams.shift()!.close();
    await eventually(async () => {
      const again = await holdStream('knowledge', alice, sessions[LIMITS.streams]!);
      if (again.status === 200) streams.push(again);
      return again.status === 200;
    }, 5_000, 'a closed stream frees its slot');
    await eventually(counted('streams'), 5_000, 'the streams refusal is counted');
  });

  it('one caller over its session limit gets 429 on initialize; DELETE frees a slot', async () => {
    const refused = await postMcp(stack.endpoint('knowledge'), INITIALIZE, mcpHeaders(alice));
    expect(expectLimited(refused, 'sessions').id).toBe(1);
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    expect((await postMcp(stack.endpoint('knowledge'), INITIALIZE, mcpHeaders(bob))).status).toBe(200);

    const ended = await fetch(stack.endpoint('knowledge'), { method: 'DELETE', headers: mcpHeaders(alice, sessions[0]) });
    expect(ended.status).toBeLessThan(300);
    const reopened = await postMcp(stack.endpoint('knowledge'), INITIALIZE, mcpHeaders(alice));
    expect(reopened.status, reopened.text).toBe(200);
  });
});

describe('calls per second (helpdesk: 2/s, burst 4)', () => {
  it('a caller over its burst gets 429 with Retry-After and a JSON-RPC error; another caller is not affected', async () => {
    const results = [];
    // Sent at once: the bucket holds 4 tokens and refills 2 a second, so some of 12 are refused.
    for (let i = 0; i < 12; i += 1) results.push(postMcp(stack.endpoint('helpdesk'), PING(100 + i), mcpHeaders(carol)));
    const responses = await Promise.all(results);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    const body = expectLimited(limited[0]!, 'calls-per-second');
    expect(typeof body.id).toBe('number');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Bob has his own bucket.
    const other = await postMcp(stack.endpoint('helpdesk'), INITIALIZE, mcpHeaders(bob));
    expect(other.status, other.text).toBe(200);
    // The gateway's own rate applies elsewhere: carol is not limited on knowledge.
    expect((await postMcp(stack.endpoint('knowledge'), INITIALIZE, mcpHeaders(carol))).status).toBe(200);
    await eventually(counted('calls-per-second'), 5_000, 'the calls/s refusals are counted');
  });
});
