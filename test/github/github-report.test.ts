// `gatehouse github report` against the fake GitHub API: the requests it makes (paths, payloads,
// token), one comment that later runs update, pagination of existing comments, annotations in
// batches of 50, GitHub Enterprise base URLs, and readable messages on 401, 403 and 422.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../review/src/check/render-markdown.ts';
import { REPORT_FORMAT, type CheckReport } from '../../review/src/check/report.ts';
import type { Diagnostic } from '../../compiler/src/diagnostics/diagnostic.ts';
import { connectFromEnv, GitHubSetupError } from '../../review/src/github/github-client.ts';
import { publishReport } from '../../review/src/github/publish-report.ts';
import type { AccessChange } from '../../review/src/diff/access-diff.ts';
import { GATE_CODES } from '../../compiler/src/schema/check-settings.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';
import { gitFixture } from '../check/git-fixture.ts';
import { FAKE_TOKEN, FORBIDDEN, KNOWN_SHA, startFakeGitHub, type FakeGitHub } from './fake-github.ts';

const REPO = 'acme/policies';
const PR = 42;
const target = { owner: 'acme', repo: 'policies', number: PR, sha: KNOWN_SHA };
const DELETE_TICKET_GAINED: AccessChange = {
  subject: 'team:support',
  change: 'gained',
  server: 'tickets',
  tool: 'delete_ticket',
  risk: 'high',
  owner: 'support',
};

/** A report with `findings` located error diagnostics and one access change. */
function sampleReport(findings = 2): CheckReport {
  const diagnostics: Diagnostic[] = Array.from({ length: findings }, (_, i) => ({
    code: 'high-risk-broad-grant',
    severity: 'error',
    message: `finding ${i + 1}`,
    location: { file: 'registry/grants/engineering.yaml', line: i + 1, column: 7 },
    hint: 'Name high-risk tools one by one.',
  }));
  diagnostics.push({ code: 'base-not-compiled', severity: 'warning', message: 'a finding without a place' });
  return {
    format: REPORT_FORMAT,
    base: { ref: 'origin/main', commit: 'b'.repeat(40) },
    summary: { errors: findings, warnings: 1 },
    gates: GATE_CODES.map((code) => {
      const failed = code === 'high-risk-broad-grant';
      return { code, level: 'error', status: failed ? 'failed' : 'passed', findings: failed ? findings : 0 };
    }),
    diagnostics,
    highRisk: ['high', 'critical'],
    access: { changes: [DELETE_TICKET_GAINED] },
    config: { changes: [] },
    reviewers: [{ team: 'support', changes: [DELETE_TICKET_GAINED] }],
  };
}

let fake: FakeGitHub;
const connect = (url = fake.url) => connectFromEnv({ GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: url, GITHUB_SERVER_URL: 'https://github.example' });
/** Each request as `METHOD path`, with the page of comment listings (the first page has no page parameter). */
const paths = () => fake.requests.map((r) => `${r.method} ${r.path}${r.method === 'GET' ? `?page=${r.query.page ?? '1'}` : ''}`);

beforeEach(async () => {
  fake = await startFakeGitHub();
});
afterEach(async () => {
  await fake.close();
});

