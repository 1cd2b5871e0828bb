import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

/** A commit the test completes by hand, so it can submit while one is in flight. */
function manualCommits() {
  const groups: number[][] = [];
  const finish: ((error?: Error) => void)[] = [];
  const commit = (group: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      groups.push([...group]);
      finish.push((error) => (error ? reject(error) : resolve()));
    });
  return { groups, finish, commit };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends what was submitted during a commit together in the next one, and resolves each only after its commit', async () => {
    const { groups, finish, commit } = manualCommits();
    const commits = new GroupCommit<number>({ commit, repair: () => Promise.resolve(), retryMs: 0 });
    const done: number[] = [];
    const track = (n: number) => void commits.submit(n).then(() => done.push(n));
    track(1);
    await settle();
    track(2);
    track(3);
    await settle();
    expect(groups).toEqual([[1]]);
    expect(done).toEqual([]);
    finish[0]!();
    await settle();
    expect(done).toEqual([1]);
    expect(groups).toEqual([[1], [2, 3]]);
    finish[1]!();
    await commits.idle();
    expect(done).toEqual([1, 2, 3]);
  });

  it('retries a failed commit after repairing, and resolves nothing until it lands', async () => {
    const { groups, finish, commit } = manualCommits();
    const errors: string[] = [];
    const waits: number[] = [];
    let repairs = 0;
    const commits = new GroupCommit<number>({
      commit,
      repair: () => Promise.resolve(void (repairs += 1)),
      onError: (e) => errors.push(e.message),
      retryMs: 1000,
      wait: (ms) => Promise.resolve(void waits.push(ms)),
    });
    let resolved = false;
    void commits.submit(7).then(() => (resolved = true));
    await settle();
    finish[0]!(new Error('disk full'));
    await settle();
    expect({ errors, waits, repairs, resolved }).toEqual({ errors: ['disk full'], waits: [1000], repairs: 1, resolved: false });
    expect(groups).toEqual([[7], [7]]);
    finish[1]!();
    await commits.idle();
    expect(resolved).toBe(true);
  });
});
