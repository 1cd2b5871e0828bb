// Gate rego-format: a policy file that `opa fmt` would change, at the first line it would change.
import { skipped, type Gate } from '../gate.ts';

export const regoFormat: Gate = {
  code: 'rego-format',
  run(facts) {
    const unformatted = facts.rego.unformatted;
    if ('problem' in unformatted) return skipped(unformatted.problem);
    return {
      findings: unformatted.value.map((f) => ({
        message: `${f.file} is not formatted as opa fmt formats it`,
        location: { file: f.file, line: f.line, column: 1 },
        hint: 'Run `npx gatehouse fmt --write`.',
      })),
    };
  },
};
