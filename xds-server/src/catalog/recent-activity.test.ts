import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../testkit/audit-fixtures.ts';
import type { AuditCatalog } from '../../../artifacts/src/audit-catalog.ts';
import { RecentActivity } from './recent-activity.ts';

const CATALOG: AuditCatalog = { gateways: {}, servers: {}, teams: { support: { costCenter: 'CC-2200' } }, issuers: {} };

describe('recent activity for the catalog page', () => {
  it('keeps only the newest denials, newest first', () => {
    const activity = new RecentActivity({ denials: 3, people: 10 });
    for (let i = 0; i < 10; i++) activity.observe(callRecord(i, { decision: i % 2 === 0 ? 'deny' : 'rejected', reasons: [`reason ${i}`] }), CATALOG);
    const denials = activity.snapshot().denials;
    expect(denials.map((d) => d.reasons[0])).toEqual(['reason 9', 'reason 8', 'reason 7']);
    expect(denials.map((d) => d.decision)).toEqual(['rejected', 'deny', 'rejected']);
  });

  it('charges allowed tool calls to registry teams; an unknown team counts as other, none as none', () => {
    const activity = new RecentActivity();
    activity.observe(callRecord(1, { cost: 0.1 }), CATALOG);
    activity.observe(callRecord(2, { cost: 0.2 }), CATALOG);
    activity.observe(callRecord(3, { team: 'made-up-by-a-client', cost: 1 }), CATALOG);
    activity.observe(callRecord(4, { team: null, cost: 2 }), CATALOG);
    activity.observe(callRecord(5, { decision: 'deny', cost: 5 }), CATALOG);
    activity.observe(callRecord(6, { method: 'tools/list', cost: 5 }), CATALOG);
    expect(activity.snapshot().costs).toEqual([
      { team: 'none', calls: 1, cost: 2 },
      { team: 'other', calls: 1, cost: 1 },
      { team: 'support', calls: 2, cost: 0.1 + 0.2 },
    ]);
  });

  it('remembers a bounded number of people the policy decided for, the most recently seen first, with the teams of their last request', () => {
    const activity = new RecentActivity({ denials: 1, people: 2 });
    activity.observe(callRecord(1, { subject: { sub: 'a', email: 'a@example.com' } }), CATALOG);
    activity.observe(callRecord(2, { subject: { sub: 'b', email: null } }), CATALOG);
    activity.observe(callRecord(3, { subject: { sub: 'a', email: 'a@example.com' }, teams: ['support', 'payments'] }), CATALOG);
    activity.observe(callRecord(4, { subject: { sub: 'c', email: 'c@example.com' } }), CATALOG);
    activity.observe(callRecord(5, { subject: { sub: null, email: null } }), CATALOG);
    activity.observe(callRecord(6, { subject: { sub: 'forged', email: 'forged@example.com' }, decision: 'rejected' }), CATALOG);
    const people = activity.snapshot().people;
    expect(people.map((p) => p.person)).toEqual(['c@example.com', 'a@example.com']);
    expect(people[1]?.teams).toEqual(['support', 'payments']);
  });
});
