// Runs the gate cases of one group: each in its own git fixture, checked against the base `main`
// (the example) in-process, sharing one cache so the base compiles once per test file.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckCache } from '../../review/src/check/check-cache.ts';
import { runCheck } from '../../review/src/check/run-check.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { tempDir } from '../../testkit/repo.ts';
import { GATE_CASES, type GateCase } from './gate-cases.ts';
import { gitFixture } from './git-fixture.ts';

export function describeGateCases(group: GateCase['group']): void {
  const work = tempDir(`gatehouse-gates-${group}-`);
  const cache = new CheckCache();
  afterAll(() => work.remove());

  describe(`gates that fire (${group})`, () => {
    GATE_CASES.filter((c) => c.group === group).forEach((c, index) => {
      it(`${c.gate}: ${c.name}`, async () => {
        const root = gitFixture(join(work.path, `case-${index}`), c.change);
        const report = await runCheck({ root, base: 'main', skipEnvoyValidate: true, cache }, SILENT);
        const fired = report.diagnostics.filter((d) => d.code === c.gate);
        const listing = report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.line} ${d.message}`).join('\n');
        const match = fired.find(
          (d) =>
            d.severity === c.expect.severity &&
            d.location?.file === c.expect.file &&
            d.location?.line === c.expect.line &&
            d.message.includes(c.expect.message),
        );
        expect(match, `expected ${JSON.stringify(c.expect)} among:\n${listing}`).toBeDefined();
        expect(report.gates.find((g) => g.code === c.gate)?.status).toBe('failed');
        expect(report.summary.errors > 0).toBe(c.expect.severity === 'error');
      });
    });
  });
}
