// The package as a policy repository gets it: `npm pack` (which builds lib/), then a scratch repository
// that installs only the tarball and runs the installed `gatehouse` for check, compile and serve. This
// proves the tarball holds everything those commands read at run time, and that they run as compiled
// JavaScript with no TypeScript loader. About 2.5 minutes on the shared 2-core machine: the build (tsc)
// 45 to 70 s, the install from the npm cache about 35 s, check about 20 s.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../toolchain/src/run.ts';
import { PROJECT_ROOT, toolsDir } from '../../toolchain/src/tools.ts';
import { copyExampleRepo, tempDir } from '../../testkit/repo.ts';

const PACKAGE = '@gatehouse-mcp/gatehouse';
const work = tempDir('gatehouse-packed-');
const repo = join(work.path, 'policy-repo');
const installed = join(repo, 'node_modules', ...PACKAGE.split('/'));
const BIN = join(repo, 'node_modules', '.bin', 'gatehouse');
// The tools are already installed for this test run: the package's postinstall must find them, not rebuild them.
const env: NodeJS.ProcessEnv = { ...process.env, GATEHOUSE_TOOLS_DIR: toolsDir() };
const gatehouse = (args: string[]) => run(BIN, args, { cwd: repo, env, timeoutMs: 120_000 });
let postinstall = '';

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--pack-destination', work.path], { cwd: PROJECT_ROOT, env, timeoutMs: 180_000 });
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = readdirSync(work.path).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball: ${packed.stdout}`);

  // A scratch policy repository: the example organisation, and the package as its only dependency.
  copyExampleRepo(repo);
  cpSync(join(PROJECT_ROOT, '.regal'), join(repo, '.regal'), { recursive: true });
  const manifest = { name: 'scratch-policy-repo', private: true, devDependencies: { [PACKAGE]: `file:${join(work.path, tarball)}` } };
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\ndist/\n.gatehouse/\n');
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'policy repo']]) {
    expect((await run('git', args, { cwd: repo })).code).toBe(0);
  }
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: repo, env, timeoutMs: 150_000 });
  expect(install.code, install.stderr).toBe(0);
  postinstall = install.stdout + install.stderr;
}, 330_000);

afterAll(() => work.remove());

describe('the packed package, installed in a scratch policy repository', () => {
  it('ships compiled JavaScript and no TypeScript loader, and its postinstall ran from it', () => {
    expect(existsSync(BIN)).toBe(true);
    expect(existsSync(join(repo, 'node_modules', 'tsx'))).toBe(false);
    const sources = filesUnder(installed).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    expect(sources).toEqual([]);
    expect(filesUnder(installed)).toContain('lib/cli/src/main.js');
    // `gatehouse tools install`, run by npm from the installed package, found the tools already there.
    expect(postinstall).toMatch(/gatehouse tools: opa v\S+: ok/);
  });

  it('loads the demo, gatehouse up, with its run-time dependencies (the MCP SDK, jose, zod)', async () => {
    const result = await gatehouse(['up', '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Usage: gatehouse up');
  });

  it('passes gatehouse check', async () => {
    const result = await gatehouse(['check']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toContain('gatehouse check: passed');
  });

  it('compiles the artifacts, recording the installed version as the compiler', async () => {
    const result = await gatehouse(['compile']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const file of ['manifest.json', 'xds/default.json', 'policy/bundle.tar.gz']) expect(existsSync(join(repo, 'dist', file)), file).toBe(true);
    const manifest = JSON.parse(readFileSync(join(repo, 'dist', 'manifest.json'), 'utf8')) as { compiler: { version: string } };
    const version = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version;
    expect(manifest.compiler.version).toBe(version);
  });

  it('serves them: the ADS port accepts connections, the admin port says ready, and SIGTERM exits cleanly', async () => {
    const ports = ['--xds-port', '0', '--authz-port', '0', '--admin-port', '0'];
    const secrets = { GATEHOUSE_SECRET_TICKETS_API_TOKEN: 'Bearer x', GATEHOUSE_SECRET_PAYMENTS_API_KEY: 'y' };
    const child = spawn(BIN, ['serve', '--artifacts', 'dist', ...ports, '--insecure-plaintext'], { cwd: repo, env: { ...env, ...secrets } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const listening = await stderrLine(child, /control plane listening .*xds=(\d+) .*admin=(\d+)/, 60_000);
      const [xds, admin] = [Number(listening[1]), Number(listening[2])];
      await acceptsConnection(xds);
      expect(await readyWithin(`http://127.0.0.1:${admin}/readyz`, 30_000)).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else out.push(relative(root, path));
    }
  };
  visit(root);
  return out;
}

/** Resolves with the match once a line of the child's stderr matches, or rejects on exit or after the timeout. */
function stderrLine(child: ReturnType<typeof spawn>, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms in: ${text}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)}: ${text}`));
    });
  });
}

function acceptsConnection(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** The admin /readyz status once it is 200, polled every 200 ms up to the bound (the last status otherwise). */
async function readyWithin(url: string, boundMs: number): Promise<number> {
  const deadline = Date.now() + boundMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(url)).status;
    if (status === 200) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return status;
}
