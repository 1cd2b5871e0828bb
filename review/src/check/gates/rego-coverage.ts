// Gate rego-coverage: `opa test --coverage` below the CheckSettings threshold. Points at the first
// uncovered line of the least covered file.
import { skipped, type Gate } from '../gate.ts';

export const regoCoverage: Gate = {
  code: 'rego-coverage',
  run(facts) {
    const coverage = facts.rego.coverage;
    const tests = facts.rego.tests;
    const failing = 'value' in tests && tests.value.some((t) => t.failed);
    if ('problem' in coverage) return skipped(failing ? 'Rego tests fail, so opa reports no coverage' : coverage.problem);
    const threshold = facts.settings.regoCoverageThreshold;
    const { percent, files } = coverage.value;
    const [least] = [...files].sort((a, b) => a.percent - b.percent || (a.file < b.file ? -1 : 1));
    if (percent >= threshold || least === undefined) return { findings: [] };
    const ranges = merged(least.notCovered).map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`));
    const uncovered = ranges.length ? `, lines ${ranges.slice(0, 8).join(', ')}${ranges.length > 8 ? ', …' : ''} not covered` : '';
    return {
      findings: [
        {
          message: `Rego test coverage is ${round(percent)}%, below the threshold of ${threshold}%; ` +
            `the least covered file is ${least.file} (${round(least.percent)}%${uncovered})`,
          location: { file: least.file, line: least.notCovered[0]?.start ?? 1, column: 1 },
          hint: 'Add tests that reach the uncovered lines (`npx gatehouse test --coverage` lists them), or lower CheckSettings rego.coverageThreshold.',
        },
      ],
    };
  },
};

const round = (n: number) => Math.floor(n * 10) / 10;

/** Sorted line ranges with adjacent and overlapping ones joined (opa reports one range per line). */
function merged(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
