// Git fixtures for `gatehouse check --base`: a temporary repository whose `main` branch holds the
// example registry and policies (the base), and whose checked-out branch `change` holds the head,
// the example with some edits. Commits use fixed names and dates, so their SHAs are stable.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, copyExampleRepo, type RepoEdits } from '../../testkit/repo.ts';

/** Edits for the head revision: whole files (null deletes), and string replacements in files. */
export interface HeadChange {
  readonly files?: RepoEdits;
  /** file → [from, to] pairs; `from` must occur in the file. */
  readonly replace?: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Gatehouse Test',
  GIT_AUTHOR_EMAIL: 'test@gatehouse.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Gatehouse Test',
  GIT_COMMITTER_EMAIL: 'test@gatehouse.invalid',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd: root,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
  });
}

/** Creates the repository at `root`: `main` is the example, the branch `change` applies `change`. */
export function gitFixture(root: string, change: HeadChange = {}): string {
  copyExampleRepo(root);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base: the example registry');
  git(root, 'checkout', '-q', '-b', 'change');
  applyChange(root, change);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', 'head: the change under review');
  return root;
}

export function applyChange(root: string, change: HeadChange): void {
  for (const [file, pairs] of Object.entries(change.replace ?? {})) {
    let text = readFileSync(join(root, file), 'utf8');
    for (const [from, to] of pairs) {
      if (!text.includes(from)) throw new Error(`fixture: "${from}" does not occur in ${file}`);
      text = text.replace(from, to);
    }
    writeFileSync(join(root, file), text);
  }
  applyEdits(root, change.files ?? {});
}
