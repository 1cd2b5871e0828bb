// A fake GitHub REST API for tests: an in-process node:http server on 127.0.0.1 that implements
// exactly the endpoints `gatehouse github report` uses, with GitHub's status codes, error bodies and
// Link-header pagination. It records every request, keeps comments and check runs, and can be told
// to fail a request with 403 or 422 the way GitHub does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** The path after the API prefix, without the query (`/repos/o/r/issues/7/comments`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly userAgent: string | undefined;
  readonly body: unknown;
}

export interface FakeComment {
  id: number;
  issue: string;
  body: string;
}

export interface FakeCheckRun {
  readonly id: number;
  readonly repo: string;
  readonly name: string;
  readonly head_sha: string;
  readonly status: string;
  readonly conclusion: string;
  output: { title: string; summary: string };
  readonly annotations: unknown[];
}

/** A failure to answer instead of the real response, for the next request that matches. */
export interface Failure {
  readonly method: string;
  readonly path: RegExp;
  readonly status: 403 | 422 | 404 | 500;
  readonly body: unknown;
}

export interface FakeGitHub {
  /** The API base URL, with the prefix (for GitHub Enterprise Server, `/api/v3`). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: FakeComment[];
  readonly checkRuns: FakeCheckRun[];
  /** Adds comments (not Gatehouse's) to a pull request. */
  seedComments(repo: string, pr: number, bodies: readonly string[]): FakeComment[];
  /** Makes the next matching request fail. */
  failNext(failure: Failure): void;
  close(): Promise<void>;
}

export const FAKE_TOKEN = 'ghs_fake_token_for_tests';
/** The commits the fake repository has; a check run on any other SHA is a 422. */
export const KNOWN_SHA = 'a'.repeat(40);

const PER_PAGE_MAX = 100;
const COMMENT_MAX = 65_536;
const ANNOTATIONS_MAX = 50;

