// `gatehouse init` through the real binary: the scaffolded policy repository passes `check` and
// `gatehouse test` as written, its workflow passes actionlint, and init never overwrites a file.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT, requireTool } from '../../toolchain/src/tools.ts';
import { packageVersion } from '../../toolchain/src/package-root.ts';
import { tempDir } from '../../testkit/repo.ts';

const work = tempDir('gatehouse-init-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
const gatehouse = (args: string[], cwd: string) => run(process.execPath, [BIN, ...args], { cwd, timeoutMs: 180_000 });

describe('gatehouse init', () => {
  const repo = join(work.path, 'acme-mcp-policy');

  it('scaffolds a policy repository that passes check and gatehouse test as written', async () => {
    const init = await gatehouse(['init', repo], work.path);
    expect(init.code, init.stderr).toBe(0);
    const expected = ['registry/grants/support.yaml', 'policies/org/high_risk_owner_test.rego', '.github/workflows/gatehouse.yml', '.vscode/settings.json'];
    for (const path of [...expected, '.gitignore', 'README.md']) {
      expect(existsSync(join(repo, path)), path).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; devDependencies: Record<string, string> };
    expect(manifest).toMatchObject({ name: 'acme-mcp-policy', devDependencies: { '@gatehouse-mcp/gatehouse': packageVersion() } });

    const check = await gatehouse(['check'], repo);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    // The template's https publicUrl has no tls yet: the one warning says to set it or declare the proxy in front.
    expect(check.stdout).toContain('0 errors, 1 warning');
    expect(check.stdout).toContain('[gateway-without-tls]');
    const tests = await gatehouse(['test'], repo);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toContain('PASS: 3/3');
    const coverage = await gatehouse(['test', '--coverage'], repo);
    expect(coverage.code, coverage.stderr).toBe(0);
    expect(coverage.stdout).toContain('policies/org/high_risk_owner.rego: 100.0%');
    expect(coverage.stdout).not.toContain('base-policy/');
  });

  it('writes a workflow that passes actionlint and re-checks on a Gatehouse version bump', async () => {
    const workflow = join(repo, '.github', 'workflows', 'gatehouse.yml');
    const lint = await run(requireTool('actionlint'), ['-no-color', workflow], { cwd: repo });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const on = (parse(readFileSync(workflow, 'utf8')) as { on: { pull_request: { paths: string[] }; push: { paths: string[] } } }).on;
    expect(on.pull_request.paths).toEqual(expect.arrayContaining(['registry/**', 'policies/**', 'package.json', 'package-lock.json']));
    expect(on.push.paths).toEqual(on.pull_request.paths);
    // Never a bare `npx gatehouse`, which would download the unrelated package of that name.
    expect(readFileSync(workflow, 'utf8')).not.toMatch(/^[^#\n]*npx gatehouse/m);
  });

  it('leaves a failing organisation rule test failing, with exit code 1', async () => {
    const test = join(repo, 'policies', 'org', 'high_risk_owner_test.rego');
    const original = readFileSync(test, 'utf8');
    writeFileSync(test, original.replace('only team ops may call it"}', 'only team finance may call it"}'));
    try {
      const tests = await gatehouse(['test'], repo);
      expect(tests.code).toBe(1);
      expect(tests.stdout).toContain('policies/org/high_risk_owner_test.rego');
      expect(tests.stdout).toContain('FAIL: 1/3');
    } finally {
      writeFileSync(test, original);
    }
  });

  it('gatehouse fmt lists a Rego file the rego-format gate would flag, and --write formats it', async () => {
    const rule = join(repo, 'policies', 'org', 'high_risk_owner.rego');
    const original = readFileSync(rule, 'utf8');
    writeFileSync(rule, original.replace(/\n\t/g, '\n        '));
    try {
      const listed = await gatehouse(['fmt'], repo);
      expect(listed.code).toBe(1);
      expect(listed.stdout).toContain('policies/org/high_risk_owner.rego');
      expect(listed.stdout).toContain('npx gatehouse fmt --write');
      const written = await gatehouse(['fmt', '--write'], repo);
      expect(written.code, written.stderr).toBe(0);
      expect(readFileSync(rule, 'utf8')).toBe(original);
      expect((await gatehouse(['fmt'], repo)).code).toBe(0);
    } finally {
      writeFileSync(rule, original);
    }
  });

  it('passes check with no organisation rules at all', async () => {
    rmSync(join(repo, 'policies'), { recursive: true });
    const check = await gatehouse(['check'], repo);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const tests = await gatehouse(['test'], repo);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
  });

  it('refuses a non-empty folder, and with --force adds only the missing files', async () => {
    const dir = join(work.path, 'existing');
    mkdirSync(join(dir, 'registry'), { recursive: true });
    writeFileSync(join(dir, 'README.md'), 'ours\n');
    const refused = await gatehouse(['init', dir], work.path);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(dir, 'package.json'))).toBe(false);

    const forced = await gatehouse(['init', dir, '--force'], work.path);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('kept    README.md (exists; not overwritten)');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('ours\n');
    expect(existsSync(join(dir, 'package.json'))).toBe(true);
  });
});
