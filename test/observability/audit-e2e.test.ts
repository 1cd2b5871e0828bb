// End to end through the real Envoy 1.40: two teams make a known set of calls; the audit log must
// hold exactly the expected records (and verify), /metrics must show exactly the expected
// counters, and the cost report must give exactly the expected totals. Then the control plane is
// restarted: the log continues its chain and keeps every record.
import { join } from 'node:path';
import type { AuditRequest } from '../../artifacts/src/audit/audit-line.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeCosts } from '../../audit/src/cost/cost-summary.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { REDACTED } from '../../xds-server/src/audit/redact.ts';
import { eventually, postMcp, startTestStack, type TestStack } from '../harness/stack.ts';
import { files, lines, requestRecords, verifyDir } from '../../testkit/audit-fixtures.ts';
import { openSession } from './mcp-session.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
// `stack` is unset when beforeAll failed.
afterAll(async () => (stack as TestStack | undefined)?.dispose());

const wantedRecords = () => requestRecords(stack.auditDir).sort((a, b) => (a.time < b.time ? -1 : 1));
const project = (r: ReturnType<typeof wantedRecords>[number]) => ({
  sub: r.subject.sub,
  team: r.team,
  vs: r.virtual_server,
  method: r.method,
  tool: r.server && r.tool ? `${r.server}/${r.tool}` : r.public_tool,
  decision: r.decision,
  status: r.http.status,
  error: r.jsonrpc_error?.code ?? null,
  args: r.arguments ? { mode: r.arguments.mode, ...('value' in r.arguments ? { value: r.arguments.value } : {}) } : null,
  cost: r.cost,
  center: r.cost_center,
});
const session = (sub: string, vs: string) => ['allow', 'allow'].map((decision, i) => ({
  sub, team: sub === 'sam' ? 'support' : 'payments', vs, method: i === 0 ? 'initialize' : 'notifications/initialized', tool: null, decision,
  status: i === 0 ? 200 : 202, error: null, args: null, cost: 0, center: sub === 'sam' ? 'CC-2200' : 'CC-4100',
}));
const call = (sub: string, vs: string, tool: string, decision: string, status: number, args: unknown, cost: number, error: number | null = null) => ({
  sub, team: sub === 'sam' ? 'support' : 'payments', vs, method: 'tools/call', tool, decision, status, error, args, cost,
  center: sub === 'sam' ? 'CC-2200' : 'CC-4100',
});

