// The access matrix as a text table: one row per tool, one column per subject.
import { canCall, type AccessMatrix } from './matrix.ts';
import type { PersonAccess } from './person.ts';

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

/** One person's access: the tools they may call, each with the principals that grant it, then their endpoints. */
export function renderPersonText(access: PersonAccess, risks: ReadonlyMap<string, string>): string {
  const rows = Object.entries(access.via).map(([tool, via]) => [tool, risks.get(tool) ?? '', via.join(', ')]);
  const header = ['tool', 'risk', 'granted through'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const teams = access.teams.length > 0 ? access.teams.map((t) => `team:${t}`).join(', ') : 'no team';
  const out = [`${access.subject} (as a member of ${teams})`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (rows.length === 0) out.push('(no tool)');
  out.push('', 'endpoints:');
  for (const [vs, tools] of Object.entries(access.virtualServers)) out.push(`  ${vs}: ${tools.join(', ')}`);
  if (Object.keys(access.virtualServers).length === 0) out.push('  (none)');
  out.push('', 'team membership (from the token):');
  for (const m of access.teamMapping) out.push(`  team:${m.team} <- ${m.provider} group "${m.group}" in claim "${m.claim}"`);
  for (const note of access.notes) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}
