// Gate rego-tests-failing: a Rego test that fails or errors under `opa test`, at the test's line.
import { skipped, type Gate } from '../gate.ts';

export const regoTestsFailing: Gate = {
  code: 'rego-tests-failing',
  run(facts) {
    const tests = facts.rego.tests;
    if ('problem' in tests) return skipped(tests.problem);
    return {
      findings: tests.value
        .filter((t) => t.failed)
        .map((t) => ({
          message: t.error ? `Rego test ${t.name} errors: ${t.error}` : `Rego test ${t.name} fails`,
          location: t.location,
          hint: 'Run `npx gatehouse test --verbose` (the pinned OPA, with the base policy) to see the failing expression.',
        })),
    };
  },
};
