// What differs between two sets of locked tools: the lock and what the servers list now (drift), or
// the base revision's lock and the pull request's (the review diff). Pure.
import { PINNED_PARTS, type PinnedPart } from '../../../artifacts/src/tool-pins/tool-definition.ts';
import type { LockedTool, ToolLock } from '../../../compiler/src/tool-lock/lock-file.ts';

export interface PartChange {
  readonly part: PinnedPart;
  /** The part's value before and after; undefined where the tool did not have it. */
  readonly before: unknown;
  readonly after: unknown;
}

export interface ToolChange {
  readonly server: string;
  readonly tool: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly parts: readonly PartChange[];
}

/** The changes from `before` to `after`, sorted by server and tool; only the servers `after` has when `onlyAfterServers`. */
export function compareLocks(before: ToolLock, after: ToolLock, onlyAfterServers = false): ToolChange[] {
  const servers = new Set([...Object.keys(after.servers), ...(onlyAfterServers ? [] : Object.keys(before.servers))]);
  const changes: ToolChange[] = [];
  for (const server of [...servers].sort()) {
    const old = byName(before.servers[server] ?? []);
    const now = byName(after.servers[server] ?? []);
    for (const tool of [...new Set([...old.keys(), ...now.keys()])].sort()) {
      const a = old.get(tool);
      const b = now.get(tool);
      if (a && b && a.sha256 === b.sha256) continue;
      const parts = PINNED_PARTS.filter((part) => a?.parts[part]?.sha256 !== b?.parts[part]?.sha256).map((part) => ({
        part,
        before: a?.parts[part]?.value,
        after: b?.parts[part]?.value,
      }));
      changes.push({ server, tool, kind: !a ? 'added' : !b ? 'removed' : 'changed', parts });
    }
  }
  return changes;
}

function byName(tools: readonly LockedTool[]): Map<string, LockedTool> {
  return new Map(tools.map((tool) => [tool.name, tool]));
}
