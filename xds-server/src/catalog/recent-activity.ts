// What the catalog page shows of the traffic: the last denials, the cost charged per team and the
// people seen, kept in memory from the audit records as the control plane makes them (the same
// records the audit log and the metrics get). Bounded: a ring of denials, a capped set of people,
// and per-team totals whose keys come from the registry (anything else counts as "other").
import type { AuditRequest } from '../../../artifacts/src/audit/audit-line.ts';
import type { AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';

export interface DenialRecord {
  readonly time: string;
  readonly gateway: string;
  readonly virtualServer: string | null;
  readonly subject: string | null;
  readonly team: string | null;
  readonly tool: string | null;
  readonly method: string | null;
  readonly decision: 'deny' | 'rejected';
  readonly status: number;
  readonly reasons: readonly string[];
}

export interface TeamCost {
  readonly team: string;
  readonly calls: number;
  readonly cost: number;
}

export interface PersonSeen {
  /** The email the token carried, else its sub. */
  readonly person: string;
  readonly sub: string | null;
  readonly email: string | null;
  readonly teams: readonly string[];
  readonly lastSeen: string;
}

export interface ActivitySnapshot {
  /** When this control plane started counting (totals are since then, for this replica). */
  readonly since: string;
  /** Newest first. */
  readonly denials: readonly DenialRecord[];
  readonly costs: readonly TeamCost[];
  /** Most recently seen first. */
  readonly people: readonly PersonSeen[];
}

export const DEFAULT_LIMITS = { denials: 50, people: 200 } as const;

export class RecentActivity {
  private readonly denials: DenialRecord[] = [];
  private readonly costs = new Map<string, { calls: number; cost: number }>();
  private readonly people = new Map<string, PersonSeen>();
  private readonly since: string;

  constructor(
    private readonly limits: { readonly denials: number; readonly people: number } = DEFAULT_LIMITS,
    now: Date = new Date(),
  ) {
    this.since = now.toISOString();
  }

  /** Takes one audit record; `catalog` bounds the team keys to the registry's teams. */
  observe(record: AuditRequest, catalog: AuditCatalog | undefined): void {
    if (record.decision === 'deny' || record.decision === 'rejected') this.addDenial(record, record.decision);
    if (record.method === 'tools/call' && record.decision === 'allow') {
      const team = record.team === null ? 'none' : catalog?.teams[record.team] ? record.team : 'other';
      const total = this.costs.get(team) ?? { calls: 0, cost: 0 };
      this.costs.set(team, { calls: total.calls + 1, cost: total.cost + record.cost });
    }
    // A person is someone the policy decided for (a verified token); Envoy's rejections may carry anything.
    const person = record.decision === 'allow' || record.decision === 'deny' ? record.subject.email ?? record.subject.sub : null;
    if (person !== null && person !== '') {
      this.people.delete(person);
      this.people.set(person, { person, sub: record.subject.sub, email: record.subject.email, teams: [...record.teams], lastSeen: record.time });
      if (this.people.size > this.limits.people) {
        const oldest = this.people.keys().next();
        if (oldest.done !== true) this.people.delete(oldest.value);
      }
    }
  }

  snapshot(): ActivitySnapshot {
    return {
      since: this.since,
      denials: [...this.denials].reverse(),
      costs: [...this.costs].map(([team, total]) => ({ team, ...total })).sort((a, b) => b.cost - a.cost || (a.team < b.team ? -1 : 1)),
      people: [...this.people.values()].reverse(),
    };
  }

  private addDenial(record: AuditRequest, decision: DenialRecord['decision']): void {
    this.denials.push({
      time: record.time,
      gateway: record.gateway,
      virtualServer: record.virtual_server,
      subject: record.subject.email ?? record.subject.sub,
      team: record.team,
      tool: record.public_tool ?? record.tool,
      method: record.method,
      decision,
      status: record.http.status,
      reasons: record.reasons,
    });
    if (this.denials.length > this.limits.denials) this.denials.shift();
  }
}
