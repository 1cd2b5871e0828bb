// The preflight report as text (terminal), Markdown (a pull request or wiki page) and HTML (a page to
// file with a security review; self-contained, no scripts). JSON is the report object itself.
import type { PointResult, PointStatus } from './point.ts';
import type { PreflightReport } from './report.ts';

export const PREFLIGHT_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type PreflightFormat = (typeof PREFLIGHT_FORMATS)[number];

const LABEL: Record<PointStatus, string> = { passed: 'PASS', failed: 'FAIL', 'not-applicable': 'N/A' };
const MARK: Record<PointStatus, string> = { passed: '✅ passed', failed: '❌ failed', 'not-applicable': '➖ not applicable' };

const summaryLine = ({ summary }: PreflightReport) =>
  `${summary.passed} passed, ${summary.failed} failed, ${summary.notApplicable} not applicable`;

export function renderPreflight(report: PreflightReport, format: PreflightFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'text':
      return renderText(report);
  }
}

function renderText(report: PreflightReport): string {
  const lines: string[] = [];
  report.points.forEach((point, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${LABEL[point.status].padEnd(4)} ${point.title} (${point.id})`);
    for (const line of point.evidence) lines.push(`          ${line}`);
    if (point.fix) lines.push(`          fix: ${point.fix}`);
  });
  lines.push('', `preflight: ${summaryLine(report)}`);
  return `${lines.join('\n')}\n`;
}

/** A table cell: pipes escaped, and `<` too (GitHub would read `<oncall>` as HTML). */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');

function renderMarkdown(report: PreflightReport): string {
  const rows = report.points.map((p, i) => `| ${i + 1} | ${cell(p.title)} | ${MARK[p.status]} | ${cell(p.evidence.join('; '))} | ${cell(p.fix ?? '')} |`);
  return [
    '## Gatehouse preflight',
    '',
    `**${summaryLine(report)}**`,
    '',
    '| # | Point | Status | Evidence | Fix |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlRow(point: PointResult, index: number): string {
  const evidence = point.evidence.map((e) => `<li>${escape(e)}</li>`).join('');
  return `<tr class="${point.status}"><td>${index + 1}</td><td>${escape(point.title)}<br><code>${point.id}</code></td>` +
    `<td>${escape(MARK[point.status])}</td><td><ul>${evidence}</ul></td><td>${escape(point.fix ?? '')}</td></tr>`;
}

function renderHtml(report: PreflightReport): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Gatehouse preflight</title>',
    '<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top}' +
      'tr.failed td:nth-child(3){color:#b00020;font-weight:bold}tr.passed td:nth-child(3){color:#1b5e20}ul{margin:0;padding-left:1.2em}</style>',
    '</head><body>',
    '<h1>Gatehouse preflight</h1>',
    `<p><strong>${escape(summaryLine(report))}</strong></p>`,
    '<table><thead><tr><th>#</th><th>Point</th><th>Status</th><th>Evidence</th><th>Fix</th></tr></thead><tbody>',
    ...report.points.map(htmlRow),
    '</tbody></table>',
    '</body></html>',
    '',
  ].join('\n');
}
