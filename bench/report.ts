// Regenerates the generated parts of docs/benchmarks.md from bench/results/*.json: for each
// benchmark, between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, the machine, the
// reproduce command, the tables and the targets. Text outside the markers is kept as written.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../toolchain/src/tools.ts';
import { RESULTS_DIR, type BenchResult, type ResultTable } from './lib/common.ts';

export const REPORT_FILE = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
const ORDER = ['gateway', 'policy', 'compile', 'xds', 'guardrails'];

function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|');
}

export function markdownTable(table: ResultTable): string {
  return [
    `| ${table.columns.map(cell).join(' | ')} |`,
    `|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function renderSection(result: BenchResult): string {
  const m = result.machine;
  const versions = [
    `Node ${m.node}`,
    m.envoy ? `Envoy ${m.envoy}` : '',
    m.opa ? `OPA ${m.opa}` : '',
    m.opaEnvoyPlugin ? `OPA-Envoy plugin ${m.opaEnvoyPlugin}` : '',
  ].filter(Boolean).join(', ');
  const out = [
    `_Measured ${result.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM (${m.os}); ${versions}. Reproduce: \`${result.command}\`._`,
    '',
  ];
  for (const table of result.tables) out.push(`**${table.title}**`, '', markdownTable(table), '');
  if (result.targets.length > 0) {
    out.push('| target | measured | met |', '|---|---|---|');
    for (const t of result.targets) out.push(`| ${cell(t.target)} | ${cell(t.measured)} | ${t.met ? 'yes' : '**no**'} |`);
    out.push('');
  }
  for (const note of result.notes ?? []) out.push(`- ${note}`);
  return out.join('\n').trimEnd();
}

export function loadResults(): BenchResult[] {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResult)
    .sort((a, b) => ORDER.indexOf(a.benchmark) - ORDER.indexOf(b.benchmark));
}

/** Replaces each benchmark's marked block in docs/benchmarks.md (appending blocks that are missing). */
export function writeReport(): string {
  let text = existsSync(REPORT_FILE) ? readFileSync(REPORT_FILE, 'utf8') : '# Benchmarks\n';
  for (const result of loadResults()) {
    const start = `<!-- bench:${result.benchmark}:start -->`;
    const end = `<!-- bench:${result.benchmark}:end -->`;
    const block = `${start}\n${renderSection(result)}\n${end}`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    text = from >= 0 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n## ${result.title}\n\n${block}\n`;
  }
  writeFileSync(REPORT_FILE, text.endsWith('\n') ? text : `${text}\n`);
  return REPORT_FILE;
}
