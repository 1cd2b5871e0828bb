// HTML building for the catalog page: every value goes through `escapeHtml`, so a name, reason or
// subject a client or registry author chose (`<script>`…) is shown as text, never run.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A table: header cells, then rows of already-escaped cell HTML; `empty` when there are no rows. */
export function table(id: string, headers: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${escapeHtml(id)}">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${escapeHtml(id)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A value shown as missing when null. */
export function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '<span class="muted">—</span>' : escapeHtml(value);
}

/** A cost: plain decimals, no float noise (0.1 + 0.2 shows as 0.3). */
export function formatCost(value: number): string {
  return escapeHtml(String(Number(value.toFixed(6))));
}
