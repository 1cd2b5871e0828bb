// Tool definition changes for a reviewer: each changed part before and after, side by side in
// Markdown (a two-column table of code blocks) and one after the other in text.
import type { PartChange, ToolChange } from './compare-locks.ts';

const KIND = { added: 'added (not pinned yet)', removed: 'removed', changed: 'changed' } as const;

/** A part's value as a reviewer reads it: text as is, anything else as indented JSON. */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** A table cell holding a code block (HTML, so that line breaks and pipes survive in a table). */
function cell(value: unknown): string {
  const escaped = shown(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\n/g, '<br>');
  return `<pre>${escaped}</pre>`;
}

export function renderToolChangesMarkdown(title: string, changes: readonly ToolChange[]): string {
  if (changes.length === 0) return '';
  const lines = [`### ${title}`, ''];
  for (const change of changes) {
    lines.push(`**${change.server} / ${change.tool}**: ${KIND[change.kind]}`, '');
    lines.push('| part | before | after |', '|---|---|---|');
    for (const part of change.parts) lines.push(`| ${part.part} | ${cell(part.before)} | ${cell(part.after)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function renderToolChangesText(title: string, changes: readonly ToolChange[]): string {
  if (changes.length === 0) return '';
  const lines = [`${title}:`];
  for (const change of changes) {
    lines.push(`  ${change.server} / ${change.tool}: ${KIND[change.kind]}`);
    for (const part of change.parts) lines.push(...partText(part));
  }
  return `${lines.join('\n')}\n`;
}

function partText(part: PartChange): string[] {
  const indent = (label: string, value: unknown) => shown(value).split('\n').map((line, i) => `      ${i === 0 ? label : ' '.repeat(label.length)}${line}`);
  return [`    ${part.part}:`, ...indent('- before: ', part.before), ...indent('+ after:  ', part.after)];
}
