// Turns a failed GitHub API call into a message that says what to do: which permission a 403 lacks,
// what GitHub rejected on a 422, and so on.

/** A GitHub API call failed; the message is for people. */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** What was being done, and the token permission it needs. */
export interface ApiAction {
  /** For example "create the pull-request comment". */
  readonly what: string;
  /** For example "pull-requests: write". */
  readonly permission: string;
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined>; url?: string };
}

export function explainGitHubError(error: unknown, action: ApiAction): GitHubApiError {
  const e = (error ?? {}) as RequestErrorLike;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const github = githubMessage(e);
  const said = github ? ` GitHub says: ${github}` : '';
  switch (status) {
    case undefined:
      return new GitHubApiError(
        `cannot ${action.what}: the GitHub API did not answer (${e.message ?? String(error)}). Check GITHUB_API_URL and the network.`,
        status,
      );
    case 401:
      return new GitHubApiError(`cannot ${action.what} (401 Unauthorized): GITHUB_TOKEN is not a valid token, or it has expired.${said}`, status);
    case 403:
      if (String(e.response?.headers?.['x-ratelimit-remaining'] ?? '') === '0') {
        return new GitHubApiError(`cannot ${action.what} (403): the token's API rate limit is used up; try again later.${said}`, status);
      }
      return new GitHubApiError(
        `cannot ${action.what} (403 Forbidden): the token lacks the permission "${action.permission}". ` +
          `Grant it in the workflow (permissions: ${action.permission}); ` +
          `pull requests from forks get a read-only token, so run the report from a workflow that has it.${said}`,
        status,
      );
    case 404:
      return new GitHubApiError(
        `cannot ${action.what} (404 Not Found): the repository or pull request does not exist, or the token cannot see it. Check --repo and --pr.${said}`,
        status,
      );
    case 422:
      return new GitHubApiError(`cannot ${action.what} (422 Unprocessable Entity): GitHub rejected the request.${said}${hint422(github)}`, status);
    default:
      return new GitHubApiError(`cannot ${action.what} (HTTP ${status}).${said}`, status);
  }
}

/** GitHub's error message and the details of each error it lists. */
function githubMessage(e: RequestErrorLike): string {
  const data = e.response?.data as { message?: unknown; errors?: unknown[] } | string | undefined;
  if (typeof data === 'string') return data.trim().slice(0, 300);
  const parts: string[] = [];
  if (data && typeof data.message === 'string') parts.push(data.message);
  for (const item of Array.isArray(data?.errors) ? data.errors : []) {
    if (typeof item === 'string') parts.push(item);
    else if (item && typeof item === 'object') {
      const { message, field, code } = item as { message?: unknown; field?: unknown; code?: unknown };
      parts.push([field, code, message].filter((x) => typeof x === 'string').join(' '));
    }
  }
  if (parts.length === 0 && e.message) parts.push(e.message);
  return parts.join('; ');
}

function hint422(message: string): string {
  if (/sha|commit/i.test(message)) return ' --sha must be a commit of the repository: the pull request\'s head commit.';
  if (/body is too long|too long/i.test(message)) return ' The comment is too long.';
  return '';
}
