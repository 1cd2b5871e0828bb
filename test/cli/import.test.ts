// `gatehouse import` as a user runs it: a vendor's server.json becomes a McpServer whose only lint
// errors are the TODOs a human must fill; bad input exits 1, says why, and writes nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';

const work = tempDir('gatehouse-import-');
afterAll(() => work.remove());

const BIN = join(PROJECT_ROOT, 'bin', 'gatehouse.mjs');
let root = '';
const gatehouse = (args: string[]) => run(process.execPath, [BIN, ...args], { cwd: root, timeoutMs: 120_000 });
const serversDir = () => join(root, 'registry', 'mcp-servers');

const VENDOR = {
  name: 'com.example/forecasts',
  description: 'Weather forecasts and alerts.',
  version: '2.0.1',
  remotes: [{ type: 'streamable-http', url: 'https://mcp.forecasts.example.com/mcp', headers: [{ name: 'Authorization', isSecret: true }] }],
};

function file(name: string, content: unknown): string {
  const path = join(work.path, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

beforeAll(() => {
  root = copyExampleRepo(join(work.path, 'repo'));
});

describe('gatehouse import', () => {
  it('writes a McpServer whose only lint errors are the TODOs to fill in, and that lints once they are', async () => {
    const imported = await gatehouse(['import', file('forecasts.json', VENDOR)]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('wrote registry/mcp-servers/forecasts.yaml (McpServer "forecasts")');
    expect(imported.stderr).toContain('dataClassification, region, tools');
    const path = join(serversDir(), 'forecasts.yaml');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('secretRef: forecasts-credential');

    const before = await gatehouse(['lint']);
    expect(before.code).toBe(1);
    const errors = before.stdout.split('\n').filter((l) => / error /.test(l));
    expect(errors).toHaveLength(2);
    expect(errors.every((l) => l.startsWith('registry/mcp-servers/forecasts.yaml:'))).toBe(true);
    expect(before.stdout).toContain('spec.dataClassification must be one of public, internal, confidential, restricted (got "TODO")');

    const filled = text
      .replace('dataClassification: TODO', 'dataClassification: internal')
      .replace('region: TODO', 'region: eu-west-1')
      .replace('  # tools:\n  #   - name: TOOL_NAME\n  #     risk: low', '  tools:\n    - name: forecast\n      risk: low');
    writeFileSync(path, filled);
    const after = await gatehouse(['lint']);
    expect(after.code, after.stdout).toBe(0);
  });

  it('prints to stdout with --out -, and does not overwrite a file without --force', async () => {
    const printed = await gatehouse(['import', file('stdout.json', VENDOR), '--name', 'forecasts-two', '--out', '-']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('  name: forecasts-two\n');
    expect(existsSync(join(serversDir(), 'forecasts-two.yaml'))).toBe(false);

    const again = await gatehouse(['import', file('again.json', VENDOR)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('registry/mcp-servers/forecasts.yaml exists: pass --force');
  });

  it('refuses bad input with the file, the reason and what to do, writing nothing', async () => {
    const before = readdirSync(serversDir()).sort();
    const npmPackage = { registryType: 'npm', identifier: '@example/fs', transport: { type: 'stdio' } };
    const stdio = { name: 'io.example/fs', description: 'Files.', packages: [npmPackage] };
    const cases: [string, RegExp][] = [
      [join(work.path, 'missing.json'), /missing\.json: cannot read it \(ENOENT\)/],
      [file('broken.json', '{ "name": '), /broken\.json: not JSON/],
      [file('stdio.json', stdio), /stdio\.json: io\.example\/fs is packages only .*Gatehouse proxies remote servers only/],
    ];
    for (const [path, message] of cases) {
      const result = await gatehouse(['import', path]);
      expect(result.code, path).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('Nothing was written.');
    }
    expect(readdirSync(serversDir()).sort()).toEqual(before);
    const usage = await gatehouse(['import']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: gatehouse import');
  });
});
