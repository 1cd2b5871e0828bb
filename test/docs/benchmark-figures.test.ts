// The benchmark figures README.md, docs/benchmarks.md and docs/operations.md quote are those of the latest results,
// bench/results/*.json: the hand-written ones one by one (test/docs/benchmark-figures.ts ties each
// to its results value), the generated blocks of docs/benchmarks.md whole.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSection } from '../../bench/report.ts';
import { QUOTED_FIGURES } from './benchmark-figures.ts';
import { BENCHES, checkQuote, placeholders, readResults, resultsFile, type QuotedFigures } from './quoted-figures.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** How many figures the table ties to results; a shorter table must not pass unnoticed. */
const FIGURES_CHECKED = 113;

const results = readResults(ROOT);
const docs = new Map(['README.md', 'docs/benchmarks.md', 'docs/operations.md'].map((doc) => [doc, readFileSync(join(ROOT, doc), 'utf8')]));
const docText = (doc: string) => docs.get(doc) ?? '';

describe('benchmark figures quoted in the docs match bench/results', () => {
  for (const entry of QUOTED_FIGURES) {
    it(`${entry.doc}: ${entry.quote}`, () => {
      const problems = checkQuote(docText(entry.doc), entry, results);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it(`checks ${String(FIGURES_CHECKED)} figures, in both docs, from every results file`, () => {
    expect(QUOTED_FIGURES.reduce((sum, entry) => sum + placeholders(entry.quote), 0)).toBe(FIGURES_CHECKED);
    expect(QUOTED_FIGURES.reduce((sum, entry) => sum + entry.figures.length, 0)).toBe(FIGURES_CHECKED);
    expect(new Set(QUOTED_FIGURES.map((entry) => entry.doc))).toEqual(new Set(docs.keys()));
    expect(new Set(QUOTED_FIGURES.flatMap((entry) => entry.figures.map((f) => f.bench)))).toEqual(new Set(BENCHES));
  });

  for (const bench of BENCHES) {
    it(`docs/benchmarks.md's generated block for ${bench} is ${resultsFile(bench)} (npm run bench:report)`, () => {
      const text = docText('docs/benchmarks.md');
      const start = `<!-- bench:${bench}:start -->\n`;
      const from = text.indexOf(start);
      const to = text.indexOf(`\n<!-- bench:${bench}:end -->`);
      expect(from, `docs/benchmarks.md has no ${start.trim()} block`).toBeGreaterThanOrEqual(0);
      expect(text.slice(from + start.length, to), `docs/benchmarks.md's ${bench} block is stale: run npm run bench:report`).toBe(renderSection(results[bench]));
    });
  }
});

describe('the figures check', () => {
  const row: QuotedFigures = QUOTED_FIGURES.find((entry) => entry.quote.startsWith('| MCP `tools/call` decided by RBAC'))!;
  const current = (text: string) => docText('README.md').includes(text);
  const calls = results.gateway.tables.find((t) => t.title.startsWith('Saturation'))!.rows.find((r) => r[0] === 'demo' && r[1] === 'gateway')![3]!;
  const rounded = Math.round(Number(calls));

  it('reports a stale figure, naming it and its results file', () => {
    const shown = (n: number) => n.toLocaleString('en-US');
    const quoted = `| ${shown(rounded)} calls/s at saturation`;
    expect(current(quoted), 'the README figure this test edits').toBe(true);
    const stale = docText('README.md').replace(quoted, `| ${shown(rounded + 5)} calls/s at saturation`);
    const problems = checkQuote(stale, row, results);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('README.md: "| MCP `tools/call` decided by RBAC');
    const where = 'bench/results/gateway.json table "Saturation…", row demo gateway, column "calls/s"';
    expect(problems[0]).toContain(`figure 1 ("${shown(rounded + 5)}") is stale: ${where} is ${String(calls)}`);
  });

  it('reports a wrong verdict and a quote the doc no longer has', () => {
    const wrongVerdict = docText('README.md').replace('≥ 85% of bare Envoy, ≥ 70% of direct: missed (', '≥ 85% of bare Envoy, ≥ 70% of direct: met (');
    expect(checkQuote(wrongVerdict, row, results)).toEqual([expect.stringContaining('figure 6 ("met"): bench/results/gateway.json says missed/no')]);
    expect(checkQuote('', row, results)).toEqual([expect.stringContaining('occurs 0 times in README.md')]);
  });

  it('accepts any rounding the text chooses, and nothing else', () => {
    const entry: QuotedFigures = { doc: 'x.md', quote: 'throughput {n} calls/s', figures: [row.figures[0]!] };
    for (const ok of [String(rounded), String(calls)]) expect(checkQuote(`throughput ${ok} calls/s`, entry, results)).toEqual([]);
    for (const bad of [String(rounded - 2), String(rounded + 2), String(rounded * 10)]) {
      expect(checkQuote(`throughput ${bad} calls/s`, entry, results)).toHaveLength(1);
    }
  });
});
