// The OPA-Envoy plugin, the baseline of the policy benchmark: built once with `go build` from the
// pinned module in scripts/go/opa-envoy-plugin (go.sum committed) into the tools cache, then run as
// an ext_authz gRPC server on the same Rego and data as Gatehouse's bundle.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, toolsDir } from '../../toolchain/src/tools.ts';
import { run } from '../../toolchain/src/run.ts';
import { BENCH_DIR, say, sleep, trackChild } from './common.ts';

export const OPA_ENVOY_PLUGIN_VERSION = 'v1.15.2-envoy';
const MODULE = 'github.com/open-policy-agent/opa-envoy-plugin/cmd/opa-envoy-plugin';
export const WRAPPER_POLICY = join(BENCH_DIR, 'policy', 'opa-envoy', 'wrapper.rego');
export const WRAPPER_PATH = 'gatehouse_bench/envoy/decision';

/** The plugin binary: GATEHOUSE_OPA_ENVOY_PLUGIN, or the cached build (built now when missing). */
export async function ensureOpaEnvoyPlugin(): Promise<string> {
  if (process.env.GATEHOUSE_OPA_ENVOY_PLUGIN) return process.env.GATEHOUSE_OPA_ENVOY_PLUGIN;
  const home = join(toolsDir(), `opa-envoy-plugin-${OPA_ENVOY_PLUGIN_VERSION}`);
  const binary = join(home, 'opa-envoy-plugin');
  if (existsSync(binary)) return binary;
  say(`building the OPA-Envoy plugin ${OPA_ENVOY_PLUGIN_VERSION} with go (about 2 minutes, once)`);
  const temp = `${home}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const built = await run('go', ['build', '-o', join(temp, 'opa-envoy-plugin'), MODULE], {
    cwd: join(PROJECT_ROOT, 'scripts', 'go', 'opa-envoy-plugin'),
    env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    timeoutMs: 15 * 60_000,
  });
  if (built.code !== 0) {
    rmSync(temp, { recursive: true, force: true });
    const lastLines = built.stderr.trim().split('\n').slice(-10).join('\n');
    throw new Error(`go build of the OPA-Envoy plugin ${OPA_ENVOY_PLUGIN_VERSION} failed (set GATEHOUSE_OPA_ENVOY_PLUGIN to a build of it):\n${lastLines}`);
  }
  rmSync(home, { recursive: true, force: true });
  renameSync(temp, home);
  return binary;
}

export interface RunningPlugin {
  readonly child: ChildProcess;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Runs the plugin: ext_authz on grpcPort with path WRAPPER_PATH, OPA's REST API on httpPort (for the
 * readiness check), no decision logs, no version check. Loads the policies folder, the bundle's
 * data.json and the wrapper.
 */
export async function startOpaEnvoyPlugin(
  binary: string,
  options: { workDir: string; policiesDir: string; dataJson: string; grpcPort: number; httpPort: number },
): Promise<RunningPlugin> {
  const config = join(options.workDir, 'opa-envoy.yaml');
  writeFileSync(
    config,
    [
      'plugins:',
      '  envoy_ext_authz_grpc:',
      `    addr: 127.0.0.1:${options.grpcPort}`,
      `    path: ${WRAPPER_PATH}`,
      'decision_logs:',
      '  console: false',
      '',
    ].join('\n'),
  );
  const child = spawn(
    binary,
    [
      'run', '--server', '--addr', `127.0.0.1:${options.httpPort}`, '--config-file', config, '--skip-version-check', '--log-level', 'error',
      options.policiesDir, options.dataJson, WRAPPER_POLICY,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  trackChild(child);
  const errors: string[] = [];
  child.stderr.on('data', (c: Buffer) => errors.push(c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the OPA-Envoy plugin exited: ${errors.join('').slice(-2000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${options.httpPort}/health?plugins`);
      if (res.ok) return { child, pid: child.pid!, stop };
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`the OPA-Envoy plugin was not ready within 30 s: ${errors.join('').slice(-2000)}`);
}
