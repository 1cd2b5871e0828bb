// Cost attribution from audit records: per team, cost center and tool, in every format (golden
// files; `UPDATE_GOLDEN=1` rewrites them), and `gatehouse report costs` over an audit folder.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRequest } from '../../artifacts/src/audit/audit-line.ts';
import { summarizeCosts } from '../../audit/src/cost/cost-summary.ts';
import { parseWhen } from '../../audit/src/cost/parse-when.ts';
import { renderCosts } from '../../audit/src/cost/render-costs.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { AuditStreamWriter } from '../../xds-server/src/audit/audit-writer.ts';
import { expectGolden } from '../harness/golden.ts';
import { tempDir } from '../../testkit/repo.ts';
import { callRecord, sealing, SETTINGS, writeKeyFile } from '../../testkit/audit-fixtures.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/observability/golden');

const PAYMENTS = { team: 'payments', teams: ['payments'], virtual_server: 'payments-ops', server: 'payments', cost_center: 'CC-4100' } as const;

/** Two teams over two days: support on tickets and docs, payments on the ledger; a few denials and one call outside the window. */
const RECORDS: AuditRequest[] = [
  callRecord(1, { tool: 'search_tickets', public_tool: 'tickets__search_tickets', cost: 0.0005 }),
  callRecord(2, { tool: 'create_ticket', public_tool: 'tickets__create_ticket', cost: 0.001 }),
  callRecord(3, { tool: 'delete_ticket', public_tool: 'tickets__delete_ticket', decision: 'deny', cost: 0 }),
  callRecord(4, { server: 'docs', tool: 'search_docs', public_tool: 'docs__search_docs', cost: 0.002 }),
  callRecord(5, { ...PAYMENTS, tool: 'issue_refund', public_tool: 'issue_refund', cost: 0.05 }),
  callRecord(6, { ...PAYMENTS, tool: 'issue_refund', public_tool: 'issue_refund', decision: 'deny', cost: 0 }),
  callRecord(7, { ...PAYMENTS, tool: 'lookup_payment', public_tool: 'lookup_payment', cost: 0.001 }),
  callRecord(8, { team: null, teams: [], server: 'docs', tool: 'search_docs', cost: 0.002, cost_center: 'CC-3300' }),
  callRecord(9, { method: 'tools/list', tool: null, server: null, public_tool: null, cost: 0 }),
  callRecord(10, { decision: 'rejected', tool: null, server: null, cost: 0 }),
  callRecord(11, { time: '2026-10-30T12:00:00.000Z', cost: 1 }),
];

describe('cost summary', () => {
  const report = summarizeCosts(RECORDS, { since: '2026-11-01T00:00:00.000Z' });

  it('sums allowed tool calls per team and cost center without float drift; denials are counted, not priced', () => {
    expect(report.total).toEqual({ calls: 6, denied: 2, cost: 0.0565 });
    expect(report.teams).toEqual([
      { team: 'payments', costCenter: 'CC-4100', calls: 2, denied: 1, cost: 0.051 },
      { team: 'support', costCenter: 'CC-2200', calls: 3, denied: 1, cost: 0.0035 },
      { team: '(none)', costCenter: 'CC-3300', calls: 1, denied: 0, cost: 0.002 },
    ]);
    expect(report.costCenters.map((c) => [c.costCenter, c.cost])).toEqual([
      ['CC-4100', 0.051],
      ['CC-2200', 0.0035],
      ['CC-3300', 0.002],
    ]);
    expect(report.first).toBe(RECORDS[0]!.time);
  });

  for (const format of ['text', 'json', 'csv', 'html'] as const) {
    it(`renders ${format}`, () => {
      expectGolden(renderCosts(report, format), join(GOLDEN, `costs.${format === 'text' ? 'txt' : format}`));
    });
  }

  it('the HTML page carries an inline SVG bar chart, one bar per team', () => {
    const html = renderCosts(report, 'html');
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html.match(/<rect class="bar"/g)?.length).toBe(report.teams.length + report.costCenters.length);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('reads --since and --until as dates, times or spans back from now', () => {
    const now = Date.UTC(2026, 10, 8, 12);
    expect(parseWhen('7d', now)).toBe('2026-11-01T12:00:00.000Z');
    expect(parseWhen('2026-11-01', now)).toBe('2026-11-01T00:00:00.000Z');
    expect(parseWhen('2026-11-01T08:30:00+01:00', now)).toBe('2026-11-01T07:30:00.000Z');
    expect(parseWhen('last week', now)).toBeUndefined();
  });
});

describe('gatehouse report costs', () => {
  const work = tempDir('gatehouse-costs-');
  afterAll(() => work.remove());
  const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');

  it('reports from an audit folder alone, in every format', async () => {
    const dir = join(work.path, 'audit');
    const writer = await AuditStreamWriter.open({ dir, stream: 'edge', ...sealing(dir), settings: { ...SETTINGS, rotateBytes: 4096 } });
    await writer.append(RECORDS);
    await writer.close();
    writeKeyFile(dir);
    const report = (args: string[]) => run(process.execPath, [BIN, 'report', 'costs', '--audit', dir, ...args], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    const json = await report(['--since', '2026-11-01', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(renderCosts(summarizeCosts(RECORDS, { since: '2026-11-01T00:00:00.000Z' }), 'json')));
    const text = await report([]);
    expect(text.stdout).toContain('Tool call costs');
    expect(text.stdout).toMatch(/total +7 +2 +1\.056500/);
    expect((await report(['--format', 'pdf'])).code).toBe(2);
    expect((await report(['--since', 'yesterday'])).code).toBe(2);
  });

  it('prices only the records before the first line that does not verify', async () => {
    const dir = join(work.path, 'forged', 'audit');
    const writer = await AuditStreamWriter.open({ dir, stream: 'edge', ...sealing(dir), settings: SETTINGS });
    await writer.append(RECORDS);
    await writer.close();
    writeKeyFile(dir);
    const newest = readdirSync(dir).filter((name) => name.endsWith('.jsonl')).sort().at(-1) ?? '';
    // A forged record with a made-up hash, appended by someone without the key.
    const forged = { ...callRecord(12, { ...PAYMENTS, tool: 'transfer_funds', cost: 1_000_000 }), seq: 9999, prev: 'x', hash: 'y' };
    appendFileSync(join(dir, newest), `${JSON.stringify(forged)}\n`);
    const result = await run(process.execPath, [BIN, 'report', 'costs', '--audit', dir, '--format', 'json'], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the audit log does not verify');
    expect(result.stdout).not.toContain('transfer_funds');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(renderCosts(summarizeCosts(RECORDS, {}), 'json')));
  });
});