describe('github report: comment and check run', () => {
  it('creates one comment with the marker and the access table, and a check run with annotations, using the token', async () => {
    const result = await publishReport(connect(), target, sampleReport());
    expect(result.errors).toEqual([]);
    expect(paths()).toEqual([`GET /repos/${REPO}/issues/${PR}/comments?page=1`, `POST /repos/${REPO}/issues/${PR}/comments`, `POST /repos/${REPO}/check-runs`]);
    expect(fake.requests.every((r) => r.authorization === `token ${FAKE_TOKEN}`)).toBe(true);
    expect(fake.requests[0]!.userAgent).toMatch(/^gatehouse\//);
    expect(fake.requests[0]!.query.per_page).toBe('100');

    const body = (fake.requests[1]!.body as { body: string }).body;
    expect(body.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(body).toContain('| `team:support` | ➕ gains | `tickets/delete_ticket` | **high** ⚠️ | support |');
    expect(body).toContain('[`registry/grants/engineering.yaml:1`](https://github.example/acme/policies/blob/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/registry/grants/engineering.yaml#L1)');
    expect(result.comment).toMatchObject({ action: 'created' });

    expect(fake.requests[2]!.body).toMatchObject({
      name: 'Gatehouse',
      head_sha: KNOWN_SHA,
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: '2 errors, 1 warning',
        annotations: [
          {
            path: 'registry/grants/engineering.yaml',
            start_line: 1,
            end_line: 1,
            annotation_level: 'failure',
            title: 'gatehouse high-risk-broad-grant',
            message: 'finding 1',
            raw_details: 'Name high-risk tools one by one.',
          },
          { path: 'registry/grants/engineering.yaml', start_line: 2, end_line: 2, annotation_level: 'failure', message: 'finding 2' },
        ],
      },
    });
    expect((fake.requests[2]!.body as { output: { summary: string } }).output.summary).toContain('### Who gains or loses which tool');
    expect(result.checkRun).toMatchObject({ annotations: 2 });
  });

  it('updates the same comment on a re-run, never adding a second', async () => {
    await publishReport(connect(), target, sampleReport(1));
    fake.requests.length = 0;
    const second = await publishReport(connect(), target, sampleReport(3));
    expect(second.comment).toMatchObject({ action: 'updated' });
    expect(paths()).toEqual([`GET /repos/${REPO}/issues/${PR}/comments?page=1`, `PATCH /repos/${REPO}/issues/comments/1000`, `POST /repos/${REPO}/check-runs`]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toContain('**3 errors, 1 warning**');
  });

  it('finds its comment on the second page of a long conversation', async () => {
    fake.seedComments(REPO, PR, Array.from({ length: 130 }, (_, i) => `review comment ${i}`));
    const [mine] = fake.seedComments(REPO, PR, [`${REPORT_MARKER}\nan old report`]);
    fake.seedComments(REPO, PR, ['a later comment', `> ${REPORT_MARKER} quoted by someone`]);
    const result = await publishReport(connect(), target, sampleReport());
    expect(result.comment).toMatchObject({ action: 'updated' });
    expect(paths()).toEqual([
      `GET /repos/${REPO}/issues/${PR}/comments?page=1`,
      `GET /repos/${REPO}/issues/${PR}/comments?page=2`,
      `PATCH /repos/${REPO}/issues/comments/${mine!.id}`,
      `POST /repos/${REPO}/check-runs`,
    ]);
    expect(fake.comments.filter((c) => c.body.startsWith(REPORT_MARKER))).toHaveLength(1);
  });

  it('sends annotations 50 per request: the first batch with the run, the rest as updates', async () => {
    const result = await publishReport(connect(), target, sampleReport(120));
    expect(paths().slice(2)).toEqual([`POST /repos/${REPO}/check-runs`, `PATCH /repos/${REPO}/check-runs/1001`, `PATCH /repos/${REPO}/check-runs/1001`]);
    const sizes = fake.requests.slice(2).map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(fake.checkRuns[0]!.annotations).toHaveLength(120);
    expect(result.checkRun).toMatchObject({ annotations: 120 });
  });

  it('concludes success without findings and neutral with warnings only', async () => {
    const clean: CheckReport = { ...sampleReport(0), summary: { errors: 0, warnings: 0 }, diagnostics: [] };
    await publishReport(connect(), target, clean);
    const warned: CheckReport = {
      ...clean,
      summary: { errors: 0, warnings: 1 },
      diagnostics: [{ code: 'new-high-risk-grant', severity: 'warning', message: 'w' }],
    };
    await publishReport(connect(), target, warned);
    expect(fake.checkRuns.map((r) => [r.conclusion, r.output.title])).toEqual([
      ['success', 'All gates passed'],
      ['neutral', '0 errors, 1 warning'],
    ]);
  });
});

describe('github report: GitHub Enterprise Server', () => {
  it('uses GITHUB_API_URL with its /api/v3 prefix', async () => {
    const ghe = await startFakeGitHub({ prefix: '/api/v3' });
    try {
      const result = await publishReport(connect(ghe.url), target, sampleReport());
      expect(result.errors).toEqual([]);
      expect(ghe.comments).toHaveLength(1);
      expect(ghe.checkRuns).toHaveLength(1);
      expect(ghe.url).toMatch(/\/api\/v3$/);
    } finally {
      await ghe.close();
    }
  });
});

describe('github report: errors say what to do', () => {
  it('403 on the comment names the permission pull-requests: write, and the check run is still created', async () => {
    fake.failNext({ method: 'POST', path: /\/comments$/, status: 403, body: FORBIDDEN });
    const result = await publishReport(connect(), target, sampleReport());
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('cannot create the pull-request comment (403 Forbidden): the token lacks the permission "pull-requests: write"');
    expect(result.errors[0]).toContain('GitHub says: Resource not accessible by integration');
    expect(result.errors[0]).toContain('forks get a read-only token');
    expect(fake.checkRuns).toHaveLength(1);
  });

  it('403 on the check run names the permission checks: write', async () => {
    fake.failNext({ method: 'POST', path: /\/check-runs$/, status: 403, body: FORBIDDEN });
    const result = await publishReport(connect(), target, sampleReport());
    expect(result.errors).toEqual([expect.stringContaining('cannot create the check run (403 Forbidden): the token lacks the permission "checks: write"')]);
    expect(result.comment).toMatchObject({ action: 'created' });
  });

  it('422 says what GitHub rejected and what --sha must be', async () => {
    const result = await publishReport(connect(), { ...target, sha: 'c'.repeat(40) }, sampleReport());
    expect(result.errors).toEqual([
      expect.stringContaining(
        'cannot create the check run (422 Unprocessable Entity): GitHub rejected the request. ' +
          `GitHub says: No commit found for SHA: ${'c'.repeat(40)} --sha must be a commit of the repository`,
      ),
    ]);
  });

  it('422 with field errors lists them', async () => {
    fake.failNext({ method: 'POST', path: /\/comments$/, status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', field: 'body', code: 'custom', message: 'body is too long' }] } });
    const result = await publishReport(connect(), target, sampleReport());
    expect(result.errors[0]).toContain('GitHub says: Validation Failed; body custom body is too long');
  });

  it('401 says the token is not valid', async () => {
    const result = await publishReport(connectFromEnv({ GITHUB_TOKEN: 'wrong', GITHUB_API_URL: fake.url }), target, sampleReport());
    expect(result.errors[0]).toContain('cannot list the pull-request comments (401 Unauthorized): GITHUB_TOKEN is not a valid token');
  });

  it('refuses to start without GITHUB_TOKEN, saying how to pass it', () => {
    expect(() => connectFromEnv({ GITHUB_API_URL: fake.url })).toThrow(GitHubSetupError);
    expect(() => connectFromEnv({})).toThrow(/GITHUB_TOKEN is not set.*secrets\.GITHUB_TOKEN/);
  });
});

describe('gatehouse github report (CLI)', () => {
  const work = tempDir('gatehouse-github-cli-');
  afterAll(() => work.remove());
  const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
  // The parent's environment (tool locations, HOME), without any GitHub settings of its own.
  const GITHUB_SETTINGS = ['GITHUB_TOKEN', 'GITHUB_API_URL', 'GITHUB_SERVER_URL'];
  const parent = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GITHUB_SETTINGS.includes(name)));
  const cli = (args: string[], env: NodeJS.ProcessEnv) =>
    run(process.execPath, [BIN, 'github', 'report', ...args], { env: { ...parent, ...env }, timeoutMs: 60_000 });
  const args = (reportFile: string, sha = KNOWN_SHA) => ['--repo', REPO, '--pr', String(PR), '--sha', sha, '--report', reportFile];

  it('posts a report file, then updates it on a second run (exit 0)', async () => {
    const file = join(work.path, 'report.json');
    writeFileSync(file, JSON.stringify(sampleReport()));
    const env = { GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: fake.url };
    const first = await cli(args(file), env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('gatehouse github: created the pull-request comment');
    expect(first.stderr).toContain('created check run 1001 with 2 annotations');
    const second = await cli(args(file), env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('gatehouse github: updated the pull-request comment');
    expect(fake.comments).toHaveLength(1);
  });

  it('runs the check itself without --report, and posts the real access diff', async () => {
    const grantDeleteTicket = ['add_comment, close_ticket]', 'add_comment, close_ticket, delete_ticket]'] as const;
    const root = gitFixture(join(work.path, 'fixture'), { replace: { 'registry/grants/support.yaml': [grantDeleteTicket] } });
    const result = await cli(
      ['--repo', REPO, '--pr', String(PR), '--sha', KNOWN_SHA, '--root', root, '--base', 'main', '--skip-envoy-validate'],
      { GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: fake.url },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(fake.comments[0]!.body).toContain('| `team:support` | ➕ gains | `tickets/delete_ticket` | **high** ⚠️ | support |');
    expect(fake.comments[0]!.body).toContain('- **support**: `team:support` gains `tickets/delete_ticket` (high)');
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: 'neutral', output: { title: '0 errors, 1 warning' } });
    expect(fake.checkRuns[0]!.annotations).toEqual([
      expect.objectContaining({ path: 'registry/grants/support.yaml', start_line: 11, annotation_level: 'warning', title: 'gatehouse new-high-risk-grant' }),
    ]);
  });

  it('exits 2 with the message when GitHub refuses, when the token is missing, or the flags are wrong', async () => {
    const file = join(work.path, 'report.json');
    writeFileSync(file, JSON.stringify(sampleReport()));
    fake.failNext({ method: 'POST', path: /\/check-runs$/, status: 403, body: FORBIDDEN });
    const refused = await cli(args(file), { GITHUB_TOKEN: FAKE_TOKEN, GITHUB_API_URL: fake.url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the token lacks the permission "checks: write"');

    const noToken = await cli(args(file), { GITHUB_API_URL: fake.url });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');

    const badSha = await cli(args(file, 'abc'), { GITHUB_TOKEN: FAKE_TOKEN });
    expect(badSha.code).toBe(2);
    expect(badSha.stderr).toContain('--sha must be a full 40-character commit SHA');

    writeFileSync(join(work.path, 'not-a-report.json'), '{"diagnostics": []}');
    const notReport = await cli(args(join(work.path, 'not-a-report.json')), { GITHUB_TOKEN: FAKE_TOKEN });
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toContain('is not a gatehouse check report');
  });
});
