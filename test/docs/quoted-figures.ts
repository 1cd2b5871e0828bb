// Figures the docs quote from the benchmark results, and the check that each still says what the
// latest bench/results/<name>.json says. A quote is the text around one or more figures, `{n}`
// standing for a number and `{verdict}` for a target's outcome; each placeholder names the results
// value it shows, and the number must be that value as rounded in the text (as many decimals as the
// text gives). Hand-written figures go stale when a benchmark is rerun; this is what notices.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../../bench/lib/common.ts';

export const BENCHES = ['gateway', 'policy', 'compile', 'xds', 'guardrails'] as const;
export type BenchName = (typeof BENCHES)[number];
export type Results = Readonly<Record<BenchName, BenchResult>>;

export function resultsFile(bench: BenchName): string {
  return `bench/results/${bench}.json`;
}

export function readResults(root: string): Results {
  const read = (bench: BenchName) => JSON.parse(readFileSync(join(root, resultsFile(bench)), 'utf8')) as BenchResult;
  return { gateway: read('gateway'), policy: read('policy'), compile: read('compile'), xds: read('xds'), guardrails: read('guardrails') };
}

/** A number in one results file: what it is (for messages) and how to read it. */
export interface NumberSource {
  readonly kind: 'number';
  readonly bench: BenchName;
  readonly describe: string;
  readonly read: (result: BenchResult) => number;
}

/** The outcome of one or more of a benchmark's targets, quoted as met/yes, missed/no, or partly. */
export interface VerdictSource {
  readonly kind: 'verdict';
  readonly bench: BenchName;
  /** Each names one entry of the results' `targets` by a part of its text. */
  readonly targets: readonly string[];
}

export type Source = NumberSource | VerdictSource;

/** A quote in a doc and, in order, the source of each of its placeholders. */
export interface QuotedFigures {
  readonly doc: string;
  readonly quote: string;
  readonly figures: readonly Source[];
}

/**
 * A cell of a results table (the tables docs/benchmarks.md shows): the table by the start of its
 * title, the row by its first cells, the column by name; `part` picks one of `a / b / c`.
 */
export function cell(bench: BenchName, table: string, row: readonly (string | number)[], column: string, part?: number): NumberSource {
  const describe = `table "${table}…", row ${row.join(' ')}, column "${column}"${part === undefined ? '' : ` (part ${String(part + 1)})`}`;
  const read = (result: BenchResult) => {
    const found = result.tables.filter((t) => t.title.startsWith(table));
    if (found.length !== 1) throw new Error(`${resultsFile(bench)} has ${String(found.length)} tables titled "${table}…"`);
    const { columns, rows } = found[0]!;
    const rowsFound = rows.filter((r) => row.every((key, i) => String(r[i]) === String(key)));
    const index = columns.indexOf(column);
    if (rowsFound.length !== 1 || index < 0) throw new Error(`${resultsFile(bench)}: no single value at ${describe}`);
    const text = String(rowsFound[0]![index]);
    return numberIn(part === undefined ? text : text.split(' / ')[part], `${resultsFile(bench)} ${describe}`);
  };
  return { kind: 'number', bench, describe, read };
}

/** A value anywhere in a results file; an object in the path picks the array element with those fields. */
export function at(bench: BenchName, path: readonly (string | number | Readonly<Record<string, string | number>>)[]): NumberSource {
  const name = (step: (typeof path)[number]) =>
    typeof step === 'object' ? `[${Object.entries(step).map(([k, v]) => `${k}=${String(v)}`).join(',')}]` : `.${String(step)}`;
  const describe = path.map(name).join('');
  const read = (result: BenchResult) => {
    let value: unknown = result;
    for (const step of path) {
      if (typeof step === 'object') {
        const matches = Array.isArray(value) ? value.filter((item) => Object.entries(step).every(([k, v]) => (item as Record<string, unknown>)[k] === v)) : [];
        value = matches.length === 1 ? matches[0] : undefined;
      } else value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[step] : undefined;
    }
    return numberIn(value, `${resultsFile(bench)} ${describe}`);
  };
  return { kind: 'number', bench, describe, read };
}

