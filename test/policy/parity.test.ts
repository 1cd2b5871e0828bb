// One corpus of decision cases (test/policy-cases/*.yaml), evaluated by OPA's Go evaluator
// (`opa eval`, the oracle) and by the compiled Wasm bundle in Node: both must give exactly the
// same result, and that result must match each case's expectation.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/src/pipeline/compile.ts';
import { SILENT } from '../../compiler/src/pipeline/progress.ts';
import { buildPolicyData } from '../../compiler/src/emit/policy/policy-data.ts';
import { PolicyEngine } from '../../artifacts/src/policy/engine.ts';
import { run } from '../../toolchain/src/run.ts';
import { requireTool } from '../../toolchain/src/tools.ts';
import { EXAMPLE_ROOT, tempDir } from '../../testkit/repo.ts';
import { basePolicyDir } from '../../toolchain/src/package-root.ts';

interface PolicyCase {
  name: string;
  entrypoint: string;
  input: unknown;
  want: Record<string, unknown>;
  file: string;
}

const CASES_DIR = join(import.meta.dirname, '..', 'policy-cases');
const cases: PolicyCase[] = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) => (parse(readFileSync(join(CASES_DIR, file), 'utf8')) as Omit<PolicyCase, 'file'>[]).map((c) => ({ ...c, file })));

const work = tempDir('gatehouse-parity-');
let engine: PolicyEngine;
let oracle: unknown[];

beforeAll(async () => {
  const result = await compile({ root: EXAMPLE_ROOT, revision: 'parity', skipEnvoyValidate: true }, SILENT);
  expect(result.bundle).toBeDefined();
  engine = await PolicyEngine.load(result.bundle!);
  // The Go evaluator, once for the whole corpus: each case's entrypoint `with input as` its input.
  mkdirSync(join(work.path, 'oracle'), { recursive: true });
  writeFileSync(join(work.path, 'data.json'), JSON.stringify(buildPolicyData(result.ir!)));
  writeFileSync(join(work.path, 'oracle', 'cases.json'), JSON.stringify({ parity_cases: cases.map((c) => ({ entrypoint: c.entrypoint, input: c.input })) }));
  writeFileSync(join(work.path, 'oracle', 'oracle.rego'), ORACLE);
  const evaluated = await run(requireTool('opa'), [
    'eval', '--format', 'json', '--ignore', '*_test.rego',
    '-d', join(basePolicyDir(), 'gatehouse'), '-d', join(EXAMPLE_ROOT, 'policies'), '-d', join(work.path, 'data.json'), '-d', join(work.path, 'oracle'),
    'data.parity.results',
  ]);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  const body = JSON.parse(evaluated.stdout) as { result: { expressions: { value: Record<string, unknown> }[] }[] };
  const byIndex = body.result[0]!.expressions[0]!.value;
  oracle = cases.map((_, i) => byIndex[String(i)]);
});
afterAll(() => work.remove());

/** Evaluates every case with the Go evaluator; results keyed by case index (undefined ones absent). */
const ORACLE = `package parity

results[i] := r if {
	some i, c in data.parity_cases
	c.entrypoint == "gatehouse/authz/decision"
	r := data.gatehouse.authz.decision with input as c.input
}

results[i] := r if {
	some i, c in data.parity_cases
	c.entrypoint == "gatehouse/access/tools"
	r := data.gatehouse.access.tools with input as c.input
}
`;

describe('policy decisions: opa eval (Go) and the Wasm bundle (Node) agree', () => {
  it('has a corpus of at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
  cases.forEach((c, i) => {
    it(`${c.file}: ${c.name}`, () => {
      const wasm = engine.evaluate(c.entrypoint, c.input);
      expect(wasm).toEqual(oracle[i]);
      expect(wasm).toMatchObject(c.want);
    });
  });
});
