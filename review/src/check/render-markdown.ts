// The check report as the pull-request comment: a summary line, who gains or loses which tool (with
// risk and owning team), the reviewers that needs, configuration changes, then each gate's result and
// the findings. Deterministic: sorted input, no times. Starts with the marker that finds the comment
// again on the next run.
import { renderToolChangesMarkdown } from '../tool-pinning/render-tool-changes.ts';
import { code, table } from '../../../compiler/src/util/markdown.ts';
import { accessTableMarkdown, configTableMarkdown, reviewersMarkdown } from '../diff/render-markdown.ts';
import type { Diagnostic } from '../../../compiler/src/diagnostics/diagnostic.ts';
import type { CheckReport } from './report.ts';
import type { GateResult } from './run-gates.ts';

/** The hidden line that identifies Gatehouse's comment on a pull request. */
export const REPORT_MARKER = '<!-- gatehouse-report -->';

export interface MarkdownOptions {
  /** The longest text allowed (GitHub takes 65536 characters); tables are cut to fit. */
  readonly maxLength?: number;
  /** A link for a file:line, to make findings clickable (for example the file at the PR's commit). */
  readonly fileUrl?: (file: string, line: number) => string;
}

const ROW_LIMITS = [Infinity, 200, 100, 50, 20, 10, 5];

export function renderCheckMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  let text = '';
  for (const maxRows of ROW_LIMITS) {
    text = render(report, options, maxRows);
    if (options.maxLength === undefined || text.length <= options.maxLength) return text;
  }
  return `${text.slice(0, Math.max(0, (options.maxLength ?? text.length) - 40))}\n\n… (cut to fit)\n`;
}

function render(report: CheckReport, options: MarkdownOptions, maxRows: number): string {
  const limit = maxRows === Infinity ? {} : { maxRows };
  const sections: string[] = [REPORT_MARKER, `## Gatehouse check: ${verdict(report)}`, summaryLine(report)];
  if (report.access) {
    sections.push('### Who gains or loses which tool', accessTableMarkdown(report.access, report.highRisk, limit));
  }
  if (report.reviewers.length > 0) {
    sections.push('### Required reviewers', 'New high-risk access needs a review by the team that owns the server:', reviewersMarkdown(report.reviewers));
  }
  if (report.config) sections.push('### Configuration changes', configTableMarkdown(report.config, limit));
  if (report.decidedBy && report.decidedBy.length > 0) sections.push('### Where tool calls are decided', decidedByTable(report.decidedBy));
  if (report.tools) sections.push(renderToolChangesMarkdown('Tool definitions re-pinned (tools.lock.yaml)', report.tools).trimEnd());
  if (report.drift && report.drift.length > 0) sections.push(renderToolChangesMarkdown('Live tools that differ from tools.lock.yaml', report.drift).trimEnd());
  sections.push('### Gates', gatesTable(report.gates));
  if (report.diagnostics.length > 0) sections.push('### Findings', findingsTable(report.diagnostics, options, maxRows));
  sections.push('<sub>Gates and how to fix their findings: docs/checks.md in Gatehouse. Levels are set by the CheckSettings document of the registry.</sub>');
  return `${sections.join('\n\n')}\n`;
}

/** Each tool's layer (Envoy RBAC, or ext_authz in the control plane) and why, folded: it is the same on most pull requests. */
function decidedByTable(layers: NonNullable<CheckReport['decidedBy']>): string {
  const rows = layers.map((d) => `| ${d.virtualServer} | \`${d.tool}\` | ${d.layer} | ${d.reason} |`);
  const inRbac = layers.filter((d) => d.layer === 'rbac').length;
  const summary = `${String(inRbac)} in RBAC, ${String(layers.length - inRbac)} in ext_authz`;
  const table = ['| Virtual server | Tool | Decided by | Why |', '|---|---|---|---|', ...rows];
  return [`<details><summary>${summary}</summary>`, '', ...table, '', '</details>'].join('\n');
}

function verdict(report: CheckReport): string {
  if (report.summary.errors > 0) return '❌ failed';
  return report.summary.warnings > 0 ? '⚠️ passed with warnings' : '✅ passed';
}

function summaryLine(report: CheckReport): string {
  const { errors, warnings } = report.summary;
  const parts = [`**${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}**`];
  if (report.access) {
    const gained = report.access.changes.filter((c) => c.change === 'gained').length;
    parts.push(`${gained} tool access${gained === 1 ? '' : 'es'} gained, ${report.access.changes.length - gained} lost`);
  }
  if (report.config) parts.push(`${report.config.changes.length} configuration change${report.config.changes.length === 1 ? '' : 's'}`);
  parts.push(report.base ? `compared with ${code(report.base.ref)}` : 'no base revision: run with `--base` for the access diff');
  return parts.join(' · ');
}

const STATUS = { passed: '✅ passed', failed: '', skipped: '➖ skipped', off: '⏸️ off' } as const;

function gatesTable(gates: readonly GateResult[]): string {
  return table(
    ['Gate', 'Level', 'Result'],
    gates.map((g) => [code(g.code), g.level, result(g)]),
  );
}

function result(g: GateResult): string {
  if (g.status === 'failed') return `${g.level === 'error' ? '❌' : '⚠️'} ${g.findings} finding${g.findings === 1 ? '' : 's'}`;
  if (g.status === 'skipped') return `${STATUS.skipped}: ${g.reason ?? ''}`;
  return STATUS[g.status];
}

const SEVERITY = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

function findingsTable(diagnostics: readonly Diagnostic[], options: MarkdownOptions, maxRows: number): string {
  const rows = diagnostics
    .slice(0, maxRows)
    .map((d) => [SEVERITY[d.severity], code(d.code), where(d, options), d.hint ? `${d.message}\n_${d.hint}_` : d.message]);
  const shown = table(['Severity', 'Code', 'Where', 'Message'], rows);
  const rest = diagnostics.length - rows.length;
  return rest > 0 ? `${shown}\n\n… and ${rest} more findings; the check run lists them all.` : shown;
}

function where(d: Diagnostic, options: MarkdownOptions): string {
  if (!d.location) return '';
  const text = code(`${d.location.file}:${d.location.line}`);
  return options.fileUrl ? `[${text}](${options.fileUrl(d.location.file, d.location.line)})` : text;
}
