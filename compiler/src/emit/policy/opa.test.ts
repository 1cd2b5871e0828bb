import { describe, expect, it } from 'vitest';
import { opaBuild, opaCheck } from './opa.ts';

const file = (path: string, text: string) => ({ path, kind: 'policy' as const, text });

describe('OPA on a repository\'s policies with the base policy from the package', () => {
  it('checks and builds a repository with no policies of its own (organisation rules are optional)', async () => {
    expect(await opaCheck([])).toEqual([]);
    const built = await opaBuild([], { registry: {} }, 'test');
    expect(built.diagnostics).toEqual([]);
    expect(built.bundle?.length).toBeGreaterThan(0);
  });

  it('reports an error in a repository rule at the repository file', async () => {
    const broken = file('policies/org/broken.rego', 'package gatehouse.org\n\ndeny contains "x" if no_such_rule\n');
    const [diagnostic] = await opaCheck([broken]);
    expect(diagnostic).toMatchObject({ severity: 'error', location: { file: 'policies/org/broken.rego', line: 3 } });
  });

  it('refuses a repository file in the base policy\'s namespace before running OPA', async () => {
    const diagnostics = await opaCheck([file('policies/gatehouse/authz/x.rego', 'package gatehouse.authz\n')]);
    expect(diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([['reserved-package', 'policies/gatehouse/authz/x.rego', 1]]);
  });
});
