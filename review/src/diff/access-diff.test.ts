import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../access/matrix.ts';
import { diffAccess } from './access-diff.ts';
import { requiredReviewers } from './required-reviewers.ts';

const tools = [
  { server: 'tickets', tool: 'get_ticket', risk: 'low', owner: 'support' },
  { server: 'tickets', tool: 'delete_ticket', risk: 'high', owner: 'support' },
  { server: 'payments', tool: 'transfer_funds', risk: 'critical', owner: null },
];

const matrix = (access: Record<string, Record<string, string[]>>): AccessMatrix => ({
  subjects: Object.entries(access).map(([subject, servers]) => ({ subject, servers, virtualServers: {} })),
  tools,
});

describe('diffAccess', () => {
  it('lists what each subject gains and loses, with risk and owner, sorted', () => {
    const base = matrix({ 'team:support': { tickets: ['get_ticket'] }, 'team:gone': { tickets: ['get_ticket'] } });
    const head = matrix({ 'team:support': { tickets: ['delete_ticket'] }, 'team:new': { payments: ['transfer_funds'] } });
    expect(diffAccess(base, head).changes).toEqual([
      { subject: 'team:gone', change: 'lost', server: 'tickets', tool: 'get_ticket', risk: 'low', owner: 'support' },
      { subject: 'team:new', change: 'gained', server: 'payments', tool: 'transfer_funds', risk: 'critical', owner: null },
      { subject: 'team:support', change: 'gained', server: 'tickets', tool: 'delete_ticket', risk: 'high', owner: 'support' },
      { subject: 'team:support', change: 'lost', server: 'tickets', tool: 'get_ticket', risk: 'low', owner: 'support' },
    ]);
  });

  it('asks the owners of newly granted high-risk tools to review, servers without owner last', () => {
    const diff = diffAccess(matrix({}), matrix({ 'team:a': { tickets: ['delete_ticket', 'get_ticket'], payments: ['transfer_funds'] } }));
    expect(requiredReviewers(diff, ['high', 'critical']).map((r) => [r.team, r.changes.map((c) => c.tool)])).toEqual([
      ['support', ['delete_ticket']],
      [null, ['transfer_funds']],
    ]);
    expect(requiredReviewers(diff, ['critical']).map((r) => r.team)).toEqual([null]);
  });
});
