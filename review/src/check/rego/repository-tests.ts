// [impure] Runs a repository's Rego tests as `gatehouse test` does: `opa test` (the pinned OPA) over
// policies/ with Gatehouse's base policy beside it (its rules, and the fixtures of gatehouse/testdata/
// that repository tests may import), in a private workspace, so paths in the output are the repository's.
import { inWorkspace, policyFolders } from '../../../../compiler/src/emit/policy/opa.ts';
import { readBasePolicy } from '../../../../compiler/src/source/base-policy.ts';
import type { SourceFile } from '../../../../compiler/src/source/read-tree.ts';
import { run, type RunResult } from '../../../../toolchain/src/run.ts';
import { requireTool } from '../../../../toolchain/src/tools.ts';

export interface RegoTestOptions {
  /** `opa test --verbose`: every test and its output, not only the failures. */
  readonly verbose?: boolean;
  /** `opa test --coverage`: a JSON coverage report instead of the test results. */
  readonly coverage?: boolean;
}

/** `opa test` over the repository's policy files with the base policy; OPA's output and exit code. */
export async function runRepositoryRegoTests(policies: readonly SourceFile[], options: RegoTestOptions = {}): Promise<RunResult> {
  const files = [...readBasePolicy('repository-tests'), ...policies.filter((f) => f.text !== undefined)];
  return inWorkspace(files, (dir) =>
    run(requireTool('opa'), ['test', ...(options.verbose ? ['--verbose'] : []), ...(options.coverage ? ['--coverage'] : []), ...policyFolders(files)], {
      cwd: dir,
      timeoutMs: 300_000,
    }),
  );
}