describe('two teams through the real Envoy', () => {
  it('produce exactly the expected audit records, metrics and cost totals', async () => {
    const sam = (await stack.tokenFor('support', { sub: 'sam' }))!;
    const pat = (await stack.tokenFor('payments', { sub: 'pat' }))!;
    const helpdesk = await openSession(stack.endpoint('helpdesk'), sam);
    expect((await helpdesk.call('tickets__search_tickets', { query: 'refund' })).status).toBe(200);
    expect((await helpdesk.call('tickets__create_ticket', { subject: 'Card declined', customer: 'c@example.com' })).body.result).toBeDefined();
    await helpdesk.call('tickets__add_comment', { id: 'T-1001', text: 'Called the customer back', internal: true });
    expect((await helpdesk.call('tickets__delete_ticket', { id: 'T-1001' })).status).toBe(403);
    await helpdesk.call('docs__search_docs', { query: 'vpn', password: 'hunter2' });
    const ledger = await openSession(stack.endpoint('payments-ops'), pat);
    expect((await ledger.call('issue_refund', { payment_id: 'P-5001', amount: 20 })).status).toBe(200);
    expect((await ledger.call('issue_refund', { payment_id: 'P-5001', amount: 5000 })).status).toBe(403);
    await ledger.call('lookup_payment', { id: 'P-5001' });
    await ledger.call('transfer_funds', { from: 'ACC-1', to: 'ACC-2', amount: 1 });
    const anonymousCall = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_docs","arguments":{}}}';
    const anonymous = await postMcp(stack.endpoint('knowledge'), anonymousCall);
    expect(anonymous.status).toBe(401);

    await eventually(() => Promise.resolve(wantedRecords().length >= 14), 15_000, 'the audit log has every request');
    const expected = [
      ...session('sam', 'helpdesk'),
      call('sam', 'helpdesk', 'tickets/search_tickets', 'allow', 200, { mode: 'redacted', value: { query: 'refund' } }, 0.0005),
      call('sam', 'helpdesk', 'tickets/create_ticket', 'allow', 200, { mode: 'redacted', value: { subject: 'Card declined', customer: REDACTED } }, 0.001),
      call('sam', 'helpdesk', 'tickets/add_comment', 'allow', 200, { mode: 'digest' }, 0.001),
      call('sam', 'helpdesk', 'tickets/delete_ticket', 'deny', 403, { mode: 'redacted', value: { id: 'T-1001' } }, 0, -32003),
      call('sam', 'helpdesk', 'docs/search_docs', 'allow', 200, { mode: 'redacted', value: { query: 'vpn', password: REDACTED } }, 0.002),
      ...session('pat', 'payments-ops'),
      call('pat', 'payments-ops', 'payments/issue_refund', 'allow', 200, { mode: 'raw', value: { payment_id: 'P-5001', amount: 20 } }, 0.05),
      call('pat', 'payments-ops', 'payments/issue_refund', 'deny', 403, { mode: 'raw', value: { payment_id: 'P-5001', amount: 5000 } }, 0, -32003),
      call('pat', 'payments-ops', 'payments/lookup_payment', 'allow', 200, { mode: 'redacted', value: { id: 'P-5001' } }, 0.001),
      call('pat', 'payments-ops', 'payments/transfer_funds', 'deny', 403, { mode: 'redacted', value: { from: 'ACC-1', to: 'ACC-2', amount: 1 } }, 0, -32003),
      // Refused by jwt_authn, before the MCP filter parsed it: no method, no subject.
      { sub: null, team: null, vs: 'knowledge', method: null, tool: null, decision: 'rejected', status: 401, error: -32001, args: null, cost: 0, center: null },
    ];
    const records = wantedRecords();
    expect(records.map(project)).toEqual(expected);

    // Every record is complete: ids, trace-free here, timing, bytes, the policy version that decided.
    for (const r of records) {
      expect(r.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.gateway).toBe('local');
      expect(r.latency_ms).toBeGreaterThan(0);
      expect(r.bytes.received).toBeGreaterThan(0);
      if (r.decision !== 'rejected') expect(r.policy_version).toMatch(/^[0-9a-f]{16}$/);
      if (r.arguments) expect(r.arguments.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(records.find((r) => r.tool === 'delete_ticket')!.reasons).toEqual(['team support has no grant for tickets/delete_ticket']);
    expect(records.find((r) => r.subject.sub === 'sam')!.subject.email).toBe('sam@example.com');
    expect(verifyDir(stack.auditDir)).toMatchObject({ records: 14 });

    // Metrics: exactly these tool-call series. A record counts once its write is durable, a moment after its line is in the file.
    const readMetrics = async () => (await fetch(`http://127.0.0.1:${stack.ports.admin}/metrics`)).text();
    const written = 'gatehouse_audit_records_total{gateway="local"} 14';
    await eventually(async () => (await readMetrics()).split('\n').includes(written), 10_000, 'every audit record counted as written');
    const metrics = await readMetrics();
    const series = (name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name}{`)).sort();
    expect(series('gatehouse_mcp_calls_total')).toEqual(
      [
        'gatehouse_mcp_calls_total{team="payments",server="payments",tool="issue_refund",outcome="denied"} 1',
        'gatehouse_mcp_calls_total{team="payments",server="payments",tool="issue_refund",outcome="ok"} 1',
        'gatehouse_mcp_calls_total{team="payments",server="payments",tool="lookup_payment",outcome="ok"} 1',
        'gatehouse_mcp_calls_total{team="payments",server="payments",tool="transfer_funds",outcome="denied"} 1',
        'gatehouse_mcp_calls_total{team="support",server="docs",tool="search_docs",outcome="ok"} 1',
        'gatehouse_mcp_calls_total{team="support",server="tickets",tool="add_comment",outcome="ok"} 1',
        'gatehouse_mcp_calls_total{team="support",server="tickets",tool="create_ticket",outcome="ok"} 1',
        'gatehouse_mcp_calls_total{team="support",server="tickets",tool="delete_ticket",outcome="denied"} 1',
        'gatehouse_mcp_calls_total{team="support",server="tickets",tool="search_tickets",outcome="ok"} 1',
      ].sort(),
    );
    expect(series('gatehouse_mcp_call_denials_total')).toEqual([
      'gatehouse_mcp_call_denials_total{team="payments",server="payments",tool="issue_refund"} 1',
      'gatehouse_mcp_call_denials_total{team="payments",server="payments",tool="transfer_funds"} 1',
      'gatehouse_mcp_call_denials_total{team="support",server="tickets",tool="delete_ticket"} 1',
    ]);
    expect(series('gatehouse_mcp_call_errors_total')).toEqual([]);
    expect(series('gatehouse_mcp_call_duration_seconds_count')).toHaveLength(8);
    const cost = (team: string, center: string) =>
      Number(series('gatehouse_mcp_cost_total').find((l) => l.includes(`team="${team}",cost_center="${center}"`))?.split(' ')[1]);
    expect(series('gatehouse_mcp_cost_total')).toHaveLength(2);
    expect(cost('support', 'CC-2200')).toBeCloseTo(0.0045, 12);
    expect(cost('payments', 'CC-4100')).toBeCloseTo(0.051, 12);
    expect(series('gatehouse_mcp_requests_total')).toEqual([
      'gatehouse_mcp_requests_total{method="initialize",decision="allow"} 2',
      'gatehouse_mcp_requests_total{method="none",decision="rejected"} 1',
      'gatehouse_mcp_requests_total{method="notifications/initialized",decision="allow"} 2',
      'gatehouse_mcp_requests_total{method="tools/call",decision="allow"} 6',
      'gatehouse_mcp_requests_total{method="tools/call",decision="deny"} 3',
      // Present at zero from the start, so a rate over them is 0 rather than no data.
      'gatehouse_mcp_requests_total{method="tools/call",decision="none"} 0',
      'gatehouse_mcp_requests_total{method="tools/call",decision="rejected"} 0',
    ]);
    expect(series('gatehouse_audit_records_total')).toEqual(['gatehouse_audit_records_total{gateway="local"} 14']);

    // Cost totals, from the audit files alone (the library and the CLI agree).
    const report = summarizeCosts(records);
    expect(report.teams.map((t) => [t.team, t.costCenter, t.calls, t.denied, t.cost])).toEqual([
      ['payments', 'CC-4100', 2, 2, 0.051],
      ['support', 'CC-2200', 4, 1, 0.0045],
    ]);
    const gatehouse = (args: string[]) => run(process.execPath, [join(PROJECT_ROOT, 'bin/gatehouse.mjs'), ...args], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    const cli = await gatehouse(['report', 'costs', '--audit', stack.auditDir, '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { total: unknown }).total).toEqual({ calls: 6, denied: 3, cost: 0.0555 });
    const verify = await gatehouse(['audit', 'verify', stack.auditDir]);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('without a tracer, a client\'s params._meta.traceparent becomes the traceparent header the server gets, and the record\'s trace id', async () => {
    const token = (await stack.tokenFor('engineering', { sub: 'erin' }))!;
    const docs = stack.backends.servers.get('docs')!;
    const seen = docs.requests.length;
    const traceparent = `00-${'7'.repeat(32)}-${'8'.repeat(16)}-01`;
    const knowledge = await openSession(stack.endpoint('knowledge'), token);
    expect((await knowledge.call('search_docs', { query: 'traced' }, { traceparent })).status).toBe(200);
    const call = docs.requests.slice(seen).find((r) => (r.body as { method?: string } | null)?.method === 'tools/call')!;
    expect(call.headers.traceparent).toBe(traceparent);
    await eventually(() => Promise.resolve(requestRecords(stack.auditDir).some((r) => r.trace_id === '7'.repeat(32))), 15_000, 'the record has the trace id');
    // Every request of this session is recorded before the next test counts records (initialize,
    // notifications/initialized and the call end in any order, and their records arrive in that order).
    const erins = () => requestRecords(stack.auditDir).filter((r) => r.subject.sub === 'erin').length;
    await eventually(() => Promise.resolve(erins() >= 3), 15_000, 'the session\'s three requests are recorded');
  });

  it('a control-plane restart continues the chain and keeps every record', async () => {
    const sam = (await stack.tokenFor('support', { sub: 'sam' }))!;
    const before = records();
    expect(before.length).toBeGreaterThan(0);
    await stack.controlPlane.stop();
    const down = await postMcp(stack.endpoint('knowledge'), '{"jsonrpc":"2.0","id":"while-down","method":"ping"}', { authorization: `Bearer ${sam}` });
    expect(down.status).toBe(503);
    const restarting = Date.now();
    const restarted = stack.replacementControlPlane();
    await restarted.start();
    try {
      // Every request made from here on, and what the gateway answered: each must become one record.
      const sent: Sent[] = [];
      await eventually(async () => (await callOnce(stack.endpoint('knowledge'), sam, sent)) === 200, 15_000, 'calls succeed after the restart');
      const answered = sent.filter((r) => r.status !== 0);
      expect(answered.slice(-3)).toEqual([
        { method: 'initialize', status: 200 },
        { method: 'notifications/initialized', status: 202 },
        { method: 'tools/call', status: 200 },
      ]);
      const recordedSince = () => newRecords(before).filter((r) => Date.parse(r.time) >= restarting);
      await eventually(() => Promise.resolve(recordedSince().length >= answered.length), 15_000, 'every request after the restart is recorded');

      const added = newRecords(before);
      const afterRestart = added.filter((r) => Date.parse(r.time) >= restarting);
      // Envoy writes the record for each request (in the order requests end, hence the sort).
      expect(afterRestart.map(brief).sort(byJson)).toEqual(answered.map(expectedBrief).sort(byJson));
      expect(afterRestart.find((r) => r.method === 'tools/call' && r.http.status === 200)?.arguments?.value).toEqual({ query: 'after restart' });
      // The ping refused while no control plane ran is not promised a record (docs/observability.md#durability):
      // Envoy hands it to a stream that is still connecting and drops it when that fails. Either it is
      // missing, or it is that one refusal.
      const whileDown = added.filter((r) => Date.parse(r.time) < restarting);
      const refusal = { status: 503, decision: 'rejected' };
      expect(whileDown.map((r) => ({ status: r.http.status, decision: r.decision }))).toEqual(whileDown.length === 0 ? [] : [refusal]);
      // The records from before the restart are all still there, unchanged, in front.
      expect(records().slice(0, before.length)).toEqual(before);

      expect(verifyDir(stack.auditDir)).toMatchObject({ records: before.length + added.length });
      expect(verifyDir(stack.auditDir).problem).toBeUndefined();
      expect(files(stack.auditDir)).toEqual(['local-000001.jsonl']);
      const reasons = lines(stack.auditDir, 'local-000001.jsonl')
        .map((l) => JSON.parse(l) as { type: string; reason?: string })
        .filter((l) => l.type === 'checkpoint')
        .map((l) => l.reason);
      expect(reasons).toEqual(['start', 'shutdown', 'start']);
    } finally {
      await restarted.stop();
    }
  });
});

/** The log's request records, in file order. */
const records = () => requestRecords(stack.auditDir);
const newRecords = (before: readonly AuditRequest[]) => {
  const seen = new Set(before.map((r) => r.request_id));
  return records().filter((r) => !seen.has(r.request_id));
};

interface Sent {
  readonly method: string;
  /** 0: the request did not get an answer (the connection failed). */
  readonly status: number;
}

/** One MCP session and one tools/call on it, each request noted in `sent`; the status of the call (or of the request that failed). */
async function callOnce(url: string, token: string, sent: Sent[]): Promise<number> {
  const post = async (method: string, body: object, headers: Record<string, string>) => {
    const status = await postMcp(url, JSON.stringify({ jsonrpc: '2.0', method, ...body }), headers).then(
      (r) => ({ status: r.status, session: r.headers.get('mcp-session-id') ?? '' }),
      () => ({ status: 0, session: '' }),
    );
    sent.push({ method, status: status.status });
    return status;
  };
  const auth = { authorization: `Bearer ${token}` };
  const clientInfo = { name: 'gatehouse-observability', version: '1.0.0' };
  const init = await post('initialize', { id: 0, params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo } }, auth);
  if (init.status !== 200) return init.status;
  const session = { ...auth, 'mcp-session-id': init.session, 'mcp-protocol-version': '2025-06-18' };
  const note = await post('notifications/initialized', {}, session);
  if (note.status !== 202) return note.status;
  return (await post('tools/call', { id: 1, params: { name: 'search_docs', arguments: { query: 'after restart' } } }, session)).status;
}

const brief = (r: AuditRequest) => ({
  method: r.method, status: r.http.status, team: r.team, sub: r.subject.sub, vs: r.virtual_server, tool: r.tool, decision: r.decision,
});
const byJson = (a: object, b: object) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
const expectedBrief = (s: Sent) => ({
  method: s.method,
  status: s.status,
  team: 'support',
  sub: 'sam',
  vs: 'knowledge',
  tool: s.method === 'tools/call' ? 'search_docs' : null,
  decision: s.status < 300 ? 'allow' : 'rejected',
});
