// The GitHub Actions workflows: the project's CI and the policy-repository workflow. Each is parsed
// and its triggers, permissions and steps checked; every `gatehouse` command line it runs must parse
// with the real CLI's flags; and actionlint (pinned, installed with the other tools) must accept it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECK_FORMATS } from '../../cli/src/check-command.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT, requireTool } from '../../toolchain/src/tools.ts';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  /** YAML reads `FOO: 1` as a number and `FOO: true` as a boolean. */
  env?: Record<string, string | number | boolean>;
  'continue-on-error'?: boolean;
}

interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  name: string;
  on: Record<string, { branches?: string[]; paths?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = join(PROJECT_ROOT, '.github', 'workflows');
const load = (file: string) => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
const ci = load('ci.yml');
const policy = load('gatehouse-policy.yml');

const uses = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));
const runs = (job: Job, pattern: RegExp) => job.steps.find((s) => s.run !== undefined && pattern.test(s.run));

/** What the expressions of the workflows stand for when a pull request runs them. */
const EXPRESSIONS: Record<string, string> = {
  'github.base_ref': 'main',
  'github.repository': 'acme/policies',
  'github.event.pull_request.number': '42',
  'github.event.pull_request.head.sha': 'a'.repeat(40),
  'secrets.GITHUB_TOKEN': 'token',
  'secrets.GATEHOUSE_SIGNING_KEY': '',
};

/** Every `gatehouse …` command a step runs, as argv, with expressions and $VARIABLES filled in. */
function gatehouseCommands(step: Step): string[][] {
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), {})]));
  return (step.run ?? '')
    .split('\n')
    .map((line) => substitute(line, env))
    .map((line) => /(?:^|\s)(?:npx\s+)?gatehouse\s+(.*)$/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined)
    .map((rest) => shellWords(rest.replace(/\s[0-9]?>.*$/, '')));
}

function substitute(text: string, env: Record<string, string>): string {
  return text
    .replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const value = EXPRESSIONS[expression];
      if (value === undefined) throw new Error(`the test does not know the expression ${expression}`);
      return value;
    })
    .replace(/\$([A-Z_]+)|\$\{([A-Z_]+)\}/g, (whole, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? whole);
}

/** Splits a command line into words, honouring single and double quotes. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const allCommands = [ci, policy].flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps.flatMap(gatehouseCommands)));

describe('.github/workflows/ci.yml (the project CI)', () => {
  const job = ci.jobs.test!;

  it('runs on pushes to main and on pull requests, reading only', () => {
    expect(ci.on.push?.branches).toEqual(['main']);
    expect(Object.keys(ci.on)).toContain('pull_request');
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('installs with Node 20 and the cached tools, lints, then tests', () => {
    expect(uses(job, 'actions/checkout')).toBeDefined();
    expect(uses(job, 'actions/setup-node')?.with?.['node-version']).toBe(20);
    expect(uses(job, 'actions/cache')?.with?.path).toBe('~/.cache/gatehouse');
    const order = ['npm install', 'npm run typecheck', 'npx gatehouse check', 'npm test']
      .map((command) => job.steps.findIndex((s) => s.run?.includes(command)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('.github/workflows/gatehouse-policy.yml (a policy repository)', () => {
  const check = policy.jobs.check!;
  const publish = policy.jobs.publish!;

  it('checks pull requests that touch registry/ or policies/, and publishes on pushes to main', () => {
    expect(policy.on.pull_request?.paths).toEqual(['registry/**', 'policies/**']);
    expect(policy.on.push).toEqual({ branches: ['main'], paths: ['registry/**', 'policies/**'] });
    expect(check.if).toBe("github.event_name == 'pull_request'");
    expect(publish.if).toBe("github.event_name == 'push'");
  });

  it('gives the check job exactly the permissions the report needs', () => {
    expect(policy.permissions).toEqual({ contents: 'read' });
    expect(check.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', checks: 'write' });
    expect(publish.permissions).toEqual({ contents: 'read' });
  });

  it('fetches the base branch, checks against it, reports, then fails on error-level gates', () => {
    expect(uses(check, 'actions/checkout')?.with?.['fetch-depth']).toBe(0);
    const checkStep = runs(check, /gatehouse check/)!;
    expect(checkStep.run).toBe('npx gatehouse check --base "origin/$BASE_REF" --format json > report.json');
    expect(checkStep.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(checkStep['continue-on-error']).toBe(true);
    const report = runs(check, /gatehouse github report/)!;
    expect(report.if).toBe('always()');
    expect(report.env?.GITHUB_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(gatehouseCommands(report)).toEqual([
      ['github', 'report', '--repo', 'acme/policies', '--pr', '42', '--sha', 'a'.repeat(40), '--report', 'report.json'],
    ]);
    const fail = check.steps.at(-1)!;
    expect(fail.if).toBe(`steps.${checkStep.id}.outcome == 'failure'`);
    expect(fail.run).toContain('exit 1');
  });

  it('compiles to dist/, signed with the signing-key secret, and uploads it as an artifact', () => {
    const compile = runs(publish, /gatehouse compile/)!;
    expect(gatehouseCommands(compile)).toEqual([['compile', '--out', 'dist']]);
    expect(compile.env).toEqual({ GATEHOUSE_SIGNING_KEY: '${{ secrets.GATEHOUSE_SIGNING_KEY }}' });
    expect(uses(publish, 'actions/upload-artifact')?.with).toMatchObject({ path: 'dist/', 'if-no-files-found': 'error' });
  });

  it('gives the signing key to the compile step only, and never prints or writes it', () => {
    const steps = Object.values(policy.jobs).flatMap((j) => j.steps);
    const withKey = steps.filter((s) => JSON.stringify(s).includes('GATEHOUSE_SIGNING_KEY'));
    expect(withKey).toEqual([runs(publish, /gatehouse compile/)]);
    for (const line of (withKey[0]!.run ?? '').split('\n')) {
      if (/\$\{?GATEHOUSE_SIGNING_KEY/.test(line)) expect(line.trim()).toMatch(/^if \[ -z "\$GATEHOUSE_SIGNING_KEY" \]; then$/);
    }
    expect(JSON.stringify(policy)).not.toMatch(/GATEHOUSE_SIGNING_KEY_FILE|>\s*\S*\.pem/);
  });

  it('never puts an expression inside a shell script (they go through env)', () => {
    for (const step of Object.values(policy.jobs).flatMap((j) => j.steps)) expect(step.run ?? '').not.toContain('${{');
  });
});

describe('the gatehouse commands of the workflows', () => {
  it('are check, github report and compile', () => {
    expect(allCommands.map((argv) => argv[0]).sort()).toEqual(['check', 'check', 'compile', 'github']);
  });

  it('parse with the real CLI\'s flags', async () => {
    for (const argv of allCommands) {
      // Flags are parsed strictly before --help is honoured, so an unknown flag fails here.
      const result = await run(process.execPath, [join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), ...argv, '--help'], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
      expect(result.code, `gatehouse ${argv.join(' ')}: ${result.stderr}`).toBe(0);
      const format = argv[argv.indexOf('--format') + 1];
      if (argv[0] === 'check' && argv.includes('--format')) expect(CHECK_FORMATS).toContain(format);
    }
  });
});

describe('actionlint', () => {
  it('accepts both workflows', async () => {
    const workflows = [join(WORKFLOWS, 'ci.yml'), join(WORKFLOWS, 'gatehouse-policy.yml')];
    const result = await run(requireTool('actionlint'), ['-no-color', ...workflows], { cwd: PROJECT_ROOT });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
