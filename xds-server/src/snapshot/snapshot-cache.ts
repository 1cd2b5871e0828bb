// The snapshots being served, one per fleet, and the streams waiting for changes.
import type { Snapshot } from './snapshot.ts';

export type SnapshotListener = () => void;

export class SnapshotCache {
  private snapshots: ReadonlyMap<string, Snapshot> = new Map();
  private readonly listeners = new Set<SnapshotListener>();

  /** Replaces every fleet's snapshot at once and wakes the streams. */
  set(snapshots: ReadonlyMap<string, Snapshot>): void {
    this.snapshots = snapshots;
    for (const listener of [...this.listeners]) listener();
  }

  get(fleet: string): Snapshot | undefined {
    return this.snapshots.get(fleet);
  }

  fleets(): string[] {
    return [...this.snapshots.keys()].sort();
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
