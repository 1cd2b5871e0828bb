// [impure] The source revision recorded in artifacts: the git commit of the root, marked when the
// working tree has uncommitted changes, or "unversioned" outside git.
import { run } from '../../../toolchain/src/run.ts';

export async function sourceRevision(root: string): Promise<string> {
  const head = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
  if (head.code !== 0) return 'unversioned';
  const status = await run('git', ['status', '--porcelain', '--', 'registry', 'policies'], { cwd: root });
  const commit = head.stdout.trim();
  return status.code === 0 && status.stdout.trim() !== '' ? `${commit}-dirty` : commit;
}
