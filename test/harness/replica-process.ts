// A control-plane replica as its own process (`gatehouse serve`), so a test can SIGKILL it: the
// HA test runs two on one published artifact set, one audit folder and one session key.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';

export interface ReplicaSettings {
  readonly id: string;
  readonly ports: { readonly xds: number; readonly authz: number; readonly admin: number };
  /** The ext_authz address of every replica (`--replica-address`). */
  readonly replicas: readonly { readonly host: string; readonly port: number }[];
  /** `--artifacts`: a folder, or the URL of a published set (polled every `artifactsPollSeconds`). */
  readonly artifacts: string;
  readonly artifactsPollSeconds?: number;
  readonly secretsDir: string;
  readonly auditDir: string;
  readonly sessionKeyFile: string;
  /** Where its stderr goes (appended across restarts). */
  readonly logFile: string;
}

export interface ReplicaProcess {
  readonly settings: ReplicaSettings;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** GETs a path of its admin endpoint. */
  admin(path: string): Promise<{ status: number; text: string }>;
}

export function startReplica(settings: ReplicaSettings): ReplicaProcess {
  const { ports } = settings;
  const args = [
    join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), 'serve', '--insecure-plaintext', '--log-level', 'warn',
    '--artifacts', settings.artifacts, '--secrets-dir', settings.secretsDir,
    ...(settings.artifactsPollSeconds === undefined ? [] : ['--artifacts-poll-interval', String(settings.artifactsPollSeconds)]),
    '--xds-port', String(ports.xds), '--authz-port', String(ports.authz), '--admin-port', String(ports.admin),
    '--replica-id', settings.id, ...settings.replicas.flatMap((r) => ['--replica-address', `${r.host}:${String(r.port)}`]),
    '--audit-dir', settings.auditDir, '--session-key-file', settings.sessionKeyFile,
  ];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(settings.logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    settings,
    child,
    exited,
    admin: async (path) => {
      const res = await fetch(`http://127.0.0.1:${String(ports.admin)}${path}`);
      return { status: res.status, text: await res.text() };
    },
  };
}

/** Ends a replica the way an operator does (SIGTERM: final checkpoints written), waiting at most 10 s. */
export async function stopReplica(replica: ReplicaProcess): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  replica.child.kill('SIGTERM');
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), 10_000);
  await replica.exited;
  clearTimeout(timer);
}
