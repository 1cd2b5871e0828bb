// The page's inline style and script, and the Content-Security-Policy that allows exactly these two
// (by hash) and nothing else: no request leaves the page, so it works on an air-gapped site and an
// injected tag could neither run nor load anything.
import { createHash } from 'node:crypto';

export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #667085; --line: #d9dee7; --band: #f4f6f9; --accent: #2454a6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); background: var(--band); }
h1 { margin: 0 0 4px; font-size: 20px; }
h2 { margin: 28px 0 8px; font-size: 16px; }
h3 { margin: 18px 0 6px; font-size: 14px; }
main { padding: 0 24px 32px; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.meta { margin: 4px 0 8px; color: var(--muted); }
.meta code, td code { color: var(--ink); font-size: 13px; }
.muted, .empty, .source { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; }
tbody tr:hover { background: #fafbfd; }
.num { display: block; text-align: right; font-variant-numeric: tabular-nums; }
.risk { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; }
.risk-low { background: #e3f4e8; color: #1d6b35; }
.risk-medium { background: #fff2cc; color: #7a5b00; }
.risk-high { background: #ffe0cc; color: #8a3a00; }
.risk-critical { background: #fcd9d9; color: #9b1c1c; }
.decision-deny, .decision-rejected { color: #9b1c1c; font-weight: 600; }
#filter { margin: 6px 0 2px; padding: 5px 8px; width: 320px; border: 1px solid var(--line); border-radius: 4px; }
footer { padding: 12px 24px; color: var(--muted); border-top: 1px solid var(--line); }
`;

/** Shows the filter box (hidden without JavaScript) and hides the table rows that do not contain its text. */
export const PAGE_SCRIPT = `
const filter = document.getElementById('filter');
filter.hidden = false;
filter.addEventListener('input', () => {
  const wanted = filter.value.trim().toLowerCase();
  for (const row of document.querySelectorAll('tbody tr')) row.hidden = wanted !== '' && !row.textContent.toLowerCase().includes(wanted);
});
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${hash(PAGE_STYLE)}`,
  `script-src ${hash(PAGE_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
