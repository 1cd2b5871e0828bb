// [impure] Runs the pinned Envoy as a child process with a bootstrap file, and waits until it is ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../../toolchain/src/tools.ts';
import type { EnvoyAdminAddress } from '../../xds-server/src/envoy-admin-address.ts';
import { envoyAdminGet } from './envoy-admin.ts';

export interface EnvoyProcess {
  /** Its admin interface (a unix socket unless a port was asked for). */
  readonly admin: EnvoyAdminAddress;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface EnvoyOptions {
  readonly bootstrap: Record<string, unknown>;
  readonly admin: EnvoyAdminAddress;
  /** Folder for the bootstrap file and the log. */
  readonly workDir: string;
  readonly logLevel?: string;
}

export function startEnvoy(options: EnvoyOptions): EnvoyProcess {
  const config = join(options.workDir, 'envoy-bootstrap.json');
  const logFile = join(options.workDir, 'envoy.log');
  writeFileSync(config, JSON.stringify(options.bootstrap, null, 2));
  const child = spawn(
    requireTool('envoy'),
    ['-c', config, '--disable-hot-restart', '--reject-unknown-dynamic-fields', '--log-level', options.logLevel ?? 'warn', '--concurrency', '2'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile, { flags: 'a', mode: 0o600 }); // Envoy's log may hold request data
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    admin: options.admin,
    logFile,
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Waits until Envoy's admin says LIVE and `ready(…)` (e.g. a listener is up) holds, or throws after timeoutMs.
 * `failed()` returns an error that ends the wait at once (e.g. Envoy rejected a listener it cannot bind).
 */
export async function waitForEnvoy(envoy: EnvoyProcess, timeoutMs: number, ready?: () => Promise<boolean>, failed?: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (envoy.child.exitCode !== null) throw new Error(`Envoy exited with code ${envoy.child.exitCode}; see ${envoy.logFile}`);
    const failure = failed?.();
    if (failure) throw failure;
    try {
      const res = await envoyAdminGet(envoy.admin, '/ready');
      last = res.body.trim();
      if (res.status === 200 && (!ready || (await ready()))) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Envoy was not ready after ${timeoutMs} ms (${last}); see ${envoy.logFile}`);
}

/** True when Envoy has a listener with this name in its active configuration. */
export async function envoyHasListener(admin: EnvoyAdminAddress, name: string): Promise<boolean> {
  try {
    const res = await envoyAdminGet(admin, '/listeners?format=json');
    const body = JSON.parse(res.body) as { listener_statuses?: { name: string }[] };
    return (body.listener_statuses ?? []).some((l) => l.name === name);
  } catch {
    return false;
  }
}
