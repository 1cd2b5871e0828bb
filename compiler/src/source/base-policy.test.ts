import { describe, expect, it } from 'vitest';
import { readBasePolicy } from './base-policy.ts';

describe('the base policy shipped in the package', () => {
  it('builds from its rules only, and gives repository tests its fixtures but not its own tests', () => {
    const build = readBasePolicy('build').map((f) => f.path);
    const repositoryTests = readBasePolicy('repository-tests').map((f) => f.path);
    const own = readBasePolicy('own-tests').map((f) => f.path);
    expect(build).toContain('base-policy/gatehouse/authz/decision.rego');
    expect(build.filter((p) => p.endsWith('_test.rego'))).toEqual([]);
    expect(repositoryTests.filter((p) => !build.includes(p))).toEqual(['base-policy/gatehouse/testdata/registry_test.rego']);
    // The organisation rule fixture of the base policy's own tests never meets a repository's rules.
    expect(own).toContain('base-policy/gatehouse/org/rules_fixture_test.rego');
    expect(repositoryTests).not.toContain('base-policy/gatehouse/org/rules_fixture_test.rego');
  });
});
