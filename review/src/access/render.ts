// The access matrix as a text table: one row per tool, one column per subject.
import { canCall, type AccessMatrix } from './matrix.ts';

export function renderAccessText(matrix: AccessMatrix): string {
  const subjects = matrix.subjects;
  const header = ['tool', 'risk', ...subjects.map((s) => s.subject)];
  const rows = matrix.tools.map((t) => [
    `${t.server}/${t.tool}`,
    t.risk,
    ...subjects.map((s) => (canCall(s, t.server, t.tool) ? 'yes' : '-')),
  ]);
  // Every row has a cell per header column.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const s of subjects) if (s.note) out.push(`note: ${s.subject}: ${s.note}`);
  return `${out.join('\n')}\n`;
}
