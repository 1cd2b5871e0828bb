// `gatehouse github report`: posts a check report to a pull request, as one comment (found again by
// its marker and updated on every run) and a "Gatehouse" check run with annotations. Reads the
// report written by `gatehouse check --format json`, or runs the check itself.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BaseRevisionError } from '../../review/src/check/base-revision.ts';
import { parseCheckReport, type CheckReport } from '../../review/src/check/report.ts';
import { runCheck } from '../../review/src/check/run-check.ts';
import { connectFromEnv, GitHubSetupError } from '../../review/src/github/github-client.ts';
import { publishReport } from '../../review/src/github/publish-report.ts';
import { progressPrinter } from '../../compiler/src/pipeline/progress.ts';
import { parseFlags } from './args.ts';
import { UsageError } from './usage-error.ts';

export const GITHUB_USAGE =
  'Usage: gatehouse github report --repo OWNER/NAME --pr N --sha SHA [--report FILE | --root DIR [--base GITREF] [--skip-envoy-validate]]';

const GITHUB_ENVIRONMENT = 'The token comes from GITHUB_TOKEN and the API from GITHUB_API_URL (default https://api.github.com).';

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      repo: { type: 'string' },
      pr: { type: 'string' },
      sha: { type: 'string' },
      report: { type: 'string' },
      root: { type: 'string' },
      base: { type: 'string' },
      'skip-envoy-validate': { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${GITHUB_USAGE}\n\n${GITHUB_ENVIRONMENT}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'report') {
    throw new UsageError(`expected the action "report" (got ${positionals.length ? `"${positionals.join(' ')}"` : 'none'})`);
  }
  const target = parseTarget(values.repo, values.pr, values.sha);
  if (values.report && (values.root || values.base)) throw new UsageError('--report reads a finished report: --root and --base apply only without it');
  const say = (line: string) => process.stderr.write(`gatehouse github: ${line}\n`);
  try {
    const github = connectFromEnv();
    const report = values.report ? readReport(values.report) : await checkNow(values.root, values.base, values['skip-envoy-validate'] ?? false);
    const result = await publishReport(github, target, report);
    if (result.comment) say(`${result.comment.action} the pull-request comment ${result.comment.url}`);
    if (result.checkRun) {
      const { id, annotations } = result.checkRun;
      say(`created check run ${id} with ${annotations} annotation${annotations === 1 ? '' : 's'}`);
    }
    for (const error of result.errors) say(error);
    return result.errors.length === 0 ? 0 : 2;
  } catch (error) {
    if (error instanceof GitHubSetupError || error instanceof BaseRevisionError) {
      say(error.message);
      return 2;
    }
    throw error;
  }
}

function parseTarget(repo: string | undefined, pr: string | undefined, sha: string | undefined) {
  if (!repo || !pr || !sha) throw new UsageError('--repo, --pr and --sha are required');
  const [, owner, name] = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo) ?? [];
  if (!owner || !name) throw new UsageError(`--repo must be OWNER/NAME (got "${repo}")`);
  if (!/^[1-9][0-9]{0,9}$/.test(pr)) throw new UsageError(`--pr must be a pull request number (got "${pr}")`);
  if (!/^[0-9a-f]{40}$/i.test(sha)) throw new UsageError(`--sha must be a full 40-character commit SHA (got "${sha}")`);
  return { owner, repo: name, number: Number(pr), sha: sha.toLowerCase() };
}

function readReport(path: string): CheckReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --report ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const report = parseCheckReport(text, path);
  if ('problem' in report) throw new UsageError(report.problem);
  return report;
}

async function checkNow(root: string | undefined, base: string | undefined, skipEnvoyValidate: boolean): Promise<CheckReport> {
  const progress = progressPrinter((line) => process.stderr.write(line), 'gatehouse check:');
  return runCheck({ root: resolve(root ?? '.'), ...(base ? { base } : {}), skipEnvoyValidate }, progress);
}
