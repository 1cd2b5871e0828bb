// Cost attribution from audit records: allowed tool calls priced by the registry at the time of
// the call (each record carries its cost and cost center), summed per team, per cost center and
// per team/server/tool. Sums are kept in integer nano-units so totals do not drift.
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';

export const NO_TEAM = '(none)';
export const NO_COST_CENTER = '(unassigned)';

export interface CostRow {
  readonly calls: number;
  /** Denied tool calls (never priced), for context. */
  readonly denied: number;
  readonly cost: number;
}

export interface CostReport {
  readonly since: string | null;
  readonly until: string | null;
  /** Time of the first and last tool call counted. */
  readonly first: string | null;
  readonly last: string | null;
  readonly total: CostRow;
  readonly costCenters: readonly (CostRow & { readonly costCenter: string })[];
  readonly teams: readonly (CostRow & { readonly team: string; readonly costCenter: string })[];
  readonly tools: readonly (CostRow & { readonly team: string; readonly costCenter: string; readonly server: string; readonly tool: string })[];
}

interface Sum {
  calls: number;
  denied: number;
  nano: bigint;
}

export function summarizeCosts(records: readonly AuditRequest[], window: { since?: string; until?: string } = {}): CostReport {
  const since = window.since ? Date.parse(window.since) : -Infinity;
  const until = window.until ? Date.parse(window.until) : Infinity;
  const calls = records
    .filter((r) => r.method === 'tools/call' && (r.decision === 'allow' || r.decision === 'deny'))
    .filter((r) => {
      const t = Date.parse(r.time);
      return t >= since && t < until;
    })
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const total: Sum = { calls: 0, denied: 0, nano: 0n };
  const centers = new Map<string, Sum>();
  const teams = new Map<string, Sum & { team: string; costCenter: string }>();
  const tools = new Map<string, Sum & { team: string; costCenter: string; server: string; tool: string }>();
  for (const r of calls) {
    const team = r.team ?? NO_TEAM;
    const costCenter = r.cost_center ?? NO_COST_CENTER;
    const server = r.server ?? NO_TEAM;
    const tool = r.tool ?? r.public_tool ?? NO_TEAM;
    const add = (sum: Sum) => {
      if (r.decision === 'allow') {
        sum.calls += 1;
        sum.nano += BigInt(Math.round(r.cost * 1e9));
      } else {
        sum.denied += 1;
      }
    };
    add(total);
    add(entry(centers, costCenter, () => ({})));
    add(entry(teams, `${team}\u0000${costCenter}`, () => ({ team, costCenter })));
    add(entry(tools, `${team}\u0000${costCenter}\u0000${server}\u0000${tool}`, () => ({ team, costCenter, server, tool })));
  }
  return {
    since: window.since ?? null,
    until: window.until ?? null,
    first: calls[0]?.time ?? null,
    last: calls[calls.length - 1]?.time ?? null,
    total: row(total),
    costCenters: sorted([...centers].map(([costCenter, s]) => ({ costCenter, ...row(s) }))),
    teams: sorted([...teams.values()].map((s) => ({ team: s.team, costCenter: s.costCenter, ...row(s) }))),
    tools: sorted([...tools.values()].map((s) => ({ team: s.team, costCenter: s.costCenter, server: s.server, tool: s.tool, ...row(s) }))),
  };
}

function entry<T extends Sum>(map: Map<string, T>, key: string, extra: () => Omit<T, keyof Sum>): T {
  let sum = map.get(key);
  if (!sum) {
    sum = { calls: 0, denied: 0, nano: 0n, ...extra() } as T;
    map.set(key, sum);
  }
  return sum;
}

function row(sum: Sum): CostRow {
  return { calls: sum.calls, denied: sum.denied, cost: Number(sum.nano) / 1e9 };
}

/** Highest cost first; ties by their text, so the order is stable. */
function sorted<T extends CostRow>(rows: T[]): T[] {
  const key = (r: T) => JSON.stringify(Object.entries(r).filter(([k]) => !['calls', 'denied', 'cost'].includes(k)));
  return rows.sort((a, b) => b.cost - a.cost || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
