// The access diff between two revisions: per subject and tool, the access gained and lost. Both sides
// come from the access matrix of that revision's bundle (its tools entrypoint, one evaluation per
// subject), so Rego rules count as much as grants.
import type { AccessMatrix } from '../access/matrix.ts';

export type AccessChangeKind = 'gained' | 'lost';

/** One subject gaining or losing one tool. */
export interface AccessChange {
  /** `team:<name>` or `authenticated`. */
  readonly subject: string;
  readonly change: AccessChangeKind;
  readonly server: string;
  readonly tool: string;
  /** The tool's risk level: the head's for a gained tool, the base's for a lost one. */
  readonly risk: string;
  /** The team that owns the tool's server, or null when it has no owner. */
  readonly owner: string | null;
}

/** Every change, sorted by subject, then server, tool and kind of change. */
export interface AccessDiff {
  readonly changes: readonly AccessChange[];
}

type ToolInfo = AccessMatrix['tools'][number];

export function diffAccess(base: AccessMatrix, head: AccessMatrix): AccessDiff {
  const subjects = [...new Set([...base.subjects, ...head.subjects].map((s) => s.subject))].sort();
  const changes: AccessChange[] = [];
  for (const subject of subjects) {
    const before = callable(base, subject);
    const after = callable(head, subject);
    for (const key of after) if (!before.has(key)) changes.push(change(subject, 'gained', key, head, base));
    for (const key of before) if (!after.has(key)) changes.push(change(subject, 'lost', key, base, head));
  }
  return { changes: changes.sort(compareChanges) };
}

/** `server/tool` of every tool a subject may call. */
function callable(matrix: AccessMatrix, subject: string): Set<string> {
  const access = matrix.subjects.find((s) => s.subject === subject);
  const keys = new Set<string>();
  for (const [server, tools] of Object.entries(access?.servers ?? {})) for (const tool of tools) keys.add(`${server}/${tool}`);
  return keys;
}

function change(subject: string, kind: AccessChangeKind, key: string, primary: AccessMatrix, other: AccessMatrix): AccessChange {
  const slash = key.indexOf('/');
  const server = key.slice(0, slash);
  const tool = key.slice(slash + 1);
  const info: ToolInfo | undefined = find(primary, server, tool) ?? find(other, server, tool);
  return { subject, change: kind, server, tool, risk: info?.risk ?? 'unknown', owner: info?.owner ?? null };
}

function find(matrix: AccessMatrix, server: string, tool: string): ToolInfo | undefined {
  return matrix.tools.find((t) => t.server === server && t.tool === tool);
}

function compareChanges(a: AccessChange, b: AccessChange): number {
  return compare(a.subject, b.subject) || compare(a.server, b.server) || compare(a.tool, b.tool) || compare(a.change, b.change);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
