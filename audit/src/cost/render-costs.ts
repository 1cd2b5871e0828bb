// The cost report as text (a terminal table), JSON, CSV (one row per team/server/tool) and a
// self-contained HTML page with an inline SVG bar chart. Pure: report in, text out.
import type { CostReport, CostRow } from './cost-summary.ts';

export type CostFormat = 'text' | 'json' | 'csv' | 'html';

export function renderCosts(report: CostReport, format: CostFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderHtml(report);
    default:
      return renderText(report);
  }
}

const money = (cost: number) => cost.toFixed(6);

function period(report: CostReport): string {
  const window = `${report.since ?? 'the start of the log'} to ${report.until ?? 'now'}`;
  const seen = report.first ? `; tool calls from ${report.first} to ${report.last}` : '; no tool calls';
  return `${window}${seen}`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: number): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i >= headers.length - numeric ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const counts = (r: CostRow) => [String(r.calls), String(r.denied), money(r.cost)];

function renderText(report: CostReport): string {
  const out = [
    'Tool call costs (from the audit log)',
    `Period: ${period(report)}`,
    '',
    'By cost center',
    table(['cost center', 'calls', 'denied', 'cost'], [...report.costCenters.map((r) => [r.costCenter, ...counts(r)]), ['total', ...counts(report.total)]], 3),
    '',
    'By team',
    table(['team', 'cost center', 'calls', 'denied', 'cost'], report.teams.map((r) => [r.team, r.costCenter, ...counts(r)]), 3),
    '',
    'By tool',
    table(['team', 'server', 'tool', 'calls', 'denied', 'cost'], report.tools.map((r) => [r.team, r.server, r.tool, ...counts(r)]), 3),
  ];
  return `${out.join('\n')}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderCsv(report: CostReport): string {
  const rows = [['team', 'cost_center', 'server', 'tool', 'calls', 'denied', 'cost']];
  for (const r of report.tools) rows.push([r.team, r.costCenter, r.server, r.tool, ...counts(r)]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Horizontal bars, one per label, scaled to the largest value. */
function barChart(title: string, bars: readonly { label: string; value: number }[]): string {
  const rowHeight = 28;
  const labelWidth = 180;
  const barWidth = 420;
  const height = rowHeight * Math.max(bars.length, 1) + 36;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const items = bars.map((b, i) => {
    const y = 30 + i * rowHeight;
    const w = max > 0 ? Math.max(1, Math.round((b.value / max) * barWidth)) : 1;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(b.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y}" width="${w}" height="${rowHeight - 8}"><title>${escapeHtml(b.label)}: ${money(b.value)}</title></rect>`,
      `<text x="${labelWidth + w + 6}" y="${y + 15}">${money(b.value)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 110}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 110} ${height}"><text x="0" y="16" class="title">${escapeHtml(title)}</text>${items.join('')}</svg>`;
}

function htmlTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= r.length - 3 ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function renderHtml(report: CostReport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gatehouse: tool call costs</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2933; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #d9e2ec; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font-size: 13px; fill: #1f2933; } svg .title { font-weight: 600; } svg .bar { fill: #3f7cac; }
</style>
</head>
<body>
<h1>Tool call costs</h1>
<p>${escapeHtml(period(report))}. Total: ${report.total.calls} calls, ${money(report.total.cost)}.</p>
<figure>${barChart('Cost by team', report.teams.map((t) => ({ label: `${t.team} (${t.costCenter})`, value: t.cost })))}</figure>
<figure>${barChart('Cost by cost center', report.costCenters.map((c) => ({ label: c.costCenter, value: c.cost })))}</figure>
<h2>By cost center</h2>
${htmlTable(['cost center', 'calls', 'denied', 'cost'], [...report.costCenters.map((r) => [r.costCenter, ...counts(r)]), ['total', ...counts(report.total)]])}
<h2>By team</h2>
${htmlTable(['team', 'cost center', 'calls', 'denied', 'cost'], report.teams.map((r) => [r.team, r.costCenter, ...counts(r)]))}
<h2>By tool</h2>
${htmlTable(['team', 'server', 'tool', 'calls', 'denied', 'cost'], report.tools.map((r) => [r.team, r.server, r.tool, ...counts(r)]))}
</body>
</html>
`;
}
