// The diffs as GitHub-flavoured Markdown tables, for the pull-request comment. Deterministic: the
// diffs are sorted, and nothing here adds a time or a revision.
import { code, table } from '../../../compiler/src/util/markdown.ts';
import type { AccessChange, AccessDiff } from './access-diff.ts';
import type { ConfigChange, ConfigDiff, FieldChange } from './config-diff.ts';
import type { RequiredReviewer } from './required-reviewers.ts';

/** At most `maxRows` rows per table; the rest is counted in a line under it. */
export interface TableLimit {
  readonly maxRows?: number;
}

const ACCESS_MARK = { gained: '➕ gains', lost: '➖ loses' } as const;
const CONFIG_MARK = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed' } as const;

/** "Who gains / loses which tool": one row per subject and tool, with its risk and owning team. */
export function accessTableMarkdown(diff: AccessDiff, highRisk: readonly string[], limit: TableLimit = {}): string {
  if (diff.changes.length === 0) return 'No subject gains or loses a tool.';
  const rows = diff.changes.map((c) => [code(c.subject), ACCESS_MARK[c.change], code(`${c.server}/${c.tool}`), risk(c, highRisk), c.owner ?? '_no owner_']);
  return limited(['Subject', 'Change', 'Tool', 'Risk', 'Owner team'], rows, limit, 'access changes');
}

/** The owning teams that must review, each with the new high-risk access it is asked about. */
export function reviewersMarkdown(reviewers: readonly RequiredReviewer[]): string {
  return reviewers
    .map((r) => {
      const what = r.changes.map((c) => `${code(c.subject)} gains ${code(`${c.server}/${c.tool}`)} (${c.risk})`).join(', ');
      return `- ${r.team ? `**${r.team}**` : '**a reviewer for servers without owner**'}: ${what}`;
    })
    .join('\n');
}

/** Servers, upstream URLs, virtual servers, identity providers, teams and gateways that changed. */
export function configTableMarkdown(diff: ConfigDiff, limit: TableLimit = {}): string {
  if (diff.changes.length === 0) return 'No server, virtual server, identity provider, team or gateway changed.';
  const rows = diff.changes.map((c) => [CONFIG_MARK[c.change], c.kind, code(c.name), details(c)]);
  return limited(['Change', 'Kind', 'Name', 'Details'], rows, limit, 'configuration changes');
}

function risk(change: AccessChange, highRisk: readonly string[]): string {
  return highRisk.includes(change.risk) ? `**${change.risk}** ⚠️` : change.risk;
}

function details(change: ConfigChange): string {
  return change.fields.map(field).join('\n');
}

function field(f: FieldChange): string {
  const value = (v: string | undefined) => (v === undefined ? '_unset_' : code(v));
  if (f.before === undefined && f.after !== undefined) return `${f.field}: ${value(f.after)}`;
  if (f.after === undefined && f.before !== undefined) return `${f.field}: ${value(f.before)}`;
  return `${f.field}: ${value(f.before)} → ${value(f.after)}`;
}

function limited(headers: readonly string[], rows: readonly string[][], limit: TableLimit, what: string): string {
  const max = limit.maxRows ?? rows.length;
  const shown = table(headers, rows.slice(0, max));
  return rows.length > max ? `${shown}\n\n… and ${rows.length - max} more ${what}; \`gatehouse check --format json\` lists them all.` : shown;
}
