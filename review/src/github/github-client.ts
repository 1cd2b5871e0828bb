// [impure] The GitHub REST client (@octokit/rest), set up from the environment: the token from
// GITHUB_TOKEN, the API base URL from GITHUB_API_URL (GitHub Enterprise Server sets it, for example
// https://ghe.example.com/api/v3), the web URL for links from GITHUB_SERVER_URL.
import { Octokit } from '@octokit/rest';
import { VERSION } from '../../../compiler/src/version.ts';

export const DEFAULT_API_URL = 'https://api.github.com';
export const DEFAULT_SERVER_URL = 'https://github.com';

/** The environment is missing something the client needs: a usage problem, exit code 2. */
export class GitHubSetupError extends Error {
  override readonly name = 'GitHubSetupError';
}

export interface GitHubConnection {
  readonly octokit: Octokit;
  readonly apiUrl: string;
  /** The web URL, for links to files in comments. */
  readonly serverUrl: string;
}

export function connectFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubConnection {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new GitHubSetupError(
      'GITHUB_TOKEN is not set. In GitHub Actions add `env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} }` to the step ' +
        '(with permissions pull-requests: write and checks: write); elsewhere export a token that has those permissions.',
    );
  }
  const apiUrl = (env.GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) throw new GitHubSetupError(`GITHUB_API_URL must be an http(s) URL (got "${apiUrl}")`);
  const serverUrl = (env.GITHUB_SERVER_URL?.trim() || DEFAULT_SERVER_URL).replace(/\/+$/, '');
  const quiet = () => undefined;
  const octokit = new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: `gatehouse/${VERSION}`,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return { octokit, apiUrl, serverUrl };
}
