import { describe, expect, it } from 'vitest';
import { orgRuleDependence } from './residual.ts';

/** An OPA AST ref term, from dotted parts (a part starting with `$` is a variable key). */
const ref = (...parts: string[]) => ({
  type: 'ref',
  value: parts.map((p, i) => (i === 0 ? { type: 'var', value: p } : p.startsWith('$') ? { type: 'var', value: p.slice(1) } : { type: 'string', value: p })),
});
const expr = (...terms: unknown[]) => ({ index: 0, terms });

describe('what a residual of the organisation rules depends on', () => {
  it('is nothing when no query is left: no rule can deny the call', () => {
    expect(orgRuleDependence({})).toEqual({ kind: 'never' });
    expect(orgRuleDependence({ queries: [] })).toEqual({ kind: 'never' });
  });

  it('is everyone when a query has no condition left', () => {
    expect(orgRuleDependence({ queries: [[]] })).toEqual({ kind: 'always' });
  });

  it('is the teams when the residual reads only the subject\'s teams, the registry and its own support rules', () => {
    const query = [expr(ref('eq'), ref('data', 'partial', 'gatehouse', 'org', 'clearance'), { type: 'string', value: 'public' })];
    const support = [{ rules: [{ body: [expr(ref('max'), ref('data', 'gatehouse', 'subject', 'teams', '$x'), ref('data', 'registry', 'teams', '$x'))] }] }];
    expect(orgRuleDependence({ queries: [query], support })).toEqual({ kind: 'teams' });
  });

  it('is the request when the residual reads arguments, claims or the subject\'s id, naming what it reads', () => {
    const query = [expr(ref('gt'), ref('input', 'mcp', 'arguments', 'amount'), { type: 'number', value: 1000 })];
    expect(orgRuleDependence({ queries: [query] })).toEqual({ kind: 'request', reads: ['input.mcp.arguments.amount'] });
    const claims = [
      expr(ref('eq'), ref('input', 'jwt', 'claims', '$k'), { type: 'string', value: 'x' }),
      expr(ref('eq'), ref('data', 'gatehouse', 'subject', 'id'), { type: 'string', value: 'mallory' }),
    ];
    expect(orgRuleDependence({ queries: [claims] })).toEqual({ kind: 'request', reads: ['data.gatehouse.subject.id', 'input.jwt.claims[_]'] });
  });

  it('is the request when the residual calls a builtin whose value is not known at compile time', () => {
    const query = [expr(ref('gt'), expr(ref('time', 'now_ns')), { type: 'number', value: 0 })];
    expect(orgRuleDependence({ queries: [query] })).toEqual({ kind: 'request', reads: ['time.now_ns()'] });
  });
});
