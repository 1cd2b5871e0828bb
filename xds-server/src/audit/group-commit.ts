// Group commit: whatever is submitted while a commit is in flight goes out together in the next
// one, and each submission resolves only after the commit that carried it succeeded. A failed
// commit is repaired and retried (after `retryMs`) until it lands, so submissions keep their order.

export interface GroupCommitOptions<T> {
  /** Writes a group durably; throws when it did not. */
  readonly commit: (group: readonly T[]) => Promise<void>;
  /** Called after a failed commit, before the retry (to re-read what is on disk). */
  readonly repair: () => Promise<void>;
  readonly onError?: (error: Error) => void;
  readonly retryMs: number;
  /** Waits before a retry (setTimeout; a test may pass its own). */
  readonly wait?: (ms: number) => Promise<void>;
}

interface Submission<T> {
  readonly item: T;
  readonly resolve: () => void;
}

export class GroupCommit<T> {
  private queue: Submission<T>[] = [];
  private draining?: Promise<void>;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /** Resolves once a commit carrying `item` has succeeded. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ item, resolve });
      // drain() clears `draining` in the same turn it finds the queue empty, so nothing is left behind.
      this.draining ??= Promise.resolve().then(() => this.drain());
    });
  }

  /** Resolves when every submission so far has been committed. */
  async idle(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        this.draining = undefined;
        return;
      }
      const group = this.queue;
      this.queue = [];
      await this.commitUntilItLands(group.map((s) => s.item));
      for (const submission of group) submission.resolve();
    }
  }

  private async commitUntilItLands(items: readonly T[]): Promise<void> {
    const wait = this.options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (;;) {
      try {
        await this.options.commit(items);
        return;
      } catch (error) {
        this.report(error);
        await wait(this.options.retryMs);
        await this.options.repair().catch((e: unknown) => this.report(e));
      }
    }
  }

  private report(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}
