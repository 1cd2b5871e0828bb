// Gate rego-lint: Regal's findings, at their file:line. Regal's own opa-fmt rule is left to the
// rego-format gate, so an unformatted file is reported once.
import { skipped, type Gate } from '../gate.ts';

export const regoLint: Gate = {
  code: 'rego-lint',
  run(facts) {
    const lint = facts.rego.lint;
    if ('problem' in lint) return skipped(lint.problem);
    return {
      findings: lint.value
        .filter((v) => v.rule !== 'opa-fmt')
        .map((v) => ({
          message: `Regal ${v.category ? `${v.category}/` : ''}${v.rule}: ${v.description}`,
          location: v.location,
          ...(v.documentation ? { hint: `See ${v.documentation}; silence a deliberate case with \`# regal ignore:${v.rule}\`.` } : {}),
        })),
    };
  },
};
