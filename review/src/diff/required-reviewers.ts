// The teams that must review a change: the owners of the servers whose high-risk tools a subject
// gains. Pure, from the access diff.
import type { AccessChange, AccessDiff } from './access-diff.ts';

/** A team that must review, and the new high-risk access it is asked about. */
export interface RequiredReviewer {
  /** The owning team; null for servers without an owner (someone must still review). */
  readonly team: string | null;
  readonly changes: readonly AccessChange[];
}

/** Owners of the gained high-risk tools, sorted by team (servers without owner last). */
export function requiredReviewers(diff: AccessDiff, highRisk: readonly string[]): RequiredReviewer[] {
  const byTeam = new Map<string | null, AccessChange[]>();
  for (const change of diff.changes) {
    if (change.change !== 'gained' || !highRisk.includes(change.risk)) continue;
    const list = byTeam.get(change.owner) ?? [];
    list.push(change);
    byTeam.set(change.owner, list);
  }
  return [...byTeam.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1))
    .map(([team, changes]) => ({ team, changes }));
}
