// `gatehouse test`: runs the repository's Rego tests (policies/**/*_test.rego) with the pinned OPA and
// Gatehouse's base policy beside them, as `check` runs them. Exit code 1 when a test fails or the
// policies do not compile, 0 when every test passes (or there is none).
import { resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../../compiler/src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import { readTree } from '../../compiler/src/source/read-tree.ts';
import { reservedPackageDiagnostics } from '../../compiler/src/source/reserved-package.ts';
import { parseOpaCoverage } from '../../review/src/check/rego/parse-opa.ts';
import { runRepositoryRegoTests } from '../../review/src/check/rego/repository-tests.ts';
import type { RunResult } from '../../toolchain/src/run.ts';
import { parseFlags } from './args.ts';

export const TEST_USAGE = 'Usage: gatehouse test [--root DIR] [--verbose] [--coverage]';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { root: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, coverage: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(`${TEST_USAGE}\n  Runs the Rego tests in policies/ with Gatehouse's base policy, using the pinned OPA.\n`);
    return 0;
  }
  const root = resolve(values.root ?? '.');
  const tree = readTree(root);
  const policies = tree.files.filter((f) => f.kind === 'policy');
  const problems = [
    ...tree.refused.filter((d) => d.location?.file.startsWith('policies/')),
    ...policies
      .filter((f) => f.text === undefined)
      .map((f): Diagnostic => ({
        code: 'unreadable-file',
        severity: 'error',
        message: `cannot read ${f.path}: ${f.readError}`,
        location: { file: f.path, line: 1, column: 1 },
      })),
    ...reservedPackageDiagnostics(policies),
  ];
  if (hasErrors(problems)) {
    process.stdout.write(formatDiagnostics(problems, 'text'));
    return 1;
  }
  if (!policies.some((f) => f.path.endsWith('_test.rego'))) {
    process.stdout.write(`gatehouse test: no Rego tests in ${root}/policies (files ending in _test.rego)\n`);
    return 0;
  }
  const result = await runRepositoryRegoTests(policies, { verbose: values.verbose ?? false });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.code !== 0) return 1;
  if (values.coverage) process.stdout.write(coverageText(await runRepositoryRegoTests(policies, { coverage: true })));
  return 0;
}

/** The coverage of the repository's own files (the base policy's is Gatehouse's), one line per file. */
function coverageText(result: RunResult): string {
  const coverage = parseOpaCoverage(result.stdout, result.stderr, (file) => file.startsWith('policies/'));
  if ('problem' in coverage) return `coverage: ${coverage.problem}\n`;
  const lines = coverage.value.files.map((f) => {
    const missed = f.notCovered.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(', ');
    return `${f.file}: ${f.percent.toFixed(1)}%${missed ? ` (lines not covered: ${missed})` : ''}`;
  });
  return `\nCoverage\n${lines.map((l) => `  ${l}\n`).join('')}policies/: ${coverage.value.percent.toFixed(1)}%\n`;
}
