// Publishes a check report to a pull request: the single Gatehouse comment (created or updated) and
// a check run on the head commit with the findings as annotations. Both are attempted; the errors of
// either are reported together.
import { renderCheckMarkdown } from '../check/render-markdown.ts';
import type { CheckReport } from '../check/report.ts';
import { toAnnotations } from './annotations.ts';
import { publishCheckRun } from './check-run.ts';
import type { GitHubConnection } from './github-client.ts';
import { GitHubApiError } from './github-error.ts';
import { upsertComment, type PullRequest } from './pr-comment.ts';

/** GitHub's limits: 65536 characters for a comment body and for a check run's summary. */
const COMMENT_LIMIT = 65_536;
const SUMMARY_LIMIT = 65_535;

export interface PublishTarget extends PullRequest {
  /** The pull request's head commit, which the check run is attached to. */
  readonly sha: string;
}

export interface PublishResult {
  readonly comment?: { readonly action: 'created' | 'updated'; readonly url: string };
  readonly checkRun?: { readonly id: number; readonly url: string; readonly annotations: number };
  /** What failed, as messages for people. */
  readonly errors: readonly string[];
}

export async function publishReport(github: GitHubConnection, target: PublishTarget, report: CheckReport): Promise<PublishResult> {
  const fileUrl = (file: string, line: number) => `${github.serverUrl}/${target.owner}/${target.repo}/blob/${target.sha}/${file}#L${line}`;
  const errors: string[] = [];
  const attempt = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      errors.push(error.message);
      return undefined;
    }
  };
  const comment = await attempt(() => upsertComment(github.octokit, target, renderCheckMarkdown(report, { maxLength: COMMENT_LIMIT, fileUrl })));
  const annotations = toAnnotations(report.diagnostics);
  const checkRun = await attempt(() =>
    publishCheckRun(github.octokit, {
      owner: target.owner,
      repo: target.repo,
      sha: target.sha,
      conclusion: conclusion(report),
      title: title(report),
      summary: renderCheckMarkdown(report, { maxLength: SUMMARY_LIMIT, fileUrl }),
      annotations,
    }),
  );
  return {
    ...(comment ? { comment: { action: comment.action, url: comment.url } } : {}),
    ...(checkRun ? { checkRun: { id: checkRun.id, url: checkRun.url, annotations: annotations.length } } : {}),
    errors,
  };
}

/** failure on any error, neutral on warnings only, success otherwise. */
export function conclusion(report: CheckReport): 'success' | 'failure' | 'neutral' {
  if (report.summary.errors > 0) return 'failure';
  return report.summary.warnings > 0 ? 'neutral' : 'success';
}

function title(report: CheckReport): string {
  const { errors, warnings } = report.summary;
  if (errors + warnings === 0) return 'All gates passed';
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
