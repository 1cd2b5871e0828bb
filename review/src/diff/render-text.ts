// The diffs as plain text, for the terminal: one line per change.
import type { AccessDiff } from './access-diff.ts';
import type { ConfigDiff, FieldChange } from './config-diff.ts';
import type { RequiredReviewer } from './required-reviewers.ts';

export function accessDiffText(diff: AccessDiff): string[] {
  if (diff.changes.length === 0) return ['  no subject gains or loses a tool'];
  return diff.changes.map((c) => {
    const [mark, verb] = c.change === 'gained' ? ['+', 'gains'] : ['-', 'loses'];
    return `  ${mark} ${c.subject} ${verb} ${c.server}/${c.tool} (risk ${c.risk}, owner ${c.owner ?? 'none'})`;
  });
}

export function configDiffText(diff: ConfigDiff): string[] {
  if (diff.changes.length === 0) return ['  no configuration change'];
  const mark = { added: '+', removed: '-', changed: '~' } as const;
  return diff.changes.map((c) => `  ${mark[c.change]} ${c.kind} ${c.name} ${c.change}: ${c.fields.map(field).join('; ')}`);
}

export function reviewersText(reviewers: readonly RequiredReviewer[]): string[] {
  return reviewers.map((r) => {
    const gains = r.changes.map((c) => `${c.subject} gains ${c.server}/${c.tool} (${c.risk})`);
    return `  ${r.team ?? '(servers without owner)'}: ${gains.join(', ')}`;
  });
}

function field(f: FieldChange): string {
  if (f.before === undefined) return `${f.field} ${f.after}`;
  if (f.after === undefined) return `${f.field} ${f.before}`;
  return `${f.field} ${f.before} -> ${f.after}`;
}
