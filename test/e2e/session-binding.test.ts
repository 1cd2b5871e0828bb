// Sessions are bound to the caller that opened them, through the real Envoy 1.40: another team's
// token cannot use, end or listen on a session it did not open, on a single-member virtual server
// (routed straight to the MCP server) or an aggregated one (mcp_router, whose own session id is
// base64 of its members' ids). Every refusal is a 404 with a JSON-RPC error, and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { INITIALIZE, mcpHeaders, openRawSession, toolCall } from '../harness/raw-mcp.ts';


let stack: TestStack;
/** Support's alice (team A) and engineering's bob (team B): both may use knowledge and helpdesk. */
let alice: string;
let bob: string;

beforeAll(async () => {
  stack = await startTestStack();
  alice = (await stack.tokenFor('support', { sub: 'alice' }))!;
  bob = (await stack.tokenFor('engineering', { sub: 'bob' }))!;
});
afterAll(async () => (stack as TestStack | undefined)?.dispose());


/** Opens a session on a virtual server with raw streamable HTTP; returns the id the client was given. */
async function openSession(vs: string, token: string): Promise<string> {
  const id = await openRawSession(stack, vs, token);
  // A JWT the control plane signed (artifacts/src/session-token.ts).
  expect(id).toMatch(/^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  return id;
}

/** Sends a request without a body (GET opens the event stream, DELETE ends the session); the stream is not read. */
async function bare(
  method: 'GET' | 'DELETE', vs: string, token: string, session: string,
): Promise<{ status: number; sessionHeader: string | null; body: string }> {
  const abort = new AbortController();
  const res = await fetch(stack.endpoint(vs), { method, headers: { ...mcpHeaders(token, session), accept: 'text/event-stream' }, signal: abort.signal });
  const body = res.status === 200 && method === 'GET' ? '' : await res.text();
  abort.abort();
  return { status: res.status, sessionHeader: res.headers.get('mcp-session-id'), body };
}

function expectSessionRefusal(res: { status: number; text?: string; body?: string }, reason: RegExp) {
  expect(res.status).toBe(404);
  const error = (JSON.parse(res.text ?? res.body ?? '') as { error: { code: number; message: string } }).error;
  expect(error.code).toBe(-32001);
  expect(error.message).toMatch(reason);
}

/** The upstream's id inside a session id the gateway issued (its payload's `sid`). */
const upstreamIdOf = (session: string) => (JSON.parse(Buffer.from(session.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

const upstreamSessions = (server: string) => new Set(stack.backends.servers.get(server)!.requests.map((r) => r.headers['mcp-session-id']).filter(Boolean));

describe('single-member virtual server (knowledge → docs)', () => {
  let session: string;
  beforeAll(async () => {
    session = await openSession('knowledge', alice);
  });

  it('the client gets a wrapped id; the server gets its own id back on every request, and responses echo the client id', async () => {
    const res = await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'refund' }), mcpHeaders(alice, session));
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBe(session);
    const seen = upstreamSessions('docs');
    expect(seen.has(session)).toBe(false);
    expect(seen.has(upstreamIdOf(session))).toBe(true);
  });

  it("another team's tools/call on the session is refused before the server", async () => {
    const before = stack.backends.servers.get('docs')!.requests.length;
    expectSessionRefusal(await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(bob, session)), /another caller/);
    expect(stack.backends.servers.get('docs')!.requests.length).toBe(before);
  });

  it("another team's GET event stream and DELETE are refused; the owner's stream and session still work", async () => {
    expectSessionRefusal(await bare('GET', 'knowledge', bob, session), /another caller/);
    expectSessionRefusal(await bare('DELETE', 'knowledge', bob, session), /another caller/);
    const stream = await bare('GET', 'knowledge', alice, session);
    expect(stream.status).toBe(200);
    expect(stream.sessionHeader).toBe(session);
    const res = await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'refund' }), mcpHeaders(alice, session));
    expect(res.status).toBe(200);
  });

  it('the raw upstream id, an edited id and the id on another virtual server are refused', async () => {
    const inner = upstreamIdOf(session);
    expectSessionRefusal(await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(alice, inner)), /did not issue/);
    const edited = `${session.slice(0, -2)}${session.endsWith('AA') ? 'AB' : 'AA'}`;
    expectSessionRefusal(await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(alice, edited)), /did not issue/);
    // Alice's id with its payload rewritten to name bob: the signature no longer holds.
    const [header, payload, signature] = session.split('.') as [string, string, string];
    const forBob = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('"cs":"alice"', '"cs":"bob"')).toString('base64url');
    expectSessionRefusal(
      await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(bob, `${header}.${forBob}.${signature}`)), /did not issue/,
    );
    expectSessionRefusal(await postMcp(stack.endpoint('helpdesk'), toolCall('docs__search_docs', { query: 'x' }), mcpHeaders(alice, session)), /another caller/);
  });

  it("a request on the initialize route that carries the session reaches the server with the server's own id, never the client's", async () => {
    const docs = stack.backends.servers.get('docs')!;
    const before = docs.requests.length;
    await postMcp(stack.endpoint('knowledge'), INITIALIZE, mcpHeaders(alice, session));
    expect(docs.requests.slice(before).map((r) => r.headers['mcp-session-id'])).toEqual([upstreamIdOf(session)]);
  });

  it('the owner can end the session', async () => {
    const own = await openSession('knowledge', alice);
    expect((await bare('DELETE', 'knowledge', alice, own)).status).toBe(200);
    expect((await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(alice, own))).status).toBe(404);
  });
});