/** A figure computed from values of the same results file (a ratio, a difference, a unit change). */
export function derived(what: string, compute: (...values: number[]) => number, ...sources: readonly NumberSource[]): NumberSource {
  const bench = sources[0]!.bench;
  if (sources.some((s) => s.bench !== bench)) throw new Error(`${what}: a derived figure reads one results file`);
  return {
    kind: 'number',
    bench,
    describe: `${what}, from ${sources.map((s) => s.describe).join('; ')}`,
    read: (result) => compute(...sources.map((s) => s.read(result))),
  };
}

export function verdict(bench: BenchName, ...targets: readonly string[]): VerdictSource {
  return { kind: 'verdict', bench, targets };
}

function numberIn(value: unknown, where: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value.replace(/^\+/, '')) : Number.NaN;
  if (!Number.isFinite(number)) throw new Error(`${where} is not a number: ${JSON.stringify(value)}`);
  return number;
}

const NUMBER = '(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9]+(?:\\.[0-9]+)?)';
const VERDICT = '(met|missed|yes|no|partly)';

/** Whitespace runs as one space, so a quote may span the line breaks of wrapped prose. */
export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function quotePattern(quote: string): RegExp {
  const pattern = flatten(quote)
    .split(/(\{n\}|\{verdict\})/)
    .map((piece) => (piece === '{n}' ? NUMBER : piece === '{verdict}' ? VERDICT : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(pattern, 'g');
}

/** The figures (the texts at the placeholders) of a quote that occurs once in a doc; otherwise what is wrong. */
export function quotedFigures(docText: string, doc: string, quote: string): { readonly figures: readonly string[] } | { readonly problem: string } {
  const matches = [...flatten(docText).matchAll(quotePattern(quote))];
  if (matches.length === 1) return { figures: matches[0]!.slice(1) };
  const fix = 'the text changed, so update the quote in the test';
  return { problem: `${doc}: "${quote}" occurs ${String(matches.length)} times in ${doc} (once expected): ${fix}` };
}

/** The placeholders of a quote, which must be as many as its sources. */
export function placeholders(quote: string): number {
  return quote.match(/\{n\}|\{verdict\}/g)?.length ?? 0;
}

/** What is wrong with one quote in a doc's text: nothing, when every figure matches its results value. */
export function checkQuote(docText: string, entry: QuotedFigures, results: Results): string[] {
  const where = `${entry.doc}: "${entry.quote}"`;
  if (placeholders(entry.quote) !== entry.figures.length) {
    return [`${where} has ${String(placeholders(entry.quote))} placeholders for ${String(entry.figures.length)} sources`];
  }
  const found = quotedFigures(docText, entry.doc, entry.quote);
  if ('problem' in found) return [found.problem];
  const quoted = found.figures;
  const problems: string[] = [];
  entry.figures.forEach((source, i) => {
    const text = quoted[i]!;
    const figure = `figure ${String(i + 1)} ("${text}")`;
    const file = resultsFile(source.bench);
    if (source.kind === 'verdict') {
      const outcomes = source.targets.map((part) => results[source.bench].targets.filter((t) => t.target.includes(part)));
      const missing = source.targets.filter((_, j) => outcomes[j]!.length !== 1);
      if (missing.length > 0) {
        problems.push(`${where}, ${figure}: ${file} has no single target matching ${missing.map((m) => `"${m}"`).join(', ')}`);
        return;
      }
      const met = outcomes.map((o) => o[0]!.met);
      const actual = met.every(Boolean) ? ['met', 'yes'] : met.some(Boolean) ? ['partly'] : ['missed', 'no'];
      if (!actual.includes(text)) problems.push(`${where}, ${figure}: ${file} says ${actual.join('/')} for ${source.targets.map((t) => `"${t}"`).join(', ')}`);
      return;
    }
    let value: number;
    try {
      value = source.read(results[source.bench]);
    } catch (error) {
      problems.push(`${where}, ${figure}: ${(error as Error).message}`);
      return;
    }
    if (!Number.isFinite(value)) {
      problems.push(`${where}, ${figure}: ${file} ${source.describe} gives no number`);
      return;
    }
    const decimals = text.split('.')[1]?.length ?? 0;
    const difference = Math.abs(Number(text.replace(/,/g, '')) - value);
    if (difference > 0.5 * 10 ** -decimals + 1e-9) {
      problems.push(`${where}, ${figure} is stale: ${file} ${source.describe} is ${String(value)}, which is ${value.toFixed(decimals)} as rounded in the text`);
    }
  });
  return problems;
}
