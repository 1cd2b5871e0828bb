// [impure] The single Gatehouse comment of a pull request: found by its marker across every page of
// the pull request's comments, updated when present, created otherwise, so a re-run never adds one.
import type { Octokit } from '@octokit/rest';
import { REPORT_MARKER } from '../check/render-markdown.ts';
import { explainGitHubError } from './github-error.ts';

export interface PullRequest {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

const PERMISSION = 'pull-requests: write';

export async function upsertComment(octokit: Octokit, pr: PullRequest, body: string): Promise<{ action: 'created' | 'updated'; id: number; url: string }> {
  const existing = await findComment(octokit, pr);
  if (existing !== undefined) {
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: existing, body });
      return { action: 'updated', id: data.id, url: data.html_url };
    } catch (error) {
      throw explainGitHubError(error, { what: 'update the pull-request comment', permission: PERMISSION });
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    throw explainGitHubError(error, { what: 'create the pull-request comment', permission: PERMISSION });
  }
}

/** The id of the first comment that starts with the marker, reading page after page until found. */
async function findComment(octokit: Octokit, pr: PullRequest): Promise<number | undefined> {
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: pr.owner, repo: pr.repo, issue_number: pr.number, per_page: 100 });
    for await (const page of pages) {
      const found = page.data.find((c) => c.body?.trimStart().startsWith(REPORT_MARKER));
      if (found) return found.id;
    }
    return undefined;
  } catch (error) {
    throw explainGitHubError(error, { what: 'list the pull-request comments', permission: 'pull-requests: read' });
  }
}
