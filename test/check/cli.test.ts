// `gatehouse check` through the real binary: exit code 0 on the example, 1 when an error-level gate
// fires (with SARIF on stdout), 2 for an unknown base revision or a bad flag.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';
import { gitFixture } from './git-fixture.ts';

const work = tempDir('gatehouse-check-cli-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const gatehouse = (args: string[], cwd = PROJECT_ROOT) => run(process.execPath, [BIN, ...args], { cwd, timeoutMs: 120_000 });

describe('gatehouse check (CLI)', () => {
  it('exits 0 on the example repository: it passes every gate', async () => {
    const result = await gatehouse(['check', '--skip-envoy-validate']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('passed   default-allow');
    expect(result.stdout).toContain('no problems found');
    expect(result.stderr).toContain('gatehouse check: passed (0 errors, 0 warnings)');
  });

  it('exits 1 when an error-level gate fires, and prints SARIF with the finding at file:line', async () => {
    const root = gitFixture(join(work.path, 'wildcard'), {
      replace: { 'registry/grants/engineering.yaml': [['tools: [search_tickets, get_ticket, delete_ticket]', 'tools: ["*"]']] },
    });
    const result = await gatehouse(['check', '--root', root, '--base', 'main', '--format', 'sarif', '--skip-envoy-validate']);
    expect(result.code, result.stderr).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
      }[];
    };
    const finding = sarif.runs[0]!.results.find((r) => r.ruleId === 'high-risk-broad-grant');
    expect(finding?.level).toBe('error');
    expect(finding?.locations[0]?.physicalLocation).toMatchObject({ artifactLocation: { uri: 'registry/grants/engineering.yaml' }, region: { startLine: 13 } });
  });

  it('shows a credential that follows its server to a new host in SARIF, and fails the shared-secret-ref gate', async () => {
    const root = gitFixture(join(work.path, 'moved-credential'), {
      replace: { 'registry/mcp-servers/tickets.yaml': [['http://127.0.0.1:7101/mcp', 'http://localhost:7101/mcp']] },
    });
    const result = await gatehouse(['check', '--root', root, '--base', 'main', '--format', 'sarif', '--skip-envoy-validate']);
    expect(result.code, result.stderr).toBe(1);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; level: string; message: { text: string } }[] }[] };
    const results = sarif.runs[0]!.results.map((r) => `${r.level} ${r.ruleId} ${r.message.text}`);
    expect(results).toContainEqual(
      'note credential-changed McpServer "tickets" credential changes from secretRef tickets-api-token to 127.0.0.1 (header Authorization) ' +
        'to secretRef tickets-api-token to localhost (header Authorization)',
    );
    expect(results.some((r) => r.startsWith('error shared-secret-ref McpServer "tickets" now sends credential'))).toBe(true);
  });

  it('exits 2 when --base names no revision, saying how to fetch it', async () => {
    const root = gitFixture(join(work.path, 'no-ref'));
    const result = await gatehouse(['check', '--root', root, '--base', 'origin/main']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--base origin/main: no such branch, tag or commit in this repository. Fetch it first (git fetch origin main)');
    expect(result.stdout).toBe('');
  });

  it('with --secrets-dir, fails on a secretRef the control plane cannot resolve, naming the server, file:line and how to provide it', async () => {
    const secrets = join(work.path, 'secrets');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'tickets-api-token'), 'not-a-real-token\n');
    writeFileSync(join(secrets, 'inventory-api-key'), 'not-a-real-key\n');
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_SECRET_')));
    const args = ['check', '--skip-envoy-validate', '--format', 'json', '--secrets-dir', secrets];
    const missing = await run(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, timeoutMs: 120_000, env });
    expect(missing.code, missing.stderr).toBe(1);
    const report = JSON.parse(missing.stdout) as { diagnostics: { code: string; message: string; location?: { file: string; line: number }; hint?: string }[] };
    const found = report.diagnostics.filter((d) => d.code === 'secret-not-found');
    expect(found).toEqual([
      {
        code: 'secret-not-found',
        severity: 'error',
        message:
          'McpServer "payments" credential secretRef "payments-api-key" does not resolve in the secrets source, ' +
          'so serve would refuse calls to "payments"',
        location: { file: 'registry/mcp-servers/payments.yaml', line: 17, column: expect.any(Number) as number },
        hint:
          `Provide it as the file ${join(secrets, 'payments-api-key')} or the environment variable GATEHOUSE_SECRET_PAYMENTS_API_KEY ` +
          'where the control plane runs (never in the repository).',
      },
    ]);
    expect(missing.stdout).not.toContain('not-a-real-token');

    const withKey = { ...env, GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'x' };
    const provided = await run(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, timeoutMs: 120_000, env: withKey });
    expect(provided.code, provided.stdout + provided.stderr).toBe(0);
  });

  it('exits 2 on a bad flag', async () => {
    const result = await gatehouse(['check', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be one of text, json, sarif, markdown');
  });
});
