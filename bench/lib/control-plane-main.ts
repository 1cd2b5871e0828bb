// [worker process] The Gatehouse control plane (the same ControlPlane `gatehouse serve` runs),
// instrumented for the benchmarks: it reports when a new snapshot set reaches the cache (on the
// monotonic clock every process of the machine shares) and answers reload and memory requests.
import { ControlPlane } from '../../xds-server/src/control-plane.ts';
import { stderrLogger } from '../../xds-server/src/log.ts';
import { serveRequests } from './common.ts';

interface Options {
  readonly artifactsDir: string;
  readonly secretsDir?: string;
  readonly env?: Record<string, string>;
  readonly ports: { readonly xds: number; readonly authz: number; readonly admin: number };
  readonly pollIntervalMs?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const controlPlane = new ControlPlane({
  artifactsDir: options.artifactsDir,
  host: '127.0.0.1',
  xdsPort: options.ports.xds,
  authzPort: options.ports.authz,
  adminPort: options.ports.admin,
  advertiseHost: '127.0.0.1',
  ...(options.secretsDir ? { secretsDir: options.secretsDir } : {}),
  env: { ...process.env, ...(options.env ?? {}) },
  logger: stderrLogger('warn'),
  pollIntervalMs: options.pollIntervalMs ?? 60_000,
});

const cache = controlPlane.cache;
const set = cache.set.bind(cache);
cache.set = (snapshots) => {
  const started = process.hrtime.bigint();
  set(snapshots);
  const versions = Object.fromEntries(
    [...snapshots].map(([fleet, s]) => [fleet, Object.fromEntries(Object.entries(s.types).map(([type, t]) => [type, t.version]))]),
  );
  process.send?.({
    event: 'snapshot',
    at: String(started),
    wokeStreamsMs: Number(process.hrtime.bigint() - started) / 1e6,
    artifactVersion: [...snapshots.values()][0]?.artifactVersion,
    versions,
  });
};

const ports = await controlPlane.start();
serveRequests(async (m) => {
  switch (m.cmd) {
    case 'reload': {
      const at = process.hrtime.bigint();
      await controlPlane.reload();
      return { at: String(at), tookMs: Number(process.hrtime.bigint() - at) / 1e6 };
    }
    case 'memory':
      return { memory: process.memoryUsage() };
    case 'status':
      return { status: controlPlane.status() };
    default:
      throw new Error(`unknown command ${String(m.cmd)}`);
  }
});
process.on('SIGTERM', () => void controlPlane.stop().finally(() => process.exit(0)));
process.send?.({ ready: true, ports });
