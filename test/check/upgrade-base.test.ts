// The pull request that upgrades a policy repository to 0.2.0 deletes its copy of the base policy
// (policies/gatehouse/). Its base revision still holds the copy: the check must compare with it
// (the base policy of both sides is the installed package's) instead of failing on the old copy.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../review/src/check/run-check.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { basePolicyDir } from '../../toolchain/src/package-root.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { git } from './git-fixture.ts';

const work = tempDir('gatehouse-upgrade-');
afterAll(() => work.remove());

describe('check --base across the move of the base policy into the package', () => {
  it('compares with a base revision that holds the old copy in policies/gatehouse/', async () => {
    const root = copyExampleRepo(join(work.path, 'repo'));
    cpSync(join(basePolicyDir(), 'gatehouse'), join(root, 'policies', 'gatehouse'), { recursive: true });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base: the 0.1 layout, with a copy of the base policy');
    git(root, 'checkout', '-q', '-b', 'upgrade');
    rmSync(join(root, 'policies', 'gatehouse'), { recursive: true });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'head: the copy deleted');

    const report = await runCheck({ root, base: 'main', skipEnvoyValidate: true }, SILENT);
    const listing = report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.line} ${d.message}`).join('\n');
    expect(report.diagnostics.filter((d) => d.code === 'base-not-compiled'), listing).toEqual([]);
    expect(report.summary.errors, listing).toBe(0);
    expect(report.gates.find((g) => g.code === 'deny-rule-removed')?.status).toBe('passed');
  });

  it('refuses the old copy in the head revision, at its package line', async () => {
    const root = copyExampleRepo(join(work.path, 'head-copy'));
    cpSync(join(basePolicyDir(), 'gatehouse', 'authz'), join(root, 'policies', 'gatehouse', 'authz'), { recursive: true });
    const report = await runCheck({ root, skipEnvoyValidate: true }, SILENT);
    const reserved = report.diagnostics.filter((d) => d.code === 'reserved-package');
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved[0]).toMatchObject({ severity: 'error', location: { file: expect.stringMatching(/^policies\/gatehouse\/authz\//) as string } });
  });
});
