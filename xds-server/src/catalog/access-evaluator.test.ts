// The access rows of the catalog page must not hold up ext_authz on the same event loop: other work
// runs between evaluations, and a subject is evaluated once per artifact set.
import { describe, expect, it } from 'vitest';
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { AccessEvaluator } from './access-evaluator.ts';
import type { AccessSubject } from './access-matrix.ts';

/** An engine whose every evaluation takes `ms` of CPU, counting them. */
function slowEngine(ms: number) {
  const counter = { evaluations: 0 };
  const engine = {
    evaluate: () => {
      counter.evaluations++;
      const until = performance.now() + ms;
      while (performance.now() < until) { /* busy, as a Wasm evaluation is */ }
      return { principals: [], teams: [], virtual_servers: {}, servers: { docs: ['search_docs'] } };
    },
  } as unknown as PolicyEngine;
  return { engine, counter };
}

const subjects = (n: number, seen = 'then'): AccessSubject[] =>
  Array.from({ length: n }, (_, i) => ({ subject: `p${i}@example.com`, source: `seen ${seen}`, teams: [], claims: { iss: 'https://idp', sub: `p${i}` } }));

describe('the catalog access evaluator', () => {
  it('lets other work run while it evaluates many subjects', async () => {
    const { engine } = slowEngine(2);
    const order: string[] = [];
    const evaluated = new AccessEvaluator().rows(engine, subjects(20)).then(() => order.push('rows'));
    setImmediate(() => order.push('other work'));
    await evaluated;
    expect(order).toEqual(['other work', 'rows']);
  });

  it('evaluates a subject once per artifact set, and keeps the current source', async () => {
    const { engine, counter } = slowEngine(0);
    const evaluator = new AccessEvaluator();
    await evaluator.rows(engine, subjects(5));
    const again = await evaluator.rows(engine, subjects(5, 'now'));
    expect(counter.evaluations).toBe(5);
    expect(again[0]).toEqual({ subject: 'p0@example.com', source: 'seen now', teams: [], servers: { docs: ['search_docs'] } });
    await evaluator.rows(slowEngine(0).engine, subjects(5));
    expect(counter.evaluations).toBe(5);
  });

  it('does not evaluate a subject no token can be, and says why', async () => {
    const { engine, counter } = slowEngine(0);
    const [row] = await new AccessEvaluator().rows(engine, [{ subject: 'team:ghosts', source: 'no group', teams: ['ghosts'], note: 'no group maps to it' }]);
    expect(counter.evaluations).toBe(0);
    expect(row).toEqual({ subject: 'team:ghosts', source: 'no group', teams: ['ghosts'], servers: {}, note: 'no group maps to it' });
  });
});
