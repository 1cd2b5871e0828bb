// Part of benchmark 4 (xDS): a one-server change pushed to many nodes, state of the world against
// delta xDS, in one run. The same control plane code serves both; the simulated nodes (ads-clients)
// speak one protocol or the other. Measured per protocol: the bytes the nodes received for the
// change, the time from the reload request until every node ACKed it, and the control plane's RSS
// with all nodes connected.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceType } from '../artifacts/src/type-urls.ts';
import { freePorts } from '../testkit/ports.ts';
import { memoryMiB, percentiles, round, say, sleep, startWorker, type Worker } from './lib/common.ts';

export type Protocol = 'sotw' | 'delta';

export interface OneChangeResult {
  readonly protocol: Protocol;
  readonly nodes: number;
  readonly pushes: number;
  /** Bytes of responses per node per push (the change only). */
  readonly bytesPerNode: number;
  /** Bytes of responses to all nodes per push. */
  readonly bytesPerPush: number;
  /** ms from the reload request until every node ACKed: median over pushes of p50, p99 and max. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly notAcked: number;
  readonly initialSyncMs: number;
  readonly connectedRssMiB: number;
}

export interface OneChangeSetup {
  readonly served: string;
  /** Writes the artifact set of a variant (0: base, 2: one server changed) into the served folder. */
  readonly serve: (variant: number) => void;
  readonly env: Record<string, string>;
  readonly names: Partial<Record<ResourceType, string[]>>;
}

/**
 * Edits one MCP server of a generated registry (its upstream port): the variant whose compiled xDS
 * differs from the base in that server's cluster and endpoints only.
 */
export function changeOneServer(registryRoot: string): string {
  const dir = join(registryRoot, 'registry', 'mcp-servers');
  const file = readdirSync(dir).sort()[0];
  if (!file) throw new Error(`no MCP server in ${dir}`);
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(/(url: http:\/\/127\.0\.0\.1:)(\d+)/, (_, prefix: string, port: string) => `${prefix}${String(Number(port) + 1)}`);
  if (changed === text) throw new Error(`no upstream URL to change in ${path}`);
  writeFileSync(path, changed);
  return file;
}

