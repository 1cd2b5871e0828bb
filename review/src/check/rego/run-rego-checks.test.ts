import { describe, expect, it } from 'vitest';
import { runRegoChecks } from './run-rego-checks.ts';

const ALL = { tests: true, coverage: true, format: true, lint: true };
const file = (path: string, text: string) => ({ path, kind: 'policy' as const, text });

describe('the Rego checks of a repository, with the base policy beside its rules', () => {
  it('find nothing to report in a repository without policies or Regal configuration (the base policy is not judged)', async () => {
    const facts = await runRegoChecks({ policies: [] }, ALL);
    expect(facts.lint).toEqual({ value: [] });
    expect(facts.tests).toEqual({ value: [] });
    expect(facts.unformatted).toEqual({ value: [] });
    expect(facts.coverage).toEqual({ value: { percent: 100, files: [] } });
  });

  it('judge only the repository\'s files: their lint findings, tests and coverage', async () => {
    const rule = file(
      'policies/org/odd.rego',
      'package gatehouse.org\n\nimport data.gatehouse.request\n\ndeny contains "odd" if {\n\trequest.tool == "x"\n\tcamelCase := 1\n\tcamelCase == 1\n}\n',
    );
    const test = file(
      'policies/org/odd_test.rego',
      'package gatehouse.org_test\n\nimport data.gatehouse.org\n\ntest_nothing_denied_without_a_call if {\n\tcount(org.deny) == 0\n}\n',
    );
    const facts = await runRegoChecks({ policies: [rule, test] }, ALL);
    expect('value' in facts.lint && facts.lint.value.map((v) => [v.location.file, v.rule])).toEqual([['policies/org/odd.rego', 'prefer-snake-case']]);
    const tests = 'value' in facts.tests ? facts.tests.value.map((t) => [t.name, t.failed]) : facts.tests.problem;
    expect(tests).toEqual([['data.gatehouse.org_test.test_nothing_denied_without_a_call', false]]);
    expect('value' in facts.coverage && facts.coverage.value.files.map((f) => f.file)).toEqual(['policies/org/odd.rego', 'policies/org/odd_test.rego']);
    expect('value' in facts.coverage && facts.coverage.value.percent).toBeLessThan(100);
  });
});
