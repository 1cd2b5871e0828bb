// Gatehouse's base policy (shipped in the package) and this repository's example organisation rules meet
// the bar the product sets for policy repositories: `opa check --strict`, `opa fmt`, Regal, and `opa test`
// passing with at least 90% coverage. The base policy's tests run on their own (no organisation rules:
// a repository may have none), the example's with the base policy beside them, as `gatehouse test` runs them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { requireTool } from '../../toolchain/src/tools.ts';
import { basePolicyDir, packageRoot } from '../../toolchain/src/package-root.ts';
import { EXAMPLE_ROOT } from '../../testkit/repo.ts';
import { opaCheck } from '../../compiler/src/emit/policy/opa.ts';
import { readTree } from '../../compiler/src/source/read-tree.ts';
import { parseOpaCoverage } from '../../review/src/check/rego/parse-opa.ts';
import { runRepositoryRegoTests } from '../../review/src/check/rego/repository-tests.ts';

const base = join(basePolicyDir(), 'gatehouse');
const policies = join(EXAMPLE_ROOT, 'policies');

describe('Rego quality gates on the base policy and policies/', () => {
  it('passes opa check --strict', async () => {
    const result = await run(requireTool('opa'), ['check', '--strict', base]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The example's rules and tests, with the base policy beside them, as the compiler checks them.
    expect(await opaCheck(readTree(EXAMPLE_ROOT).files.filter((f) => f.kind === 'policy'))).toEqual([]);
  });

  it('is formatted (opa fmt --fail --list)', async () => {
    const result = await run(requireTool('opa'), ['fmt', '--fail', '--list', base, policies]);
    expect(result.stdout.trim(), 'these files need `opa fmt -w`').toBe('');
    expect(result.code).toBe(0);
  });

  it('is clean under Regal with the configuration the package ships', async () => {
    // Relative paths: Regal matches the ignore globs of its configuration against the paths it is given.
    const result = await run(requireTool('regal'), ['lint', '--format', 'compact', '--config-file', 'base-policy/regal.yaml', 'base-policy', 'policies'], {
      cwd: packageRoot(),
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('passes its own tests with at least 90% coverage, with no organisation rules', async () => {
    const result = await run(requireTool('opa'), ['test', '--coverage', base]);
    const report = JSON.parse(result.stdout) as { coverage: number };
    expect(result.code, result.stderr).toBe(0);
    expect(report.coverage).toBeGreaterThanOrEqual(90);
  });

  it('passes the example organisation rules\' tests, run as gatehouse test runs them, with at least 90% coverage', async () => {
    const files = readTree(EXAMPLE_ROOT).files.filter((f) => f.kind === 'policy');
    const result = await runRepositoryRegoTests(files, { coverage: true });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const coverage = parseOpaCoverage(result.stdout, result.stderr, (file) => file.startsWith('policies/'));
    expect('value' in coverage && coverage.value.files.map((f) => f.file)).toEqual(files.map((f) => f.path));
    expect('value' in coverage && coverage.value.percent).toBeGreaterThanOrEqual(90);
  });
});
