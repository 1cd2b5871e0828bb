// Decisions compiled into Envoy's RBAC filter (authz.staticDecisions: rbac), through the real Envoy
// 1.40: every tools/call of the decision corpus (test/policy-cases) whose caller the development
// identity provider can mint gets, at the gateway, the outcome the Wasm policy gives it alone
// (the corpus's `want`); grant-only tools are decided by RBAC without an ext_authz call, the refund
// tool (its rule reads arguments) still by ext_authz; and an RBAC-decided call has a complete
// audit record. The corpus's calls are sent without a session, so an allowed call reaches the server,
// which refuses it for want of a session: what matters there is that the gateway let it through.
// Calls in a session are decided by RBAC too when the session id is the caller's own (Envoy verifies
// the id and compares it with the caller's token); anyone else's id goes to ext_authz and is refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRecords } from '../../testkit/audit-fixtures.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { RBAC_METADATA_NAMESPACE, RBAC_POLICY_KEY } from '../../artifacts/src/metadata-names.ts';
import { mcpHeaders, openRawSession, toolCall } from '../harness/raw-mcp.ts';

interface CorpusCase {
  readonly name: string;
  readonly entrypoint: string;
  readonly input: {
    jwt?: { claims: Record<string, unknown> };
    mcp: { virtual_server?: string; method?: string; id?: unknown; name?: string; arguments?: unknown };
  };
  readonly want: { allowed?: boolean };
}

const CASES_DIR = join(import.meta.dirname, '..', 'policy-cases');
const DEV_ISSUER = 'http://127.0.0.1:7100';
const MINTABLE_CLAIMS = new Set(['iss', 'sub', 'groups', 'email', 'email_verified']);

/** tools/calls by a dev-idp caller whose claims the provider's mint reproduces exactly. */
const cases: CorpusCase[] = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) => parse(readFileSync(join(CASES_DIR, file), 'utf8')) as CorpusCase[])
  .filter((c) => {
    const claims = c.input.jwt?.claims;
    if (c.entrypoint !== 'gatehouse/authz/decision' || c.input.mcp.method !== 'tools/call' || !claims || typeof c.want.allowed !== 'boolean') return false;
    if (claims.iss !== DEV_ISSUER || typeof claims.sub !== 'string' || Object.keys(claims).some((k) => !MINTABLE_CLAIMS.has(k))) return false;
    if (claims.groups !== undefined && !(Array.isArray(claims.groups) && claims.groups.every((g) => typeof g === 'string'))) return false;
    // The mint marks every email verified.
    return claims.email === undefined ? claims.email_verified === undefined : typeof claims.email === 'string' && claims.email_verified === true;
  });

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    edit: (path, text) => (path.endsWith('gateways/local.yaml') ? text.replace(/^( {2}authz:\n)/m, '$1    staticDecisions: rbac\n') : text),
  });
}, 120_000);
afterAll(async () => (stack as TestStack | undefined)?.dispose());

