import { describe, expect, it } from 'vitest';
import { denyRules, removedDenyRules } from './deny-rules.ts';

const file = (text: string, path = 'policies/org/rules.rego') => ({ path, kind: 'policy' as const, text });

const BASE = `package gatehouse.org

import data.gatehouse.request

# Refunds need an amount.
deny contains "refund amount must be a number" if {
	request.tool == "issue_refund"
	not input.mcp.arguments.amount
}

deny contains "no deletes on Fridays" if {
	request.tool == "delete_ticket"
}

helper if true
`;

describe('denyRules', () => {
  it('finds top-level deny rules with their package, line and text', () => {
    const rules = denyRules([file(BASE), file('package x\n\ndeny if true\n', 'policies/x_test.rego')]);
    expect(rules.map((r) => [r.package, r.line, r.summary])).toEqual([
      ['gatehouse.org', 6, 'deny contains "refund amount must be a number" if { request.tool == "issue_refund" not input.mcp.arguments.amount }'],
      ['gatehouse.org', 11, 'deny contains "no deletes on Fridays" if { request.tool == "delete_ticket" }'],
    ]);
  });
});

describe('removedDenyRules', () => {
  const base = denyRules([file(BASE)]);

  it('reports a deny rule the head no longer has', () => {
    const head = denyRules([file(BASE.replace(/deny contains "no deletes[^}]*}\n/, ''))]);
    expect(removedDenyRules(base, head).map((r) => r.line)).toEqual([11]);
  });

  it('ignores reformatting, comments and a rule that moved to another file of the package', () => {
    const reformatted = BASE.replace('\trequest.tool == "delete_ticket"', '    request.tool  ==  "delete_ticket" # still denied');
    expect(removedDenyRules(base, denyRules([file(reformatted)]))).toEqual([]);
    const [first, second] = BASE.split('deny contains "no deletes');
    const movedRule = `package gatehouse.org\n\nimport data.gatehouse.request\n\ndeny contains "no deletes${second!.replace('helper if true\n', '')}`;
    const moved = [file(first!), file(movedRule, 'policies/org/fridays.rego')];
    expect(removedDenyRules(base, denyRules(moved))).toEqual([]);
  });

  it('does not count an edited rule as removed', () => {
    const edited = BASE.replace('no deletes on Fridays', 'no deletes at weekends');
    expect(removedDenyRules(base, denyRules([file(edited)]))).toEqual([]);
  });
});
