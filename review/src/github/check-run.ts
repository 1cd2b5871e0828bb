// [impure] The "Gatehouse" check run of a commit: conclusion, title, the report as summary, and the
// findings as annotations at path:line, sent 50 at a time (the first batch with the new run, the rest
// as updates, which GitHub appends).
import type { Octokit } from '@octokit/rest';
import type { Annotation } from './annotations.ts';
import { batches } from './annotations.ts';
import { explainGitHubError } from './github-error.ts';

export const CHECK_RUN_NAME = 'Gatehouse';

export interface CheckRunContent {
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure' | 'neutral';
  readonly title: string;
  readonly summary: string;
  readonly annotations: readonly Annotation[];
}

const PERMISSION = 'checks: write';

export async function publishCheckRun(octokit: Octokit, content: CheckRunContent): Promise<{ id: number; url: string; requests: number }> {
  const [first = [], ...rest] = batches(content.annotations);
  const output = (annotations: readonly Annotation[]) => ({ title: content.title, summary: content.summary, annotations: [...annotations] });
  let id: number;
  let url: string;
  try {
    const { data } = await octokit.rest.checks.create({
      owner: content.owner,
      repo: content.repo,
      name: CHECK_RUN_NAME,
      head_sha: content.sha,
      status: 'completed',
      conclusion: content.conclusion,
      output: output(first),
    });
    id = data.id;
    url = data.html_url ?? '';
  } catch (error) {
    throw explainGitHubError(error, { what: 'create the check run', permission: PERMISSION });
  }
  for (const batch of rest) {
    try {
      await octokit.rest.checks.update({ owner: content.owner, repo: content.repo, check_run_id: id, output: output(batch) });
    } catch (error) {
      throw explainGitHubError(error, { what: 'add annotations to the check run', permission: PERMISSION });
    }
  }
  return { id, url, requests: 1 + rest.length };
}