async function call(c: CorpusCase): Promise<number> {
  const claims = c.input.jwt?.claims ?? {};
  const vs = c.input.mcp.virtual_server ?? '';
  const token = await stack.backends.idp.mint({
    sub: String(claims.sub),
    audience: stack.endpoint(vs),
    ...(Array.isArray(claims.groups) ? { groups: claims.groups as string[] } : {}),
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
  });
  const params = { name: c.input.mcp.name, arguments: c.input.mcp.arguments ?? {} };
  const body = JSON.stringify({ jsonrpc: '2.0', id: c.input.mcp.id ?? 1, method: 'tools/call', params });
  return (await postMcp(stack.endpoint(vs), body, { authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-06-18' })).status;
}

type Common = { routeName?: string; metadata?: { filterMetadata?: Record<string, Record<string, unknown>> } };

/** The RBAC policy that allowed the logged tools/call of `name` on `virtualServer` (the logged path is the upstream's: the route names it). */
function rbacPolicyOf(virtualServer: string, name: string): string | undefined {
  const common = stack.accessLogs
    .map((e) => e.entry.commonProperties as Common)
    .find((c) => {
      const params = c.metadata?.filterMetadata?.['envoy.filters.http.mcp']?.params as { name?: string } | undefined;
      // A guarded virtual server's tools/call take a route of their own (guardrails on).
      return (c.routeName === `${virtualServer}-mcp` || c.routeName === `${virtualServer}-tools-call`) && params?.name === name;
    });
  const policy = common?.metadata?.filterMetadata?.[RBAC_METADATA_NAMESPACE]?.[RBAC_POLICY_KEY];
  return typeof policy === 'string' ? policy : undefined;
}

/** The RBAC policy recorded in the access log of each tools/call of `name` by `sub`, in log order. */
function rbacPoliciesFor(sub: string, name: string): (string | undefined)[] {
  return stack.accessLogs
    .map((e) => (e.entry.commonProperties as Common).metadata?.filterMetadata)
    .filter((m) => (m?.['envoy.filters.http.jwt_authn']?.jwt_payload as { sub?: string } | undefined)?.sub === sub)
    .filter((m) => {
      const mcp = m?.['envoy.filters.http.mcp'];
      return mcp?.method === 'tools/call' && (mcp.params as { name?: string } | undefined)?.name === name;
    })
    .map((m) => m?.[RBAC_METADATA_NAMESPACE]?.[RBAC_POLICY_KEY] as string | undefined);
}

describe('static decisions in Envoy RBAC', () => {
  it('give every corpus tools/call the Wasm policy\'s outcome', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const mismatches: string[] = [];
    for (const c of cases) {
      const status = await call(c);
      const gatewayAllowed = status !== 401 && status !== 403 && status !== 404;
      if (gatewayAllowed !== c.want.allowed) mismatches.push(`${c.name}: gateway ${String(status)}, policy ${c.want.allowed ? 'allows' : 'denies'}`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('decide grant-only tools in RBAC and the refund tool in ext_authz, with complete audit records', async () => {
    const engineer = await stack.backends.idp.mint({ sub: 'erin', groups: ['engineers'], audience: stack.endpoint('knowledge') });
    const page = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'get_page', arguments: { slug: 'rbac' } } });
    await postMcp(stack.endpoint('knowledge'), page, { authorization: `Bearer ${engineer}`, 'mcp-protocol-version': '2025-06-18' });
    const payer = await stack.backends.idp.mint({ sub: 'pat', groups: ['payments-ops'], audience: stack.endpoint('payments-ops') });
    const refund = JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'issue_refund', arguments: { amount: 5000 } } });
    const refused = await postMcp(stack.endpoint('payments-ops'), refund, { authorization: `Bearer ${payer}`, 'mcp-protocol-version': '2025-06-18' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('refunds over 1000');
    // Support has no grant for delete_ticket: RBAC refuses, with a JSON-RPC error the client can read.
    const agent = await stack.backends.idp.mint({ sub: 'sam', groups: ['support-agents'], audience: stack.endpoint('helpdesk') });
    const remove = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'tickets__delete_ticket', arguments: { id: 'T-1' } } });
    const denied = await postMcp(stack.endpoint('helpdesk'), remove, { authorization: `Bearer ${agent}`, 'mcp-protocol-version': '2025-06-18' });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32003 } });
    expect(denied.text).toContain('rbac_access_denied');

    const logged = () => rbacPolicyOf('knowledge', 'get_page') !== undefined && rbacPolicyOf('payments-ops', 'issue_refund') !== undefined;
    await eventually(async () => Promise.resolve(logged()), 15_000, 'access log entries of both calls');
    expect(rbacPolicyOf('knowledge', 'get_page')).toBe('rbac:knowledge/get_page');
    expect(rbacPolicyOf('payments-ops', 'issue_refund')).toBe('ext_authz');

    let record: ReturnType<typeof requestRecords>[number] | undefined;
    await eventually(async () => {
      record = requestRecords(stack.auditDir).find((r) => r.virtual_server === 'knowledge' && r.public_tool === 'get_page' && r.subject.sub === 'erin');
      return Promise.resolve(record !== undefined);
    }, 15_000, 'the audit record of the RBAC-decided call');
    expect(record).toMatchObject({
      decision: 'allow',
      team: 'engineering',
      teams: ['engineering'],
      server: 'docs',
      tool: 'get_page',
      reasons: ['allowed by grant engineering-knowledge'],
      cost_center: 'CC-3300',
    });
    expect(typeof record?.cost).toBe('number');
    expect(record?.policy_version).toMatch(/^[0-9a-f]+$/);
  }, 60_000);

  it("decide a call in the caller's own session in RBAC, and leave anyone else's session id to ext_authz, which refuses it", async () => {
    const mint = (sub: string) => stack.backends.idp.mint({ sub, groups: ['engineers'], audience: stack.endpoint('knowledge') });
    const [erin, eve] = await Promise.all([mint('erin-in-session'), mint('eve-in-session')]);
    const session = await openRawSession(stack, 'knowledge', erin);
    const docs = stack.backends.servers.get('docs')!;
    const before = docs.requests.length;

    const own = await postMcp(stack.endpoint('knowledge'), toolCall('get_page', { slug: 'rbac' }), mcpHeaders(erin, session));
    expect(own.status).toBe(200);
    expect(own.text).toContain('"result"');
    expect(own.headers.get('mcp-session-id')).toBe(session);
    // The server got its own session id back, never the client's.
    const upstreamId = (JSON.parse(Buffer.from(session.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;
    expect(docs.requests.slice(before).map((r) => r.headers['mcp-session-id'])).toEqual([upstreamId]);

    const stolen = await postMcp(stack.endpoint('knowledge'), toolCall('get_page', { slug: 'rbac' }), mcpHeaders(eve, session));
    expect(stolen.status).toBe(404);
    expect(stolen.text).toContain('belongs to another caller');
    const forged = await postMcp(stack.endpoint('knowledge'), toolCall('get_page', { slug: 'rbac' }), mcpHeaders(eve, upstreamId));
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('did not issue');
    expect(docs.requests.length).toBe(before + 1);

    await eventually(async () => Promise.resolve(rbacPoliciesFor('eve-in-session', 'get_page').length === 2), 15_000, "the access log of eve's calls");
    await eventually(async () => Promise.resolve(rbacPoliciesFor('erin-in-session', 'get_page').length === 1), 15_000, "the access log of erin's call");
    expect(rbacPoliciesFor('erin-in-session', 'get_page')).toEqual(['rbac:knowledge/get_page']);
    expect(rbacPoliciesFor('eve-in-session', 'get_page')).toEqual(['ext_authz/session:knowledge', 'ext_authz/session:knowledge']);

    let record: ReturnType<typeof requestRecords>[number] | undefined;
    await eventually(async () => {
      record = requestRecords(stack.auditDir).find((r) => r.public_tool === 'get_page' && r.subject.sub === 'erin-in-session');
      return Promise.resolve(record !== undefined);
    }, 15_000, 'the audit record of the call in a session');
    expect(record).toMatchObject({
      decision: 'allow', team: 'engineering', server: 'docs', tool: 'get_page', reasons: ['allowed by grant engineering-knowledge'],
    });
  }, 60_000);
});
