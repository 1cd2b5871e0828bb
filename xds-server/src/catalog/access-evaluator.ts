// Evaluates the access subjects of the catalog page without holding up traffic: the admin endpoint
// shares its event loop with ext_authz (whose checks time out in a few hundred milliseconds), and a
// page with hundreds of people is hundreds of evaluations. So results are cached per artifact set
// (an engine) and subject claims, and the loop is handed back to pending work every few milliseconds.
import type { PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import { evaluateAccess, type AccessRow, type AccessSubject } from './access-matrix.ts';

/** Evaluate for at most this long before letting other work run. */
const SLICE_MS = 4;
/** Cached rows per artifact set; the oldest go first. */
const MAX_CACHED = 2000;

export class AccessEvaluator {
  private readonly cache = new WeakMap<PolicyEngine, Map<string, AccessRow>>();

  /** The rows of `subjects`, in order; `source` is always the subject's own (a person's last sighting changes). */
  async rows(engine: PolicyEngine, subjects: readonly AccessSubject[]): Promise<AccessRow[]> {
    let memo = this.cache.get(engine);
    if (!memo) {
      memo = new Map();
      this.cache.set(engine, memo);
    }
    const rows: AccessRow[] = [];
    let sliceStart = performance.now();
    for (const subject of subjects) {
      const key = JSON.stringify([subject.subject, subject.teams, subject.claims ?? null, subject.note ?? null]);
      let row = memo.get(key);
      if (!row) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        row = evaluateAccess(engine, subject);
        memo.set(key, row);
        if (memo.size > MAX_CACHED) memo.delete(memo.keys().next().value ?? key);
      }
      rows.push({ ...row, source: subject.source });
    }
    return rows;
  }
}