export async function measureOneChange(setup: OneChangeSetup, protocol: Protocol, count: number, pushes: number): Promise<OneChangeResult> {
  setup.serve(0);
  const [xds, authz, admin] = (await freePorts(3)) as [number, number, number];
  const cp = startWorker('lib/control-plane-main.ts', [JSON.stringify({ artifactsDir: setup.served, env: setup.env, ports: { xds, authz, admin } })]);
  const clients: Worker[] = [];
  try {
    await cp.waitFor((m) => m.ready === true);
    const current = async () => {
      const { status } = await cp.call<{ status: { fleets: Record<string, Record<string, { version: string }>> } }>({ cmd: 'status' });
      return Object.fromEntries(Object.entries(status.fleets.default!).map(([t, v]) => [t, v.version]));
    };
    const processes = count >= 500 ? 2 : 1;
    for (let p = 0; p < processes; p++) {
      const w = startWorker('lib/ads-clients.ts');
      clients.push(w);
      await w.waitFor((m) => m.ready === true);
    }
    const connectedAt = Number(process.hrtime.bigint()) / 1e6;
    const perProcess = Math.ceil(count / processes);
    const options = (p: number) => ({ port: xds, count: perProcess, fleet: 'default', prefix: `${protocol}-${String(p)}`, names: setup.names, protocol });
    await Promise.all(clients.map((w, p) => w.call({ cmd: 'connect', options: options(p) })));
    const initial = await waitAllAcked(clients, await current(), 120_000);
    const initialSyncMs = round(Math.max(...initial.at.map((a) => (a ?? Infinity) - connectedAt)), 1);
    await sleep(1000);
    const connectedRssMiB = memoryMiB(cp.pid)?.rss ?? NaN;
    say(`${protocol}: ${String(count)} nodes synced in ${String(initialSyncMs)} ms; control plane RSS ${String(connectedRssMiB)} MiB`);

    const bytes = async () => (await Promise.all(clients.map((w) => w.call<{ bytes: number }>({ cmd: 'stats' })))).reduce((a, s) => a + s.bytes, 0);
    const trials: { p50: number; p99: number; max: number; bytes: number; notAcked: number }[] = [];
    let variant = 0;
    for (let t = 0; t < pushes; t++) {
      variant = variant === 0 ? 2 : 0;
      const before = await current();
      const bytes0 = await bytes();
      setup.serve(variant);
      const snapshotEvent = nextSnapshot<{ versions: Record<string, Record<string, string>> }>(cp, process.hrtime.bigint(), 60_000);
      const reload = await cp.call<{ at: string }>({ cmd: 'reload' });
      const next = (await snapshotEvent).versions.default!;
      const t0 = Number(BigInt(reload.at)) / 1e6;
      const unchanged = Object.keys(next).filter((type) => next[type] === before[type]);
      const acked = await waitAllAcked(clients, next, 60_000, t0, unchanged);
      const done = acked.at.filter((a): a is number => a !== null).map((a) => Math.max(0, a - t0));
      // Late responses (none expected once every node ACKed) would count in the next push: let them land.
      await sleep(300);
      const p = percentiles(done);
      trials.push({ p50: p.p50, p99: p.p99, max: p.max, bytes: (await bytes()) - bytes0, notAcked: acked.at.length - done.length });
      const times = `p50 ${String(p.p50)} / p99 ${String(p.p99)} / max ${String(p.max)} ms`;
      say(`${protocol}: push ${String(t + 1)}: all ACKed ${times}; ${String(trials.at(-1)!.bytes)} bytes`);
    }
    const median = (f: (t: (typeof trials)[number]) => number) => {
      const v = trials.map(f).sort((a, b) => a - b);
      return v[Math.floor((v.length - 1) / 2)]!;
    };
    const bytesPerPush = median((t) => t.bytes);
    for (const w of clients) await w.call({ cmd: 'close' });
    return {
      protocol,
      nodes: count,
      pushes,
      bytesPerNode: Math.round(bytesPerPush / count),
      bytesPerPush,
      p50: round(median((t) => t.p50), 1),
      p99: round(median((t) => t.p99), 1),
      max: round(Math.max(...trials.map((t) => t.max)), 1),
      notAcked: trials.reduce((a, t) => a + t.notAcked, 0),
      initialSyncMs,
      connectedRssMiB,
    };
  } finally {
    for (const w of clients) await w.stop().catch(() => undefined);
    await cp.stop().catch(() => undefined);
  }
}

/**
 * The control plane's first snapshot event at or after `since` (the monotonic clock every process
 * of the machine shares). The worker keeps messages no one waited for, so an older snapshot event
 * (the initial load's, or the previous push's) would otherwise be taken for this push's.
 */
export function nextSnapshot<T>(cp: Worker, since: bigint, timeoutMs: number): Promise<T> {
  return cp.waitFor<T>((m) => m.event === 'snapshot' && typeof m.at === 'string' && BigInt(m.at) >= since, timeoutMs);
}

/** Polls the client processes until every node ACKed the versions, or the time is up. */
export async function waitAllAcked(
  clients: readonly Worker[],
  versions: Record<string, string>,
  timeoutMs: number,
  since = 0,
  unchanged: readonly string[] = [],
): Promise<{ at: (number | null)[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replies = await Promise.all(clients.map((w) => w.call<{ at: (number | null)[] }>({ cmd: 'acked', versions, since, unchanged })));
    const at = replies.flatMap((r) => r.at);
    if (at.every((a) => a !== null) || Date.now() > deadline) return { at };
    await sleep(20);
  }
}
