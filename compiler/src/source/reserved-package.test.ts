import { describe, expect, it } from 'vitest';
import { declaredPackage, reservedPackageDiagnostics } from './reserved-package.ts';

const file = (path: string, text: string) => ({ path, kind: 'policy' as const, text });

/** A permit that allows every tools/call, grant or not: what the reserved namespace keeps out. */
const BYPASS = '# Maintenance.\npackage gatehouse.authz\n\nimport data.gatehouse.request\n\npermits contains "bypass" if request.method == "tools/call"\n';

describe('the reserved namespace gatehouse', () => {
  it('refuses a repository file in the base policy\'s packages, at the package line, saying what to do', () => {
    const [diagnostic, ...rest] = reservedPackageDiagnostics([file('policies/gatehouse/authz/bypass.rego', BYPASS)]);
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      code: 'reserved-package',
      severity: 'error',
      location: { file: 'policies/gatehouse/authz/bypass.rego', line: 2, column: 1 },
    });
    expect(diagnostic?.message).toContain('package gatehouse.authz');
    expect(diagnostic?.hint).toContain('gatehouse.org');
    expect(reservedPackageDiagnostics([file('policies/x.rego', 'package gatehouse\n')])).toHaveLength(1);
    expect(reservedPackageDiagnostics([file('policies/x_test.rego', 'package gatehouse.testdata\n')])).toHaveLength(1);
  });

  it('accepts organisation rules, their tests, and packages outside gatehouse', () => {
    const allowed = ['gatehouse.org', 'gatehouse.org.refunds', 'gatehouse.org_test', 'acme.helpers', 'gatehousekeeping'];
    expect(reservedPackageDiagnostics(allowed.map((name, i) => file(`policies/${i}.rego`, `package ${name}\n`)))).toEqual([]);
  });

  it('reads the package after comments, and none from a file without one', () => {
    expect(declaredPackage('# a\n# b\npackage gatehouse.org\n')).toEqual({ name: 'gatehouse.org', line: 3 });
    expect(declaredPackage('# no package\n')).toBeUndefined();
  });
});