describe('aggregated virtual server (helpdesk → mcp_router → tickets, docs)', () => {
  let session: string;
  let composite: string;
  beforeAll(async () => {
    session = await openSession('helpdesk', alice);
    composite = upstreamIdOf(session);
  });

  it('the owner calls member tools on the wrapped session', async () => {
    const res = await postMcp(stack.endpoint('helpdesk'), toolCall('tickets__search_tickets', { query: 'refund' }), mcpHeaders(alice, session));
    expect(res.status).toBe(200);
    expect(res.text).toContain('T-1001');
    expect(res.headers.get('mcp-session-id')).toBe(session);
  });

  it("another team's tools/call, DELETE and GET on the session are refused", async () => {
    expectSessionRefusal(await postMcp(stack.endpoint('helpdesk'), toolCall('tickets__search_tickets', { query: 'x' }), mcpHeaders(bob, session)), /another caller/);
    expectSessionRefusal(await bare('DELETE', 'helpdesk', bob, session), /another caller/);
    expectSessionRefusal(await bare('GET', 'helpdesk', bob, session), /another caller/);
    expect((await postMcp(stack.endpoint('helpdesk'), toolCall('tickets__search_tickets', { query: 'refund' }), mcpHeaders(alice, session))).status).toBe(200);
  });

  it("mcp_router's own id, or a member id decoded from it, works nowhere: not here, not on another virtual server", async () => {
    expectSessionRefusal(await postMcp(stack.endpoint('helpdesk'), toolCall('tickets__search_tickets', { query: 'x' }), mcpHeaders(bob, composite)), /did not issue/);
    const members = Buffer.from(composite, 'base64').toString('utf8');
    const docsMember = /docs:([^,]+)/.exec(members)?.[1] ?? members;
    expectSessionRefusal(await postMcp(stack.endpoint('knowledge'), toolCall('search_docs', { query: 'x' }), mcpHeaders(bob, docsMember)), /did not issue/);
  });

  it('every refusal is audited as a denial with its reason', async () => {
    const refusals = () => requestRecords(stack.auditDir).filter((r) => r.http.status === 404 && r.decision === 'deny');
    await eventually(() => Promise.resolve(refusals().filter((r) => r.subject.sub === 'bob').length >= 9), 10_000, "bob's refusals audited");
    const bobs = refusals().filter((r) => r.subject.sub === 'bob');
    expect(new Set(bobs.map((r) => r.virtual_server))).toEqual(new Set(['knowledge', 'helpdesk']));
    expect(new Set(bobs.map((r) => r.http.method))).toEqual(new Set(['POST', 'GET', 'DELETE']));
    for (const r of bobs) expect(r.reasons.join(' ')).toMatch(/^session not found/);
  });
});
