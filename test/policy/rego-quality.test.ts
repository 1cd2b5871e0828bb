// The repository's own policies meet the bar the product sets for policy repositories:
// `opa check --strict`, `opa fmt`, Regal, and `opa test` passing with at least 90% coverage.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { requireTool } from '../../toolchain/src/tools.ts';
import { EXAMPLE_ROOT } from '../../testkit/repo.ts';

const policies = join(EXAMPLE_ROOT, 'policies');

describe('Rego quality gates on policies/', () => {
  it('passes opa check --strict', async () => {
    const result = await run(requireTool('opa'), ['check', '--strict', policies]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('is formatted (opa fmt --fail --list)', async () => {
    const result = await run(requireTool('opa'), ['fmt', '--fail', '--list', policies]);
    expect(result.stdout.trim(), 'these files need `opa fmt -w`').toBe('');
    expect(result.code).toBe(0);
  });

  it('is clean under Regal', async () => {
    // Relative path: Regal matches the ignore globs of .regal/config.yaml against the paths it is given.
    const result = await run(requireTool('regal'), ['lint', '--format', 'compact', 'policies'], { cwd: EXAMPLE_ROOT });
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('passes opa test with at least 90% coverage', async () => {
    const result = await run(requireTool('opa'), ['test', '--coverage', policies]);
    const report = JSON.parse(result.stdout) as { coverage: number; files: Record<string, { coverage?: number }> };
    expect(result.code, result.stderr).toBe(0);
    expect(report.coverage).toBeGreaterThanOrEqual(90);
  });
});