export async function startFakeGitHub(options: { prefix?: string } = {}): Promise<FakeGitHub> {
  const prefix = options.prefix ?? '';
  const requests: RecordedRequest[] = [];
  const comments: FakeComment[] = [];
  const checkRuns: FakeCheckRun[] = [];
  const failures: Failure[] = [];
  let nextId = 1000;
  let baseUrl = '';

  const server = createServer((req, res) => {
    void handle(req).then(
      (answer) => send(res, answer),
      (error: unknown) => send(res, reply(500, { message: String(error) })),
    );
  });

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
      body,
    });
    if (!url.pathname.startsWith(prefix)) return reply(404, { message: 'Not Found' });
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${FAKE_TOKEN}` && auth !== `bearer ${FAKE_TOKEN}`) {
      return reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const failure = failures.findIndex((f) => f.method === method && f.path.test(path));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      return reply(f!.status, f!.body);
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = `${m[1]}#${m[2]}`;
      if (method === 'GET') return listComments(url, issue);
      if (method === 'POST') return createComment(issue, m[1]!, body);
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(m![2]) && c.issue.startsWith(`${m![1]}#`));
      if (!comment) return reply(404, { message: 'Not Found' });
      const text = (body as { body?: unknown }).body;
      if (typeof text !== 'string' || text.length > COMMENT_MAX) return reply(422, bodyTooLong());
      comment.body = text;
      return reply(200, commentJson(comment, m[1]!));
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/check-runs$/.exec(path)) && method === 'POST') return createCheckRun(m[1]!, body);
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/check-runs\/(\d+)$/.exec(path)) && method === 'PATCH') return updateCheckRun(m[1]!, Number(m[2]), body);
    return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  function listComments(url: URL, issue: string): Reply {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), PER_PAGE_MAX);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = comments.filter((c) => c.issue === issue);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const links: string[] = [];
    const link = (p: number, rel: string) => {
      const target = new URL(`${baseUrl}${prefix}${url.pathname.slice(prefix.length)}`);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(p));
      links.push(`<${target.toString()}>; rel="${rel}"`);
    };
    if (page < last) {
      link(page + 1, 'next');
      link(last, 'last');
    }
    if (page > 1) {
      link(1, 'first');
      link(page - 1, 'prev');
    }
    const repo = issue.split('#')[0]!;
    const shown = all.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(c, repo));
    return reply(200, shown, links.length ? { link: links.join(', ') } : {});
  }

  function createComment(issue: string, repo: string, body: unknown): Reply {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text.length > COMMENT_MAX) return reply(422, bodyTooLong());
    const comment = { id: nextId++, issue, body: text };
    comments.push(comment);
    return reply(201, commentJson(comment, repo));
  }

  function createCheckRun(repo: string, body: unknown): Reply {
    const b = (body ?? {}) as CheckRunBody;
    if (typeof b.name !== 'string' || typeof b.head_sha !== 'string') {
      return reply(422, { message: 'Invalid request.\n\n"name" and "head_sha" are required.' });
    }
    if (b.head_sha !== KNOWN_SHA) {
      return reply(422, { message: `No commit found for SHA: ${b.head_sha}`, documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run' });
    }
    const annotations = b.output?.annotations ?? [];
    if (annotations.length > ANNOTATIONS_MAX) return reply(422, tooManyAnnotations());
    const run: FakeCheckRun = {
      id: nextId++,
      repo,
      name: b.name,
      head_sha: b.head_sha,
      status: String(b.status),
      conclusion: String(b.conclusion),
      output: { title: String(b.output?.title), summary: String(b.output?.summary) },
      annotations: [...annotations],
    };
    checkRuns.push(run);
    const { id, name, head_sha, status, conclusion } = run;
    return reply(201, { id, name, head_sha, status, conclusion, html_url: `https://github.example/${repo}/runs/${run.id}` });
  }

  function updateCheckRun(repo: string, id: number, body: unknown): Reply {
    const run = checkRuns.find((r) => r.id === id && r.repo === repo);
    if (!run) return reply(404, { message: 'Not Found' });
    const output = (body as Pick<CheckRunBody, 'output'> | undefined)?.output;
    if (output && (typeof output.title !== 'string' || typeof output.summary !== 'string')) {
      return reply(422, { message: 'Invalid request.\n\n"title", "summary" are required keys in output.' });
    }
    const annotations = output?.annotations ?? [];
    if (annotations.length > ANNOTATIONS_MAX) return reply(422, tooManyAnnotations());
    if (output) run.output = { title: String(output.title), summary: String(output.summary) };
    run.annotations.push(...annotations);
    return reply(200, { id: run.id, html_url: `https://github.example/${repo}/runs/${run.id}` });
  }

  function commentJson(comment: FakeComment, repo: string) {
    const pr = comment.issue.split('#')[1];
    return {
      id: comment.id,
      body: comment.body,
      user: { login: 'github-actions[bot]' },
      html_url: `https://github.example/${repo}/pull/${pr}#issuecomment-${comment.id}`,
    };
  }

  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${baseUrl}${prefix}`,
    requests,
    comments,
    checkRuns,
    seedComments(repo, pr, bodies) {
      return bodies.map((body) => {
        const comment = { id: nextId++, issue: `${repo}#${pr}`, body };
        comments.push(comment);
        return comment;
      });
    },
    failNext(failure) {
      failures.push(failure);
    },
    close: () => new Promise((resolvePromise) => server.close(() => resolvePromise())),
  };
}

/** The fake's answer to one request: a status, a JSON body and any extra headers. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** The body of a check-run create or update, as far as the fake checks it. */
interface CheckRunBody {
  readonly name?: unknown;
  readonly head_sha?: unknown;
  readonly status?: unknown;
  readonly conclusion?: unknown;
  readonly output?: { readonly title?: unknown; readonly summary?: unknown; readonly annotations?: unknown[] };
}

function reply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply {
  return { status, body, headers };
}

function send(res: ServerResponse, answer: Reply): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bodyTooLong() {
  return {
    message: 'Validation Failed',
    errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
  };
}

function tooManyAnnotations() {
  return { message: 'Invalid request.\n\nOnly 50 annotations are allowed per request.' };
}

/** GitHub's 403 for a token without the permission an endpoint needs. */
export const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' };
